"""The field types every synced entity's schema is built from (ids, bounded text, Danish choices,
UTC instants, times, phone numbers) and `EntitySchema`, the fields every case record has.

`shared.schemas` and `shared.schemas_steps` build on it (`shared.schemas` re-exports the names)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from marshmallow import RAISE, ValidationError, fields, validate

from shared import enums
from shared.messages import DanishSchema

MAX_TEXT = 2000
MAX_TITLE = 200


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_uuid(value: str) -> bool:
    """True for a canonical (lower-case, hyphenated) UUID string."""
    return isinstance(value, str) and _UUID.match(value) is not None


def _uuid(value: str) -> None:
    if not is_uuid(value):
        raise ValidationError("Ikke et gyldigt id (UUID).")


# A Regexp, not a function, so that apispec shows it in /api/v1/openapi.json as a `pattern`.
no_nul = validate.Regexp(r"^[^\x00]*$", error="Teksten indeholder et ugyldigt tegn.")


def _enum(e: type[Enum]) -> validate.OneOf:
    # the Danish labels, not the wire values: the message reaches people (issue 16: no English leaks)
    values = [m.value for m in e]
    labels = [enums.label_da(v) for v in values]
    return validate.OneOf(values, labels=labels, error="Ugyldig værdi. Vælg en af: {labels}.")


def Id(**kw: Any) -> fields.String:  # noqa: N802 - reads like a field class
    return fields.String(validate=_uuid, **kw)


def Text(max_len: int = MAX_TEXT, min_len: int = 0, **kw: Any) -> fields.String:  # noqa: N802
    # Two checks, two messages: an empty field is told to be filled in, a too long one the limit.
    checks = [validate.Length(max=max_len, error=f"Må højst være {max_len} tegn."), no_nul]
    if min_len:
        checks.insert(0, validate.Length(min=min_len, error="Skal udfyldes."))
    return fields.String(validate=checks, **kw)


def Choice(e: type[Enum], **kw: Any) -> fields.String:  # noqa: N802
    return fields.String(validate=_enum(e), **kw)


class UTCDateTime(fields.DateTime):
    """ISO 8601 instant; naive values are taken as UTC, all are returned in UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> datetime:
        dt = super()._deserialize(value, attr, data, **kwargs)
        if dt.tzinfo is None:
            return dt.replace(tzinfo=UTC)
        return dt.astimezone(UTC)

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | float | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class HHMM(fields.String):
    def __init__(self, **kw: Any) -> None:
        super().__init__(validate=validate.Regexp(_HHMM, error="Tid skal skrives som TT:MM."), **kw)


class Phone(fields.String):
    """A phone number, stored in E.164 whatever way it was typed (shared/contact.py)."""

    # A blank number loads as None (String promises str): the override widens the return type.
    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str | None:
        from shared.contact import normalize_phone

        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalize_phone(text)
        except ValueError as e:
            raise ValidationError(str(e)) from None


class EntitySchema(DanishSchema):
    """Fields every case record has. `id` and `youth_id` are set by the client on create."""

    class Meta:
        unknown = RAISE

    id = Id(required=True)
    youth_id = Id(required=True)
