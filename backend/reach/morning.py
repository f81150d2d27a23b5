"""The mentor's morning list: who has not come to today's activity, how to reach them, and the
attempts made today. Built on the caseload's snapshots (`no_shows_today`), with the same access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.access import item_visible, visible_youth_ids
from backend.clock import LOCAL_TZ, local_now, to_local
from backend.extensions import db
from backend.models import Outreach, User, Youth
from backend.services.caseload import load_snapshots, no_shows_today
from backend.web.privacy import private_marker
from shared.contact import format_phone, kind_text, sms_link, tel_link
from shared.enums import Role

REACHING_ROLES = (Role.MENTOR, Role.COORDINATOR)
"""Who calls and texts the young person (and so sees their number and the outreach list)."""


@dataclass
class MorningRow:
    youth_id: str
    name: str
    phone: str | None
    contact_time: str
    missed: list[dict]
    attempts: list[dict] = field(default_factory=list)  # method, at (local), reached, who

    @property
    def phone_shown(self) -> str:
        return format_phone(self.phone)

    @property
    def tel(self) -> str:
        return tel_link(self.phone) if self.phone else ""

    @property
    def reached_today(self) -> bool:
        return any(a["reached"] for a in self.attempts)

    def sms(self, staff_name: str) -> str:
        if not self.phone:
            return ""
        first = self.missed[0]
        return sms_link(self.phone, kind_text(self.name, first["title"], first["start_time"], staff_name))


def morning_list(user: User, now: datetime | None = None) -> list[MorningRow]:
    """Today's no-shows among the young people `user` follows (empty for other roles)."""
    if user.role not in REACHING_ROLES:
        return []
    local = local_now(now)
    ids = sorted(visible_youth_ids(user))
    snaps = load_snapshots(user, ids, local)
    missed = {yid: no_shows_today(s, local) for yid, s in snaps.items() if s.active}
    missed = {yid: m for yid, m in missed.items() if m}
    if not missed:
        return []
    youths = db.session.scalars(select(Youth).where(Youth.id.in_(list(missed)))).all()
    rows = {y.id: MorningRow(y.id, y.display_name, y.phone, y.contact_time or "", missed[y.id]) for y in youths}
    for o in todays_attempts(user, list(rows), local):
        rows[o["youth_id"]].attempts.append(o)
    return sorted(rows.values(), key=lambda r: (r.reached_today, r.missed[0]["start_time"], r.name.casefold()))


def todays_attempts(user: User, youth_ids: list[str], local: datetime) -> list[dict]:
    """Contact attempts today (local day) on these young people that `user` may see, oldest first."""
    start = datetime.combine(local.date(), datetime.min.time(), tzinfo=LOCAL_TZ).astimezone(UTC)
    rows = db.session.scalars(
        select(Outreach)
        .where(
            Outreach.youth_id.in_(youth_ids),
            Outreach.deleted.is_(False),
            Outreach.contacted_at >= start,
            Outreach.contacted_at < start + timedelta(days=1, hours=1),
        )
        .order_by(Outreach.contacted_at)
    ).all()
    names = (
        dict(
            db.session.execute(
                select(User.id, User.display_name).where(User.id.in_({o.user_id for o in rows if o.user_id}))
            ).all()
        )
        if rows
        else {}
    )
    return [
        {
            "id": o.id,
            "youth_id": o.youth_id,
            "method": o.method,
            "at": to_local(o.contacted_at),
            "reached": o.reached,
            "who": names.get(o.user_id, ""),
            "version": o.version,
            "note": o.note,
            "private": private_marker("outreach", o),
        }
        for o in rows
        # the shared rule with the attempt's own visibility (issue 9: outreach can be organisation-only)
        if item_visible(user, o.organization_id, o.visibility) and to_local(o.contacted_at).date() == local.date()
    ]
