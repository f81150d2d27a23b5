"""The municipality's time zone and wall-clock conversions (pure; used by the backend and the app).

Activity times, "today" and check-in deadlines are Danish wall-clock times, whatever the host's
time zone: on a UTC server the host's date is yesterday's for an hour or two after midnight.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


def wall_clock(instant: datetime) -> datetime:
    """An instant as naive local wall-clock time (a naive instant is taken as UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(LOCAL_TZ).replace(tzinfo=None)


def to_local(instant: datetime | None) -> datetime | None:
    """`wall_clock`, passing None through (for optional columns)."""
    return None if instant is None else wall_clock(instant)


def moved_to_day(instant: datetime, day: date) -> datetime:
    """The instant on local `day` at the same local wall-clock time (aware, UTC)."""
    return datetime.combine(day, wall_clock(instant).time(), tzinfo=LOCAL_TZ).astimezone(UTC)
