"""Merged sync conflicts of the caseload (`/conflicts`): confirm the result or correct it.

The queries and the rules are in backend/services/conflicts.py; this module shows them in Danish.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from backend.extensions import db
from backend.models import User
from backend.services.conflicts import ConflictNotFound, ResolveRefused, conflict_overview, resolve_conflict
from backend.services.plan_view import WEEKDAYS_DA
from backend.web.common import coordinator_required, current_user, da_date, da_datetime, require_uuid
from backend.web.privacy import private_marker
from shared.enums import label_da
from shared.labels import ENTITY_LABELS_DA, PAGE_FIELD_LABELS_DA, field_label

bp = Blueprint("conflicts", __name__, url_prefix="/conflicts")


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


def _current_value(field: str, rec):
    return rec.deleted if field == "deleted" else getattr(rec, field, None)


@bp.get("")
@coordinator_required
def index():
    user = current_user()
    return _render(user)


def _render(user: User, error: str | None = None, status: int = 200):
    overview = conflict_overview(user)
    items = []
    for c, rec in overview.open:
        items.append(
            {
                "c": c,
                "youth": overview.youth_names.get(c.youth_id, ""),
                "entity": ENTITY_LABELS_DA.get(c.entity, c.entity),
                "what": describe(c.entity, rec),
                "field": field_label(c.field, PAGE_FIELD_LABELS_DA),
                "current": show_value(c.field, _current_value(c.field, rec)),
                "winning": show_value(c.field, c.winning_value),
                "losing": show_value(c.field, c.losing_value),
                "can_correct": c.field != "deleted" and not rec.deleted,
                "private": private_marker(c.entity, rec),
            }
        )
    db.session.commit()  # the audit line of this read
    return render_template(
        "conflicts.html",
        items=items,
        resolved=overview.resolved,
        youths=overview.youth_names,
        names=overview.user_names,
        entity_labels=ENTITY_LABELS_DA,
        error=error,
        field_label=lambda f: field_label(f, PAGE_FIELD_LABELS_DA),
    ), status


@bp.post("/<conflict_id>")
@coordinator_required
def resolve(conflict_id: str):
    user = current_user()
    require_uuid(conflict_id)
    action = request.form.get("action", "")
    try:
        resolution = resolve_conflict(user, conflict_id, action)
    except ConflictNotFound:
        abort(404)
    except ResolveRefused as e:
        return _render(user, e.message, 400)
    if resolution is None:
        flash("Konflikten var allerede afklaret.", "info")
        return redirect(url_for("conflicts.index"))
    db.session.commit()
    flash("Konflikten er rettet tilbage." if resolution == "corrected" else "Konflikten er bekræftet.", "success")
    return redirect(url_for("conflicts.index"))
