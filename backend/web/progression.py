"""Progression (`/youth/<id>/progression`): first vs latest, dimensions over time, self vs staff."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from backend.services.plan_view import load_plan_view, progression
from backend.web import charts
from backend import clock
from backend.web.common import audit_read, current_user, da_date, login_required, require_uuid

bp = Blueprint("progression", __name__, url_prefix="/youth")

RATER_TITLES = {"youth": "Den unges egen vurdering", "staff": "Medarbejdernes vurdering"}


@bp.get("/<youth_id>/progression")
@login_required
def show(youth_id: str):
    require_uuid(youth_id)
    user = current_user()
    view = load_plan_view(user, youth_id, clock.today())
    if view is None:
        abort(404)
    prog = progression(view.assessments, view.plan, view.today)
    radars, line_charts = {}, {}
    for rater, rows in prog.by_rater.items():
        if not rows:
            continue
        dims = [d for d in prog.dimensions if rater == "staff" or not d.staff_only]
        labels = [d.title for d in dims]
        first, latest = rows[0], rows[-1]
        series = [(f"Første ({da_date(first.due_date)})", [first.scores.get(d.key) for d in dims])]
        if latest is not first:
            series.append((f"Seneste ({da_date(latest.due_date)})", [latest.scores.get(d.key) for d in dims]))
        radars[rater] = charts.radar(f"{RATER_TITLES[rater]}: første og seneste", labels, series)
        line_charts[rater] = charts.lines(
            f"{RATER_TITLES[rater]} over tid", [da_date(a.due_date) for a in rows],
            [(d.title, [a.scores.get(d.key) for a in rows]) for d in dims])
    audit_read(user, {(view.youth.id, "assessment"): len(view.assessments)}, "progression")
    return render_template("progression.html", v=view, prog=prog, radars=radars, line_charts=line_charts,
                           rater_titles=RATER_TITLES)
