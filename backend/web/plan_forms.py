"""The plan page's forms (`POST /youth/<id>/…`): end goal, mentor, contact details, goals, activities,
agreements, outreach and consent — each one mutation through the sync engine."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from flask import abort, flash, render_template, request

from backend import clock
from backend.extensions import db
from backend.models import Consent, Organization, User
from backend.web.common import (
    FormRejected,
    current_user,
    login_required,
    parse_base_version,
    push_form,
    require_uuid,
)
from backend.web.plan_common import (
    _done,
    _form,
    _listed,
    _optional_date,
    _rejected,
    _save,
    _saved_anchor,
    _view_or_404,
    bp,
    clash_note,
)
from shared.enums import Role

# ---- end goal and mentor (the coordinator's) ---------------------------------------------------


@bp.post("/<youth_id>/plan")
@login_required
def save_plan(youth_id: str):
    """Create or change the common plan's end goal; the phones receive it through sync."""
    view = _view_or_404(youth_id)
    user = current_user()
    values = _form("end_goal", "end_goal_kind", "target_date", "base_version")
    data = {
        "youth_id": view.youth.id,
        "end_goal": values["end_goal"],
        "end_goal_kind": values["end_goal_kind"],
        "target_date": _optional_date(values["target_date"]),
    }
    try:
        _, result = _save(
            user,
            "plan",
            view.plan.id if view.plan else None,
            data,
            values["base_version"],
            on_create={"start_date": clock.today().isoformat()},
        )
    except FormRejected as e:
        return _rejected(view, "plan", e, values)
    return _done(view.youth.id, "end-goal", "Slutmålet er gemt.", result)


@bp.post("/<youth_id>/mentor")
@login_required
def save_mentor(youth_id: str):
    """Assign (or remove) the young person's mentor; the old mentor's phone drops the case."""
    view = _view_or_404(youth_id)
    user = current_user()
    values = _form("mentor_id", "base_version")
    mentor_id = values["mentor_id"] or None
    candidate = db.session.get(User, mentor_id[:36]) if mentor_id else None
    if mentor_id is not None and (candidate is None or candidate.role != Role.MENTOR or not candidate.active):
        # a mentor of an organisation without consent goes on to the engine, which says why not
        e = FormRejected("Vælg en mentor fra listen.", {"mentor_id": "Vælg en mentor fra listen."})
        return _rejected(view, "mentor", e, values)
    data = {"id": view.youth.id, "youth_id": view.youth.id, "mentor_id": mentor_id}
    try:
        result = push_form(user, "youth", view.youth.id, data, parse_base_version(values["base_version"]), partial=True)
    except FormRejected as e:
        return _rejected(view, "mentor", e, values)
    return _done(view.youth.id, "people", "Mentoren er gemt." if mentor_id else "Mentoren er fjernet.", result)


@bp.post("/<youth_id>/contact")
@login_required
def save_contact(youth_id: str):
    """The young person's mobile number, best time to call and reminder settings (the coordinator's)."""
    view = _view_or_404(youth_id)
    values = _form("phone", "contact_time", "reminder_time", "reminders_enabled", "base_version")
    data = {
        "id": view.youth.id,
        "youth_id": view.youth.id,
        "phone": values["phone"] or None,
        "contact_time": values["contact_time"],
        "reminder_time": values["reminder_time"] or None,
        "reminders_enabled": values["reminders_enabled"] == "yes",
    }
    try:
        result = push_form(
            current_user(), "youth", view.youth.id, data, parse_base_version(values["base_version"]), partial=True
        )
    except FormRejected as e:
        return _rejected(view, "contact", e, values)
    return _done(view.youth.id, "contact", "Kontaktoplysningerne er gemt.", result)


def _posted_edit(youth_id: str, entity: str, view_list: str, record_id: str | None, fields: tuple[str, ...]):
    """The plan, the posted values and the form's anchor for a new record or one listed on the plan
    (404 for one the plan does not list)."""
    view = _view_or_404(youth_id)
    values = _form(*fields, "organization_id", "base_version")
    listed = _listed(getattr(view, view_list), record_id).id if record_id is not None else "new"
    return view, values, f"{entity}-{listed}"


