"""The policies of issue 14's entities: goal proposals, step moves, company agreements, their
follow-ups and working hours (see `backend.domain.policies` for what a policy decides)."""

from __future__ import annotations

from backend.domain.policies import (
    ORGANIZATION,
    YOUTH,
    FollowUpsFollow,
    Policy,
    Reference,
    Rejected,
    Writer,
)
from shared.enums import Role


class GoalProposalPolicy(Policy):
    """Forslag til delmål: the young person's words; who proposed it and who answered, and when. An
    accepted or reworded proposal points at a sub-goal the young person can see."""

    entity = "goal_proposal"
    references = (
        YOUTH,
        Reference("goal_id", "goal", "invalid_reference", "Delmålet findes ikke for denne unge.", same_youth=True),
    )

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        out: dict = {}
        if row is None:
            out.update(proposed_by_user_id=writer.id, proposed_at=now)
        fields = set(loaded if row is None else changed)
        if writer.role != Role.YOUTH and fields & {"status", "answer", "goal_id"}:
            out.update(answered_by_user_id=writer.id, answered_at=now)
        goal_id = loaded.get("goal_id", row.goal_id if row is not None else None)
        goal = records.find("goal", goal_id) if goal_id else None
        if goal is not None and (goal.visibility != "shared" or goal.deleted):
            raise Rejected("invalid_reference", "Vælg et delmål, som den unge kan se (delt med alle).")
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


class CompanyAgreementPolicy(Policy):
    """Virksomhedsaftale: owned by an organisation; its placement activity belongs to the same young
    person; remembers who made it."""

    entity = "company_agreement"
    references = (
        ORGANIZATION,
        YOUTH,
        Reference(
            "activity_id", "activity", "invalid_reference", "Aktiviteten findes ikke for denne unge.", same_youth=True
        ),
    )

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        return {"created_by_user_id": writer.id} if row is None else {}

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        if before is not None and any(before.get(f) != after.get(f) for f in ("visibility", "organization_id")):
            return [FollowUpsFollow(after["id"])]
        return []

    def delete_effects(self, record_id: str) -> list:
        return [FollowUpsFollow(record_id)]


class WorkHoursPolicy(Policy):
    """Arbejdstimer: owned by an organisation; its company agreement belongs to the same young person;
    remembers who recorded it."""

    entity = "work_hours"
    references = (
        ORGANIZATION,
        YOUTH,
        Reference(
            "company_agreement_id",
            "company_agreement",
            "invalid_reference",
            "Virksomhedsaftalen findes ikke for denne unge.",
            same_youth=True,
        ),
    )

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        return {"recorded_by_user_id": writer.id}


class PlacementFollowUpPolicy(Policy):
    """Opfølgning på en virksomhedsaftale: takes its agreement's owner and visibility (a follow-up on
    a private agreement stays private); remembers who recorded it."""

    entity = "placement_follow_up"
    references = (YOUTH,)  # the organisation is the agreement's, set by the server

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        agreement_id = loaded.get("company_agreement_id") or (row.company_agreement_id if row is not None else None)
        ag = records.find("company_agreement", agreement_id)
        youth_id = loaded.get("youth_id") or (row.youth_id if row is not None else None)
        if (
            ag is None
            or ag.youth_id != youth_id
            or ag.deleted
            or not records.may_see(ag.organization_id, ag.visibility)
        ):
            raise Rejected("invalid_reference", "Virksomhedsaftalen findes ikke for denne unge.")
        return {"organization_id": ag.organization_id, "visibility": ag.visibility, "recorded_by_user_id": writer.id}
