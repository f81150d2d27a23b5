"""The phone's local SQLite store: records, the outbox of unsent mutations, sync metadata, drafts.

Every local change and its outbox mutation are written in one transaction, so a crash between
"saved" and "sent" loses nothing. A record keeps two copies: `base` (the server's last known
record, with its `version`) and `data` (what the user sees: base plus unsent edits). A pull
replaces `base` and re-applies the unsent edits on top instead of overwriting them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS record (
    entity   TEXT NOT NULL,
    id       TEXT NOT NULL,
    youth_id TEXT,
    version  INTEGER,            -- server version of `base`; NULL while only on the phone
    base     TEXT,               -- server's record (JSON); NULL while only on the phone
    data     TEXT NOT NULL,      -- base + unsent edits (JSON)
    pending  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity, id)
);
CREATE INDEX IF NOT EXISTS ix_record_youth ON record (youth_id, entity);
CREATE TABLE IF NOT EXISTS outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id  TEXT NOT NULL UNIQUE,
    entity       TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    youth_id     TEXT,
    op           TEXT NOT NULL,
    base_version INTEGER,
    data         TEXT,
    is_create    INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'pending',   -- pending | rejected
    sent_count   INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_outbox_record ON outbox (entity, record_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS draft (key TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL);
"""


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


@dataclass
class OutboxEntry:
    seq: int
    mutation_id: str
    entity: str
    record_id: str
    youth_id: str | None
    op: str
    base_version: int | None
    data: dict | None
    is_create: bool
    state: str
    sent_count: int
    error: dict | None
    created_at: str

    def as_mutation(self) -> dict:
        return {
            "mutation_id": self.mutation_id,
            "entity": self.entity,
            "id": self.record_id,
            "op": self.op,
            "base_version": self.base_version,
            "data": self.data,
        }


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        seq=row["seq"],
        mutation_id=row["mutation_id"],
        entity=row["entity"],
        record_id=row["record_id"],
        youth_id=row["youth_id"],
        op=row["op"],
        base_version=row["base_version"],
        data=json.loads(row["data"]) if row["data"] else None,
        is_create=bool(row["is_create"]),
        state=row["state"],
        sent_count=row["sent_count"],
        error=json.loads(row["error"]) if row["error"] else None,
        created_at=row["created_at"],
    )


