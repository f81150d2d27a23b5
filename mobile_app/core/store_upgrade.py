"""The local store's upgrade to format 3: company agreements lose their `follow_ups` list.

Sync schema 3 made a company agreement's follow-ups their own records (`placement_follow_up`); the
server moved the lists it had (migration e5f1a7c3b9d2) and now refuses a list. A phone updated from
the schema-2 app may still queue an agreement edit with the list, with follow-ups the mentor added
offline. Before the first sync this turns the entries the server has not got (those not in the
agreement's `base`, the server's last known copy) into queued `placement_follow_up` creates, takes
the list out of the queued edits (dropping an edit left with nothing to say) and out of the local
copies. Ids are derived from the agreement and the entry, so a second run creates nothing twice.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from mobile_app.core.store_sync import OutboxEntry, _entry

if TYPE_CHECKING:
    from mobile_app.core.store import Store

AGREEMENT = "company_agreement"
FOLLOW_UP = "placement_follow_up"
FOLLOW_UP_IDS = uuid.UUID("6f1d2c3e-7a41-4b8e-9c55-2e0f4b7a9d13")
"""uuid5 namespace of the follow-ups made from an old list (the same entry always gets the same id)."""

FollowUpKey = tuple[str, bool, str]
"""An old list entry as (due date, done, note): what the server's migration kept of it."""


def drop_follow_up_lists(store: Store, c: sqlite3.Connection) -> int:
    """Convert the queued agreement edits' follow-up lists and strip every local list (inside the
    store's upgrade transaction). Returns how many follow-ups were queued."""
    rows = c.execute("SELECT * FROM outbox WHERE entity = ? ORDER BY seq", (AGREEMENT,)).fetchall()
    by_agreement: dict[str, list[OutboxEntry]] = {}
    for r in rows:
        e = _entry(r, store.cipher)
        if e.data is not None and "follow_ups" in e.data:
            by_agreement.setdefault(e.record_id, []).append(e)
    queued = sum(_convert(store, c, agreement_id, entries) for agreement_id, entries in by_agreement.items())
    _strip_records(store, c)
    return queued


def _convert(store: Store, c: sqlite3.Connection, agreement_id: str, entries: list[OutboxEntry]) -> int:
    """One agreement: the newest queued list is what the mentor last saw; queue what is new in it."""
    base = store._base(c, AGREEMENT, agreement_id) or {}
    known = {k for k in map(_key, base.get("follow_ups") or []) if k is not None}
    newest = (entries[-1].data or {}).get("follow_ups") or []
    for e in entries:
        _strip_mutation(c, store, e)
    local, pending = store._overlay(c, AGREEMENT, agreement_id, base or None)
    if local is not None:
        local.pop("follow_ups", None)
        store._set_data(c, AGREEMENT, agreement_id, local, pending)
    youth_id = entries[-1].youth_id or (local or {}).get("youth_id")
    agreement = {**(local or {}), "id": agreement_id, "youth_id": youth_id}
    queued = 0
    for key in dict.fromkeys(k for k in map(_key, newest) if k is not None and k not in known):
        queued += _queue_follow_up(store, c, agreement, key)
    return queued


def _key(entry: Any) -> FollowUpKey | None:
    """An old entry ({date, done, note}) as the server's migration reads it; None if it has no date."""
    if not isinstance(entry, dict) or not entry.get("date"):
        return None
    due = str(entry["date"])[:10]
    try:
        date.fromisoformat(due)
    except ValueError:
        return None
    return due, bool(entry.get("done")), str(entry.get("note") or "")[:500]


def _strip_mutation(c: sqlite3.Connection, store: Store, e: OutboxEntry) -> None:
    """The queued edit without the list; an edit (not a create) with nothing else to say goes."""
    data = {k: v for k, v in (e.data or {}).items() if k != "follow_ups"}
    if not e.is_create and not set(data) - {"id", "youth_id"}:
        c.execute("DELETE FROM outbox WHERE seq = ?", (e.seq,))
        return
    c.execute("UPDATE outbox SET data = ? WHERE seq = ?", (store._seal(f"outbox|{e.mutation_id}", data), e.seq))


def _queue_follow_up(store: Store, c: sqlite3.Connection, agreement: dict[str, Any], key: FollowUpKey) -> int:
    """Queue one follow-up as a create (as CompanyServices._plan would); 0 if it already exists."""
    due, done, note = key
    follow_up_id = str(uuid.uuid5(FOLLOW_UP_IDS, f"{agreement['id']}|{due}|{int(done)}|{note}"))
    if c.execute("SELECT 1 FROM record WHERE entity = ? AND id = ?", (FOLLOW_UP, follow_up_id)).fetchone():
        return 0
    youth_id = agreement["youth_id"]
    data = {
        "id": follow_up_id,
        "youth_id": youth_id,
        "company_agreement_id": agreement["id"],
        "organization_id": agreement.get("organization_id"),
        "visibility": agreement.get("visibility") or "shared",
        "due_date": due,
        # as the server's migration: the day it was done is not known, only that it was
        "done_date": due if done else None,
        "note": note,
    }
    c.execute(
        "INSERT INTO record (entity, id, youth_id, version, base, data, pending) VALUES (?, ?, ?, NULL, NULL, ?, 0)",
        (FOLLOW_UP, follow_up_id, youth_id, store._seal(f"record|{FOLLOW_UP}|{follow_up_id}", data)),
    )
    store._queue(c, FOLLOW_UP, follow_up_id, youth_id, data, None, 0, True)
    return 1


def _strip_records(store: Store, c: sqlite3.Connection) -> None:
    """No local copy of an agreement keeps a list (neither the server's copy nor the shown one)."""
    rows = c.execute("SELECT id, base, data FROM record WHERE entity = ?", (AGREEMENT,)).fetchall()
    for r in rows:
        aad = f"record|{AGREEMENT}|{r['id']}"
        for column in ("base", "data"):
            if r[column] is None:
                continue
            record = store._open(aad, r[column])
            if "follow_ups" in record:
                record.pop("follow_ups")
                c.execute(
                    f"UPDATE record SET {column} = ? WHERE entity = ? AND id = ?",
                    (store._seal(aad, record), AGREEMENT, r["id"]),
                )
