"""The caseload overview: each visible young person with the flags that need action today.

The rules (`compute_flags` and its helpers) are pure functions of plain data, so they can be
tested to the minute; `load_caseload` gathers that data with the same access rules as the API
(`visible_youth_ids`, `item_visible`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from backend.access import item_visible, visible_youth_ids
from backend.clock import LOCAL_TZ, local_now, to_local
from backend.extensions import db
from backend.models import (
    Activity,
    Agreement,
    Assessment,
    Attendance,
    CompanyAgreement,
    Conflict,
    Outreach,
    Plan,
    User,
    Youth,
)
from backend.services.steps import current_steps
from backend.sync.records import MODELS
from shared.company import follow_up_state
from shared.enums import TargetGroup, label_da
from shared.schedule import not_checked_in, occurs_on, overdue_assessment
from shared.steps import STEPS, step_info

UNREACHED_AT = time(12, 0)
"""A no-show nobody has reached by this local time is flagged to the coordinator (issue 13)."""

CONTACT_DAYS = 30
"""The monthly minimum: a young person must have been in personal contact within this many days."""

FLAG_LABELS: dict[str, str] = {
    "not_checked_in": "Ikke tjekket ind i dag",
    "unexplained_absence": "Udeblevet uden besked i denne uge",
    "agreement_overdue": "Aftale overskredet",
    "assessment_overdue": "Progressionsmåling forsinket",
    "conflict": "Uløst synkroniseringskonflikt",
    "no_contact": "Ingen kontakt i 30 dage",
    "company_follow_up": "Opfølgning på virksomhedsaftale",
    "unreached": "Udeblevet i dag og ikke fået fat i",
}
FLAG_KEYS = tuple(FLAG_LABELS)

SORT_KEYS = {
    "urgency": "Mest hastende",
    "name": "Navn",
    "flags": "Antal markeringer",
    "target_group": "Målgruppe",
    "mentor": "Mentor",
}
URGENCY = (
    "unreached",
    "not_checked_in",
    "unexplained_absence",
    "no_contact",
    "agreement_overdue",
    "company_follow_up",
    "assessment_overdue",
    "conflict",
)
"""Flags from the most to the least urgent: today's no-show first (someone should call now), a
conflict last (it waits for a quiet moment). The caseload's default order compares young people by
their most urgent flag, then the next, then the number of flags."""


# ---- pure rules ------------------------------------------------------------------------------


@dataclass
class Flag:
    key: str
    detail: str

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.key]


@dataclass
class Snapshot:
    """What the flag rules need to know about one young person (only items the viewer may see)."""

    active: bool = True
    plan_start: date | None = None
    followed_since: date | None = None  # plan start, else when the young person was registered
    activities: list[dict] = field(
        default_factory=list
    )  # id, title, weekdays, start_time, end_time, start_date, end_date
    attendance: list[dict] = field(default_factory=list)  # activity_id, date, status, self_checked_in_at (local)
    agreements: list[dict] = field(default_factory=list)  # status, due_date, text
    submitted_due_dates: set[date] = field(default_factory=set)
    unresolved_conflicts: int = 0
    reached_contacts: list[datetime] = field(default_factory=list)  # local time of outreach that reached
    company_agreements: list[dict] = field(default_factory=list)  # company, start_date, end_date, follow_ups


def missing_check_ins(snap: Snapshot, now: datetime) -> list[dict]:
    """Activities today that started more than the grace period ago without a check-in or notice.

    `now` is local wall-clock time. Any attendance record with a status or a check-in time for
    that activity and day counts: the young person checked in, called in, or staff registered it.
    """
    today = now.date()
    handled = {
        a["activity_id"]
        for a in snap.attendance
        if a["date"] == today and (a.get("status") or a.get("self_checked_in_at"))
    }
    return [
        a
        for a in snap.activities
        if occurs_on(a["weekdays"], a["start_date"], a["end_date"], today)
        and not_checked_in(a["start_time"], today, now)
        and a["id"] not in handled
    ]


def no_shows_today(snap: Snapshot, now: datetime) -> list[dict]:
    """Today's activities the young person has missed: not checked in past the grace period, or
    registered as absent without notice (the mentor's morning list, issue 13)."""
    today = now.date()
    unnotified = {
        a["activity_id"] for a in snap.attendance if a["date"] == today and a.get("status") == "absent_unnotified"
    }
    missed = missing_check_ins(snap, now)
    missed += [a for a in snap.activities if a["id"] in unnotified and a not in missed]
    return sorted(missed, key=lambda a: a["start_time"])


def unreached_no_show(snap: Snapshot, now: datetime) -> bool:
    """From noon: a no-show today and no contact attempt today that reached the young person."""
    if now.time() < UNREACHED_AT or not no_shows_today(snap, now):
        return False
    return not any(c.date() == now.date() for c in snap.reached_contacts)


def unexplained_absences_this_week(snap: Snapshot, today: date) -> list[dict]:
    """Unnotified absences from Monday of this week up to and including today."""
    monday = today - timedelta(days=today.weekday())
    return [a for a in snap.attendance if a.get("status") == "absent_unnotified" and monday <= a["date"] <= today]


def overdue_agreements(snap: Snapshot, today: date) -> list[dict]:
    """Open agreements whose due date has passed (due today is not yet overdue)."""
    return [a for a in snap.agreements if a["status"] == "open" and a["due_date"] < today]


def last_contact(snap: Snapshot) -> date | None:
    """The last day of real personal contact: a contact record that reached the young person (a
    call answered, a visit, a conversation, a text answered). Attendance at an activity does not
    count (issue 13; docs/decisions.md): turning up is not a talk with the caseworker."""
    days = [c.date() for c in snap.reached_contacts]
    return max(days) if days else None


def no_contact(snap: Snapshot, today: date) -> bool:
    """No contact for CONTACT_DAYS days (counted from the last contact, or from when the case began)."""
    since = last_contact(snap) or snap.followed_since
    return since is not None and (today - since).days >= CONTACT_DAYS


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def compute_flags(snap: Snapshot, now: datetime) -> list[Flag]:
    """The flags for one young person at local time `now`; none for a finished case."""
    if not snap.active:
        return []
    today = now.date()
    flags: list[Flag] = []
    missing = missing_check_ins(snap, now)
    if missing:
        flags.append(Flag("not_checked_in", ", ".join(f"{a['title']} kl. {a['start_time']}" for a in missing)))
    if unreached_no_show(snap, now):
        flags.append(Flag("unreached", "ingen har fået fat i den unge i dag"))
    absences = unexplained_absences_this_week(snap, today)
    if absences:
        flags.append(Flag("unexplained_absence", _count(len(absences), "gang", "gange")))
    overdue = overdue_agreements(snap, today)
    if overdue:
        flags.append(Flag("agreement_overdue", _count(len(overdue), "aftale", "aftaler")))
    due = overdue_assessment(snap.plan_start, snap.submitted_due_dates, today)
    if due is not None:
        flags.append(Flag("assessment_overdue", f"skulle være lavet {due.strftime('%d.%m.%Y')}"))
    if snap.unresolved_conflicts:
        flags.append(Flag("conflict", _count(snap.unresolved_conflicts, "konflikt", "konflikter")))
    if no_contact(snap, today):
        last = last_contact(snap)
        flags.append(Flag("no_contact", f"sidst {last.strftime('%d.%m.%Y')}" if last else "ingen kontakt registreret"))
    company = company_follow_up_detail(snap.company_agreements, today)
    if company:
        flags.append(Flag("company_follow_up", company))
    return flags


COMPANY_STATES = {"overdue": "forfalden siden {day}", "due": "i dag", "unplanned": "ingen planlagt inden {day}"}


def company_follow_up_detail(agreements: list[dict], today: date) -> str:
    """'<company>: <state>' for each company agreement whose follow-up is due, overdue or not planned."""
    out = []
    for ag in agreements:
        st = follow_up_state(ag, today)
        if st.state in COMPANY_STATES:
            day = st.day.strftime("%d.%m.%Y") if st.day else ""
            out.append(f"{ag['company']}: {COMPANY_STATES[st.state].format(day=day)}")
    return "; ".join(out)


# ---- filters -----------------------------------------------------------------------------------


@dataclass
class Filters:
    flag: str = ""
    target_group: str = ""
    mentor: str = ""
    step: str = ""
    sort: str = "urgency"
    direction: str = "desc"


def parse_filters(args, mentor_ids: set[str]) -> tuple[Filters, list[str]]:
    """Filters from query arguments; bad values are dropped with a Danish message each."""
    f = Filters()
    errors: list[str] = []
    flag = (args.get("flag") or "").strip()
    if flag:
        if flag in FLAG_KEYS:
            f.flag = flag
        else:
            errors.append("Ukendt markering i filteret – viser alle.")
    tg = (args.get("target_group") or "").strip()
    if tg:
        if tg in {t.value for t in TargetGroup} or tg == "none":
            f.target_group = tg
        else:
            errors.append("Ukendt målgruppe i filteret – viser alle.")
    mentor = (args.get("mentor") or "").strip()
    if mentor:
        if mentor in mentor_ids or mentor == "none":
            f.mentor = mentor
        else:
            errors.append("Ukendt mentor i filteret – viser alle.")
    step = (args.get("step") or "").strip()
    if step:
        if step in STEPS or step == "none":
            f.step = step
        else:
            errors.append("Ukendt trin i filteret – viser alle.")
    sort = (args.get("sort") or "").strip()
    if sort:
        if sort in SORT_KEYS:
            f.sort = sort
        else:
            errors.append("Ukendt sortering – sorterer efter mest hastende.")
    direction = (args.get("dir") or "").strip()
    if direction:
        if direction in ("asc", "desc"):
            f.direction = direction
        else:
            errors.append("Ukendt sorteringsretning.")
    elif f.sort not in ("flags", "urgency"):
        f.direction = "asc"  # names and labels read A→Z by default, flags most (and most urgent) first
    return f, errors


# ---- loading -----------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    youth_id: str
    display_name: str
    target_group: str | None
    outcome: str
    mentor_id: str | None
    mentor_name: str
    coordinator_name: str
    flags: list[Flag]
    step: str | None = None  # the step (trin) today; None: not placed

    @property
    def step_title(self) -> str:
        info = step_info(self.step)
        return info.title if info else "Ikke placeret"

    @property
    def target_group_label(self) -> str:
        return label_da(self.target_group) if self.target_group else "Ikke angivet"

    @property
    def flag_keys(self) -> set[str]:
        return {f.key for f in self.flags}


def _visible(user: User, row) -> bool:
    return item_visible(user, getattr(row, "organization_id", None), getattr(row, "visibility", "shared"))


def _rows(model, ids, *cols, where=()):
    """Plain rows (no ORM objects: a large caseload has thousands of attendance rows) of live records."""
    extra = [c for c in ("organization_id", "visibility") if hasattr(model, c)]
    q = select(model.youth_id, *cols, *(getattr(model, c) for c in extra)).where(
        model.youth_id.in_(ids), model.deleted.is_(False), *where
    )
    return db.session.execute(q).all()


def load_snapshots(user: User, youth_ids: list[str], now: datetime) -> dict[str, Snapshot]:
    """Snapshots of the given (already visible) young people with only the items `user` may see."""
    today = now.date()
    window_start = min(today - timedelta(days=today.weekday()), today - timedelta(days=CONTACT_DAYS + 1))
    snaps: dict[str, Snapshot] = {}
    if not youth_ids:
        return snaps
    for yid, outcome, created in db.session.execute(
        select(Youth.id, Youth.outcome, Youth.created_at).where(Youth.id.in_(youth_ids), Youth.deleted.is_(False))
    ):
        snaps[yid] = Snapshot(
            active=(outcome or "active") == "active", followed_since=to_local(created).date() if created else None
        )
    ids = list(snaps)
    if not ids:
        return snaps
    for r in _rows(Plan, ids, Plan.start_date):
        snaps[r.youth_id].plan_start = r.start_date
        snaps[r.youth_id].followed_since = r.start_date
    for r in _rows(
        Activity,
        ids,
        Activity.id,
        Activity.title,
        Activity.weekdays,
        Activity.start_time,
        Activity.end_time,
        Activity.start_date,
        Activity.end_date,
    ):
        if _visible(user, r):
            snaps[r.youth_id].activities.append(
                {
                    "id": r.id,
                    "title": r.title,
                    "weekdays": list(r.weekdays or []),
                    "start_time": r.start_time,
                    "end_time": r.end_time,
                    "start_date": r.start_date,
                    "end_date": r.end_date,
                }
            )
    for r in _rows(
        Attendance,
        ids,
        Attendance.activity_id,
        Attendance.date,
        Attendance.status,
        Attendance.self_checked_in_at,
        where=(Attendance.date >= window_start,),
    ):
        if _visible(user, r):
            snaps[r.youth_id].attendance.append(
                {
                    "activity_id": r.activity_id,
                    "date": r.date,
                    "status": r.status,
                    "self_checked_in_at": to_local(r.self_checked_in_at),
                }
            )
    for r in _rows(
        Agreement,
        ids,
        Agreement.status,
        Agreement.due_date,
        Agreement.text,
        where=(Agreement.status == "open", Agreement.due_date < today),
    ):
        if _visible(user, r):
            snaps[r.youth_id].agreements.append({"status": r.status, "due_date": r.due_date, "text": r.text})
    for r in _rows(Assessment, ids, Assessment.due_date, where=(Assessment.submitted_at.is_not(None),)):
        if _visible(user, r):
            snaps[r.youth_id].submitted_due_dates.add(r.due_date)
    # Bound in UTC: SQLite stores instants without their offset.
    since = datetime.combine(window_start, datetime.min.time(), tzinfo=LOCAL_TZ).astimezone(UTC)
    for r in _rows(
        Outreach, ids, Outreach.contacted_at, where=(Outreach.reached.is_(True), Outreach.contacted_at >= since)
    ):
        if _visible(user, r):
            snaps[r.youth_id].reached_contacts.append(to_local(r.contacted_at))
    for c in unresolved_conflicts(user, ids):
        snaps[c.youth_id].unresolved_conflicts += 1
    for r in _rows(
        CompanyAgreement,
        ids,
        CompanyAgreement.company,
        CompanyAgreement.start_date,
        CompanyAgreement.end_date,
        CompanyAgreement.follow_ups,
    ):
        if _visible(user, r):
            snaps[r.youth_id].company_agreements.append(
                {
                    "company": r.company,
                    "start_date": r.start_date,
                    "end_date": r.end_date,
                    "follow_ups": list(r.follow_ups or []),
                }
            )
    return snaps


def unresolved_conflicts(user: User, youth_ids: list[str]) -> list[Conflict]:
    """Unresolved conflicts on records of these young people that `user` may see."""
    if not youth_ids:
        return []
    rows = db.session.scalars(
        select(Conflict)
        .where(Conflict.youth_id.in_(youth_ids), Conflict.resolved_at.is_(None))
        .order_by(Conflict.created_at)
    ).all()
    out = []
    for c in rows:
        model = MODELS.get(c.entity)
        rec = db.session.get(model, c.record_id) if model else None
        if rec is not None and item_visible(
            user, getattr(rec, "organization_id", None), getattr(rec, "visibility", "shared")
        ):
            out.append(c)
    return out


def load_caseload(user: User, now: datetime | None = None) -> list[CaseloadRow]:
    """Every young person `user` may see, with their flags at `now` (an instant; default: now)."""
    local = local_now(now)
    ids = sorted(visible_youth_ids(user))
    snaps = load_snapshots(user, ids, local)
    youths = db.session.scalars(select(Youth).where(Youth.id.in_(list(snaps)))).all() if snaps else []
    staff_ids = {y.mentor_id for y in youths if y.mentor_id} | {y.coordinator_id for y in youths if y.coordinator_id}
    names = (
        {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(staff_ids)))}
        if staff_ids
        else {}
    )
    steps = current_steps(list(snaps), local.date())
    return [
        CaseloadRow(
            y.id,
            y.display_name,
            y.target_group,
            y.outcome or "active",
            y.mentor_id,
            names.get(y.mentor_id, ""),
            names.get(y.coordinator_id, ""),
            compute_flags(snaps[y.id], local),
            steps.get(y.id),
        )
        for y in youths
    ]


