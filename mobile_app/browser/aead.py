"""Stdlib crypto of the browser build: the earlier builds' value cipher (now read-only) and PBKDF2's loop.

Pyodide has no OpenSSL (`hashlib` has neither scrypt nor pbkdf2_hmac). Values are sealed with
AES-256-GCM now (gcm.py); what the browser build sealed before that used the construction below,
and gcm.AesGcm opens such values with it (it never seals with it any more):

* AEAD: BLAKE2b as a keyed PRF in counter mode for the keystream, and keyed BLAKE2b over
  (AAD length, AAD, nonce, ciphertext) as the 16-byte tag, with independent sub-keys:
  encrypt-then-MAC, the generic composition that is IND-CCA secure when the PRF and MAC are.
  Same nonce size (12 random bytes) and tag size as AES-GCM, so the vault's format is unchanged.
* PBKDF2-HMAC-SHA256 (RFC 8018) as a Python loop over hashlib's SHA-256: only where WebCrypto
  cannot be waited for (a browser without JSPI), with ITERATIONS rounds (~1 s).

A browser store is never opened by the native app or the other way round.
"""

from __future__ import annotations

import hashlib
import hmac

TAG_BYTES = 16
BLOCK = 64
ITERATIONS = 200_000
"""The loop's rounds for a PIN chosen without JSPI: 0.7-1.1 s in Pyodide here (bench/pwa_bench.py)."""


class InvalidTag(Exception):
    """The tag did not match: wrong key, or the bytes were changed."""


class Blake2bAead:
    """BLAKE2b-CTR + BLAKE2b-MAC (see above), with the interface of `cryptography`'s AESGCM."""

    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("key must be 32 bytes")
        self._enc = hashlib.blake2b(key, key=key, person=b"trinvis-enc", digest_size=64).digest()
        self._mac = hashlib.blake2b(key, key=key, person=b"trinvis-mac", digest_size=64).digest()

    def _stream(self, nonce: bytes, data: bytes) -> bytes:
        out = bytearray()
        for i in range(0, len(data), BLOCK):
            out += hashlib.blake2b(nonce + i.to_bytes(8, "big"), key=self._enc, digest_size=BLOCK).digest()
        n = len(data)
        return (int.from_bytes(data, "big") ^ int.from_bytes(bytes(out[:n]), "big")).to_bytes(n, "big")

    def _tag(self, nonce: bytes, body: bytes, aad: bytes | None) -> bytes:
        aad = aad or b""
        msg = len(aad).to_bytes(8, "big") + aad + nonce + body
        return hashlib.blake2b(msg, key=self._mac, digest_size=TAG_BYTES).digest()

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        body = self._stream(nonce, data)
        return body + self._tag(nonce, body, associated_data)

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        body, tag = data[:-TAG_BYTES], data[-TAG_BYTES:]
        if len(data) < TAG_BYTES or not hmac.compare_digest(tag, self._tag(nonce, body, associated_data)):
            raise InvalidTag()
        return self._stream(nonce, body)


def pbkdf2_sha256(password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
    """RFC 8018 PBKDF2 with HMAC-SHA256, the inner and outer states precomputed once."""
    key = password if len(password) <= 64 else hashlib.sha256(password).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def prf(msg: bytes) -> bytes:
        i, o = inner.copy(), outer.copy()
        i.update(msg)
        o.update(i.digest())
        return o.digest()

    out = b""
    block = 1
    while len(out) < length:
        u = prf(salt + block.to_bytes(4, "big"))
        acc = int.from_bytes(u, "big")
        for _ in range(iterations - 1):
            u = prf(u)
            acc ^= int.from_bytes(u, "big")
        out += acc.to_bytes(32, "big")
        block += 1
    return out[:length]
