"""Fuzzing /api/v1: schemathesis against the OpenAPI document with a real token, plus nasty inputs
that tests/backend/test_api_input.py does not have yet (deep object nesting, huge and odd numbers,
lone surrogates and other unicode, null bytes in every place a string goes). Never a 5xx; every
error is the contract's JSON shape."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from shared import SCHEMA_VERSION
from tests.backend.world import PASSWORD, Api, goal, uid
from tests.fire.harness import FULL


@pytest.fixture
def api_schema(app, w):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # logging out would revoke the token the other cases use
    return schema.exclude(path="/api/v1/auth/logout")


@pytest.fixture
def token(app, w, client):
    return Api(client, "lise", "fuzz").token


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=150 if FULL else 40,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, token):
    """No 5xx, status codes, headers and bodies as documented, for generated valid and invalid requests."""
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


# ---- hand-written nasty inputs ----------------------------------------------------------------------


def assert_json_error(r, statuses=(400,)):
    assert r.status_code in statuses, (r.status_code, r.get_data(as_text=True)[:300])
    body = r.get_json()
    assert isinstance(body, dict) and set(body) == {"error"} and body["error"]["message"], body


def _push(client, headers, body: str):
    return client.post(
        "/api/v1/sync/push",
        headers=headers,
        data=body.encode("utf-8", "surrogatepass"),
        content_type="application/json",
    )


NASTY_PUSH_BODIES = [
    # deep object (not array) nesting, at the top and inside a mutation's data
    '{"a":' * 20000 + "1" + "}" * 20000,
    '{"device_id": "d", "schema_version": 1, "mutations": [{"mutation_id": "m", "entity": "goal", "id": "x", '
    '"op": "upsert", "data": ' + '{"a":' * 5000 + "1" + "}" * 5000 + "}]}",
    # numbers: huge, negative, fractional, NaN/Infinity (not JSON, Python accepts them)
    '{"device_id": "d", "schema_version": -1, "mutations": []}',
    '{"device_id": "d", "schema_version": 1.5, "mutations": []}',
    '{"device_id": "d", "schema_version": NaN, "mutations": []}',
    '{"device_id": "d", "schema_version": Infinity, "mutations": []}',
    '{"device_id": "d", "schema_version": true, "mutations": []}',
    # strings: lone surrogates, a null byte in a key
    '{"device_id": "\\ud800", "schema_version": 1, "mutations": [{"mutation_id": "m", "entity": "goal", '
    '"id": "x", "op": "delete", "base_version": null, "data": null}]}',
    '{"device_id\\u0000": "d", "schema_version": 1, "mutations": []}',
    # not UTF-8 at all
    b'{"device_id": "\xff\xfe", "schema_version": 1, "mutations": []}'.decode("latin-1"),
]


@pytest.mark.parametrize("body", NASTY_PUSH_BODIES, ids=range(len(NASTY_PUSH_BODIES)))
def test_more_nasty_push_bodies_are_400(app, client, w, body):
    lise = Api(client, "lise")
    if body.startswith('{"device_id": "\xff'):
        r = client.post(
            "/api/v1/sync/push", headers=lise.headers, data=body.encode("latin-1"), content_type="application/json"
        )
    else:
        r = _push(client, lise.headers, body)
    assert_json_error(r, (400, 413, 426))


def _mutation(w, **data):
    d = goal(w, "mads", "Jobcenter")
    d.update(data)
    return {"mutation_id": uid(), "entity": "goal", "id": d["id"], "op": "upsert", "base_version": None, "data": d}


NASTY_MUTATIONS = {
    "lone surrogate in a title": lambda w: _mutation(w, title="\ud83d"),
    "emoji, RTL and combining marks": lambda w: _mutation(w, title="Mål 🎯 \u202eדוד\u202c e\u0301\u0301\u0301"),
    "null byte in the description": lambda w: _mutation(w, description="før\x00efter"),
    "null byte in the id": lambda w: {**_mutation(w), "id": "a\x00b"},
    "null byte in mutation_id": lambda w: {**_mutation(w), "mutation_id": "m\x00"},
    "lone surrogate in mutation_id": lambda w: {**_mutation(w), "mutation_id": "\udfff"},
    "huge base_version": lambda w: {**_mutation(w), "base_version": 10**30},
    "negative base_version": lambda w: {**_mutation(w), "base_version": -1},
    "float base_version": lambda w: {**_mutation(w), "base_version": 1.5},
    "huge number in a date field": lambda w: _mutation(w, target_date=10**30),
    "deeply nested value in a field": lambda w: _mutation(w, title=json.loads("[" * 500 + "]" * 500)),
}


@pytest.mark.parametrize("name", list(NASTY_MUTATIONS))
def test_each_nasty_mutation_is_answered_alone(app, client, w, name):
    """One bad mutation among good ones: the bad one is rejected (or stored exactly), never a 5xx."""
    lise = Api(client, "lise")
    good = _mutation(w, title="God")
    bad = NASTY_MUTATIONS[name](w)
    body = json.dumps({"device_id": "d", "schema_version": SCHEMA_VERSION, "mutations": [good, bad]}, ensure_ascii=True)
    r = _push(client, lise.headers, body)
    if "surrogate" in name:
        # text no database can store: the JSON itself is refused, nothing of the push is applied
        assert_json_error(r)
        return
    assert r.status_code == 200, (r.status_code, r.get_data(as_text=True)[:300])
    first, second = r.get_json()["results"]
    assert first["status"] == "applied"
    assert second["status"] in ("applied", "rejected")
    if second["status"] == "applied":
        # what was stored is what was sent, and it comes back in a pull
        changes, _ = lise.pull_all()
        [rec] = [c["data"] for c in changes if c["id"] == bad["id"]]
        assert rec["title"] == bad["data"]["title"]


NASTY_QUERIES = [
    {"limit": "1e400"},
    {"limit": "9" * 400},
    {"limit": "-1"},
    {"limit": "0x10"},
    {"limit": "1\x00"},
    {"cursor": "\x00"},
    {"cursor": "\ud800"},
    {"cursor": "eyJzIjoxZTQwMH0"},  # {"s":1e400}
    {"cursor": "eyJzIjogMTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwfQ"},  # {"s": 10**23}
    {"cursor": "W10"},  # []
    {"cursor": "x" * 5000},
]


@pytest.mark.parametrize("query", NASTY_QUERIES, ids=range(len(NASTY_QUERIES)))
def test_nasty_pull_queries_are_400(app, client, w, query):
    lise = Api(client, "lise")
    r = client.get(
        "/api/v1/sync/pull",
        headers=lise.headers,
        query_string={k: v.encode("utf-8", "surrogatepass") for k, v in query.items()},
    )
    assert_json_error(r)


NASTY_LOGINS = [
    {"username": "lise\x00", "password": PASSWORD, "device_name": "x"},
    {"username": "lise", "password": PASSWORD, "device_name": "tele\x00fon"},
    {"username": "\ud800", "password": "x", "device_name": "x"},
    {"username": "lise", "password": PASSWORD, "device_name": "\udfff"},
    {"username": "lise", "password": "\x00" * 10, "device_name": "x"},
    {"username": "lise", "password": "p" * 100000, "device_name": "x"},
    {"username": "ĺíšé", "password": "🎯" * 50, "device_name": "📱"},
    {"username": {"$ne": None}, "password": {"$ne": None}, "device_name": "x"},
]


def test_unicode_digits_in_limit_are_read_as_digits(app, client, w):
    """'١٠' (Arabic-Indic ten) is a number to Python and marshmallow: a page of ten, not an error."""
    lise = Api(client, "lise")
    r = client.get("/api/v1/sync/pull", headers=lise.headers, query_string={"limit": "١٠"})
    assert r.status_code == 200 and len(r.get_json()["changes"]) <= 10


@pytest.mark.parametrize("body", NASTY_LOGINS, ids=range(len(NASTY_LOGINS)))
def test_nasty_logins_are_refused_as_json(app, client, w, body):
    data = json.dumps(body, ensure_ascii=True).encode()
    r = client.post("/api/v1/auth/login", data=data, content_type="application/json")
    if r.status_code == 200:
        # only a real user with the right password gets in (an odd device name is just a name)
        assert body["username"] == "lise" and body["password"] == PASSWORD
        return
    assert_json_error(r, (400, 401, 413))


@pytest.mark.parametrize(
    "header", ["Bearer \x00", "Bearer " + "x" * 10000, "Bearer ü", "Basic bGlzZTp4", "Bearer", "bearer  ", "Bearer a b"]
)
def test_odd_authorization_headers_are_401(app, client, w, header):
    r = client.get("/api/v1/sync/pull", headers={"Authorization": header.encode("utf-8").decode("latin-1")})
    assert_json_error(r, (400, 401))
