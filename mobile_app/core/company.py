"""Company agreements (virksomhedsaftaler) on the phone: the mentor creates one and records its
follow-ups offline; the young person reads theirs. Validated with the shared schema, then queued."""

from __future__ import annotations

from datetime import date
from typing import Any

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.services import Services, new_id
from shared.company import FollowUpState, follow_up_state, open_follow_up
from shared.hours import PERIODS, HoursRecord, MonthHours, month_hours, period_start

TEXT_FIELDS = (
    "company",
    "contact_name",
    "contact_phone",
    "hours_spread",
    "tasks",
    "workplace_support",
    "health_considerations",
)


class CompanyServices:
    def __init__(self, svc: Services):
        self.svc = svc

    def agreements(self, youth_id: str) -> list[tuple[dict[str, Any], FollowUpState]]:
        """The young person's agreements (newest first), each with its follow-ups (`follow_ups`, due
        date order) and where they stand."""
        items = sorted(
            self.svc.store.all("company_agreement", youth_id), key=lambda a: a.get("start_date") or "", reverse=True
        )
        ups = self.svc.store.all("placement_follow_up", youth_id)
        out = []
        for a in items:
            mine = sorted((f for f in ups if f.get("company_agreement_id") == a["id"]), key=lambda f: f["due_date"])
            facts = {**a, "follow_ups": mine}
            out.append((facts, follow_up_state(facts, self.svc.today())))
        return out

    def agreement(self, agreement_id: str) -> dict[str, Any] | None:
        """One agreement with its follow-ups (as in `agreements`)."""
        ag = self.svc.store.get("company_agreement", agreement_id)
        if ag is None:
            return None
        return next((a for a, _ in self.agreements(ag["youth_id"]) if a["id"] == agreement_id), None)

    def _staff(self, youth_id: str) -> None:
        self.svc.require_may("company_agreement")  # the shared rule (issue 9)
        self.svc._require_access(youth_id)

    def save(self, youth_id: str, values: dict[str, Any], agreement_id: str | None = None) -> dict[str, Any]:
        """Create (no id) or change an agreement from the form's text values."""
        self._staff(youth_id)
        data = {f: (values.get(f) or "").strip() for f in TEXT_FIELDS}
        data["hours_per_week"] = _hours(values.get("hours_per_week"))
        data["start_date"] = _day(values.get("start_date"), "Start") or self.svc.today().isoformat()
        data["end_date"] = _day(values.get("end_date"), "Slut")
        first = _day(values.get("first_follow_up"), "Første opfølgning")
        if agreement_id is None:
            data.update(organization_id=self.svc.user.get("organization_id"), visibility="shared", activity_id=None)
            saved = self.svc._save("company_agreement", new_id(), youth_id, data, create=True)
        else:
            saved = self.svc._save("company_agreement", agreement_id, youth_id, data, create=False)
        if first:
            self._plan(saved, first)
        return saved

    def _plan(self, ag: dict[str, Any], day: str) -> dict[str, Any] | None:
        """A new follow-up on `day` (its own record: another device's follow-ups are never overwritten);
        owner and visibility are the agreement's, as the server will set them."""
        known = self.agreement(ag["id"]) or {"follow_ups": []}
        if any(f["due_date"] == day for f in known["follow_ups"]):
            return None
        data = {
            "company_agreement_id": ag["id"],
            "organization_id": ag.get("organization_id"),
            "visibility": ag.get("visibility") or "shared",
            "due_date": day,
            "done_date": None,
            "note": "",
        }
        return self.svc._save("placement_follow_up", new_id(), ag["youth_id"], data, create=True)

    def record_follow_up(self, agreement_id: str, note: str, next_date: str = "") -> dict[str, Any]:
        """Mark the oldest open follow-up done today (with what was said) and plan the next one."""
        ag = self.agreement(agreement_id)
        if ag is None:
            raise ValidationFailed("Aftalen findes ikke længere på telefonen.")
        self._staff(ag["youth_id"])
        due = open_follow_up(ag["follow_ups"])
        nxt = _day(next_date, "Næste opfølgning")
        if due is None and not nxt:
            raise ValidationFailed("Der er ingen planlagt opfølgning. Skriv datoen for den næste.")
        if due is not None:
            changes = {"done_date": self.svc.today().isoformat(), "note": (note or "").strip()[:500]}
            self.svc._save("placement_follow_up", due["id"], ag["youth_id"], changes, create=False)
        if nxt:
            self._plan(ag, nxt)
        return self.agreement(agreement_id) or ag


def month_hours_now(svc: Services, youth_id: str) -> MonthHours:
    """This month's ordinary and supported hours (the 30-hour exit rule of trin 3)."""
    records = [
        HoursRecord(
            r["period"],
            date.fromisoformat(r["period_start"]),
            float(r.get("ordinary_hours") or 0),
            float(r.get("supported_hours") or 0),
            r.get("company_agreement_id") or "",
        )
        for r in svc.store.all("work_hours", youth_id)
        if r.get("period_start")
    ]
    today = svc.today()
    return month_hours(records, today.year, today.month, today)


def record_hours(
    svc: Services,
    youth_id: str,
    period: str,
    day: object,
    ordinary: object,
    supported: object = "",
    agreement_id: str | None = None,
) -> dict[str, Any]:
    """The mentor records a week's or a month's ordinary and supported hours (the company contact's
    numbers); `day` is any day of that week or month (default: today's)."""
    svc.require_may("work_hours")  # the shared rule (issue 9)
    svc._require_access(youth_id)
    if period not in PERIODS:
        raise ValidationFailed("Vælg uge eller måned.")
    chosen = _day(day, "Dag i perioden")
    start = period_start(period, date.fromisoformat(chosen) if chosen else svc.today())
    hours = _hours(ordinary, "Timer")
    if hours is None:
        raise ValidationFailed("Skriv antal ordinære timer (0, hvis der ingen var).")
    return svc._save(
        "work_hours",
        new_id(),
        youth_id,
        {
            "organization_id": svc.user.get("organization_id"),
            "visibility": "shared",
            "company_agreement_id": agreement_id,
            "period": period,
            "period_start": start.isoformat(),
            "ordinary_hours": hours,
            "supported_hours": _hours(supported, "Timer") or 0.0,
            "note": "",
        },
        create=True,
    )


def _day(value: object, label: str) -> str | None:
    value = str(value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValidationFailed(f"{label}: skriv datoen som ÅÅÅÅ-MM-DD.") from None


def _hours(value: object, what: str = "Timer om ugen") -> float | None:
    value = str(value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValidationFailed(f"{what} skal være et tal, fx 12 eller 7,5.") from None
