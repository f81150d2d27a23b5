"""The mentor's morning list in real headless Chromium against the demo municipality (issue 13).

Lise opens "Morgenliste", taps "Ring til Mads": the attempt is recorded by the page's script as
the tel: link opens, the page asks "Fik du fat i Mads?", she taps Ja — and the coordinator sees
the attempt on Mads's plan page and in "Kontaktforsøg" without anyone typing it.
Screenshots: build/screenshots/web_morning_*.png.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.e2e.web_fixtures import chromium, demo_server, login, new_page, shot  # noqa: F401

pytestmark = pytest.mark.e2e


def mads_missed_an_activity_half_an_hour_ago(server) -> str:
    """Today's activity for Mads that started 30 minutes ago (the demo's own depend on the weekday)."""
    from backend.admin import system_write, youth_of
    from backend.extensions import db
    from backend.models import Organization
    from backend.services.caseload import local_now

    now = local_now()
    if now.hour == 0 and now.minute < 30:
        pytest.skip("just after midnight no activity of today can be overdue yet")
    with server.app.app_context():
        mads = youth_of("ung.mads").id
        jc = db.session.query(Organization).filter_by(name="Jobcenter").one().id
        aid = str(uuid.uuid4())
        system_write(
            [
                {
                    "entity": "activity",
                    "id": aid,
                    "data": {
                        "id": aid,
                        "youth_id": mads,
                        "organization_id": jc,
                        "title": "Morgenmøde",
                        "weekdays": [0, 1, 2, 3, 4, 5, 6],
                        "start_time": (now - timedelta(minutes=30)).strftime("%H:%M"),
                        "end_time": "23:59",
                        "start_date": (now.date() - timedelta(days=1)).isoformat(),
                    },
                }
            ]
        )
        db.session.remove()
    return mads


def test_mentor_calls_mads_from_the_morning_list_and_the_coordinator_sees_it(demo_server, new_page):
    mads = mads_missed_an_activity_half_an_hour_ago(demo_server)
    page = new_page(width=420, height=900)  # a phone-sized window: the mentor is out and about
    # On a phone the dialer takes the tel:/sms: link; headless Chromium has no handler and its
    # failed external-protocol navigation wedges the page, so the link's default is stopped here
    # (preventDefault only: the page's own click handler, which records the attempt, still runs).
    page.add_init_script(
        "document.addEventListener('click', function (e) {"
        ' if (e.target.closest(\'a[href^="tel:"], a[href^="sms:"]\')) e.preventDefault(); }, true);'
    )
    login(page, demo_server, "mentor.lise")
    page.get_by_role("link", name="Morgenliste").click()
    row = page.get_by_test_id("morning-row").filter(has_text="Mads Jensen")
    assert row.get_by_text("Morgenmøde kl.").is_visible()
    call = row.get_by_test_id("call")
    assert call.get_attribute("href") == "tel:+4531123456"
    assert row.get_by_test_id("text").get_attribute("href").startswith("sms:+4531123456?body=Hej%20Mads.%20Vi%20savner")
    shot(page, "morning_list")

    call.click()
    page.get_by_role("heading", name="Fik du fat i Mads?").wait_for(timeout=10_000)
    shot(page, "morning_ask")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja", exact=True).click()
    assert page.get_by_text("Godt – det er noteret.").is_visible()
    assert row.get_by_test_id("attempts").inner_text().strip().endswith("fik fat")

    coordinator = new_page()
    login(coordinator, demo_server, "tovholder.ahmed")
    coordinator.goto(f"{demo_server.url}/youth/{mads}")
    assert coordinator.get_by_text("Ringet op med ét tryk fra morgenlisten.").first.is_visible()
    coordinator.get_by_role("link", name="Kontaktforsøg").click()
    table = coordinator.get_by_test_id("attempts-table")
    last = table.locator("tbody tr").filter(has_text="morgenlisten").last
    assert "Lise Mortensen" in last.inner_text() and "Ja" in last.inner_text()
    shot(coordinator, "morning_contact_attempts")
