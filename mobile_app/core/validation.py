"""Check an entry with the shared marshmallow schemas before it is queued; Danish messages."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from mobile_app.core.errors import ValidationFailed
from shared.labels import APP_FIELD_LABELS_DA, field_label
from shared.messages import field_messages
from shared.schemas import ENTITY_SCHEMAS, validate_entity


def danish_message(err: ValidationError) -> str:
    """One plain Danish line: 'Felt: besked.' (the first field's first message, in the app's words)."""
    for field_name, message in field_messages(err).items():
        if field_name == "_schema":
            return message
        return f"{field_label(field_name, APP_FIELD_LABELS_DA)}: {message}"
    return "Ugyldige data."


def check(entity: str, record: dict[str, Any]) -> None:
    """Validate the whole record as it will be after the change; raise ValidationFailed if bad.

    Fields the schema does not know (server bookkeeping that arrived in a pull) are left out,
    so only what the user entered is judged.
    """
    known = set(ENTITY_SCHEMAS[entity]._declared_fields)
    try:
        validate_entity(entity, {k: v for k, v in record.items() if k in known})
    except ValidationError as err:
        raise ValidationFailed(danish_message(err)) from None
