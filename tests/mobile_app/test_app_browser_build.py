"""The browser build's parts that run without a browser: its crypto, persistence schedule, the
off-UI runner, the reproducible static build and the backend's /app/ route (issue 17).
The browser itself is in tests/e2e/test_pwa_e2e.py."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import types
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mobile_app.browser import aead, webcrypto
from mobile_app.browser.aead import Blake2bAead
from mobile_app.core import lock as lock_module
from mobile_app.core import sealed_file, vault
from mobile_app.core.errors import ValidationFailed
from mobile_app.core.lock import PinLock, WrongPin
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


NOBLE = Path(__file__).resolve().parents[2] / "mobile_app" / "browser" / "vendor" / "noble-ciphers"
GCM_VECTORS = [  # key, nonce, plaintext, associated data (None: no AAD)
    (bytes(range(32)), bytes(range(12)), b"", b"trinvis|data-key"),
    (b"\xff" * 32, b"\x00" * 12, "Tjekket ind kl. 9:05 – ærligt".encode() * 7, b"record|attendance|1"),
    (hashlib.sha256(b"k").digest(), hashlib.sha256(b"n").digest()[:12], os.urandom(1000), None),
    (os.urandom(32), os.urandom(12), os.urandom(17), os.urandom(40)),
]


@pytest.mark.skipif(not shutil.which("node"), reason="needs Node (as the web build's bytecode step)")
def test_vendored_noble_aes_gcm_gives_cryptographys_bytes(tmp_path):
    """The browser's sealed values are the phone's: noble's AES-256-GCM (run in Node) == AESGCM."""
    script = tmp_path / "gcm.mjs"
    script.write_text(
        "import fs from 'node:fs';\n"
        f"const {{ gcm }} = await import({json.dumps((NOBLE / 'aes.js').as_uri())});\n"
        "const h = (s) => Uint8Array.from(Buffer.from(s, 'hex'));\n"
        "const out = JSON.parse(fs.readFileSync(0, 'utf8')).map(([k, n, p, a]) => {\n"
        "  const sealed = gcm(h(k), h(n), a === null ? undefined : h(a)).encrypt(h(p));\n"
        "  const back = gcm(h(k), h(n), a === null ? undefined : h(a)).decrypt(sealed);\n"
        "  let refused = false; const bad = sealed.slice(); bad[0] ^= 1;\n"
        "  try { gcm(h(k), h(n), a === null ? undefined : h(a)).decrypt(bad); } catch (e) { refused = String(e); }\n"
        "  return [Buffer.from(sealed).toString('hex'), Buffer.from(back).toString('hex'), refused];\n"
        "});\n"
        "console.log(JSON.stringify(out));\n"
    )
    vectors = [[k.hex(), n.hex(), p.hex(), a.hex() if a is not None else None] for k, n, p, a in GCM_VECTORS]
    run = subprocess.run(["node", str(script)], input=json.dumps(vectors), capture_output=True, text=True, check=True)
    for (key, nonce, plain, aad), (sealed, back, refused) in zip(GCM_VECTORS, json.loads(run.stdout), strict=True):
        assert sealed == AESGCM(key).encrypt(nonce, plain, aad).hex()
        assert back == plain.hex() and "invalid tag" in refused  # what gcm.AesGcm maps to InvalidTag


class FakeTypedArray:
    """A Uint8Array as Pyodide hands it to Python (to_bytes copies it out)."""

    def __init__(self, data: bytes):
        self.data = bytes(data)

    def to_bytes(self) -> bytes:
        return self.data


class FakeJsException(Exception):
    pass


def fake_noble(key, nonce, aad):
    """The worker's `self.trinvisGcm` at the bridge's edge (the real one is checked against
    AESGCM above and runs in tests/e2e/test_pwa_e2e.py): the same bytes, noble's error."""
    for arg in (key, nonce) + ((aad,) if aad is not None else ()):
        assert isinstance(arg, FakeTypedArray)  # bytes are converted, never passed as PyProxy
    box, ad = AESGCM(key.data), aad.data if aad is not None else None

    def decrypt(data):
        try:
            return FakeTypedArray(box.decrypt(nonce.data, data.data, ad))
        except Exception:
            raise FakeJsException("Error: aes-gcm: invalid tag") from None

    return types.SimpleNamespace(encrypt=lambda d: FakeTypedArray(box.encrypt(nonce.data, d.data, ad)), decrypt=decrypt)


@pytest.fixture
def browser_bridge(monkeypatch):
    return _bridge(monkeypatch)


def _bridge(monkeypatch):
    """`js` and `pyodide.ffi` as in the Python worker after the build's patch (self.trinvisGcm)."""
    js = types.ModuleType("js")
    js.trinvisGcm = fake_noble
    js.WebAssembly = types.SimpleNamespace()  # without JSPI: the PBKDF2 loop, as before
    ffi = types.ModuleType("pyodide.ffi")
    ffi.to_js, ffi.JsException = FakeTypedArray, FakeJsException
    monkeypatch.setitem(sys.modules, "js", js)
    monkeypatch.setitem(sys.modules, "pyodide", types.ModuleType("pyodide"))
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)
    return js


