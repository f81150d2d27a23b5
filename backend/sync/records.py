"""Converting case records between rows and their wire form (the `data` of a sync change)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from backend.models import ENTITY_MODELS, Organization, data_columns

_COLUMNS: dict[str, list[str]] = {e: data_columns(m) for e, m in ENTITY_MODELS.items()}
# The on-call number and opening hours travel so the young person's phone knows whom to call (issue 13).
_COLUMNS["organization"] = ["id", "name", "kind", "on_call_phone", "opening_weekdays", "opens_at", "closes_at"]
MODELS = {**ENTITY_MODELS, "organization": Organization}


def columns(entity: str) -> list[str]:
    return _COLUMNS[entity]


def to_wire(value):
    """A column value in its JSON form: dates and instants as ISO 8601 strings."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_to_wire(entity: str, row) -> dict:
    """The wire `data` of an ORM row."""
    return {c: to_wire(getattr(row, c)) for c in _COLUMNS[entity]}


def mapping_to_wire(entity: str, mapping) -> dict:
    """The wire `data` of a Core result row mapping (the fast path used by pulls)."""
    return {c: to_wire(mapping[c]) for c in _COLUMNS[entity]}
