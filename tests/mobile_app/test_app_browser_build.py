"""The browser build's parts that run without a browser: its crypto, persistence schedule, the
off-UI runner, the reproducible static build and the backend's /app/ route (issue 17).
The browser itself is in tests/e2e/test_pwa_e2e.py."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import shutil
import sys
import tarfile
import threading
import types
import zipfile

import pytest

from mobile_app.browser import aead
from mobile_app.core import sealed_file, vault
from mobile_app.core.store import Store


def test_browser_aead_round_trips_and_refuses_tampering():
    box = aead.Blake2bAead(os.urandom(32))
    nonce = os.urandom(12)
    plain = "Tjekket ind kl. 9:05 – ærligt".encode() * 20
    sealed = box.encrypt(nonce, plain, b"record|attendance|1")
    assert plain not in sealed and len(sealed) == len(plain) + aead.TAG_BYTES
    assert box.decrypt(nonce, sealed, b"record|attendance|1") == plain
    with pytest.raises(aead.InvalidTag):
        box.decrypt(nonce, sealed, b"record|attendance|2")  # moved to another row
    flipped = bytes([sealed[0] ^ 1]) + sealed[1:]
    with pytest.raises(aead.InvalidTag):
        box.decrypt(nonce, flipped, b"record|attendance|1")
    with pytest.raises(aead.InvalidTag):
        aead.Blake2bAead(os.urandom(32)).decrypt(nonce, sealed, b"record|attendance|1")


def test_browser_kdf_is_pbkdf2_sha256():
    for pw, salt, n in ((b"2580", b"s" * 16, 1000), (b"x" * 100, b"salt", 3)):
        assert aead.pbkdf2_sha256(pw, salt, n, 32) == hashlib.pbkdf2_hmac("sha256", pw, salt, n, 32)


def test_the_store_keeps_its_rules_with_the_browser_primitives(tmp_path, monkeypatch):
    """The same store (sealed values, wrapped key, wrong PIN) on the browser's AEAD and KDF."""
    monkeypatch.setattr(vault, "Aead", aead.Blake2bAead)
    monkeypatch.setattr(vault, "PinKdf", aead.Pbkdf2Kdf)
    monkeypatch.setattr(vault, "InvalidTag", aead.InvalidTag)
    monkeypatch.setattr(aead, "ITERATIONS", 1000)
    key = vault.new_data_key()
    row = vault.wrap_key(key, "2580", vault.KdfParams(n=2))
    assert vault.unwrap_key(row, "2580") == key
    with pytest.raises(vault.WrongKey):
        vault.unwrap_key(row, "1397")
    store = Store(tmp_path / "s.sqlite", key=key)
    store.save("outreach", "o1", "y1", {"note": "Ringede til Mads"}, create=True)
    assert store.get("outreach", "o1")["note"] == "Ringede til Mads"
    raw = store._q("SELECT data FROM record")[0]["data"]
    assert b"Mads" not in raw
    store.close()


