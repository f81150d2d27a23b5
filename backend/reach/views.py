"""Caseworker pages for reaching the young person: the morning list (`/morning`) with one-tap
call/text that records the attempt, and the answer to "Fik du fat i …?"."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for

from backend import clock
from backend.extensions import db
from backend.models import Outreach
from backend.reach.attempts import load_contact_record, parse_period
from backend.reach.morning import REACHING_ROLES, morning_list
from backend.services.plan_view import visible_youth
from backend.web.common import (
    FormRejected,
    audit_read,
    current_user,
    form_mutation_id,
    login_required,
    parse_base_version,
    push_form,
    require_uuid,
)
from shared.enums import OutreachMethod
from shared.schemas import is_uuid

bp = Blueprint("reach", __name__, template_folder="templates")

AUTO_NOTE = {
    OutreachMethod.CALL.value: "Ringet op med ét tryk fra morgenlisten.",
    OutreachMethod.SMS.value: "Sms sendt med ét tryk fra morgenlisten.",
}


def _reaching_user():
    user = current_user()
    if user.role not in REACHING_ROLES:
        abort(403)
    return user


@bp.get("/morning")
@login_required
def morning():
    """Today's no-shows with their number, best time to call and today's attempts."""
    user = _reaching_user()
    rows = morning_list(user)
    audit_read(user, {(r.youth_id, "outreach"): len(r.attempts) + 1 for r in rows}, "morning list")
    db.session.commit()
    return render_template(
        "morning.html",
        rows=rows,
        new_id=lambda: str(uuid.uuid4()),
        asked=_asked(user, request.args.get("ask")),
        staff_name=user.display_name,
    )


def _asked(user, outreach_id: str | None) -> dict | None:
    """The attempt to ask "Fik du fat i …?" about (from the morning list or the plan page)."""
    if not outreach_id or not is_uuid(outreach_id):
        return None
    rec = db.session.get(Outreach, outreach_id)
    youth = visible_youth(user, rec.youth_id) if rec is not None and not rec.deleted else None
    if youth is None:
        return None
    return {
        "id": rec.id,
        "method": rec.method,
        "version": rec.version,
        "first_name": (youth.display_name or "").split(" ")[0],
    }


@bp.post("/morning/<youth_id>/attempt")
@login_required
def record_attempt(youth_id: str):
    """The tap on Ring/Sms: the attempt is recorded now (not reached until answered). The page's
    script sends it as the tel:/sms: link opens; the form's mutation_id makes a double tap count once."""
    user = _reaching_user()
    require_uuid(youth_id)
    if visible_youth(user, youth_id) is None:
        abort(404)
    method = request.form.get("method", "")
    if method not in AUTO_NOTE:
        return _answer({"error": "Ukendt kontaktform."}, 400)
    # The record id follows from the form's mutation id: a double tap is the same attempt, once.
    rid = str(uuid.uuid5(uuid.NAMESPACE_URL, "trinvis-outreach:" + form_mutation_id()))
    data = {
        "id": rid,
        "youth_id": youth_id,
        "organization_id": user.organization_id,
        "method": method,
        "reached": False,
        "note": AUTO_NOTE[method],
        "contacted_at": clock.now().isoformat(),
    }
    try:
        push_form(user, "outreach", rid, data, None, partial=False)
    except FormRejected as e:
        return _answer({"error": e.message}, 400)
    return _answer({"id": rid, "ask_url": url_for("reach.answer", outreach_id=rid)}, 200, rid)


def _answer(body: dict, status: int, rid: str | None = None):
    if request.accept_mimetypes.best == "application/json":
        return jsonify(body), status
    if status != 200:
        flash(body["error"], "error")
        return redirect(url_for("reach.morning"))
    return redirect(url_for("reach.morning", ask=rid) + "#ask")


@bp.post("/morning/attempt/<outreach_id>/reached")
@login_required
def answer(outreach_id: str):
    """'Fik du fat i …?' Ja/Nej after the call (for a text: did they answer)."""
    user = _reaching_user()
    require_uuid(outreach_id)
    rec = db.session.get(Outreach, outreach_id)
    if rec is None or rec.deleted or visible_youth(user, rec.youth_id) is None:
        abort(404)
    reached = request.form.get("reached")
    if reached not in ("yes", "no"):
        flash("Vælg Ja eller Nej.", "error")
        return redirect(url_for("reach.morning", ask=outreach_id) + "#ask")
    try:
        push_form(
            user,
            "outreach",
            rec.id,
            {"id": rec.id, "youth_id": rec.youth_id, "reached": reached == "yes"},
            parse_base_version(request.form.get("base_version")),
            partial=True,
        )
    except FormRejected as e:
        flash(e.message, "error")
        return redirect(url_for("reach.morning"))
    flash("Godt – det er noteret." if reached == "yes" else "Noteret. Prøv igen senere, eller send en sms.", "success")
    back = request.form.get("next") or ""
    return redirect(back if back.startswith("/") and not back.startswith("//") else url_for("reach.morning"))


@bp.get("/youth/<youth_id>/contact-attempts")
@login_required
def contact_attempts(youth_id: str):
    """'Kontaktforsøg' for a period (?from=&to=, default the last 30 days); ?print=1 for paper."""
    user = current_user()
    require_uuid(youth_id)
    start, end, error = parse_period(request.args.get("from"), request.args.get("to"), clock.today())
    rec = load_contact_record(user, youth_id, start, end)
    if rec is None:
        abort(404)
    audit_read(user, {(youth_id, e): n for e, n in rec.counts().items()}, "contact attempts")
    db.session.commit()
    template = "contact_attempts_print.html" if request.args.get("print") else "contact_attempts.html"
    return render_template(template, r=rec, error=error, today=clock.today())
