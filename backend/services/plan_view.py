"""Read side of one young person's common plan, progression and audit trail.

`load_plan_view` returns only what the viewer may see (backend.access) and the counts per entity
for the audit log; the grouping and calendar rules below are pure functions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from backend.access import as_record, can_see_youth, hidden_fields, item_visible
from backend.clock import to_local
from backend.extensions import db
from backend.models import (
    Activity,
    Agreement,
    Assessment,
    Attendance,
    AuditLog,
    CompanyAgreement,
    Consent,
    Goal,
    GoalProposal,
    Organization,
    Outreach,
    PlacementFollowUp,
    Plan,
    StepChange,
    User,
    WorkHours,
    Youth,
)
from backend.services.steps import hours_overview
from shared.dimensions import DIMENSIONS
from shared.labels import WEEKDAYS_DA_TITLE
from shared.permissions import blank
from shared.schedule import activity_clashes, assessment_due_dates, occurs_on
from shared.schemas import is_uuid

WEEKDAYS_DA = WEEKDAYS_DA_TITLE  # the plan pages start lines with the weekday
CALENDAR_WEEKS = 8


@dataclass
class PlanView:
    youth: Youth
    plan: Plan | None
    coordinator: User | None
    mentor: User | None
    organizations: dict[str, Organization]
    goals: list[Goal]
    activities: list[Activity]
    agreements: list[Agreement]
    attendance: list[Attendance]
    outreach: list[Outreach]
    consents: dict[str, Consent]  # organization id -> consent
    assessments: list[Assessment]
    users: dict[str, User]
    today: date
    counts: dict[str, int] = field(default_factory=dict)
    proposals: list[GoalProposal] = field(default_factory=list)  # the young person's proposed sub-goals
    steps: list[StepChange] = field(default_factory=list)  # the step history, oldest first
    company_agreements: list[CompanyAgreement] = field(default_factory=list)
    work_hours: list[WorkHours] = field(default_factory=list)
    follow_ups: list[PlacementFollowUp] = field(default_factory=list)  # of the agreements, due date order
    contact_hidden: bool = False  # the young person's number and reminder are not for this viewer

    def agreement_facts(self, agreement: CompanyAgreement) -> dict:
        """The agreement as the pure follow-up rules read it (shared/company.py): dates and follow-ups."""
        return {
            "start_date": agreement.start_date,
            "end_date": agreement.end_date,
            "follow_ups": [
                {"id": f.id, "due_date": f.due_date, "done_date": f.done_date, "note": f.note, "version": f.version}
                for f in self.follow_ups
                if f.company_agreement_id == agreement.id
            ],
        }

    @property
    def hours(self):
        """The last six months' ordinary hours against the 30-hour exit rule, and the 3-month flag."""
        return hours_overview(self.work_hours, self.today)

    @property
    def current_step(self) -> StepChange | None:
        """The move in force today (a move dated in the future is not in force yet)."""
        valid = [s for s in self.steps if s.valid_from <= self.today]
        return max(valid, key=lambda s: (s.valid_from, s.changed_at or s.created_at)) if valid else None

    def org_name(self, org_id: str | None) -> str:
        org = self.organizations.get(org_id or "")
        return org.name if org else "Ukendt organisation"

    def user_name(self, user_id: str | None) -> str:
        u = self.users.get(user_id or "")
        return u.display_name if u else ""

    @property
    def goals_by_org(self) -> list[tuple[str, list[Goal]]]:
        return goals_by_org(self.goals, self.org_name)

    @property
    def current_activities(self) -> list[Activity]:
        return [a for a in self.activities if a.end_date is None or a.end_date >= self.today]

    @property
    def clashes(self) -> list[tuple[dict, dict, list[int]]]:
        return activity_clashes([activity_dict(a) for a in self.current_activities])

    @property
    def clash_slots(self) -> dict[tuple[str, int], list[dict]]:
        return clash_slots(self.clashes)

    @property
    def week_grid(self) -> list[tuple[int, str, list[Activity]]]:
        return week_grid(self.current_activities)

    @property
    def agreement_stats(self) -> dict[str, dict]:
        return agreement_stats(self.agreements)

    @property
    def calendar(self) -> list[list[dict]]:
        return attendance_calendar(self.activities, self.attendance, self.today)

    @property
    def attendance_notes(self) -> list[dict]:
        return attendance_notes(self.activities, self.attendance, self.user_name)

    @property
    def goal_titles(self) -> dict[str, str]:
        return {g.id: g.title for g in self.goals}


