"""Passwords (argon2), per-device opaque bearer tokens (stored as SHA-256) and the API guard."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, has_app_context, request
from sqlalchemy import select

from backend.errors import ApiError
from backend.extensions import db
from backend.models import DeviceToken, User, utcnow

_hasher = PasswordHasher()  # verifies any parameters; argon2's recommended defaults for new hashes
# Verified against when the username is unknown, so a guess costs the same either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """argon2id hash; ARGON2_TIME_COST/ARGON2_MEMORY_COST lower the cost in test runs only."""
    cfg = current_app.config if has_app_context() else {}
    if "ARGON2_TIME_COST" in cfg:
        return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"]).hash(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, else None."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if "ARGON2_TIME_COST" not in current_app.config and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, device_name: str) -> str:
    """A new opaque token for one device; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    ttl = timedelta(days=current_app.config["TOKEN_TTL_DAYS"])
    db.session.add(
        DeviceToken(user_id=user.id, token_hash=_digest(token), device_name=device_name, expires_at=utcnow() + ttl)
    )
    return token


def token_from_request() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip() or None
    return None


def resolve_token(token: str) -> tuple[User, DeviceToken] | None:
    row = db.session.scalar(select(DeviceToken).where(DeviceToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user, row


REVOKE_NOTICE_DA = (
    "Næste gang telefonen har forbindelse til Trinvis, sletter appen alle data på den: "
    "alle unge, planer, noter, kladder og ændringer, der ikke er sendt, samt adgangen. "
    "Ændringer, der ikke nåede at blive sendt, går tabt. Telefonen skal logge ind igen."
)
"""What a coordinator is told when revoking a phone's access (API answer and CLI)."""


# Why a device token ended (device_token.revoked_reason). Only a password reset lets the phone
# keep its data: the person is the same, they only forgot their password. Everything else (a lost
# phone, logout, a user who left, and rows from before the reason was kept) wipes the phone.
REASON_WIPE = "wipe"  # a lost phone: revoked by a coordinator, an admin, `flask revoke-token` or the user
REASON_LOGOUT = "logout"  # the phone logged out (and wiped itself already)
REASON_DEACTIVATED = "deactivated"  # the user's account was closed
REASON_PASSWORD_RESET = "password_reset"  # a one-time password link was used
KEEPS_DATA = frozenset({REASON_PASSWORD_RESET})


def token_state_by_hash(digest: str) -> str:
    """'revoked' (the phone must wipe itself), 'signed_out' (ended by a password reset: the phone
    keeps its data and unsent changes and asks for the new password), 'active' or 'unknown'.

    An expired token is 'unknown' to the phone's wipe logic: it keeps its unsent changes and only
    asks for a new login. A phone knows only 'revoked' as a reason to wipe, so older apps treat
    'signed_out' like 'unknown'.
    """
    row = db.session.scalar(select(DeviceToken).where(DeviceToken.token_hash == digest))
    if row is None:
        return "unknown"
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return "revoked"
    if row.revoked_at is not None:
        return "signed_out" if row.revoked_reason in KEEPS_DATA else "revoked"
    return "active" if row.expires_at > utcnow() else "unknown"


def token_state(token: str) -> str:
    return token_state_by_hash(_digest(token))


def revoke_token(row: DeviceToken, reason: str) -> None:
    """End the token for `reason`. A wiping reason overrides a kept-data one (a phone signed out by
    a password reset and then reported lost must still wipe itself)."""
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.revoked_reason = reason
    elif row.revoked_reason in KEEPS_DATA and reason not in KEEPS_DATA:
        row.revoked_reason = reason


def _refuse(state: str) -> None:
    """The 401 for a token that no longer works; only `token_revoked` makes the phone wipe itself."""
    if state == "revoked":
        raise ApiError(
            401,
            "token_revoked",
            "Adgangen fra denne enhed er lukket. Appen sletter alle data på telefonen. Log ind igen.",
        )
    if state == "signed_out":
        raise ApiError(
            401,
            "signed_out",
            "Din adgangskode er blevet nulstillet. Log ind med den nye adgangskode. "
            "Ændringer, der ikke er sendt, venter på telefonen.",
        )
    raise ApiError(401, "invalid_token", "Adgangsnøglen er ugyldig eller udløbet. Log ind igen.")


def token_required(fn):
    """API guard: sets g.user and g.device_token, or answers 401 in the contract's shape."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        token = token_from_request()
        if not token:
            raise ApiError(401, "unauthenticated", "Mangler adgangsnøgle (Authorization: Bearer).")
        found = resolve_token(token)
        if found is None:
            _refuse(token_state(token))
        g.user, g.device_token = found
        now = utcnow()
        # Touch at most once a minute: a write per request would serialise readers on SQLite.
        if g.device_token.last_used_at is None or (now - g.device_token.last_used_at).total_seconds() > 60:
            g.device_token.last_used_at = now
            db.session.commit()
        return fn(*args, **kwargs)

    return wrapper
