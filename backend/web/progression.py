"""Progression (`/youth/<id>/progression`): first vs latest, dimensions over time, self vs staff."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from backend import clock
from backend.extensions import db
from backend.services.plan_view import load_plan_view, progression
from backend.web import charts
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
    radars = {}
    for rater, rows in prog.by_rater.items():
        if not rows:
            continue
        dims = [d for d in prog.dimensions if rater == "staff" or not d.staff_only]
        first, latest = rows[0], rows[-1]
        series = [(f"Første ({da_date(first.due_date)})", [first.scores.get(d.key) for d in dims])]
        if latest is not first:
            series.append((f"Seneste ({da_date(latest.due_date)})", [latest.scores.get(d.key) for d in dims]))
        radars[rater] = charts.radar(f"{RATER_TITLES[rater]}: første og seneste", [d.title for d in dims], series)
    small = _small_multiples(prog)
    audit_read(user, {(view.youth.id, "assessment"): len(view.assessments)}, "progression")
    db.session.commit()  # the view owns the transaction: the audit lines of this read
    return render_template(
        "progression.html", v=view, prog=prog, radars=radars, small_multiples=small, rater_titles=RATER_TITLES
    )


SERIES_NAMES = {"youth": "Den unge", "staff": "Medarbejder"}


def _small_multiples(prog) -> list[tuple[str, str]]:
    """One small chart per dimension with the young person's and the staff's scores over time
    (nine lines in one chart could not be told apart)."""
    dues = sorted({a.due_date for rows in prog.by_rater.values() for a in rows})
    if not dues:
        return []
    out = []
    for d in prog.dimensions:
        series = []
        for rater in ("youth", "staff"):
            if d.staff_only and rater == "youth":
                continue
            by_due = {a.due_date: a.scores.get(d.key) for a in prog.by_rater.get(rater, [])}
            if any(v is not None for v in by_due.values()):
                series.append((SERIES_NAMES[rater], [by_due.get(due) for due in dues]))
        if series:
            out.append((d.title, series))
    uris = charts.small_multiples(
        [da_date(due)[:6] + da_date(due)[-2:] for due in dues],
        out,
        {"Den unge": charts.PALETTE[0], "Medarbejder": charts.PALETTE[1]},
    )
    return [(title, uri) for (title, _), uri in zip(out, uris, strict=True)]
