"""Configuration from the environment (12-factor): DATABASE_URL, SECRET_KEY, TRINVIS_DEMO."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'trinvis.sqlite'}"
    # Accept the common postgres:// spelling and pick the psycopg 3 driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def from_env(instance_path: str) -> dict:
    """Settings for create_app, read from the environment."""
    demo = os.environ.get("TRINVIS_DEMO", "0") == "1"
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # A random key per start in development means sessions end at restart: production sets it.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        "DEMO_MODE": demo,
        "LOGIN_RATE_LIMIT": os.environ.get("TRINVIS_LOGIN_RATE_LIMIT", "10 per minute"),
        # A locked phone asks whether its token was revoked (at start and every sync interval).
        "TOKEN_STATUS_RATE_LIMIT": os.environ.get("TRINVIS_TOKEN_STATUS_RATE_LIMIT", "30 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "TOKEN_TTL_DAYS": int(os.environ.get("TRINVIS_TOKEN_TTL_DAYS", "90")),
        "MAX_CONTENT_LENGTH": 1_000_000,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # Closed cases are erased this many years after they closed (docs/decisions.md: KLE K5).
        "RETENTION_YEARS": int(os.environ.get("TRINVIS_RETENTION_YEARS", "5")),
        # Audit entries about erased young people are kept this long, without free text.
        "AUDIT_RETENTION_DAYS": int(os.environ.get("TRINVIS_AUDIT_RETENTION_DAYS", "183")),
        # Caseworker pages log out after this many idle minutes (case data on an unattended screen).
        "WEB_IDLE_MINUTES": int(os.environ.get("TRINVIS_WEB_IDLE_MINUTES", "30")),
        # Morning reminders by SMS (issue 13): without a gateway URL they are only kept in the outbox.
        "SMS_GATEWAY_URL": os.environ.get("TRINVIS_SMS_GATEWAY_URL", ""),
        "SMS_GATEWAY_USER": os.environ.get("TRINVIS_SMS_GATEWAY_USER", ""),
        "SMS_GATEWAY_PASSWORD": os.environ.get("TRINVIS_SMS_GATEWAY_PASSWORD", ""),
        "SMS_GATEWAY_TOKEN": os.environ.get("TRINVIS_SMS_GATEWAY_TOKEN", ""),
        "SMS_SENDER_ID": os.environ.get("TRINVIS_SMS_SENDER_ID", "Trinvis"),
        "SMS_GATEWAY_TIMEOUT": float(os.environ.get("TRINVIS_SMS_GATEWAY_TIMEOUT", "10")),
    }
