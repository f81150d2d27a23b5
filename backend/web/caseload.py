"""`/`: the caseload with today's flags, filters and sorting."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from backend.extensions import db
from backend.services.caseload import (
    FLAG_LABELS,
    SORT_KEYS,
    apply_filters,
    load_caseload,
    parse_filters,
)
from backend.web.common import audit_read, current_user, login_required
from shared.enums import TargetGroup, label_da
from shared.steps import STEPS

bp = Blueprint("caseload", __name__)


@bp.get("/")
@login_required
def index():
    user = current_user()
    rows = load_caseload(user)
    mentors = sorted({(r.mentor_id, r.mentor_name) for r in rows if r.mentor_id}, key=lambda m: m[1].casefold())
    filters, errors = parse_filters(request.args, {m[0] for m in mentors})
    shown = apply_filters(rows, filters)
    audit_read(user, {(r.youth_id, "youth"): 1 for r in shown}, "caseload")
    db.session.commit()  # the view owns the transaction: the audit lines of this read
    flag_counts = {k: sum(k in r.flag_keys for r in rows) for k in FLAG_LABELS}
    return render_template(
        "caseload.html",
        rows=shown,
        total=len(rows),
        filters=filters,
        errors=errors,
        mentors=mentors,
        flag_labels=FLAG_LABELS,
        flag_counts=flag_counts,
        sort_keys=SORT_KEYS,
        target_groups=[(t.value, label_da(t.value)) for t in TargetGroup],
        steps=[(k, s.title) for k, s in STEPS.items()],
    ), (400 if errors else 200)