def test_browser_gcm_is_aes_gcm_and_refuses_tampering(browser_bridge):
    from mobile_app.browser.gcm import AesGcm, InvalidTag

    key, nonce = os.urandom(32), os.urandom(12)
    box = AesGcm(key)
    sealed = box.encrypt(nonce, b"fravaer i dag", b"outbox|m1")
    assert sealed == AESGCM(key).encrypt(nonce, b"fravaer i dag", b"outbox|m1")
    assert box.decrypt(nonce, sealed, b"outbox|m1") == b"fravaer i dag"
    assert box.decrypt(nonce, box.encrypt(nonce, b"x", None), None) == b"x"
    for bad in (
        (nonce, sealed, b"outbox|m2"),
        (nonce, sealed[:-1] + bytes([sealed[-1] ^ 1]), b"outbox|m1"),
        (nonce, b"short", None),
    ):
        with pytest.raises(InvalidTag):
            box.decrypt(*bad)
    with pytest.raises(InvalidTag):
        AesGcm(os.urandom(32)).decrypt(nonce, sealed, b"outbox|m1")
    del browser_bridge.trinvisGcm
    with pytest.raises(RuntimeError, match="not loaded"):
        AesGcm(key)


def test_browser_kdf_loop_is_pbkdf2_sha256():
    """The Python loop (browsers without JSPI) is the same PBKDF2 as WebCrypto's and hashlib's."""
    for pw, salt, n in ((b"2580", b"s" * 16, 1000), (b"x" * 100, b"salt", 3)):
        assert aead.pbkdf2_sha256(pw, salt, n, 32) == hashlib.pbkdf2_hmac("sha256", pw, salt, n, 32)
    # What Chromium's WebCrypto derived for (2580, s*16, 1000 rounds) in Pyodide (docs/app.md).
    webcrypto_1000 = "79d6d98d3a19c3918ad3bf91d73f7032b68632a5a698f685a2fec084c2848a20"
    assert aead.pbkdf2_sha256(b"2580", b"s" * 16, 1000, 32).hex() == webcrypto_1000


def test_outside_pyodide_webcrypto_falls_back_to_the_loop():
    assert not webcrypto.can_wait() and not webcrypto.jspi_available()
    assert webcrypto.default_iterations() == webcrypto.LOOP_ITERATIONS
    assert webcrypto.pbkdf2_sha256(b"2580", b"salt", 50, 32) == hashlib.pbkdf2_hmac("sha256", b"2580", b"salt", 50)


def _browser_primitives(monkeypatch, iterations: int = 1000) -> None:
    from mobile_app.browser.gcm import AesGcm

    _bridge(monkeypatch)
    monkeypatch.setattr(vault, "Aead", AesGcm)
    monkeypatch.setattr(vault, "PinKdf", webcrypto.LegacyPinKdf)
    monkeypatch.setattr(vault, "InvalidTag", aead.InvalidTag)
    monkeypatch.setattr(vault, "pbkdf2_sha256", webcrypto.pbkdf2_sha256)
    monkeypatch.setattr(vault, "IN_BROWSER", True)
    monkeypatch.setattr(webcrypto, "LOOP_ITERATIONS", iterations)
    monkeypatch.setattr(webcrypto, "LEGACY_ITERATIONS", 700)


def test_the_store_keeps_its_rules_with_the_browser_primitives(tmp_path, monkeypatch):
    """The same store (sealed values, wrapped key, wrong PIN) on the browser's AEAD and KDF."""
    _browser_primitives(monkeypatch)
    assert vault.default_kdf() == vault.KdfParams(kdf=vault.PBKDF2, iterations=1000)
    key = vault.new_data_key()
    row = vault.wrap_key(key, "2580", vault.default_kdf())
    assert json.loads(row["params"]) == {"kdf": "pbkdf2-sha256", "iterations": 1000}
    assert vault.unwrap_key(row, "2580") == key
    with pytest.raises(vault.WrongKey):
        vault.unwrap_key(row, "1397")
    store = Store(tmp_path / "s.sqlite", key=key)
    store.save("outreach", "o1", "y1", {"note": "Ringede til Mads"}, create=True)
    assert store.get("outreach", "o1")["note"] == "Ringede til Mads"
    raw = store._q("SELECT data FROM record")[0]["data"]
    assert b"Mads" not in raw
    store.close()