def activity_dict(a: Activity) -> dict:
    return {
        "id": a.id,
        "title": a.title,
        "weekdays": list(a.weekdays or []),
        "start_time": a.start_time,
        "end_time": a.end_time,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "organization_id": a.organization_id,
    }


def goals_by_org(goals, org_name) -> list[tuple[str, list]]:
    """Goals grouped by owning organisation (organisations A→Z, goals by target date then title)."""
    groups: dict[str, list] = defaultdict(list)
    for g in goals:
        groups[org_name(g.organization_id)].append(g)
    return [
        (name, sorted(gs, key=lambda g: (g.target_date or date.max, g.title.casefold())))
        for name, gs in sorted(groups.items(), key=lambda kv: kv[0].casefold())
    ]


def clash_slots(clashes) -> dict[tuple[str, int], list[dict]]:
    """(activity id, weekday) → what clashes with it that day: the other activity's title and the
    overlapping time. Only the days that really clash are keys, so the week grid marks Thursday
    and not every day of an activity that clashes on Thursday."""
    out: dict[tuple[str, int], list[dict]] = {}
    for a, b, days in clashes:
        start, end = max(a["start_time"], b["start_time"]), min(a["end_time"], b["end_time"])
        for wd in days:
            for me, other in ((a, b), (b, a)):
                out.setdefault((me["id"], wd), []).append({"title": other["title"], "start": start, "end": end})
    return out


def week_grid(activities) -> list[tuple[int, str, list]]:
    """(weekday, Danish name, activities that day by start time); the weekend only when used."""
    days = []
    for wd, name in enumerate(WEEKDAYS_DA):
        todays = sorted((a for a in activities if wd in (a.weekdays or [])), key=lambda a: (a.start_time, a.title))
        if wd < 5 or todays:
            days.append((wd, name, todays))
    return days


def agreement_stats(agreements) -> dict[str, dict]:
    """Per responsible side (youth/staff): counts and the kept rate of the reviewed agreements."""
    out = {}
    for side in ("youth", "staff"):
        rows = [a for a in agreements if a.responsible == side]
        kept = sum(a.status == "kept" for a in rows)
        not_kept = sum(a.status == "not_kept" for a in rows)
        reviewed = kept + not_kept
        out[side] = {
            "total": len(rows),
            "open": sum(a.status == "open" for a in rows),
            "kept": kept,
            "not_kept": not_kept,
            "rate": round(100 * kept / reviewed) if reviewed else None,
        }
    return out


def attendance_calendar(activities, attendance, today: date, weeks: int = CALENDAR_WEEKS) -> list[list[dict]]:
    """Weeks (Monday first, oldest first) of days, each with its entries.

    An entry is a registered attendance (status) or, for a past scheduled day without any
    registration, status "missing" — so a gap is visible, not just an empty cell.
    """
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    by_day: dict[date, list] = defaultdict(list)
    for a in attendance:
        by_day[a.date].append(a)
    titles = {a.id: a.title for a in activities}
    out = []
    for w in range(weeks):
        week = []
        for d in range(7):
            day = monday + timedelta(weeks=w, days=d)
            entries = []
            seen = set()
            for a in sorted(by_day.get(day, []), key=lambda a: titles.get(a.activity_id, "")):
                seen.add(a.activity_id)
                status = a.status or ("present" if a.self_checked_in_at else "missing")
                entries.append(
                    {
                        "title": titles.get(a.activity_id, "Aktivitet"),
                        "status": status,
                        "reason": a.absence_reason or "",
                        "row": a,
                    }
                )
            if day < today:
                for act in activities:
                    if act.id not in seen and occurs_on(act.weekdays, act.start_date, act.end_date, day):
                        entries.append({"title": act.title, "status": "missing", "reason": ""})
            week.append({"date": day, "entries": entries, "future": day > today, "today": day == today})
        out.append(week)
    return out


