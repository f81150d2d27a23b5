"""The young person's voice through the sync contract: their words, their answer to each version of
the plan, and their proposed sub-goals (issue 14, item 1; docs/architecture.md)."""

from __future__ import annotations

from tests.backend.world import Api, goal, uid


def _plan(w, ahmed) -> dict:
    return ahmed.upsert(
        "plan",
        {"youth_id": w.youths["mads"], "end_goal": "Tømrer", "end_goal_kind": "education", "start_date": "2026-01-05"},
    )["record"]


def _pulled(api, entity, record_id):
    changes, _ = api.pull_all()
    mine = [c for c in changes if c["entity"] == entity and c["id"] == record_id]
    return mine[-1] if mine else None


def test_youth_writes_own_words_and_everyone_with_access_reads_them(client, w):
    ahmed, mads = Api(client, "ahmed"), Api(client, "mads")
    plan = _plan(w, ahmed)
    assert plan["revision"] == 1 and plan["revised_at"] and plan["voice_updated_by_user_id"] is None
    r = mads.upsert(
        "plan",
        {
            "id": plan["id"],
            "youth_wish": "Jeg vil være tømrer",
            "youth_strengths": "Jeg er god med hænderne",
            "youth_barriers": "Jeg sover dårligt",
        },
        base_version=1,
    )
    assert r["status"] == "applied", r
    assert r["record"]["voice_updated_by_user_id"] == w.users["mads"] and r["record"]["voice_updated_at"]
    assert r["record"]["revision"] == 1  # their own words are not a new version of the plan
    for who in ("lise", "karen", "nina"):
        got = _pulled(Api(client, who), "plan", plan["id"])
        assert got["data"]["youth_wish"] == "Jeg vil være tømrer", who
    assert _pulled(Api(client, "sara"), "plan", plan["id"]) is None


def test_who_may_write_what_on_the_plan(client, w):
    ahmed, lise, mads, karen = (Api(client, u) for u in ("ahmed", "lise", "mads", "karen"))
    yid = w.youths["mads"]
    r = mads.upsert("plan", {"youth_id": yid, "end_goal": "x", "end_goal_kind": "job", "start_date": "2026-01-05"})
    assert r["error"]["code"] == "forbidden"
    plan = _plan(w, ahmed)
    r = mads.upsert("plan", {"id": plan["id"], "end_goal": "Noget andet"}, base_version=1)
    assert r["error"]["code"] == "forbidden_field"
    r = ahmed.upsert("plan", {"id": plan["id"], "youth_answer": "agree", "youth_answer_revision": 1}, base_version=1)
    assert r["error"]["code"] == "forbidden_field", "nobody agrees on the young person's behalf"
    r = lise.upsert("plan", {"id": plan["id"], "youth_wish": "Skrevet sammen med Mads"}, base_version=1)
    assert r["status"] == "applied" and r["record"]["voice_updated_by_user_id"] == w.users["lise"]
    assert (
        lise.upsert("plan", {"id": plan["id"], "end_goal": "Lises mål"}, base_version=2)["error"]["code"] == "forbidden"
    )
    assert (
        karen.upsert("plan", {"id": plan["id"], "youth_wish": "UU's ord"}, base_version=2)["error"]["code"]
        == "forbidden"
    )
    for api in (mads, lise):  # writing their words does not let them delete the plan
        assert api.delete("plan", plan["id"])["error"]["code"] == "forbidden"


def test_plan_versions_follow_content_and_shared_goals_only(client, w):
    ahmed, lise, nina = Api(client, "ahmed"), Api(client, "lise"), Api(client, "nina")
    plan = _plan(w, ahmed)
    r = ahmed.upsert("plan", {"id": plan["id"], "end_goal": "Tømrerlærling"}, base_version=1)
    assert r["record"]["revision"] == 2
    g = lise.upsert("goal", goal(w, "mads", "Jobcenter", "Møde til tiden"))["record"]
    latest = _pulled(Api(client, "ahmed"), "plan", plan["id"])["data"]
    assert latest["revision"] == 3
    nina.upsert("goal", goal(w, "mads", "Rusmiddelcenter", "Behandling", visibility="organization"))
    assert _pulled(Api(client, "ahmed"), "plan", plan["id"])["data"]["revision"] == 3, "private goal: same version"
    lise.upsert("goal", {"id": g["id"], "status": "achieved"}, base_version=1)
    assert _pulled(Api(client, "ahmed"), "plan", plan["id"])["data"]["revision"] == 4
    lise.delete("goal", g["id"])
    assert _pulled(Api(client, "ahmed"), "plan", plan["id"])["data"]["revision"] == 5


