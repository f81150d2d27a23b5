"""Server-side web sessions: the signed Flask cookie carries only a random session id; the
`web_session` row is the session. Logout, a password change, deactivation and the idle timeout
delete rows, so a captured cookie is dead at once (a signed cookie alone would live on)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, session
from sqlalchemy import delete, select

from backend.accounts.models import WebSession
from backend.extensions import db
from backend.models import User, utcnow

TOUCH_SECONDS = 30  # last_seen_at is written at most this often (not a write per page view)


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start(user: User, stage: str = "full") -> WebSession:
    """A new session for `user` (the old one of this browser ends: a fresh id at every login)."""
    end_current()
    session.clear()
    sid = secrets.token_urlsafe(32)
    row = WebSession(sid_hash=_digest(sid), user_id=user.id, stage=stage)
    db.session.add(row)
    db.session.flush()
    session["sid"] = sid
    g.pop("web_session", None)
    return row


def promote(row: WebSession) -> None:
    """The second factor is done: the session becomes full, under a new id (no fixation)."""
    user = db.session.get(User, row.user_id)
    keep = {k: session[k] for k in ("next",) if k in session}
    start(user, "full")
    session.update(keep)


def _expired(row: WebSession, now) -> bool:
    idle = timedelta(minutes=int(current_app.config.get("WEB_IDLE_MINUTES", 30)))
    longest = timedelta(hours=int(current_app.config.get("WEB_SESSION_MAX_HOURS", 12)))
    return now - row.last_seen_at > idle or now - row.created_at > longest


def current() -> tuple[WebSession, User] | None:
    """This browser's live session and its active user, or None (an expired one is deleted)."""
    if "web_session" in g:
        return g.web_session
    found = None
    sid = session.get("sid")
    if isinstance(sid, str) and sid:
        row = db.session.scalar(select(WebSession).where(WebSession.sid_hash == _digest(sid)))
        now = utcnow()
        if row is None:
            session.clear()
        elif _expired(row, now):
            db.session.delete(row)
            db.session.commit()
            session.clear()
            g.session_expired = True
        else:
            user = db.session.get(User, row.user_id)
            if user is None or not user.active:
                session.clear()
            else:
                found = (row, user)
                if (now - row.last_seen_at).total_seconds() >= TOUCH_SECONDS:
                    row.last_seen_at = now
                    db.session.commit()
    g.web_session = found
    return found


def end_current() -> None:
    """Delete this browser's session row (logout); the cookie's id then opens nothing."""
    sid = session.get("sid")
    if isinstance(sid, str) and sid:
        db.session.execute(delete(WebSession).where(WebSession.sid_hash == _digest(sid)))
    g.pop("web_session", None)


def end_all(user_id: str, keep: WebSession | None = None) -> int:
    """End every browser session of a user (deactivation, password change, reset); returns how many."""
    q = delete(WebSession).where(WebSession.user_id == user_id)
    if keep is not None:
        q = q.where(WebSession.id != keep.id)
    return db.session.execute(q).rowcount or 0
