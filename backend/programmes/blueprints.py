"""The programme package's two blueprints and what every page of it shares.

`web` (session login) carries the results, catalogue and young person's programme pages of
views.py and monthly_views.py; `api` (bearer token) the reports API of api_views.py.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, g, render_template

from backend import audit
from backend.web.common import login_required
from shared.enums import Role, label_da

web = Blueprint("programmes", __name__, template_folder="templates")
api = Blueprint("reports_api", __name__, url_prefix="/api/v1/reports")

REPORT_ROLES = (Role.COORDINATOR, Role.MENTOR, Role.PARTNER)
NO_ACCESS = "Resultater er for medarbejdere med adgang til unge."


@web.context_processor
def _layout():
    # The caseworker pages' base.html when present, else a plain page of our own.
    return {"layout": current_app.jinja_env.select_template(["base.html", "programmes/_standalone.html"])}


def forbid(message: str):
    """The 403 page with a Danish reason."""
    return render_template("error.html", status=403, message=message), 403


def common() -> dict:
    """Template values every programme page uses."""
    return {"user": g.web_user, "label_da": label_da}


def reports_page(view):
    """A results page: staff with access to young people (session login); others get a 403."""

    @login_required
    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.web_user.role not in REPORT_ROLES:
            return forbid(NO_ACCESS)
        return view(*args, **kwargs)

    return wrapper


def record_report(user, action: str, count: int, detail: str, channel: str = "web") -> None:
    """Audit that `user` read or exported a report covering `count` young people (no commit:
    the request's entry point commits)."""
    audit.record(user, action, entity="report", count=count, detail=detail, channel=channel)
