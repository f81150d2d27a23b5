"""Benchmark of the phone app in the browser (issue 17): the static build at /app/, Python in Pyodide.

    python bench/pwa_bench.py [--pull 15000] [--saves 200] [--reloads 3]

Real backend (demo seeded) on a local port, the real build, headless Chromium with a profile:
1. First load: bytes the page fetched and the time until the login screen shows; the size of the
   whole offline copy the service worker keeps.
2. Warm reload to interactive (service worker, browser caches): reload until the lock screen's
   PIN field shows, after a login.
3. In the browser's Pyodide, the app's own store on IndexedDB (the same code and adapters the app
   uses, AES-256-GCM by @noble/ciphers): a 15,000-record first pull applied page by page (pages
   shaped like the server's, made beforehand, as in bench/app_bench.py: the figure is the device's
   own work), local saves (record + outbox, sealed; p50/p95) and the time until the last save is
   in IndexedDB, and one PIN key derivation (WebCrypto PBKDF2 through JSPI, what an unlock costs).
Targets: warm reload to interactive < 3 s, save p95 < 50 ms, 15,000-record first pull < 10 s.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "mobile_app"), str(ROOT / "tests" / "e2e"), str(ROOT / "bench")]

from app_bench import synthetic_pages  # noqa: E402
from app_fixtures import CHROMIUM_ARGS, choose_pin, login, see  # noqa: E402
from app_server import LiveServer, build_app  # noqa: E402

from mobile_app.browser import webcrypto  # noqa: E402
from mobile_app.web_build import build  # noqa: E402

CORE_BENCH = """
import asyncio, json, sys, time, uuid
from pyodide.http import pyfetch
import pyodide_js

resp = await pyfetch("/app/app.tar.gz")
await resp.unpack_archive(extract_dir="/bench", format="gztar")
sys.path[:0] = ["/bench/app.zip"]
from mobile_app.core import sealed_file
from mobile_app.browser import webcrypto
from mobile_app.browser.persist import IdbPersistence
from mobile_app.core.store import Store
from mobile_app.core.vault import new_data_key

sealed_file.JOURNAL_MODE = "DELETE"
persistence = IdbPersistence(pyodide_js.FS, "/benchdata")
await persistence.mount()

async def settled():
    t0 = time.perf_counter()
    while persistence.running:
        await asyncio.sleep(0.005)
    return time.perf_counter() - t0

store = Store("/benchdata/bench.sqlite", key=new_data_key())
pages = json.loads(PAGES)
t0 = time.perf_counter()
for page in pages:
    store.apply_pull_page(page["changes"], page["revoked_youth_ids"], page["cursor"])
    await asyncio.sleep(0)  # the app's event loop runs between pages (and so do the write-backs)
pull_s = time.perf_counter() - t0
pull_persisted_s = pull_s + await settled()
count = store.count()

youth = pages[0]["changes"][0]["data"]["youth_id"]
times = []
for i in range(SAVES):
    t = time.perf_counter()
    store.save("outreach", str(uuid.uuid4()), youth, {"method": "call", "reached": True, "note": f"Opkald {i}"}, True)
    times.append((time.perf_counter() - t) * 1000)
    await asyncio.sleep(0)
persisted_after_last_save_ms = (await settled()) * 1000
async def derive():  # as at unlock: inside an asyncio task, WebCrypto waited for through JSPI
    t = time.perf_counter()
    webcrypto.pbkdf2_sha256(b"2580", b"s" * 16, webcrypto.ITERATIONS, 32)
    return time.perf_counter() - t, webcrypto.can_wait()
kdf_s, kdf_webcrypto = await asyncio.create_task(derive())
RESULT = json.dumps({"aead": type(store.cipher._aead).__module__ + "." + type(store.cipher._aead).__name__,
                     "pull_s": pull_s, "pull_persisted_s": pull_persisted_s, "count": count, "saves": times,
                     "persisted_after_last_save_ms": persisted_after_last_save_ms, "kdf_s": kdf_s,
                     "kdf_webcrypto": kdf_webcrypto,
                     "writes": persistence.synced, "errors": persistence.errors})
