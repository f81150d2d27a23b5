"""The phone app as an offline web app (Python in the browser) served by the backend at /app/.

Real backend (stoppable, same port), the real static build, real headless Chromium with a
persistent profile: first visit and login online; offline (browser offline *and* backend
stopped, since Playwright's offline switch does not reliably cover a service worker) the app
reloads, a young person checks in and a mentor records attendance; the browser is closed and
opened again with the changes still waiting; a new version is deployed and taken ("Ny version —
genindlæs") with a change still unsent; back online everything reaches the coordinator's plan page.

Run on its own: `pytest tests/e2e/test_pwa_e2e.py -m e2e`.
"""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from app_fixtures import CHROMIUM_ARGS, choose_pin, login, see, shot, tap, tap_id, type_in, unlock
from app_server import LiveServer, build_app, database_url

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 412, "height": 915}
CONSOLE: list[str] = []
"""The browser's console (the Python worker's prints and tracebacks), written out on failure."""


@pytest.fixture(autouse=True)
def _console_on_failure(request):
    CONSOLE.clear()
    yield
    from app_fixtures import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "pwa_console.log").write_text("\n".join(CONSOLE), encoding="utf-8")


@pytest.fixture(scope="module")
def web_build(tmp_path_factory):
    from mobile_app.web_build import build

    return build(tmp_path_factory.mktemp("web") / "app")


@pytest.fixture
def server(tmp_path, web_build):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = build_app(database_url(tmp_path))
    app.config["WEB_APP_DIR"] = web_build["dest"]
    srv = LiveServer(app).start()
    srv.flask_app = app
    yield srv
    if srv.running:
        srv.stop()


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


def open_profile(playwright, profile_dir, offline: bool = False):
    ctx = playwright.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path="/usr/bin/chromium",
        args=CHROMIUM_ARGS,
        viewport=VIEWPORT,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        offline=offline,
    )
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.on("console", lambda m: CONSOLE.append(f"{profile_dir.name}: {m.type}: {m.text[:400]}"))
    return ctx, page


def goto_app(page, url: str) -> None:
    page.goto(url + "/app/?sync=3")
    ready(page)


def ready(page) -> None:
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=90000)
    page.evaluate("document.querySelector('flt-semantics-placeholder').click()")


def open_with_pin(page) -> None:
    """The app starts locked after every start; Pyodide's start can take a while on a busy machine."""
    see(page, "Appen er låst", timeout=120000)
    unlock(page)


def wait_offline_ready(page) -> None:
    """The service worker has every file and controls the page: the next start needs no network."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=90000)


STORED_FILES = """async () => {
  const db = await new Promise((ok, fail) => {
    const q = indexedDB.open("/trinvis");
    q.onsuccess = () => ok(q.result);
    q.onerror = fail;
  });
  const rows = await new Promise((ok) => {
    const q = db.transaction("FILE_DATA").objectStore("FILE_DATA").getAll();
    q.onsuccess = () => ok(q.result);
  });
  db.close();
  return rows.filter((r) => r.contents).map((r) => new TextDecoder("latin1").decode(r.contents)).join("");
}"""
"""Every byte the app keeps in the browser's IndexedDB (what a stolen profile would hold)."""


def plan_page_text(page, server, youth_username: str) -> str:
    with server.flask_app.app_context():
        from backend import models
        from backend.extensions import db

        user = db.session.query(models.User).filter_by(username=youth_username).one()
        youth_id = db.session.query(models.Youth).filter_by(user_id=user.id).one().id
        db.session.remove()
    page.goto(server.url + f"/youth/{youth_id}")
    return page.locator("#attendance").inner_text()


def self_checked_in_today(server, youth_username: str) -> bool:
    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    with server.flask_app.app_context():
        from backend import models
        from backend.extensions import db

        user = db.session.query(models.User).filter_by(username=youth_username).one()
        youth = db.session.query(models.Youth).filter_by(user_id=user.id).one()
        rows = db.session.query(models.Attendance).filter_by(youth_id=youth.id, date=today).all()
        db.session.remove()
        return any(r.self_checked_in_at for r in rows)


