"""The SMS outbox page for staff (`/sms`): every message of a day to the young people they follow."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from backend import clock
from backend.access import visible_youth_ids
from backend.extensions import db
from backend.models import SmsMessage, Youth
from backend.web.common import audit_read, current_user, login_required
from shared.enums import Role

bp = Blueprint("reminders", __name__, template_folder="templates")

STATUS_DA = {
    "pending": "Venter",
    "sending": "Sendes",
    "sent": "Sendt",
    "failed": "Fejlede – prøves igen",
    "expired": "Ikke sendt (for sent)",
    "cancelled": "Annulleret (slået fra)",
}

STAFF_WHO_SEE_NUMBERS = (Role.COORDINATOR, Role.MENTOR)
"""The mentor and the coordinator call and text the young person; partners do not need the outbox."""


@bp.get("/sms")
@login_required
def outbox():
    """The day's messages (default today) for the young people the user follows."""
    user = current_user()
    if user.role not in STAFF_WHO_SEE_NUMBERS:
        abort(403)
    try:
        day = date.fromisoformat(request.args.get("day") or clock.today().isoformat())
    except ValueError:
        day, error = clock.today(), "Ugyldig dato – viser i dag."
    else:
        error = None
    ids = visible_youth_ids(user)
    rows = (
        db.session.execute(
            select(SmsMessage, Youth.display_name)
            .join(Youth, Youth.id == SmsMessage.youth_id)
            .where(SmsMessage.day == day, SmsMessage.youth_id.in_(ids))
            .order_by(SmsMessage.due_at, Youth.display_name)
        ).all()
        if ids
        else []
    )
    counts: dict = {}
    for msg, _ in rows:
        counts[(msg.youth_id, "sms_outbox")] = counts.get((msg.youth_id, "sms_outbox"), 0) + 1
    audit_read(user, counts, "sms outbox")
    db.session.commit()
    return render_template("sms_outbox.html", rows=rows, day=day, status_da=STATUS_DA, error=error)
