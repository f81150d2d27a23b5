"""The young person's voice on the caseworker plan page and the print (issue 14, item 1)."""

from __future__ import annotations

from sqlalchemy import select

from backend.extensions import db
from backend.models import Goal, GoalProposal, Plan
from tests.backend.test_web_pages import Browser
from tests.backend.world import Api, uid


def _setup(client, w):
    ahmed, mads = Api(client, "ahmed"), Api(client, "mads")
    yid = w.youths["mads"]
    plan = ahmed.upsert(
        "plan", {"youth_id": yid, "end_goal": "Tømrer", "end_goal_kind": "education", "start_date": "2026-01-05"}
    )["record"]
    mads.upsert(
        "plan",
        {"id": plan["id"], "youth_wish": "Jeg vil bygge huse", "youth_answer": "agree", "youth_answer_revision": 1},
        base_version=1,
    )
    prop = mads.upsert("goal_proposal", {"youth_id": yid, "text": "Tage kørekort"})["record"]
    return yid, plan, prop


def test_coordinator_sees_words_answer_and_proposals_at_the_top(app, client, w):
    yid, plan, prop = _setup(client, w)
    page = Browser(app, "ahmed").get(f"/youth/{yid}").text
    assert page.index('data-testid="youth-voice"') < page.index('id="end-goal"')
    assert "Jeg vil bygge huse" in page and "Skrevet af Mads selv" in page
    assert "Mads er enig i denne udgave" in page and "udgave 1" in page
    assert "Tage kørekort" in page and "Venter på svar" in page and 'data-testid="proposal-form"' in page
    printed = Browser(app, "ahmed").get(f"/youth/{yid}/print?show=1&youth=1").text  # the meeting: with the young person
    assert "Jeg vil bygge huse" in printed and "Mads er enig i denne udgave" in printed
    assert 'data-testid="proposal-form"' not in printed
    # a partner reads it but gets no forms
    karen = Browser(app, "karen").get(f"/youth/{yid}").text
    assert "Jeg vil bygge huse" in karen and 'data-testid="proposal-form"' not in karen
    assert 'data-testid="voice-form"' not in karen


def test_a_changed_plan_shows_that_the_answer_was_to_an_older_version(app, client, w):
    yid, plan, _ = _setup(client, w)
    b = Browser(app, "ahmed")
    r = b.post(
        f"/youth/{yid}/plan",
        {
            "mutation_id": uid(),
            "end_goal": "Tømrerlærling",
            "end_goal_kind": "education",
            "target_date": "",
            "base_version": "2",
        },
    )
    assert r.status_code == 302, r.text
    page = b.get(f"/youth/{yid}").text
    assert "har ikke svaret på den nuværende udgave" in page and "udgave 2" in page


def test_mentor_writes_words_with_the_youth_and_answers_a_proposal(app, client, w):
    yid, plan, prop = _setup(client, w)
    lise = Browser(app, "lise")
    r = lise.post(
        f"/youth/{yid}/voice",
        {
            "mutation_id": uid(),
            "youth_wish": "Jeg vil bygge huse",
            "youth_strengths": "Jeg er stærk",
            "youth_barriers": "Bussen",
            "base_version": "2",
        },
    )
    assert r.status_code == 302, r.text
    page = lise.get(f"/youth/{yid}").text
    assert "Skrevet af Lise sammen med Mads" in page and "Bussen" in page
    url = f"/youth/{yid}/proposals/{prop['id']}"
    r = lise.post(url, {"mutation_id": uid(), "action": "decline", "answer": "", "base_version": "1"})
    assert r.status_code == 400 and "Skriv til den unge, hvorfor" in r.text
    r = lise.post(url, {"mutation_id": uid(), "action": "nonsense", "base_version": "1"})
    assert r.status_code == 400
    r = lise.post(
        url,
        {
            "mutation_id": uid(),
            "action": "reword",
            "title": "Bestå teoriprøven",
            "answer": "Vi starter med teorien",
            "base_version": "1",
        },
    )
    assert r.status_code == 302, r.text
    with app.app_context():
        p = db.session.get(GoalProposal, prop["id"])
        g = db.session.get(Goal, p.goal_id)
        assert (p.status, p.answer, g.title, g.visibility) == (
            "reworded",
            "Vi starter med teorien",
            "Bestå teoriprøven",
            "shared",
        )
        assert db.session.scalar(select(Plan.revision).where(Plan.youth_id == yid)) == 2  # a new shared goal
    changes, _ = Api(client, "mads").pull_all()
    mine = [c for c in changes if c["entity"] == "goal_proposal"]
    assert mine[-1]["data"]["answer"] == "Vi starter med teorien"


def test_unknown_or_hidden_proposal_is_404(app, client, w):
    yid, _, prop = _setup(client, w)
    assert Browser(app, "ahmed").post(f"/youth/{yid}/proposals/{uid()}", {"action": "accept"}).status_code == 404
    assert Browser(app, "ahmed").post(f"/youth/{yid}/proposals/bad", {"action": "accept"}).status_code == 404
    sara_id = w.youths["sara"]
    assert (
        Browser(app, "nina").post(f"/youth/{sara_id}/proposals/{prop['id']}", {"action": "accept"}).status_code == 404
    )