class Redacted:
    """A read-only view of a row with the fields the viewer may not see blanked (the shared rule)."""

    def __init__(self, row, hidden: frozenset[str]):
        self._row, self._hidden = row, hidden

    def __getattr__(self, name):
        return blank(name) if name in self._hidden else getattr(self._row, name)


def attendance_notes(activities, attendance, user_name) -> list[dict]:
    """The registrations that explain something — an absence reason or the mentor's note —
    newest first, with the activity's title and who recorded it."""
    titles = {a.id: a.title for a in activities}
    rows = [a for a in attendance if (a.absence_reason or "").strip() or (a.note or "").strip()]
    return [
        {
            "date": a.date,
            "title": titles.get(a.activity_id, "Aktivitet"),
            "status": a.status or "missing",
            "reason": a.absence_reason or "",
            "note": a.note or "",
            "by": user_name(a.recorded_by_user_id),
            "row": a,
        }
        for a in sorted(rows, key=lambda a: (a.date, titles.get(a.activity_id, "")), reverse=True)
    ]


def _visible_rows(user: User, model, youth_id: str, order):
    rows = db.session.scalars(
        select(model).where(model.youth_id == youth_id, model.deleted.is_(False)).order_by(*order)
    ).all()
    entity = model.__tablename__
    out = []
    for r in rows:
        rec = {
            k: getattr(r, k, None) for k in ("organization_id", "visibility", "comment_visibility", "note_visibility")
        }
        if not item_visible(user, rec["organization_id"], rec["visibility"] or "shared"):
            continue
        hidden = hidden_fields(user, entity, rec)
        out.append(Redacted(r, hidden) if hidden else r)
    return out


def visible_youth(user: User, youth_id: str) -> Youth | None:
    """The young person if `youth_id` is a UUID the user may see, else None (→ 404)."""
    if not isinstance(youth_id, str) or not is_uuid(youth_id) or not can_see_youth(user, youth_id):
        return None
    youth = db.session.get(Youth, youth_id)
    return youth if youth is not None and not youth.deleted else None


def load_plan_view(user: User, youth_id: str, today: date) -> PlanView | None:
    """Everything on the plan page that `user` may see, or None when the young person is not visible."""
    youth = visible_youth(user, youth_id)
    if youth is None:
        return None
    hidden_contact = hidden_fields(user, "youth", as_record(youth))
    youth = Redacted(youth, hidden_contact) if hidden_contact else youth
    plan = db.session.scalar(select(Plan).where(Plan.youth_id == youth.id, Plan.deleted.is_(False)))
    orgs = {o.id: o for o in db.session.scalars(select(Organization))}
    goals = _visible_rows(user, Goal, youth.id, (Goal.created_at,))
    activities = _visible_rows(user, Activity, youth.id, (Activity.start_time, Activity.title))
    agreements = _visible_rows(user, Agreement, youth.id, (Agreement.due_date.desc(), Agreement.created_at))
    since = today - timedelta(days=today.weekday()) - timedelta(weeks=CALENDAR_WEEKS - 1)
    attendance = [a for a in _visible_rows(user, Attendance, youth.id, (Attendance.date,)) if a.date >= since]
    outreach = _visible_rows(user, Outreach, youth.id, (Outreach.contacted_at.desc(),))
    consents = {c.organization_id: c for c in _visible_rows(user, Consent, youth.id, (Consent.created_at,))}
    assessments = _visible_rows(user, Assessment, youth.id, (Assessment.due_date, Assessment.created_at))
    proposals = _visible_rows(user, GoalProposal, youth.id, (GoalProposal.created_at,))
    steps = _visible_rows(user, StepChange, youth.id, (StepChange.valid_from, StepChange.changed_at))
    companies = _visible_rows(user, CompanyAgreement, youth.id, (CompanyAgreement.start_date.desc(),))
    hours = _visible_rows(user, WorkHours, youth.id, (WorkHours.period_start,))
    follow_ups = _visible_rows(user, PlacementFollowUp, youth.id, (PlacementFollowUp.due_date,))
    users = _named_users(youth, plan, proposals, steps, outreach, consents, agreements, assessments)
    view = PlanView(
        youth,
        plan,
        users.get(youth.coordinator_id),
        users.get(youth.mentor_id),
        orgs,
        goals,
        activities,
        agreements,
        attendance,
        outreach,
        consents,
        assessments,
        users,
        today,
        proposals=proposals,
        steps=steps,
        company_agreements=companies,
        work_hours=hours,
        follow_ups=follow_ups,
        contact_hidden=bool(hidden_contact),
    )
    view.counts = _counts(view)
    return view