def urgency(row: CaseloadRow) -> tuple:
    """A sort key, larger = more urgent: which URGENCY flags the row has, in order, then how many flags."""
    keys = row.flag_keys
    return (*(k in keys for k in URGENCY), len(row.flags))


def apply_filters(rows: list[CaseloadRow], f: Filters) -> list[CaseloadRow]:
    """Filter and sort caseload rows (pure)."""
    out = rows
    if f.flag:
        out = [r for r in out if f.flag in r.flag_keys]
    if f.target_group:
        want = None if f.target_group == "none" else f.target_group
        out = [r for r in out if r.target_group == want]
    if f.mentor:
        want = None if f.mentor == "none" else f.mentor
        out = [r for r in out if r.mentor_id == want]
    if f.step:
        want = None if f.step == "none" else f.step
        out = [r for r in out if r.step == want]
    # Stable two-pass sort: names stay A→Z within equal primary keys, whatever the direction.
    out = sorted(out, key=lambda r: r.display_name.casefold(), reverse=f.sort == "name" and f.direction == "desc")
    primary = {
        "urgency": urgency,
        "flags": lambda r: len(r.flags),
        "target_group": lambda r: r.target_group_label.casefold(),
        "mentor": lambda r: r.mentor_name.casefold(),
    }.get(f.sort)
    if primary is not None:
        out = sorted(out, key=primary, reverse=f.direction == "desc")
    return out
