"""Reading the rows the results figures need, for the young people a user may see.

Heavy tables (attendance, agreements, assessments) are aggregated in SQL; the small ones
(plans, enrolments, histories — a few rows per young person) are read as rows and handed to the
pure functions in `reports`.
"""

from __future__ import annotations

import re
from datetime import date

from marshmallow import ValidationError, fields, validates_schema
from sqlalchemy import extract, func, or_, select

from backend.access import row_condition, visible_youth_query
from backend.extensions import db
from backend.models import Agreement, Assessment, Attendance, Plan, User, Youth
from backend.programmes import reports
from backend.programmes.models import Enrolment, OutcomeChange, Programme, TargetGroupChange
from shared.dimensions import DIMENSIONS
from shared.schemas import DanishSchema, is_uuid

MAX_MONTHS = 60
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class FilterError(Exception):
    """Bad filter input; `message` is Danish and meant for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class _FilterSchema(DanishSchema):
    class Meta:
        unknown = "exclude"

    from_month = fields.String(data_key="from", load_default="")
    to_month = fields.String(data_key="to", load_default="")
    programme = fields.String(load_default="")

    @validates_schema
    def _check(self, data, **kwargs):
        for k, key in (("from_month", "from"), ("to_month", "to")):
            v = (data.get(k) or "").strip()
            if v and not _MONTH.match(v):
                raise ValidationError("Skriv måneden som ÅÅÅÅ-MM, fx 2026-01.", key)
        p = (data.get("programme") or "").strip()
        if p and not is_uuid(p):
            raise ValidationError("Vælg et forløb fra listen.", "programme")


def parse_filters(args: dict, today: date) -> dict:
    """Validated filters {from, to, programme_id, months} from query arguments; raises FilterError.

    Defaults: the 12 months up to and including the current month, all programmes.
    """
    try:
        raw = _FilterSchema().load({k: v for k, v in args.items() if isinstance(v, str)})
    except ValidationError as e:
        key, msgs = next(iter(e.messages.items()))
        msg = msgs[0] if isinstance(msgs, list) else str(msgs)
        raise FilterError(msg if isinstance(msg, str) else "Ugyldigt filter.", key) from None
    current = reports.month_key(today)
    to_m = raw["to_month"].strip() or current
    from_m = raw["from_month"].strip() or reports.month_key(
        reports.add_months(date(int(to_m[:4]), int(to_m[5:]), 1), -11)
    )
    if to_m > current:
        raise FilterError(f"Til-måneden kan ikke ligge efter denne måned ({current}).", "to")
    if from_m > to_m:
        raise FilterError("Fra-måneden skal ligge før eller være lig med til-måneden.", "from")
    months = reports.month_range(from_m, to_m)
    if len(months) > MAX_MONTHS:
        raise FilterError(f"Vælg højst {MAX_MONTHS} måneder ad gangen.", "from")
    pid = raw["programme"].strip() or None
    if pid and db.session.get(Programme, pid) is None:
        raise FilterError("Forløbet findes ikke.", "programme")
    return {"from": from_m, "to": to_m, "programme_id": pid, "months": months}


def scope_query(user: User, programme_id: str | None):
    """SELECT of the ids of the young people the figures cover for this user and filter."""
    q = select(Youth.id).where(Youth.deleted.is_(False), Youth.id.in_(visible_youth_query(user)))
    if programme_id:
        q = q.where(
            Youth.id.in_(
                select(Enrolment.youth_id).where(
                    Enrolment.programme_id == programme_id, Enrolment.id.in_(visible_enrolments(user))
                )
            )
        )
    return q


def _item_filter(user: User, model):
    """The shared rule as SQL: partners see shared items and their own organisation's."""
    return row_condition(user, model)


def visible_enrolments(user: User):
    """SELECT of the enrolments the user may see (organisation-only ones only by their owner)."""
    cond = row_condition(user, Enrolment)
    q = select(Enrolment.id)
    return q.where(cond) if cond is not None else q


def _month_rows(stmt) -> list[tuple[str, str, int]]:
    return [(f"{int(y):04d}-{int(m):02d}", s, int(n)) for y, m, s, n in db.session.execute(stmt)]


