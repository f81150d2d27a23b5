"""The app core's clock, its observable sync status and when it tries again (issues 12 and 16).

No Flet here: the status object, the backoff and the clock are the core's; the screens only
subscribe (see test_app_daily_use_views.py).
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import app_local_data as ld
import pytest

from mobile_app.core import AppCore, ValidationFailed, clock
from mobile_app.core.services import Services
from mobile_app.core.status import NOT_READY_OFFLINE, SyncState, backoff_delay, pending_line
from mobile_app.core.store import Store
from mobile_app.core.vault import new_data_key
from tests.app_lock_params import FAST_KDF, TEST_PIN

ROOT = Path(__file__).resolve().parents[2]

# ---- one clock -----------------------------------------------------------------------------


def test_trinvis_today_pins_the_apps_day(monkeypatch, tmp_path):
    monkeypatch.setenv("TRINVIS_TODAY", "2026-01-09")
    assert clock.today() == date(2026, 1, 9) and clock.now().date() == date(2026, 1, 9)
    store = Store(tmp_path / "s.sqlite", key=new_data_key())
    try:
        assert Services(store, ld.MENTOR_LOGIN).today() == date(2026, 1, 9)  # the default clock is the app's
    finally:
        store.close()
    monkeypatch.setenv("TRINVIS_TODAY", "9. januar")  # not a date: the real day, not a crash
    assert clock.pinned_today() is None and clock.today() != date(2026, 1, 9)


def test_no_module_of_the_app_reads_the_host_clock_itself():
    """Only core/clock.py asks the system for the time; everything else asks it."""
    offenders = []
    for path in (ROOT / "mobile_app").rglob("*.py"):
        if path.name == "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("now", "today", "utcnow"):
                base = node.value
                if isinstance(base, ast.Name) and base.id in ("datetime", "date"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


# ---- the observable status ---------------------------------------------------------------


def test_subscribers_get_a_snapshot_on_every_change_and_only_then():
    counts = {"pending": 0}
    state = SyncState(lambda: (counts["pending"], 0))
    seen = []
    stop = state.subscribe(seen.append)
    state.update(syncing=True, pulled_records=500)
    state.update(syncing=True, pulled_records=500)  # nothing changed: nobody is bothered
    assert len(seen) == 1
    first = seen[0]
    assert first.message == "Henter dine data … 500 hentet" and first.pending_line == NOT_READY_OFFLINE
    assert "Alt er sendt" not in (first.message, first.pending_line) and not first.ready_offline
    state.update(syncing=False, first_sync_done=True, online=True)
    assert seen[-1].pending_line == "Alt er sendt" and seen[-1].message == "Online" and seen[-1].ready_offline
    stop()
    state.update(online=False)
    assert len(seen) == 2


def test_pending_line_says_plainly_what_waits():
    assert pending_line(False, 0) == NOT_READY_OFFLINE
    assert pending_line(False, 3) == NOT_READY_OFFLINE  # not ready is what matters before the download
    assert pending_line(True, 0) == "Alt er sendt"
    assert pending_line(True, 1) == "1 ændring venter på at blive sendt"
    assert pending_line(True, 2) == "2 ændringer venter på at blive sendt"


def test_backoff_doubles_from_two_seconds_up_to_the_interval():
    assert [backoff_delay(n, 20) for n in range(1, 7)] == [2, 4, 8, 16, 20, 20]
    assert backoff_delay(0, 20) == 20
    assert backoff_delay(500, 20) == 20  # no overflow after a long night offline


def test_next_delay_is_short_only_while_offline_with_unsent_changes():
    counts = {"pending": 1}
    state = SyncState(lambda: (counts["pending"], 0))
    assert state.next_delay(20) == 20  # never tried
    state.update(online=False, failures=1)
    assert state.next_delay(20) == 2
    state.update(failures=3)
    assert state.next_delay(20) == 8
    counts["pending"] = 0
    assert state.next_delay(20) == 20  # nothing to send: no hurry
    counts["pending"] = 1
    state.update(online=True, failures=0)
    assert state.next_delay(20) == 20


def test_failed_syncs_back_off_and_a_good_one_resets(tmp_path, backend_server):
    core = AppCore(
        tmp_path / "p.sqlite",
        server_url=backend_server.url,
        # one attempt, so each failure counts; a roomy timeout, since the first pull on a loaded
        # machine (CI runs two test workers) can take more than a few seconds
        client_options={"attempts": 1, "timeout": 20},
        kdf=FAST_KDF,
    )
    core.login("ung.mads", "demo1234")
    core.choose_pin(TEST_PIN)
    assert core.sync() is not None
    act = core.store.all("activity")[0]
    core.services().notify_absence(act["id"], "Syg")
    core.store.set_meta("server_url", "http://127.0.0.1:9")  # the server is away
    delays = []
    for _ in range(3):
        assert core.sync() is None
        delays.append(core.sync_state.next_delay(20))
    assert delays == [2, 4, 8] and core.status().online is False
    core.store.set_meta("server_url", backend_server.url)  # … and back
    assert core.sync() is not None
    assert core.sync_state.next_delay(20) == 20 and core.status().pending == 0
    core.store.close()


def test_the_engine_reports_the_first_download_as_it_goes(tmp_path, backend_server):
    core = AppCore(tmp_path / "p.sqlite", server_url=backend_server.url, kdf=FAST_KDF)
    core.login("mentor.lise", "demo1234")
    core.choose_pin(TEST_PIN)
    seen = []
    core.sync_state.subscribe(seen.append)
    assert core.status().pending_line == NOT_READY_OFFLINE
    assert core.sync() is not None
    during = [s for s in seen if s.syncing]
    assert during and not during[0].first_sync_done and during[0].message.startswith("Henter dine data")
    assert any(s.pulled_records > 0 for s in during)
    assert seen[-1].first_sync_done and seen[-1].pending_line == "Alt er sendt" and not seen[-1].syncing
    assert seen[-1].last_sync_at
    core.logout()  # a wiped phone is not ready again
    assert core.status().pending_line == NOT_READY_OFFLINE
    core.store.close()


# ---- the server address --------------------------------------------------------------------


def test_staff_can_choose_another_server_before_logging_in(tmp_path, backend_server):
    core = AppCore(tmp_path / "p.sqlite", server_url="http://127.0.0.1:9", kdf=FAST_KDF)
    with pytest.raises(ValidationFailed, match="http://"):
        core.choose_server("trinvis.kommune.dk")
    assert core.server_url == "http://127.0.0.1:9"
    core.choose_server(backend_server.url + "/")
    assert core.server_url == backend_server.url
    core.login("mentor.lise", "demo1234")  # no address typed: the chosen one is used
    assert core.store.get_meta("server_url") == backend_server.url
    core.store.close()
