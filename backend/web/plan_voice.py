"""The young person's voice on the plan page: their words ("Det vil jeg") written with them, and
staff's answers to their proposed sub-goals. Everything goes through the sync engine, like the phones."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app
from marshmallow import ValidationError

from backend.sync.push import push
from backend.web.common import (
    FormRejected,
    current_user,
    form_mutation_id,
    login_required,
    parse_base_version,
    push_form,
    summary,
)
from backend.web.plan_common import _done, _form, _listed, _rejected, _view_or_404
from shared.enums import Role
from shared.messages import field_messages
from shared.plan_voice import VOICE_FIELDS
from shared.schemas import validate_entity

bp = Blueprint("plan_voice", __name__, url_prefix="/youth")

ACTIONS = ("accept", "reword", "decline")


@bp.post("/<youth_id>/voice")
@login_required
def save_voice(youth_id: str):
    """The young person's own words, written by staff together with them (mentor or coordinator)."""
    view = _view_or_404(youth_id)
    if view.plan is None:
        abort(404)
    values = _form(*sorted(VOICE_FIELDS), "base_version")
    data = {"id": view.plan.id, "youth_id": view.youth.id, **{f: values[f] for f in VOICE_FIELDS}}
    try:
        result = push_form(
            current_user(), "plan", view.plan.id, data, parse_base_version(values["base_version"]), partial=True
        )
    except FormRejected as e:
        return _rejected(view, "voice", e, values)
    return _done(view.youth.id, "voice", f"{view.youth.display_name}s egne ord er gemt.", result)


@bp.post("/<youth_id>/proposals/<proposal_id>")
@login_required
def answer_proposal(youth_id: str, proposal_id: str):
    """Accept a proposed sub-goal as it is, reword it together (a new goal with other words), or say
    why not. Accepting creates the sub-goal and answers the proposal in one batch."""
    view = _view_or_404(youth_id)
    proposal = _listed(view.proposals, proposal_id)
    key = f"proposal-{proposal.id}"
    values = _form("action", "title", "answer", "organization_id", "base_version")
    try:
        result = _answer(view, proposal, values)
    except FormRejected as e:
        return _rejected(view, key, e, values)
    word = {"accept": "taget med i planen", "reword": "taget med i andre ord", "decline": "besvaret"}
    return _done(view.youth.id, key, f"Forslaget er {word[values['action']]}.", result)


def _answer(view, proposal, values: dict) -> dict:
    user = current_user()
    action = values["action"]
    if action not in ACTIONS:
        raise FormRejected(
            "Vælg, om forslaget tages med, tages med i andre ord eller ikke tages med.", {"action": "Vælg et svar."}
        )
    base_version = parse_base_version(values["base_version"])
    answer = {
        "id": proposal.id,
        "youth_id": view.youth.id,
        "answer": values["answer"],
        "status": {"accept": "accepted", "reword": "reworded", "decline": "declined"}[action],
    }
    if action == "decline":
        answer["goal_id"] = None
        return push_form(user, "goal_proposal", proposal.id, answer, base_version, partial=True)
    org_id = values["organization_id"] or user.organization_id
    title = proposal.text if action == "accept" else values["title"]
    base_id = form_mutation_id()
    goal_id = str(uuid.uuid5(uuid.UUID(base_id), "goal"))
    goal = {
        "id": goal_id,
        "youth_id": view.youth.id,
        "organization_id": org_id,
        "title": title[:200],
        "visibility": "shared",
        "status": "open",
    }
    answer["goal_id"] = goal_id
    _validate("goal", goal, False)
    _validate("goal_proposal", answer, True)
    mutations = [
        {
            "mutation_id": str(uuid.uuid5(uuid.UUID(base_id), "goal-m")),
            "entity": "goal",
            "id": goal_id,
            "op": "upsert",
            "base_version": None,
            "data": goal,
        },
        {
            "mutation_id": base_id,
            "entity": "goal_proposal",
            "id": proposal.id,
            "op": "upsert",
            "base_version": base_version,
            "data": answer,
        },
    ]
    results = push(user, "web", mutations, channel="web")
    for r in results:
        if r["status"] == "rejected":
            current_app.logger.info("proposal answer rejected: %s", r.get("error"))
            raise FormRejected((r.get("error") or {}).get("message") or "Ændringen blev afvist.")
    return results[-1]


def _validate(entity: str, data: dict, partial: bool) -> None:
    try:
        validate_entity(entity, data, partial=partial)
    except ValidationError as e:
        errs = field_messages(e)
        if "title" in errs or "text" in errs:
            errs["title"] = "Skriv delmålet med jeres egne ord (højst 200 tegn)."
        raise FormRejected("Rettelser mangler: " + summary(errs), errs) from None


def may_answer(user) -> bool:
    """Mentors and coordinators answer the young person's proposals (mirrors shared.plan_voice)."""
    return user.role in (Role.MENTOR, Role.COORDINATOR)
