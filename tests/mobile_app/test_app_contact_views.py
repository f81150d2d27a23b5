"""Issue 13 screens driven without a browser (real Flet session, fake connection, local data)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import app_local_data as ld
import pytest
from app_flet_harness import all_text, tap, type_into
from test_app_views import make_core, start

from mobile_app.core import AppCore
from mobile_app.core.contact import CONTACTS_META
from tests.app_lock_params import FAST_KDF, TEST_PIN

pytestmark = pytest.mark.anyio
TZ = ZoneInfo("Europe/Copenhagen")


def phone_core(tmp_path, user, at, edit=None) -> AppCore:
    """A phone with `user` logged in (PIN chosen, as in test_app_views) at `at`, the server
    unreachable, with the local test data changed by `edit` first."""
    core = AppCore(
        tmp_path / "app.sqlite",
        server_url="http://127.0.0.1:9",
        clock=lambda: at,
        client_options={"attempts": 1, "timeout": 1},
        kdf=FAST_KDF,
    )
    core.adopt_login({"token": "t", "user": user}, "http://127.0.0.1:9")
    core.choose_pin(TEST_PIN)
    data = ld.changes(at.date())
    for c in data["changes"]:
        if edit:
            edit(c)
    core.store.apply_pull_page(data["changes"], [], "c1")
    return core


def youth_core(tmp_path, at, mentor_phone="+4531100001", on_call="+4570123456") -> AppCore:
    def hours(c):
        if c["entity"] == "organization":
            c["data"].update(
                {
                    "on_call_phone": on_call,
                    "opening_weekdays": [0, 1, 2, 3, 4],
                    "opens_at": "08:00",
                    "closes_at": "15:30",
                }
            )

    core = phone_core(tmp_path, ld.YOUTH_LOGIN, at, hours)
    core.store.set_meta(
        CONTACTS_META, {"mentor": {"name": "Lise Mortensen", "phone": mentor_phone, "organization_id": ld.ORG}}
    )
    return core


def record_messages(session) -> list[str]:
    conn = session.connection
    sent, send = [], conn.send_message
    conn.send_message = lambda m: (sent.append(repr(m)), send(m))
    return sent


async def launched(sent: list[str], url: str) -> bool:
    for _ in range(20):  # the launcher call is a task of its own
        if any("launch_url" in m and url in m for m in sent):
            return True
        await asyncio.sleep(0.05)
    return False


async def test_youth_sets_number_on_the_contact_screen(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    await tap(session, page, "Mit nummer og påmindelser")
    type_into(session, page, "Mit mobilnummer", "12")
    await tap(session, page, "Gem")
    assert "gyldigt telefonnummer" in all_text(page)
    assert core.store.pending_count() == 0
    type_into(session, page, "Mit mobilnummer", "31 23 45 67")
    await tap(session, page, "Gem")
    assert "Gemt." in all_text(page)
    [entry] = core.store.outbox()
    assert entry.entity == "youth" and entry.data["phone"] == "+4531234567"


async def test_mentor_calls_a_no_show_in_one_tap_and_answers_after(tmp_path):
    def with_phone(c):
        if c["entity"] == "youth":
            c["data"]["phone"] = "+4531234567"

    at = datetime(2025, 3, 12, 9, 30, tzinfo=TZ)  # the 09:00 activity: not checked in
    core = phone_core(tmp_path, ld.MENTOR_LOGIN, at, with_phone)
    session, app, page = await start(core)
    assert "Ring til Mads" in all_text(page)
    sent = record_messages(session)
    await tap(session, page, "Ring til Mads")
    assert "Fik du fat i Mads?" in all_text(page)
    assert await launched(sent, "tel:+4531234567"), sent[-3:]
    [entry] = core.store.outbox()
    assert entry.entity == "outreach" and entry.data["method"] == "call" and entry.data["reached"] is False
    await tap(session, page, "Ja")
    assert "Noteret." in all_text(page)
    [entry] = core.store.outbox()  # folded into the unsent attempt: one record, now reached
    assert entry.data["reached"] is True and entry.data["note"] == "Ringet op med ét tryk i appen."


@pytest.mark.parametrize(
    "at, label",
    [
        ((2025, 3, 12, 10, 0), "Ring til Lise – +45 31 10 00 01"),  # Wednesday, open
        ((2025, 3, 12, 15, 30), "Ring til vagttelefonen (Jobcenter) – +45 70 12 34 56"),  # closed
        ((2025, 3, 15, 10, 0), "Ring til vagttelefonen (Jobcenter) – +45 70 12 34 56"),  # Saturday
        ((2025, 3, 30, 2, 30), "Ring til vagttelefonen (Jobcenter) – +45 70 12 34 56"),  # the DST night
    ],
)
async def test_home_screen_shows_whom_to_call_now(tmp_path, at, label):
    core = youth_core(tmp_path, datetime(*at, tzinfo=TZ))
    session, app, page = await start(core)
    assert label in all_text(page)
    sent = record_messages(session)
    await tap(session, page, label)
    assert await launched(sent, "tel:+4531100001" if "Lise" in label else "tel:+4570123456")


async def test_without_an_on_call_number_the_mentor_is_shown_also_after_hours(tmp_path):
    evening = datetime(2025, 3, 12, 20, 0, tzinfo=TZ)
    session, app, page = await start(youth_core(tmp_path, evening, on_call=None))
    assert "Ring til Lise – +45 31 10 00 01" in all_text(page)
    (tmp_path / "b").mkdir()
    session, app, page = await start(youth_core(tmp_path / "b", evening, mentor_phone=None, on_call=None))
    assert "Brug for at snakke med nogen?" not in all_text(page)
