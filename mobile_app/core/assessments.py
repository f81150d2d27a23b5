"""The 6-weekly assessment: when it is due or opens, drafts, sending it, progress over time.

Only the latest due date counts (an older missed one is history, `shared.schedule`); a young
person sees their assessment when it is due, staff may fill in the next one early.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.service_core import (
    ASSESSMENT_OPENS_DAYS_BEFORE,
    Record,
    ServiceCore,
    _d,
    _iso,
    new_id,
)
from shared.dimensions import DIMENSIONS, Dimension
from shared.schedule import (
    ASSESSMENT_INTERVAL_DAYS,
    assessment_due_dates,
    next_assessment_due,
    overdue_assessment,
)


class AssessmentServices(ServiceCore):
    """Reading and writing the young person's and the mentor's 6-weekly assessments."""

    def assessments(self, youth_id: str) -> list[Record]:
        return sorted(
            (a for a in self.store.all("assessment", youth_id) if a.get("submitted_at")),
            key=lambda a: (a.get("due_date") or "", a.get("submitted_at") or ""),
        )

    def _plan_start(self, youth_id: str) -> date | None:
        plans = self.store.all("plan", youth_id)
        return _d(plans[0].get("start_date")) if plans else None

    def _submitted_dues(self, youth_id: str, rater_role: str) -> set[date]:
        return {_d(a["due_date"]) for a in self.assessments(youth_id) if a.get("rater_role") == rater_role}

    def assessment_due(self, youth_id: str, rater_role: str | None = None) -> date | None:
        """The due date of the assessment this rater should fill in now, or None."""
        rater_role = rater_role or ("youth" if self.is_youth else "staff")
        start = self._plan_start(youth_id)
        if start is None:
            return None
        dues = assessment_due_dates(start, self.today() + timedelta(days=ASSESSMENT_OPENS_DAYS_BEFORE))
        done = self._submitted_dues(youth_id, rater_role)
        # only the latest due date counts: an older missed one is history (shared.schedule.overdue_assessment)
        return dues[-1] if dues and not any(d >= dues[-1] for d in done) else None

    def next_assessment(self, youth_id: str) -> tuple[date, str] | None:
        """The assessment to fill in now: (due date, 'overdue' | 'due' | 'early'); None without a plan.

        Staff may fill in the next one early (a meeting a few days before the due date); a young
        person is only offered it when it is due (see assessment_due).
        """
        due = self.assessment_due(youth_id)
        if due:
            return due, ("overdue" if due < self.today() else "due")
        start = self._plan_start(youth_id)
        if start is None:
            return None
        rater = "youth" if self.is_youth else "staff"
        nxt = next_assessment_due(start, self.today())
        while nxt in self._submitted_dues(youth_id, rater):
            nxt += timedelta(days=ASSESSMENT_INTERVAL_DAYS)
        return nxt, "early"

    def next_assessment_opens(self, youth_id: str) -> date | None:
        """The day the young person's next assessment can be filled in (None without a plan or when
        one is open now)."""
        nxt = self.next_assessment(youth_id)
        if nxt is None or nxt[1] != "early":
            return None
        return nxt[0] - timedelta(days=ASSESSMENT_OPENS_DAYS_BEFORE)

    def assessment_overdue(self, youth_id: str) -> date | None:
        """The latest passed due date without a staff assessment (shown to the mentor)."""
        return overdue_assessment(self._plan_start(youth_id), self._submitted_dues(youth_id, "staff"), self.today())

    def dimensions(self, rater_role: str | None = None) -> tuple[Dimension, ...]:
        return DIMENSIONS.for_rater(rater_role or ("youth" if self.is_youth else "staff"))

    def progress(self, youth_id: str) -> dict[str, Any]:
        """Average score per assessment over time, self vs staff, and the latest per dimension."""
        series: dict[str, list[tuple[date, float]]] = {"youth": [], "staff": []}
        latest: dict[str, dict[str, int]] = {"youth": {}, "staff": {}}
        common = {d.key for d in DIMENSIONS.for_rater("youth")}
        for a in self.assessments(youth_id):
            scores = {k: v for k, v in (a.get("scores") or {}).items() if k in common}
            role = a.get("rater_role")
            if role not in series or not scores:
                continue
            series[role].append((_d(a["due_date"]), round(sum(scores.values()) / len(scores), 1)))
            latest[role] = dict(a.get("scores") or {})
        return {"series": series, "latest": latest}

    def _draft_key(self, youth_id: str, due: date | str) -> str:
        rater = "youth" if self.is_youth else "staff"
        return f"assessment:{youth_id}:{rater}:{_iso(_d(due))}"

    def assessment_draft(self, youth_id: str, due: date | str) -> dict[str, Any]:
        return self.store.get_draft(self._draft_key(youth_id, due)) or {"scores": {}, "comment": ""}

    def save_assessment_draft(self, youth_id: str, due: date | str, scores: dict[str, int], comment: str = "") -> None:
        """Store answers at once, so they survive the app being closed halfway."""
        self._require_access(youth_id)
        self.store.set_draft(self._draft_key(youth_id, due), {"scores": scores, "comment": comment}, youth_id)

    def submit_assessment(self, youth_id: str, due: date | str, scores: dict[str, int], comment: str = "") -> Record:
        """Send the 6-weekly assessment (youth: self-assessment; staff: the mentor's)."""
        self._require_access(youth_id)
        rater = "youth" if self.is_youth else "staff"
        missing = [d.title for d in DIMENSIONS.for_rater(rater) if d.key not in scores]
        if missing:
            raise ValidationFailed(f"Du mangler at svare på: {', '.join(missing)}.")
        rec = self._save(
            "assessment",
            new_id(),
            youth_id,
            {
                "organization_id": None if self.is_youth else self.user.get("organization_id"),
                "due_date": _iso(_d(due)),
                "rater_role": rater,
                "scores": {k: int(v) for k, v in scores.items()},
                "comment": (comment or "").strip(),
                "comment_visibility": "shared" if self.is_youth else self.default_visibility(),
                "submitted_at": self._utc_now_iso(),
            },
            create=True,
        )
        self.store.delete_draft(self._draft_key(youth_id, due))
        return rec
