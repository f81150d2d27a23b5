"""Company agreements (virksomhedsaftaler) for a placement: pure rules on their follow-ups.

The indsatsmodel (trin 2, kerneelement 7) asks for a clear plan for follow-up, with contact between
the job broker and the young person at least once a month during the first year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

FOLLOW_UP_MAX_GAP_DAYS = 31
"""At least monthly: no more than this many days between follow-ups (from the start)."""


@dataclass(frozen=True)
class FollowUpState:
    """`overdue` (a planned follow-up passed without being done), `due` (today), `unplanned` (the
    agreement runs but nothing is planned within a month), or `ok`; `day` is the date concerned."""

    state: str
    day: date | None


def _d(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _dates(agreement: dict[str, Any], open_only: bool = False) -> list[tuple[date, bool]]:
    """The follow-ups (placement_follow_up records: due_date, done_date) as (due, done), in date order."""
    out = []
    for f in agreement.get("follow_ups") or []:
        if f.get("deleted"):
            continue
        day, done = _d(f.get("due_date")), f.get("done_date") is not None
        if day is not None and not (open_only and done):
            out.append((day, done))
    return sorted(out)


def follow_up_state(agreement: dict[str, Any], today: date) -> FollowUpState:
    """Where an agreement's follow-ups stand today (plain data: start_date, end_date, and follow_ups:
    its placement_follow_up records)."""
    start, end = _d(agreement.get("start_date")), _d(agreement.get("end_date"))
    if start is None or (end is not None and end < today):
        return FollowUpState("ok", None)
    ups = _dates(agreement)
    open_ = [d for d, done in ups if not done]
    past = [d for d in open_ if d < today]
    if past:
        return FollowUpState("overdue", past[0])
    if today in open_:
        return FollowUpState("due", today)
    if start <= today:
        nxt = next((d for d in open_ if d > today), None)
        last = max([d for d, done in ups if done and d <= today] + [start])
        horizon = last + timedelta(days=FOLLOW_UP_MAX_GAP_DAYS)
        if nxt is None or nxt > horizon:
            return FollowUpState("unplanned", horizon if nxt is None else nxt)
    return FollowUpState("ok", next((d for d in open_ if d >= today), None))


def gaps_over_a_month(agreement: dict[str, Any]) -> list[tuple[date, date]]:
    """Stretches between the start and the planned follow-ups longer than a month (for a warning)."""
    start = _d(agreement.get("start_date"))
    if start is None:
        return []
    days = [start] + [d for d, _ in _dates(agreement)]
    return [(a, b) for a, b in zip(days, days[1:], strict=False) if (b - a).days > FOLLOW_UP_MAX_GAP_DAYS]


def next_follow_up(agreement: dict[str, Any]) -> date | None:
    """The first follow-up not done yet."""
    open_ = _dates(agreement, open_only=True)
    return open_[0][0] if open_ else None


def open_follow_up(follow_ups: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The follow-up a "Registrér opfølgning" marks done: the oldest one not done yet (overdue first)."""
    open_ = sorted(
        (f for f in follow_ups if not f.get("deleted") and f.get("done_date") is None and _d(f.get("due_date"))),
        key=lambda f: str(f["due_date"]),
    )
    return open_[0] if open_ else None
