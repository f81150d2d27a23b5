"""'Kontaktforsøg': what a caseworker attaches to a partshøring before a sanction — every contact
attempt in a period, the absences and their reasons, and the agreements in force.

The law (source 002) asks that every reasonable possibility of personal contact is used before
a sanction; this gathers what Trinvis knows, with the same visibility rules as the plan page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from backend.clock import LOCAL_TZ
from backend.extensions import db
from backend.models import Activity, Agreement, Attendance, Outreach, User, Youth
from backend.services.plan_view import _visible_rows, visible_youth

DEFAULT_DAYS = 30
MAX_DAYS = 366
ABSENCES = ("absent_notified", "absent_unnotified")


@dataclass
class ContactRecord:
    youth: Youth
    start: date
    end: date
    attempts: list[Outreach] = field(default_factory=list)
    absences: list[tuple[Attendance, str]] = field(default_factory=list)  # with the activity's title
    agreements: list[Agreement] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def reached(self) -> int:
        return sum(1 for o in self.attempts if o.reached)

    def counts(self) -> dict[str, int]:
        return {
            "youth": 1,
            "outreach": len(self.attempts),
            "attendance": len(self.absences),
            "agreement": len(self.agreements),
        }


def parse_period(start_raw: str | None, end_raw: str | None, today: date) -> tuple[date, date, str | None]:
    """The period from the form (default: the last 30 days); a Danish message when it was bad."""
    try:
        end = date.fromisoformat(end_raw) if end_raw else today
        start = date.fromisoformat(start_raw) if start_raw else end - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        return today - timedelta(days=DEFAULT_DAYS - 1), today, "Ugyldig dato – viser de seneste 30 dage."
    if start > end:
        return end, start, "Fra-datoen lå efter til-datoen – de er byttet om."
    if (end - start).days >= MAX_DAYS:
        return end - timedelta(days=MAX_DAYS - 1), end, "Højst et år ad gangen – perioden er kortet af."
    return start, end, None


def _instant(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TZ).astimezone(UTC)


def load_contact_record(user: User, youth_id: str, start: date, end: date) -> ContactRecord | None:
    """The record for local days start..end inclusive, or None when the young person is not visible."""
    youth = visible_youth(user, youth_id)
    if youth is None:
        return None
    rec = ContactRecord(youth, start, end)
    lo, hi = _instant(start), _instant(end + timedelta(days=1))
    rec.attempts = [
        o for o in _visible_rows(user, Outreach, youth.id, (Outreach.contacted_at,)) if lo <= o.contacted_at < hi
    ]
    titles = {a.id: a.title for a in _visible_rows(user, Activity, youth.id, (Activity.title,))}
    rec.absences = [
        (a, titles.get(a.activity_id, "Aktivitet"))
        for a in _visible_rows(user, Attendance, youth.id, (Attendance.date,))
        if start <= a.date <= end and a.status in ABSENCES
    ]
    # In force in the period: made by its end, and still open or followed up after it began.
    rec.agreements = [
        a
        for a in _visible_rows(user, Agreement, youth.id, (Agreement.due_date,))
        if a.created_at < hi and (a.status == "open" or (a.reviewed_at or hi) >= lo)
    ]
    ids = {o.user_id for o in rec.attempts if o.user_id}
    if ids:
        rec.names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
    return rec
