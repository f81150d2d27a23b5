"""The young person's voice in the plan: who may write their words, their answer and their proposals.

Pure rules shared by the server (`backend.access.check_write` asks here first) and the app (which
offers only what would be accepted). docs/architecture.md describes the fields.

- "Det vil jeg" (`youth_wish`, `youth_strengths`, `youth_barriers`) is written by the young person,
  or by their mentor or coordinator together with them; the server records who and when.
- The answer to a version of the plan (`youth_answer`, `youth_answer_comment`,
  `youth_answer_revision`) is the young person's alone: nobody may agree on their behalf.
- A proposed sub-goal (`goal_proposal`) is the young person's words: they may change it while it
  waits for an answer; staff (mentor, coordinator) answer it and may record one the young person
  dictates. Partners read proposals but do not answer them.
"""

from __future__ import annotations

from typing import Any

VOICE_FIELDS = frozenset({"youth_wish", "youth_strengths", "youth_barriers"})
ANSWER_FIELDS = frozenset({"youth_answer", "youth_answer_comment", "youth_answer_revision"})
PLAN_CONTENT_FIELDS = frozenset({"end_goal", "end_goal_kind", "start_date", "target_date"})
"""Changing one of these makes a new version of the plan (so does a shared sub-goal)."""
GOAL_CONTENT_FIELDS = frozenset({"title", "description", "status", "target_date", "visibility"})
PROPOSAL_ANSWER_FIELDS = frozenset({"status", "answer", "goal_id"})
ANSWERING_ROLES = frozenset({"mentor", "coordinator"})

Verdict = tuple[str, str] | None
"""None: allowed; (code, Danish message): refused."""


def voice_write(
    role: str, entity: str, op: str, existing: dict[str, Any] | None, new: dict[str, Any], changed: set[str]
) -> Verdict | bool:
    """The rule for the plan's voice fields and for goal proposals.

    Returns False when the write is none of this rule's business (the general rules decide),
    None when it is allowed, or (code, message) when it is refused.
    """
    if op != "upsert":
        return False  # deletes: the general rules (only the coordinator deletes)
    if entity == "plan":
        return _plan(role, existing, changed)
    if entity == "goal_proposal":
        return _proposal(role, existing, new, changed)
    return False


def _plan(role: str, existing: dict[str, Any] | None, changed: set[str]) -> Verdict | bool:
    own = changed & (VOICE_FIELDS | ANSWER_FIELDS)
    if role == "youth":
        if existing is None:
            return ("forbidden", "Planen laves sammen med din tovholder.")
        if changed - VOICE_FIELDS - ANSWER_FIELDS:
            return ("forbidden_field", "Du kan skrive dine egne ord og dit svar på planen. Resten laver I sammen.")
        return None
    if changed & ANSWER_FIELDS:
        return ("forbidden_field", "Kun den unge selv kan sige, om de er enige i planen.")
    if role == "mentor":
        if existing is None or changed - VOICE_FIELDS:
            return ("forbidden", "Kun koordinatoren kan ændre dette.")
        return None
    if not own or role == "coordinator":
        return False  # the general rules: the coordinator writes the plan, nobody else
    return ("forbidden", "Kun koordinatoren kan ændre dette.")


def _proposal(role: str, existing: dict[str, Any] | None, new: dict[str, Any], changed: set[str]) -> Verdict | bool:
    if role == "youth":
        if existing is None and new.get("status", "proposed") != "proposed":
            return ("forbidden_field", "Det er din mentor eller tovholder, der svarer på dit forslag.")
        if existing is not None and (changed - {"text"}):
            return ("forbidden_field", "Det er din mentor eller tovholder, der svarer på dit forslag.")
        if existing is not None and existing.get("status") != "proposed" and "text" in changed:
            return ("forbidden_field", "Forslaget er allerede besvaret. Lav et nyt forslag, hvis du vil.")
        return None
    if role not in ANSWERING_ROLES:
        return ("forbidden", "Din organisation kan ikke svare på den unges forslag.")
    if existing is not None and "text" in changed:
        return ("forbidden_field", "Forslaget er den unges egne ord. Svar i stedet, eller lav delmålet med andre ord.")
    return None


def agreed_to_current(plan: dict[str, Any] | None) -> bool:
    """Whether the young person said they agree to the plan's current version."""
    return answer_state(plan) == "agree"


def answer_state(plan: dict[str, Any] | None) -> str:
    """`none`, `agree`, `disagree` (to the current version) or `older` (answered an earlier one)."""
    if not plan or not plan.get("youth_answer"):
        return "none"
    if plan.get("youth_answer_revision") != (plan.get("revision") or 1):  # a plan from before versions: 1
        return "older"
    return str(plan["youth_answer"])
