"""OpenAPI 3 document of /api/v1, built by apispec from the same marshmallow schemas in shared/."""

from __future__ import annotations

from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from shared import SCHEMA_VERSION, responses
from shared import schemas as s


def _err(desc: str) -> dict:
    return {"description": desc, "content": {"application/json": {"schema": "Error"}}}


@lru_cache(maxsize=1)
def spec_dict() -> dict:
    spec = APISpec(
        title="Trinvis sync API",
        version=str(SCHEMA_VERSION),
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Sync, auth and health for the Trinvis app. Errors: {error: {code, message}}."},
    )
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
    auth = [{"bearer": []}]
    common = {
        "400": _err("Invalid input"),
        "401": _err("Not logged in"),
        "429": _err("Rate limited"),
        "503": _err("Database unavailable for now; see Retry-After"),
    }
    spec.path(
        path="/api/v1/health",
        operations={
            "get": {
                "summary": "Ready to serve",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "status": {"type": "string"},
                                        "database": {"type": "string"},
                                        "schema_version": {"type": "integer"},
                                    },
                                }
                            }
                        },
                    },
                    "503": {
                        "description": "the database is down (Retry-After)",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "status": {"type": "string"},
                                        "database": {"type": "string"},
                                        "error": {"type": "object"},
                                    },
                                }
                            }
                        },
                    },
                },
            }
        },
    )
    spec.path(
        path="/api/v1/auth/login",
        operations={
            "post": {
                "summary": "Log in a device",
                "requestBody": {"required": True, "content": {"application/json": {"schema": "Login"}}},
                "responses": {
                    "200": {"description": "token", "content": {"application/json": {"schema": "LoginResponse"}}},
                    **common,
                },
            }
        },
    )
    spec.path(
        path="/api/v1/auth/token-status",
        operations={
            "post": {
                "summary": "Is the token with this SHA-256 revoked (asked by a locked phone)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["token_hash"],
                                "properties": {"token_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "revoked | active | unknown",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "status": {"type": "string", "enum": ["revoked", "active", "unknown"]}
                                    },
                                }
                            }
                        },
                    },
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
                "security": auth,
                "responses": {"200": {"description": "logged out"}, "401": _err("Not logged in")},
            }
        },
    )
    spec.path(
        path="/api/v1/sync/pull",
        operations={
            "get": {
                "summary": "Changes after the cursor",
                "security": auth,
                "parameters": [
                    {
                        "name": "cursor",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 4000},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": s.MAX_PULL_LIMIT},
                    },
                ],
                "responses": {
                    "200": {"description": "a page", "content": {"application/json": {"schema": "PullResponse"}}},
                    **common,
                },
            }
        },
    )
    spec.path(
        path="/api/v1/sync/push",
        operations={
            "post": {
                "summary": "Apply mutations",
                "security": auth,
                "requestBody": {"required": True, "content": {"application/json": {"schema": "Push"}}},
                "responses": {
                    "200": {
                        "description": "one result per mutation",
                        "content": {"application/json": {"schema": "PushResponse"}},
                    },
                    "413": _err("Too many mutations or too large"),
                    "426": _err("Client too old"),
                    **common,
                },
            }
        },
    )
    youth_param = {"name": "youth_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    spec.path(
        path="/api/v1/youth/{youth_id}/export",
        operations={
            "get": {
                "summary": (
                    "Everything held about the young person (GDPR art. 15): their own token or their coordinator's"
                ),
                "security": auth,
                "parameters": [
                    youth_param,
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["json", "html"]},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "the export (JSON object, or a text/html document)",
                        "content": {
                            "application/json": {"schema": {"type": "object"}},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    "404": _err("Not this user's young person"),
                    **common,
                },
            }
        },
    )
    spec.path(
        path="/api/v1/youth/{youth_id}/export-link",
        operations={
            "post": {
                "summary": "A signed link (10 minutes) to the export as a document, for the phone's browser",
                "security": auth,
                "parameters": [youth_param],
                "responses": {
                    "200": {
                        "description": "the link",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"url": {"type": "string"}, "expires_in": {"type": "integer"}},
                                }
                            }
                        },
                    },
                    "404": _err("Not this user's young person"),
                    **common,
                },
            }
        },
    )
    person = {
        "type": "object",
        "nullable": True,
        "properties": {
            "name": {"type": "string"},
            "phone": {"type": "string", "nullable": True},
            "organization_id": {"type": "string", "nullable": True},
        },
    }
    spec.path(
        path="/api/v1/me/contacts",
        operations={
            "get": {
                "summary": "The young person's mentor (name, work phone) for 'Ring til nogen'; young people only",
                "security": auth,
                "responses": {
                    "200": {
                        "description": "the mentor or null",
                        "content": {
                            "application/json": {"schema": {"type": "object", "properties": {"mentor": person}}}
                        },
                    },
                    "403": _err("Not a young person"),
                    **common,
                },
            }
        },
    )
    return spec.to_dict()
