"""Configuration from the environment (12-factor): DATABASE_URL, SECRET_KEY, TRINVIS_DEMO, TRINVIS_TODAY, …

Production is the default profile: HTTPS-only cookies, HSTS and, for coordinators, partners and
admins, two-factor login. Only the demo (TRINVIS_DEMO=1), development (TRINVIS_ENV=development)
and the tests (TESTING) turn them off.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from backend.clock import TODAY_KEY, parse_today


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'trinvis.sqlite'}"
    # Accept the common postgres:// spelling and pick the psycopg 3 driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _pinned_today() -> str | None:
    value = os.environ.get(TODAY_KEY) or None
    parse_today(value)  # a malformed date stops the start with a clear message, not every page
    return value


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def profile(override: str | None = None) -> str:
    """ "production" unless this is the demo, a developer's machine or a test run."""
    if override:
        return override
    if os.environ.get("TRINVIS_DEMO", "0") == "1":
        return "demo"
    env = os.environ.get("TRINVIS_ENV", "production").strip().lower()
    return "development" if env in ("development", "dev") else "production"


def from_env(instance_path: str, profile_override: str | None = None) -> dict:
    """Settings for create_app, read from the environment (`profile_override`: "testing" or "demo"
    when create_app's caller says TESTING or DEMO_MODE)."""
    demo = os.environ.get("TRINVIS_DEMO", "0") == "1"
    production = profile(profile_override) == "production"
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # A random key per start in development means sessions end at restart: production sets it.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        "DEMO_MODE": demo,
        "TRINVIS_PROFILE": profile(profile_override),
        # Login throttle, shared by all workers: per client address and per account (web and API
        # together). Counts live in the app's database unless RATELIMIT_STORAGE_URI names Redis.
        "LOGIN_RATE_LIMIT": os.environ.get("TRINVIS_LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("TRINVIS_LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute;20 per hour"),
        # A locked phone asks whether its token was revoked (at start and every sync interval).
        "TOKEN_STATUS_RATE_LIMIT": os.environ.get("TRINVIS_TOKEN_STATUS_RATE_LIMIT", "30 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "trinvis-db://"),
        "RATELIMIT_HEADERS_ENABLED": True,  # Retry-After on every throttled answer
        "TOKEN_TTL_DAYS": int(os.environ.get("TRINVIS_TOKEN_TTL_DAYS", "90")),
        "MAX_CONTENT_LENGTH": 1_000_000,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # HTTPS only in production: the Secure cookie flag and HSTS (Flask-Talisman, backend/security.py).
        "SESSION_COOKIE_SECURE": _flag("TRINVIS_SECURE_COOKIES", production),
        "HSTS": _flag("TRINVIS_HSTS", production),
        # Reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto are trusted (0 = none).
        "TRUSTED_PROXIES": int(os.environ.get("TRINVIS_TRUSTED_PROXIES", "0")),
        # Coordinators, partners and admins must log in with a TOTP code as well.
        "REQUIRE_2FA": _flag("TRINVIS_REQUIRE_2FA", production),
        "WTF_CSRF_TIME_LIMIT": None,
        # Closed cases are erased this many years after they closed (docs/decisions.md: KLE K5).
        "RETENTION_YEARS": int(os.environ.get("TRINVIS_RETENTION_YEARS", "5")),
        # Audit entries about erased young people are kept this long, without free text.
        "AUDIT_RETENTION_DAYS": int(os.environ.get("TRINVIS_AUDIT_RETENTION_DAYS", "183")),
        # Caseworker pages log out after this many idle minutes (case data on an unattended screen).
        "WEB_IDLE_MINUTES": int(os.environ.get("TRINVIS_WEB_IDLE_MINUTES", "30")),
        # A pinned "today" (YYYY-MM-DD) for demos and tests; unset in production (backend/clock.py).
        TODAY_KEY: _pinned_today(),
        # Measuring only (bench/load.py): a Server-Timing header with each request's server CPU.
        "SERVER_TIMING": os.environ.get("TRINVIS_SERVER_TIMING") == "1",
        "WEB_SESSION_MAX_HOURS": int(os.environ.get("TRINVIS_WEB_SESSION_MAX_HOURS", "12")),
        # How long a one-time password link/code stays valid.
        # Keys that encrypt stored TOTP secrets (comma-separated Fernet keys; the first encrypts, all
        # decrypt). Required in production; elsewhere derived from SECRET_KEY (accounts/fieldcrypt.py).
        "FIELD_ENCRYPTION_KEYS": os.environ.get("TRINVIS_FIELD_KEYS", ""),
        "PASSWORD_RESET_HOURS": int(os.environ.get("TRINVIS_PASSWORD_RESET_HOURS", "24")),
        # The address people open, for the links printed by the CLI (e.g. https://trinvis.kommune.dk).
        "PUBLIC_URL": os.environ.get("TRINVIS_PUBLIC_URL", "").rstrip("/"),
        # Morning reminders by SMS (issue 13): without a gateway URL they are only kept in the outbox.
        "SMS_GATEWAY_URL": os.environ.get("TRINVIS_SMS_GATEWAY_URL", ""),
        "SMS_GATEWAY_USER": os.environ.get("TRINVIS_SMS_GATEWAY_USER", ""),
        "SMS_GATEWAY_PASSWORD": os.environ.get("TRINVIS_SMS_GATEWAY_PASSWORD", ""),
        "SMS_GATEWAY_TOKEN": os.environ.get("TRINVIS_SMS_GATEWAY_TOKEN", ""),
        "SMS_SENDER_ID": os.environ.get("TRINVIS_SMS_SENDER_ID", "Trinvis"),
        "SMS_GATEWAY_TIMEOUT": float(os.environ.get("TRINVIS_SMS_GATEWAY_TIMEOUT", "10")),
    }
