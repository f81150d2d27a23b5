"""What the screens call: reading the plan/caseload and saving entries (validated, then queued).

All rules live in the core (when an assessment is due, who has not checked in); who may write what
is the one rule in `shared.permissions`, asked before every save and by the screens to hide what
the user cannot do. The views only show the results and pass on what the user entered.

`Services` is built in layers along the seams of the work: `service_core.ServiceCore` (user,
clock, permissions, the one save), `assessments.AssessmentServices` (the 6-weekly assessment),
`reading.PlanReading` (day, week, plan, caseload) and, here, saving the day's entries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.reading import PlanReading
from mobile_app.core.service_core import (
    ASSESSMENT_OPENS_DAYS_BEFORE,
    ATTENDANCE_DAYS_BACK,
    CHECK_IN_OPENS_MINUTES,
    ActivityToday,
    CaseloadRow,
    Record,
    ServiceCore,
    _d,
    _iso,
    new_id,
)
from mobile_app.core.validation import check
from shared.enums import AgreementStatus, AttendanceStatus, OutreachMethod
from shared.labels import WEEKDAYS_DA
from shared.schedule import occurs_on

__all__ = [
    "ASSESSMENT_OPENS_DAYS_BEFORE",
    "ATTENDANCE_DAYS_BACK",
    "CHECK_IN_OPENS_MINUTES",
    "WEEKDAYS_DA",
    "ActivityToday",
    "CaseloadRow",
    "Record",
    "ServiceCore",
    "Services",
    "new_id",
]


class Services(PlanReading):
    """The app's use cases for the logged-in user: reading (PlanReading, AssessmentServices) and
    saving the day's entries: check-in, absence, attendance, outreach, agreements."""

    # ---- saving the day's entries ------------------------------------------------------

    def check_in(self, activity_id: str, day: date | None = None) -> Record:
        """'Jeg er her': the young person's own check-in for an activity today."""
        youth_id = self.my_youth_id()
        if not self.is_youth or not youth_id:
            raise ValidationFailed("Kun den unge kan tjekke ind. Brug 'Registrér fremmøde'.")
        act = self._activity(activity_id)
        day = day or self.today()
        existing = self.store.find_attendance(youth_id, act["id"], day.isoformat())
        if existing and existing.get("self_checked_in_at"):
            return existing
        refusal = self._check_in_refusal(act, day)
        if refusal:
            raise ValidationFailed(refusal)
        return self._save_attendance(youth_id, act["id"], day.isoformat(), {"self_checked_in_at": self._utc_now_iso()})

    def notify_absence(self, activity_id: str, reason: str, day: date | None = None) -> Record:
        """'Jeg kommer ikke i dag': an absence notice with a reason."""
        youth_id = self.my_youth_id()
        if not self.is_youth or not youth_id:
            raise ValidationFailed("Kun den unge kan melde fra her.")
        act = self._activity(activity_id)
        day = day or self.today()
        changes = {"status": AttendanceStatus.ABSENT_NOTIFIED.value, "absence_reason": (reason or "").strip()}
        return self._save_attendance(youth_id, act["id"], day.isoformat(), changes)

    def record_attendance(
        self, youth_id: str, activity_id: str, day: date | str, status: str, reason: str = "", note: str = ""
    ) -> Record:
        """Staff record: present, late, absent with or without notice."""
        self._require_access(youth_id)
        if status not in {s.value for s in AttendanceStatus}:
            raise ValidationFailed("Vælg, om den unge mødte, kom for sent eller var væk.")
        act = self._activity(activity_id)
        try:
            the_day = _d(day)
        except ValueError:
            the_day = None
        if the_day is None:
            raise ValidationFailed("Vælg en dag.")
        if the_day > self.today():
            raise ValidationFailed("Fremmøde kan først registreres på dagen.")
        if not occurs_on(act.get("weekdays") or [], _d(act.get("start_date")), _d(act.get("end_date")), the_day):
            raise ValidationFailed("Aktiviteten ligger ikke på den dag. Vælg en anden dag eller aktivitet.")
        day_iso = _iso(the_day)
        changes = {"status": status, "absence_reason": (reason or "").strip(), "note": (note or "").strip()}
        return self._save_attendance(youth_id, act["id"], day_iso, changes)

    def _save_attendance(self, youth_id: str, activity_id: str, day_iso: str, changes: dict[str, Any]) -> Record:
        """One attendance per young person, activity and day: change the stored one, or create it."""
        existing = self.store.find_attendance(youth_id, activity_id, day_iso)
        if existing:
            return self._save("attendance", existing["id"], youth_id, changes, create=False)
        data = {"activity_id": activity_id, "date": day_iso, **changes}
        return self._save("attendance", new_id(), youth_id, data, create=True)

    def log_outreach(
        self, youth_id: str, method: str, reached: bool, note: str = "", visibility: str | None = None
    ) -> Record:
        """Opsøgende kontakt: a call, text or home visit, and whether the young person was reached."""
        self._require_access(youth_id)
        if method not in {m.value for m in OutreachMethod}:
            raise ValidationFailed("Vælg, hvordan du tog kontakt.")
        return self._save(
            "outreach",
            new_id(),
            youth_id,
            {
                "organization_id": self.user.get("organization_id"),
                "method": method,
                "reached": bool(reached),
                "note": (note or "").strip(),
                "contacted_at": self._utc_now_iso(),
                "visibility": visibility or self.default_visibility(),
            },
            create=True,
        )

    def add_agreement(
        self,
        youth_id: str,
        text: str,
        due_date: date | str | None,
        responsible: str = "youth",
        visibility: str | None = None,
    ) -> Record:
        self._require_access(youth_id)
        return self._save(
            "agreement",
            new_id(),
            youth_id,
            {
                "organization_id": self.user.get("organization_id"),
                "text": (text or "").strip(),
                "responsible": responsible,
                "responsible_user_id": self.user.get("id") if responsible == "staff" else None,
                "due_date": _iso(due_date) if due_date else None,
                "status": AgreementStatus.OPEN.value,
                "visibility": visibility or self.default_visibility(),
            },
            create=True,
        )

    def review_agreement(self, agreement_id: str, status: str, note: str = "") -> Record:
        """The daily review: kept, not kept (or cancelled)."""
        ag = self.store.get("agreement", agreement_id)
        if ag is None:
            raise ValidationFailed("Aftalen findes ikke længere.")
        if status not in {
            AgreementStatus.KEPT,
            AgreementStatus.NOT_KEPT,
            AgreementStatus.CANCELLED,
            AgreementStatus.OPEN,
        }:
            raise ValidationFailed("Vælg holdt, ikke holdt eller genforhandlet.")
        return self._save(
            "agreement",
            agreement_id,
            ag["youth_id"],
            {
                "status": status,
                "review_note": (note or "").strip(),
                "reviewed_at": self._utc_now_iso(),
            },
            create=False,
        )

    def renegotiate_agreement(self, agreement_id: str, new_text: str, new_due: date | str, note: str = "") -> Record:
        """Renegotiated: the old agreement is closed with a note and a new one replaces it."""
        ag = self.store.get("agreement", agreement_id)
        if ag is None:
            raise ValidationFailed("Aftalen findes ikke længere.")
        text = (new_text or "").strip() or ag.get("text", "")
        # Check the new agreement first, so a bad entry changes nothing.
        check(
            "agreement",
            {**ag, "id": new_id(), "text": text, "due_date": _iso(new_due) if new_due else None, "status": "open"},
        )
        self.review_agreement(agreement_id, AgreementStatus.CANCELLED.value, f"Genforhandlet. {note}".strip())
        return self.add_agreement(
            ag["youth_id"], text, new_due, ag.get("responsible", "youth"), ag.get("visibility") or None
        )

    def youth_update_agreement(self, agreement_id: str, done: bool | None, comment: str = "") -> Record:
        """The young person comments on an agreement and/or marks it done (`done` None: only the
        comment). Only the young person's own agreements can be marked done; staff set the status."""
        ag = self.store.get("agreement", agreement_id)
        if ag is None:
            raise ValidationFailed("Aftalen findes ikke længere.")
        if not self.is_youth:
            raise ValidationFailed("Brug 'Gennemgå' for at sætte status.")
        self._require_access(ag["youth_id"])
        if done is not None and ag.get("responsible") == "staff":
            raise ValidationFailed(f"{self.who_does(ag)} – det er ikke dig, der skal sætte den som gjort.")
        changes: dict[str, str | None] = {"youth_comment": (comment or "").strip()}
        if done is None:
            pass
        elif done and not ag.get("youth_marked_done_at"):
            changes["youth_marked_done_at"] = self._utc_now_iso()
        elif not done:
            changes["youth_marked_done_at"] = None
        return self._save("agreement", agreement_id, ag["youth_id"], changes, create=False)
