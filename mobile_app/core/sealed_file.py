"""The phone's encrypted SQLite file: connection, transactions, sealed meta and drafts, the key.

The base of the local store (store.py adds records and the outbox). The file and its WAL are
owner-only (0600); case data is sealed with the data key (vault.py) that exists on disk only
wrapped by the PIN's key (the `keyring` row); `wipe` empties every table and drops the key.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mobile_app.core.clock import utcnow
from mobile_app.core.errors import Locked
from mobile_app.core.vault import Cipher

FORMAT_VERSION = 3
"""PRAGMA user_version of the store's format. 2: encrypted (a file without it predates encryption and
is dropped); 3: company agreements without `follow_ups` (sync schema 3, store_upgrade.py)."""
ENCRYPTED_SINCE = 2

PLAIN_META = frozenset({"device_id", "pulled_records", "first_sync_done", "last_sync_at", "server_url", "token_probe"})
"""Meta keys kept in plain JSON (needed while locked, identify nobody); all others are sealed.

`server_url` and `token_probe` (SHA-256 of the token, which cannot log in) let a locked phone
ask whether it was revoked, and wipe itself if so."""

FILE_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);   -- sealed unless PLAIN_META
CREATE TABLE IF NOT EXISTS draft (key TEXT PRIMARY KEY, youth_id TEXT, data BLOB NOT NULL,
                                  updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keyring (      -- the data key wrapped by the PIN's key; never the key itself
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    salt    BLOB NOT NULL,
    nonce   BLOB NOT NULL,
    wrapped BLOB NOT NULL,
    params  TEXT NOT NULL,
    failed  INTEGER NOT NULL DEFAULT 0    -- wrong PINs in a row
);
"""

JOURNAL_MODE = "WAL"
"""The browser build uses DELETE: Emscripten's file system has no shared memory for WAL's index."""
AFTER_COMMIT: list[Callable[[], None]] = []
"""Called after every committed write; the browser build persists the file to IndexedDB here."""


def now_iso() -> str:
    """The real instant, for bookkeeping (when a change was queued)."""
    return utcnow().isoformat()