def test_pwa_works_offline_and_keeps_unsent_changes_across_a_browser_restart(server, playwright, tmp_path, web_build):
    youth_profile, mentor_profile = tmp_path / "youth-profile", tmp_path / "mentor-profile"

    # First visit, online: the young person logs in and the app keeps itself for offline use.
    youth_ctx, youth = open_profile(playwright, youth_profile)
    goto_app(youth, server.url)
    see(youth, "Log ind én gang", timeout=120000)  # the first start loads Pyodide and the app
    login(youth, "ung.mads")
    choose_pin(youth)
    see(youth, "Hej Mads", timeout=60000)
    see(youth, "Alt er sendt", timeout=60000)
    wait_offline_ready(youth)

    mentor_ctx, mentor = open_profile(playwright, mentor_profile)
    goto_app(mentor, server.url)
    see(mentor, "Log ind én gang", timeout=120000)
    login(mentor, "mentor.lise")
    choose_pin(mentor)
    see(mentor, "Mine unge", timeout=60000)
    see(mentor, "Alt er sendt", timeout=60000)
    wait_offline_ready(mentor)

    # Offline: no network and no backend. A reload still opens the app (locked: the PIN opens it).
    server.stop()
    for ctx in (youth_ctx, mentor_ctx):
        ctx.set_offline(True)
    youth.reload()
    ready(youth)
    open_with_pin(youth)
    see(youth, "Hej Mads", timeout=60000)
    tap(youth, "Jeg er her")
    see(youth, "Tak! Du er tjekket ind.")
    see(youth, "1 ændring venter på at blive sendt")
    shot(youth, "pwa_youth_checked_in_offline")

    tap_id(mentor, "open-sara")
    tap_id(mentor, "record-attendance")
    see(mentor, "Hvordan gik det?")
    mentor.get_by_role("radio", name="Meldt fra").first.click()
    type_in(mentor, "attendance-reason", "Tandlæge i browseren")
    tap_id(mentor, "save-attendance")
    see(mentor, "Fremmøde gemt.")
    see(mentor, "1 ændring venter på at blive sendt")
    # Encrypted at rest in the browser too: the stored file is SQLite, its values are not readable.
    stored = mentor.evaluate(STORED_FILES)
    assert stored.startswith("SQLite format 3") and len(stored) > 50_000
    for secret in ("browseren", "Sara", "Mads", "Ahmadi", "Bearer"):
        assert secret not in stored, secret

    # The browser is closed and opened again, still offline: the unsent changes are there.
    youth_ctx.close()
    youth_ctx, youth = open_profile(playwright, youth_profile, offline=True)
    goto_app(youth, server.url)
    open_with_pin(youth)
    see(youth, "1 ændring venter på at blive sendt", timeout=60000)
    assert not self_checked_in_today(server, "ung.mads")

    # A new version is deployed while the mentor's change is unsent. The mentor's app, reopened
    # offline (locked, so it does not sync yet), finds it when back online and offers it.
    mentor.reload()
    ready(mentor)
    see(mentor, "Appen er låst", timeout=120000)
    sw = Path(web_build["dest"]) / "sw.js"
    sw.write_text(sw.read_text(encoding="utf-8") + "\n// a new deploy\n", encoding="utf-8")
    server.start()
    mentor_ctx.set_offline(False)
    update = mentor.get_by_role("button", name="Ny version — genindlæs")
    update.wait_for(timeout=90000)
    shot(mentor, "pwa_new_version")
    update.click()
    ready(mentor)
    open_with_pin(mentor)
    see(mentor, "Mine unge", timeout=60000)

    # Online again: both phones send by themselves, and the coordinator's plan page shows it.
    youth_ctx.set_offline(False)
    see(youth, "Alt er sendt", timeout=60000)
    see(mentor, "Alt er sendt", timeout=60000)
    assert self_checked_in_today(server, "ung.mads")

    coordinator = youth_ctx.new_page()
    coordinator.goto(server.url + "/login")
    coordinator.get_by_label("Brugernavn").fill("tovholder.ahmed")
    coordinator.get_by_label("Adgangskode").fill("demo1234")
    coordinator.get_by_role("button", name="Log ind").click()
    coordinator.wait_for_load_state()
    assert "Tandlæge i browseren" in plan_page_text(coordinator, server, "ung.sara")
    today = coordinator.locator("#attendance td.today")
    plan_page_text(coordinator, server, "ung.mads")
    assert today.locator(".att-present").count() >= 1

    # A second tab of the same app would hold a second copy of the store: it refuses to start.
    second = youth_ctx.new_page()
    goto_app(second, server.url)
    see(second, "allerede åben i en anden fane", timeout=120000)
    second.close()

    lost_phones_wipe_themselves(server, youth, mentor, tmp_path)
    youth_ctx.close()
    mentor_ctx.close()