def test_every_commit_calls_the_after_commit_hooks(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(sealed_file, "AFTER_COMMIT", [lambda: calls.append(1)])
    store = Store(tmp_path / "s.sqlite", key=vault.new_data_key())
    before = len(calls)
    store.save("outreach", "o1", "y1", {"note": "x"}, create=True)
    assert len(calls) == before + 1
    with pytest.raises(RuntimeError), store.tx():
        raise RuntimeError("rolled back")
    assert len(calls) == before + 1  # a rollback persists nothing
    store.wipe()
    assert len(calls) > before + 1
    store.close()


class FakeFS:
    """Emscripten's FS.syncfs at the edge: completes when the test says so."""

    def __init__(self):
        self.calls: list[bool] = []
        self.pending: list = []

    def syncfs(self, populate, callback):
        self.calls.append(populate)
        self.pending.append(callback)


def test_persistence_coalesces_a_burst_of_commits(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyodide", types.ModuleType("pyodide"))
    ffi = types.ModuleType("pyodide.ffi")
    ffi.create_once_callable = lambda f: f
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)
    from mobile_app.browser.persist import IdbPersistence

    async def scenario():
        fs = FakeFS()
        p = IdbPersistence(fs)
        for _ in range(5):
            p.schedule()
        await asyncio.sleep(0)
        assert fs.calls == [False]  # one write, started after all five commits: it holds them all
        p.schedule()
        p.schedule()  # two commits while it runs: one more write afterwards
        fs.pending.pop(0)()
        for _ in range(3):
            await asyncio.sleep(0)
        assert fs.calls == [False, False]
        fs.pending.pop(0)()
        for _ in range(3):
            await asyncio.sleep(0)
        assert not p.running and p.synced == 2 and not p.errors

    asyncio.run(scenario())


def test_off_ui_uses_a_thread_natively_and_calls_directly_in_the_browser(monkeypatch):
    from mobile_app.ui import runner

    main = threading.get_ident()
    assert asyncio.run(runner.off_ui(threading.get_ident)) != main
    monkeypatch.setattr(runner, "IN_BROWSER", True)
    assert asyncio.run(runner.off_ui(threading.get_ident)) == main


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from mobile_app.web_build import build

    root = tmp_path_factory.mktemp("web")
    return build(root / "a"), build(root / "b")


def test_the_web_build_is_reproducible_and_self_contained(built):
    a, b = (os.fspath(s["dest"]) for s in built)
    assert built[0]["version"] == built[1]["version"]
    for name in ("app.tar.gz", "sw.js", "index.html"):
        with open(f"{a}/{name}", "rb") as fa, open(f"{b}/{name}", "rb") as fb:
            assert fa.read() == fb.read(), name
    tar = tarfile.open(f"{a}/app.tar.gz")
    assert "main.py" in tar.getnames() and "requirements.txt" not in tar.getnames()  # nothing from PyPI
    assert "__pypackages__/msgpack/fallback.py" in tar.getnames()  # the worker needs it before main.py
    names = zipfile.ZipFile(io.BytesIO(tar.extractfile("app.zip").read())).namelist()
    assert "mobile_app/browser/entry.py" in names and "shared/enums.py" in names
    for pkg in ("flet/__init__.py", "msgpack/fallback.py", "requests/__init__.py", "tzdata/zoneinfo/Europe/Copenhagen"):
        assert pkg in names
    if shutil.which("node"):
        assert "mobile_app/core/store.pyc" in names and "flet/__init__.pyc" in names  # bytecode for Pyodide
    assert not [n for n in names if n.endswith(".so") or "cryptography" in n or "geodata" in n]
    index = open(f"{a}/index.html", encoding="utf-8").read()
    assert '<base href="/app/">' in index and '"./pyodide/pyodide.mjs"' in index and 'register("sw.js")' in index
    assert 'serviceWorkerVersion: "' not in open(f"{a}/flutter_bootstrap.js", encoding="utf-8").read()
    sw = open(f"{a}/sw.js", encoding="utf-8").read()
    assert built[0]["version"] in sw and '"app.tar.gz"' in sw and '"pyodide/pyodide.asm.wasm"' in sw


def test_the_build_ships_its_snapshot_worker_keyed_to_the_build(built, tmp_path, monkeypatch):
    """Our Python worker (Pyodide memory snapshot) replaces flet-web's; its key follows the build."""
    from mobile_app import web_build

    a = built[0]
    key = a["snapshot_key"]
    assert len(key) == 24 and key == built[1]["snapshot_key"]  # same input, same key
    worker = open(f"{a['dest']}/python-worker.js", encoding="utf-8").read()
    assert f'const SNAPSHOT_KEY = "{key}";' in worker and "__SNAPSHOT_KEY__" not in worker
    assert "makeMemorySnapshot" in worker and "_loadSnapshot" in worker
    tar = tarfile.open(f"{a['dest']}/app.tar.gz")
    names = zipfile.ZipFile(io.BytesIO(tar.extractfile("app.zip").read())).namelist()
    assert "mobile_app/browser/preload.py" in names
    # Another version of the app (one changed byte in its archive) gets another key.
    monkeypatch.setattr(web_build, "ENTRY", web_build.ENTRY + "# another version\n")
    other = web_build.build(tmp_path / "other")
    assert other["snapshot_key"] != key and other["version"] != a["version"]
    # flet-web's own worker changed (an upgrade): the build stops instead of shipping ours blindly.
    monkeypatch.setattr(web_build, "FLET_WORKER_SHA256", "0" * 64)
    with pytest.raises(RuntimeError, match="python-worker.js changed"):
        web_build.build(tmp_path / "third")


def test_what_the_snapshot_imports_touches_no_javascript_and_no_data(tmp_path):
    """The snapshot maker imports mobile_app.browser.preload in a Python that never ran the app:
    importing it must not need the page (js, flet_js) nor create or read the data directory."""
    import subprocess

    data = tmp_path / "data"
    code = (
        "import sys, mobile_app.browser.preload as p; "
        "print(sorted(m for m in ('js', 'flet_js', 'pyodide', 'requests') if m in sys.modules), p.SNAPSHOT_KEY)"
    )
    env = {**os.environ, "TRINVIS_DATA_DIR": str(data), "PYTHONPATH": os.getcwd()}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]" and not data.exists()


def test_the_backend_serves_the_app_at_app(app, built):
    app.config["WEB_APP_DIR"] = built[0]["dest"]
    client = app.test_client()
    index = client.get("/app/")
    assert index.status_code == 200 and b"Trinvis" in index.data
    assert index.headers["Cache-Control"] == "no-cache"
    assert "'wasm-unsafe-eval'" in index.headers["Content-Security-Policy"]
    again = client.get("/app/", headers={"If-None-Match": index.headers["ETag"]})
    assert again.status_code == 304
    sw = client.get("/app/sw.js")
    assert sw.status_code == 200 and sw.mimetype == "text/javascript" and sw.headers["Cache-Control"] == "no-cache"
    assert client.get("/app/pyodide/pyodide.mjs").mimetype == "text/javascript"
    assert client.get("/app/../backend/config.py").status_code == 404
    assert client.get("/app/nope.js").status_code == 404
    # The caseworker pages keep their own rules.
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_the_backend_says_so_when_the_app_is_not_built(app, tmp_path):
    app.config["WEB_APP_DIR"] = str(tmp_path)
    resp = app.test_client().get("/app/")
    assert resp.status_code == 404 and b"ikke bygget" in resp.data
