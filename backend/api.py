"""The sync API (`/api/v1`): auth, pull, push, health, OpenAPI — the contract in docs/architecture.md#sync-contract."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, g, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import select, text

from backend import audit
from backend.accounts.throttle import throttled
from backend.accounts.twofactor import check_second_factor
from backend.auth import (
    REASON_LOGOUT,
    REASON_WIPE,
    REVOKE_NOTICE_DA,
    authenticate,
    issue_token,
    revoke_token,
    token_required,
    token_state_by_hash,
)
from backend.dbhealth import RETRY_AFTER_SECONDS
from backend.errors import ApiError, error_body
from backend.extensions import db, limiter
from backend.models import DeviceToken, User, Youth
from backend.sync.pull import pull
from backend.sync.push import push
from shared import MIN_SCHEMA_VERSION, SCHEMA_VERSION
from shared.enums import Role
from shared.schemas import (
    MAX_MUTATIONS_PER_PUSH,
    LoginSchema,
    PullQuerySchema,
    PushSchema,
    first_error_message,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body() -> dict:
    """The request's JSON object, or a 400 in the contract's shape."""
    try:
        body = request.get_json(force=True, silent=True)
    except RecursionError:
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "Body skal være et JSON-objekt.")
    try:
        # JSON can spell a lone UTF-16 surrogate ("\ud800"); no database can store it (was a 500).
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, "invalid_json", "Teksten indeholder ugyldige tegn.") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "Body er for dybt indlejret.") from None
    return body


def load(schema, data) -> dict:
    try:
        return schema.load(data)
    except ValidationError as e:
        raise ApiError(400, "invalid", first_error_message(e), e.messages) from None


def user_json(user: User) -> dict:
    youth_id = None
    if user.role == Role.YOUTH:
        youth_id = db.session.scalar(select(Youth.id).where(Youth.user_id == user.id))
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "organization_id": user.organization_id,
        "display_name": user.display_name,
        "youth_id": youth_id,
    }


@bp.get("/health")
def health():
    """Ready to serve: 200 with the database up, 503 (and Retry-After) while it is not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as e:  # noqa: BLE001 - any failure here means "not ready"
        current_app.logger.warning("Health check: database down: %s", str(e)[:200])
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - a dead connection may refuse even this
            db.session.close()
        body = {
            "status": "unavailable",
            "database": "down",
            "schema_version": SCHEMA_VERSION,
            **error_body("database_down", "Databasen svarer ikke."),
        }
        return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return {"status": "ok", "database": "ok", "schema_version": SCHEMA_VERSION}


@bp.post("/auth/login")
@throttled
def login():
    creds = load(LoginSchema(), json_body())
    user = authenticate(creds["username"], creds["password"])
    if user is None:
        audit.record(None, "login_failed", detail=f"username={creds['username'][:100]}")
        db.session.commit()
        raise ApiError(401, "invalid_credentials", "Forkert brugernavn eller adgangskode.")
    check_second_factor(user, creds.get("otp"))
    token = issue_token(user, creds["device_name"])
    audit.record(user, "login", detail=f"device={creds['device_name']}")
    db.session.commit()
    return {"token": token, "user": user_json(user)}


@bp.post("/auth/token-status")
@limiter.limit(lambda: current_app.config["TOKEN_STATUS_RATE_LIMIT"], methods=["POST"])
def token_status():
    """Is the token with this SHA-256 revoked? Asked by a locked phone, whose token is sealed.

    The hash cannot log anyone in (the server stores the same hash); the answer only tells a
    lost, revoked phone to wipe itself even before anyone knows its PIN ("revoked"), or that a
    password reset signed it out ("signed_out": it keeps its data and asks for the new password).
    """
    digest = json_body().get("token_hash")
    if not isinstance(digest, str) or len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
        raise ApiError(400, "invalid", "token_hash skal være SHA-256 i hex (64 tegn).")
    return {"status": token_state_by_hash(digest)}


@bp.post("/auth/logout")
@token_required
def logout():
    revoke_token(g.device_token, REASON_LOGOUT)
    audit.record(g.user, "logout")
    db.session.commit()
    return {"status": "logged_out"}


@bp.get("/auth/me")
@token_required
def me():
    return {"user": user_json(g.user)}


def _may_manage_tokens_of(actor: User, target: User) -> bool:
    if actor.id == target.id or actor.role == Role.ADMIN:
        return True
    if actor.role == Role.COORDINATOR:
        if target.role == Role.YOUTH:
            return (
                db.session.scalar(select(Youth.id).where(Youth.user_id == target.id, Youth.coordinator_id == actor.id))
                is not None
            )
        return target.organization_id == actor.organization_id and target.role in (Role.MENTOR, Role.PARTNER)
    return False


@bp.get("/auth/tokens")
@token_required
def list_tokens():
    target_id = request.args.get("user_id") or g.user.id
    target = db.session.get(User, target_id)
    if target is None or not _may_manage_tokens_of(g.user, target):
        raise ApiError(404, "not_found", "Brugeren findes ikke eller er ikke synlig for dig.")
    rows = db.session.scalars(
        select(DeviceToken).where(DeviceToken.user_id == target.id).order_by(DeviceToken.created_at.desc())
    ).all()
    return {
        "tokens": [
            {
                "id": t.id,
                "device_name": t.device_name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                "revoked": t.revoked_at is not None,
                "revoked_reason": t.revoked_reason,
                "current": t.id == g.device_token.id,
            }
            for t in rows
        ]
    }


@bp.post("/auth/tokens/<token_id>/revoke")
@token_required
def revoke(token_id: str):
    row = db.session.get(DeviceToken, token_id[:36])
    target = db.session.get(User, row.user_id) if row else None
    if row is None or target is None or not _may_manage_tokens_of(g.user, target):
        raise ApiError(404, "not_found", "Enheden findes ikke eller er ikke synlig for dig.")
    revoke_token(row, REASON_WIPE)
    audit.record(g.user, "revoke_token", detail=f"token={row.id} user={target.username}")
    db.session.commit()
    return {"status": "revoked", "id": row.id, "message": REVOKE_NOTICE_DA}


@bp.get("/sync/pull")
@token_required
def sync_pull():
    args = load(PullQuerySchema(), request.args.to_dict())
    page = pull(g.user, args["cursor"], args["limit"])
    db.session.commit()  # the audit lines of this read
    return jsonify(page)


@bp.post("/sync/push")
@token_required
def sync_push():
    body = json_body()
    muts = body.get("mutations")
    if isinstance(muts, list) and len(muts) > MAX_MUTATIONS_PER_PUSH:
        raise ApiError(413, "too_many_mutations", f"Højst {MAX_MUTATIONS_PER_PUSH} ændringer pr. push. Del dem op.")
    sv = body.get("schema_version")
    if isinstance(sv, int) and not isinstance(sv, bool) and sv < MIN_SCHEMA_VERSION:
        raise ApiError(426, "client_too_old", "Appen er for gammel. Opdater Trinvis-appen for at synkronisere.")
    payload = load(PushSchema(), body)
    if payload["schema_version"] > SCHEMA_VERSION:
        raise ApiError(
            400, "unsupported_schema_version", "Serveren kender ikke denne version af appen endnu. Prøv igen senere."
        )
    results = push(g.user, payload["device_id"], payload["mutations"])
    return jsonify({"results": results})


@bp.get("/openapi.json")
def openapi():
    from backend.openapi import spec_dict

    return jsonify(spec_dict())
