"""The PIN's key in the browser: PBKDF2-HMAC-SHA256 by the browser's WebCrypto, through JSPI.

WebCrypto is asynchronous; the vault derives the PIN key synchronously (once per unlock or PIN
choice, inside the app's event handlers, which Pyodide runs as asyncio tasks). Pyodide's JSPI
bridge (`pyodide.ffi.run_sync`) lets such a call wait for a Promise, so the derivation runs in
the browser's own code at its speed: ITERATIONS rounds in ~0.35 s here instead of ~1 s for a
tenth of them in the Python loop. Where JSPI is not there (a browser without WebAssembly JS
Promise Integration, or a call from a JavaScript frame) the same PBKDF2 runs as the Python loop
(`aead.pbkdf2_sha256`), and a PIN chosen there gets LOOP_ITERATIONS so unlocking stays ~1 s.

Nothing here touches `js` at import time (the app's start-up snapshot must hold no JS object).
"""

from __future__ import annotations

from mobile_app.browser import aead

ITERATIONS = 2_000_000
"""WebCrypto PBKDF2-SHA256 rounds for a new PIN: 0.35 s in Chromium on this machine, about 1 s
on a phone three times slower; OWASP asks for at least 600,000."""
LOOP_ITERATIONS = aead.ITERATIONS
"""Rounds for a PIN chosen where WebCrypto cannot be waited for (the Python loop, ~1 s)."""
LEGACY_ITERATIONS = 200_000
"""What the browser build before WebCrypto used under the label "scrypt" (its keyring rows)."""


def can_wait() -> bool:
    """True when this call can wait for a WebCrypto Promise (JSPI, entered from an asyncio task)."""
    try:
        from pyodide.ffi import can_run_sync
    except ImportError:  # not in Pyodide
        return False
    return bool(can_run_sync())


def jspi_available() -> bool:
    """The browser has JS Promise Integration (Chromium 137+); checked at run time, not import."""
    try:
        import js
    except ImportError:
        return False
    return hasattr(js.WebAssembly, "Suspending")


def pbkdf2_sha256(password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
    """RFC 8018 PBKDF2-HMAC-SHA256: WebCrypto where it can be waited for, else the Python loop."""
    if not can_wait():
        return aead.pbkdf2_sha256(password, salt, iterations, length)
    import js  # no eval (the page's Content-Security-Policy forbids it): WebCrypto called directly
    from pyodide.ffi import run_sync, to_js

    subtle = js.crypto.subtle
    key = run_sync(subtle.importKey("raw", to_js(password), "PBKDF2", False, to_js(["deriveBits"])))
    params = {"name": "PBKDF2", "hash": "SHA-256", "salt": salt, "iterations": iterations}
    bits = run_sync(subtle.deriveBits(to_js(params, dict_converter=js.Object.fromEntries), key, length * 8))
    return bytes(bits.to_bytes())


def default_iterations() -> int:
    """Rounds for a PIN chosen now: WebCrypto's where the browser has JSPI, else the loop's."""
    return ITERATIONS if jspi_available() else LOOP_ITERATIONS


class LegacyPinKdf:
    """A keyring row of the browser build before WebCrypto: labelled scrypt, derived with PBKDF2-SHA256,
    LEGACY_ITERATIONS rounds. Unlocking it re-wraps the key with today's parameters (PinLock)."""

    def __init__(self, salt: bytes, length: int, n: int, r: int, p: int):
        self.salt, self.length = salt, length

    def derive(self, key_material: bytes) -> bytes:
        return pbkdf2_sha256(key_material, self.salt, LEGACY_ITERATIONS, self.length)
