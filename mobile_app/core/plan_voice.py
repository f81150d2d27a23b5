"""The young person's voice in the app: their words, their answer to the plan, their proposed sub-goals.

Works offline like every other entry: validated with the shared schema, saved locally and queued
(`Services._save`); the rules of who may write what are `shared.plan_voice`'s, the same as the server's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.services import Services, new_id
from shared import permissions
from shared.enums import ProposalStatus, YouthAnswer, label_da
from shared.plan_voice import answer_state

WORD_FIELDS = (
    ("youth_wish", "Det vil jeg"),
    ("youth_strengths", "Det er jeg god til"),
    ("youth_barriers", "Det står i vejen"),
)


@dataclass
class Voice:
    """What the plan screen shows at the top."""

    plan: dict[str, Any] | None
    words: list[tuple[str, str, str]]  # (field, Danish label, text)
    written_by: str  # "self", "staff" or "" (nothing written yet)
    answer: str  # none | agree | disagree | older (see shared.plan_voice.answer_state)
    revision: int
    proposals: list[dict[str, Any]]

    @property
    def has_words(self) -> bool:
        return any(text for _, _, text in self.words)


class VoiceServices:
    """The voice use cases for the logged-in user, on top of the app's Services."""

    def __init__(self, svc: Services):
        self.svc = svc

    def _plan(self, youth_id: str) -> dict[str, Any] | None:
        plans = [p for p in self.svc.store.all("plan", youth_id) if not p.get("deleted")]
        return plans[0] if plans else None

    def voice(self, youth_id: str) -> Voice:
        plan = self._plan(youth_id)
        words = [(f, label, (plan or {}).get(f) or "") for f, label in WORD_FIELDS]
        by = (plan or {}).get("voice_updated_by_user_id")
        youth = self.svc.youth(youth_id) or {}
        written_by = "" if not by else ("self" if by == youth.get("user_id") else "staff")
        if not by and any(t for _, _, t in words):
            written_by = "self" if self.svc.is_youth else "staff"  # written here, not sent yet
        proposals = sorted(
            self.svc.store.all("goal_proposal", youth_id),
            key=lambda p: (p.get("status") != ProposalStatus.PROPOSED, p.get("proposed_at") or "~"),
        )
        return Voice(plan, words, written_by, answer_state(plan), int((plan or {}).get("revision") or 1), proposals)

    def save_words(self, youth_id: str, wish: str, strengths: str, barriers: str) -> dict[str, Any]:
        """The young person's own words (or a mentor writing them together with the young person)."""
        self.svc._require_access(youth_id)
        if self.svc.role not in ("youth", "mentor"):
            raise ValidationFailed("Den unges ord skrives af den unge selv eller sammen med mentoren.")
        plan = self._plan(youth_id)
        if plan is None:
            raise ValidationFailed("Din plan er ikke lavet endnu. Tal med din tovholder.")
        changes = {
            "youth_wish": (wish or "").strip(),
            "youth_strengths": (strengths or "").strip(),
            "youth_barriers": (barriers or "").strip(),
        }
        return self.svc._save("plan", plan["id"], youth_id, changes, create=False)

    def answer_plan(self, agree: bool, comment: str = "") -> dict[str, Any]:
        """'Jeg er enig i planen' / 'Jeg er ikke enig' (with a comment), for the version on the phone."""
        youth_id = self.svc.my_youth_id()
        if not self.svc.is_youth or not youth_id:
            raise ValidationFailed("Kun den unge selv kan sige, om de er enige i planen.")
        plan = self._plan(youth_id)
        if plan is None:
            raise ValidationFailed("Din plan er ikke lavet endnu.")
        comment = (comment or "").strip()
        if not agree and not comment:
            raise ValidationFailed("Skriv kort, hvad du ikke er enig i.")
        return self.svc._save(
            "plan",
            plan["id"],
            youth_id,
            {
                "youth_answer": (YouthAnswer.AGREE if agree else YouthAnswer.DISAGREE).value,
                "youth_answer_comment": comment,
                "youth_answer_revision": int(plan.get("revision") or 1),
            },
            create=False,
        )

    def propose_goal(self, text: str) -> dict[str, Any]:
        """The young person proposes a sub-goal in their own words; staff answer it."""
        youth_id = self.svc.my_youth_id()
        if not self.svc.is_youth or not youth_id:
            raise ValidationFailed("Forslag til delmål kommer fra den unge selv.")
        text = (text or "").strip()
        if not text:
            raise ValidationFailed("Skriv dit forslag.")
        return self.svc._save(
            "goal_proposal",
            new_id(),
            youth_id,
            {"text": text, "status": ProposalStatus.PROPOSED.value, "answer": "", "goal_id": None},
            create=True,
        )

    def may_answer(self, proposal: dict[str, Any]) -> bool:
        """Whether the user may answer this waiting proposal (the shared rule: the mentor or the
        coordinator; partners read proposals but do not answer them)."""
        answered = {**proposal, "status": ProposalStatus.DECLINED.value, "answer": "-"}
        return proposal.get("status") == ProposalStatus.PROPOSED and permissions.may_write(
            self.svc.user, "goal_proposal", "upsert", proposal, answered, {"status", "answer"}, self.svc.today()
        )

    def may_make_goal(self) -> bool:
        """Whether the user may turn a proposal into a shared sub-goal of their own organisation."""
        return self.svc.may("goal")

    def answer_proposal(self, proposal_id: str, action: str, title: str = "", answer: str = "") -> dict[str, Any]:
        """The mentor or coordinator answers a proposal with the young person: `accept` (the words
        become a shared sub-goal of their organisation), `reword` (a sub-goal in other words, and why)
        or `decline` (and why). Both records are queued in order and pushed in one batch."""
        prop = self.svc.store.get("goal_proposal", proposal_id)
        if prop is None:
            raise ValidationFailed("Forslaget findes ikke længere på telefonen.")
        if prop.get("status") != ProposalStatus.PROPOSED:
            raise ValidationFailed("Forslaget er allerede besvaret.")
        if not self.may_answer(prop):
            raise ValidationFailed("Det er den unges mentor eller tovholder, der svarer på forslaget.")
        answer = (answer or "").strip()
        status = {
            "accept": ProposalStatus.ACCEPTED,
            "reword": ProposalStatus.REWORDED,
            "decline": ProposalStatus.DECLINED,
        }.get(action)
        if status is None:
            raise ValidationFailed("Vælg: tag det med, tag det med i andre ord, eller ikke nu.")
        if status != ProposalStatus.ACCEPTED and not answer:
            raise ValidationFailed("Skriv til den unge, hvorfor.")
        title = (prop.get("text", "") if status == ProposalStatus.ACCEPTED else (title or "").strip())[:200]
        goal_id = None
        if status != ProposalStatus.DECLINED:
            if not title:
                raise ValidationFailed("Skriv delmålet med jeres egne ord.")
            if not self.may_make_goal():
                raise ValidationFailed("Du kan ikke oprette delmål. Svar 'Ikke nu', eller bed tovholderen.")
            goal_id = new_id()
            self.svc._save(
                "goal",
                goal_id,
                prop["youth_id"],
                {
                    "organization_id": self.svc.user.get("organization_id"),
                    "title": title,
                    "description": "",
                    "status": "open",
                    "target_date": None,
                    "visibility": "shared",
                },
                create=True,
            )
        return self.svc._save(
            "goal_proposal",
            proposal_id,
            prop["youth_id"],
            {"status": status.value, "answer": answer, "goal_id": goal_id},
            create=False,
        )

    def proposal_lines(self, proposal: dict[str, Any]) -> list[str]:
        """Plain Danish lines about one proposal for the young person: status, the answer, the goal."""
        out = [label_da(proposal.get("status") or ProposalStatus.PROPOSED)]
        goal = self.svc.store.get("goal", proposal["goal_id"]) if proposal.get("goal_id") else None
        if goal:
            out.append(f"Delmål: {goal.get('title', '')}")
        if proposal.get("answer"):
            out.append(f"Svar: {proposal['answer']}")
        return out
