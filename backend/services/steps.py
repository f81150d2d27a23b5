"""Reading young people's steps (trin): the current step per young person and the step histories the
results count per month. The rules are pure (`shared.steps`); this module only loads rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from backend.extensions import db
from backend.models import StepChange, WorkHours
from shared.hours import HoursRecord, MonthHours, exit_rule
from shared.steps import StepChange as Change
from shared.steps import current_step


def step_histories(youth_ids) -> dict[str, list[Change]]:
    """Each young person's live step moves (any iterable or SELECT of ids the caller may see)."""
    out: dict[str, list[Change]] = {}
    rows = db.session.execute(
        select(StepChange.youth_id, StepChange.step, StepChange.valid_from, StepChange.changed_at).where(
            StepChange.youth_id.in_(youth_ids), StepChange.deleted.is_(False)
        )
    )
    for yid, step, valid_from, changed_at in rows:
        out.setdefault(yid, []).append(Change(step, valid_from, changed_at.isoformat() if changed_at else ""))
    return out


def current_steps(youth_ids, today: date) -> dict[str, str | None]:
    """The step each young person is in today (absent: never placed)."""
    return {yid: current_step(changes, today) for yid, changes in step_histories(youth_ids).items()}


HOURS_COLUMNS = (
    WorkHours.period,
    WorkHours.period_start,
    WorkHours.ordinary_hours,
    WorkHours.supported_hours,
    WorkHours.company_agreement_id,
    WorkHours.updated_at,
)
"""What `hours_record` reads (select these, plus the youth and visibility columns, for a light query)."""


def hours_record(row) -> HoursRecord:
    """A WorkHours row (or a result row with its columns) as the pure rules read it."""
    return HoursRecord(
        row.period,
        row.period_start,
        row.ordinary_hours,
        row.supported_hours or 0.0,
        row.company_agreement_id or "",
        row.updated_at.isoformat() if row.updated_at else "",
    )


def hours_overview(rows, today: date) -> tuple[list[MonthHours], bool]:
    """WorkHours rows → the last six months (oldest first) and whether 30 hours were met 3 months in a row."""
    return exit_rule([hours_record(r) for r in rows], today)
