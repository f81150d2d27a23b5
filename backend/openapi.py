"""OpenAPI 3 document of /api/v1, built by apispec from the same marshmallow schemas in shared/.

One builder per area of the API (health, auth, sync, the young person's rights, contacts); the
request and answer bodies are the schemas' components, so the document cannot drift from them.
"""

from __future__ import annotations

from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from shared import SCHEMA_VERSION, permissions, responses
from shared import schemas as s

AUTH = [{"bearer": []}]
YOUTH_PARAM = {"name": "youth_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


def _err(desc: str) -> dict:
    return {"description": desc, "content": {"application/json": {"schema": "Error"}}}


def _json(desc: str, schema: dict | str) -> dict:
    """A JSON answer with `schema` (a component's name, or an inline schema)."""
    return {"description": desc, "content": {"application/json": {"schema": schema}}}


def _object(**properties: dict) -> dict:
    return {"type": "object", "properties": properties}


def _common() -> dict:
    """The errors every authenticated endpoint can answer."""
    return {
        "400": _err("Invalid input"),
        "401": _err(
            "Not logged in. error.code: unauthenticated (no token), invalid_token (unknown or expired: keep "
            "the data, log in again), signed_out (a password reset ended the token: keep the data and unsent "
            "changes, log in with the new password), token_revoked (lost phone, logout or closed account: "
            "wipe every local record, draft, change, token and key)"
        ),
        "429": _err("Rate limited"),
        "503": _err("Database unavailable for now; see Retry-After"),
    }


@lru_cache(maxsize=1)
def spec_dict() -> dict:
    """The whole document (built once per process)."""
    spec = APISpec(
        title="Trinvis sync API",
        version=str(SCHEMA_VERSION),
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Sync, auth and health for the Trinvis app. Errors: {error: {code, message}}."},
    )
    _components(spec)
    common = _common()
    _health(spec)
    _auth(spec, common)
    _sync(spec, common)
    _rights(spec, common)
    _contacts(spec, common)
    return spec.to_dict()


def _components(spec: APISpec) -> None:
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=responses.ErrorSchema)
    spec.components.schema("Login", schema=s.LoginSchema)
    spec.components.schema("LoginResponse", schema=responses.LoginResponseSchema)
    spec.components.schema("Mutation", schema=s.MutationSchema)
    spec.components.schema("Push", schema=s.PushSchema)
    spec.components.schema("PushResponse", schema=responses.PushResponseSchema)
    spec.components.schema("PullResponse", schema=responses.PullResponseSchema)
    for name, schema in s.ENTITY_SCHEMAS.items():
        spec.components.schema(f"{name.capitalize()}Data", schema=schema)
    _hidden_contact(spec.components.schemas["YouthData"]["properties"])


def _hidden_contact(props: dict) -> None:
    """The young person's contact details reach only themself, their mentor and coordinator."""
    who = ", ".join(sorted(permissions.CONTACT_ROLES))
    for f in sorted(permissions.CONTACT_FIELDS):
        hidden = "null" if permissions.blank(f) is None else '""'
        props[f]["description"] = (
            f"Only for the roles {who} (the young person, their mentor, their coordinator); "
            f"anyone else (partners) receives {hidden} in pulls and push results. Since schema_version 4."
        )
        if permissions.blank(f) is None:
            props[f]["nullable"] = True


def _health(spec: APISpec) -> None:
    string = {"type": "string"}
    ready = _object(status=string, database=string, schema_version={"type": "integer"})
    down = _object(status=string, database=string, error={"type": "object"})
    spec.path(
        path="/api/v1/health",
        operations={
            "get": {
                "summary": "Ready to serve",
                "responses": {"200": _json("ok", ready), "503": _json("the database is down (Retry-After)", down)},
            }
        },
    )


