"""The young person's common plan (`/youth/<id>`): read, edit through the sync engine, print."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from backend import clock
from backend.extensions import db
from backend.models import Consent, Organization, User
from backend.services.plan_view import WEEKDAYS_DA, load_plan_view
from backend.web import privacy
from backend.web.common import (
    FormRejected,
    audit_read,
    current_user,
    login_required,
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


def _done(youth_id: str, anchor: str, message: str, result: dict | None = None):
    if result is not None and result.get("status") == "merged":
        message += " En anden havde ændret det samme imens – ændringerne er flettet; se Konflikter."
    flash(message, "success")
    return redirect(url_for("plan.show", youth_id=youth_id) + "#" + anchor)


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


# ---- goals -------------------------------------------------------------------------------------


GOAL_FIELDS = ("title", "description", "status", "target_date", "visibility")


@bp.post("/<youth_id>/goals", defaults={"goal_id": None})
@bp.post("/<youth_id>/goals/<goal_id>")
@login_required
def save_goal(youth_id: str, goal_id: str | None):
    view = _view_or_404(youth_id)
    user = current_user()
    values = _form(*GOAL_FIELDS, "organization_id", "base_version")
    key = "goal-new"
    if goal_id is not None:
        require_uuid(goal_id)
        if goal_id not in {g.id for g in view.goals}:
            abort(404)
        key = f"goal-{goal_id}"
    data = {
        "youth_id": view.youth.id,
        "title": values["title"],
        "description": values["description"],
        "status": values["status"],
        "target_date": _optional_date(values["target_date"]),
        "visibility": values["visibility"],
    }
    try:
        _, result = _save(
            user,
            "goal",
            goal_id,
            data,
            values["base_version"],
            on_create={"organization_id": values["organization_id"]},
        )
    except FormRejected as e:
        return _rejected(view, key, e, values)
    return _done(
        view.youth.id,
        f"goal-{result['record']['id']}" if result.get("record") else "goals",
        "Delmålet er gemt.",
        result,
    )


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
    view = _view_or_404(youth_id)
    user = current_user()
    values = _form(*ACTIVITY_FIELDS, "organization_id", "base_version")
    key = "activity-new"
    if activity_id is not None:
        require_uuid(activity_id)
        if activity_id not in {a.id for a in view.activities}:
            abort(404)
        key = f"activity-{activity_id}"
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
        rid, result = _save(
            user,
            "activity",
            activity_id,
            data,
            values["base_version"],
            on_create={"organization_id": values["organization_id"]},
        )
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


# ---- agreements --------------------------------------------------------------------------------


@bp.post("/<youth_id>/agreements")
@login_required
def add_agreement(youth_id: str):
    view = _view_or_404(youth_id)
    user = current_user()
    values = _form("text", "responsible", "due_date", "organization_id", "visibility")
    rid = str(uuid.uuid4())
    data = {
        "id": rid,
        "youth_id": view.youth.id,
        "organization_id": values["organization_id"],
        "text": values["text"],
        "responsible": values["responsible"],
        "due_date": values["due_date"],
        "responsible_user_id": user.id if values["responsible"] == "staff" else None,
    }
    if values["visibility"]:
        data["visibility"] = values["visibility"]
    try:
        result = push_form(user, "agreement", rid, data, None, partial=False)
    except FormRejected as e:
        return _rejected(view, "agreement-new", e, values)
    return _done(view.youth.id, "agreements", "Aftalen er oprettet.", result)


@bp.post("/<youth_id>/agreements/<agreement_id>")
@login_required
def review_agreement(youth_id: str, agreement_id: str):
    """Follow-up on an agreement: kept, not kept, cancelled (or reopened), with a note."""
    view = _view_or_404(youth_id)
    user = current_user()
    require_uuid(agreement_id)
    if agreement_id not in {a.id for a in view.agreements}:
        abort(404)
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
    rid = str(uuid.uuid4())
    data = {
        "id": rid,
        "youth_id": view.youth.id,
        "organization_id": user.organization_id,
        "method": values["method"],
        "reached": values["reached"] == "yes",
        "note": values["note"],
        "contacted_at": contacted.astimezone(UTC).isoformat(),
    }
    if values["visibility"]:
        data["visibility"] = values["visibility"]
    try:
        result = push_form(user, "outreach", rid, data, None, partial=False)
    except FormRejected as e:
        return _rejected(view, key, e, values)
    return _done(view.youth.id, "outreach", "Kontaktforsøget er registreret.", result)


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
