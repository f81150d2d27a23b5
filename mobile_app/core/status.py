"""The sync status the screens show, owned by the sync side and observed by the UI.

`SyncState` is the one place that knows whether the phone is online, syncing, how much of the first
download has arrived and what went wrong; the sync engine and the app core update it, the status
bar subscribes to it (`subscribe`) and gets a `SyncStatus` snapshot on every change. The UI never
reads storage keys for this. It also decides when to try again (`next_delay`): sooner, with
backoff, while the server is away and changes wait to be sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

BACKOFF_FIRST = 2.0
"""Seconds before the first new try after a failed sync with unsent changes; doubled each time."""

NOT_READY_OFFLINE = "Telefonen er ikke klar til at være offline, før dine data er hentet"


@dataclass(frozen=True)
class SyncStatus:
    """One snapshot of the sync state, with the Danish lines for the status bar."""

    online: bool | None  # None: not tried yet
    pending: int
    rejected: int
    last_sync_at: str | None
    first_sync_done: bool
    pulled_records: int
    syncing: bool
    message: str  # the status line
    needs_login: bool = False
    update_required: bool = False
    pending_line: str = ""  # "Alt er sendt", "2 ændringer venter …", or not ready for offline

    @property
    def ready_offline(self) -> bool:
        """The first download is complete: the phone can do its work without a connection."""
        return self.first_sync_done


@dataclass
class _Fields:
    online: bool | None = None
    syncing: bool = False
    first_sync_done: bool = False
    pulled_records: int = 0
    last_sync_at: str | None = None
    needs_login: bool = False
    update_required_message: str = ""
    last_error: str = ""
    server_unavailable: bool = False  # the last sync got 503: reachable, but not working now
    failures: int = 0  # failed syncs in a row (for the backoff)


def status_message(f: _Fields) -> str:
    """The status line for the bar, most urgent first."""
    if f.syncing and not f.first_sync_done:
        return f"Henter dine data … {f.pulled_records} hentet"
    if f.syncing:
        return "Synkroniserer …"
    if f.update_required_message:
        return f.update_required_message
    if f.needs_login:
        return "Log ind igen for at sende dine ændringer."
    if f.online is False and f.server_unavailable:
        return "Serveren er midlertidigt utilgængelig – alt gemmes på telefonen"
    if f.online is False:
        return "Offline – alt gemmes på telefonen"
    if f.online and f.last_error:
        return f"Online, men serveren svarede: {f.last_error}"
    if f.online:
        return "Online"
    return "Ikke synkroniseret endnu"


def pending_line(first_sync_done: bool, pending: int) -> str:
    """What is waiting to be sent; before the first download is done, that the phone is not ready
    to work offline yet (not "Alt er sendt", which sounded as if all was well)."""
    if not first_sync_done:
        return NOT_READY_OFFLINE
    if pending == 0:
        return "Alt er sendt"
    return f"{pending} {'ændring venter' if pending == 1 else 'ændringer venter'} på at blive sendt"


def backoff_delay(failures: int, cap: float, first: float = BACKOFF_FIRST) -> float:
    """2, 4, 8 … seconds after the 1st, 2nd, 3rd … failure in a row, never more than `cap`."""
    if failures <= 0:
        return cap
    return float(min(cap, first * 2 ** min(failures - 1, 30)))


class SyncState:
    """Observable sync state. Thread-safe: the sync runs in a worker thread, the UI on its loop."""

    def __init__(self, counts: Callable[[], tuple[int, int]] = lambda: (0, 0)):
        self._counts = counts  # (pending, rejected) from the outbox, asked at snapshot time
        self._f = _Fields()
        self._lock = threading.Lock()
        self._subscribers: list[Callable[[SyncStatus], None]] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._f, name)

    def reset(self, **fields: Any) -> None:
        """Start afresh (a new login, a wiped phone), keeping what was persisted."""
        with self._lock:
            self._f = _Fields(**fields)
        self._notify()

    def update(self, **fields: Any) -> None:
        """Change some fields and tell every subscriber (only when something changed)."""
        with self._lock:
            new = replace(self._f, **fields)
            changed = new != self._f
            self._f = new
        if changed:
            self._notify()

    def subscribe(self, callback: Callable[[SyncStatus], None]) -> Callable[[], None]:
        """Call `callback(snapshot)` on every change (from whichever thread made it); returns the
        function that ends the subscription."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def snapshot(self) -> SyncStatus:
        f = self._f
        pending, rejected = self._counts()
        return SyncStatus(
            online=f.online,
            pending=pending,
            rejected=rejected,
            last_sync_at=f.last_sync_at,
            first_sync_done=f.first_sync_done,
            pulled_records=f.pulled_records,
            syncing=f.syncing,
            message=status_message(f),
            needs_login=f.needs_login,
            update_required=bool(f.update_required_message),
            pending_line=pending_line(f.first_sync_done, pending),
        )

    def next_delay(self, interval: float) -> float:
        """Seconds until the next sync: `interval` normally; with backoff (2, 4, 8 … capped at
        `interval`) while the last syncs failed and changes wait to be sent."""
        if self._f.online is False and self._f.failures and self._counts()[0]:
            return backoff_delay(self._f.failures, interval)
        return interval

    def _notify(self) -> None:
        if not self._subscribers:
            return
        snap = self.snapshot()
        for callback in list(self._subscribers):
            callback(snap)
