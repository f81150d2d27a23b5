"""Minimal reproductions of the defects the fire tests found (docs/fire.md lists them)."""

from __future__ import annotations

import pytest

from tests.backend.world import D0, Api, activity, uid


def test_duplicate_of_a_natural_key_merge_answers_with_the_merged_record(app, client, w):
    """D3: the young person's check-in was merged into the mentor's attendance record, the answer
    was lost, the phone sent the same mutation again. The `duplicate` answer must name the record
    the check-in went into; with `record: null` the phone kept its own id beside the server's:
    two attendance records for one youth/activity/day on the phone, for ever."""
    act = Api(client, "ahmed").upsert("activity", activity(w, "mads", "Jobcenter"))["record"]
    key = {"youth_id": w.youths["mads"], "activity_id": act["id"], "date": D0}
    staff = Api(client, "lise").upsert("attendance", {"id": uid(), **key, "status": "late"})["record"]
    mads = Api(client, "mads")
    mine = uid()
    m = {
        "mutation_id": uid(),
        "entity": "attendance",
        "id": mine,
        "op": "upsert",
        "base_version": None,
        "data": {"id": mine, **key, "self_checked_in_at": f"{D0}T08:59:00+00:00"},
    }
    first = mads.push(m)[0]
    again = mads.push(m)[0]
    assert first["status"] == "merged" and first["record"]["id"] == staff["id"]
    assert again["status"] == "duplicate" and again["version"] == first["version"]
    assert again["record"] is not None and again["record"]["id"] == staff["id"]


def test_system_write_can_delete(app, client, w):
    """D4: administrator tooling (backend.admin.system_write, "without permission checks") could not
    delete anything: the delete path ran the permission check for the SYSTEM actor ("Ukendt
    rolle") and, for organisation-only items, the visibility check ("not found")."""
    from backend.admin import system_write
    from backend.extensions import db
    from backend.models import Goal

    g = {
        "id": uid(),
        "youth_id": w.youths["mads"],
        "organization_id": w.orgs["Rusmiddelcenter"],
        "title": "Behandling",
        "visibility": "organization",
    }
    with app.app_context():
        system_write([{"entity": "goal", "id": g["id"], "data": g}])
        [res] = system_write([{"entity": "goal", "id": g["id"], "op": "delete", "data": None}])
        assert res["status"] == "applied"
        assert db.session.get(Goal, g["id"]).deleted
        db.session.remove()


def test_405_names_the_allowed_methods(app, client):
    """D5: a 405 must carry `Allow` (RFC 9110 §15.5.6); the JSON error handler dropped werkzeug's headers."""
    r = client.delete("/api/v1/auth/login")
    assert r.status_code == 405 and r.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in r.headers.get("Allow", "")


@pytest.mark.parametrize(
    "path,body",
    [
        ("/api/v1/auth/login", '{"username": "\\ud800", "password": "x", "device_name": "x"}'),
        (
            "/api/v1/sync/push",
            '{"device_id": "d", "schema_version": 1, "mutations": [{"mutation_id": "\\udfff", '
            '"entity": "goal", "id": "x", "op": "upsert", "base_version": null, "data": {}}]}',
        ),
    ],
    ids=["login", "push"],
)
def test_lone_surrogate_in_json_is_400_not_500(app, client, w, path, body):
    """D6: JSON may spell a lone UTF-16 surrogate (\\ud800); Python decodes it into a str that no
    database driver can encode, so login and push answered 500. Such text is invalid input: 400."""
    headers = {"Authorization": f"Bearer {Api(client, 'lise').token}"} if "push" in path else {}
    r = client.post(path, data=body, content_type="application/json", headers=headers)
    assert r.status_code == 400, r.get_data(as_text=True)[:200]
    assert r.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("field", ["id", "mutation_id", "activity_id"])
def test_null_byte_in_an_id_is_rejected_alone_on_postgresql(app, client, w, field):
    """D7: a NUL in a mutation's id, mutation_id or an attendance's activity_id reached the batch's
    look-up queries before validation; PostgreSQL refuses NUL in text, so the push was a 500."""
    rid = uid()
    m = {
        "mutation_id": uid(),
        "entity": "attendance",
        "id": rid,
        "op": "upsert",
        "base_version": None,
        "data": {"id": rid, "youth_id": w.youths["mads"], "activity_id": uid(), "date": D0, "status": "present"},
    }
    if field == "activity_id":
        m["data"]["activity_id"] = "a\x00b"
    else:
        m[field] = "a\x00b"
        if field == "id":
            m["data"]["id"] = "a\x00b"
    r = Api(client, "lise").push_raw([m])
    assert r.status_code == 200, r.get_data(as_text=True)[:200]
    assert r.get_json()["results"][0]["status"] == "rejected"


def test_system_write_of_a_new_youth_with_its_records_in_one_batch(app, w):
    """D8: a batch that creates a young person and records of theirs (administrator tooling, e.g. a
    migration from another system) failed as a whole with 409 'busy': the push no longer flushes per
    record and SQLAlchemy inserted the consent/plan before the youth row (foreign key)."""
    from backend.admin import system_write
    from backend.extensions import db
    from backend.models import Consent, Youth

    yid, cid = uid(), uid()
    with app.app_context():
        system_write(
            [
                {"entity": "youth", "id": yid, "data": {"id": yid, "youth_id": yid, "display_name": "Ny"}},
                {
                    "entity": "consent",
                    "id": cid,
                    "data": {"id": cid, "youth_id": yid, "organization_id": w.orgs["UU"], "status": "given"},
                },
            ]
        )
        assert db.session.get(Youth, yid) is not None and db.session.get(Consent, cid) is not None
        db.session.remove()


def test_openapi_says_text_fields_refuse_nul(client):
    """D9: every text field refuses NUL (400), but /api/v1/openapi.json says "any string", so a
    client (or schemathesis) following the document gets a 400 for a valid-looking body."""
    login = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Login"]
    assert "pattern" in login["properties"]["password"]
