"""Bad input gets the documented status and a JSON error body; never a 500; nothing half-written."""

import json

import pytest

from shared import SCHEMA_VERSION
from tests.backend.world import D0, Api, goal, uid


def assert_error(r, status, code=None):
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True)[:300])
    body = r.get_json()
    assert set(body) == {"error"} and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


def test_missing_bad_and_revoked_tokens(app, client, w):
    assert_error(client.get("/api/v1/sync/pull"), 401, "unauthenticated")
    assert_error(client.get("/api/v1/sync/pull", headers={"Authorization": "Bearer nope"}), 401, "invalid_token")
    lise = Api(client, "lise")
    assert client.post("/api/v1/auth/logout", headers=lise.headers).status_code == 200
    assert_error(client.get("/api/v1/sync/pull", headers=lise.headers), 401, "token_revoked")


def test_coordinator_revokes_a_lost_phone(app, client, w):
    mads = Api(client, "mads", "Mads' telefon")
    ahmed = Api(client, "ahmed")
    tokens = client.get(
        "/api/v1/auth/tokens", headers=ahmed.headers, query_string={"user_id": w.users["mads"]}
    ).get_json()["tokens"]
    assert [t["device_name"] for t in tokens] == ["Mads' telefon"]
    r = client.post(f"/api/v1/auth/tokens/{tokens[0]['id']}/revoke", headers=ahmed.headers)
    assert r.status_code == 200
    assert "sletter appen alle data" in r.get_json()["message"]  # the coordinator is told what happens
    assert_error(client.get("/api/v1/sync/pull", headers=mads.headers), 401, "token_revoked")
    # a partner may not revoke tokens of another organisation's users
    karen = Api(client, "karen")
    assert_error(
        client.get("/api/v1/auth/tokens", headers=karen.headers, query_string={"user_id": w.users["lise"]}), 404
    )


def test_wrong_password_and_malformed_login(app, client, w):
    assert_error(
        client.post("/api/v1/auth/login", json={"username": "lise", "password": "forkert", "device_name": "x"}),
        401,
        "invalid_credentials",
    )
    assert_error(client.post("/api/v1/auth/login", json={"username": "ukendt", "password": "x"}), 401)
    assert_error(client.post("/api/v1/auth/login", data="{not json", content_type="application/json"), 400)
    assert_error(client.post("/api/v1/auth/login", json=["list"]), 400)
    assert_error(client.post("/api/v1/auth/login", json={"username": 5, "password": None}), 400, "invalid")


def test_login_is_throttled(database_url):
    from tests.conftest import make_app, truncate_all

    app = make_app(database_url, LOGIN_RATE_LIMIT="3 per minute")
    truncate_all(app)
    c = app.test_client()
    codes = [c.post("/api/v1/auth/login", json={"username": "x", "password": "y"}).status_code for _ in range(5)]
    assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
    assert_error(c.post("/api/v1/auth/login", json={"username": "x", "password": "y"}), 429, "rate_limited")


NASTY_BODIES = [
    "",
    "null",
    "[]",
    "42",
    '"x"',
    "{",
    '{"device_id": "d"}',
    '{"device_id": "d", "schema_version": "1", "mutations": []}',
    '{"device_id": "d", "schema_version": 3, "mutations": {}}',
    '{"device_id": "d", "schema_version": 1e400, "mutations": []}',
    '{"device_id": "d", "schema_version": 3, "mutations": [], "extra": 1}',
    '{"device_id": "d\\u0000", "schema_version": 3, "mutations": []}',
    "[" * 100000 + "]" * 100000,
    '{"device_id": "d", "schema_version": ' + "9" * 5000 + ', "mutations": []}',
]


@pytest.mark.parametrize("body", NASTY_BODIES, ids=range(len(NASTY_BODIES)))
def test_nasty_push_bodies_are_400(app, client, w, body):
    lise = Api(client, "lise")
    r = client.post("/api/v1/sync/push", headers=lise.headers, data=body, content_type="application/json")
    assert_error(r, 400)


NASTY_MUTATIONS = [
    "not an object",
    {},
    {"mutation_id": "x", "entity": "goal", "id": "y", "op": "upsert", "data": {}},
    {"mutation_id": None, "entity": "goal", "op": "upsert"},
    {"entity": "spaceship", "op": "upsert"},
    {"entity": "goal", "op": "merge"},
    {"entity": "goal", "op": "upsert", "data": None},
    {"entity": "goal", "op": "upsert", "base_version": "1"},
    {"entity": "goal", "op": "upsert", "base_version": 2**40},
    {"entity": "goal", "op": "upsert", "data": {"title": "x" * 5000}},
    {"entity": "goal", "op": "upsert", "data": {"title": "a\x00b"}},
    {"entity": "goal", "op": "upsert", "data": {"status": "done"}},
    {"entity": "goal", "op": "upsert", "data": {"target_date": "2026-02-30"}},
    {"entity": "goal", "op": "upsert", "data": {"organization_id": "not-a-uuid"}},
    {"entity": "goal", "op": "upsert", "data": {"youth_id": "00000000-0000-0000-0000-000000000000"}},
    {"entity": "goal", "op": "upsert", "data": {"organization_id": "00000000-0000-0000-0000-000000000001"}},
    {"entity": "goal", "op": "upsert", "data": {"nested": {"a": [{"b": {"c": [1, 2, {"d": None}]}}]}}},
    {"entity": "assessment", "op": "upsert", "data": {"scores": {"fremmoede": 11}}},
    {"entity": "assessment", "op": "upsert", "data": {"scores": {"fremmoede": 3.5}}},
    {"entity": "assessment", "op": "upsert", "data": {"scores": {"ukendt": 3}}},
    {"entity": "assessment", "op": "upsert", "data": {"scores": {"fremmoede": 10**30}}},
    {"entity": "activity", "op": "upsert", "data": {"weekdays": [7], "start_time": "25:00"}},
    {"entity": "attendance", "op": "upsert", "data": {"activity_id": "00000000-0000-0000-0000-000000000000"}},
    {"entity": "goal", "op": "delete"},
]


