"""The app's core in one object: login state, the app lock, store, sync, services, sync status."""

from __future__ import annotations

import hashlib
import platform
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mobile_app.core import config
from mobile_app.core.api import ApiClient
from mobile_app.core.contact import refresh_contacts
from mobile_app.core.errors import (
    ApiError,
    AuthExpired,
    CoreError,
    Locked,
    Offline,
    ServerUnavailable,
    TokenRevoked,
    UpdateRequired,
    ValidationFailed,
)
from mobile_app.core.lock import IdleTimer, PinLock, check_pin
from mobile_app.core.my_data import MY_DATA_OFFLINE, MyData, summarise_export
from mobile_app.core.services import Services
from mobile_app.core.status import SyncState, SyncStatus
from mobile_app.core.store import Store
from mobile_app.core.sync import SyncEngine, SyncResult
from mobile_app.core.validation import check
from mobile_app.core.vault import KdfParams, new_data_key

REMOTE_WIPE_MESSAGE = (
    "Telefonen er blevet tømt, fordi adgangen fra den er lukket (for eksempel fordi den "
    "er meldt væk). Dine data er ikke længere på telefonen. Log ind igen for at fortsætte."
)


@dataclass
class RejectedChange:
    seq: int
    entity: str
    description: str
    reason: str
    data: dict[str, Any]
    editable: dict[str, Any] = field(default_factory=dict[str, Any])


ERASED_MESSAGE = "Dit forløb i Trinvis er slut, og dine oplysninger er slettet fra telefonen."

# Fields a user may correct on a rejected change (the rest are ids, dates set by the app …).
EDITABLE_FIELDS = ("text", "absence_reason", "note", "review_note", "youth_comment", "comment", "due_date")


