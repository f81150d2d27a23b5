"""Visibility and write rights per role, entity by entity (docs/architecture.md#users-and-roles)."""

import pytest

from tests.backend.world import D0, D1, Api, activity, goal, uid


def ids_of(changes, entity=None):
    return {c["id"] for c in changes if not c["deleted"] and (entity is None or c["entity"] == entity)}


def test_each_role_sees_exactly_its_young_people_and_items(app, client, w):
    ahmed = Api(client, "ahmed")
    shared_goal = ahmed.upsert("goal", goal(w, "mads", "Jobcenter", "Møde op til tiden"))
    treat_goal = ahmed.upsert("goal", goal(w, "mads", "Rusmiddelcenter", "Behandling", "organization"))
    sara_goal = ahmed.upsert("goal", goal(w, "sara", "UU", "Brobygning"))
    treat_act = ahmed.upsert("activity", activity(w, "mads", "Rusmiddelcenter", "Samtale", "organization"))
    assert {r["status"] for r in (shared_goal, treat_goal, sara_goal, treat_act)} == {"applied"}

    everything = {
        shared_goal["record"]["id"],
        treat_goal["record"]["id"],
        sara_goal["record"]["id"],
        treat_act["record"]["id"],
    }
    for staff in ("ahmed", "lise"):
        changes, _ = Api(client, staff).pull_all()
        assert everything <= ids_of(changes)
        assert ids_of(changes, "youth") == {w.youths["mads"], w.youths["sara"]}

    nina, _ = Api(client, "nina").pull_all()
    assert ids_of(nina, "youth") == {w.youths["mads"]}
    assert {shared_goal["record"]["id"], treat_goal["record"]["id"], treat_act["record"]["id"]} <= ids_of(nina)
    assert sara_goal["record"]["id"] not in ids_of(nina)
    assert all(c["data"]["youth_id"] != w.youths["sara"] for c in nina if c["data"] and c["entity"] != "organization")

    peter, _ = Api(client, "peter").pull_all()
    assert ids_of(peter, "youth") == {w.youths["mads"]}
    assert shared_goal["record"]["id"] in ids_of(peter)
    assert treat_goal["record"]["id"] not in ids_of(peter)  # organisation-only treatment item
    assert treat_act["record"]["id"] not in ids_of(peter)

    karen, _ = Api(client, "karen").pull_all()
    assert ids_of(karen, "youth") == {w.youths["mads"], w.youths["sara"]}
    assert sara_goal["record"]["id"] in ids_of(karen)
    assert treat_goal["record"]["id"] not in ids_of(karen)

    mads, _ = Api(client, "mads").pull_all()
    assert ids_of(mads, "youth") == {w.youths["mads"]}
    assert shared_goal["record"]["id"] in ids_of(mads)
    assert treat_goal["record"]["id"] not in ids_of(mads)

    admin, _ = Api(client, "admin").pull_all()
    assert {c["entity"] for c in admin} == {"organization"}


def test_attendance_of_an_organisation_only_activity_stays_private(app, client, w):
    ahmed = Api(client, "ahmed")
    act = ahmed.upsert("activity", activity(w, "mads", "Rusmiddelcenter", "Samtale", "organization"))["record"]
    att = Api(client, "lise").upsert(
        "attendance",
        {"id": uid(), "youth_id": w.youths["mads"], "activity_id": act["id"], "date": D0, "status": "present"},
    )
    assert att["status"] == "applied"
    assert att["record"]["visibility"] == "organization"
    peter, _ = Api(client, "peter").pull_all()
    assert att["record"]["id"] not in ids_of(peter)
    nina, _ = Api(client, "nina").pull_all()
    assert att["record"]["id"] in ids_of(nina)


WRITE_CASES = [
    # (user, entity, builder, expected status)
    ("mads", "goal", lambda w: goal(w, "mads", "Jobcenter"), "rejected"),
    ("lise", "goal", lambda w: goal(w, "mads", "Jobcenter"), "applied"),
    ("lise", "goal", lambda w: goal(w, "mads", "UU"), "rejected"),  # other organisation's goal
    ("karen", "goal", lambda w: goal(w, "mads", "UU"), "applied"),
    ("karen", "goal", lambda w: goal(w, "mads", "Jobcenter"), "rejected"),
    ("nina", "goal", lambda w: goal(w, "sara", "Rusmiddelcenter"), "rejected"),  # no consent
    ("admin", "goal", lambda w: goal(w, "mads", "Jobcenter"), "rejected"),
    ("ahmed", "goal", lambda w: goal(w, "mads", "UU"), "applied"),  # coordinator: whole plan
    (
        "lise",
        "plan",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "end_goal": "Job",
            "end_goal_kind": "job",
            "start_date": "2026-01-05",
        },
        "rejected",
    ),
    (
        "ahmed",
        "plan",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "end_goal": "Job",
            "end_goal_kind": "job",
            "start_date": "2026-01-05",
        },
        "applied",
    ),
    (
        "lise",
        "consent",
        lambda w: {"id": uid(), "youth_id": w.youths["sara"], "organization_id": w.orgs["Bostøtte"], "status": "given"},
        "rejected",
    ),
    (
        "karen",
        "outreach",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["UU"],
            "method": "call",
            "reached": True,
            "contacted_at": "2026-01-05T10:00:00Z",
        },
        "rejected",
    ),
    (
        "lise",
        "outreach",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Jobcenter"],
            "method": "sms",
            "reached": False,
            "contacted_at": "2026-01-05T10:00:00Z",
        },
        "applied",
    ),
    (
        "mads",
        "assessment",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "due_date": "2026-02-16",
            "rater_role": "youth",
            "scores": {"fremmoede": 4},
        },
        "applied",
    ),
    (
        "mads",
        "assessment",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "due_date": "2026-02-16",
            "rater_role": "staff",
            "scores": {"fremmoede": 4},
        },
        "rejected",
    ),
    (
        "sara",
        "assessment",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "due_date": "2026-02-16",
            "rater_role": "youth",
            "scores": {"fremmoede": 4},
        },
        "rejected",
    ),
    (
        "mads",
        "agreement",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Jobcenter"],
            "text": "Ring til lægen",
            "responsible": "youth",
            "due_date": "2026-01-07",
        },
        "rejected",
    ),
    (
        "lise",
        "agreement",
        lambda w: {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Jobcenter"],
            "text": "Ring til lægen",
            "responsible": "youth",
            "due_date": "2026-01-07",
        },
        "applied",
    ),
]


