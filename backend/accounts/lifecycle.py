"""The user lifecycle: deactivate, reactivate, one-time password links, changing a password and
resetting two-factor login. Each ends what it must at once: web sessions (rows in web_session)
and, where the account may be in the wrong hands, every device token."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from backend import audit
from backend.accounts import sessions, twofactor
from backend.accounts.models import PasswordReset, WebSession
from backend.accounts.policy import check_password
from backend.admin import AdminError
from backend.auth import KEEPS_DATA, REASON_DEACTIVATED, REASON_PASSWORD_RESET, hash_password, verify_password
from backend.extensions import db
from backend.models import DeviceToken, User, utcnow

RESET_PATH = "/adgangskode/"


def find_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        raise AdminError(f"Brugeren {username} findes ikke.")
    return user


def revoke_everything(user: User, reason: str) -> tuple[int, int]:
    """End every web session and revoke every device token of `user` for `reason` (whether the
    phones wipe themselves: backend.auth.REASON_*); (sessions, tokens)."""
    n_sessions = sessions.end_all(user.id)
    now = utcnow()
    mine = DeviceToken.user_id == user.id
    n_tokens = (
        db.session.execute(
            update(DeviceToken)
            .where(mine, DeviceToken.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
        ).rowcount
        or 0
    )
    if reason not in KEEPS_DATA:
        # Phones a password reset signed out still hold data: closing the account wipes them too.
        db.session.execute(
            update(DeviceToken).where(mine, DeviceToken.revoked_reason.in_(KEEPS_DATA)).values(revoked_reason=reason)
        )
    return n_sessions, n_tokens


def deactivate(user: User, actor: User | None, channel: str = "cli") -> tuple[int, int]:
    """Lock the account: no login, and every token and web session ends now."""
    if actor is not None and actor.id == user.id:
        raise AdminError("Du kan ikke deaktivere dig selv.")
    user.active = False
    counts = revoke_everything(user, REASON_DEACTIVATED)
    audit.record(actor, "deactivate_user", detail=f"user={user.username}", channel=channel)
    db.session.commit()
    return counts


def reactivate(user: User, actor: User | None, channel: str = "cli") -> None:
    user.active = True
    audit.record(actor, "reactivate_user", detail=f"user={user.username}", channel=channel)
    db.session.commit()


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def issue_reset(user: User, actor: User | None, channel: str = "cli") -> str:
    """A one-time code for setting a new password (earlier unused codes stop working). The old
    password keeps working until the new one is set; only the code's hash is stored."""
    now = utcnow()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    code = secrets.token_urlsafe(32)
    hours = int(current_app.config.get("PASSWORD_RESET_HOURS", 24))
    db.session.add(PasswordReset(user_id=user.id, code_hash=_digest(code), expires_at=now + timedelta(hours=hours)))
    audit.record(actor, "password_reset_link", detail=f"user={user.username}", channel=channel)
    db.session.commit()
    return code


def reset_link(code: str) -> str:
    """The link to give the user (TRINVIS_PUBLIC_URL in front when set)."""
    return f"{current_app.config.get('PUBLIC_URL', '')}{RESET_PATH}{code}"


def reset_target(code: str) -> User | None:
    """The active user a valid, unused, unexpired code belongs to."""
    if not isinstance(code, str) or not 20 <= len(code) <= 100:
        return None
    row = db.session.scalar(select(PasswordReset).where(PasswordReset.code_hash == _digest(code)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.active else None


def use_reset(code: str, new_password: str) -> User:
    """Set the password through a one-time code. Everything the old password opened ends: web
    sessions and device tokens. The tokens end as "signed out", not as a lost phone: the phone
    keeps its data, asks for the new password, and then sends the changes that waited."""
    user = reset_target(code)
    if user is None:
        raise AdminError("Linket er ugyldigt, brugt eller udløbet. Bed din administrator om et nyt.")
    check_password(new_password, user.role, (user.username, user.display_name))
    row = db.session.scalar(select(PasswordReset).where(PasswordReset.code_hash == _digest(code)))
    row.used_at = utcnow()
    user.password_hash = hash_password(new_password)
    revoke_everything(user, REASON_PASSWORD_RESET)
    audit.record(user, "password_reset", detail="one-time link", channel="web")
    db.session.commit()
    return user


def change_password(user: User, current: WebSession | None, old: str, new: str) -> None:
    """The user's own change: the old password must be right; the user's other web sessions end
    (this one goes on under a new id); device tokens stay (the user is who they say)."""
    if not verify_password(user.password_hash, old or ""):
        raise AdminError("Den nuværende adgangskode er forkert.")
    if old == new:
        raise AdminError("Den nye adgangskode skal være en anden end den nuværende.")
    check_password(new, user.role, (user.username, user.display_name))
    user.password_hash = hash_password(new)
    sessions.end_all(user.id, keep=current)
    audit.record(user, "password_change", channel="web")
    db.session.commit()


def reset_two_factor(user: User, actor: User | None, channel: str = "cli") -> None:
    """Remove the user's TOTP and recovery codes (lost phone) and end their web sessions."""
    twofactor.reset(user)
    sessions.end_all(user.id)
    audit.record(actor, "reset_2fa", detail=f"user={user.username}", channel=channel)
    db.session.commit()
