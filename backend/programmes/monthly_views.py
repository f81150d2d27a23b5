"""The monthly views of the results: one programme in a month («Forløb i måneden»).

Routes live on the programmes blueprint (`views.web`); this module is imported by
`views.register` before the blueprint is registered.
"""

from __future__ import annotations

from flask import g, render_template, request
from sqlalchemy import select

from backend import audit
from backend.extensions import db
from backend.models import Youth
from backend.programmes import reports, status_queries
from backend.programmes.models import Programme
from backend.programmes.queries import FilterError
from backend.programmes.tables import STATE_DA, anchor_da, pct
from backend.programmes.views import REPORT_ROLES, _common, _forbid, login_required, today, web

NO_ACCESS = "Resultater er for medarbejdere med adgang til unge."


def month_choices(current: str, n: int = 24) -> list[str]:
    """The last n months, newest first, for the month pickers."""
    first = reports.month_key(reports.add_months(reports.month_bounds(current)[0], -(n - 1)))
    return list(reversed(reports.month_range(first, current)))


@web.get("/results/programme")
@login_required
def programme_month_page():
    """For a programme and a month: participants, their status now and each expected effect."""
    user = g.web_user
    if user.role not in REPORT_ROLES:
        return _forbid(NO_ACCESS)
    programmes = db.session.scalars(select(Programme).order_by(Programme.name)).all()
    args = {k: request.args.get(k, "") for k in ("programme", "month")}
    ctx = {"programmes": programmes, "args": args, "months": month_choices(reports.month_key(today())),
           "pct": pct, "anchor_da": anchor_da, "state_da": STATE_DA, "effect_labels": reports.EFFECT_LABELS_DA}
    try:
        filters = status_queries.parse_programme_month(args, today())
    except FilterError as e:
        return render_template("programmes/programme_month.html", error=e.message, error_field=e.field, pm=None,
                               **ctx, **_common()), 400
    args = {"programme": filters["programme_id"] or "", "month": filters["month"]}
    ctx["args"] = args
    programme = db.session.get(Programme, filters["programme_id"]) if filters["programme_id"] else None
    pm, names = None, {}
    if programme is not None:
        pm = status_queries.programme_month(user, programme, filters["month"], today())
        ids = [r["youth_id"] for r in pm["participants"]]
        if ids:
            names = dict(db.session.execute(select(Youth.id, Youth.display_name).where(Youth.id.in_(ids))).all())
        audit.record(user, "read", entity="report", count=len(ids),
                     detail=f"programme-month programme={programme.id} month={filters['month']}", channel="web")
        db.session.commit()
    return render_template("programmes/programme_month.html", error=None, error_field=None, pm=pm,
                           programme=programme, names=names, **ctx, **_common())
