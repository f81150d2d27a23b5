"""Merged sync conflicts of the caseload (`/conflicts`): confirm the result or correct it."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from backend import audit
from backend.access import can_see_youth, visible_youth_ids
from backend.extensions import db
from backend.models import Conflict, User, Youth, utcnow
from backend.services.caseload import unresolved_conflicts
from backend.services.plan_view import WEEKDAYS_DA
from backend.sync.push import push
from backend.sync.records import MODELS
from backend.web.common import FIELD_LABELS, coordinator_required, current_user, da_date, da_datetime, require_uuid
from backend.web.privacy import as_record, private_marker
from shared import permissions
from shared.enums import label_da

bp = Blueprint("conflicts", __name__, url_prefix="/conflicts")

ENTITY_LABELS = {"youth": "Ung", "plan": "Plan", "goal": "Delmål", "activity": "Aktivitet", "agreement": "Aftale",
                 "attendance": "Fremmøde", "outreach": "Opsøgende kontakt", "assessment": "Progressionsmåling",
                 "consent": "Samtykke"}
EXTRA_FIELD_LABELS = {"deleted": "Slettet", "note": "Note", "review_note": "Opfølgning", "absence_reason": "Fraværsgrund",
                      "reached": "Fik kontakt", "method": "Kontaktform", "scores": "Scorer", "comment": "Kommentar",
                      "display_name": "Navn", "target_group": "Målgruppe", "outcome": "Status",
                      "mentor_id": "Mentor", "coordinator_id": "Tovholder"}


def show_value(field: str, value) -> str:
    """A stored value as a caseworker reads it."""
    if value is None or value == "":
        return "(tom)"
    if field == "deleted":
        return "Slettet" if value else "Ikke slettet"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if field == "weekdays" and isinstance(value, list):
        return ", ".join(WEEKDAYS_DA[d] for d in value if isinstance(d, int) and 0 <= d < 7) or "(ingen)"
    if isinstance(value, str) and field.endswith("_date"):
        return da_date(value)
    if isinstance(value, str) and field.endswith("_at"):
        return da_datetime(value)
    if isinstance(value, str):
        return label_da(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def describe(entity: str, rec) -> str:
    if rec is None:
        return ""
    for attr in ("title", "text", "display_name", "end_goal"):
        if getattr(rec, attr, None):
            return str(getattr(rec, attr))[:120]
    if entity == "attendance":
        return da_date(rec.date)
    return ""


@bp.get("")
@coordinator_required
def index():
    user = current_user()
    return _render(user)


def _render(user: User, error: str | None = None, status: int = 200):
    ids = sorted(visible_youth_ids(user))
    open_rows = unresolved_conflicts(user, ids)
    resolved = db.session.scalars(select(Conflict).where(Conflict.youth_id.in_(ids), Conflict.resolved_at.is_not(None))
                                  .order_by(Conflict.resolved_at.desc()).limit(20)).all() if ids else []
    youths = {y.id: y.display_name for y in db.session.scalars(select(Youth).where(Youth.id.in_(ids)))} if ids else {}
    uids = {c.losing_user_id for c in open_rows + resolved} | {c.winning_user_id for c in open_rows + resolved}
    uids |= {c.resolved_by_user_id for c in resolved}
    uids.discard(None)
    names = {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(uids)))} if uids else {}
    items = []
    for c in open_rows:
        rec = db.session.get(MODELS[c.entity], c.record_id)
        rule_rec = as_record(rec) if rec is not None else {}
        if rec is None or not permissions.may_see(user, c.entity, rule_rec) or \
                c.field in permissions.hidden_fields(user, c.entity, rule_rec):
            continue  # the shared rule: what the user may not see is not listed at all
        items.append({"c": c, "youth": youths.get(c.youth_id, ""), "entity": ENTITY_LABELS.get(c.entity, c.entity),
                      "what": describe(c.entity, rec),
                      "field": FIELD_LABELS.get(c.field) or EXTRA_FIELD_LABELS.get(c.field, c.field),
                      "current": show_value(c.field, getattr(rec, c.field, None) if c.field != "deleted" else rec.deleted),
                      "winning": show_value(c.field, c.winning_value), "losing": show_value(c.field, c.losing_value),
                      "can_correct": c.field != "deleted" and not rec.deleted,
                      "private": private_marker(c.entity, rec)})
    counts: dict = {}
    for c in open_rows:
        counts[(c.youth_id, "conflict")] = counts.get((c.youth_id, "conflict"), 0) + 1
    audit.record_many(user, "read", counts, channel="web", detail="conflicts")
    db.session.commit()
    return render_template("conflicts.html", items=items, resolved=resolved, youths=youths, names=names,
                           entity_labels=ENTITY_LABELS, error=error,
                           field_label=lambda f: FIELD_LABELS.get(f) or EXTRA_FIELD_LABELS.get(f, f)), status


@bp.post("/<conflict_id>")
@coordinator_required
def resolve(conflict_id: str):
    user = current_user()
    require_uuid(conflict_id)
    c = db.session.get(Conflict, conflict_id)
    if c is None or not can_see_youth(user, c.youth_id):
        abort(404)
    action = request.form.get("action", "")
    if action not in ("confirm", "correct"):
        return _render(user, "Vælg enten »Bekræft« eller »Ret tilbage«.", 400)
    if c.resolved_at is not None:
        flash("Konflikten var allerede afklaret.", "info")
        return redirect(url_for("conflicts.index"))
    rec = db.session.get(MODELS[c.entity], c.record_id)
    if rec is None:
        abort(404)
    if action == "correct":
        if c.field == "deleted" or rec.deleted:
            return _render(user, "Sletninger kan ikke rettes tilbage herfra. Opret punktet igen på planen.", 400)
        mutation = {"mutation_id": str(uuid.uuid4()), "entity": c.entity, "id": rec.id, "op": "upsert",
                    "base_version": rec.version,
                    "data": {"id": rec.id, "youth_id": rec.youth_id, c.field: c.losing_value}}
        result = push(user, "web", [mutation], channel="web")[0]
        if result["status"] == "rejected":
            msg = (result.get("error") or {}).get("message") or "Rettelsen blev afvist."
            return _render(user, f"Kunne ikke rette tilbage: {msg}", 400)
        c = db.session.get(Conflict, conflict_id)
    c.resolved_at = utcnow()
    c.resolved_by_user_id = user.id
    c.resolution = "corrected" if action == "correct" else "confirmed"
    audit.record(user, "resolve_conflict", youth_id=c.youth_id, entity=c.entity, count=1,
                 detail=f"conflict={c.id} field={c.field} {c.resolution}", channel="web")
    db.session.commit()
    flash("Konflikten er rettet tilbage." if action == "correct" else "Konflikten er bekræftet.", "success")
    return redirect(url_for("conflicts.index"))
