"""Company agreements (virksomhedsaftaler) on the plan page: create, change, record a follow-up —
through the sync engine like every other record (the mentor's phone does the same offline)."""

from __future__ import annotations

import re
import uuid
from datetime import date

from flask import Blueprint, abort
from marshmallow import ValidationError

from backend.sync.push import push
from backend.web.common import (
    FormRejected,
    current_user,
    field_messages,
    form_mutation_id,
    login_required,
    parse_base_version,
    summary,
)
from backend.web.plan import _done, _form, _rejected, _save, _view_or_404, require_uuid
from shared.company import open_follow_up
from shared.schemas import validate_entity

bp = Blueprint("company", __name__, url_prefix="/youth")

FIELDS = (
    "company",
    "contact_name",
    "contact_phone",
    "hours_per_week",
    "hours_spread",
    "tasks",
    "workplace_support",
    "health_considerations",
    "start_date",
    "end_date",
    "activity_id",
    "visibility",
)


def parse_follow_up_dates(raw: str) -> list[str]:
    """Dates written as 'ÅÅÅÅ-MM-DD' separated by commas, spaces or lines, in wire form. Raises
    FormRejected with a Danish message on a bad date."""
    out = []
    for part in filter(None, re.split(r"[\s,;]+", raw or "")):
        try:
            out.append(date.fromisoformat(part).isoformat())
        except ValueError:
            raise FormRejected(
                f"Opfølgninger: '{part[:20]}' er ikke en dato (brug ÅÅÅÅ-MM-DD).",
                {"follow_up_dates": "Skriv datoerne som ÅÅÅÅ-MM-DD, adskilt af komma."},
            ) from None
    return sorted(set(out))


def _follow_up_mutations(youth_id: str, agreement_id: str, days: list[str], known: set[str]) -> list[dict]:
    """A new placement_follow_up for each planned date the agreement does not have yet."""
    return [
        _mutation(
            "placement_follow_up",
            str(uuid.uuid4()),
            {"youth_id": youth_id, "company_agreement_id": agreement_id, "due_date": d, "note": ""},
            None,
        )
        for d in days
        if d not in known
    ]


def _mutation(entity: str, record_id: str, data: dict, base_version: int | None) -> dict:
    try:
        validate_entity(entity, {**data, "id": record_id}, partial=base_version is not None)
    except ValidationError as e:
        errs = field_messages(e)
        raise FormRejected("Rettelser mangler: " + summary(errs), errs) from None
    return {
        "entity": entity,
        "id": record_id,
        "op": "upsert",
        "base_version": base_version,
        "data": {**data, "id": record_id},
    }


def _push_all(mutations: list[dict]) -> list[dict]:
    """Push the form's mutations in one batch (the engine commits it); each gets a mutation id derived
    from the form's, so a double submit is applied once. Raises FormRejected on the first refusal
    (the agreement comes first: its follow-ups are refused with it)."""
    form_id = uuid.UUID(form_mutation_id())
    batch = [{**m, "mutation_id": str(uuid.uuid5(form_id, str(i)))} for i, m in enumerate(mutations)]
    results = push(current_user(), "web", batch, channel="web") if batch else []
    for r in results:
        if r["status"] == "rejected":
            err = r.get("error") or {}
            raise FormRejected(err.get("message") or "Ændringen blev afvist.")
    return results


