"""The pull cursor: opaque to clients, base64 of a small JSON object checked by a schema.

A cursor is handed back by the client unchanged, but nothing stops a crafted one; any malformed
cursor (bad base64, bad JSON, wrong types, negative or huge numbers, too many ids) is a 400
`invalid_cursor`, never a 500. Positions are bounded by what a BIGINT holds.
"""

from __future__ import annotations

import base64
import binascii
import json

from marshmallow import EXCLUDE, ValidationError, fields, validate

from backend.errors import ApiError
from shared.schemas import DanishSchema, is_uuid

MAX_POSITION = 2**63 - 1  # change numbers are BIGINT
MAX_CATCH_UP_IDS = 10_000
INVALID = "Ugyldig cursor. Start forfra uden cursor."


def _uuid(value: str) -> None:
    # marshmallow 4 validators must raise (a False return no longer fails).
    if not is_uuid(value):
        raise ValidationError("Not a UUID.")


def _position(required: bool = False):
    return fields.Integer(required=required, strict=True, validate=validate.Range(0, MAX_POSITION))


class CursorSchema(DanishSchema):
    """The decoded cursor; the keys are explained in backend.sync.pull."""

    class Meta:
        unknown = EXCLUDE  # a cursor from a newer server version carries keys this one ignores

    s = _position(required=True)
    i = fields.Integer(strict=True, validate=validate.OneOf([0, 1]))
    c = fields.List(fields.String(validate=_uuid), validate=validate.Length(min=1, max=MAX_CATCH_UP_IDS))
    cs = _position()
    cu = _position()
    g = _position()
    r = _position()
    t = _position()


_SCHEMA = CursorSchema()


def encode_cursor(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict | None:
    """The cursor's state, None for no cursor; ApiError 400 `invalid_cursor` for anything malformed."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        state = json.loads(raw)
        if not isinstance(state, dict):
            raise TypeError("not an object")
        state = _SCHEMA.load(state)
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, RecursionError, ValidationError):
        raise ApiError(400, "invalid_cursor", INVALID) from None
    if "c" in state and not {"cs", "cu"} <= state.keys():
        raise ApiError(400, "invalid_cursor", INVALID)
    return state