def test_youth_answers_a_version_and_a_later_change_leaves_it_answering_the_old_one(client, w):
    ahmed, mads = Api(client, "ahmed"), Api(client, "mads")
    plan = _plan(w, ahmed)
    r = mads.upsert("plan", {"id": plan["id"], "youth_answer": "disagree", "youth_answer_revision": 1}, base_version=1)
    assert r["error"]["code"] == "invalid"  # disagreeing needs a comment
    r = mads.upsert("plan", {"id": plan["id"], "youth_answer": "agree", "youth_answer_revision": 7}, base_version=1)
    assert r["error"]["code"] == "invalid"  # no such version
    # the young person answers version 1 offline while the coordinator changes the end goal
    ahmed.upsert("plan", {"id": plan["id"], "end_goal": "Tømrerlærling"}, base_version=1)
    r = mads.upsert(
        "plan",
        {
            "id": plan["id"],
            "youth_answer": "disagree",
            "youth_answer_comment": "For hurtigt",
            "youth_answer_revision": 1,
        },
        base_version=1,
    )
    assert r["status"] == "merged", r
    rec, version = r["record"], r["version"]
    assert rec["end_goal"] == "Tømrerlærling" and rec["revision"] == 2
    assert rec["youth_answer"] == "disagree" and rec["youth_answer_revision"] == 1 and rec["youth_answered_at"]
    r = mads.upsert(
        "plan",
        {"id": plan["id"], "youth_answer": "agree", "youth_answer_comment": "", "youth_answer_revision": 2},
        base_version=version,
    )
    assert r["status"] == "applied" and r["record"]["youth_answer_revision"] == r["record"]["revision"]


def test_goal_proposal_round_trip_and_rules(client, w):
    ahmed, lise, mads, karen, sara = (Api(client, u) for u in ("ahmed", "lise", "mads", "karen", "sara"))
    yid = w.youths["mads"]
    p = mads.upsert("goal_proposal", {"youth_id": yid, "text": "Tage kørekort"})
    assert p["status"] == "applied" and p["record"]["status"] == "proposed"
    p = p["record"]
    assert p["proposed_by_user_id"] == w.users["mads"] and p["proposed_at"]
    assert mads.upsert("goal_proposal", {"youth_id": yid, "text": "x", "status": "accepted", "goal_id": uid()})[
        "error"
    ]["code"] in ("forbidden_field", "invalid_reference")
    assert (
        mads.upsert("goal_proposal", {"id": p["id"], "answer": "ja"}, base_version=1)["error"]["code"]
        == "forbidden_field"
    )
    assert (
        karen.upsert("goal_proposal", {"id": p["id"], "status": "declined", "answer": "nej"}, base_version=1)["error"][
            "code"
        ]
        == "forbidden"
    )
    assert sara.upsert("goal_proposal", {"id": p["id"], "text": "hack"}, base_version=1)["error"]["code"] == "not_found"
    assert (
        lise.upsert("goal_proposal", {"id": p["id"], "status": "declined"}, base_version=1)["error"]["code"]
        == "invalid"
    )  # say why
    private = ahmed.upsert("goal", goal(w, "mads", "Jobcenter", "Privat", visibility="organization"))["record"]
    r = lise.upsert("goal_proposal", {"id": p["id"], "status": "accepted", "goal_id": private["id"]}, base_version=1)
    assert r["error"]["code"] == "invalid_reference"
    g = lise.upsert("goal", goal(w, "mads", "Jobcenter", "Tag kørekort (teori først)"))["record"]
    r = lise.upsert(
        "goal_proposal",
        {"id": p["id"], "status": "reworded", "goal_id": g["id"], "answer": "Vi starter med teorien"},
        base_version=1,
    )
    assert r["status"] == "applied" and r["record"]["answered_by_user_id"] == w.users["lise"]
    assert (
        mads.upsert("goal_proposal", {"id": p["id"], "text": "Noget andet"}, base_version=r["version"])["error"]["code"]
        == "forbidden_field"
    )
    got = _pulled(mads, "goal_proposal", p["id"])
    assert got["data"]["answer"] == "Vi starter med teorien" and got["data"]["goal_id"] == g["id"]
    assert _pulled(karen, "goal_proposal", p["id"]) is not None  # partners with consent read it
    assert _pulled(sara, "goal_proposal", p["id"]) is None
    assert mads.delete("goal_proposal", p["id"])["error"]["code"] == "forbidden"
    assert ahmed.delete("goal_proposal", p["id"])["status"] == "applied"
    tomb = _pulled(mads, "goal_proposal", p["id"])
    assert tomb["deleted"] is True and tomb["data"] is None


def test_deleting_an_organisation_only_goal_makes_a_new_version(client, w):
    """The young person agreed to the plan as it was; a removed goal (even one only its organisation
    saw) changes the plan the staff work from, so the answer must not silently cover the new one."""
    ahmed, nina, mads = Api(client, "ahmed"), Api(client, "nina"), Api(client, "mads")
    plan = _plan(w, ahmed)
    g = nina.upsert("goal", goal(w, "mads", "Rusmiddelcenter", "Behandling", visibility="organization"))["record"]
    r = mads.upsert("plan", {"id": plan["id"], "youth_answer": "agree", "youth_answer_revision": 1}, base_version=1)
    assert r["status"] == "applied", r
    assert nina.delete("goal", g["id"])["status"] == "applied"
    latest = _pulled(mads, "plan", plan["id"])["data"]
    assert latest["revision"] == 2 and latest["youth_answer_revision"] == 1
    assert "Behandling" not in str(mads.pull_all()[0]), "the new version tells nothing of the private goal"