@bp.post("/<youth_id>/company", defaults={"agreement_id": None})
@bp.post("/<youth_id>/company/<agreement_id>")
@login_required
def save_company(youth_id: str, agreement_id: str | None):
    view = _view_or_404(youth_id)
    existing = None
    if agreement_id is not None:
        require_uuid(agreement_id)
        existing = next((c for c in view.company_agreements if c.id == agreement_id), None)
        if existing is None:
            abort(404)
    key = f"company-{agreement_id}" if agreement_id else "company-new"
    values = _form(*FIELDS, "follow_up_dates", "organization_id", "base_version")
    try:
        data = {f: values[f] for f in FIELDS}
        data.update(
            youth_id=view.youth.id,
            end_date=values["end_date"] or None,
            activity_id=values["activity_id"] or None,
            hours_per_week=_number(values["hours_per_week"], "hours_per_week"),
        )
        days = parse_follow_up_dates(values["follow_up_dates"])
        if existing is None:
            # the form's id names the new agreement: a double submit finds the same one
            rid, base = str(uuid.uuid5(uuid.UUID(form_mutation_id()), "company_agreement")), None
            data["organization_id"] = values["organization_id"] or current_user().organization_id
        else:
            rid, base = existing.id, parse_base_version(values["base_version"])
        known = {f["due_date"].isoformat() for f in view.agreement_facts(existing)["follow_ups"]} if existing else set()
        results = _push_all(
            [_mutation("company_agreement", rid, data, base)] + _follow_up_mutations(view.youth.id, rid, days, known)
        )
    except FormRejected as e:
        return _rejected(view, key, e, values)
    return _done(view.youth.id, f"company-{rid}", "Virksomhedsaftalen er gemt.", results[0])


@bp.post("/<youth_id>/company/<agreement_id>/follow-up")
@login_required
def record_follow_up(youth_id: str, agreement_id: str):
    """Mark the next planned follow-up as done (with a note), and plan the next one if given."""
    view = _view_or_404(youth_id)
    require_uuid(agreement_id)
    ag = next((c for c in view.company_agreements if c.id == agreement_id), None)
    if ag is None:
        abort(404)
    key = f"followup-{agreement_id}"
    values = _form("note", "next_date")
    due = open_follow_up(view.agreement_facts(ag)["follow_ups"])
    try:
        if due is None and not values["next_date"]:
            raise FormRejected(
                "Der er ingen planlagt opfølgning. Skriv datoen for den næste.", {"next_date": "Skriv en dato."}
            )
        muts = []
        if due is not None:
            done = {"done_date": view.today.isoformat(), "note": values["note"][:500]}
            muts.append(_mutation("placement_follow_up", due["id"], done, due["version"]))
        known = {f["due_date"].isoformat() for f in view.agreement_facts(ag)["follow_ups"]}
        muts += _follow_up_mutations(view.youth.id, ag.id, parse_follow_up_dates(values["next_date"]), known)
        _push_all(muts)
    except FormRejected as e:
        return _rejected(view, key, e, values)
    return _done(view.youth.id, f"company-{ag.id}", "Opfølgningen er registreret.")


@bp.post("/<youth_id>/hours")
@login_required
def record_hours(youth_id: str):
    """Ordinary and supported hours of one week or month (the mentor's or the company contact's numbers)."""
    view = _view_or_404(youth_id)
    values = _form("period", "period_start", "ordinary_hours", "supported_hours", "company_agreement_id", "note")
    try:
        data = {
            "youth_id": view.youth.id,
            "period": values["period"],
            "period_start": values["period_start"],
            "ordinary_hours": _number(values["ordinary_hours"], "ordinary_hours", required=True),
            "supported_hours": _number(values["supported_hours"], "supported_hours") or 0.0,
            "company_agreement_id": values["company_agreement_id"] or None,
            "note": values["note"],
        }
        _save(
            current_user(), "work_hours", None, data, "", on_create={"organization_id": current_user().organization_id}
        )
    except FormRejected as e:
        return _rejected(view, "hours", e, values)
    return _done(view.youth.id, "hours", "Timerne er gemt.")


def _number(raw: str, name: str, required: bool = False):
    if not raw:
        if required:
            raise FormRejected("Skriv antal timer.", {name: "Skriv antal timer."})
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        raise FormRejected(
            "Timer skal være et tal, fx 12 eller 7,5.", {name: "Skriv et tal, fx 12 eller 7,5."}
        ) from None
