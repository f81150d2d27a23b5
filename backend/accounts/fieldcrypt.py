"""Secrets the server must read back (TOTP secrets) are stored encrypted: Fernet (AES-128-CBC +
HMAC-SHA256, from `cryptography`) under MultiFernet, so keys can be rotated — the first key of
TRINVIS_FIELD_KEYS encrypts, every key decrypts, `flask rotate-field-key` re-encrypts.

Without TRINVIS_FIELD_KEYS (demo, development, tests) the key is derived from SECRET_KEY with
HKDF-SHA256; production refuses to start without it (a copy of the database plus SECRET_KEY
should not be enough, and a random per-start SECRET_KEY would make every secret unreadable).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

ENV_NAME = "TRINVIS_FIELD_KEYS"
_HKDF_INFO = b"trinvis field encryption v1"


class FieldKeyError(Exception):
    """A stored value cannot be decrypted with any configured key (wrong or missing key)."""


def parse_keys(raw: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """The keys of a comma-separated setting (or a list), blanks dropped, order kept."""
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [k.strip() for k in items if k and k.strip()]


def derived_key(secret_key: str) -> str:
    """The Fernet key derived from SECRET_KEY (used only when TRINVIS_FIELD_KEYS is unset)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw).decode()


def effective_keys(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys in force for this app's settings; RuntimeError with a clear message when they
    cannot be used (a malformed key, or none in production)."""
    keys = parse_keys(config.get("FIELD_ENCRYPTION_KEYS"))
    if not keys:
        if config.get("TRINVIS_PROFILE") == "production":
            raise RuntimeError(
                f"{ENV_NAME} mangler: sæt en eller flere nøgler (kommasepareret, den første krypterer). "
                "Lav en med: python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
            )
        keys = [derived_key(str(config.get("SECRET_KEY") or ""))]
    for n, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except ValueError:
            raise RuntimeError(
                f"{ENV_NAME}: nøgle nr. {n} er ikke en Fernet-nøgle (32 bytes i url-safe base64)."
            ) from None
    return tuple(keys)


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def _current() -> MultiFernet:
    return _fernet(effective_keys(current_app.config))


def seal(plain: str, keys: tuple[str, ...] | None = None) -> str:
    """`plain` encrypted with the first key (a Fernet token, ASCII)."""
    box = _fernet(keys) if keys else _current()
    return box.encrypt(plain.encode()).decode()


def unseal(token: str, keys: tuple[str, ...] | None = None) -> str:
    """The plain text of a sealed value; FieldKeyError when no configured key opens it."""
    box = _fernet(keys) if keys else _current()
    try:
        return box.decrypt(token.encode()).decode()
    except (InvalidToken, UnicodeError, ValueError):
        raise FieldKeyError("no configured key decrypts this value") from None


def reseal(token: str) -> str:
    """The same value encrypted with the first key (key rotation); FieldKeyError if unreadable."""
    try:
        return _current().rotate(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise FieldKeyError("no configured key decrypts this value") from None
