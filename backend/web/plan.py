"""The young person's common plan (`/youth/<id>`): read and print; its forms are in `plan_forms`.

The page's shared helpers (the view of a young person, who may edit what, posting a form) are in
`plan_common`.
"""

from __future__ import annotations

from flask import render_template, request

import backend.web.plan_forms  # noqa: F401  (registers the forms' routes on `bp`)
from backend.extensions import db
from backend.services.plan_view import WEEKDAYS_DA
from backend.web import privacy
from backend.web.common import audit_read, current_user, login_required
from backend.web.plan_common import (
    _done,
    _form,
    _rejected,
    _save,
    _view_or_404,
    bp,
    clash_note,
    render_plan,
    require_uuid,
)

# The page helpers other pages (and branches) still import from here; their home is plan_common.
__all__ = ["_done", "_form", "_rejected", "_save", "_view_or_404", "bp", "clash_note", "require_uuid"]


@bp.get("/<youth_id>")
@login_required
def show(youth_id: str):
    return render_plan(_view_or_404(youth_id))


def meeting_orgs(view) -> list:
    """Organisations that can be at the joint meeting: consented ones and the mentor's/coordinator's."""
    ids = {o for o, c in view.consents.items() if c.status == "given"}
    ids |= {u.organization_id for u in (view.mentor, view.coordinator) if u is not None and u.organization_id}
    return sorted((view.organizations[i] for i in ids if i in view.organizations), key=lambda o: o.name.casefold())


@bp.get("/<youth_id>/print")
@login_required
def print_view(youth_id: str):
    """The print for a joint meeting: first who is there, then only what all of them may see."""
    view = _view_or_404(youth_id)
    user = current_user()
    orgs = meeting_orgs(view)
    meeting = privacy.meeting_from_args(request.args, {o.id for o in orgs})
    chosen = request.args.get("show") == "1"
    if not chosen or meeting.empty:
        default = privacy.Meeting([user.organization_id] if user.organization_id else [], False)
        return render_template(
            "plan_print.html",
            v=view,
            weekdays=WEEKDAYS_DA,
            orgs=orgs,
            meeting=default,
            ask=True,
            error="Vælg, hvem der deltager i mødet." if chosen else None,
        )
    printed = privacy.for_meeting(view, meeting)
    counts = {
        "youth": 1,
        "plan": int(view.plan is not None),
        "goal": len(printed.goals),
        "activity": len(printed.activities),
        "agreement": len(printed.agreements),
        "consent": len(printed.consents),
    }
    audit_read(user, {(view.youth.id, e): n for e, n in counts.items()}, "print")
    db.session.commit()  # the view owns the transaction: the audit lines of this read
    names = [view.org_name(o) for o in meeting.org_ids] + (["den unge"] if meeting.youth_present else [])
    return render_template(
        "plan_print.html",
        v=printed,
        weekdays=WEEKDAYS_DA,
        orgs=orgs,
        meeting=meeting,
        ask=False,
        error=None,
        present=names,
    )
