"""The caseload's pure rules: the flags one young person needs today, from plain data (a
`Snapshot` of only the items the viewer may see), so they can be tested to the minute. Loading the
snapshots and filtering the list are in `backend.services.caseload`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from shared.company import follow_up_state
from shared.hours import MONTHS_IN_A_ROW, HoursRecord, exit_rule
from shared.schedule import not_checked_in, occurs_on, overdue_assessment
from shared.steps import Step

UNREACHED_AT = time(12, 0)
"""A no-show nobody has reached by this local time is flagged to the coordinator (issue 13)."""

CONTACT_DAYS = 30
"""The monthly minimum: a young person must have been in personal contact within this many days."""

FLAG_LABELS: dict[str, str] = {
    "not_checked_in": "Ikke tjekket ind i dag",
    "unexplained_absence": "Udeblevet uden besked i denne uge",
    "agreement_overdue": "Aftale overskredet",
    "assessment_overdue": "Progressionsmåling forsinket",
    "conflict": "Uløst synkroniseringskonflikt",
    "no_contact": "Ingen kontakt i 30 dage",
    "company_follow_up": "Opfølgning på virksomhedsaftale",
    "exit_ready": "30 timer i 3 måneder — planlæg afslutning af trin 3",
    "unreached": "Udeblevet i dag og ikke fået fat i",
}
FLAG_KEYS = tuple(FLAG_LABELS)

SORT_KEYS = {
    "urgency": "Mest hastende",
    "name": "Navn",
    "flags": "Antal markeringer",
    "target_group": "Målgruppe",
    "mentor": "Mentor",
}
URGENCY = (
    "unreached",
    "not_checked_in",
    "unexplained_absence",
    "no_contact",
    "agreement_overdue",
    "company_follow_up",
    "exit_ready",
    "assessment_overdue",
    "conflict",
)
"""Flags from the most to the least urgent: today's no-show first (someone should call now), a
conflict last (it waits for a quiet moment). The caseload's default order compares young people by
their most urgent flag, then the next, then the number of flags."""


# ---- pure rules ------------------------------------------------------------------------------


@dataclass
class Flag:
    key: str
    detail: str

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.key]


@dataclass
class Snapshot:
    """What the flag rules need to know about one young person (only items the viewer may see)."""

    active: bool = True
    plan_start: date | None = None
    followed_since: date | None = None  # plan start, else when the young person was registered
    activities: list[dict] = field(
        default_factory=list
    )  # id, title, weekdays, start_time, end_time, start_date, end_date
    attendance: list[dict] = field(default_factory=list)  # activity_id, date, status, self_checked_in_at (local)
    agreements: list[dict] = field(default_factory=list)  # status, due_date, text
    submitted_due_dates: set[date] = field(default_factory=set)
    unresolved_conflicts: int = 0
    reached_contacts: list[datetime] = field(default_factory=list)  # local time of outreach that reached
    company_agreements: list[dict] = field(default_factory=list)  # company, start_date, end_date, follow_ups
    step: str | None = None  # the step (trin) today
    hours: list[HoursRecord] = field(default_factory=list)  # ordinary working hours (the 30-hour rule)


def missing_check_ins(snap: Snapshot, now: datetime) -> list[dict]:
    """Activities today that started more than the grace period ago without a check-in or notice.

    `now` is local wall-clock time. Any attendance record with a status or a check-in time for
    that activity and day counts: the young person checked in, called in, or staff registered it.
    """
    today = now.date()
    handled = {
        a["activity_id"]
        for a in snap.attendance
        if a["date"] == today and (a.get("status") or a.get("self_checked_in_at"))
    }
    return [
        a
        for a in snap.activities
        if occurs_on(a["weekdays"], a["start_date"], a["end_date"], today)
        and not_checked_in(a["start_time"], today, now)
        and a["id"] not in handled
    ]


def no_shows_today(snap: Snapshot, now: datetime) -> list[dict]:
    """Today's activities the young person has missed: not checked in past the grace period, or
    registered as absent without notice (the mentor's morning list, issue 13)."""
    today = now.date()
    unnotified = {
        a["activity_id"] for a in snap.attendance if a["date"] == today and a.get("status") == "absent_unnotified"
    }
    missed = missing_check_ins(snap, now)
    missed += [a for a in snap.activities if a["id"] in unnotified and a not in missed]
    return sorted(missed, key=lambda a: a["start_time"])


def unreached_no_show(snap: Snapshot, now: datetime) -> bool:
    """From noon: a no-show today and no contact attempt today that reached the young person."""
    if now.time() < UNREACHED_AT or not no_shows_today(snap, now):
        return False
    return not any(c.date() == now.date() for c in snap.reached_contacts)


def unexplained_absences_this_week(snap: Snapshot, today: date) -> list[dict]:
    """Unnotified absences from Monday of this week up to and including today."""
    monday = today - timedelta(days=today.weekday())
    return [a for a in snap.attendance if a.get("status") == "absent_unnotified" and monday <= a["date"] <= today]


def overdue_agreements(snap: Snapshot, today: date) -> list[dict]:
    """Open agreements whose due date has passed (due today is not yet overdue)."""
    return [a for a in snap.agreements if a["status"] == "open" and a["due_date"] < today]


def last_contact(snap: Snapshot) -> date | None:
    """The last day of real personal contact: a contact record that reached the young person (a
    call answered, a visit, a conversation, a text answered). Attendance at an activity does not
    count (issue 13; docs/decisions.md): turning up is not a talk with the caseworker."""
    days = [c.date() for c in snap.reached_contacts]
    return max(days) if days else None


def no_contact(snap: Snapshot, today: date) -> bool:
    """No contact for CONTACT_DAYS days (counted from the last contact, or from when the case began)."""
    since = last_contact(snap) or snap.followed_since
    return since is not None and (today - since).days >= CONTACT_DAYS


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def compute_flags(snap: Snapshot, now: datetime) -> list[Flag]:
    """The flags for one young person at local time `now`; none for a finished case."""
    if not snap.active:
        return []
    today = now.date()
    flags: list[Flag] = []
    missing = missing_check_ins(snap, now)
    if missing:
        flags.append(Flag("not_checked_in", ", ".join(f"{a['title']} kl. {a['start_time']}" for a in missing)))
    if unreached_no_show(snap, now):
        flags.append(Flag("unreached", "ingen har fået fat i den unge i dag"))
    absences = unexplained_absences_this_week(snap, today)
    if absences:
        flags.append(Flag("unexplained_absence", _count(len(absences), "gang", "gange")))
    overdue = overdue_agreements(snap, today)
    if overdue:
        flags.append(Flag("agreement_overdue", _count(len(overdue), "aftale", "aftaler")))
    due = overdue_assessment(snap.plan_start, snap.submitted_due_dates, today)
    if due is not None:
        flags.append(Flag("assessment_overdue", f"skulle være lavet {due.strftime('%d.%m.%Y')}"))
    if snap.unresolved_conflicts:
        flags.append(Flag("conflict", _count(snap.unresolved_conflicts, "konflikt", "konflikter")))
    if no_contact(snap, today):
        last = last_contact(snap)
        flags.append(Flag("no_contact", f"sidst {last.strftime('%d.%m.%Y')}" if last else "ingen kontakt registreret"))
    company = company_follow_up_detail(snap.company_agreements, today)
    if company:
        flags.append(Flag("company_follow_up", company))
    exit_detail = exit_ready_detail(snap, today)
    if exit_detail:
        flags.append(Flag("exit_ready", exit_detail))
    return flags


def exit_ready_detail(snap: Snapshot, today: date) -> str:
    """In trin 3 and at least 30 ordinary hours in each of the last three whole months: the months'
    hours ('32, 35 og 31 timer'), so the coordinator can end trin 3 or plan the exit; else ''."""
    if snap.step != Step.VIRKSOMHEDSFORLOEB or not snap.hours:
        return ""
    rows, met = exit_rule(snap.hours, today, months=MONTHS_IN_A_ROW + 1)
    if not met:
        return ""
    hours = [f"{r.ordinary:g}".replace(".", ",") for r in rows[:-1]]
    return f"{', '.join(hours[:-1])} og {hours[-1]} ordinære timer de sidste tre måneder"


COMPANY_STATES = {"overdue": "forfalden siden {day}", "due": "i dag", "unplanned": "ingen planlagt inden {day}"}


def company_follow_up_detail(agreements: list[dict], today: date) -> str:
    """'<company>: <state>' for each company agreement whose follow-up is due, overdue or not planned."""
    out = []
    for ag in agreements:
        st = follow_up_state(ag, today)
        if st.state in COMPANY_STATES:
            day = st.day.strftime("%d.%m.%Y") if st.day else ""
            out.append(f"{ag['company']}: {COMPANY_STATES[st.state].format(day=day)}")
    return "; ".join(out)
