"""The app lock: choosing a PIN, unlocking with it, wrong-PIN wipe, and the idle timer's decision.

No Flet here: the screens call AppCore, which calls this. The PIN never leaves memory and is
never stored; only the data key wrapped by it is (vault.wrap_key). After MAX_ATTEMPTS wrong
PINs in a row the phone's data is wiped (the count is on disk, so restarting does not reset it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from mobile_app.core.errors import ValidationFailed
from mobile_app.core.sealed_file import SealedFile
from mobile_app.core.vault import KdfParams, WrongKey, default_kdf, unwrap_key, wrap_key

MAX_ATTEMPTS = 5
NO_PIN = "Der er ingen pinkode på telefonen. Log ind igen."
PIN_LENGTHS = range(4, 7)


def check_pin(pin: str) -> str:
    """The PIN if it is allowed, else ValidationFailed with a plain Danish reason."""
    pin = (pin or "").strip()
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS or not pin.isascii():
        raise ValidationFailed("Pinkoden skal være 4 til 6 tal.")
    if len(set(pin)) == 1:
        raise ValidationFailed("Brug ikke det samme tal hele vejen. Vælg en anden pinkode.")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({1}, {-1}):
        raise ValidationFailed("Tal i rækkefølge er lette at gætte. Vælg en anden pinkode.")
    return pin


class WrongPin(ValidationFailed):
    """The PIN did not open the key; `attempts_left` more tries before the phone is wiped."""

    def __init__(self, attempts_left: int):
        super().__init__(f"Forkert pinkode. Du har {attempts_left} forsøg tilbage.")
        self.attempts_left = attempts_left


class WipedAfterWrongPins(ValidationFailed):
    """The last allowed attempt was wrong: everything on the phone has been deleted."""

    def __init__(self) -> None:
        super().__init__("Forkert pinkode 5 gange. Telefonen er tømt for dine data. Log ind igen.")


class PinLock:
    """Wraps the store's data key with a PIN and opens it again, counting wrong tries."""

    def __init__(self, store: SealedFile, kdf: KdfParams | None = None):
        self.store = store
        self._kdf = kdf

    @property
    def kdf(self) -> KdfParams:
        """The derivation a PIN is wrapped with (the platform's default unless given)."""
        if self._kdf is None:
            self._kdf = default_kdf()
        return self._kdf

    @property
    def has_pin(self) -> bool:
        return self.store.get_keyring() is not None

    def attempts_left(self) -> int:
        row = self.store.get_keyring()
        return MAX_ATTEMPTS - (row["failed"] if row else 0)

    def set_pin(self, pin: str, data_key: bytes) -> None:
        """Store `data_key` wrapped by the (checked) PIN; a fresh salt every time."""
        self.store.set_keyring(wrap_key(data_key, check_pin(pin), self.kdf))

    def unlock(self, pin: str, wipe: Callable[[], None]) -> bytes:
        """The data key for the right PIN. A wrong one counts; the fifth calls `wipe` and says so.

        The attempt is counted before the (slow) check, so killing the app mid-check does not
        give a free try.
        """
        row = self.store.get_keyring()
        if row is None:
            raise ValidationFailed(NO_PIN)
        pin = (pin or "").strip()
        failed = row["failed"] + 1
        self.store.set_failed_pins(failed)
        try:
            key = unwrap_key(row, pin)
        except WrongKey:
            if failed >= MAX_ATTEMPTS:
                wipe()
                raise WipedAfterWrongPins() from None
            raise WrongPin(MAX_ATTEMPTS - failed) from None
        fresh = None
        if KdfParams.from_dict(json.loads(row["params"])) != self.kdf:
            # Wrapped with other parameters (an older build, a weaker cost): wrap it with today's.
            fresh = wrap_key(key, pin, self.kdf)
        current = self.store.get_keyring()
        if current is None or current["salt"] != row["salt"]:
            # Wiped (a revoked phone, log-out) or given a new PIN while this one was being checked
            # (the check is slow, and the sync runs beside it): this key opens nothing any more.
            raise ValidationFailed(NO_PIN)
        if fresh is not None:
            self.store.set_keyring(fresh)
        else:
            self.store.set_failed_pins(0)
        return key


@dataclass
class IdleTimer:
    """When to lock: after `timeout` seconds without the user touching the app."""

    timeout: float
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self.last_activity = self.clock()

    def touch(self) -> None:
        self.last_activity = self.clock()

    def expired(self) -> bool:
        return self.clock() - self.last_activity >= self.timeout

    def seconds_left(self) -> float:
        return max(0.0, self.timeout - (self.clock() - self.last_activity))
