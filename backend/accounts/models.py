"""Tables of the accounts package: web sessions, one-time reset links, TOTP, recovery codes and the
login throttle's counters. Secrets (session ids, reset codes, recovery codes) are stored as SHA-256
of 32/16 random bytes: out of reach of an offline guess, and found by one indexed lookup. TOTP
secrets, which the server must read back, are encrypted (backend/accounts/fieldcrypt.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models import ID, UTCDateTime, new_id, utcnow


class WebSession(db.Model):
    """A browser login. The cookie carries only a random id; deleting the row ends the session."""

    __tablename__ = "web_session"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # "full"; or "mfa" (password right, TOTP code still to come), "enrol" (must set up TOTP first)
    stage: Mapped[str] = mapped_column(String(10), default="full")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasswordReset(db.Model):
    """A one-time link/code to set a password (after a reset, or for a new user)."""

    __tablename__ = "password_reset"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TotpCredential(db.Model):
    """A user's TOTP secret; `enabled_at` is set once the user proved it with a code."""

    __tablename__ = "totp_credential"
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    # The server must read it back to check codes, so it is encrypted, not hashed (fieldcrypt.py).
    encrypted_secret: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_step: Mapped[int] = mapped_column(Integer, default=0)  # a code is accepted once (no replay)


class RecoveryCode(db.Model):
    """One-time recovery codes for a lost authenticator (hashed)."""

    __tablename__ = "recovery_code"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class RateLimitCounter(db.Model):
    """A fixed-window counter of the login throttle, shared by every worker process."""

    __tablename__ = "rate_limit_counter"
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # unix time
