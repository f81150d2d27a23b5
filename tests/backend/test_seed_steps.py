"""Issue 14's demo data: Mads' and Sara's own words at the top of their plans, their proposals and
the answers, Mads' "Jeg er enig" — written as the real users would, idempotent."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from backend import seed
from backend.extensions import db
from backend.models import CompanyAgreement, GoalProposal, PlacementFollowUp, Plan, User, WorkHours
from backend.seed.voice import seed_voice
from backend.services.steps import current_steps, hours_overview
from shared.company import follow_up_state


@pytest.fixture(autouse=True)
def only_issue_14(monkeypatch):
    monkeypatch.setattr(seed, "EXTRA_SEEDERS", [seed_voice])


def test_demo_gives_both_young_people_their_own_words(app):
    with app.app_context():
        seed.seed_demo()
        users = {u.username: u for u in db.session.scalars(select(User))}
        mads = db.session.get(Plan, seed.rid("ung.mads", "plan"))
        sara = db.session.get(Plan, seed.rid("ung.sara", "plan"))
        assert "tømrer" in mads.youth_wish and mads.voice_updated_by_user_id == users["ung.mads"].id
        assert "butik" in sara.youth_wish and sara.voice_updated_by_user_id == users["mentor.lise"].id
        assert mads.youth_answer == "agree" and mads.youth_answer_revision == mads.revision
        assert sara.youth_answer is None
        props = {p.youth_id: p for p in db.session.scalars(select(GoalProposal))}
        assert props[mads.youth_id].status == "reworded" and props[mads.youth_id].goal_id
        assert props[sara.youth_id].status == "proposed"
        steps = current_steps([mads.youth_id, sara.youth_id], date.today())
        assert steps == {mads.youth_id: "virksomhedsforloeb", sara.youth_id: "paa_vej_mod_job"}
        ag = db.session.scalar(select(CompanyAgreement))
        ups = db.session.scalars(select(PlacementFollowUp)).all()
        assert "Holm" in ag.company and ag.youth_id == mads.youth_id and ups
        assert {u.company_agreement_id for u in ups} == {ag.id} and any(u.done_date for u in ups)
        facts = [{"due_date": u.due_date, "done_date": u.done_date} for u in ups]
        plain = {"start_date": ag.start_date, "end_date": None, "follow_ups": facts}
        assert follow_up_state(plain, date.today()).state == "ok"
        months, flagged = hours_overview(db.session.scalars(select(WorkHours)).all(), date.today())
        assert [m.ordinary for m in months[-4:-1]] == [12, 22, 31.5] and months[-2].met and not flagged
        n = db.session.scalar(select(func.count()).select_from(GoalProposal))
        versions = (mads.version, sara.version)
        db.session.remove()
        seed.seed_demo()  # again: nothing new
        assert db.session.scalar(select(func.count()).select_from(GoalProposal)) == n
        assert (
            db.session.get(Plan, seed.rid("ung.mads", "plan")).version,
            db.session.get(Plan, seed.rid("ung.sara", "plan")).version,
        ) == versions
        db.session.remove()
