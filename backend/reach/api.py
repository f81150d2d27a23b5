"""`GET /api/v1/me/contacts`: whom the young person can call — their mentor's name and work phone.

The organisations' on-call numbers and opening hours come by sync; the mentor is a user, not a
case record, so the app fetches this after each sync and keeps it for when it is offline.
"""

from __future__ import annotations

from flask import Blueprint, g
from sqlalchemy import select

from backend.auth import token_required
from backend.errors import ApiError
from backend.extensions import db
from backend.models import User, Youth
from shared.enums import Role

bp = Blueprint("reach_api", __name__, url_prefix="/api/v1")


@bp.get("/me/contacts")
@token_required
def my_contacts():
    """For a young person: their mentor (name, work phone, organisation), or null."""
    if g.user.role != Role.YOUTH:
        raise ApiError(403, "forbidden", "Kun for den unge selv.")
    youth = db.session.scalar(select(Youth).where(Youth.user_id == g.user.id, Youth.deleted.is_(False)))
    mentor = db.session.get(User, youth.mentor_id) if youth is not None and youth.mentor_id else None
    if mentor is None or not mentor.active:
        return {"mentor": None}
    return {"mentor": {"name": mentor.display_name, "phone": mentor.phone, "organization_id": mentor.organization_id}}
