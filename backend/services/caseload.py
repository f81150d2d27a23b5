"""The caseload overview: each visible young person with the flags that need action today.

The rules (`compute_flags` and its helpers, `backend.services.caseload_rules`) are pure functions
of plain data, so they can be tested to the minute; `load_caseload` gathers that data with the same
access rules as the API (`visible_youth_ids`, `item_visible`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

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
    PlacementFollowUp,
    Plan,
    User,
    WorkHours,
    Youth,
)
from backend.services.caseload_rules import (  # noqa: F401 - the caseload's names, one import away
    CONTACT_DAYS,
    FLAG_KEYS,
    FLAG_LABELS,
    SORT_KEYS,
    URGENCY,
    Flag,
    Snapshot,
    compute_flags,
    no_shows_today,
)
from backend.services.steps import HOURS_COLUMNS, current_steps, hours_record
from backend.sync.records import MODELS
from shared.enums import TargetGroup, label_da
from shared.steps import STEPS, Step, step_info

__all__ = ["LOCAL_TZ", "local_now", "no_shows_today", "load_snapshots", "load_caseload", "unresolved_conflicts"]

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
    # (query argument, Filters field, the values it may take, what we say when it may not)
    rules = (
        ("flag", "flag", set(FLAG_KEYS), "Ukendt markering i filteret – viser alle."),
        (
            "target_group",
            "target_group",
            {t.value for t in TargetGroup} | {"none"},
            "Ukendt målgruppe i filteret – viser alle.",
        ),
        ("mentor", "mentor", set(mentor_ids) | {"none"}, "Ukendt mentor i filteret – viser alle."),
        ("step", "step", set(STEPS) | {"none"}, "Ukendt trin i filteret – viser alle."),
        ("sort", "sort", set(SORT_KEYS), "Ukendt sortering – sorterer efter mest hastende."),
        ("dir", "direction", {"asc", "desc"}, "Ukendt sorteringsretning."),
    )
    for arg, field, allowed, error in rules:
        value = (args.get(arg) or "").strip()
        if value in allowed:
            setattr(f, field, value)
        elif value:
            errors.append(error)
    if not (args.get("dir") or "").strip() and f.sort not in ("flags", "urgency"):
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
    snaps: dict[str, Snapshot] = {}
    if not youth_ids:
        return snaps
    for yid, outcome, created in db.session.execute(
        select(Youth.id, Youth.outcome, Youth.created_at).where(Youth.id.in_(youth_ids), Youth.deleted.is_(False))
    ):
        snaps[yid] = Snapshot(
            active=(outcome or "active") == "active", followed_since=to_local(created).date() if created else None
        )
    if snaps:
        today = now.date()
        window_start = min(today - timedelta(days=today.weekday()), today - timedelta(days=CONTACT_DAYS + 1))
        for load in (_load_plans, _load_activities, _load_attendance, _load_agreements, _load_assessments):
            load(user, snaps, today, window_start)
        for load in (_load_contacts, _load_conflicts, _load_company_agreements, _load_hours):
            load(user, snaps, today, window_start)
    return snaps


def _load_plans(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    for r in _rows(Plan, list(snaps), Plan.start_date):
        snaps[r.youth_id].plan_start = r.start_date
        snaps[r.youth_id].followed_since = r.start_date


def _load_activities(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    cols = ("id", "title", "weekdays", "start_time", "end_time", "start_date", "end_date")
    for r in _rows(Activity, list(snaps), *(getattr(Activity, c) for c in cols)):
        if _visible(user, r):
            act = {c: getattr(r, c) for c in cols}
            snaps[r.youth_id].activities.append({**act, "weekdays": list(r.weekdays or [])})


def _load_attendance(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    for r in _rows(
        Attendance,
        list(snaps),
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


def _load_agreements(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    cols = (Agreement.status, Agreement.due_date, Agreement.text)
    for r in _rows(Agreement, list(snaps), *cols, where=(Agreement.status == "open", Agreement.due_date < today)):
        if _visible(user, r):
            snaps[r.youth_id].agreements.append({"status": r.status, "due_date": r.due_date, "text": r.text})


def _load_assessments(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    for r in _rows(Assessment, list(snaps), Assessment.due_date, where=(Assessment.submitted_at.is_not(None),)):
        if _visible(user, r):
            snaps[r.youth_id].submitted_due_dates.add(r.due_date)


def _load_contacts(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    # Bound in UTC: SQLite stores instants without their offset.
    since = datetime.combine(window_start, datetime.min.time(), tzinfo=LOCAL_TZ).astimezone(UTC)
    where = (Outreach.reached.is_(True), Outreach.contacted_at >= since)
    for r in _rows(Outreach, list(snaps), Outreach.contacted_at, where=where):
        if _visible(user, r):
            snaps[r.youth_id].reached_contacts.append(to_local(r.contacted_at))


def _load_conflicts(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    for c in unresolved_conflicts(user, list(snaps)):
        snaps[c.youth_id].unresolved_conflicts += 1


def _load_company_agreements(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    """Agreements with their follow-ups (each follow-up visible on its own, like its agreement)."""
    ups: dict[str, list[dict]] = {}
    cols = (PlacementFollowUp.company_agreement_id, PlacementFollowUp.due_date, PlacementFollowUp.done_date)
    for r in _rows(PlacementFollowUp, list(snaps), *cols):
        if _visible(user, r):
            ups.setdefault(r.company_agreement_id, []).append({"due_date": r.due_date, "done_date": r.done_date})
    cols = (CompanyAgreement.id, CompanyAgreement.company, CompanyAgreement.start_date, CompanyAgreement.end_date)
    for r in _rows(CompanyAgreement, list(snaps), *cols):
        if _visible(user, r):
            snaps[r.youth_id].company_agreements.append(
                {
                    "company": r.company,
                    "start_date": r.start_date,
                    "end_date": r.end_date,
                    "follow_ups": ups.get(r.id, []),
                }
            )


def _load_hours(user: User, snaps: dict[str, Snapshot], today: date, window_start: date) -> None:
    """Ordinary hours of the last months, for young people in trin 3 only (the exit flag)."""
    steps = current_steps(list(snaps), today)
    for yid, step in steps.items():
        snaps[yid].step = step
    in_trin3 = [yid for yid, step in steps.items() if step == Step.VIRKSOMHEDSFORLOEB]
    if not in_trin3:
        return
    since = date(today.year - 1, today.month, 1)
    for r in _rows(WorkHours, in_trin3, *HOURS_COLUMNS, where=(WorkHours.period_start >= since - timedelta(days=7),)):
        if _visible(user, r):
            snaps[r.youth_id].hours.append(hours_record(r))


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
            snaps[y.id].step,
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
