"""Encryption at rest for the phone's store: AES-256-GCM per value, a data key wrapped by the PIN.

The data key is random (32 bytes) and lives only in memory while the app is unlocked. On disk it
exists only wrapped (AES-GCM) by a key derived from the user's PIN with scrypt, so the file alone
does not open the data. Every sealed value carries its place in the store as associated data
(e.g. ``record|attendance|<id>``): a value copied into another row fails to open instead of
showing the wrong record. In the native app `cryptography` is used, because Flet's mobile
package index (pypi.flet.dev) ships it for Android and iOS (see docs/app.md); the browser build
uses the same AES-256-GCM from @noble/ciphers (mobile_app/browser/gcm.py) and WebCrypto's PBKDF2.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

try:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM as Aead
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt as PinKdf

    IN_BROWSER = False

    def pbkdf2_sha256(password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
        return PBKDF2HMAC(hashes.SHA256(), length, salt, iterations).derive(password)

except ImportError:  # the browser build (Pyodide, no OpenSSL): see mobile_app/browser/gcm.py, webcrypto.py
    from mobile_app.browser.gcm import AesGcm as Aead  # type: ignore[assignment]
    from mobile_app.browser.gcm import InvalidTag  # type: ignore[assignment]
    from mobile_app.browser.webcrypto import LegacyPinKdf as PinKdf  # type: ignore[assignment]
    from mobile_app.browser.webcrypto import pbkdf2_sha256

    IN_BROWSER = True

FORMAT = b"\x01"  # first byte of every sealed value: lets a later format coexist
NONCE_BYTES = 12
KEY_BYTES = 32
WRAP_AAD = b"trinvis|data-key"


class WrongKey(Exception):
    """A sealed value or the wrapped data key did not open: wrong PIN or tampered bytes."""


PBKDF2 = "pbkdf2-sha256"


@dataclass(frozen=True)
class KdfParams:
    """The PIN key's derivation and its cost; kept in the keyring row beside the wrapped key.

    scrypt (the phone): n=2**16, r=8 is 64 MiB and ~0.2 s on a laptop (about a second on a slow
    phone). PBKDF2-HMAC-SHA256 with `iterations` rounds (the browser, where WebCrypto has no
    scrypt). Every unlock pays it once. It slows guessing a stolen file's PIN; it cannot make a
    4–6 digit PIN strong against a patient attacker (see docs/app.md: a device-bound key is the
    next step).
    """

    n: int = 2**16
    r: int = 8
    p: int = 1
    kdf: str = "scrypt"
    iterations: int = 0

    def as_dict(self) -> dict[str, Any]:
        if self.kdf == PBKDF2:
            return {"kdf": PBKDF2, "iterations": self.iterations}
        return {"kdf": "scrypt", "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> KdfParams:
        if d.get("kdf") == PBKDF2:
            return cls(kdf=PBKDF2, iterations=int(d["iterations"]))
        return cls(n=int(d["n"]), r=int(d["r"]), p=int(d["p"]))


def default_kdf() -> KdfParams:
    """The derivation for a PIN chosen now: scrypt natively, WebCrypto's PBKDF2 in the browser
    (asked at run time: how many rounds depends on the browser, see webcrypto.py)."""
    if IN_BROWSER:
        from mobile_app.browser.webcrypto import default_iterations

        return KdfParams(kdf=PBKDF2, iterations=default_iterations())
    return KdfParams()


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def derive_pin_key(pin: str, salt: bytes, params: KdfParams) -> bytes:
    """The key-encryption key: scrypt(PIN, salt) or PBKDF2(PIN, salt). A fresh salt per PIN choice."""
    if params.kdf == PBKDF2:
        return pbkdf2_sha256(pin.encode("utf-8"), salt, params.iterations, KEY_BYTES)
    kdf = PinKdf(salt=salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    return kdf.derive(pin.encode("utf-8"))


def wrap_key(data_key: bytes, pin: str, params: KdfParams) -> dict[str, Any]:
    """The data key encrypted under the PIN's key, as the row to store (no secret in plain)."""
    salt = os.urandom(16)
    nonce = os.urandom(NONCE_BYTES)
    wrapped = Aead(derive_pin_key(pin, salt, params)).encrypt(nonce, data_key, WRAP_AAD)
    return {"salt": salt, "nonce": nonce, "wrapped": wrapped, "params": json.dumps(params.as_dict())}


def unwrap_key(row: dict[str, Any], pin: str) -> bytes:
    """The data key, or WrongKey when the PIN is not the one it was wrapped with."""
    params = KdfParams.from_dict(json.loads(row["params"]))
    try:
        return Aead(derive_pin_key(pin, row["salt"], params)).decrypt(row["nonce"], row["wrapped"], WRAP_AAD)
    except InvalidTag:
        raise WrongKey() from None


class Cipher:
    """Seals and opens JSON values with the data key; makes blind lookup keys for indexes."""

    def __init__(self, data_key: bytes):
        if len(data_key) != KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        # Separate sub-keys: the lookup key must not be usable to decrypt.
        self._aead = Aead(hmac.new(data_key, b"trinvis|seal", hashlib.sha256).digest())
        self._lookup_key = hmac.new(data_key, b"trinvis|lookup", hashlib.sha256).digest()

    def seal(self, aad: str, value: Any) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(value, separators=(",", ":")).encode("utf-8")
        return FORMAT + nonce + self._aead.encrypt(nonce, plain, aad.encode("utf-8"))

    def open(self, aad: str, blob: bytes) -> Any:
        if not blob or blob[:1] != FORMAT:
            raise WrongKey()
        nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            plain = self._aead.decrypt(nonce, body, aad.encode("utf-8"))
        except InvalidTag:
            raise WrongKey() from None
        return json.loads(plain)

    def lookup(self, *parts: str) -> str:
        """A keyed hash of a natural key (e.g. activity + date) that can be indexed blind."""
        msg = "\x1f".join(parts).encode("utf-8")
        return hmac.new(self._lookup_key, msg, hashlib.sha256).hexdigest()[:32]
