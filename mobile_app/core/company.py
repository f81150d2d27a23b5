"""Company agreements (virksomhedsaftaler) on the phone: the mentor creates one and records its
follow-ups offline; the young person reads theirs. Validated with the shared schema, then queued."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.services import Services, new_id
from shared.company import FollowUpState, follow_up_state
from shared.hours import HoursRecord, MonthHours, month_hours

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
        """The young person's agreements (newest first), each with where its follow-ups stand."""
        items = sorted(
            self.svc.store.all("company_agreement", youth_id), key=lambda a: a.get("start_date") or "", reverse=True
        )
        return [(a, follow_up_state(a, self.svc.today())) for a in items]

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
            data.update(
                organization_id=self.svc.user.get("organization_id"),
                visibility="shared",
                activity_id=None,
                follow_ups=[{"date": first, "done": False, "note": ""}] if first else [],
            )
            return self.svc._save("company_agreement", new_id(), youth_id, data, create=True)
        return self.svc._save("company_agreement", agreement_id, youth_id, data, create=False)

    def record_follow_up(self, agreement_id: str, note: str, next_date: str = "") -> dict[str, Any]:
        """Mark the next planned follow-up done (today's, or the oldest open one) and plan the next."""
        ag = self.svc.store.get("company_agreement", agreement_id)
        if ag is None:
            raise ValidationFailed("Aftalen findes ikke længere på telefonen.")
        self._staff(ag["youth_id"])
        ups = [dict(f) for f in ag.get("follow_ups") or []]
        open_ = sorted((f for f in ups if not f.get("done")), key=lambda f: f["date"])
        nxt = _day(next_date, "Næste opfølgning")
        if not open_ and not nxt:
            raise ValidationFailed("Der er ingen planlagt opfølgning. Skriv datoen for den næste.")
        if open_:
            open_[0].update(done=True, note=(note or "").strip()[:500])
        if nxt and nxt not in {f["date"] for f in ups}:
            ups.append({"date": nxt, "done": False, "note": ""})
        return self.svc._save(
            "company_agreement",
            agreement_id,
            ag["youth_id"],
            {"follow_ups": sorted(ups, key=lambda f: f["date"])},
            create=False,
        )


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


def record_week_hours(
    svc: Services, youth_id: str, monday: str, ordinary: object, supported: object = "", agreement_id: str | None = None
) -> dict[str, Any]:
    """The mentor records a week's ordinary and supported hours (from the company contact's numbers)."""
    svc.require_may("work_hours")  # the shared rule (issue 9)
    svc._require_access(youth_id)
    start = _day(monday, "Ugens mandag") or (svc.today() - timedelta(days=svc.today().weekday())).isoformat()
    hours = _hours(ordinary)
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
            "period": "week",
            "period_start": start,
            "ordinary_hours": hours,
            "supported_hours": _hours(supported) or 0.0,
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


def _hours(value: object) -> float | None:
    value = str(value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValidationFailed("Timer om ugen skal være et tal, fx 12 eller 7,5.") from None