def test_a_store_of_the_previous_browser_build_opens_and_its_pin_is_rewrapped(tmp_path, monkeypatch):
    """The earlier builds sealed values with the BLAKE2b construction and wrapped the key with it
    (PBKDF2, LEGACY_ITERATIONS rounds, labelled "scrypt"): its PIN still opens it, the unsent
    change is there, the key is re-wrapped (AES-GCM, today's PBKDF2) on that unlock, and what is
    written now is standard AES-GCM."""
    _browser_primitives(monkeypatch)
    gcm = vault.Aead
    monkeypatch.setattr(vault, "Aead", Blake2bAead)  # the earlier build
    key = vault.new_data_key()
    store = Store(tmp_path / "old.sqlite", key=key)
    store.save("outreach", "o1", "y1", {"note": "Ikke sendt endnu"}, create=True)
    store.set_meta("profile", {"name": "Mads"})
    old_wrap = Blake2bAead(hashlib.pbkdf2_hmac("sha256", b"2580", b"s" * 16, 700, 32))
    store.set_keyring(
        {
            "salt": b"s" * 16,
            "nonce": b"n" * 12,
            "wrapped": old_wrap.encrypt(b"n" * 12, key, vault.WRAP_AAD),
            "params": json.dumps({"kdf": "scrypt", "n": 2**16, "r": 8, "p": 1}),
        }
    )
    store.close()
    monkeypatch.setattr(vault, "Aead", gcm)  # this build
    store = Store(tmp_path / "old.sqlite")
    pin_lock = PinLock(store)
    with pytest.raises(WrongPin):
        pin_lock.unlock("1397", wipe=lambda: None)
    assert store.get_keyring()["params"] == json.dumps({"kdf": "scrypt", "n": 2**16, "r": 8, "p": 1})
    assert pin_lock.unlock("2580", wipe=lambda: None) == key
    row = store.get_keyring()
    assert json.loads(row["params"]) == {"kdf": "pbkdf2-sha256", "iterations": 1000} and row["failed"] == 0
    assert row["salt"] != b"s" * 16
    pin_key = hashlib.pbkdf2_hmac("sha256", b"2580", row["salt"], 1000, 32)
    assert AESGCM(pin_key).decrypt(row["nonce"], row["wrapped"], vault.WRAP_AAD) == key  # AES-GCM now
    store.unlock(pin_lock.unlock("2580", wipe=lambda: None))
    assert store.pending_count() == 1 and store.get("outreach", "o1")["note"] == "Ikke sendt endnu"
    assert store.get_meta("profile") == {"name": "Mads"}
    store.save("outreach", "o1", "y1", {"note": "Sendt i morgen"}, create=False)
    blob = store._q("SELECT data FROM record WHERE id = 'o1'")[0]["data"]
    seal_key = hmac.new(key, b"trinvis|seal", hashlib.sha256).digest()
    plain = AESGCM(seal_key).decrypt(blob[1:13], blob[13:], b"record|outreach|o1")  # the phone's format
    assert json.loads(plain)["note"] == "Sendt i morgen"
    store.close()


def test_a_phone_wiped_while_its_pin_is_checked_gives_no_key(tmp_path, monkeypatch):
    """The PIN check is slow and the sync loop runs beside it (a thread natively; in the browser,
    WebCrypto's wait lets other tasks run): a remote wipe meanwhile must not be undone by a re-wrap."""
    _browser_primitives(monkeypatch)
    key = vault.new_data_key()
    store = Store(tmp_path / "s.sqlite", key=key)
    store.set_keyring(vault.wrap_key(key, "2580", vault.KdfParams(kdf=vault.PBKDF2, iterations=500)))
    store.lock()
    real = lock_module.unwrap_key

    def wiped_meanwhile(row, pin):
        opened = real(row, pin)
        store.wipe()  # the locked app asked token-status: revoked
        return opened

    monkeypatch.setattr(lock_module, "unwrap_key", wiped_meanwhile)
    with pytest.raises(ValidationFailed, match="ingen pinkode"):
        PinLock(store).unlock("2580", wipe=lambda: None)
    assert store.get_keyring() is None
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
    # AES-GCM for Python: the vendored files, cached offline, loaded once by the worker before Pyodide.
    for name in ("aes.js", "_polyval.js", "utils.js", "LICENSE"):
        assert (NOBLE / name).read_bytes() == Path(f"{a}/vendor/noble-ciphers/{name}").read_bytes()
        assert name == "LICENSE" or f'"vendor/noble-ciphers/{name}"' in sw
    worker = Path(f"{a}/python-worker.js").read_text(encoding="utf-8")
    assert worker.count('await import("./vendor/noble-ciphers/aes.js")') == 1
    assert worker.index("self.trinvisGcm =") < worker.index("await import(self.pyodideUrl)")


def test_the_worker_patch_is_one_marked_idempotent_insertion(tmp_path):
    from flet_web import get_package_web_dir

    from mobile_app.web_build import GCM_MARK, _patch_worker_gcm

    original = Path(get_package_web_dir(), "python-worker.js").read_text(encoding="utf-8")
    worker = tmp_path / "python-worker.js"
    worker.write_text(original, encoding="utf-8")
    _patch_worker_gcm(worker)
    once = worker.read_text(encoding="utf-8")
    _patch_worker_gcm(worker)
    assert worker.read_text(encoding="utf-8") == once and once.count(GCM_MARK) == 1
    added = [line for line in once.splitlines() if line not in original.splitlines()]
    assert len(added) == 3 and GCM_MARK in added[0]  # nothing else of flet-web's file changed
    assert len(once.splitlines()) == len(original.splitlines()) + 3
    worker.write_text("self.onmessage = () => {};", encoding="utf-8")
    with pytest.raises(SystemExit, match="initPyodide"):
        _patch_worker_gcm(worker)


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
