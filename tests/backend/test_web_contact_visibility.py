"""The pages give the young person's number, best time and reminder only to their mentor and
coordinator: a partner's plan page, prints, contact attempts, caseload and conflicts carry none of it."""

from __future__ import annotations

import pytest

from backend.extensions import db
from backend.models import Youth
from tests.backend.test_web_pages import Browser
from tests.backend.world import Api, build_world

SECRETS = ("31 23 45 67", "4531234567", "Efter kl. 10 eller sms", "07:30")


@pytest.fixture
def w(app):
    w = build_world(app)
    yid = w.youths["mads"]
    with app.app_context():
        version = db.session.get(Youth, yid).version
    res = Api(app.test_client(), "mads").upsert(
        "youth",
        {"youth_id": yid, "phone": "31234567", "contact_time": "Efter kl. 10 eller sms", "reminder_time": "07:30"},
        base_version=version,
        record_id=yid,
    )
    assert res["status"] == "applied", res
    return w


def partner_pages(w) -> list[str]:
    yid = w.youths["mads"]
    return [
        "/",
        f"/youth/{yid}",
        f"/youth/{yid}/print",
        f"/youth/{yid}/print?org={w.orgs['UU']}&org={w.orgs['Jobcenter']}&youth=1",
        f"/youth/{yid}/contact-attempts",
        f"/youth/{yid}/contact-attempts?print=1",
        f"/youth/{yid}/progression",
    ]


@pytest.mark.parametrize("username", ["karen", "nina"])
def test_partner_pages_show_no_contact_details(app, w, username):
    b = Browser(app, username)
    for url in partner_pages(w):
        r = b.get(url)
        assert r.status_code == 200, (url, r.status_code)
        for secret in SECRETS:
            assert secret not in r.text, (url, secret)
        assert "tel:" not in r.text and "sms:" not in r.text, url
    page = b.get(f"/youth/{w.youths['mads']}").text
    assert 'data-testid="contact-hidden"' in page and "Intet mobilnummer" not in page


@pytest.mark.parametrize("username", ["lise", "ahmed"])
def test_mentor_and_coordinator_still_see_and_call_the_number(app, w, username):
    page = Browser(app, username).get(f"/youth/{w.youths['mads']}").text
    assert "+45 31 23 45 67" in page and 'href="tel:+4531234567"' in page and 'href="sms:+4531234567"' in page
    assert "Efter kl. 10 eller sms" in page and "kl. 07:30" in page
    assert 'data-testid="contact-hidden"' not in page


def test_partner_gets_no_export_of_the_case(app, w):
    yid = w.youths["mads"]
    b = Browser(app, "karen")
    for url in (f"/youth/{yid}/export", f"/youth/{yid}/export.json"):
        assert b.get(url).status_code in (403, 404), url
    api = Api(app.test_client(), "karen")
    r = app.test_client().get(f"/api/v1/youth/{yid}/export", headers=api.headers)
    assert r.status_code in (403, 404)