@pytest.mark.parametrize(
    "user,entity,build,expected", WRITE_CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(WRITE_CASES)]
)
def test_write_rights(app, client, w, user, entity, build, expected):
    res = Api(client, user).upsert(entity, build(w))
    assert res["status"] == expected, res
    if expected == "rejected":
        assert res["error"]["code"] in {"forbidden", "forbidden_organization", "forbidden_field", "not_found"}
        assert res["error"]["message"]


def test_youth_may_check_in_and_comment_but_not_set_staff_fields(app, client, w):
    ahmed, mads = Api(client, "ahmed"), Api(client, "mads")
    act = ahmed.upsert("activity", activity(w, "mads", "Jobcenter"))["record"]
    agr = Api(client, "lise").upsert(
        "agreement",
        {
            "id": uid(),
            "youth_id": w.youths["mads"],
            "organization_id": w.orgs["Jobcenter"],
            "text": "Søg 2 jobs",
            "responsible": "youth",
            "due_date": "2026-01-09",
        },
    )["record"]
    ok = mads.upsert(
        "agreement", {"id": agr["id"], "youth_comment": "Har søgt ét", "youth_marked_done_at": None}, base_version=1
    )
    assert ok["status"] == "applied" and ok["record"]["youth_comment"] == "Har søgt ét"
    bad = mads.upsert("agreement", {"id": agr["id"], "status": "kept"}, base_version=2)
    assert bad["status"] == "rejected" and bad["error"]["code"] == "forbidden_field"
    late = mads.upsert(
        "attendance", {"youth_id": w.youths["mads"], "activity_id": act["id"], "date": D0, "status": "late"}
    )
    assert late["status"] == "rejected"
    checkin = mads.upsert(
        "attendance",
        {"youth_id": w.youths["mads"], "activity_id": act["id"], "date": D0, "self_checked_in_at": f"{D0}T08:58:00Z"},
    )
    assert checkin["status"] == "applied" and checkin["record"]["status"] == "present"
    notice = mads.upsert(
        "attendance",
        {
            "youth_id": w.youths["mads"],
            "activity_id": act["id"],
            "date": D1,
            "status": "absent_notified",
            "absence_reason": "Syg",
        },
    )
    assert notice["status"] == "applied" and notice["record"]["absence_reason"] == "Syg"


def test_record_of_invisible_youth_is_not_found_not_forbidden(app, client, w):
    res = Api(client, "peter").upsert("goal", goal(w, "sara", "Bostøtte"))
    assert res["status"] == "rejected" and res["error"]["code"] == "not_found"
    assert res["record"] is None


def test_youth_cannot_check_in_to_an_activity_hidden_from_them(app, client, w):
    act = Api(client, "nina").upsert("activity", activity(w, "mads", "Rusmiddelcenter", "Samtale", "organization"))
    res = Api(client, "mads").upsert(
        "attendance",
        {
            "youth_id": w.youths["mads"],
            "activity_id": act["record"]["id"],
            "date": D0,
            "self_checked_in_at": f"{D0}T09:00:00Z",
        },
    )
    assert res["status"] == "rejected" and res["error"]["code"] == "invalid_reference"
    assert res["record"] is None


def test_coordinator_creates_a_youth_with_plan_in_one_push(app, client, w):
    ahmed = Api(client, "ahmed")
    yid, pid = uid(), uid()
    act = activity(w, "mads", "Jobcenter") | {"youth_id": yid}
    res = ahmed.push(
        {
            "mutation_id": uid(),
            "entity": "youth",
            "id": yid,
            "op": "upsert",
            "base_version": None,
            "data": {"id": yid, "youth_id": yid, "display_name": "Ny ung"},
        },
        {
            "mutation_id": uid(),
            "entity": "plan",
            "id": pid,
            "op": "upsert",
            "base_version": None,
            "data": {
                "id": pid,
                "youth_id": yid,
                "end_goal": "Uddannelse",
                "end_goal_kind": "education",
                "start_date": "2026-01-05",
            },
        },
        {
            "mutation_id": uid(),
            "entity": "activity",
            "id": act["id"],
            "op": "upsert",
            "base_version": None,
            "data": act,
        },
    )
    assert [r["status"] for r in res] == ["applied", "applied", "applied"], res
    assert res[0]["record"]["coordinator_id"] == w.users["ahmed"]
    changes, _ = Api(client, "ahmed", "pc").pull_all()
    assert {("youth", yid), ("plan", pid)} <= {(c["entity"], c["id"]) for c in changes}