def _save_edit(entity: str, record_id: str | None, data: dict, values: dict):
    """Save a new or edited plan record; a new one belongs to the organisation chosen on the form."""
    on_create = {"organization_id": values["organization_id"]}
    return _save(current_user(), entity, record_id, data, values["base_version"], on_create=on_create)


# ---- goals -------------------------------------------------------------------------------------


GOAL_FIELDS = ("title", "description", "status", "target_date", "visibility")


@bp.post("/<youth_id>/goals", defaults={"goal_id": None})
@bp.post("/<youth_id>/goals/<goal_id>")
@login_required
def save_goal(youth_id: str, goal_id: str | None):
    view, values, key = _posted_edit(youth_id, "goal", view_list="goals", record_id=goal_id, fields=GOAL_FIELDS)
    data = {
        "youth_id": view.youth.id,
        "title": values["title"],
        "description": values["description"],
        "status": values["status"],
        "target_date": _optional_date(values["target_date"]),
        "visibility": values["visibility"],
    }
    try:
        _, result = _save_edit("goal", goal_id, data, values)
    except FormRejected as e:
        return _rejected(view, key, e, values)
    return _done(view.youth.id, _saved_anchor(result, "goal", "goals"), "Delmålet er gemt.", result)


# ---- activities --------------------------------------------------------------------------------


ACTIVITY_FIELDS = ("title", "goal_id", "start_time", "end_time", "start_date", "end_date", "location", "visibility")


def _weekdays() -> tuple[list[int], list[str]]:
    raw = request.form.getlist("weekdays")[:7]
    days = []
    for r in raw:
        try:
            d = int(r)
        except ValueError:
            raise FormRejected("Ugedage: Ugyldig værdi.", {"weekdays": "Ugyldig værdi."}) from None
        days.append(d)
    return days, raw


@bp.post("/<youth_id>/activities", defaults={"activity_id": None})
@bp.post("/<youth_id>/activities/<activity_id>")
@login_required
def save_activity(youth_id: str, activity_id: str | None):
    view, values, key = _posted_edit(
        youth_id, "activity", view_list="activities", record_id=activity_id, fields=ACTIVITY_FIELDS
    )
    try:
        days, raw_days = _weekdays()
    except FormRejected as e:
        return _rejected(view, key, e, {**values, "weekdays": request.form.getlist("weekdays")[:7]})
    values["weekdays"] = raw_days
    if not days:
        e = FormRejected("Vælg mindst én ugedag.", {"weekdays": "Vælg mindst én ugedag."})
        return _rejected(view, key, e, values)
    data = {
        "youth_id": view.youth.id,
        "title": values["title"],
        "goal_id": values["goal_id"] or None,
        "weekdays": days,
        "start_time": values["start_time"],
        "end_time": values["end_time"],
        "start_date": values["start_date"],
        "end_date": _optional_date(values["end_date"]),
        "location": values["location"],
        "visibility": values["visibility"],
    }
    try:
        rid, result = _save_edit("activity", activity_id, data, values)
    except FormRejected as e:
        return _rejected(view, key, e, values)
    message = "Aktiviteten er gemt."
    clash = _clash_note(view.youth.id, rid)
    if clash:
        flash(clash, "warning")
    return _done(view.youth.id, "activities", message, result)


def _clash_note(youth_id: str, activity_id: str) -> str:
    """A warning when the saved activity overlaps another visible one (the grid shows it too)."""
    return clash_note(youth_id, {activity_id})


# ---- agreements --------------------------------------------------------------------------------


@bp.post("/<youth_id>/agreements")
@login_required
def add_agreement(youth_id: str):
    view = _view_or_404(youth_id)
    user = current_user()
    values = _form("text", "responsible", "due_date", "organization_id", "visibility")
    data = {
        "youth_id": view.youth.id,
        "organization_id": values["organization_id"],
        "text": values["text"],
        "responsible": values["responsible"],
        "due_date": values["due_date"],
        "responsible_user_id": user.id if values["responsible"] == "staff" else None,
        **_chosen_visibility(values),
    }
    try:
        _, result = _save(user, "agreement", None, data, "")
    except FormRejected as e:
        return _rejected(view, "agreement-new", e, values)
    return _done(view.youth.id, "agreements", "Aftalen er oprettet.", result)


