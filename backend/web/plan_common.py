"""What the plan page's views and forms share: the page for a young person, who may edit what, and
posting a form through the sync engine with its Danish answer (also used by the voice, step and
company pages)."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from backend import clock
from backend.extensions import db
from backend.models import User
from backend.services.plan_view import WEEKDAYS_DA, load_plan_view
from backend.web.common import (
    FormRejected,
    audit_read,
    current_user,
    parse_base_version,
    push_form,
    require_uuid,
)
from shared import permissions
from shared.enums import (
    AgreementStatus,
    EndGoalKind,
    GoalStatus,
    OutreachMethod,
    Responsible,
    Role,
    Visibility,
    label_da,
)

bp = Blueprint("plan", __name__, url_prefix="/youth")
"""The plan page's blueprint: its views in `plan`, its forms in `plan_forms`."""

MAX_FIELD = 5000  # longer than any schema allows: the schema gives the Danish message, we just cap memory


def _view_or_404(youth_id: str):
    require_uuid(youth_id)
    view = load_plan_view(current_user(), youth_id, clock.today())
    if view is None:
        abort(404)
    return view


# The field a form changes first, per entity: asking the shared rule about it tells whether to
# offer the form at all (an agreement of another organisation: the review, not the text).
FORM_FIELD = {
    "goal": "title",
    "activity": "title",
    "agreement": "status",
    "outreach": "note",
    "plan": "end_goal",
    "youth": "mentor_id",
    "consent": "status",
    "attendance": "status",
    "assessment": "comment",
}


def may_edit(user, entity: str, organization_id: str | None, existing: bool = True) -> bool:
    """Whether to offer a form: the one rule in shared.permissions, asked about that form's field."""
    record = {"id": "x", "youth_id": "y", "organization_id": organization_id, "rater_role": "staff"}
    if existing:
        return permissions.may_write(user, entity, "upsert", record, record, {FORM_FIELD.get(entity, "id")})
    return permissions.may_write(user, entity, "upsert", None, record, set(record))


def org_choices(user, orgs: dict) -> list[tuple[str, str]]:
    if user.role == Role.COORDINATOR:
        return sorted(((o.id, o.name) for o in orgs.values()), key=lambda x: x[1].casefold())
    org = orgs.get(user.organization_id or "")
    return [(org.id, org.name)] if org else []


def render_plan(view, state: dict | None = None, status: int = 200):
    user = current_user()
    audit_read(user, {(view.youth.id, e): n for e, n in view.counts.items()}, "plan")
    db.session.commit()  # the view owns the transaction: the audit lines of this read
    state = state or {}

    def fv(key: str, defaults: dict) -> dict:
        if state.get("key") == key:
            return {**defaults, **state["values"]}
        return defaults

    def ferr(key: str) -> dict:
        return state.get("errors", {}) if state.get("key") == key else {}

    return render_template(
        "plan.html",
        v=view,
        state=state,
        fv=fv,
        ferr=ferr,
        new_id=lambda: str(uuid.uuid4()),
        may_edit=lambda entity, org, existing=True: may_edit(user, entity, org, existing),
        outreach_methods=[(m.value, label_da(m.value)) for m in OutreachMethod],
        now_local=clock.local_now(),
        orgs=org_choices(user, view.organizations),
        goal_options=[(g.id, g.title) for g in view.goals],
        activity_options=[(a.id, a.title) for a in view.activities],
        weekdays=WEEKDAYS_DA,
        goal_statuses=[(s.value, label_da(s.value)) for s in GoalStatus],
        visibilities=[(s.value, label_da(s.value)) for s in Visibility],
        default_visibility=permissions.default_visibility(
            getattr(view.organizations.get(user.organization_id or ""), "kind", None)
        ),
        responsibles=[(s.value, label_da(s.value)) for s in Responsible],
        agreement_statuses=[(s.value, label_da(s.value)) for s in AgreementStatus],
        end_goal_kinds=[(s.value, label_da(s.value)) for s in EndGoalKind],
        mentor_choices=mentor_choices(view) if user.role == Role.COORDINATOR else [],
    ), status


def mentor_choices(view) -> list[tuple[str, str]]:
    """Active mentors a coordinator can assign: staff of an organisation the young person consented to."""
    consented = {o for o, c in view.consents.items() if c.status == "given"}
    mentors = db.session.scalars(db.select(User).where(User.role == Role.MENTOR, User.active.is_(True)))
    return sorted(
        (
            (u.id, f"{u.display_name} ({view.org_name(u.organization_id)})")
            for u in mentors
            if permissions.may_assign("mentor_id", u, consented)
        ),
        key=lambda x: x[1].casefold(),
    )


def _form(*names: str) -> dict[str, str]:
    return {n: (request.form.get(n) or "").strip()[:MAX_FIELD] for n in names}


def _optional_date(value: str):
    return value or None


def _save(
    user, entity: str, record_id: str | None, data: dict, base_version: str, on_create: dict | None = None
) -> tuple[str, dict]:
    """Create the record (no id yet: a new one, with `on_create`'s fields too) or change it from
    the version the form showed. Returns its id and the engine's result; raises FormRejected."""
    if record_id is None:
        rid = str(uuid.uuid4())
        return rid, push_form(user, entity, rid, {**data, **(on_create or {}), "id": rid}, None, partial=False)
    return record_id, push_form(
        user, entity, record_id, {**data, "id": record_id}, parse_base_version(base_version), partial=True
    )


def _rejected(view, key: str, e: FormRejected, values: dict):
    return render_plan(view, {"key": key, "values": values, "errors": e.errors, "message": e.message}, 400)


def _listed(records, record_id: str):
    """The page's record with this id (a well-formed one); 404 when the page does not show it."""
    require_uuid(record_id)
    found = next((r for r in records if r.id == record_id), None)
    if found is None:
        abort(404)
    return found


def _saved_anchor(result: dict, prefix: str, fallback: str) -> str:
    """The saved record's place on the page (`prefix-<id>`), or the section when the engine named none."""
    return f"{prefix}-{result['record']['id']}" if result.get("record") else fallback


def _done(youth_id: str, anchor: str, message: str, result: dict | None = None):
    if result is not None and result.get("status") == "merged":
        message += " En anden havde ændret det samme imens – ændringerne er flettet; se Konflikter."
    flash(message, "success")
    return redirect(url_for("plan.show", youth_id=youth_id) + "#" + anchor)


def clash_note(youth_id: str, activity_ids: set[str]) -> str:
    """A warning when any of the new activities overlaps another visible activity of the young
    person (not one of the new ones: e.g. an enrolment's own activities); "" when none does."""
    view = load_plan_view(current_user(), youth_id, clock.today())
    if view is None:
        return ""
    notes = []
    for a, b, days in view.clashes:
        if (a["id"] in activity_ids) != (b["id"] in activity_ids):
            other = b if a["id"] in activity_ids else a
            names = ", ".join(WEEKDAYS_DA[d].lower() for d in days)
            notes.append(
                f"{other['title']} ({view.org_name(other['organization_id'])}, {names} "
                f"{other['start_time']}–{other['end_time']})"
            )
    notes = list(dict.fromkeys(notes))  # one mention per other activity
    return ("Bemærk: aktiviteten overlapper med " + "; ".join(notes) + ".") if notes else ""
