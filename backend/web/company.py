"""Company agreements (virksomhedsaftaler) on the plan page: create, change, record a follow-up —
through the sync engine like every other record (the mentor's phone does the same offline)."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort

from backend.web.common import FormRejected, current_user, login_required
from backend.web.plan import _done, _form, _rejected, _save, _view_or_404, require_uuid
from shared.company import next_follow_up

bp = Blueprint("company", __name__, url_prefix="/youth")

FIELDS = (
    "company",
    "contact_name",
    "contact_phone",
    "hours_per_week",
    "hours_spread",
    "tasks",
    "workplace_support",
    "health_considerations",
    "start_date",
    "end_date",
    "activity_id",
    "visibility",
)


def parse_follow_up_dates(raw: str, existing: list[dict]) -> list[dict]:
    """Dates written as 'ÅÅÅÅ-MM-DD' separated by commas, spaces or lines; those already done keep
    their note and mark. Raises FormRejected with a Danish message on a bad date."""
    known = {f["date"]: f for f in existing}
    out = []
    for part in filter(None, re.split(r"[\s,;]+", raw or "")):
        try:
            day = date.fromisoformat(part).isoformat()
        except ValueError:
            raise FormRejected(
                f"Opfølgninger: '{part[:20]}' er ikke en dato (brug ÅÅÅÅ-MM-DD).",
                {"follow_ups": "Skriv datoerne som ÅÅÅÅ-MM-DD, adskilt af komma."},
            ) from None
        out.append(known.get(day, {"date": day, "done": False, "note": ""}))
    kept_done = [f for f in existing if f.get("done") and f["date"] not in {o["date"] for o in out}]
    return sorted(out + kept_done, key=lambda f: f["date"])


@bp.post("/<youth_id>/company", defaults={"agreement_id": None})
@bp.post("/<youth_id>/company/<agreement_id>")
@login_required
def save_company(youth_id: str, agreement_id: str | None):
    view = _view_or_404(youth_id)
    existing = None
    if agreement_id is not None:
        require_uuid(agreement_id)
        existing = next((c for c in view.company_agreements if c.id == agreement_id), None)
        if existing is None:
            abort(404)
    key = f"company-{agreement_id}" if agreement_id else "company-new"
    values = _form(*FIELDS, "follow_up_dates", "organization_id", "base_version")
    try:
        data = {f: values[f] for f in FIELDS}
        data.update(
            youth_id=view.youth.id,
            end_date=values["end_date"] or None,
            activity_id=values["activity_id"] or None,
            hours_per_week=_number(values["hours_per_week"], "hours_per_week"),
            follow_ups=parse_follow_up_dates(
                values["follow_up_dates"], list(existing.follow_ups or []) if existing else []
            ),
        )
        _, result = _save(
            current_user(),
            "company_agreement",
            agreement_id,
            data,
            values["base_version"],
            on_create={"organization_id": values["organization_id"] or current_user().organization_id},
        )
    except FormRejected as e:
        return _rejected(view, key, e, values)
    return _done(
        view.youth.id,
        f"company-{result['record']['id']}" if result.get("record") else "company",
        "Virksomhedsaftalen er gemt.",
        result,
    )


@bp.post("/<youth_id>/company/<agreement_id>/follow-up")
@login_required
def record_follow_up(youth_id: str, agreement_id: str):
    """Mark the next planned follow-up as done (with a note), and plan the next one if given."""
    view = _view_or_404(youth_id)
    require_uuid(agreement_id)
    ag = next((c for c in view.company_agreements if c.id == agreement_id), None)
    if ag is None:
        abort(404)
    key = f"followup-{agreement_id}"
    values = _form("note", "next_date", "base_version")
    ups = [dict(f) for f in ag.follow_ups or []]
    due = next_follow_up({"follow_ups": ups})
    try:
        if due is None and not values["next_date"]:
            raise FormRejected(
                "Der er ingen planlagt opfølgning. Skriv datoen for den næste.", {"next_date": "Skriv en dato."}
            )
        for f in ups:
            if due is not None and f["date"] == due.isoformat() and not f.get("done"):
                f.update(done=True, note=values["note"][:500])
                break
        ups = parse_follow_up_dates(values["next_date"], ups) if values["next_date"] else ups
        _save(
            current_user(),
            "company_agreement",
            ag.id,
            {"youth_id": view.youth.id, "follow_ups": ups},
            values["base_version"],
        )
    except FormRejected as e:
        return _rejected(view, key, e, values)
    return _done(view.youth.id, f"company-{ag.id}", "Opfølgningen er registreret.")


@bp.post("/<youth_id>/hours")
@login_required
def record_hours(youth_id: str):
    """Ordinary and supported hours of one week or month (the mentor's or the company contact's numbers)."""
    view = _view_or_404(youth_id)
    values = _form("period", "period_start", "ordinary_hours", "supported_hours", "company_agreement_id", "note")
    try:
        data = {
            "youth_id": view.youth.id,
            "period": values["period"],
            "period_start": values["period_start"],
            "ordinary_hours": _number(values["ordinary_hours"], "ordinary_hours", required=True),
            "supported_hours": _number(values["supported_hours"], "supported_hours") or 0.0,
            "company_agreement_id": values["company_agreement_id"] or None,
            "note": values["note"],
        }
        _save(
            current_user(), "work_hours", None, data, "", on_create={"organization_id": current_user().organization_id}
        )
    except FormRejected as e:
        return _rejected(view, "hours", e, values)
    return _done(view.youth.id, "hours", "Timerne er gemt.")


def _number(raw: str, name: str, required: bool = False):
    if not raw:
        if required:
            raise FormRejected("Skriv antal timer.", {name: "Skriv antal timer."})
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        raise FormRejected(
            "Timer skal være et tal, fx 12 eller 7,5.", {name: "Skriv et tal, fx 12 eller 7,5."}
        ) from None
