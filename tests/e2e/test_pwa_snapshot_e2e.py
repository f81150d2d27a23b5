"""The browser build's warm start from a Pyodide memory snapshot (issue 17: warm reload < 3 s).

Real backend, real build, headless Chromium with a persistent profile. The worker writes what it
did into the Cache API ("trinvis-snapshot", entry snapshot/status: which key, started from the
snapshot or normally, and why a snapshot was refused); the test reads it from the page. A first
start is normal and a snapshot follows in the background; the next start restores it and the app
works from it (login, sync); a corrupt snapshot is refused and the app starts normally; a new
version never restores the old version's snapshot and replaces it with its own.

Run on its own: `pytest tests/e2e/test_pwa_snapshot_e2e.py -m e2e`.
"""

from __future__ import annotations

import json
import time

import pytest
from app_fixtures import choose_pin, login, see
from test_pwa_e2e import (  # noqa: F401
    open_profile,
    playwright,
    ready,
    server,
    stored_store,
    wait_offline_ready,
    web_build,
)

pytestmark = pytest.mark.e2e

STATE = """async () => {
  const cache = await caches.open("trinvis-snapshot");
  const hit = await cache.match("snapshot/status");
  const keys = (await cache.keys()).map((r) => r.url.split("/snapshot/")[1]).filter((k) => k !== "status");
  return { status: hit ? await hit.json() : null, stored: keys };
}"""

CORRUPT = """async (key) => {
  const cache = await caches.open("trinvis-snapshot");
  const junk = new Uint8Array(4 << 20);
  crypto.getRandomValues(junk.subarray(0, 65536));
  await cache.put("snapshot/" + key, new Response(junk, { headers: { "x-trinvis-length": String(junk.length) } }));
}"""


def state(page) -> dict:
    return page.evaluate(STATE)


def wait_for_snapshot(page, key: str, timeout: float = 180) -> dict:
    """The background maker has stored this version's snapshot (it starts a few seconds after the app)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = state(page)
        if key in now["stored"]:
            return now
        time.sleep(1)
    raise AssertionError(f"no snapshot for {key}: {now}")


def status_since(page, since: float) -> dict:
    """The state once the worker of a start after `since` (the page's clock) has written its status."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = state(page)
        if now["status"] and now["status"]["startedAt"] >= since:
            return now
        time.sleep(0.5)
    raise AssertionError(f"no status from the new start: {now}")


def reload_to(page, text: str) -> dict:
    since = page.evaluate("Date.now()")
    page.reload()
    ready(page)
    see(page, text, timeout=120000)
    return status_since(page, since)


def test_warm_start_restores_its_snapshot_and_never_another(server, playwright, tmp_path, web_build, monkeypatch):
    key = web_build["snapshot_key"]
    ctx, page = open_profile(playwright, tmp_path / "profile")
    page.goto(server.url + "/app/?sync=3")
    ready(page)
    see(page, "Log ind én gang", timeout=120000)
    first = state(page)
    assert first["status"]["key"] == key and first["status"]["start"] == "normal"
    wait_offline_ready(page)
    wait_for_snapshot(page, key)

    # The next start restores the snapshot, and the app works from it: login, PIN, the first sync
    # (requests is imported then, from the app's files written after the restore).
    warm = reload_to(page, "Log ind én gang")
    assert warm["status"] == {**warm["status"], "key": key, "start": "snapshot"} and "rejected" not in warm["status"]
    login(page, "ung.mads")
    choose_pin(page)
    see(page, "Hej Mads", timeout=60000)
    see(page, "Alt er sendt", timeout=60000)
    # The PIN's key came from WebCrypto through JSPI in the restored Python too (not the loop).
    db = stored_store(page, tmp_path, "snapshot-keyring")
    params = json.loads(db.execute("SELECT params FROM keyring").fetchone()[0])
    db.close()
    assert params == {"kdf": "pbkdf2-sha256", "iterations": 2_000_000}

    # A corrupt snapshot is refused and deleted; the app starts normally and makes a new one.
    page.evaluate(CORRUPT, key)
    refused = reload_to(page, "Appen er låst")
    assert refused["status"]["start"] == "normal" and refused["status"]["rejected"]
    wait_for_snapshot(page, key)

    # A new version (another app archive) is deployed: it never restores the old snapshot.
    from mobile_app import web_build as builder

    monkeypatch.setattr(builder, "ENTRY", builder.ENTRY + "# a new version\n")
    new = builder.build(tmp_path / "new")
    assert new["snapshot_key"] != key
    server.flask_app.config["WEB_APP_DIR"] = new["dest"]
    reload_to(page, "Appen er låst")  # still the old version, from the service worker
    update = page.get_by_role("button", name="Ny version — genindlæs")
    update.wait_for(timeout=90000)
    since = page.evaluate("Date.now()")
    update.click()
    ready(page)
    see(page, "Appen er låst", timeout=120000)
    after = status_since(page, since)
    assert after["status"]["key"] == new["snapshot_key"] and after["status"]["start"] == "normal"
    done = wait_for_snapshot(page, new["snapshot_key"])
    assert done["stored"] == [new["snapshot_key"]]  # the old version's snapshot is gone
    ctx.close()
