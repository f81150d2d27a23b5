"""Ordinary working hours and the 30-hour exit rule of trin 3 (pure).

The indsatsmodel: trin 3 ends when the young person has at least 30 ordinary hours a month (about
5–6 hours a week) or supports themself. Issue 14 asks, in addition, to flag a young person who has met
it three months in a row, so the coordinator can end trin 3 or plan the exit.

Hours are recorded per week (`period` "week", `period_start` a Monday) or per month ("month", the 1st).
A month's hours: its month records if there are any; otherwise its week records, a week that spans two
months split by its days (3 of 7 days in March → 3/7 of the hours). Weeks of the month without a record
are listed as missing: the total is then a lower bound ("mindst").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

EXIT_HOURS = 30.0
MONTHS_IN_A_ROW = 3
PERIODS = ("week", "month")
MONTHS_DA = (  # the one home of the Danish month names (hours, the monthly report)
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def period_error(period: str, start: date) -> str | None:
    """The Danish reason a recorded period is not one (a week starts on a Monday, a month on the 1st)."""
    if period not in PERIODS:
        return "Vælg uge eller måned."
    if period == "week" and start.weekday() != 0:
        return "En uge starter om mandagen."
    if period == "month" and start.day != 1:
        return "En måned starter den 1."
    return None


def period_start(period: str, day: date) -> date:
    """The first day of the week (Monday) or month that `day` falls in."""
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def period_label(period: str, start: date) -> str:
    """'uge 11 (10.3.2025)' or 'marts 2025', for the one recording the hours."""
    if period == "week":
        return f"uge {start.isocalendar()[1]} ({start.day}.{start.month}.{start.year})"
    return f"{MONTHS_DA[start.month - 1]} {start.year}"


@dataclass(frozen=True)
class HoursRecord:
    period: str  # "week" or "month"
    period_start: date
    ordinary: float
    supported: float = 0.0
    agreement: str = ""  # the company agreement (several places add up)
    order: str = ""  # the later of two records of the same period and place wins


@dataclass
class MonthHours:
    year: int
    month: int
    ordinary: float = 0.0
    supported: float = 0.0
    source: str = "none"  # "month", "weeks" or "none"
    missing_weeks: list[date] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.ordinary >= EXIT_HOURS

    @property
    def complete(self) -> bool:
        return self.source == "month" or (self.source == "weeks" and not self.missing_weeks)


def _month_days(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _latest(records: list[HoursRecord]) -> list[HoursRecord]:
    best: dict[tuple[str, date, str], HoursRecord] = {}
    for r in records:
        key = (r.period, r.period_start, r.agreement)
        if key not in best or r.order >= best[key].order:
            best[key] = r
    return list(best.values())


def month_hours(records: list[HoursRecord], year: int, month: int, today: date | None = None) -> MonthHours:
    """The month's ordinary and supported hours (see the module docstring); weeks that have not begun
    by `today` are not missing yet."""
    first, last = _month_days(year, month)
    recs = _latest(records)
    out = MonthHours(year, month)
    months = [r for r in recs if r.period == "month" and r.period_start == first]
    if months:
        out.ordinary = sum(r.ordinary for r in months)
        out.supported = sum(r.supported for r in months)
        out.source = "month"
        return out
    mondays = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    weeks = [r for r in recs if r.period == "week" and r.period_start in mondays]
    for r in weeks:
        days_in = sum(first <= r.period_start + timedelta(days=i) <= last for i in range(7))
        out.ordinary += r.ordinary * days_in / 7
        out.supported += r.supported * days_in / 7
    out.ordinary, out.supported = round(out.ordinary, 1), round(out.supported, 1)
    if weeks:
        out.source = "weeks"
        seen = {r.period_start for r in weeks}
        out.missing_weeks = [m for m in mondays if m not in seen and (today is None or m <= today)]
    return out


def previous_months(today: date, n: int) -> list[tuple[int, int]]:
    """The `n` months up to and including today's, oldest first."""
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def exit_rule(records: list[HoursRecord], today: date, months: int = 6) -> tuple[list[MonthHours], bool]:
    """The last `months` months' hours (oldest first) and whether the three complete months before
    this one all reached 30 ordinary hours (the running month is not judged until it ends)."""
    rows = [month_hours(records, y, m, today) for y, m in previous_months(today, months)]
    done = rows[:-1][-MONTHS_IN_A_ROW:]
    return rows, len(done) == MONTHS_IN_A_ROW and all(r.met for r in done)
