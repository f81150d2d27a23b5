"""Export (art. 15) for the young person (API) and the coordinator (web, API); erasure (art. 17) on the web."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from backend import audit
from backend.auth import token_required
from backend.errors import ApiError
from backend.extensions import db
from backend.models import DeviceToken, User, Youth, utcnow
from backend.rights.audit_labels import ENTITY_DA, capitalised
from backend.rights.document import ROLE_DA, access_rows, sections
from backend.rights.erasure import erase_youth, plan_erasure
from backend.rights.export import build_export, scope_for
from backend.services.plan_view import visible_youth
from backend.web.common import coordinator_required, current_user, require_uuid
from shared.schemas import is_uuid

LINK_MINUTES = 10
LINK_GONE = "Linket er udløbet eller virker ikke længere. Tryk på «Hent mine data» i appen igen."

web_bp = Blueprint("rights", __name__, url_prefix="/youth", template_folder="templates")
api_bp = Blueprint("rights_api", __name__, url_prefix="/api/v1/youth")

ERASE_LABELS = {
    **capitalised(ENTITY_DA),  # the record kinds, in the audit log's words
    "target_group_history": "Målgruppehistorik",
    "outcome_history": "Statushistorik",
    "record_history": "Tidligere versioner",
    "applied_mutation": "Modtagne ændringer",
    "change_log": "Synkroniseringslog",
    "audit_log_deleted": "Logbogslinjer ældre end opbevaringstiden",
    "user_account": "Den unges login",
}


def exported(viewer: User, youth: Youth, scope: str, fmt: str, channel: str) -> dict:
    """The export for `viewer`, audit-logged in the same transaction."""
    export = build_export(viewer, youth, scope)
    audit.record(
        viewer,
        "export",
        youth_id=youth.id,
        count=sum(export["counts"].values()),
        detail=f"format={fmt} scope={scope}",
        channel=channel,
    )
    db.session.commit()
    return export


def render_document(export: dict, mode: str) -> str:
    """mode: 'web' (the coordinator's page), 'link' (the young person's browser), 'api' (inline styles)."""
    return render_template(
        "rights/export_document.html",
        e=export,
        sections=sections(export),
        access=access_rows(export),
        roles=ROLE_DA,
        mode=mode,
    )


def json_download(export: dict) -> Response:
    name = f"trinvis-udtraek-{export['generated_at'][:10]}.json"
    return Response(
        json.dumps(export, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# ---- API: the young person's own token, or their coordinator's ---------------------------------


@api_bp.get("/<youth_id>/export")
@token_required
def api_export(youth_id: str):
    """Everything Trinvis holds about the young person: JSON, or `?format=html` for the document."""
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "html"):
        raise ApiError(400, "invalid", "format skal være json eller html.")
    youth, scope = _export_target(youth_id)
    export = exported(g.user, youth, scope, fmt, channel="api")
    if fmt == "html":
        # A document with its styles inline and nothing else: no scripts, no requests.
        return Response(
            render_document(export, mode="api"),
            mimetype="text/html",
            headers={
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                "Cache-Control": "no-store",
            },
        )
    return export


def _export_target(youth_id: str) -> tuple[Youth, str]:
    youth = db.session.get(Youth, youth_id) if is_uuid(youth_id) else None
    scope = scope_for(g.user, youth) if youth is not None else None
    if scope is None:
        raise ApiError(404, "not_found", "Den unge findes ikke eller er ikke synlig for dig.")
    return youth, scope


@api_bp.post("/<youth_id>/export-link")
@token_required
def api_export_link(youth_id: str):
    """A link the app opens in the phone's browser: the document, valid for a few minutes.

    The link is signed (itsdangerous, the app's SECRET_KEY) and names the device token, so it
    dies with the token, and after LINK_MINUTES. Opening it is audit-logged like any export.
    """
    youth, _ = _export_target(youth_id)
    key = _signer().dumps({"t": g.device_token.id, "y": youth.id})
    return {"url": url_for("rights.export_by_link", key=key, _external=True), "expires_in": LINK_MINUTES * 60}


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="trinvis-export-link")


@web_bp.get("/mine-data/<key>", endpoint="export_by_link")
def export_by_link(key: str):
    try:
        claims = _signer().loads(key[:1000], max_age=LINK_MINUTES * 60)
    except BadSignature:  # also SignatureExpired
        return render_template("error.html", status=404, message=LINK_GONE), 404
    token = db.session.get(DeviceToken, claims.get("t")) if isinstance(claims, dict) else None
    user = db.session.get(User, token.user_id) if token is not None else None
    youth = db.session.get(Youth, claims.get("y")) if user is not None and is_uuid(claims.get("y")) else None
    if (
        youth is None
        or token.revoked_at is not None
        or token.expires_at <= utcnow()
        or not user.active
        or scope_for(user, youth) is None
    ):
        return render_template("error.html", status=404, message=LINK_GONE), 404
    export = exported(user, youth, scope_for(user, youth), "html", channel="api")
    return render_document(export, mode="link")


# ---- web: the coordinator, from the plan page --------------------------------------------------


def _coordinators_youth(youth_id: str) -> Youth:
    require_uuid(youth_id)
    youth = visible_youth(current_user(), youth_id)
    if youth is None:
        abort(404)
    return youth


@web_bp.get("/<youth_id>/export")
@coordinator_required
def export_page(youth_id: str):
    youth = _coordinators_youth(youth_id)
    export = exported(current_user(), youth, "staff", "html", channel="web")
    return render_document(export, mode="web")


@web_bp.get("/<youth_id>/export.json")
@coordinator_required
def export_json(youth_id: str):
    youth = _coordinators_youth(youth_id)
    return json_download(exported(current_user(), youth, "staff", "json", channel="web"))


@web_bp.get("/<youth_id>/erase")
@coordinator_required
def erase_confirm(youth_id: str):
    youth = _coordinators_youth(youth_id)
    return _erase_page(youth)


def _erase_page(youth: Youth, error: str = "", status: int = 200):
    plan = plan_erasure(youth.id)
    rows = [(ERASE_LABELS.get(k, k), n) for k, n in plan.counts.items() if n]
    return render_template("rights/erase_confirm.html", youth=youth, rows=rows, error=error), status


@web_bp.post("/<youth_id>/erase")
@coordinator_required
def erase(youth_id: str):
    youth = _coordinators_youth(youth_id)
    typed = (request.form.get("confirm_name") or "").strip()[:300]
    if request.form.get("checked") != "yes" or typed.casefold() != youth.display_name.strip().casefold():
        return _erase_page(youth, "Skriv den unges fulde navn og sæt flueben for at bekræfte sletningen.", 400)
    name = youth.display_name
    try:
        erase_youth(youth.id, current_user(), "request", channel="web")
        db.session.commit()
    except LookupError:  # erased a moment ago (another click, another coordinator)
        db.session.rollback()
    flash(f"Alle oplysninger om {name} er slettet. Telefonerne fjerner sagen ved næste synkronisering.", "success")
    return redirect(url_for("caseload.index"))
