"""The vault's cipher in the browser: AES-256-GCM by @noble/ciphers, called synchronously from Python.

Pyodide has no OpenSSL and flet-web ships no `cryptography` wheel. WebCrypto's AES-GCM is only
asynchronous: through JSPI it costs 0.3-0.5 ms a value and lets other tasks run inside the store's
transactions (docs/app.md). @noble/ciphers (audited, pure JavaScript, vendor/README.md) is
synchronous and gives the same bytes as `cryptography`'s AESGCM, so the browser's sealed values
are the phone's format exactly: 12-byte nonce, 16-byte tag, the same associated data. The web
build loads it in the Python worker as `self.trinvisGcm` before Python starts (web_build.py).

Stores sealed by the browser build before this (a BLAKE2b construction, aead.Blake2bAead) still
open: a value that does not open as AES-GCM is tried with the old construction, read-only.
Everything sealed now is AES-GCM; an old value becomes AES-GCM when the app next writes it.

Nothing here touches `js` at import time (the app's start-up snapshot must hold no JS object).
"""

from __future__ import annotations

from typing import Any

from mobile_app.browser.aead import TAG_BYTES, Blake2bAead, InvalidTag

__all__ = ["AesGcm", "InvalidTag"]


def _bridge() -> tuple[Any, Any, Any]:
    """The worker's gcm function, Pyodide's to_js and JsException (first use, not import)."""
    import js
    from pyodide.ffi import JsException, to_js

    gcm = getattr(js, "trinvisGcm", None)
    if gcm is None:
        raise RuntimeError("AES-GCM is not loaded in the Python worker (python-worker.js not patched)")
    return gcm, to_js, JsException


class AesGcm:
    """AES-256-GCM with the interface of `cryptography`'s AESGCM; opens old BLAKE2b values too."""

    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("key must be 32 bytes")
        self._raw = key
        self._gcm, self._to_js, self._error = _bridge()
        self._key = self._to_js(key)  # one Uint8Array for every call
        self._legacy: Blake2bAead | None = None

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        cipher = self._gcm(self._key, self._to_js(nonce), self._aad(associated_data))
        return bytes(cipher.encrypt(self._to_js(data)).to_bytes())

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        try:
            return self._decrypt(nonce, data, associated_data)
        except InvalidTag:
            if self._legacy is None:
                self._legacy = Blake2bAead(self._raw)
            return self._legacy.decrypt(nonce, data, associated_data)  # InvalidTag if neither

    def _decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        if len(data) < TAG_BYTES:
            raise InvalidTag()
        cipher = self._gcm(self._key, self._to_js(nonce), self._aad(associated_data))
        try:
            return bytes(cipher.decrypt(self._to_js(data)).to_bytes())
        except self._error as e:
            if "invalid tag" in str(e):
                raise InvalidTag() from None
            raise

    def _aad(self, associated_data: bytes | None) -> Any:
        return self._to_js(associated_data) if associated_data is not None else None
