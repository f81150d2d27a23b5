"""How the store takes in the server's answers: push results and pull pages.

A record keeps two copies: `base` (the server's last known record, with its `version`) and `data`
(what the user sees: base plus unsent edits). An accepted push or a pulled page replaces `base`
and re-applies the record's remaining unsent edits on top (`_rebase`), instead of overwriting
them; a rejected mutation is kept with the server's reason until the user fixes or discards it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, cast, overload

from mobile_app.core.sealed_file import SealedFile
from mobile_app.core.vault import Cipher


@dataclass
class OutboxEntry:
    seq: int
    mutation_id: str
    entity: str
    record_id: str
    youth_id: str | None
    op: str
    base_version: int | None
    data: dict[str, Any] | None
    is_create: bool
    state: str
    sent_count: int
    error: dict[str, Any] | None
    created_at: str

    def as_mutation(self) -> dict[str, Any]:
        return {
            "mutation_id": self.mutation_id,
            "entity": self.entity,
            "id": self.record_id,
            "op": self.op,
            "base_version": self.base_version,
            "data": self.data,
        }


def _entry(row: sqlite3.Row, cipher: Cipher) -> OutboxEntry:
    mid = row["mutation_id"]
    return OutboxEntry(
        seq=row["seq"],
        mutation_id=row["mutation_id"],
        entity=row["entity"],
        record_id=row["record_id"],
        youth_id=row["youth_id"],
        op=row["op"],
        base_version=row["base_version"],
        data=cipher.open(f"outbox|{mid}", row["data"]) if row["data"] else None,
        is_create=bool(row["is_create"]),
        state=row["state"],
        sent_count=row["sent_count"],
        error=cipher.open(f"outbox|{mid}|error", row["error"]) if row["error"] else None,
        created_at=row["created_at"],
    )


class ServerAnswers(SealedFile):
    """The part of the store that applies what the server answered (see Store for the rest)."""

    def _data(self, entity: str, record_id: str, blob: bytes) -> dict[str, Any]:
        record: dict[str, Any] = self._open(f"record|{entity}|{record_id}", blob)
        return record

    @overload
    def _overlay(
        self, c: sqlite3.Connection, entity: str, record_id: str, base: dict[str, Any]
    ) -> tuple[dict[str, Any], int]: ...
    @overload
    def _overlay(
        self, c: sqlite3.Connection, entity: str, record_id: str, base: dict[str, Any] | None
    ) -> tuple[dict[str, Any] | None, int]: ...
    def _overlay(
        self, c: sqlite3.Connection, entity: str, record_id: str, base: dict[str, Any] | None
    ) -> tuple[dict[str, Any] | None, int]:
        """Base plus the data of the record's remaining outbox mutations, and their count."""
        rows = c.execute(
            "SELECT mutation_id, data FROM outbox WHERE entity = ? AND record_id = ? ORDER BY seq", (entity, record_id)
        ).fetchall()
        if base is None and not rows:
            return None, 0
        data = dict(base or {})
        for r in rows:
            if r["data"]:
                data.update(self._open(f"outbox|{r['mutation_id']}", r["data"]))
        return data, len(rows)

    def apply_push_results(self, batch: list[OutboxEntry], results: list[dict[str, Any]]) -> dict[str, int]:
        """Store the server's answers: accepted records become the new base; rejects are kept."""
        counts: dict[str, int] = {}
        with self.tx() as c:
            for entry, res in zip(batch, results, strict=False):
                status = cast(str, res.get("status"))  # the server's JSON: always one of its statuses
                counts[status] = counts.get(status, 0) + 1
                if status == "rejected" or (status == "duplicate" and res.get("error")):
                    # a duplicate that carries an error repeats a rejection whose answer was lost
                    c.execute(
                        "UPDATE outbox SET state = 'rejected', error = ? WHERE seq = ?",
                        (self._seal(f"outbox|{entry.mutation_id}|error", res.get("error") or {}), entry.seq),
                    )
                    continue
                c.execute("DELETE FROM outbox WHERE seq = ?", (entry.seq,))
                record = res.get("record")
                version = res.get("version")
                self._follow_own_edit(c, entry, version)
                if not record:
                    # A duplicate may come without the record: keep what we have, note the version.
                    data, pending = self._overlay(
                        c, entry.entity, entry.record_id, self._base(c, entry.entity, entry.record_id)
                    )
                    c.execute(
                        "UPDATE record SET pending = ?, version = COALESCE(?, version) WHERE entity = ? AND id = ?",
                        (pending, version, entry.entity, entry.record_id),
                    )
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
        c.execute(
            "UPDATE outbox SET base_version = ? WHERE entity = ? AND record_id = ? AND seq > ? "
            "AND state = 'pending' AND sent_count = 0 AND is_create = 0 "
            "AND (base_version IS NULL OR base_version < ?)",
            (version, entry.entity, entry.record_id, entry.seq, version),
        )

    def _base(self, c: sqlite3.Connection, entity: str, record_id: str) -> dict[str, Any] | None:
        row = c.execute("SELECT base FROM record WHERE entity = ? AND id = ?", (entity, record_id)).fetchone()
        return self._data(entity, record_id, row["base"]) if row and row["base"] else None

    def _set_data(self, c: sqlite3.Connection, entity: str, record_id: str, data: dict[str, Any], pending: int) -> None:
        c.execute(
            "UPDATE record SET data = ?, pending = ?, lookup = ? WHERE entity = ? AND id = ?",
            (self._seal(f"record|{entity}|{record_id}", data), pending, self._lookup(entity, data), entity, record_id),
        )

    def _move(self, c: sqlite3.Connection, entity: str, old_id: str, new_id: str) -> None:
        """The server merged our record into another one (attendance by natural key): adopt its id."""
        rows = c.execute(
            "SELECT seq, mutation_id, data FROM outbox WHERE entity = ? AND record_id = ?", (entity, old_id)
        ).fetchall()
        for r in rows:
            d = self._open(f"outbox|{r['mutation_id']}", r["data"]) if r["data"] else {}
            d["id"] = new_id
            # Our create became an edit of the server's record.
            c.execute(
                "UPDATE outbox SET record_id = ?, data = ?, is_create = 0, base_version = NULL WHERE seq = ?",
                (new_id, self._seal(f"outbox|{r['mutation_id']}", d), r["seq"]),
            )
        c.execute("DELETE FROM record WHERE entity = ? AND id = ?", (entity, old_id))

    def _rebase(
        self, c: sqlite3.Connection, entity: str, record_id: str, record: dict[str, Any], version: int | None
    ) -> None:
        data, pending = self._overlay(c, entity, record_id, record)
        aad = f"record|{entity}|{record_id}"
        c.execute(
            "INSERT INTO record (entity, id, youth_id, version, base, data, pending, lookup) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(entity, id) DO UPDATE SET youth_id = excluded.youth_id, version = excluded.version, "
            "base = excluded.base, data = excluded.data, pending = excluded.pending, lookup = excluded.lookup",
            (
                entity,
                record_id,
                record.get("youth_id"),
                version,
                self._seal(aad, record),
                self._seal(aad, data),
                pending,
                self._lookup(entity, data),
            ),
        )

    # ---- pulls -----------------------------------------------------------------------

    def apply_pull_page(self, changes: list[dict[str, Any]], revoked_youth_ids: list[str], cursor: str | None) -> int:
        """Apply one pull page and save its cursor in the same transaction (so a first sync resumes)."""
        with self.tx() as c:
            if revoked_youth_ids:
                marks = ",".join("?" * len(revoked_youth_ids))
                c.execute(f"DELETE FROM record WHERE youth_id IN ({marks})", revoked_youth_ids)
                # The server no longer lets us write these either; keeping them would only leak.
                c.execute(f"DELETE FROM outbox WHERE youth_id IN ({marks})", revoked_youth_ids)
                c.execute(f"DELETE FROM draft WHERE youth_id IN ({marks})", revoked_youth_ids)
            dirty = {
                (r["entity"], r["id"]) for r in c.execute("SELECT entity, id FROM record WHERE pending > 0").fetchall()
            }
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
                data = ch.get("data") or {}
                # One ciphertext serves as base and data: both are the server's record here.
                sealed = self._seal(f"record|{ch['entity']}|{ch['id']}", data)
                upserts.append(
                    (
                        ch["entity"],
                        ch["id"],
                        data.get("youth_id"),
                        ch.get("version"),
                        sealed,
                        sealed,
                        self._lookup(ch["entity"], data),
                    )
                )
            if deletes:
                c.executemany("DELETE FROM record WHERE entity = ? AND id = ?", deletes)
            if upserts:
                c.executemany(
                    "INSERT INTO record (entity, id, youth_id, version, base, data, pending, lookup) "
                    "VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT(entity, id) DO UPDATE SET "
                    "youth_id = excluded.youth_id, version = excluded.version, base = excluded.base, "
                    "data = excluded.data, lookup = excluded.lookup",
                    upserts,
                )
            self.set_meta("cursor", cursor, conn=c)
            pulled = (self.get_meta_in(c, "pulled_records") or 0) + len(changes)
            self.set_meta("pulled_records", pulled, conn=c)
        return len(changes)
