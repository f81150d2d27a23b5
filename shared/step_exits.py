"""Exits from trin 3 (virksomhedsforløb) and whether they met the 30-hour rule, for the results (pure).

A stay in trin 3 ends on the day of a move to another step, or on the day the young person's case
ends (an outcome other than `active`) while they are in trin 3 — whichever comes first. The exit met
the 30-hour rule when the young person had at least 30 ordinary hours in each of three consecutive
months ending with the exit month or the month before it (the exit month counts with the hours
recorded for it, so an exit on the 30th after a third month of 30 hours counts; an exit on the 3rd
is judged on the three whole months before).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shared.hours import MONTHS_IN_A_ROW, HoursRecord, month_hours, previous_months
from shared.steps import Step, StepChange, current_step


def trin3_exit_days(changes: list[StepChange], case_ends: list[date]) -> list[date]:
    """The days the young person's stays in trin 3 ended, oldest first (see the module docstring)."""
    moves = sorted(changes, key=lambda c: (c.valid_from, c.order))
    t3 = Step.VIRKSOMHEDSFORLOEB
    exits = [b.valid_from for a, b in zip(moves, moves[1:], strict=False) if a.step == t3 and b.step != t3]
    for end in sorted(set(case_ends)):
        if current_step(changes, end) != Step.VIRKSOMHEDSFORLOEB:
            continue
        later = [d for d in exits if d > end]
        if later:  # the move out after the case ended belongs to the same stay: the case end counts
            exits.remove(later[0])
        exits.append(end)
    return sorted(exits)


def met_30_hours_at(records: list[HoursRecord], exit_day: date) -> bool:
    """Whether an exit on `exit_day` met the 30-hour rule (see the module docstring)."""
    months = previous_months(exit_day, MONTHS_IN_A_ROW + 1)
    met = [month_hours(records, y, m).met for y, m in months]
    return all(met[:-1]) or all(met[1:])


@dataclass
class MonthExits:
    """Young people whose trin 3 ended in a month, and how many of them by the 30-hour rule."""

    exits: int = 0
    by_30_hours: int = 0
    youth_ids: set[str] = field(default_factory=set)


def exits_per_month(
    histories: dict[str, list[StepChange]],
    case_ends: dict[str, list[date]],
    hours: dict[str, list[HoursRecord]],
    months: list[tuple[int, int]],
) -> dict[tuple[int, int], MonthExits]:
    """Per month: the young people whose trin 3 ended in it (each counted once a month), and those
    of them who met the 30-hour rule."""
    out = {ym: MonthExits() for ym in months}
    for yid, changes in histories.items():
        for day in trin3_exit_days(changes, case_ends.get(yid, [])):
            row = out.get((day.year, day.month))
            if row is None or yid in row.youth_ids:
                continue
            row.youth_ids.add(yid)
            row.exits += 1
            row.by_30_hours += met_30_hours_at(hours.get(yid, []), day)
    return out
