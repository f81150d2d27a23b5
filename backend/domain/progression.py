"""Progressionsmåling and trin: the 6-weekly scores and the moves between the three steps, both history once made."""

from __future__ import annotations

from backend.domain.base import YOUTH, Policy
from shared.enums import Role


class AssessmentPolicy(Policy):
    """Progressionsmåling: remembers the rater (and a staff rater's organisation); immutable once
    submitted."""

    entity = "assessment"
    locked_change = "En indsendt progressionsmåling kan ikke ændres."
    locked_delete = "En indsendt progressionsmåling kan ikke slettes."

    def locked(self, row) -> bool:
        return row.submitted_at is not None

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        if row is not None:
            return {}
        out = {"rater_user_id": writer.id}
        if writer.role != Role.YOUTH and not loaded.get("organization_id"):
            out["organization_id"] = writer.organization_id
        return out


class StepChangePolicy(Policy):
    """Trin: a move of the young person's step; who moved it and when. A move is history: it can be
    neither changed nor deleted (a wrong one is followed by a new move that says why)."""

    entity = "step_change"
    references = (YOUTH,)
    locked_change = "Et trinskift kan ikke ændres bagefter. Registrér et nyt trinskift i stedet."
    locked_delete = "Et trinskift kan ikke slettes. Registrér et nyt trinskift, der retter det."

    def locked(self, row) -> bool:
        return True

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        return {"changed_by_user_id": writer.id, "changed_at": now} if row is None else {}