class Store:
    """Thread-safe access to the local SQLite file (the UI and the sync thread share it)."""

    def __init__(self, path: str | Path, durable: bool = True):
        self.path = str(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a saved entry survives even a power cut, not only a killed process.
        self._conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self._conn.execute("PRAGMA busy_timeout=5000")
        # Deleted rows (a revoked young person, a wiped login) are overwritten, not just unlinked.
        self._conn.execute("PRAGMA secure_delete=ON")
        with self._lock:
            self._conn.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

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

    def _q(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(args)).fetchall()

    # ---- meta and drafts -------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        rows = self._q("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_meta(self, key: str, value: Any, conn: sqlite3.Connection | None = None) -> None:
        sql = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        if conn is not None:
            conn.execute(sql, (key, json.dumps(value)))
        else:
            with self.tx() as c:
                c.execute(sql, (key, json.dumps(value)))

    def get_draft(self, key: str) -> dict | None:
        rows = self._q("SELECT data FROM draft WHERE key = ?", (key,))
        return json.loads(rows[0]["data"]) if rows else None

    def set_draft(self, key: str, data: dict) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO draft (key, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (key, json.dumps(data), _now_iso()),
            )

    def delete_draft(self, key: str, conn: sqlite3.Connection | None = None) -> None:
        if conn is not None:
            conn.execute("DELETE FROM draft WHERE key = ?", (key,))
        else:
            with self.tx() as c:
                c.execute("DELETE FROM draft WHERE key = ?", (key,))

    # ---- reading records -------------------------------------------------------------

    def get(self, entity: str, record_id: str) -> dict | None:
        rows = self._q("SELECT data FROM record WHERE entity = ? AND id = ?", (entity, record_id))
        return json.loads(rows[0]["data"]) if rows else None

    def get_row(self, entity: str, record_id: str) -> dict | None:
        rows = self._q("SELECT * FROM record WHERE entity = ? AND id = ?", (entity, record_id))
        if not rows:
            return None
        r = rows[0]
        return {
            "entity": r["entity"], "id": r["id"], "youth_id": r["youth_id"], "version": r["version"],
            "base": json.loads(r["base"]) if r["base"] else None,
            "data": json.loads(r["data"]), "pending": r["pending"],
        }

    def all(self, entity: str, youth_id: str | None = None) -> list[dict]:
        if youth_id is None:
            rows = self._q("SELECT data FROM record WHERE entity = ?", (entity,))
        else:
            rows = self._q("SELECT data FROM record WHERE entity = ? AND youth_id = ?", (entity, youth_id))
        return [json.loads(r["data"]) for r in rows]

    def find_attendance(self, youth_id: str, activity_id: str, day: str) -> dict | None:
        """The local attendance record with this natural key, if any."""
        rows = self._q(
            "SELECT data FROM record WHERE entity = 'attendance' AND youth_id = ? "
            "AND json_extract(data, '$.activity_id') = ? AND json_extract(data, '$.date') = ?",
            (youth_id, activity_id, day),
        )
        return json.loads(rows[0]["data"]) if rows else None

    def count(self, entity: str | None = None) -> int:
        if entity:
            return self._q("SELECT COUNT(*) AS n FROM record WHERE entity = ?", (entity,))[0]["n"]
        return self._q("SELECT COUNT(*) AS n FROM record")[0]["n"]

    # ---- local writes ----------------------------------------------------------------

    def save(self, entity: str, record_id: str, youth_id: str | None, changes: dict,
             create: bool) -> str:
        """Apply `changes` locally and queue them, in one transaction. Returns the mutation id.

        An update queues only the changed fields (plus id and youth_id); a create queues the
        full record. Changes to a record whose earlier mutation has never been sent are folded
        into that mutation: it has not left the phone, so nothing can be applied twice.
        """
        with self.tx() as c:
            row = c.execute("SELECT data, version, pending FROM record WHERE entity = ? AND id = ?",
                            (entity, record_id)).fetchone()
            if row is None:
                if not create:
                    raise KeyError(f"{entity} {record_id} findes ikke på telefonen")
                data = dict(changes)
                c.execute(
                    "INSERT INTO record (entity, id, youth_id, version, base, data, pending) "
                    "VALUES (?, ?, ?, NULL, NULL, ?, 0)",
                    (entity, record_id, youth_id, json.dumps(data)),
                )
                version = None
                pending = 0
            else:
                data = {**json.loads(row["data"]), **changes}
                version = row["version"]
                pending = row["pending"]
                c.execute("UPDATE record SET data = ? WHERE entity = ? AND id = ?",
                          (json.dumps(data), entity, record_id))
                create = create and version is None and pending == 0
            payload = {**changes, "id": record_id}
            if youth_id is not None:
                payload["youth_id"] = youth_id
            unsent = c.execute(
                "SELECT seq, mutation_id, data FROM outbox WHERE entity = ? AND record_id = ? "
                "AND state = 'pending' AND sent_count = 0 ORDER BY seq DESC LIMIT 1",
                (entity, record_id),
            ).fetchone()
            if unsent is not None:
                merged = {**json.loads(unsent["data"] or "{}"), **payload}
                c.execute("UPDATE outbox SET data = ? WHERE seq = ?", (json.dumps(merged), unsent["seq"]))
                return unsent["mutation_id"]
            mutation_id = str(uuid.uuid4())
            c.execute(
                "INSERT INTO outbox (mutation_id, entity, record_id, youth_id, op, base_version, data, "
                "is_create, created_at) VALUES (?, ?, ?, ?, 'upsert', ?, ?, ?, ?)",
                (mutation_id, entity, record_id, youth_id, version,
                 json.dumps(data if create else payload), int(create), _now_iso()),
            )
            c.execute("UPDATE record SET pending = ? WHERE entity = ? AND id = ?",
                      (pending + 1, entity, record_id))
            return mutation_id

    # ---- the outbox ------------------------------------------------------------------

    def outbox(self, state: str | None = None) -> list[OutboxEntry]:
        if state:
            rows = self._q("SELECT * FROM outbox WHERE state = ? ORDER BY seq", (state,))
        else:
            rows = self._q("SELECT * FROM outbox ORDER BY seq")
        return [_entry(r) for r in rows]

    def outbox_entry(self, seq: int) -> OutboxEntry | None:
        rows = self._q("SELECT * FROM outbox WHERE seq = ?", (seq,))
        return _entry(rows[0]) if rows else None

    def pending_count(self) -> int:
        return self._q("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'")[0]["n"]

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
                e = _entry(r)
                if e.base_version is None and not e.is_create:
                    # The record was created by an earlier mutation that is now acknowledged.
                    v = c.execute("SELECT version FROM record WHERE entity = ? AND id = ?", key).fetchone()
                    e.base_version = v["version"] if v else None
                batch.append(e)
                if len(batch) >= limit:
                    break
            # Counted before sending: a mutation that may have left the phone is never
            # edited in place again (a retry must carry the same content as the first try).
            c.executemany("UPDATE outbox SET sent_count = sent_count + 1, base_version = ? WHERE seq = ?",
                          [(e.base_version, e.seq) for e in batch])
            for e in batch:
                e.sent_count += 1
            return batch

    def _overlay(self, c: sqlite3.Connection, entity: str, record_id: str, base: dict | None) -> tuple[dict | None, int]:
        """Base plus the data of the record's remaining outbox mutations, and their count."""
        rows = c.execute("SELECT data FROM outbox WHERE entity = ? AND record_id = ? ORDER BY seq",
                         (entity, record_id)).fetchall()
        if base is None and not rows:
            return None, 0
        data = dict(base or {})
        for r in rows:
            data.update(json.loads(r["data"] or "{}"))
        return data, len(rows)

    def apply_push_results(self, batch: list[OutboxEntry], results: list[dict]) -> dict:
        """Store the server's answers: accepted records become the new base; rejects are kept."""
        counts: dict[str, int] = {}
        with self.tx() as c:
            for entry, res in zip(batch, results):
                status = res.get("status")
                counts[status] = counts.get(status, 0) + 1
                if status == "rejected" or (status == "duplicate" and res.get("error")):
                    # a duplicate that carries an error repeats a rejection whose answer was lost
                    c.execute("UPDATE outbox SET state = 'rejected', error = ? WHERE seq = ?",
                              (json.dumps(res.get("error") or {}), entry.seq))
                    continue
                c.execute("DELETE FROM outbox WHERE seq = ?", (entry.seq,))
                record = res.get("record")
                version = res.get("version")
                self._follow_own_edit(c, entry, version)
                if not record:
                    # A duplicate may come without the record: keep what we have, note the version.
                    data, pending = self._overlay(c, entry.entity, entry.record_id,
                                                  self._base(c, entry.entity, entry.record_id))
                    c.execute("UPDATE record SET pending = ?, version = COALESCE(?, version) "
                              "WHERE entity = ? AND id = ?", (pending, version, entry.entity, entry.record_id))
                    continue
                server_id = record.get("id") or entry.record_id
                if version is None:
                    version = record.get("version")
                if server_id != entry.record_id:
                    self._move(c, entry.entity, entry.record_id, server_id)
                self._rebase(c, entry.entity, server_id, record, version)
        return counts

    @staticmethod
    def _follow_own_edit(c: sqlite3.Connection, entry: OutboxEntry, version: int | None) -> None:
        """Later queued edits of the record were made on top of `entry`: their base is its answer.

        Without this, a second edit queued while the first was still unanswered keeps the old
        base, and the server sees this phone's own earlier edit as someone else's (a conflict
        between one person's consecutive edits). Only edits not yet sent are re-based: a sent
        one must go again exactly as it went the first time.
        """
        if version is None:
            return
        c.execute("UPDATE outbox SET base_version = ? WHERE entity = ? AND record_id = ? AND seq > ? "
                  "AND state = 'pending' AND sent_count = 0 AND is_create = 0 "
                  "AND (base_version IS NULL OR base_version < ?)",
                  (version, entry.entity, entry.record_id, entry.seq, version))

    def _base(self, c: sqlite3.Connection, entity: str, record_id: str) -> dict | None:
        row = c.execute("SELECT base FROM record WHERE entity = ? AND id = ?", (entity, record_id)).fetchone()
        return json.loads(row["base"]) if row and row["base"] else None

    def _move(self, c: sqlite3.Connection, entity: str, old_id: str, new_id: str) -> None:
        """The server merged our record into another one (attendance by natural key): adopt its id."""
        rows = c.execute("SELECT seq, data FROM outbox WHERE entity = ? AND record_id = ?",
                         (entity, old_id)).fetchall()
        for r in rows:
            d = json.loads(r["data"] or "{}")
            d["id"] = new_id
            # Our create became an edit of the server's record.
            c.execute("UPDATE outbox SET record_id = ?, data = ?, is_create = 0, base_version = NULL "
                      "WHERE seq = ?", (new_id, json.dumps(d), r["seq"]))
        c.execute("DELETE FROM record WHERE entity = ? AND id = ?", (entity, old_id))

    def _rebase(self, c: sqlite3.Connection, entity: str, record_id: str, record: dict,
                version: int | None) -> None:
        data, pending = self._overlay(c, entity, record_id, record)
        c.execute(
            "INSERT INTO record (entity, id, youth_id, version, base, data, pending) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(entity, id) DO UPDATE SET youth_id = excluded.youth_id, version = excluded.version, "
            "base = excluded.base, data = excluded.data, pending = excluded.pending",
            (entity, record_id, record.get("youth_id"), version, json.dumps(record), json.dumps(data), pending),
        )

    def fix_rejected(self, seq: int, changes: dict) -> str:
        """Send a rejected mutation again with corrected data, as a new mutation."""
        with self.tx() as c:
            row = c.execute("SELECT * FROM outbox WHERE seq = ? AND state = 'rejected'", (seq,)).fetchone()
            if row is None:
                raise KeyError(seq)
            e = _entry(row)
            data = {**(e.data or {}), **changes}
            mutation_id = str(uuid.uuid4())
            c.execute("UPDATE outbox SET mutation_id = ?, data = ?, state = 'pending', sent_count = 0, error = NULL "
                      "WHERE seq = ?", (mutation_id, json.dumps(data), seq))
            local, pending = self._overlay(c, e.entity, e.record_id, self._base(c, e.entity, e.record_id))
            c.execute("UPDATE record SET data = ?, pending = ? WHERE entity = ? AND id = ?",
                      (json.dumps(local), pending, e.entity, e.record_id))
            return mutation_id

    def discard(self, seq: int) -> None:
        """Drop an unsent or rejected mutation; the record falls back to the server's version."""
        with self.tx() as c:
            row = c.execute("SELECT * FROM outbox WHERE seq = ?", (seq,)).fetchone()
            if row is None:
                return
            e = _entry(row)
            if e.is_create:
                # Later edits of a record that will never exist on the server go with it.
                c.execute("DELETE FROM outbox WHERE entity = ? AND record_id = ?", (e.entity, e.record_id))
            else:
                c.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
            data, pending = self._overlay(c, e.entity, e.record_id, self._base(c, e.entity, e.record_id))
            if data is None:
                c.execute("DELETE FROM record WHERE entity = ? AND id = ?", (e.entity, e.record_id))
            else:
                c.execute("UPDATE record SET data = ?, pending = ? WHERE entity = ? AND id = ?",
                          (json.dumps(data), pending, e.entity, e.record_id))

    # ---- pulls -----------------------------------------------------------------------

    def apply_pull_page(self, changes: list[dict], revoked_youth_ids: list[str], cursor: str | None) -> int:
        """Apply one pull page and save its cursor in the same transaction (so a first sync resumes)."""
        with self.tx() as c:
            if revoked_youth_ids:
                marks = ",".join("?" * len(revoked_youth_ids))
                c.execute(f"DELETE FROM record WHERE youth_id IN ({marks})", revoked_youth_ids)
                # The server no longer lets us write these either; keeping them would only leak.
                c.execute(f"DELETE FROM outbox WHERE youth_id IN ({marks})", revoked_youth_ids)
                c.execute(f"DELETE FROM draft WHERE " + " OR ".join(["key LIKE ?"] * len(revoked_youth_ids)),
                          [f"%{y}%" for y in revoked_youth_ids])
            dirty = {(r["entity"], r["id"]) for r in
                     c.execute("SELECT entity, id FROM record WHERE pending > 0").fetchall()}
            upserts, deletes = [], []
            for ch in changes:
                key = (ch["entity"], ch["id"])
                if key in dirty:
                    if ch.get("deleted"):
                        # Keep the local edit: the push will let the server decide.
                        continue
                    self._rebase(c, ch["entity"], ch["id"], ch.get("data") or {}, ch.get("version"))
                    continue
                if ch.get("deleted"):
                    deletes.append(key)
                    continue
                raw = json.dumps(ch.get("data") or {})
                data = ch.get("data") or {}
                upserts.append((ch["entity"], ch["id"], data.get("youth_id"), ch.get("version"), raw, raw))
            if deletes:
                c.executemany("DELETE FROM record WHERE entity = ? AND id = ?", deletes)
            if upserts:
                c.executemany(
                    "INSERT INTO record (entity, id, youth_id, version, base, data, pending) "
                    "VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT(entity, id) DO UPDATE SET "
                    "youth_id = excluded.youth_id, version = excluded.version, base = excluded.base, "
                    "data = excluded.data",
                    upserts,
                )
            self.set_meta("cursor", cursor, conn=c)
            pulled = (self.get_meta_in(c, "pulled_records") or 0) + len(changes)
            self.set_meta("pulled_records", pulled, conn=c)
        return len(changes)

    @staticmethod
    def get_meta_in(c: sqlite3.Connection, key: str) -> Any:
        row = c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else None

    # ---- logging out -----------------------------------------------------------------

    def wipe(self) -> None:
        """Delete everything of the logged-in user from the phone."""
        with self.tx() as c:
            for table in ("record", "outbox", "meta", "draft"):
                c.execute(f"DELETE FROM {table}")
        with self._lock:
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
