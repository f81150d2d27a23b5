"""Fælles plan, delmål, forslag til delmål and aftaler: what the young person and the agencies agree on."""

from __future__ import annotations

from backend.domain.base import YOUTH, Policy, Reference, Rejected, Writer
from backend.domain.effects import PlanRevised
from shared.enums import Role
from shared.plan_voice import ANSWER_FIELDS, GOAL_CONTENT_FIELDS, PLAN_CONTENT_FIELDS, VOICE_FIELDS


class PlanPolicy(Policy):
    """Fælles plan: one per young person. A change of its content makes a new version (`revision`,
    `revised_at`); who last wrote the young person's words and when they answered are recorded."""

    entity = "plan"
    one_per_youth = ("duplicate_plan", "Den unge har allerede én fælles plan.")

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        fields = set(loaded if row is None else changed)
        out: dict = {}
        if row is None:
            out.update(revision=1, revised_at=now)
        elif fields & PLAN_CONTENT_FIELDS:
            out.update(revision=(row.revision or 1) + 1, revised_at=now)
        voice = fields & VOICE_FIELDS
        if voice and (row is not None or any(loaded.get(f) for f in voice)):
            out.update(voice_updated_by_user_id=writer.id, voice_updated_at=now)
        if fields & ANSWER_FIELDS and (row is not None or loaded.get("youth_answer")):
            answered = loaded.get("youth_answer_revision", row.youth_answer_revision if row is not None else None)
            current = out.get("revision", row.revision if row is not None else 1)
            if answered is not None and answered > current:
                raise Rejected("invalid", "Svaret hører til en udgave af planen, som ikke findes.")
            out["youth_answered_at"] = now
        return out


class GoalPolicy(Policy):
    """Delmål: owned by an organisation. A shared sub-goal is part of the plan the young person
    agrees to: changing one makes a new version of the plan."""

    entity = "goal"

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        shared = "shared" in {(before or {}).get("visibility"), after.get("visibility")}
        touched = before is None or any(before.get(f) != after.get(f) for f in GOAL_CONTENT_FIELDS)
        return [PlanRevised(youth_id=after["youth_id"])] if shared and touched else []

    def delete_effects(self, record_id: str) -> list:
        return [PlanRevised(goal_id=record_id)]


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


class AgreementPolicy(Policy):
    """Aftale: remembers who made it."""

    entity = "agreement"

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        return {"created_by_user_id": writer.id} if row is None else {}
