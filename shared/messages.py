"""A marshmallow error as Danish text: one line for a message bar, or one message per field.

The messages themselves are Danish already (shared.schemas.DanishSchema, shared.labels); these
put the field names in front in the words of the surface that shows them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marshmallow import ValidationError

from shared.labels import FIELD_LABELS_DA, field_label


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