@bp.post("/<youth_id>/agreements/<agreement_id>")
@login_required
def review_agreement(youth_id: str, agreement_id: str):
    """Follow-up on an agreement: kept, not kept, cancelled (or reopened), with a note."""
    view = _view_or_404(youth_id)
    user = current_user()
    _listed(view.agreements, agreement_id)
    values = _form("status", "review_note", "base_version")
    data = {
        "id": agreement_id,
        "youth_id": view.youth.id,
        "status": values["status"],
        "review_note": values["review_note"],
    }
    if values["status"] != "open":
        data["reviewed_at"] = clock.now().isoformat()
    try:
        result = push_form(
            user, "agreement", agreement_id, data, parse_base_version(values["base_version"]), partial=True
        )
    except FormRejected as e:
        return _rejected(view, f"agreement-{agreement_id}", e, values)
    return _done(view.youth.id, f"agreement-{agreement_id}", "Opfølgningen på aftalen er gemt.", result)


# ---- outreach ----------------------------------------------------------------------------------


@bp.post("/<youth_id>/outreach")
@login_required
def add_outreach(youth_id: str):
    """Document a contact attempt (call, sms, home visit) – also the ones that did not reach."""
    view = _view_or_404(youth_id)
    user = current_user()
    values = _form("method", "reached", "date", "time", "note", "visibility")
    key = "outreach-new"
    errors = {}
    contacted = None
    try:
        day = date.fromisoformat(values["date"])
        hh, mm = values["time"].split(":")
        contacted = datetime.combine(day, time(int(hh), int(mm)), tzinfo=clock.LOCAL_TZ)
    except ValueError:
        errors["contacted_at"] = "Skriv dato (ÅÅÅÅ-MM-DD) og klokkeslæt (TT:MM)."
    if contacted is not None and contacted > clock.now() + timedelta(minutes=5):
        errors["contacted_at"] = "Tidspunktet kan ikke ligge i fremtiden."
    if values["reached"] not in ("yes", "no"):
        errors["reached"] = "Vælg om I fik kontakt."
    if errors:
        return _rejected(view, key, FormRejected("Rettelser mangler: " + " ".join(errors.values()), errors), values)
    data = {
        "youth_id": view.youth.id,
        "organization_id": user.organization_id,
        "method": values["method"],
        "reached": values["reached"] == "yes",
        "note": values["note"],
        "contacted_at": contacted.astimezone(UTC).isoformat(),
        **_chosen_visibility(values),
    }
    try:
        _, result = _save(user, "outreach", None, data, "")
    except FormRejected as e:
        return _rejected(view, key, e, values)
    return _done(view.youth.id, "outreach", "Kontaktforsøget er registreret.", result)


def _chosen_visibility(values: dict) -> dict:
    """The visibility the form chose; none chosen leaves the default to the engine (need to know)."""
    return {"visibility": values["visibility"]} if values["visibility"] else {}


# ---- consent -----------------------------------------------------------------------------------


@bp.post("/<youth_id>/consents/<org_id>")
@login_required
def save_consent(youth_id: str, org_id: str):
    view = _view_or_404(youth_id)
    user = current_user()
    require_uuid(org_id)
    org = db.session.get(Organization, org_id)
    if org is None:
        abort(404)
    values = _form("status", "base_version", "confirm")
    key = f"consent-{org_id}"
    if values["status"] == "withdrawn" and values["confirm"] != "yes" and user.role == Role.COORDINATOR:
        # Withdrawal cuts an organisation off at once, phones included: ask before doing it.
        return render_template(
            "consent_confirm.html", v=view, org=org, base_version=values["base_version"], new_id=str(uuid.uuid4())
        )
    existing = db.session.scalar(
        db.select(Consent).where(Consent.youth_id == view.youth.id, Consent.organization_id == org_id)
    )
    data = {"youth_id": view.youth.id, "organization_id": org_id, "status": values["status"]}
    try:
        _, result = _save(user, "consent", existing.id if existing else None, data, values["base_version"])
    except FormRejected as e:
        return _rejected(view, key, e, values)
    word = "registreret" if values["status"] == "given" else "trukket tilbage"
    return _done(view.youth.id, "consent", f"Samtykket for {org.name} er {word}.", result)
