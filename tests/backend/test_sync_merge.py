"""Idempotent pushes, per-field merge with conflict records, attendance merge, immutability, deletes."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import Attendance, Conflict
from tests.backend.world import D0, D1, Api, activity, goal, uid


def test_same_mutation_twice_applies_once(app, client, w):
    lise = Api(client, "lise")
    mid, gid = uid(), uid()
    m = {
        "mutation_id": mid,
        "entity": "goal",
        "id": gid,
        "op": "upsert",
        "base_version": None,
        "data": goal(w, "mads", "Jobcenter", "Første") | {"id": gid},
    }
    first = lise.push(m)[0]
    again = lise.push(m, m)  # a retry, and the same mutation twice in one batch
    assert first["status"] == "applied" and first["version"] == 1
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert all(r["version"] == 1 for r in again)
    changes, _ = Api(client, "ahmed").pull_all()
    assert [c["version"] for c in changes if c["id"] == gid] == [1]


def test_reused_mutation_id_for_other_record_is_rejected(app, client, w):
    lise = Api(client, "lise")
    mid = uid()
    g1 = goal(w, "mads", "Jobcenter")
    lise.push({"mutation_id": mid, "entity": "goal", "id": g1["id"], "op": "upsert", "base_version": None, "data": g1})
    g2 = goal(w, "mads", "Jobcenter")
    res = lise.push(
        {"mutation_id": mid, "entity": "goal", "id": g2["id"], "op": "upsert", "base_version": None, "data": g2}
    )[0]
    assert res["status"] == "rejected" and res["error"]["code"] == "mutation_id_reused"


def test_concurrent_edits_of_different_fields_merge(app, client, w):
    lise, ahmed = Api(client, "lise"), Api(client, "ahmed")
    g = lise.upsert("goal", goal(w, "mads", "Jobcenter", "Stå op kl. 7"))["record"]
    # both edit version 1: Ahmed changes the status, Lise (offline) the title, sending the full record
    a = ahmed.upsert("goal", {**g, "status": "in_progress"}, base_version=1)
    assert a["status"] == "applied" and a["version"] == 2
    b = lise.upsert("goal", {**g, "title": "Stå op kl. 7 på hverdage"}, base_version=1)
    assert b["status"] == "merged" and b["version"] == 3
    assert b["record"]["title"] == "Stå op kl. 7 på hverdage"
    assert b["record"]["status"] == "in_progress"  # Lise's stale status did not undo Ahmed's change
    with app.app_context():
        assert db.session.scalars(select(Conflict)).all() == []


def test_same_field_changed_on_both_sides_keeps_the_loser(app, client, w):
    lise, ahmed = Api(client, "lise"), Api(client, "ahmed")
    g = lise.upsert("goal", goal(w, "mads", "Jobcenter", "Gammel titel"))["record"]
    ahmed.upsert("goal", {"id": g["id"], "title": "Ahmeds titel"}, base_version=1)
    res = lise.upsert("goal", {"id": g["id"], "title": "Lises titel"}, base_version=1)
    assert res["status"] == "merged"
    assert res["record"]["title"] == "Lises titel"  # the later arrival wins
    with app.app_context():
        conflicts = db.session.scalars(select(Conflict)).all()
        assert [(c.field, c.losing_value, c.winning_value) for c in conflicts] == [
            ("title", "Ahmeds titel", "Lises titel")
        ]
        assert conflicts[0].youth_id == w.youths["mads"] and conflicts[0].resolved_at is None


def test_attendance_merges_by_natural_key_staff_status_wins_checkin_kept(app, client, w):
    ahmed, lise, mads = Api(client, "ahmed"), Api(client, "lise"), Api(client, "mads")
    act = ahmed.upsert("activity", activity(w, "mads", "Jobcenter"))["record"]
    key = {"youth_id": w.youths["mads"], "activity_id": act["id"], "date": D0}
    # offline on two phones: the youth checks in, the mentor records "late", with different ids
    youth_res = mads.upsert("attendance", {"id": uid(), **key, "self_checked_in_at": f"{D0}T09:20:00Z"})
    staff_res = lise.upsert("attendance", {"id": uid(), **key, "status": "late", "note": "Kom 20 min. for sent"})
    assert youth_res["status"] == "applied", youth_res
    assert staff_res["status"] == "merged"
    assert staff_res["record"]["id"] == youth_res["record"]["id"]
    assert staff_res["record"]["status"] == "late"
    assert staff_res["record"]["self_checked_in_at"].startswith(f"{D0}T09:20:00")
    # the other order on another day: staff first, then the youth's check-in cannot overrule it
    key2 = {**key, "date": D1}
    lise.upsert("attendance", {"id": uid(), **key2, "status": "absent_unnotified"})
    late_checkin = mads.upsert("attendance", {"id": uid(), **key2, "self_checked_in_at": f"{D1}T11:00:00Z"})
    assert late_checkin["status"] == "merged"
    assert late_checkin["record"]["status"] == "absent_unnotified"
    assert late_checkin["record"]["self_checked_in_at"].startswith(f"{D1}T11:00")
    with app.app_context():
        rows = db.session.scalars(select(Attendance)).all()
        assert len(rows) == 2  # one record per youth, activity and day


def test_submitted_assessment_is_immutable(app, client, w):
    mads = Api(client, "mads")
    scores = {
        d: 5
        for d in (
            "hverdagsmestring",
            "fremmoede",
            "helbred_trivsel",
            "sociale_kompetencer",
            "netvaerk",
            "tro_paa_egne_evner",
            "realistiske_maal",
            "faglige_kompetencer",
        )
    }
    a = mads.upsert(
        "assessment",
        {
            "youth_id": w.youths["mads"],
            "due_date": "2026-02-16",
            "rater_role": "youth",
            "scores": scores,
            "submitted_at": "2026-02-16T10:00:00Z",
        },
    )
    assert a["status"] == "applied"
    change = mads.upsert("assessment", {"id": a["record"]["id"], "scores": {**scores, "fremmoede": 9}}, base_version=1)
    assert change["status"] == "rejected" and change["error"]["code"] == "immutable"
    assert change["record"]["scores"]["fremmoede"] == 5
    gone = Api(client, "ahmed").delete("assessment", a["record"]["id"], base_version=1)
    assert gone["status"] == "rejected"


def test_incomplete_submitted_assessment_is_rejected_with_danish_message(app, client, w):
    res = Api(client, "mads").upsert(
        "assessment",
        {
            "youth_id": w.youths["mads"],
            "due_date": "2026-02-16",
            "rater_role": "youth",
            "scores": {"fremmoede": 5},
            "submitted_at": "2026-02-16T10:00:00Z",
        },
    )
    assert res["status"] == "rejected" and "mangler" in res["error"]["message"]


def test_delete_is_a_tombstone_and_stale_delete_is_recorded(app, client, w):
    lise, ahmed = Api(client, "lise"), Api(client, "ahmed")
    g = lise.upsert("goal", goal(w, "mads", "Jobcenter", "Slettes"))["record"]
    ahmed.pull_all()
    ahmed.upsert("goal", {"id": g["id"], "status": "achieved"}, base_version=1)
    res = lise.delete("goal", g["id"], base_version=1)
    assert res["status"] == "applied" and res["version"] == 3
    changes, _ = ahmed.pull_all()
    assert [(c["deleted"], c["version"], c["data"]) for c in changes if c["id"] == g["id"]] == [(True, 3, None)]
    with app.app_context():
        assert [c.field for c in db.session.scalars(select(Conflict))] == ["deleted"]


def test_one_bad_mutation_does_not_affect_the_others(app, client, w):
    lise = Api(client, "lise")
    good1, good2 = goal(w, "mads", "Jobcenter", "A"), goal(w, "mads", "Jobcenter", "B")
    bad = goal(w, "mads", "Jobcenter", "C") | {"status": "maybe"}
    res = lise.push(
        *[
            {"mutation_id": uid(), "entity": "goal", "id": d["id"], "op": "upsert", "base_version": None, "data": d}
            for d in (good1, bad, good2)
        ]
    )
    assert [r["status"] for r in res] == ["applied", "rejected", "applied"]
    assert res[1]["error"]["code"] == "invalid" and "Status" in res[1]["error"]["message"]
    changes, _ = Api(client, "ahmed").pull_all()
    assert {good1["id"], good2["id"]} <= {c["id"] for c in changes}
    assert bad["id"] not in {c["id"] for c in changes}


def test_invalid_merged_record_is_rejected(app, client, w):
    ahmed = Api(client, "ahmed")
    a = ahmed.upsert("activity", activity(w, "mads", "Jobcenter"))["record"]
    res = ahmed.upsert("activity", {"id": a["id"], "end_time": "08:00"}, base_version=1)
    assert res["status"] == "rejected" and res["error"]["code"] == "invalid"
    assert res["record"]["end_time"] == "12:00"


def test_retry_of_a_rejected_mutation_repeats_the_rejection(app, client, w):
    mads = Api(client, "mads")
    g = goal(w, "mads", "Jobcenter", "Må ikke")
    m = {"mutation_id": uid(), "entity": "goal", "id": g["id"], "op": "upsert", "base_version": None, "data": g}
    first = mads.push(m)[0]
    again = mads.push(m)[0]
    assert first["status"] == "rejected"
    # docs/architecture.md#endpoints: `duplicate`, "same result again" — the error included, so the client shows it
    assert again["status"] == "duplicate" and again["error"] == first["error"] and again["error"]


def test_one_devices_edits_from_the_same_base_are_not_a_conflict(app, client, w):
    """Issue 18 item 3 on the server: an app that sends two queued edits with the first one's base.

    Same user, same device, same base: the second was made on top of the first (no conflict).
    Another device of the same user, or the same device from a different base, still conflicts.
    """
    phone, tablet = Api(client, "lise", "lise-phone"), Api(client, "lise", "lise-tablet")
    g = phone.upsert("goal", goal(w, "mads", "Jobcenter", "Titel 1"))["record"]
    first = phone.upsert("goal", {"id": g["id"], "title": "Titel 2"}, base_version=1)
    second = phone.upsert("goal", {"id": g["id"], "title": "Titel 3"}, base_version=1)
    # "merged": the stored record has a version the edit did not name as its base (the first edit)
    assert first["status"] == "applied" and second["status"] in ("applied", "merged")
    assert second["record"]["title"] == "Titel 3"
    with app.app_context():
        assert db.session.scalars(select(Conflict)).all() == []
        db.session.remove()
    # the other device edited version 1 too: a real conflict, with Lise on both sides
    other = tablet.upsert("goal", {"id": g["id"], "title": "Tablettens titel"}, base_version=1)
    assert other["status"] == "merged"
    # and the phone again, from version 2 while the tablet wrote the title since: a conflict
    again = phone.upsert("goal", {"id": g["id"], "title": "Titel 4"}, base_version=2)
    assert again["status"] == "merged"
    with app.app_context():
        rows = db.session.scalars(select(Conflict).order_by(Conflict.version)).all()
        assert [(c.losing_value, c.winning_value) for c in rows] == [
            ("Titel 3", "Tablettens titel"),
            ("Tablettens titel", "Titel 4"),
        ]
        db.session.remove()
