"""Minimal reproductions of the defects the fire tests found (docs/fire.md lists them)."""

from __future__ import annotations

import pytest

from tests.backend.world import Api, activity, build_world, uid


@pytest.fixture
def w(app):
    return build_world(app)


def test_duplicate_of_a_natural_key_merge_answers_with_the_merged_record(app, client, w):
    """D3: the young person's check-in was merged into the mentor's attendance record, the answer
    was lost, the phone sent the same mutation again. The `duplicate` answer must name the record
    the check-in went into; with `record: null` the phone kept its own id beside the server's:
    two attendance records for one youth/activity/day on the phone, for ever."""
    act = Api(client, "ahmed").upsert("activity", activity(w, "mads", "Jobcenter"))["record"]
    key = {"youth_id": w.youths["mads"], "activity_id": act["id"], "date": "2026-01-05"}
    staff = Api(client, "lise").upsert("attendance", {"id": uid(), **key, "status": "late"})["record"]
    mads = Api(client, "mads")
    mine = uid()
    m = {"mutation_id": uid(), "entity": "attendance", "id": mine, "op": "upsert", "base_version": None,
         "data": {"id": mine, **key, "self_checked_in_at": "2026-01-05T08:59:00+00:00"}}
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

    g = {"id": uid(), "youth_id": w.youths["mads"], "organization_id": w.orgs["Rusmiddelcenter"],
         "title": "Behandling", "visibility": "organization"}
    with app.app_context():
        system_write([{"entity": "goal", "id": g["id"], "data": g}])
        [res] = system_write([{"entity": "goal", "id": g["id"], "op": "delete", "data": None}])
        assert res["status"] == "applied"
        assert db.session.get(Goal, g["id"]).deleted
        db.session.remove()
