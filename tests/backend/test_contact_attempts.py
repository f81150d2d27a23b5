"""Issue 13, step 5: 'Kontaktforsøg' — every attempt, absence and agreement of a period, on the
page and on paper, for whoever may see the young person (and nothing of anyone else)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.admin import system_write
from backend.extensions import db
from backend.reach.attempts import parse_period
from backend.services.caseload import LOCAL_TZ
from tests.backend.test_web_pages import Browser
from tests.backend.world import build_world, uid


def instant(*a) -> str:
    return datetime(*a, tzinfo=LOCAL_TZ).astimezone(UTC).isoformat()


@pytest.fixture
def w(app):
    world = build_world(app)
    m = world.youths["mads"]
    jc = world.orgs["Jobcenter"]
    act = uid()
    with app.app_context():
        system_write(
            [
                {
                    "entity": "activity",
                    "id": act,
                    "data": {
                        "youth_id": m,
                        "organization_id": jc,
                        "title": "Værksted",
                        "weekdays": [0, 1, 2, 3, 4],
                        "start_time": "09:00",
                        "end_time": "12:00",
                        "start_date": "2026-01-05",
                    },
                }
            ]
        )
        system_write(
            [
                {
                    "entity": "outreach",
                    "id": uid(),
                    "data": {
                        "youth_id": m,
                        "organization_id": jc,
                        "method": "call",
                        "reached": False,
                        "note": "Intet svar",
                        "contacted_at": instant(2026, 3, 2, 9, 20),
                    },
                },
                {
                    "entity": "outreach",
                    "id": uid(),
                    "data": {
                        "youth_id": m,
                        "organization_id": jc,
                        "method": "home_visit",
                        "reached": True,
                        "note": "Hjemme, syg",
                        "contacted_at": instant(2026, 3, 2, 13, 0),
                    },
                },
                {
                    "entity": "outreach",
                    "id": uid(),
                    "data": {
                        "youth_id": m,
                        "organization_id": jc,
                        "method": "sms",
                        "reached": False,
                        "note": "Uden for perioden",
                        "contacted_at": instant(2026, 2, 1, 9, 0),
                    },
                },
                {
                    "entity": "attendance",
                    "id": uid(),
                    "data": {"youth_id": m, "activity_id": act, "date": "2026-03-02", "status": "absent_unnotified"},
                },
                {
                    "entity": "attendance",
                    "id": uid(),
                    "data": {
                        "youth_id": m,
                        "activity_id": act,
                        "date": "2026-03-03",
                        "status": "absent_notified",
                        "absence_reason": "Tandlæge",
                    },
                },
                {
                    "entity": "attendance",
                    "id": uid(),
                    "data": {"youth_id": m, "activity_id": act, "date": "2026-03-04", "status": "present"},
                },
                {
                    "entity": "agreement",
                    "id": uid(),
                    "data": {
                        "youth_id": m,
                        "organization_id": jc,
                        "text": "Ring ved sygdom før kl. 9",
                        "responsible": "youth",
                        "due_date": "2026-03-31",
                    },
                },
            ]
        )
        db.session.remove()
    return world


def test_the_period_lists_every_attempt_absence_and_agreement(app, w):
    b = Browser(app, "ahmed")
    url = f"/youth/{w.youths['mads']}/contact-attempts?from=2026-03-01&to=2026-03-31"
    page = b.get(url).text
    assert "Kontaktforsøg (2, heraf 1 med kontakt)" in page
    assert "02.03.2026 kl. 09:20" in page and "Intet svar" in page and "Hjemmebesøg" in page and "Hjemme, syg" in page
    assert "Uden for perioden" not in page
    assert "Udeblevet uden besked" in page and "Tandlæge" in page and page.count("Værksted") == 2  # not the present day
    assert "Ring ved sygdom før kl. 9" not in page  # made today: not in force in March
    from backend import clock

    with app.app_context():
        today = clock.today().isoformat()
    page = b.get(f"/youth/{w.youths['mads']}/contact-attempts?from=2026-03-01&to={today}").text
    assert "Ring ved sygdom før kl. 9" in page and "Uden for perioden" not in page
    paper = b.get(url + "&print=1").text
    assert "Periode 01.03.2026 – 31.03.2026" in paper and "Hjemme, syg" in paper and 'data-action="print"' in paper
    assert "Kontaktforsøg" in b.get(f"/youth/{w.youths['mads']}").text  # linked from the young person's pages


def test_partner_sees_it_for_a_consenting_young_person_and_nobody_sees_others(app, w):
    assert Browser(app, "karen").get(f"/youth/{w.youths['mads']}/contact-attempts").status_code == 200
    assert Browser(app, "ole").get(f"/youth/{w.youths['mads']}/contact-attempts").status_code == 404
    assert Browser(app, "ahmed").get("/youth/nope/contact-attempts").status_code == 404


@pytest.mark.parametrize(
    "start, end, want, message",
    [
        (None, None, ("2026-03-02", "2026-03-31"), None),
        ("2026-03-31", "2026-03-01", ("2026-03-01", "2026-03-31"), "byttet om"),
        ("1.3.2026", None, ("2026-03-02", "2026-03-31"), "Ugyldig dato"),
        ("2020-01-01", "2026-03-31", ("2025-03-31", "2026-03-31"), "Højst et år"),
    ],
)
def test_period_input(start, end, want, message):
    from datetime import date

    s, e, err = parse_period(start, end, date(2026, 3, 31))
    assert (s.isoformat(), e.isoformat()) == want
    assert (err is None) if message is None else (message in err)


def test_bad_period_on_the_page_is_a_danish_notice_not_a_500(app, w):
    r = Browser(app, "ahmed").get(f"/youth/{w.youths['mads']}/contact-attempts?from=igår&to=x")
    assert r.status_code == 200 and "Ugyldig dato" in r.text
