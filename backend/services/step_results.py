"""Exits from trin 3 per month for the results, and how many met the 30-hour rule (issue 14).

Loads the step histories, case ends (outcome history) and ordinary hours of the young people the
user may see — hours only where the user may see the record — and hands them to the pure rule
(`shared.step_exits`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from backend.access import item_visible
from backend.extensions import db
from backend.models import User, WorkHours
from backend.programmes.models import OutcomeChange
from backend.services.steps import HOURS_COLUMNS, hours_record, step_histories
from shared.hours import HoursRecord
from shared.step_exits import MonthExits, exits_per_month
from shared.steps import Step


def trin3_exits(user: User, youth_ids, months: list[tuple[int, int]]) -> dict[tuple[int, int], MonthExits]:
    """Per month: young people whose trin 3 ended, and those of them who met the 30-hour rule."""
    histories = step_histories(youth_ids)
    placed = [yid for yid, changes in histories.items() if any(c.step == Step.VIRKSOMHEDSFORLOEB for c in changes)]
    if not placed:
        return exits_per_month({}, {}, {}, months)
    return exits_per_month({yid: histories[yid] for yid in placed}, _case_ends(placed), _hours(user, placed), months)


def _case_ends(youth_ids: list[str]) -> dict[str, list[date]]:
    out: dict[str, list[date]] = {}
    rows = db.session.execute(
        select(OutcomeChange.youth_id, OutcomeChange.valid_from).where(
            OutcomeChange.youth_id.in_(youth_ids), OutcomeChange.outcome != "active"
        )
    )
    for yid, day in rows:
        out.setdefault(yid, []).append(day)
    return out


def _hours(user: User, youth_ids: list[str]) -> dict[str, list[HoursRecord]]:
    out: dict[str, list[HoursRecord]] = {}
    rows = db.session.execute(
        select(
            WorkHours.youth_id,
            WorkHours.organization_id,
            WorkHours.visibility,
            *HOURS_COLUMNS,
        ).where(WorkHours.youth_id.in_(youth_ids), WorkHours.deleted.is_(False))
    )
    for r in rows:
        if item_visible(user, r.organization_id, r.visibility):
            out.setdefault(r.youth_id, []).append(hours_record(r))
    return out
