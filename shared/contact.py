"""Contact rules shared by the backend and the app (pure): phone numbers, reminder times, whom to call.

Phone numbers are stored in E.164 (`+4531234567`) and shown grouped (`+45 31 23 45 67`); a number
without a country code is read as Danish. Times are local wall-clock times (Europe/Copenhagen).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import phonenumbers

DEFAULT_REGION = "DK"
REMINDER_LEAD_MINUTES = 60
"""Without a chosen time, the reminder comes this long before the day's first activity."""

QUIET_START = time(21, 0)
QUIET_END = time(7, 0)
"""No reminder is sent between these local times (a reminder due then waits until QUIET_END)."""

KIND_TEXT = (
    "Hej {first}. Vi savner dig i dag til {title} kl. {start}. Er du ok? "
    "Skriv eller ring, så finder vi ud af det sammen. Hilsen {staff}"
)
"""The prefilled text to a young person who has not come (web and app): kind, no blame, one SMS."""


def kind_text(youth_name: str, title: str, start: str, staff_name: str) -> str:
    """KIND_TEXT for one young person, one missed activity and the first name of who writes."""
    first = (youth_name or "").split(" ")[0] or "du"
    return KIND_TEXT.format(first=first, title=title, start=start, staff=(staff_name or "").split(" ")[0])


MAX_CONTACT_TIME = 100
PHONE_ERROR = "Skriv et gyldigt telefonnummer, fx 31 23 45 67 eller +45 31 23 45 67."


def normalize_phone(raw: str | None) -> str | None:
    """The number in E.164, None for an empty value; ValueError (Danish message) when invalid."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValueError(PHONE_ERROR) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(PHONE_ERROR)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """A stored number grouped for reading (`+45 31 23 45 67`); '' for none."""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(e164, DEFAULT_REGION), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return e164


def tel_link(e164: str) -> str:
    return f"tel:{e164}"


def sms_link(e164: str, body: str) -> str:
    """An sms: link with a prefilled text (RFC 5724 `?body=`, which iOS and Android both read)."""
    from urllib.parse import quote

    return f"sms:{e164}?body={quote(body)}"


def _hhmm(value: str) -> time:
    hh, mm = value.split(":")
    return time(int(hh), int(mm))


def first_start(activities: list[dict[str, str]]) -> str | None:
    """The earliest start time ('HH:MM') among the day's activities."""
    starts = sorted(a["start_time"] for a in activities)
    return starts[0] if starts else None


def reminder_at(day: date, first_activity_start: str, chosen: str | None) -> datetime:
    """Local wall-clock time of the day's reminder: the chosen 'HH:MM', else an hour before the
    first activity; never in the night (moved to QUIET_END) and never after the activity starts."""
    start = datetime.combine(day, _hhmm(first_activity_start))
    at = datetime.combine(day, _hhmm(chosen)) if chosen else start - timedelta(minutes=REMINDER_LEAD_MINUTES)
    at = max(at, datetime.combine(day, QUIET_END))
    return min(at, start)


def in_quiet_hours(local: datetime) -> bool:
    """Whether a local wall-clock time lies in the quiet hours (evening and night)."""
    return local.time() >= QUIET_START or local.time() < QUIET_END


def within_hours(local: datetime, weekdays: list[int] | None, opens: str | None, closes: str | None) -> bool:
    """Whether `local` lies in opening hours given as weekdays (0 = Monday) and 'HH:MM' times."""
    if not (weekdays and opens and closes):
        return False
    return local.weekday() in weekdays and _hhmm(opens) <= local.time() < _hhmm(closes)
