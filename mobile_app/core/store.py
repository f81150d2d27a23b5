"""The phone's local SQLite store: records, the outbox of unsent mutations, sync metadata, drafts.

Every local change and its outbox mutation are written in one transaction, so a crash between
"saved" and "sent" loses nothing. A record keeps two copies: `base` (the server's last known
record, with its `version`) and `data` (what the user sees: base plus unsent edits). A pull
replaces `base` and re-applies the unsent edits on top instead of overwriting them.

Encrypted at rest (vault.py): every record, outbox payload, draft and sensitive meta value is
AES-GCM ciphertext; only non-identifying keys stay in plain columns for queries (entity, ids,
youth id, versions, counters, a blind lookup hash for attendance's natural key). Without the data
key in memory (locked) nothing can be read or written.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from mobile_app.core.sealed_file import now_iso
from mobile_app.core.store_sync import OutboxEntry, ServerAnswers, _entry
from mobile_app.core.store_upgrade import drop_follow_up_lists

__all__ = ["OutboxEntry", "Store"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS record (
    entity   TEXT NOT NULL,
    id       TEXT NOT NULL,
    youth_id TEXT,
    version  INTEGER,            -- server version of `base`; NULL while only on the phone
    base     BLOB,               -- server's record (sealed JSON); NULL while only on the phone
    data     BLOB NOT NULL,      -- base + unsent edits (sealed JSON)
    pending  INTEGER NOT NULL DEFAULT 0,
    lookup   TEXT,               -- blind hash of a natural key (attendance: activity + date)
    PRIMARY KEY (entity, id)
);
CREATE INDEX IF NOT EXISTS ix_record_youth ON record (youth_id, entity);
CREATE INDEX IF NOT EXISTS ix_record_lookup ON record (lookup) WHERE lookup IS NOT NULL;
CREATE TABLE IF NOT EXISTS outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id  TEXT NOT NULL UNIQUE,
    entity       TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    youth_id     TEXT,
    op           TEXT NOT NULL,
    base_version INTEGER,
    data         BLOB,               -- sealed JSON
    is_create    INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'pending',   -- pending | rejected
    sent_count   INTEGER NOT NULL DEFAULT 0,
    error        BLOB,               -- sealed JSON
    created_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_outbox_record ON outbox (entity, record_id);
"""