def _auth(spec: APISpec, common: dict) -> None:
    spec.path(
        path="/api/v1/auth/login",
        operations={
            "post": {
                "summary": "Log in a device",
                "requestBody": {"required": True, "content": {"application/json": {"schema": "Login"}}},
                "responses": {
                    "200": _json("token", "LoginResponse"),
                    **common,
                    "503": _err(
                        "unavailable: the database is down (Retry-After); or two_factor_unavailable: the stored "
                        "TOTP secret cannot be decrypted (TRINVIS_FIELD_KEYS); a recovery code still works"
                    ),
                },
            }
        },
    )
    token_hash = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
    asked = {"type": "object", "required": ["token_hash"], "properties": {"token_hash": token_hash}}
    state = _object(status={"type": "string", "enum": ["revoked", "signed_out", "active", "unknown"]})
    spec.path(
        path="/api/v1/auth/token-status",
        operations={
            "post": {
                "summary": "Is the token with this SHA-256 revoked (asked by a locked phone)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": asked}}},
                "description": (
                    "revoked: wipe the phone (revoked as a lost phone by a coordinator, an admin, the user or "
                    "`flask revoke-token`; logged out; or the user deactivated). signed_out: a password reset "
                    "ended the token; keep the data and unsent changes and ask for the new password. active: "
                    "valid. unknown: never issued or expired (keep the data, log in again). Only revoked wipes."
                ),
                "responses": {
                    "200": _json("revoked | signed_out | active | unknown", state),
                    "400": _err("Invalid input"),
                    "429": _err("Rate limited"),
                },
            }
        },
    )
    spec.path(
        path="/api/v1/auth/logout",
        operations={
            "post": {
                "summary": "Revoke this device's token",
                "security": AUTH,
                "responses": {"200": {"description": "logged out"}, "401": _err("Not logged in")},
            }
        },
    )


def _sync(spec: APISpec, common: dict) -> None:
    cursor = {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 4000}}
    limit_schema = {"type": "integer", "minimum": 1, "maximum": s.MAX_PULL_LIMIT}
    limit = {"name": "limit", "in": "query", "required": False, "schema": limit_schema}
    spec.path(
        path="/api/v1/sync/pull",
        operations={
            "get": {
                "summary": "Changes after the cursor",
                "security": AUTH,
                "parameters": [cursor, limit],
                "responses": {"200": _json("a page", "PullResponse"), **common},
            }
        },
    )
    spec.path(
        path="/api/v1/sync/push",
        operations={
            "post": {
                "summary": "Apply mutations",
                "security": AUTH,
                "requestBody": {"required": True, "content": {"application/json": {"schema": "Push"}}},
                "responses": {
                    "200": _json("one result per mutation", "PushResponse"),
                    "413": _err("Too many mutations or too large"),
                    "426": _err("Client too old"),
                    **common,
                },
            }
        },
    )


def _rights(spec: APISpec, common: dict) -> None:
    fmt = {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["json", "html"]}}
    export = {
        "description": "the export (JSON object, or a text/html document)",
        "content": {"application/json": {"schema": {"type": "object"}}, "text/html": {"schema": {"type": "string"}}},
    }
    spec.path(
        path="/api/v1/youth/{youth_id}/export",
        operations={
            "get": {
                "summary": (
                    "Everything held about the young person (GDPR art. 15): their own token or their coordinator's"
                ),
                "security": AUTH,
                "parameters": [YOUTH_PARAM, fmt],
                "responses": {"200": export, "404": _err("Not this user's young person"), **common},
            }
        },
    )
    link = _object(url={"type": "string"}, expires_in={"type": "integer"})
    spec.path(
        path="/api/v1/youth/{youth_id}/export-link",
        operations={
            "post": {
                "summary": "A signed link (10 minutes) to the export as a document, for the phone's browser",
                "security": AUTH,
                "parameters": [YOUTH_PARAM],
                "responses": {
                    "200": _json("the link", link),
                    "404": _err("Not this user's young person"),
                    **common,
                },
            }
        },
    )


def _contacts(spec: APISpec, common: dict) -> None:
    nullable_string = {"type": "string", "nullable": True}
    person = {
        "type": "object",
        "nullable": True,
        "properties": {"name": {"type": "string"}, "phone": nullable_string, "organization_id": nullable_string},
    }
    spec.path(
        path="/api/v1/me/contacts",
        operations={
            "get": {
                "summary": "The young person's mentor (name, work phone) for 'Ring til nogen'; young people only",
                "security": AUTH,
                "responses": {
                    "200": _json("the mentor or null", _object(mentor=person)),
                    "403": _err("Not a young person"),
                    **common,
                },
            }
        },
    )