def compute_results(user: User, filters: dict, today: date) -> dict:
    """Every figure of the results page for `user` (see `reports` for the definitions)."""
    months = filters["months"]
    lo = reports.month_bounds(months[0])[0]
    hi = reports.month_bounds(months[-1])[1]
    scope = scope_query(user, filters["programme_id"]).scalar_subquery()
    youth_ids = set(db.session.scalars(scope_query(user, filters["programme_id"])))
    timelines, tg_timelines = load_timelines(scope, user)
    attendance_rows = _status_counts_by_month(
        user, Attendance, Attendance.date, scope, lo, min(hi, today), Attendance.status.is_not(None)
    )
    agreement_rows = _status_counts_by_month(
        user, Agreement, Agreement.due_date, scope, lo, hi, Agreement.status.in_(("kept", "not_kept"))
    )
    return {
        "filters": {"from": filters["from"], "to": filters["to"], "programme_id": filters["programme_id"]},
        "today": today.isoformat(),
        "youth_count": len(youth_ids),
        "monthly": reports.monthly_flow(months, timelines, today),
        "cohorts": _cohorts(user, filters, scope, (lo, hi), timelines, tg_timelines, today),
        "attendance": reports.attendance_by_month(months, attendance_rows),
        "agreements": reports.agreements_by_month(months, agreement_rows),
        "assessments_on_time": _assessments_on_time(months, scope, (lo, hi), timelines, today),
        "progression": reports.progression_change(_first_and_latest_assessments(scope, hi), list(DIMENSIONS.keys)),
    }


def _cohorts(user: User, filters: dict, scope, period: tuple[date, date], timelines, tg_timelines, today) -> list:
    """Each programme's cohorts (enrolments starting in the same month) with actual vs expected
    effect, plus how many took part in the period having started before it."""
    lo, hi = period
    prog_q = select(Programme).order_by(Programme.name)
    enr_q = select(Enrolment.youth_id, Enrolment.programme_id, Enrolment.start_date).where(
        Enrolment.youth_id.in_(scope),
        Enrolment.start_date >= lo,
        Enrolment.start_date <= hi,
        Enrolment.id.in_(visible_enrolments(user)),
    )
    if filters["programme_id"]:
        prog_q = prog_q.where(Programme.id == filters["programme_id"])
        enr_q = enr_q.where(Enrolment.programme_id == filters["programme_id"])
    programmes = [
        {"id": p.id, "name": p.name, "effects": [effect_dict(e) for e in p.effects]} for p in db.session.scalars(prog_q)
    ]
    enrolments = [{"youth_id": y, "programme_id": p, "start_date": d} for y, p, d in db.session.execute(enr_q)]
    cohorts = reports.cohort_results(programmes, enrolments, timelines, tg_timelines, filters["months"], today)
    # Participants in the period who started before it belong to no cohort of the period; count
    # them, so a programme with people in it never reads as having none.
    earlier_q = (
        select(Enrolment.programme_id, func.count(func.distinct(Enrolment.youth_id)))
        .where(
            Enrolment.youth_id.in_(scope),
            Enrolment.start_date < lo,
            Enrolment.id.in_(visible_enrolments(user)),
            func.coalesce(Enrolment.actual_end_date, Enrolment.planned_end_date) >= lo,
        )
        .group_by(Enrolment.programme_id)
    )
    earlier = dict(db.session.execute(earlier_q).all())
    for c in cohorts:
        c["started_before_period"] = int(earlier.get(c["programme_id"], 0))
    return cohorts


def _status_counts_by_month(user: User, model, day_col, scope, lo: date, hi: date, counted) -> list:
    """(year, month, status, count) of `model` rows dated lo..hi whose status is `counted`,
    within what `user` may see."""
    ym = (extract("year", day_col), extract("month", day_col))
    q = (
        select(*ym, model.status, func.count())
        .where(model.youth_id.in_(scope), model.deleted.is_(False), day_col >= lo, day_col <= hi, counted)
        .group_by(*ym, model.status)
    )
    cond = _item_filter(user, model)
    if cond is not None:
        q = q.where(cond)
    return _month_rows(q)


