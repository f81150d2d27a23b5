"""Daily use of the app on a 390×844 phone in real headless Chromium (issue 16 items 5, 6, 8, 9):
what the user sees, that nothing runs off the right edge, and that the mentor finds a named young
person and records attendance in at most five taps without scrolling.

Run on their own: `pytest tests/e2e/test_daily_use_app_e2e.py -m e2e`.
"""

from __future__ import annotations

import pytest
from app_fixtures import (  # noqa: F401 - fixtures
    backend,
    browser,
    choose_pin,
    phones,
    see,
    shot,
    type_in,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def open_phone(browser, app):
    page = browser.new_page(viewport=PHONE)
    page.goto(app.url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    return page


def overflow(page) -> list[str]:
    """Labels of what Flutter placed (partly) beyond the right edge of the screen."""
    return page.evaluate(
        """() => [...document.querySelectorAll('flt-semantics')]
            .map(e => [e.getBoundingClientRect(), e.getAttribute('aria-label') || e.textContent || ''])
            .filter(([r, l]) => r.width > 0 && r.right > window.innerWidth + 1)
            .map(([r, l]) => l.slice(0, 60) + ' @' + Math.round(r.right))"""
    )


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_login_then_find_a_young_person_and_record_attendance_in_five_taps(backend, phones, browser, monkeypatch):
    monkeypatch.delenv("TRINVIS_DEMO", raising=False)  # a real municipality's phone
    phone = phones("lise")
    page = open_phone(browser, phone)

    see(page, "Log ind én gang")
    shot(page, "390_login")
    assert page.get_by_text("demo1234").count() == 0 and page.get_by_text("Serveradresse").count() == 0
    assert page.locator('[flt-semantics-identifier="server"]').count() == 0
    assert overflow(page) == []

    type_in(page, "username", "mentor.lise")
    type_in(page, "password", "demo1234")
    page.get_by_role("button", name="Log ind", exact=True).click()
    choose_pin(page)
    see(page, "Mine unge")
    see(page, "Alt er sendt", timeout=60000)  # only once the first download is done
    shot(page, "390_caseload")
    assert overflow(page) == []

    taps = 0
    page.locator('[flt-semantics-identifier="caseload-search"]').click()
    taps += 1
    page.wait_for_timeout(400)
    page.keyboard.type("Mads J", delay=25)
    see(page, "Viser 1 af 20")
    shot(page, "390_caseload_search")
    # today's first activity on Mads's card: straight to "Registrér fremmøde" with it chosen
    activity = page.locator('[flt-semantics-identifier="attend-mads-0"]')
    assert in_view(page, activity)
    activity.click()
    taps += 1
    see(page, "Hvordan gik det?")
    shot(page, "390_attendance")
    assert overflow(page) == []
    present = page.get_by_role("radio", name="Mødt", exact=True).or_(page.locator('[aria-label="Mødt"]')).first
    assert in_view(page, present)
    save = page.get_by_role("button", name="Gem", exact=True)
    assert in_view(page, save)  # kept at the bottom: no scrolling to save
    present.click()
    taps += 1
    save.click()
    taps += 1
    see(page, "Fremmøde gemt.")
    see(page, "Alt er sendt", timeout=30000)
    shot(page, "390_attendance_saved")
    assert taps <= 5
    with backend.flask_app.app_context():
        from backend import models
        from backend.clock import today
        from backend.extensions import db

        mads = db.session.query(models.Youth).filter(models.Youth.display_name == "Mads Jensen").one()
        rows = db.session.query(models.Attendance).filter_by(youth_id=mads.id, date=today()).all()
        assert "present" in {r.status for r in rows}  # the phone sent it by itself
        db.session.remove()


def test_agreement_deadline_from_the_calendar(backend, phones, browser, monkeypatch):
    phone = phones("lise")
    page = open_phone(browser, phone)
    type_in(page, "username", "mentor.lise")
    type_in(page, "password", "demo1234")
    page.get_by_role("button", name="Log ind", exact=True).click()
    choose_pin(page)
    see(page, "Alt er sendt", timeout=60000)
    page.locator('[flt-semantics-identifier="open-mads"]').first.click()
    page.locator('[flt-semantics-identifier="agreements"]').click()
    page.get_by_role("button", name="Ny aftale", exact=True).click()
    type_in(page, "agreement-text", "Ring til praktikstedet")
    page.locator('[flt-semantics-identifier="agreement-due"]').click()
    see(page, "Vælg")
    shot(page, "390_date_picker")
    page.get_by_role("button", name="Vælg", exact=True).click()
    save = page.get_by_role("button", name="Gem aftale", exact=True)
    assert in_view(page, save)
    assert overflow(page) == []
    shot(page, "390_new_agreement")
    save.click()
    see(page, "Aftalen er gemt.")