class _StateField:
    """An AppCore attribute kept in its observable SyncState (so setting it notifies the screens)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, core: AppCore | None, owner: type | None = None) -> Any:
        if core is None:
            return self  # looked up on the class
        return getattr(core.sync_state, self.name)

    def __set__(self, core: AppCore, value: Any) -> None:
        core.sync_state.update(**{self.name: value})


class AppCore:
    """Everything the UI needs, none of Flet. Safe to use from the UI and a sync thread."""

    online = _StateField()
    syncing = _StateField()
    needs_login = _StateField()
    update_required_message = _StateField()
    last_error = _StateField()
    server_unavailable = _StateField()

    def __init__(
        self,
        store_path: str | Path | None = None,
        server_url: str | None = None,
        clock: Callable[[], datetime] | None = None,
        client_options: dict[str, Any] | None = None,
        durable: bool = True,
        kdf: KdfParams | None = None,
        idle_clock: Callable[[], float] | None = None,
    ):
        self.store = Store(store_path or config.store_path(), durable=durable)
        self.pin_lock = PinLock(self.store, kdf)
        self.clock = clock
        self.client_options = client_options or {}
        self.default_server_url = server_url or config.server_url()
        if not self.store.get_meta("device_id"):
            self.store.set_meta("device_id", str(uuid.uuid4()))
        if not self.pin_lock.has_pin and self.store.has_data():
            # A login whose PIN was never chosen: its key died with the process, the rest is noise.
            self._wipe_keep_device()
        self._data_key: bytes | None = None  # only between login and choosing the PIN
        self.idle = IdleTimer(config.lock_after(None), **({"clock": idle_clock} if idle_clock else {}))
        self.wiped_message = ""
        self._state_lock = threading.Lock()
        self.sync_state = SyncState(lambda: (self.store.pending_count(), self.store.rejected_count()))
        self._reset_state()
        self._client: ApiClient | None = None

    def _reset_state(self) -> None:
        """The observable sync state from what the store kept (a restart, a login, a wipe)."""
        self.sync_state.reset(
            first_sync_done=bool(self.store.get_meta("first_sync_done")),
            pulled_records=int(self.store.get_meta("pulled_records", 0) or 0),
            last_sync_at=self.store.get_meta("last_sync_at"),
        )

    # ---- login -----------------------------------------------------------------------

    @property
    def user(self) -> dict[str, Any] | None:
        return None if self.store.locked else self.store.get_meta("user")

    @property
    def logged_in(self) -> bool:
        """Someone's data is on the phone: locked behind a PIN, or open (and a PIN to choose)."""
        if self.store.locked:
            return self.pin_lock.has_pin
        return bool(self.user and self.store.get_meta("token"))

    @property
    def locked(self) -> bool:
        """The PIN is needed before anything can be shown."""
        return self.store.locked and self.pin_lock.has_pin

    @property
    def needs_pin(self) -> bool:
        """Logged in, but no PIN chosen yet: the next screen asks for one."""
        return self._data_key is not None

    @property
    def server_url(self) -> str:
        return self.store.get_meta("server_url") or self.default_server_url

    @property
    def device_id(self) -> str:
        device_id: str = self.store.get_meta("device_id")
        return device_id

    def choose_server(self, url: str) -> str:
        """Staff's "Indstillinger": talk to another server than the build's (checked; used from the
        next login on). Returns the address as kept."""
        url = (url or "").strip().rstrip("/")
        if not url.startswith(("http://", "https://")) or len(url) < 10:
            raise ValidationFailed("Serveradressen skal starte med http:// eller https://.")
        self.default_server_url = url
        if self.store.get_meta("server_url"):
            self.store.set_meta("server_url", url)
        self._client = None
        return url

    def client(self) -> ApiClient:
        token = self.store.get_meta("token")
        if self._client is None or self._client.base_url != self.server_url.rstrip("/") or self._client.token != token:
            self._client = ApiClient(self.server_url, token, **self.client_options)
        return self._client

    def login(
        self, username: str, password: str, server_url: str | None = None, otp: str | None = None
    ) -> dict[str, Any]:
        """Log in online once; afterwards the app works offline with the saved token.

        A user with two-factor login gets SecondFactorNeeded for the password alone, then logs
        in again with `otp` (the authenticator app's code or a recovery code); WrongSecondFactor
        when that code does not match.
        """
        username = (username or "").strip()
        if not username or not password:
            raise ValidationFailed("Skriv brugernavn og adgangskode.")
        if otp is not None:
            otp = "".join(otp.split())  # "123 456" as some apps show it
            if not otp:
                raise ValidationFailed("Skriv koden fra din godkendelses-app.")
        url = (server_url or self.server_url).strip()
        if not url.startswith(("http://", "https://")):
            raise ValidationFailed("Serveradressen skal starte med http:// eller https://.")
        client = ApiClient(url, None, **self.client_options)
        try:
            body = client.login(username, password, f"Trinvis-app på {platform.node() or 'telefon'}", otp)
        except ServerUnavailable:
            raise
        except Offline:
            raise Offline("Kan ikke nå serveren. Tjek, at du er på nettet, og at serveradressen er rigtig.") from None
        self.adopt_login(body, url)
        self.online = True
        user: dict[str, Any] = body["user"]
        return user

    def adopt_login(self, body: dict[str, Any], url: str) -> None:
        """Keep a login's answer (token + user) on the phone, sealed with this login's data key.

        A different user than the last one: the last one's data is wiped first (shared phone).
        A new login on an empty phone gets a new data key, which waits in memory until the PIN
        is chosen (needs_pin) and is then kept only wrapped by it.
        """
        previous = self.user
        if previous and previous.get("id") != body["user"]["id"]:
            # Another person's data must never stay behind on a shared phone.
            self._wipe_keep_device()
        if self.store.locked:
            # A new login on an empty phone: a new data key, wrapped once the PIN is chosen.
            self._wipe_keep_device()
            self._data_key = new_data_key()
            self.store.unlock(self._data_key)
        self.wiped_message = ""
        self.idle.timeout = config.lock_after(body["user"].get("role"))
        self.idle.touch()
        self.store.set_meta("server_url", url)
        self.store.set_meta("token", body["token"])
        self.store.set_meta("token_probe", hashlib.sha256(body["token"].encode()).hexdigest())
        self.store.set_meta("user", body["user"])
        self.needs_login = False
        self._client = None

    def logout(self) -> None:
        """Revoke the token if the server is reachable, and wipe this user's data from the phone."""
        try:
            self.client().logout()
        except CoreError:
            pass  # offline or already revoked: the local wipe is what protects the data
        self._wipe_keep_device()
        self._client = None
        self.online = None
        self.needs_login = False

    def _wipe_keep_device(self) -> None:
        """Every record, change, draft, the token and the key go; only the device id stays."""
        device_id = self.device_id
        self.store.wipe()
        self.store.set_meta("device_id", device_id)
        self._data_key = None
        self._client = None
        if hasattr(self, "sync_state"):
            self._reset_state()

    # ---- the app lock ----------------------------------------------------------------

    def choose_pin(self, pin: str) -> None:
        """After login: wrap the data key with the PIN (checked: 4–6 digits, not too easy)."""
        if self._data_key is None:
            raise ValidationFailed("Log ind først.")
        self.pin_lock.set_pin(check_pin(pin), self._data_key)
        self._data_key = None  # from now on it exists on disk only wrapped by the PIN
        self.idle.touch()

    def unlock(self, pin: str) -> None:
        """Open the data with the PIN. Raises WrongPin, or WipedAfterWrongPins at the fifth."""
        key = self.pin_lock.unlock(pin, wipe=self._wipe_keep_device)
        self.store.unlock(key)
        self.idle.timeout = config.lock_after((self.user or {}).get("role"))
        self.idle.touch()

    def lock(self) -> None:
        """Forget the data key and the token in memory; the PIN opens them again."""
        if not self.pin_lock.has_pin:
            return  # nothing to lock with yet (the PIN screen is showing)
        self.store.lock()
        self._client = None

    def touch(self) -> None:
        """The user did something: the idle timer starts again."""
        self.idle.touch()

    def lock_if_idle(self) -> bool:
        """Lock when the idle time has passed; True if the app is (now) locked."""
        if not self.locked and self.pin_lock.has_pin and self.idle.expired():
            self.lock()
        return self.locked

    def forget_pin_and_wipe(self) -> None:
        """'I forgot my PIN': the same as five wrong tries, on purpose."""
        self._wipe_keep_device()

    def wipe_if_revoked_while_locked(self) -> bool:
        """A locked phone asks whether its token was revoked; if so it wipes itself. True if wiped.

        Without this a lost phone would wait for someone who knows the PIN before its next contact.
        Only "revoked" wipes: "signed_out" (a password reset) keeps everything; after the PIN the
        next sync gets 401 `signed_out` (needs_login) and the same user's login sends the outbox.
        """
        probe = self.store.get_meta("token_probe")
        if not self.locked or not probe:
            return False
        try:
            state = ApiClient(self.server_url, None, **self.client_options).token_status(probe)
        except CoreError:
            return False  # offline: try again later
        if state != "revoked":
            return False
        self._remote_wipe()
        return True

    def _remote_wipe(self) -> None:
        self._wipe_keep_device()
        self.wiped_message = REMOTE_WIPE_MESSAGE

    def services(self) -> Services:
        return Services(self.store, self.user or {}, self.clock)

    # ---- sync ------------------------------------------------------------------------

    def engine(self) -> SyncEngine:
        return SyncEngine(self.store, self.client(), self.device_id, state=self.sync_state)

    def sync(self, progress: Callable[[int], None] | None = None) -> SyncResult | None:
        """One full sync. Never raises for being offline: the status says what happened."""
        if not self.logged_in or self.needs_login or self.locked:
            return None
        with self._state_lock:
            if self.syncing:
                return None
            self.syncing = True

        try:
            result = self.engine().sync(progress)
            self.sync_state.update(online=True, last_error="", server_unavailable=False, failures=0)
            own = (self.user or {}).get("youth_id")
            if own and own in result.revoked:
                # The young person's own case was erased (on request or after retention): nothing
                # of it may stay on the phone, and the login is closed.
                self._wipe_keep_device()
                self._client = None
                self.last_error = ERASED_MESSAGE
                self.wiped_message = ERASED_MESSAGE  # the screen says it on the login page
            else:
                refresh_contacts(self)  # "Ring til nogen" must work offline too
            return result
        except Offline as exc:
            self.sync_state.update(
                online=False,
                last_error=exc.message,
                server_unavailable=isinstance(exc, ServerUnavailable),
                failures=self.sync_state.failures + 1,
            )
        except TokenRevoked:
            # Lost phone or closed account: nothing of the caseload may stay behind.
            self._remote_wipe()
            self.online = True
            self.last_error = ""
        except Locked:
            pass  # the app locked while syncing; the next sync after unlock carries on
        except AuthExpired as exc:
            self.online = True
            self.needs_login = True
            self.last_error = exc.message
        except UpdateRequired as exc:
            self.online = True
            self.update_required_message = exc.message
            self.last_error = exc.message
        except ApiError as exc:
            self.online = True
            self.last_error = exc.message
        finally:
            self.syncing = False
        return None

    # ---- the young person's own data (GDPR art. 15) ------------------------------------

    def my_data(self) -> MyData:
        """Fetch everything the server holds about the logged-in young person (online only)."""
        youth_id = (self.user or {}).get("youth_id")
        if not self.logged_in or not youth_id:
            raise ValidationFailed("Kun den unge selv kan hente sine data her.")
        try:
            export = self.client().export(youth_id)
            link = self.client().export_link(youth_id)
        except Offline:
            raise Offline(MY_DATA_OFFLINE) from None
        except AuthExpired:
            self.needs_login = True
            raise
        return MyData(export, link.get("url") or "", summarise_export(export))

    def status(self) -> SyncStatus:
        """The sync status now (the screens subscribe to `sync_state` for every change)."""
        return self.sync_state.snapshot()

    # ---- rejected changes ------------------------------------------------------------

    def rejected_changes(self) -> list[RejectedChange]:
        svc = self.services()
        out = []
        for e in self.store.rejected():
            err = e.error or {}
            reason = err.get("message") or err.get("code") or "Serveren afviste ændringen."
            data = e.data or {}
            out.append(
                RejectedChange(
                    e.seq,
                    e.entity,
                    svc.describe(e.entity, self.store.get(e.entity, e.record_id) or data),
                    reason,
                    data,
                    {k: data[k] for k in EDITABLE_FIELDS if k in data and isinstance(data[k], str)},
                )
            )
        return out

    def fix_rejected(self, seq: int, changes: dict[str, Any]) -> None:
        """Correct a rejected change and queue it again (checked first, like any entry)."""
        entry = self.store.outbox_entry(seq)
        if entry is None:
            raise ValidationFailed("Ændringen findes ikke længere.")
        current = self.store.get(entry.entity, entry.record_id) or {}
        check(entry.entity, {**current, **(entry.data or {}), **changes})
        self.store.fix_rejected(seq, changes)

    def discard_rejected(self, seq: int) -> None:
        self.store.discard(seq)