def _private_file(path: str) -> None:
    """Create the database file owner-only (0600) before SQLite opens it; fix an existing one."""
    if path == ":memory:":
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class SealedFile:
    """Thread-safe access to the local SQLite file (the UI and the sync thread share it).

    `key` is the data key (vault.new_data_key); without it the file is locked: plain counts
    work, everything sealed raises Locked.
    """

    SCHEMA = ""
    """The subclass's own tables (created after the file's meta, draft and keyring tables)."""
    TABLES: tuple[str, ...] = ()
    """The subclass's tables that hold a user's data (emptied by wipe)."""

    def __init__(self, path: str | Path, durable: bool = True, key: bytes | None = None):
        self.path = str(path)
        self._lock = threading.RLock()
        self._cipher: Cipher | None = Cipher(key) if key else None
        _private_file(self.path)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute(f"PRAGMA journal_mode={JOURNAL_MODE}")
        # FULL: a saved entry survives even a power cut, not only a killed process.
        self._conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self._conn.execute("PRAGMA busy_timeout=5000")
        # Deleted rows (a revoked young person, a wiped login) are overwritten, not just unlinked.
        self._conn.execute("PRAGMA secure_delete=ON")
        # Sorts and temporary indexes in memory, never in a temp file beside the data.
        self._conn.execute("PRAGMA temp_store=MEMORY")
        with self._lock:
            self._upgrade_format()
            self._conn.executescript(FILE_SCHEMA + self.SCHEMA)
        if self._cipher is not None:
            self._upgrade_sealed()

    def _upgrade_format(self) -> None:
        """A store written before encryption holds plain case data: drop it (pre-release only).

        An encrypted store of an older format is kept: its upgrade reads sealed data, so it waits
        for the key (`_upgrade_sealed`); a file of an unknown newer format is dropped as before."""
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if ENCRYPTED_SINCE <= version <= FORMAT_VERSION:
            return
        tables = [
            r[0]
            for r in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for t in tables:
            self._conn.execute(f"DROP TABLE {t}")
        self._conn.execute(f"PRAGMA user_version={FORMAT_VERSION}")
        if tables:
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._lock:
            self._cipher = None
            self._conn.close()

    # ---- the key -----------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self._cipher is None

    def unlock(self, key: bytes) -> None:
        self._cipher = Cipher(key)
        self._upgrade_sealed()

    def _upgrade_sealed(self) -> None:
        """Bring an older store up to FORMAT_VERSION once the key is known (so before any sync, which
        needs the sealed token), in one transaction with the new version: it runs once."""
        if self._q("PRAGMA user_version")[0][0] >= FORMAT_VERSION:
            return
        with self.tx() as c:
            version = c.execute("PRAGMA user_version").fetchone()[0]
            if version < FORMAT_VERSION:
                self._upgrade_content(c, version)
                c.execute(f"PRAGMA user_version={FORMAT_VERSION}")

    def _upgrade_content(self, c: sqlite3.Connection, version: int) -> None:
        """The subclass's changes to its sealed rows from format `version` (store.py)."""

    def lock(self) -> None:
        """Forget the data key: nothing sealed can be read until the PIN is given again."""
        self._cipher = None

    @property
    def cipher(self) -> Cipher:
        c = self._cipher
        if c is None:
            raise Locked()
        return c

    def _seal(self, aad: str, value: Any) -> bytes:
        return self.cipher.seal(aad, value)

    def _open(self, aad: str, blob: bytes) -> Any:
        return self.cipher.open(aad, blob)

    def _lookup(self, entity: str, data: dict[str, Any]) -> str | None:
        """Attendance is found by (activity, day): a blind hash, so the column says neither."""
        if entity != "attendance":
            return None
        return self.cipher.lookup(str(data.get("activity_id")), str(data.get("date")))

    def get_keyring(self) -> dict[str, Any] | None:
        rows = self._q("SELECT * FROM keyring WHERE id = 1")
        return dict(rows[0]) if rows else None

    def set_keyring(self, row: dict[str, Any]) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO keyring (id, salt, nonce, wrapped, params, failed) VALUES (1, ?, ?, ?, ?, 0) "
                "ON CONFLICT(id) DO UPDATE SET salt = excluded.salt, nonce = excluded.nonce, "
                "wrapped = excluded.wrapped, params = excluded.params, failed = 0",
                (row["salt"], row["nonce"], row["wrapped"], row["params"]),
            )

    def set_failed_pins(self, n: int) -> None:
        with self.tx() as c:
            c.execute("UPDATE keyring SET failed = ? WHERE id = 1", (n,))

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on any error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
                for hook in AFTER_COMMIT:
                    hook()

    def _q(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(args)).fetchall()

    # ---- meta and drafts -------------------------------------------------------------

    def _meta_value(self, key: str, raw: Any) -> Any:
        return json.loads(raw) if key in PLAIN_META else self._open(f"meta|{key}", raw)

    def get_meta(self, key: str, default: Any = None) -> Any:
        rows = self._q("SELECT value FROM meta WHERE key = ?", (key,))
        return self._meta_value(key, rows[0]["value"]) if rows else default

    def set_meta(self, key: str, value: Any, conn: sqlite3.Connection | None = None) -> None:
        sql = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        raw = json.dumps(value) if key in PLAIN_META else self._seal(f"meta|{key}", value)
        if conn is not None:
            conn.execute(sql, (key, raw))
        else:
            with self.tx() as c:
                c.execute(sql, (key, raw))

    def get_draft(self, key: str) -> dict[str, Any] | None:
        rows = self._q("SELECT data FROM draft WHERE key = ?", (key,))
        return self._open(f"draft|{key}", rows[0]["data"]) if rows else None

    def set_draft(self, key: str, data: dict[str, Any], youth_id: str | None = None) -> None:
        """Keep a half-filled form; `youth_id` lets a revoked young person's drafts go by column."""
        with self.tx() as c:
            c.execute(
                "INSERT INTO draft (key, youth_id, data, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET youth_id = excluded.youth_id, data = excluded.data, "
                "updated_at = excluded.updated_at",
                (key, youth_id, self._seal(f"draft|{key}", data), now_iso()),
            )

    def delete_draft(self, key: str, conn: sqlite3.Connection | None = None) -> None:
        if conn is not None:
            conn.execute("DELETE FROM draft WHERE key = ?", (key,))
        else:
            with self.tx() as c:
                c.execute("DELETE FROM draft WHERE key = ?", (key,))

    def get_meta_in(self, c: sqlite3.Connection, key: str) -> Any:
        row = c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return self._meta_value(key, row["value"]) if row else None

    # ---- logging out -----------------------------------------------------------------

    def wipe(self) -> None:
        """Delete everything of the logged-in user from the phone, and destroy the key.

        The wrapped key goes with the rows and the in-memory key is dropped, so even a copy of
        the file taken earlier can no longer be opened with the PIN's help on this phone;
        secure_delete, VACUUM and a truncated WAL overwrite what was there.
        """
        with self.tx() as c:
            for table in ("keyring", "meta", "draft", *self.TABLES):
                c.execute(f"DELETE FROM {table}")
        with self._lock:
            self._cipher = None
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for hook in AFTER_COMMIT:
            hook()

    def has_data(self) -> bool:
        """Anything of a user on the phone (readable or not)."""
        tables = " UNION ALL ".join(f"SELECT 1 FROM {t}" for t in ("draft", *self.TABLES))
        return bool(self._q(f"SELECT 1 FROM meta WHERE key != 'device_id' UNION ALL {tables} LIMIT 1"))
