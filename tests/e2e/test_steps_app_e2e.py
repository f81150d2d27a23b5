"""Issue 14 on the phone, end to end (real backend with the demo, the app process, headless Chromium):
the young person sees their own words and step first on "Min plan" and says "Jeg er ikke enig" with a
comment; the coordinator's page then shows it. Screenshots at 390×844: build/screenshots/app_issue14_*.png.
"""

from __future__ import annotations

import pytest
from app_fixtures import (  # noqa: F401
    backend,
    browser,
    choose_pin,
    login,
    open_app,
    phones,
    see,
    shot,
    tap,
    tap_id,
    type_in,
)

pytestmark = pytest.mark.e2e


def test_youth_sees_words_and_step_and_disagrees(backend, phones, browser):  # noqa: F811
    youth = open_app(browser, phones("mads"))
    youth.set_viewport_size({"width": 390, "height": 844})
    login(youth, "ung.mads")
    choose_pin(youth)
    see(youth, "Hej Mads")
    tap(youth, "Min plan")
    see(youth, "Jeg vil være tømrer")
    see(youth, "Trin 3: Virksomhedsforløb")
    shot(youth, "issue14_youth_plan_390")
    tap(youth, "Jeg er ikke enig")
    see(youth, "Skriv kort, hvad du vil have ændret")
    type_in(youth, "disagree-comment", "Jeg vil have flere timer")
    shot(youth, "issue14_youth_disagree_390")
    tap(youth, "Send")
    see(youth, "Du har sagt: Jeg er ikke enig.")
    see(youth, "Alt er sendt", timeout=60000)
    with backend.flask_app.app_context():
        from sqlalchemy import select

        from backend.extensions import db
        from backend.models import Plan, User, Youth

        mads = db.session.scalar(select(Youth).join(User, User.id == Youth.user_id).where(User.username == "ung.mads"))
        plan = db.session.scalar(select(Plan).where(Plan.youth_id == mads.id))
        assert (plan.youth_answer, plan.youth_answer_comment) == ("disagree", "Jeg vil have flere timer")
        assert plan.youth_answer_revision == plan.revision
        db.session.remove()


def test_mentor_records_a_follow_up_and_a_months_hours_on_the_phone(backend, phones, browser):  # noqa: F811
    mentor = open_app(browser, phones("lise"))
    mentor.set_viewport_size({"width": 390, "height": 844})
    login(mentor, "mentor.lise")
    choose_pin(mentor)
    see(mentor, "Mine unge")
    tap_id(mentor, "open-mads")
    tap_id(mentor, "plan")
    see(mentor, "Holm Byg")
    see(mentor, "Næste opfølgning")
    tap_id(mentor, "company-follow-up")
    type_in(mentor, "follow-up-note", "Mads trives og vil gerne have flere timer")
    tap(mentor, "Gem opfølgning")
    see(mentor, "Opfølgningen er gemt.")
    tap_id(mentor, "hours-week")
    see(mentor, "Gælder tallene en uge eller en hel måned?")
    mentor.get_by_role("radio", name="En hel måned").click()
    type_in(mentor, "hours-ordinary", "31")
    shot(mentor, "issue14_mentor_month_hours_390")
    tap(mentor, "Gem timer")
    see(mentor, "er gemt.")
    see(mentor, "Ordinære timer denne måned: 31 af 30")
    shot(mentor, "issue14_mentor_plan_hours_390")
    see(mentor, "Alt er sendt", timeout=60000)
    with backend.flask_app.app_context():
        from sqlalchemy import select

        from backend.extensions import db
        from backend.models import PlacementFollowUp, WorkHours

        months = db.session.scalars(select(WorkHours).where(WorkHours.period == "month")).all()
        assert any(m.ordinary_hours == 31 and m.period_start.day == 1 for m in months)
        notes = [f.note for f in db.session.scalars(select(PlacementFollowUp)).all()]
        assert "Mads trives og vil gerne have flere timer" in notes
        db.session.remove()