"""

RUN_PYODIDE = """async ([code]) => {
  // As the build's python-worker.js does before Pyodide: AES-GCM for the vault (browser/gcm.py).
  globalThis.trinvisGcm = (await import("/app/vendor/noble-ciphers/aes.js")).gcm;
  const { loadPyodide } = await import("/app/pyodide/pyodide.mjs");
  const py = await loadPyodide({ indexURL: "/app/pyodide/" });
  await py.runPythonAsync(code);
  return py.globals.get("RESULT");
}"""


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def ui_bench(pw, server: LiveServer, profile: Path, reloads: int) -> dict:
    ctx = pw.chromium.launch_persistent_context(
        str(profile), executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, viewport={"width": 412, "height": 915}
    )
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    fetched: list[int] = []
    page.on("requestfinished", lambda r: fetched.append(max(0, r.sizes()["responseBodySize"])))

    def interactive(text: str) -> None:
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=120000)
        page.evaluate("document.querySelector('flt-semantics-placeholder').click()")
        see(page, text, timeout=120000)

    t0 = time.perf_counter()
    page.goto(server.url + "/app/")
    interactive("Log ind én gang")
    first = time.perf_counter() - t0
    first_bytes = sum(fetched)
    login(page, "ung.mads")
    choose_pin(page)
    see(page, "Alt er sendt", timeout=120000)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120000)
    warm = []
    for _ in range(reloads):
        fetched.clear()
        t0 = time.perf_counter()
        page.reload()
        interactive("Appen er låst")
        warm.append(time.perf_counter() - t0)
    ctx.close()
    return {"first_s": first, "first_bytes": first_bytes, "warm": warm}


def core_bench(pw, server: LiveServer, pull: int, saves: int) -> dict:
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    page = browser.new_page()
    page.goto(server.url + "/app/trinvis-version.json")
    code = CORE_BENCH.replace("PAGES", repr(json.dumps(synthetic_pages(pull)))).replace("SAVES", str(saves))
    result = json.loads(page.evaluate(RUN_PYODIDE, [code]))
    browser.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pull", type=int, default=15000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--reloads", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        t0 = time.perf_counter()
        summary = build(tmp / "web")
        print(f"build: {summary['bytes'] / 1e6:.1f} MB offline copy in {time.perf_counter() - t0:.1f} s")
        app = build_app(f"sqlite:///{tmp}/server.sqlite")
        app.config["WEB_APP_DIR"] = summary["dest"]
        server = LiveServer(app).start()
        try:
            with sync_playwright() as pw:
                ui = ui_bench(pw, server, tmp / "profile", args.reloads)
                core = core_bench(pw, server, args.pull, args.saves)
        finally:
            server.stop()
    print(
        f"first load: {ui['first_bytes'] / 1e6:.1f} MB fetched by the page, login screen after {ui['first_s']:.1f} s "
        f"(the service worker keeps the whole {summary['bytes'] / 1e6:.1f} MB for offline)"
    )
    print(
        f"warm reload to interactive: median {statistics.median(ui['warm']):.2f} s, max {max(ui['warm']):.2f} s "
        f"over {len(ui['warm'])} reloads  (target < 3 s)"
    )
    print(f"values sealed with: {core['aead']}")
    print(
        f"first pull in the browser: {core['count']} records applied in {core['pull_s']:.2f} s "
        f"({core['pull_persisted_s']:.2f} s until in IndexedDB)  (target: 15,000 in < 10 s)"
    )
    s = core["saves"]
    print(
        f"local saves in the browser: {len(s)} saves, p50 {statistics.median(s):.2f} ms, p95 {pct(s, 95):.2f} ms, "
        f"max {max(s):.2f} ms; last one in IndexedDB {core['persisted_after_last_save_ms']:.0f} ms later  "
        f"(target p95 < 50 ms)"
    )
    how = "WebCrypto through JSPI" if core["kdf_webcrypto"] else "the Python loop: no JSPI here"
    print(
        f"PIN key derivation in the browser (PBKDF2-SHA256, {webcrypto.ITERATIONS:,} rounds, {how}): "
        f"{core['kdf_s']:.2f} s; IndexedDB write-backs {core['writes']}"
    )
    if core["errors"]:
        print(f"IndexedDB errors: {core['errors']}")


if __name__ == "__main__":
    main()
