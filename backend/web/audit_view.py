"""Audit trail of one young person (`/youth/<id>/audit`), for the coordinator."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from backend.extensions import db
from backend.rights.audit_labels import ACTION_DA, CHANNEL_DA, ENTITY_DA, capitalised
from backend.services.plan_view import audit_entries, visible_youth
from backend.web.common import audit_read, coordinator_required, current_user, require_uuid

bp = Blueprint("audit", __name__, url_prefix="/youth")

# The young person's copy of their data uses the same words (backend/rights/audit_labels.py).
ACTION_LABELS = capitalised(ACTION_DA)
CHANNEL_LABELS = capitalised(CHANNEL_DA)
ENTITY_LABELS = capitalised(ENTITY_DA)


@bp.get("/<youth_id>/audit")
@coordinator_required
def show(youth_id: str):
    require_uuid(youth_id)
    user = current_user()
    youth = visible_youth(user, youth_id)
    if youth is None:
        abort(404)
    rows, users = audit_entries(youth.id)
    audit_read(user, {(youth.id, "audit_log"): len(rows)}, "audit")
    db.session.commit()  # the view owns the transaction: the audit lines of this read
    return render_template(
        "audit.html",
        youth=youth,
        rows=rows,
        users=users,
        action_labels=ACTION_LABELS,
        channel_labels=CHANNEL_LABELS,
        entity_labels=ENTITY_LABELS,
    )
