"""Daily use (issue 16 items 5, 6, 8, 9, 10, 11) and the shell's seams (issue 12), in a real Flet
session without a browser. What the user sees is asserted; test_app_daily_use_e2e (tests/e2e)
checks the same at 390×844 in Chromium."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path
from types import SimpleNamespace

import app_local_data as ld
import flet as ft
import pytest
from app_flet_harness import all_text, button, choose, new_session, tap, text_field, type_into, walk
from test_app_views import NOW, make_core, start

from mobile_app.core import AppCore
from mobile_app.ui.app import TrinvisApp
from tests.app_lock_params import TEST_PIN

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
RUS = "00000000-0000-4000-8000-000000000002"
PARTNER = {
    "id": "00000000-0000-4000-8000-0000000000d1",
    "username": "behandler.nina",
    "role": "partner",
    "organization_id": RUS,
    "display_name": "Nina",
}


# ---- 5: the login screen --------------------------------------------------------------------


async def test_login_shows_neither_server_nor_demo_password_outside_the_demo(tmp_path, monkeypatch):
    monkeypatch.delenv("TRINVIS_DEMO", raising=False)
    core = AppCore(tmp_path / "app.sqlite", server_url="http://127.0.0.1:9")
    session, app, page = await start(core)
    text = all_text(page)
    assert "Log ind én gang" in text and "demo1234" not in text and "Server" not in text
    assert not [c for c in walk(page) if isinstance(c, ft.TextField) and c.label == "Serveradresse"]
    await tap(session, page, "Indstillinger")  # staff who run their own server: one step away
    type_into(session, page, "Serveradresse", "trinvis.kommune.dk")
    await tap(session, page, "Gem")
    assert "Serveradressen skal starte med http:// eller https://." in all_text(page)
    type_into(session, page, "Serveradresse", "https://trinvis.kommune.dk")
    await tap(session, page, "Gem")
    assert "Serveradressen er gemt." in all_text(page) and text_field(page, "Brugernavn")
    assert core.server_url == "https://trinvis.kommune.dk"


async def test_the_demo_says_its_password(tmp_path, monkeypatch):
    monkeypatch.setenv("TRINVIS_DEMO", "1")
    core = AppCore(tmp_path / "app.sqlite", server_url="http://127.0.0.1:9")
    session, app, page = await start(core)
    assert "adgangskode demo1234" in all_text(page)


# ---- 6 and 8: the mentor's caseload and "Registrér fremmøde" -----------------------------------


def _long_title(core) -> str:
    act = core.store.all("activity")[0]
    title = "Praktik i Bygma Tømmerhandel, Vejle – lager og kundeservice med sidemand"
    core.store.apply_pull_page(
        [{"entity": "activity", "id": act["id"], "version": 2, "deleted": False, "data": {**act, "title": title}}],
        [],
        "c9",
    )
    return title


async def tap_id(session, page, ident: str) -> None:
    [sem] = [c for c in walk(page) if isinstance(c, ft.Semantics) and c.identifier == ident]
    await session.dispatch_event(sem.content._i, "click", None)
    await asyncio.sleep(0)


async def test_attendance_from_the_list_in_three_taps_with_gem_at_the_bottom(tmp_path):
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    core.clock = lambda: NOW.replace(hour=10)  # after the 09:00 start: a no-show
    title = _long_title(core)
    session, app, page = await start(core)
    taps = 0
    await tap_id(session, page, "attend-mads-0")  # the activity line on Mads's card
    taps += 1
    text = all_text(page)
    label = f"09:00 {title} – Ikke tjekket ind"
    assert "Hvordan gik det?" in text and label in text and "I dag" in text
    assert "Aktivitet" not in text  # chosen already: only how it went is asked
    save = button(page, "Gem")  # outside the scrolling part: reachable without scrolling
    assert app.footer.visible and save in list(walk(app.footer)) and save not in list(walk(app.body))
    choose(session, page, "present")
    taps += 1
    await tap(session, page, "Gem")
    taps += 1
    assert "Fremmøde gemt." in all_text(page) and "Mine unge" in all_text(page) and taps <= 5
    [att] = core.store.all("attendance")
    assert att["status"] == "present" and att["activity_id"] == core.store.all("activity")[0]["id"]
    assert not app.footer.visible  # the caseload keeps nothing at the bottom


async def test_attendance_picker_wraps_long_titles(tmp_path):
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    core.clock = lambda: NOW.replace(hour=10)
    title = _long_title(core)
    session, app, page = await start(core)
    await tap(session, page, "Åbn")
    await tap(session, page, "Registrér fremmøde")
    label = f"09:00 {title} – Ikke tjekket ind"
    [text] = [c for c in walk(page) if isinstance(c, ft.Text) and c.value == label]
    assert text.expand  # it wraps in the width it has: the status at the end is never cut off
    assert text.parent.parent.data == label  # tapping the text chooses the activity too
    assert "Dag" in all_text(page) and button(page, "Gem") in list(walk(app.footer))


async def test_caseload_cards_are_compact_and_no_shows_come_first(tmp_path):
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    core.clock = lambda: NOW.replace(hour=10)
    session, app, page = await start(core)
    cards = [c for c in app.body.controls if isinstance(c, ft.Container) and c.on_click is not None]
    assert cards and cards[0].data.missing  # today's no-show first
    # "Åbn" sits in the name row (no full-width button of its own), and the whole card opens too
    name_row = cards[0].content.controls[0]
    assert isinstance(name_row, ft.Row) and name_row.controls[0].value == "Mads"
    assert [b.content.value for b in walk(name_row) if isinstance(b, ft.OutlinedButton)] == ["Åbn"]
    assert not [b for b in walk(cards[0]) if isinstance(b, ft.FilledButton)]  # Mads has no number: no call
    await session.dispatch_event(cards[0]._i, "click", None)
    await asyncio.sleep(0)
    assert "Registrér fremmøde" in all_text(page)


# ---- 11: partners are offered only what they may do ------------------------------------------


async def test_partner_sees_no_outreach_no_calls_and_no_attendance_at_others_activities(tmp_path):
    core = make_core(tmp_path, PARTNER)
    core.clock = lambda: NOW.replace(hour=10)
    session, app, page = await start(core)
    text = all_text(page)
    assert "Mads" in text and "Ikke tjekket ind" in text
    assert "Ring til" not in text and "Send sms" not in text  # both would record outreach
    await tap(session, page, "Åbn")
    text = all_text(page)
    assert "Opsøgende kontakt" not in text and "Registrér fremmøde" not in text
    assert "Plan" in text and "Fremskridt" in text


# ---- 9 and issue 12: the bar follows the sync engine's status ------------------------------------


async def test_not_ready_for_offline_until_the_first_download_is_done(tmp_path):
    core = make_core(tmp_path, ld.MENTOR_LOGIN)
    core.sync_state.reset()  # a phone straight after login: nothing downloaded yet
    session, app, page = await start(core)
    text = all_text(page)
    assert "Alt er sendt" not in text and "Telefonen er ikke klar til at være offline" in text
    core.sync_state.update(syncing=True, pulled_records=500)  # from the sync engine, no redraw call
    assert "Henter dine data … 500 hentet" in all_text(page) and "Alt er sendt" not in all_text(page)
    core.sync_state.update(syncing=False, first_sync_done=True, online=True)
    assert "Alt er sendt" in all_text(page) and "Online" in all_text(page)


async def test_status_from_the_sync_thread_reaches_the_bar(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    await asyncio.to_thread(core.sync_state.update, online=False, failures=1)
    await asyncio.sleep(0.05)
    assert "Offline – alt gemmes på telefonen" in all_text(page)
    app.closed = True  # a closed page stops listening (the core lives on in web mode)
    core.sync_state.update(online=True)
    assert core.sync_state._subscribers == []


# ---- 10: back in the foreground: sync at once ------------------------------------------------


async def test_foreground_wakes_the_sync_and_background_locks(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)
    session, app, page = await start(core)
    app._wake.clear()
    app.on_lifecycle(SimpleNamespace(state=ft.AppLifecycleState.RESUME))
    assert app._wake.is_set()
    app.on_lifecycle(SimpleNamespace(state=ft.AppLifecycleState.HIDE))
    assert core.locked and "Appen er låst" in all_text(page)
    type_into(session, page, "Pinkode", TEST_PIN)


async def test_sync_loop_tries_again_sooner_while_offline_with_changes(tmp_path):
    core = make_core(tmp_path, ld.YOUTH_LOGIN)  # its server (port 9) is unreachable
    core.services().notify_absence(core.store.all("activity")[0]["id"], "Syg")
    session = await new_session()
    app = TrinvisApp(session.page, core, sync_interval=60)
    app.start()
    tries = []
    real_sync = core.sync

    def counting_sync(*a, **k):
        tries.append(1)
        return real_sync(*a, **k)

    core.sync = counting_sync
    loop = asyncio.ensure_future(app.sync_loop())
    await asyncio.sleep(3.5)  # with a 60 s interval only the backoff (2 s) brings a second try
    app.closed = True
    loop.cancel()
    assert len(tries) >= 2 and core.sync_state.failures >= 2


# ---- issue 12: no import circle among the screens --------------------------------------------


def test_no_screen_imports_the_shell():
    """The shell imports the screens; a screen takes what it shares from widgets.py."""
    mine = ("youth", "mentor", "login", "lock_view", "sync_view", "assessment", "contact", "widgets", "charts")
    for name in mine:
        tree = ast.parse((ROOT / "mobile_app" / "ui" / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "mobile_app.ui.app", name
                assert not (node.module == "mobile_app.ui" and any(a.name == "app" for a in node.names)), name


def test_screens_read_status_and_records_through_the_core_not_the_store():
    """Issue 12: the status bar follows the sync engine's status object; no screen opens the store."""
    for name in ("app", "youth", "mentor", "login", "lock_view", "sync_view", "assessment", "contact", "widgets"):
        text = (ROOT / "mobile_app" / "ui" / f"{name}.py").read_text()
        assert ".store." not in text and "get_meta" not in text, name
