"""Danish validation messages: the schema base that sets them, and the error as Danish text.

`DanishSchema` is the base of every schema (shared.schemas re-exports it) instead of patching
marshmallow's own messages for the whole process. `first_error_message` makes one line for a
message bar, `field_messages` one message per field; they name the fields in the words of the
surface that shows them (shared.labels).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from shared.labels import FIELD_LABELS_DA, FIELD_MESSAGES_DA, SCHEMA_MESSAGES_DA, field_label


class DanishSchema(Schema):
    """Base of every schema: marshmallow's own messages in Danish (shared.labels).

    The app shows these messages to the young person as they are, the API returns them and the
    caseworker pages show them beside the field. A field's messages are set when the schema binds
    it (also the items of a list or mapping); messages a field sets itself are kept.
    """

    error_messages = SCHEMA_MESSAGES_DA

    def on_bind_field(self, field_name: str, field_obj: fields.Field[Any]) -> None:
        _danish_messages(field_obj)


_DANISH_BY_CLASS: dict[type, tuple[dict[str, str], dict[str, str]]] = {}


def _danish_messages(field: fields.Field[Any]) -> None:
    cls = type(field)
    if cls not in _DANISH_BY_CLASS:
        english: dict[str, str] = {}
        danish: dict[str, str] = {}
        for base in reversed(cls.__mro__):
            english.update(getattr(base, "default_error_messages", None) or {})
            danish.update(FIELD_MESSAGES_DA.get(base.__name__, {}))
        _DANISH_BY_CLASS[cls] = english, danish
    english, danish = _DANISH_BY_CLASS[cls]
    for key, text in danish.items():
        if field.error_messages.get(key) == english.get(key):
            field.error_messages[key] = text
    for inner in (
        getattr(field, "inner", None),
        getattr(field, "key_field", None),
        getattr(field, "value_field", None),
    ):
        if isinstance(inner, fields.Field):
            _danish_messages(inner)


def danish_length(min_len: int, max_len: int) -> validate.Length:
    """A length limit with its Danish message (marshmallow's validators speak English)."""
    return validate.Length(
        min=min_len,
        max=max_len,
        error=f"Skal udfyldes og må højst være {max_len} tegn." if min_len else f"Højst {max_len} tegn.",
    )


def danish_range(low: int, high: int) -> validate.Range:
    """A number range with its Danish message."""
    return validate.Range(low, high, error=f"Skal være et tal mellem {low} og {high}.")


def first_error_message(err: ValidationError, labels: dict[str, str] = FIELD_LABELS_DA) -> str:
    """One readable Danish line from a marshmallow error dict (for the UI and the API message)."""

    def walk(prefix: str, msgs: Any) -> Iterator[str]:
        if isinstance(msgs, dict):
            for k, v in msgs.items():
                label = field_label(k, labels) if isinstance(k, str) else str(k)
                yield from walk(f"{prefix}{label}." if prefix or k != "_schema" else "", v)
        elif isinstance(msgs, list):
            for m in msgs:
                yield from walk(prefix, m)
        else:
            yield f"{prefix.rstrip('.')}: {msgs}" if prefix else str(msgs)

    return next(walk("", err.messages), "Ugyldige data.")


def field_messages(err: ValidationError | dict[str, Any]) -> dict[str, str]:
    """The first Danish message of each top-level field (`_schema` for the record as a whole)."""
    messages = err.messages if isinstance(err, ValidationError) else err
    if not isinstance(messages, dict):
        messages = {"_schema": messages}
    out: dict[str, str] = {}
    for k, v in messages.items():
        while isinstance(v, (list, dict)):
            if isinstance(v, dict):
                v = next(iter(v.values()), "Ugyldig værdi.")
            else:
                v = v[0] if v else "Ugyldig værdi."
        out[str(k)] = str(v)
    return out