# ---- lost phones in the browser: remote wipe and five wrong PINs (one more start, both at once) ----

IDB_FILES = """async () => {
  const db = await new Promise((ok, fail) => {
    const q = indexedDB.open("/trinvis");
    q.onsuccess = () => ok(q.result);
    q.onerror = fail;
  });
  const files = {};
  await new Promise((ok) => {
    const q = db.transaction("FILE_DATA").objectStore("FILE_DATA").openCursor();
    q.onsuccess = () => {
      const c = q.result;
      if (!c) return ok();
      if (c.value.contents) files[c.key] = btoa(Array.from(c.value.contents, (b) => String.fromCharCode(b)).join(""));
      c.continue();
    };
  });
  db.close();
  return files;
}"""


def stored_store(page, tmp_path: Path, name: str) -> sqlite3.Connection:
    """The app's SQLite file as IndexedDB holds it (what the browser keeps after closing)."""
    files = {k: base64.b64decode(v) for k, v in page.evaluate(IDB_FILES).items()}
    stores = [data for data in files.values() if data.startswith(b"SQLite format 3")]
    assert len(stores) == 1, sorted(files)
    path = tmp_path / f"{name}.sqlite"
    path.write_bytes(stores[0])
    return sqlite3.connect(path)


def holds_nothing_of_the_user(page, tmp_path: Path, name: str) -> bool:
    db = stored_store(page, tmp_path, name)
    try:
        tables = ("keyring", "draft", "record", "outbox")
        rows = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        meta = [r[0] for r in db.execute("SELECT key FROM meta")]
    finally:
        db.close()
    return not any(rows.values()) and meta == ["device_id"]


def revoke_phones_of(server, username: str) -> None:
    """The coordinator revokes the user's phones through the API (what the web page's button calls)."""
    base = f"{server.url}/api/v1"
    login_body = {"username": "tovholder.ahmed", "password": "demo1234", "device_name": "kontor"}
    h = {"Authorization": f"Bearer {requests.post(f'{base}/auth/login', json=login_body).json()['token']}"}
    with server.flask_app.app_context():
        from backend import models
        from backend.extensions import db

        user_id = db.session.query(models.User).filter_by(username=username).one().id
        db.session.remove()
    tokens = requests.get(f"{base}/auth/tokens", headers=h, params={"user_id": user_id}).json()["tokens"]
    assert tokens
    for t in tokens:
        assert requests.post(f"{base}/auth/tokens/{t['id']}/revoke", headers=h).status_code == 200


def lost_phones_wipe_themselves(server, youth, mentor, tmp_path: Path) -> None:
    """Both apps restart locked (at once, to keep CI short). The young person's phone is reported
    lost: the coordinator revokes it and the locked app, asking `token-status`, wipes itself. Five
    wrong PINs wipe the mentor's. Afterwards IndexedDB holds no key and nothing of either user."""
    t0 = time.perf_counter()
    assert not holds_nothing_of_the_user(youth, tmp_path, "youth-before")
    # The PIN's key came from WebCrypto's PBKDF2 (Chromium has JSPI), with its rounds in the row.
    db = stored_store(youth, tmp_path, "youth-keyring")
    params = json.loads(db.execute("SELECT params FROM keyring").fetchone()[0])
    db.close()
    assert params == {"kdf": "pbkdf2-sha256", "iterations": 2_000_000}
    youth.reload()
    mentor.reload()
    ready(youth)
    ready(mentor)
    see(youth, "Appen er låst", timeout=120000)
    revoke_phones_of(server, "ung.mads")
    see(mentor, "Appen er låst", timeout=120000)
    for left in (4, 3, 2, 1):
        unlock(mentor, "1397")
        see(mentor, f"Du har {left} forsøg tilbage", timeout=30000)
    unlock(mentor, "1397")
    see(mentor, "Forkert pinkode 5 gange", timeout=30000)
    see(youth, "Telefonen er blevet tømt", timeout=60000)
    shot(youth, "pwa_remote_wipe")
    for page, name in ((youth, "youth"), (mentor, "mentor")):
        # The wipe is written back to IndexedDB right after it (the store's after-commit hook).
        for _ in range(40):
            if holds_nothing_of_the_user(page, tmp_path, name):
                break
            page.wait_for_timeout(250)
        else:
            raise AssertionError(f"the {name}'s IndexedDB still holds the store")
    print(f"lost phones in the browser: {time.perf_counter() - t0:.1f} s")
