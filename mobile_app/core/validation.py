"""Check an entry with the shared marshmallow schemas before it is queued; Danish messages."""

from __future__ import annotations

from marshmallow import ValidationError

from shared.schemas import ENTITY_SCHEMAS, validate_entity

from mobile_app.core.errors import ValidationFailed

FIELD_LABELS_DA = {
    "text": "Aftalen",
    "due_date": "Dato",
    "responsible": "Hvem har ansvaret",
    "status": "Status",
    "review_note": "Note",
    "youth_comment": "Kommentar",
    "absence_reason": "Grund",
    "note": "Note",
    "method": "Måde",
    "reached": "Fik fat",
    "scores": "Svar",
    "comment": "Kommentar",
    "date": "Dato",
    "activity_id": "Aktivitet",
    "organization_id": "Organisation",
    "contacted_at": "Tidspunkt",
    "rater_role": "Hvem svarer",
}


def danish_message(err: ValidationError) -> str:
    """One plain Danish line: 'Felt: besked.'"""
    messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
    for field_name, msgs in messages.items():
        while isinstance(msgs, (list, dict)):
            if isinstance(msgs, dict):
                msgs = next(iter(msgs.values()), "Ugyldig værdi.")
            else:
                msgs = msgs[0] if msgs else "Ugyldig værdi."
        if field_name == "_schema":
            return str(msgs)
        label = FIELD_LABELS_DA.get(field_name, field_name)
        return f"{label}: {msgs}"
    return "Ugyldige data."


def check(entity: str, record: dict) -> None:
    """Validate the whole record as it will be after the change; raise ValidationFailed if bad.

    Fields the schema does not know (server bookkeeping that arrived in a pull) are left out,
    so only what the user entered is judged.
    """
    known = set(ENTITY_SCHEMAS[entity]._declared_fields)
    try:
        validate_entity(entity, {k: v for k, v in record.items() if k in known})
    except ValidationError as err:
        raise ValidationFailed(danish_message(err)) from None
