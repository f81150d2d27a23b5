"""The app end to end: real backend, real app processes, real headless Chromium.

Run on their own: `pytest tests/e2e -m e2e`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from app_fixtures import (  # noqa: F401 - fixtures
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
    tap_id_until,
    type_in,
    unlock,
)

pytestmark = pytest.mark.e2e


def _server_rows(backend, model_name: str, **filters):
    with backend.flask_app.app_context():
        from backend import models
        from backend.extensions import db

        rows = db.session.query(getattr(models, model_name)).filter_by(**filters).all()
        out = [{c.key: getattr(r, c.key) for c in r.__table__.columns} for r in rows]
        db.session.remove()
        return out


def test_offline_check_in_reaches_mentor_then_agreement_and_assessment(backend, phones, browser):
    youth_phone = phones("mads")
    mentor_phone = phones("lise")

    # The young person logs in (online once) and gets their day.
    youth = open_app(browser, youth_phone)
    shot(youth, "login")
    login(youth, "ung.mads")
    shot(youth, "choose_pin")
    choose_pin(youth)
    see(youth, "Hej Mads")
    see(youth, "Dagligt værksted")
    see(youth, "Alt er sendt")
    shot(youth, "youth_home")

    # The backend goes away; the check-in still works and waits on the phone.
    backend.stop()
    tap(youth, "Jeg er her")
    see(youth, "Tak! Du er tjekket ind.")
    see(youth, "1 ændring venter på at blive sendt")
    see(youth, "Offline")
    shot(youth, "youth_checked_in_offline")
    user_id = _server_rows(backend, "User", username="ung.mads")[0]["id"]
    youth_id = _server_rows(backend, "Youth", user_id=user_id)[0]["id"]
    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()  # the app's day, not the machine's
    assert not [
        a for a in _server_rows(backend, "Attendance", youth_id=youth_id, date=today) if a["self_checked_in_at"]
    ]

    # The backend comes back: the phone sends the check-in by itself.
    backend.start()
    see(youth, "Alt er sendt", timeout=30000)
    assert [a for a in _server_rows(backend, "Attendance", youth_id=youth_id, date=today) if a["self_checked_in_at"]]

    # The mentor's phone shows it.
    mentor = open_app(browser, mentor_phone)
    login(mentor, "mentor.lise")
    choose_pin(mentor)
    see(mentor, "Mine unge")
    see(mentor, "Dagligt værksted: Mødt", timeout=30000)
    shot(mentor, "mentor_caseload")

    # The mentor records an agreement for Mads.
    tap_id(mentor, "open-mads")
    see(mentor, "Registrér fremmøde")
    shot(mentor, "mentor_youth")
    tap_id(mentor, "agreements")
    tap(mentor, "Ny aftale")
    type_in(mentor, "agreement-text", "Søg to praktikpladser")
    tap(mentor, "Gem aftale")
    see(mentor, "Aftalen er gemt.")
    see(mentor, "Søg to praktikpladser")
    shot(mentor, "mentor_agreements")
    tap(mentor, "Tilbage")

    # … and the 6-weekly assessment, one dimension per screen.
    tap_id(mentor, "mentor-assessment")
    tap(mentor, "Start")
    for i in range(9):
        see(mentor, f"Spørgsmål {i + 1} af 9")
        tap(mentor, str(6 + i % 3))
        if i == 0:
            shot(mentor, "mentor_assessment_question")
        tap(mentor, "Næste")
    tap(mentor, "Send målingen")
    see(mentor, "Målingen er gemt og sendes.")
    see(mentor, "Alt er sendt", timeout=30000)

    agreements = _server_rows(backend, "Agreement", youth_id=youth_id, text="Søg to praktikpladser")
    assert len(agreements) == 1 and agreements[0]["status"] == "open"
    from shared.dimensions import DIMENSIONS

    expected = {d.key: 6 + i % 3 for i, d in enumerate(DIMENSIONS.for_rater("staff"))}
    staff = [
        a for a in _server_rows(backend, "Assessment", youth_id=youth_id, rater_role="staff") if a["scores"] == expected
    ]
    assert len(staff) == 1 and staff[0]["submitted_at"]

    # The young person sees the mentor's scores next to their own.
    tap_id_until(mentor, "open-mads", "Registrér fremmøde")
    tap_id(mentor, "progress")
    see(mentor, "Fremskridt for Mads")
    shot(mentor, "mentor_progress_chart")
    # Opening the app again asks for the PIN; a wrong one is refused with the tries left.
    youth.reload()
    youth.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30000)
    youth.evaluate("document.querySelector('flt-semantics-placeholder').click()")
    see(youth, "Appen er låst")
    shot(youth, "locked")
    unlock(youth, "1397")
    see(youth, "Forkert pinkode. Du har 4 forsøg tilbage.")
    unlock(youth)
    see(youth, "Hej Mads")
    tap_id(youth, "my-plan")
    see(youth, "Det næste")
    shot(youth, "youth_plan")
    tap(youth, "Tilbage")
    tap_id(youth, "my-agreements")
    see(youth, "Mine aftaler")
    shot(youth, "youth_agreements")
    tap(youth, "Tilbage")
    tap_id(youth, "my-progress")
    see(youth, "Mine fremskridt")
    shot(youth, "youth_progress")

    # The phones' files hold no name and no case text (the store is encrypted at rest).
    for phone in (youth_phone, mentor_phone):
        for f in phone.data_dir.glob("trinvis-app.sqlite*"):
            raw = f.read_bytes()
            for secret in ("Mads Jensen", "Søg to praktikpladser", "Dagligt værksted"):
                assert secret.encode() not in raw, (f.name, secret)
