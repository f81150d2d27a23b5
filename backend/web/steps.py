"""The young person's step (trin) on the plan page: move it with a reason (the coordinator), through
the sync engine; and the count of young people per step per month for the results."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from backend import audit, clock
from backend.access import visible_youth_query
from backend.extensions import db
from backend.models import new_id
from backend.programmes.queries import FilterError, parse_filters
from backend.services.step_results import trin3_exits
from backend.services.steps import step_histories
from backend.web.common import FormRejected, current_user, login_required, push_form
from backend.web.plan_common import _done, _form, _rejected, _view_or_404
from shared.enums import STAFF_ROLES
from shared.steps import STEPS, per_step_per_month

bp = Blueprint("steps", __name__, url_prefix="/youth")
results_bp = Blueprint("steps_results", __name__)
REPORT_ROLES = STAFF_ROLES


@bp.post("/<youth_id>/step")
@login_required
def move_step(youth_id: str):
    """Move the young person to a step, saying why and from when (today unless given)."""
    view = _view_or_404(youth_id)
    values = _form("step", "reason", "valid_from")
    rid = new_id()
    data = {
        "id": rid,
        "youth_id": view.youth.id,
        "step": values["step"],
        "reason": values["reason"],
        "valid_from": values["valid_from"] or clock.today().isoformat(),
    }
    try:
        result = push_form(current_user(), "step_change", rid, data, None, partial=False)
    except FormRejected as e:
        return _rejected(view, "step", e, values)
    return _done(view.youth.id, "step", "Trinnet er gemt.", result)


# ---- results: young people per step per month --------------------------------------------------


@results_bp.get("/results/steps")
@login_required
def results_steps():
    """Young people per step per month, for the young people the user may see (same month filter
    as the results page; each counted in the step they were in at the month's end)."""
    user = current_user()
    if user.role not in REPORT_ROLES:
        abort(403)
    args = {k: request.args.get(k, "") for k in ("from", "to")}
    today = clock.today()
    try:
        filters = parse_filters(args, today)
    except FilterError as e:
        return render_template("results_steps.html", error=e.message, args=args, rows=[], steps=STEPS), 400
    histories = step_histories(visible_youth_query(user))
    months = [(int(m[:4]), int(m[5:7])) for m in filters["months"]]
    counts = per_step_per_month(histories, months, today)
    exits = trin3_exits(user, list(histories), months)
    rows = [(f"{y:04d}-{m:02d}", counts[(y, m)], exits[(y, m)]) for y, m in months]
    audit.record(
        user,
        "read",
        entity="report",
        count=len(histories),
        detail=f"steps from={filters['from']} to={filters['to']}",
        channel="web",
    )
    db.session.commit()  # the view owns the transaction: the audit line of this read
    return render_template(
        "results_steps.html",
        error=None,
        args={"from": filters["from"], "to": filters["to"]},
        rows=rows,
        steps=STEPS,
        youth_count=len(histories),
    )