class Store(ServerAnswers):
    """Records and the outbox on top of the sealed file (see SealedFile for the key and meta;
    ServerAnswers for how push results and pull pages are applied)."""

    SCHEMA = SCHEMA
    TABLES = ("record", "outbox")

    def _upgrade_content(self, c: sqlite3.Connection, version: int) -> None:
        if version < 3:
            drop_follow_up_lists(self, c)  # sync schema 3 (store_upgrade.py)

    def get(self, entity: str, record_id: str) -> dict[str, Any] | None:
        rows = self._q("SELECT data FROM record WHERE entity = ? AND id = ?", (entity, record_id))
        return self._data(entity, record_id, rows[0]["data"]) if rows else None

    def get_row(self, entity: str, record_id: str) -> dict[str, Any] | None:
        rows = self._q("SELECT * FROM record WHERE entity = ? AND id = ?", (entity, record_id))
        if not rows:
            return None
        r = rows[0]
        return {
            "entity": r["entity"],
            "id": r["id"],
            "youth_id": r["youth_id"],
            "version": r["version"],
            "base": self._data(entity, record_id, r["base"]) if r["base"] else None,
            "data": self._data(entity, record_id, r["data"]),
            "pending": r["pending"],
        }

    def all(self, entity: str, youth_id: str | None = None) -> list[dict[str, Any]]:
        if youth_id is None:
            rows = self._q("SELECT id, data FROM record WHERE entity = ?", (entity,))
        else:
            rows = self._q("SELECT id, data FROM record WHERE entity = ? AND youth_id = ?", (entity, youth_id))
        return [self._data(entity, r["id"], r["data"]) for r in rows]

    def find_attendance(self, youth_id: str, activity_id: str, day: str) -> dict[str, Any] | None:
        """The local attendance record with this natural key, if any."""
        key = self.cipher.lookup(str(activity_id), str(day))
        rows = self._q(
            "SELECT id, data FROM record WHERE entity = 'attendance' AND youth_id = ? AND lookup = ?", (youth_id, key)
        )
        return self._data("attendance", rows[0]["id"], rows[0]["data"]) if rows else None

    def count(self, entity: str | None = None) -> int:
        if entity:
            return int(self._q("SELECT COUNT(*) AS n FROM record WHERE entity = ?", (entity,))[0]["n"])
        return int(self._q("SELECT COUNT(*) AS n FROM record")[0]["n"])

    # ---- local writes ----------------------------------------------------------------

    def save(self, entity: str, record_id: str, youth_id: str | None, changes: dict[str, Any], create: bool) -> str:
        """Apply `changes` locally and queue them, in one transaction. Returns the mutation id.

        An update queues only the changed fields (plus id and youth_id); a create queues the
        full record. Changes to a record whose earlier mutation has never been sent are folded
        into that mutation: it has not left the phone, so nothing can be applied twice.
        """
        with self.tx() as c:
            row = c.execute(
                "SELECT data, version, pending FROM record WHERE entity = ? AND id = ?", (entity, record_id)
            ).fetchone()
            if row is None:
                if not create:
                    raise KeyError(f"{entity} {record_id} findes ikke på telefonen")
                data = dict(changes)
                c.execute(
                    "INSERT INTO record (entity, id, youth_id, version, base, data, pending, lookup) "
                    "VALUES (?, ?, ?, NULL, NULL, ?, 0, ?)",
                    (
                        entity,
                        record_id,
                        youth_id,
                        self._seal(f"record|{entity}|{record_id}", data),
                        self._lookup(entity, data),
                    ),
                )
                version = None
                pending = 0
            else:
                data = {**self._data(entity, record_id, row["data"]), **changes}
                version = row["version"]
                pending = row["pending"]
                c.execute(
                    "UPDATE record SET data = ?, lookup = ? WHERE entity = ? AND id = ?",
                    (self._seal(f"record|{entity}|{record_id}", data), self._lookup(entity, data), entity, record_id),
                )
                create = create and version is None and pending == 0
            payload = {**changes, "id": record_id}
            if youth_id is not None:
                payload["youth_id"] = youth_id
            return self._queue(c, entity, record_id, youth_id, data if create else payload, version, pending, create)

    def _queue(
        self,
        c: sqlite3.Connection,
        entity: str,
        record_id: str,
        youth_id: str | None,
        payload: dict[str, Any],
        version: int | None,
        pending: int,
        create: bool,
    ) -> str:
        """Queue `payload` for the record (inside save's transaction): folded into the record's
        mutation that has never been sent, else as a new mutation (`create`: the full record of one
        the server has not seen). Returns the mutation id."""
        unsent = c.execute(
            "SELECT seq, mutation_id, data FROM outbox WHERE entity = ? AND record_id = ? "
            "AND state = 'pending' AND sent_count = 0 ORDER BY seq DESC LIMIT 1",
            (entity, record_id),
        ).fetchone()
        if unsent is not None:
            mid: str = unsent["mutation_id"]
            merged = {**(self._open(f"outbox|{mid}", unsent["data"]) if unsent["data"] else {}), **payload}
            c.execute("UPDATE outbox SET data = ? WHERE seq = ?", (self._seal(f"outbox|{mid}", merged), unsent["seq"]))
            return mid
        mutation_id = str(uuid.uuid4())
        c.execute(
            "INSERT INTO outbox (mutation_id, entity, record_id, youth_id, op, base_version, data, "
            "is_create, created_at) VALUES (?, ?, ?, ?, 'upsert', ?, ?, ?, ?)",
            (
                mutation_id,
                entity,
                record_id,
                youth_id,
                version,
                self._seal(f"outbox|{mutation_id}", payload),
                int(create),
                now_iso(),
            ),
        )
        c.execute("UPDATE record SET pending = ? WHERE entity = ? AND id = ?", (pending + 1, entity, record_id))
        return mutation_id

    # ---- the outbox ------------------------------------------------------------------

    def outbox(self, state: str | None = None) -> list[OutboxEntry]:
        if state:
            rows = self._q("SELECT * FROM outbox WHERE state = ? ORDER BY seq", (state,))
        else:
            rows = self._q("SELECT * FROM outbox ORDER BY seq")
        return [_entry(r, self.cipher) for r in rows]

    def outbox_entry(self, seq: int) -> OutboxEntry | None:
        rows = self._q("SELECT * FROM outbox WHERE seq = ?", (seq,))
        return _entry(rows[0], self.cipher) if rows else None

    def pending_count(self) -> int:
        return int(self._q("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'")[0]["n"])

    def rejected_count(self) -> int:
        return int(self._q("SELECT COUNT(*) AS n FROM outbox WHERE state = 'rejected'")[0]["n"])

    def rejected(self) -> list[OutboxEntry]:
        return self.outbox("rejected")

    def next_batch(self, limit: int) -> list[OutboxEntry]:
        """Pending mutations to send now: oldest first, at most one per record.

        A later edit of the same record waits for the answer to the earlier one (its base is
        that answer's version); edits after a rejected one wait until the user fixes or
        discards it.
        """
        with self.tx() as c:
            rows = c.execute("SELECT * FROM outbox ORDER BY seq").fetchall()
            batch: list[OutboxEntry] = []
            seen: set[tuple[str, str]] = set()
            for r in rows:
                key = (r["entity"], r["record_id"])
                if key in seen:
                    continue
                seen.add(key)
                if r["state"] != "pending":
                    continue
                e = _entry(r, self.cipher)
                if e.base_version is None and not e.is_create:
                    # The record was created by an earlier mutation that is now acknowledged.
                    v = c.execute("SELECT version FROM record WHERE entity = ? AND id = ?", key).fetchone()
                    e.base_version = v["version"] if v else None
                batch.append(e)
                if len(batch) >= limit:
                    break
            # Counted before sending: a mutation that may have left the phone is never
            # edited in place again (a retry must carry the same content as the first try).
            c.executemany(
                "UPDATE outbox SET sent_count = sent_count + 1, base_version = ? WHERE seq = ?",
                [(e.base_version, e.seq) for e in batch],
            )
            for e in batch:
                e.sent_count += 1
            return batch

    def fix_rejected(self, seq: int, changes: dict[str, Any]) -> str:
        """Send a rejected mutation again with corrected data, as a new mutation."""
        with self.tx() as c:
            row = c.execute("SELECT * FROM outbox WHERE seq = ? AND state = 'rejected'", (seq,)).fetchone()
            if row is None:
                raise KeyError(seq)
            e = _entry(row, self.cipher)
            data = {**(e.data or {}), **changes}
            mutation_id = str(uuid.uuid4())
            c.execute(
                "UPDATE outbox SET mutation_id = ?, data = ?, state = 'pending', sent_count = 0, error = NULL "
                "WHERE seq = ?",
                (mutation_id, self._seal(f"outbox|{mutation_id}", data), seq),
            )
            local, pending = self._overlay(c, e.entity, e.record_id, self._base(c, e.entity, e.record_id))
            assert local is not None  # the mutation just re-queued above is part of the overlay
            self._set_data(c, e.entity, e.record_id, local, pending)
            return mutation_id

    def discard(self, seq: int) -> None:
        """Drop an unsent or rejected mutation; the record falls back to the server's version."""
        with self.tx() as c:
            row = c.execute("SELECT * FROM outbox WHERE seq = ?", (seq,)).fetchone()
            if row is None:
                return
            e = _entry(row, self.cipher)
            if e.is_create:
                # Later edits of a record that will never exist on the server go with it.
                c.execute("DELETE FROM outbox WHERE entity = ? AND record_id = ?", (e.entity, e.record_id))
            else:
                c.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
            data, pending = self._overlay(c, e.entity, e.record_id, self._base(c, e.entity, e.record_id))
            if data is None:
                c.execute("DELETE FROM record WHERE entity = ? AND id = ?", (e.entity, e.record_id))
            else:
                self._set_data(c, e.entity, e.record_id, data, pending)
