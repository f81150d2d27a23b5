"""The demo's contact details and this morning's reminders (run by `seed-demo`, idempotent).

The numbers are fictitious (docs/decisions.md: no official Danish range is reserved for fiction;
the demo never sends to them — its reminders only go to the outbox).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend.admin import set_org_contact, set_user_phone, system_write, youth_of
from backend.clock import local_now
from backend.clock import now as clock_now
from backend.extensions import db
from backend.models import Organization, SmsMessage, User
from backend.reminders.senders import OutboxSender
from backend.reminders.service import RunResult, deliver_due, plan_day

DEMO_PHONES = {"ung.mads": ("+4531123456", "Efter kl. 9, helst sms først"), "ung.sara": ("+4540123456", "Formiddag")}
DEMO_STAFF_PHONES = {"mentor.lise": "+4532123456"}
DEMO_ON_CALL = {
    "Jobcenter": "+4570123456",
    "UU": "+4570123457",
    "Bostøtte": "+4570123458",
    "Rusmiddelcenter": "+4570123459",
}


def seed_reach_demo(now: datetime | None = None) -> str | None:
    """Numbers, opening hours, and today's reminders: sent (to the outbox) if due, else waiting."""
    now = now or clock_now()
    for username, (phone, best) in DEMO_PHONES.items():
        y = youth_of(username)
        if y.phone is None:
            system_write(
                [
                    {
                        "entity": "youth",
                        "id": y.id,
                        "data": {"id": y.id, "youth_id": y.id, "phone": phone, "contact_time": best},
                    }
                ]
            )
    for username, phone in DEMO_STAFF_PHONES.items():
        if db.session.scalar(select(User.phone).where(User.username == username)) is None:
            set_user_phone(username, phone)
    for org, phone in DEMO_ON_CALL.items():
        if db.session.scalar(select(Organization.on_call_phone).where(Organization.name == org)) is None:
            set_org_contact(org, phone, "0-4", "08:00", "15:30")
    planned = plan_day(local_now(now).date())
    result = RunResult(planned=planned)
    # The same sending code as `send-reminders`, at each reminder's own time this morning.
    dues = db.session.scalars(
        select(SmsMessage.due_at)
        .where(SmsMessage.status == "pending", SmsMessage.due_at <= now)
        .order_by(SmsMessage.due_at)
    ).all()
    for due in dict.fromkeys(dues):
        deliver_due(due, OutboxSender(), result)
    db.session.remove()
    return (
        f"Sms-udbakke: {planned} {'påmindelse' if planned == 1 else 'påmindelser'} i dag, "
        f"{result.sent} sendt til udbakken."
        if planned
        else None
    )
