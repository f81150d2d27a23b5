"""The app's one clock: the current instant, local wall-clock time and today's date.

"Today" is the municipality's date (Europe/Copenhagen, `shared.clock.LOCAL_TZ`), never the
phone's time zone. Demos and tests pin it with the environment variable `TRINVIS_TODAY`
(`YYYY-MM-DD`), as the backend's clock does: then `now()` is that day at the current local time.
Bookkeeping instants (when a sync ran, when a change was queued) use `utcnow()`, the real instant.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime

from shared.clock import LOCAL_TZ, moved_to_day

__all__ = ["LOCAL_TZ", "TODAY_KEY", "Clock", "local", "now", "pinned_today", "today", "utcnow"]

TODAY_KEY = "TRINVIS_TODAY"

Clock = Callable[[], datetime]
"""Something that tells the time (the real `now`, or a test's fixed instant)."""


def utcnow() -> datetime:
    """The real current instant (aware, UTC)."""
    return datetime.now(UTC)


def pinned_today() -> date | None:
    """The day set in TRINVIS_TODAY; None when unset or not a date (the real day is used then)."""
    value = os.environ.get(TODAY_KEY)
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def now() -> datetime:
    """The current local time (aware), on the pinned day if TRINVIS_TODAY is set."""
    instant = utcnow()
    pinned = pinned_today()
    return (moved_to_day(instant, pinned) if pinned else instant).astimezone(LOCAL_TZ)


def local(instant: datetime) -> datetime:
    """`instant` in local time (aware); a naive instant is taken as local wall-clock time."""
    return instant.astimezone(LOCAL_TZ) if instant.tzinfo else instant.replace(tzinfo=LOCAL_TZ)


def today() -> date:
    """The municipality's date today (the pinned one, if set)."""
    return now().date()