def _assessments_on_time(months: list[str], scope, period: tuple[date, date], timelines, today: date) -> list:
    lo, hi = period
    plan_starts = dict(
        db.session.execute(
            select(Plan.youth_id, Plan.start_date).where(Plan.deleted.is_(False), Plan.youth_id.in_(scope))
        ).all()
    )
    sub_q = (
        select(Assessment.youth_id, Assessment.due_date, func.min(Assessment.submitted_at))
        .where(
            Assessment.youth_id.in_(scope),
            Assessment.deleted.is_(False),
            Assessment.submitted_at.is_not(None),
            Assessment.due_date >= lo,
            Assessment.due_date <= hi,
        )
        .group_by(Assessment.youth_id, Assessment.due_date)
    )
    first_submitted = {(y, d): reports.local_date(s) for y, d, s in db.session.execute(sub_q)}
    return reports.assessments_on_time(months, plan_starts, first_submitted, timelines, today)


def load_timelines(scope, user: User | None = None) -> tuple[dict, dict]:
    """Status and target-group timelines of the young people in `scope` (a SELECT of ids).

    With `user`, an enrolment the user may not see (organisation-only) does not start a follow-up.
    """
    # Follow-up start per young person: the earliest plan start, enrolment start or history entry.
    starts: dict[str, date] = {}
    for stmt in (
        select(Plan.youth_id, func.min(Plan.start_date))
        .where(Plan.deleted.is_(False), Plan.youth_id.in_(scope))
        .group_by(Plan.youth_id),
        select(Enrolment.youth_id, func.min(Enrolment.start_date))
        .where(Enrolment.youth_id.in_(scope), *([Enrolment.id.in_(visible_enrolments(user))] if user else []))
        .group_by(Enrolment.youth_id),
    ):
        for yid, d in db.session.execute(stmt):
            if d is not None and (yid not in starts or d < starts[yid]):
                starts[yid] = d
    outcome_rows = db.session.execute(
        select(
            OutcomeChange.youth_id, OutcomeChange.valid_from, OutcomeChange.outcome, OutcomeChange.recorded_at
        ).where(OutcomeChange.youth_id.in_(scope))
    ).all()
    tg_rows = db.session.execute(
        select(
            TargetGroupChange.youth_id,
            TargetGroupChange.valid_from,
            TargetGroupChange.target_group,
            TargetGroupChange.recorded_at,
        ).where(TargetGroupChange.youth_id.in_(scope))
    ).all()
    return (
        reports.outcome_timelines(starts, [tuple(r) for r in outcome_rows]),
        reports.target_group_timelines([tuple(r) for r in tg_rows]),
    )


def effect_dict(e) -> dict:
    """An expected effect as the pure report functions take it."""
    return {
        "outcome": e.outcome,
        "share_pct": e.share_pct,
        "weeks_after_start": e.weeks_after_start,
        "measure_date": e.measure_date,
        "anchor_text": e.anchor_text,
    }


def _first_and_latest_assessments(scope, until: date) -> list[dict]:
    """The first and the latest submitted assessment per (young person, rater role), due by `until`."""
    order_asc = (Assessment.due_date.asc(), Assessment.submitted_at.asc(), Assessment.id.asc())
    order_desc = (Assessment.due_date.desc(), Assessment.submitted_at.desc(), Assessment.id.desc())
    part = (Assessment.youth_id, Assessment.rater_role)
    inner = (
        select(
            Assessment.youth_id,
            Assessment.rater_role,
            Assessment.due_date,
            Assessment.submitted_at,
            Assessment.scores,
            func.row_number().over(partition_by=part, order_by=order_asc).label("rn_first"),
            func.row_number().over(partition_by=part, order_by=order_desc).label("rn_last"),
        )
        .where(
            Assessment.youth_id.in_(scope),
            Assessment.deleted.is_(False),
            Assessment.submitted_at.is_not(None),
            Assessment.due_date <= until,
        )
        .subquery()
    )
    stmt = select(inner.c.youth_id, inner.c.rater_role, inner.c.due_date, inner.c.submitted_at, inner.c.scores).where(
        or_(inner.c.rn_first == 1, inner.c.rn_last == 1)
    )
    return [dict(r._mapping) for r in db.session.execute(stmt)]