def _named_users(youth, plan, proposals, steps, outreach, consents, agreements, assessments) -> dict[str, User]:
    """The users the page names: mentor, coordinator, and who wrote, answered or recorded what."""
    user_ids = {youth.mentor_id, youth.coordinator_id, plan.voice_updated_by_user_id if plan else None}
    user_ids |= {p.answered_by_user_id for p in proposals} | {p.proposed_by_user_id for p in proposals}
    user_ids |= {s.changed_by_user_id for s in steps}
    user_ids |= {o.user_id for o in outreach} | {c.recorded_by_user_id for c in consents.values()}
    user_ids |= {a.responsible_user_id for a in agreements} | {a.rater_user_id for a in assessments}
    user_ids.discard(None)
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}


def _counts(view: PlanView) -> dict[str, int]:
    """How many records of each entity the page shows (for the audit log)."""
    return {
        "youth": 1,
        "plan": int(view.plan is not None),
        "goal": len(view.goals),
        "activity": len(view.activities),
        "agreement": len(view.agreements),
        "attendance": len(view.attendance),
        "outreach": len(view.outreach),
        "consent": len(view.consents),
        "assessment": len(view.assessments),
        "goal_proposal": len(view.proposals),
        "step_change": len(view.steps),
        "company_agreement": len(view.company_agreements),
        "work_hours": len(view.work_hours),
        "placement_follow_up": len(view.follow_ups),
    }


# ---- progression -------------------------------------------------------------------------------


@dataclass
class Progression:
    by_rater: dict[str, list[Assessment]]  # submitted, oldest first
    overdue: list[tuple[date, list[str]]]  # due date, rater roles missing
    dimensions: tuple

    def first_latest(self, rater: str) -> tuple[Assessment | None, Assessment | None]:
        rows = self.by_rater.get(rater) or []
        if not rows:
            return None, None
        return rows[0], rows[-1]

    def distance(self) -> list[dict]:
        """Per dimension: first and latest score per rater and the distance travelled."""
        out = []
        for d in self.dimensions:
            row = {"key": d.key, "title": d.title, "staff_only": d.staff_only}
            for rater in ("youth", "staff"):
                first, latest = self.first_latest(rater)
                f = first.scores.get(d.key) if first else None
                last = latest.scores.get(d.key) if latest else None
                row[rater] = {
                    "first": f,
                    "latest": last,
                    "distance": (last - f) if f is not None and last is not None else None,
                }
            out.append(row)
        return out


def progression(assessments, plan: Plan | None, today: date) -> Progression:
    """Submitted assessments per rater role and the due dates that passed without one (pure)."""
    submitted = [a for a in assessments if a.submitted_at is not None]
    by_rater: dict[str, list] = {"youth": [], "staff": []}
    for a in sorted(submitted, key=lambda a: (a.due_date, a.submitted_at)):
        by_rater.setdefault(a.rater_role, []).append(a)
    overdue = []
    if plan is not None:
        done = {(a.due_date, a.rater_role) for a in submitted}
        for due in assessment_due_dates(plan.start_date, today - timedelta(days=1)):
            missing = [r for r in ("youth", "staff") if (due, r) not in done]
            if missing:
                overdue.append((due, missing))
    return Progression(by_rater, overdue, DIMENSIONS.dimensions)


def audit_entries(youth_id: str, limit: int = 500) -> tuple[list[AuditLog], dict[str, User]]:
    """The newest audit log entries about one young person, with the users named in them."""
    rows = db.session.scalars(
        select(AuditLog)
        .where(AuditLog.youth_id == youth_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    ).all()
    ids = {r.user_id for r in rows if r.user_id}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return rows, users


__all__ = ["PlanView", "load_plan_view", "visible_youth", "progression", "audit_entries", "to_local", "WEEKDAYS_DA"]
