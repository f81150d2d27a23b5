"""The young person's own data on the phone, and a case erased on the server leaving every phone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import requests
from app_flet_harness import all_text, new_session, tap

from mobile_app.core import AppCore, Offline
from mobile_app.core.app_core import ERASED_MESSAGE
from mobile_app.ui.app import TrinvisApp
from tests.app_lock_params import FAST_KDF, TEST_PIN


def offline_youth_phone(tmp_path) -> AppCore:
    """A young person logged in (PIN chosen) on a phone whose server cannot be reached."""
    core = AppCore(
        tmp_path / "app.sqlite",
        server_url="http://127.0.0.1:9",
        client_options={"attempts": 1, "timeout": 1},
        kdf=FAST_KDF,
    )
    core.adopt_login(
        {"token": "t", "user": {"id": "u", "role": "youth", "youth_id": "y", "display_name": "Mads"}},
        "http://127.0.0.1:9",
    )
    core.choose_pin(TEST_PIN)
    return core


def youth_named(core: AppCore, first: str) -> str:
    return next(y["id"] for y in core.store.all("youth") if y["display_name"].startswith(first))


def test_young_person_fetches_everything_and_opens_the_document(backend_server, device):
    mads = device("mads", "ung.mads")
    mads.sync()
    data = mads.my_data()
    counts = dict(data.summary)
    assert counts["Din plan"] == 1 and counts["Aftaler"] > 0 and counts["Fremmøde"] > 0
    assert counts["Samtykker"] > 0 and counts["Hvem har set dine oplysninger (dage)"] > 0
    assert data.export["youth"]["display_name"].startswith("Mads")
    assert "Sara" not in str(data.export)
    page = requests.get(data.document_url, timeout=10)
    assert page.status_code == 200 and "Alt hvad Trinvis har om Mads" in page.text


def test_my_data_needs_the_network_and_says_so(tmp_path):
    core = offline_youth_phone(tmp_path)
    with pytest.raises(Offline) as exc:
        core.my_data()
    assert "ikke på nettet" in exc.value.message


@pytest.mark.anyio
async def test_my_data_screen_online(backend_server, device):
    mads = device("mads-screen", "ung.mads")
    mads.sync()
    session = await new_session()
    app = TrinvisApp(session.page, mads)
    app.start()
    page = session.page
    await tap(session, page, "Mine data")
    assert "Du har ret til at se alt" in all_text(page)
    await tap(session, page, "Hent mine data")
    text = all_text(page)
    assert "Dine data er hentet." in text and "Din plan: 1" in text and "Åbn dokumentet" in text


@pytest.mark.anyio
async def test_my_data_screen_offline(tmp_path):
    core = offline_youth_phone(tmp_path)
    session = await new_session()
    app = TrinvisApp(session.page, core)
    from mobile_app.ui import youth

    app.show(youth.my_data, root=True)
    await tap(session, session.page, "Hent mine data")
    assert "Du er ikke på nettet" in all_text(session.page)


def test_erased_case_leaves_every_phone_at_its_next_sync(backend_server, device):
    karen, lise, mads = device("karen", "uu.karen"), device("lise", "mentor.lise"), device("mads", "ung.mads")
    for phone in (karen, lise, mads):
        phone.sync()
    mads_id, sara_id = youth_named(lise, "Mads"), youth_named(lise, "Sara")
    assert karen.store.all("goal", mads_id) and lise.store.all("attendance", mads_id)
    app = backend_server.flask_app
    with app.app_context():
        from backend.extensions import db
        from backend.models import Youth
        from backend.programmes import service
        from backend.rights.retention import purge_closed_cases

        youth = db.session.get(Youth, mads_id)
        service.record_outcome(_user(db, youth.coordinator_id), mads_id, "education", date.today())
        report = purge_closed_cases(date.today() + timedelta(days=366 * 5), dry_run=False)
        assert mads_id in [c.youth_id for c in report.cases] and sara_id not in [c.youth_id for c in report.cases]
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    for phone in (karen, lise):
        result = phone.sync()
        assert mads_id in result.revoked
        for entity in (
            "youth",
            "plan",
            "goal",
            "activity",
            "agreement",
            "attendance",
            "consent",
            "assessment",
            "outreach",
        ):
            assert phone.store.all(entity, mads_id) == [], entity
        assert phone.store.get("youth", sara_id) is not None
    mads.sync()
    assert not mads.logged_in and mads.store.count() == 0 and mads.last_error == ERASED_MESSAGE


def _user(db, user_id):
    from backend.models import User

    return db.session.get(User, user_id)


@pytest.mark.anyio
async def test_erased_young_person_sees_why_the_app_is_empty(backend_server, device):
    mads = device("mads-erased", "ung.mads")
    mads.sync()
    session = await new_session()
    app = TrinvisApp(session.page, mads)
    app.start()
    mads_id = mads.services().my_youth_id()
    with backend_server.flask_app.app_context():
        from backend.extensions import db
        from backend.models import Youth
        from backend.programmes import service
        from backend.rights.retention import purge_closed_cases

        youth = db.session.get(Youth, mads_id)
        service.record_outcome(_user(db, youth.coordinator_id), mads_id, "education", date.today())
        purge_closed_cases(date.today() + timedelta(days=366 * 5), dry_run=False)
        db.session.commit()  # the caller owns the transaction, as a request does
        db.session.remove()
    await app.sync_once()
    text = all_text(session.page)
    assert ERASED_MESSAGE in text and "Log ind" in text and mads.store.count() == 0
