"""Pure date rules: the 6-week assessment schedule and activity occurrences."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

ASSESSMENT_INTERVAL_DAYS = 42
"""Progression is measured every 6th week from the plan's start."""

CHECK_IN_GRACE_MINUTES = 15
"""A young person counts as 'not checked in' this long after an activity has started."""


def assessment_due_dates(plan_start: date, until: date) -> list[date]:
    """Due dates of the 6-weekly assessments from the plan start up to and including `until`."""
    dues = []
    d = plan_start + timedelta(days=ASSESSMENT_INTERVAL_DAYS)
    while d <= until:
        dues.append(d)
        d += timedelta(days=ASSESSMENT_INTERVAL_DAYS)
    return dues


def next_assessment_due(plan_start: date, today: date) -> date:
    """The first due date on or after today."""
    d = plan_start + timedelta(days=ASSESSMENT_INTERVAL_DAYS)
    while d < today:
        d += timedelta(days=ASSESSMENT_INTERVAL_DAYS)
    return d


def overdue_assessment(plan_start: date | None, submitted_due_dates: set[date], today: date) -> date | None:
    """The latest due date, if it has passed without an assessment; else None.

    Only the latest due date counts: an older one that was missed is history, not a to-do (once the
    latest is sent, the mentor is done — issue 16). An assessment counts for a due date when it was
    submitted for that due date or a later one (filled in early for the next meeting).
    """
    if plan_start is None:
        return None
    dues = assessment_due_dates(plan_start, today - timedelta(days=1))
    if not dues or any(d >= dues[-1] for d in submitted_due_dates):
        return None
    return dues[-1]


def parse_hhmm(value: str) -> time:
    """'HH:MM' to a time; ValueError if malformed."""
    hh, mm = value.split(":")
    return time(int(hh), int(mm))


def occurs_on(weekdays: list[int], start_date: date | None, end_date: date | None, day: date) -> bool:
    """Whether a weekly activity takes place on `day` (weekdays: 0 = Monday … 6 = Sunday)."""
    if start_date and day < start_date:
        return False
    if end_date and day > end_date:
        return False
    return day.weekday() in (weekdays or [])


def not_checked_in(activity_start: str, day: date, now: datetime, grace_minutes: int = CHECK_IN_GRACE_MINUTES) -> bool:
    """True when the activity on `day` started more than the grace period before `now`."""
    start = datetime.combine(day, parse_hhmm(activity_start))
    return now >= start + timedelta(minutes=grace_minutes)


def overlaps(a_start: str, a_end: str, b_start: str, b_end: str) -> bool:
    """Whether two same-day time ranges ('HH:MM') overlap (touching ends do not)."""
    return parse_hhmm(a_start) < parse_hhmm(b_end) and parse_hhmm(b_start) < parse_hhmm(a_end)


def activity_clashes(
    activities: list[dict[str, Any]],
) -> list[tuple[dict[str, Any], dict[str, Any], list[int]]]:
    """Pairs of weekly activities that overlap on a common weekday and in their date ranges.

    Each activity is a dict with weekdays, start_time, end_time, start_date, end_date (dates or
    None). Returns (a, b, common_weekdays) for each clashing pair — e.g. treatment at the same
    hour as activation.
    """
    clashes = []
    for i, a in enumerate(activities):
        for b in activities[i + 1 :]:
            common = sorted(set(a.get("weekdays") or []) & set(b.get("weekdays") or []))
            if not common:
                continue
            if a.get("end_date") and b.get("start_date") and a["end_date"] < b["start_date"]:
                continue
            if b.get("end_date") and a.get("start_date") and b["end_date"] < a["start_date"]:
                continue
            if overlaps(a["start_time"], a["end_time"], b["start_time"], b["end_time"]):
                clashes.append((a, b, common))
    return clashes