def _complete(m, w):
    if not isinstance(m, dict):
        return m
    out = dict(m)
    out.setdefault("mutation_id", uid())
    rid = uid()
    out.setdefault("id", rid)
    if isinstance(out.get("data"), dict):
        entity = out.get("entity")
        base = goal(w, "mads", "Jobcenter") if entity == "goal" else {"id": out["id"], "youth_id": w.youths["mads"]}
        if entity == "assessment":
            base |= {"due_date": "2026-02-16", "rater_role": "staff", "scores": {}}
        if entity == "activity":
            base |= {
                "organization_id": w.orgs["Jobcenter"],
                "title": "A",
                "weekdays": [1],
                "start_time": "09:00",
                "end_time": "10:00",
                "start_date": "2026-01-05",
            }
        if entity == "attendance":
            base |= {"date": D0}
        base["id"] = out["id"]
        out["data"] = base | out["data"]
    return out


def test_each_nasty_mutation_is_rejected_alone(app, client, w):
    lise = Api(client, "lise")
    good = goal(w, "mads", "Jobcenter", "Gyldigt")
    muts = [_complete(m, w) for m in NASTY_MUTATIONS]
    muts.insert(
        3,
        {"mutation_id": uid(), "entity": "goal", "id": good["id"], "op": "upsert", "base_version": None, "data": good},
    )
    r = lise.push_raw(muts)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    results = r.get_json()["results"]
    assert len(results) == len(muts)
    statuses = [x["status"] for x in results]
    assert statuses[3] == "applied"
    assert statuses[:3] + statuses[4:] == ["rejected"] * len(NASTY_MUTATIONS), list(zip(statuses, muts, strict=False))
    for x in results:
        if x["status"] == "rejected":
            assert x["error"]["code"] and x["error"]["message"]
    changes, _ = Api(client, "ahmed").pull_all()
    assert [c["id"] for c in changes if c["entity"] == "goal"] == [good["id"]]


def test_too_many_mutations_is_413(app, client, w):
    lise = Api(client, "lise")
    muts = [{"mutation_id": uid(), "entity": "goal", "id": uid(), "op": "delete"} for _ in range(501)]
    assert_error(lise.push_raw(muts), 413, "too_many_mutations")


def test_too_large_body_is_413(app, client, w):
    lise = Api(client, "lise")
    body = json.dumps({"device_id": "d", "schema_version": SCHEMA_VERSION, "mutations": [], "pad": "x" * 1_100_000})
    r = client.post("/api/v1/sync/push", headers=lise.headers, data=body, content_type="application/json")
    assert_error(r, 413)


def test_old_client_gets_426(app, client, w):
    lise = Api(client, "lise")
    r = lise.push_raw([], schema_version=0)
    assert_error(r, 426, "client_too_old")
    assert "Opdater" in r.get_json()["error"]["message"]


def test_unknown_route_and_method_are_json(app, client, w):
    assert_error(client.get("/api/v1/nope"), 404)
    assert_error(client.get("/api/v1/sync/push", headers=Api(client, "lise").headers), 405)


def test_health_reports_schema_version(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200 and r.get_json() == {"status": "ok", "database": "ok", "schema_version": SCHEMA_VERSION}


def test_openapi_document_describes_the_contract(client):
    from openapi_spec_validator import validate

    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    for path in ("/api/v1/auth/login", "/api/v1/sync/pull", "/api/v1/sync/push", "/api/v1/health"):
        assert path in doc["paths"]
    assert set(doc["components"]["schemas"]["Mutation"]["properties"]) == {
        "mutation_id",
        "entity",
        "id",
        "op",
        "base_version",
        "data",
    }


def test_token_status_lets_a_locked_phone_learn_it_was_revoked(app, client, w):
    import hashlib

    def status(token_hash):
        return client.post("/api/v1/auth/token-status", json={"token_hash": token_hash})

    for bad in ({}, {"token_hash": "x"}, {"token_hash": "A" * 64}, {"token_hash": 5}):
        assert_error(client.post("/api/v1/auth/token-status", json=bad), 400, "invalid")
    assert status("0" * 64).get_json() == {"status": "unknown"}
    mads = Api(client, "mads", "Mads' telefon")
    digest = hashlib.sha256(mads.headers["Authorization"][7:].encode()).hexdigest()
    assert status(digest).get_json() == {"status": "active"}
    # The hash is not a token: it logs nobody in.
    assert_error(client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {digest}"}), 401, "invalid_token")
    assert client.post("/api/v1/auth/logout", headers=mads.headers).status_code == 200
    assert status(digest).get_json() == {"status": "revoked"}
