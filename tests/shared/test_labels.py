"""One home for Danish labels and messages: every schema speaks Danish without patching marshmallow."""

from __future__ import annotations

import re

import pytest
from marshmallow import ValidationError, fields

from mobile_app.core.validation import danish_message
from shared import schemas
from shared.labels import APP_FIELD_LABELS_DA, FIELD_LABELS_DA, PAGE_FIELD_LABELS_DA
from shared.messages import field_messages, first_error_message
from shared.schemas import DanishSchema, validate_entity

ENGLISH = re.compile(
    r"Not a valid|Missing data|may not be null|Unknown field|Invalid|Length must|"
    r"Must be|Shorter than|Longer than|greater than|less than|Field"
)

GARBAGE = (
    {"id": 5, "youth_id": None, "nope": 1},
    {
        "id": "x",
        "title": [],
        "weekdays": ["a"],
        "start_time": 1,
        "start_date": "2026-13-45",
        "reached": "perhaps",
        "scores": {"x": "y"},
        "contacted_at": "yesterday",
        "due_date": 3,
        "status": "weird",
        "birth_date": "x",
        "given_at": 7,
        "end_date": {},
    },
)


def _all_messages(messages):
    if isinstance(messages, dict):
        for v in messages.values():
            yield from _all_messages(v)
    elif isinstance(messages, list):
        for v in messages:
            yield from _all_messages(v)
    else:
        yield str(messages)


@pytest.mark.parametrize("entity", sorted(schemas.ENTITY_SCHEMAS))
def test_every_entity_schema_answers_garbage_in_danish(entity):
    for data in GARBAGE:
        with pytest.raises(ValidationError) as e:
            validate_entity(entity, data)
        msgs = list(_all_messages(e.value.messages))
        assert msgs and not [m for m in msgs if ENGLISH.search(m)], msgs


@pytest.mark.parametrize(
    "schema", [schemas.LoginSchema, schemas.PushSchema, schemas.MutationSchema, schemas.PullQuerySchema]
)
def test_every_payload_schema_answers_garbage_in_danish(schema):
    bad = {
        "username": "",
        "password": "x" * 501,
        "device_name": "x" * 101,
        "device_id": "",
        "schema_version": -1,
        "mutations": "no",
        "mutation_id": 1,
        "entity": "spaceship",
        "id": "x",
        "op": "fly",
        "base_version": 0,
        "data": [],
        "cursor": "c" * 4001,
        "limit": 0,
        "extra": 1,
    }
    with pytest.raises(ValidationError) as e:
        schema().load(bad)
    msgs = list(_all_messages(e.value.messages))
    assert msgs and not [m for m in msgs if ENGLISH.search(m)], msgs


def test_marshmallow_itself_is_not_patched():
    assert fields.Field.default_error_messages["required"] == "Missing data for required field."
    assert fields.Integer.default_error_messages["invalid"] == "Not a valid integer."


def test_a_fields_own_message_wins_and_list_items_are_danish():
    class S(DanishSchema):
        n = fields.Integer(required=True, error_messages={"required": "Skriv et tal."})
        days = fields.List(fields.Integer())
        when = fields.Date()

    err = S().validate({"days": ["x"], "when": "i morgen"})
    assert err == {
        "n": ["Skriv et tal."],
        "days": {0: ["Skal være et helt tal."]},
        "when": ["Ugyldig dato (brug ÅÅÅÅ-MM-DD)."],
    }


def test_each_surface_names_fields_in_its_own_words():
    err = ValidationError({"due_date": ["Skal udfyldes."]})
    assert first_error_message(err) == "Dato: Skal udfyldes."
    assert first_error_message(err, PAGE_FIELD_LABELS_DA) == "Frist: Skal udfyldes."
    assert PAGE_FIELD_LABELS_DA["title"] == APP_FIELD_LABELS_DA["title"] == FIELD_LABELS_DA["title"]
    err = ValidationError({"scores": {"x": ["Score skal være mellem 1 og 10."]}})
    assert danish_message(err) == "Svar: Score skal være mellem 1 og 10."
    assert field_messages(ValidationError(["Sluttid skal være efter starttid."])) == {
        "_schema": "Sluttid skal være efter starttid."
    }
