"""The per-field three-way merge of a pushed change into the stored record, and its conflict records.

A client says which version it edited (`base_version`). A field counts as changed by the client
only where its value differs from that base (and from the stored value); the stored value of
every other field stays. When the server's copy of a changed field was itself changed since the
base, the client's value wins (last writer wins per field) and the losing value is kept as a
`Conflict` for the caseworker's conflict page. An edit to a record deleted elsewhere revives it.
"""

from __future__ import annotations

from sqlalchemy import select

from backend.extensions import db
from backend.models import Conflict, RecordHistory, utcnow
from backend.sync.context import PushContext
from backend.sync.records import to_wire

_MISSING = object()
_EMPTY = (None, "", [], {})


def base_record(ctx: PushContext, entity: str, row, base_version: int | None) -> dict | None:
    """The version the client edited (wire form), from this batch or the history; None if unknown."""
    if row is None or base_version is None:
        return None
    base = ctx.history.get((entity, row.id, base_version))
    if base is None:
        hist = db.session.get(RecordHistory, (entity, row.id, base_version))
        base = hist.data if hist is not None else None
    return base


def changed_fields(loaded: dict, base: dict | None, existing_wire: dict | None) -> dict:
    """The fields the client changed: against the base it edited when we have it, and the stored record."""
    changed: dict[str, object] = {}
    for f, v in loaded.items():
        if f == "id":
            continue
        wire_v = to_wire(v)
        if base is not None and base.get(f, _MISSING) == wire_v:
            continue
        if existing_wire is not None and existing_wire.get(f) == wire_v:
            continue
        changed[f] = v
    return changed


def merge_into(
    ctx: PushContext,
    entity: str,
    row,
    existing_wire: dict,
    changed: dict,
    server_changes: dict,
    base_version: int | None,
    kept_fields: frozenset,
) -> tuple[int, int, bool]:
    """Write `changed` and `server_changes` onto `row` as its next version.

    Returns (version, field conflicts, revived: the record had been deleted elsewhere).
    Fields in `kept_fields` are merged by the entity's own rules and never reported as conflicts.
    """
    version = row.version + 1
    conflicts = 0
    fv = dict(row.field_versions or {})
    for f, v in changed.items():
        server_changed_since_base = (base_version is None or fv.get(f, 1) > base_version) and existing_wire.get(
            f
        ) not in _EMPTY
        if (
            server_changed_since_base
            and f not in kept_fields
            and not own_earlier_edit(ctx, entity, row.id, fv.get(f, 1), base_version)
        ):
            record_conflict(ctx, entity, row, f, existing_wire.get(f), to_wire(v), base_version, version)
            conflicts += 1
        setattr(row, f, v)
        fv[f] = version
    if row.deleted:
        # An edit to a record deleted elsewhere: keep the edit, remember the deletion.
        record_conflict(ctx, entity, row, "deleted", True, False, base_version, version)
        row.deleted = False
        revived = True
    else:
        revived = False
    for f, v in server_changes.items():
        setattr(row, f, v)
        fv[f] = version
    row.version = version
    row.field_versions = fv
    row.updated_at = utcnow()
    return version, conflicts, revived


def own_earlier_edit(ctx: PushContext, entity: str, record_id: str, version: int, base_version: int | None) -> bool:
    """Whether `version` was written by this user on this device from the same base.

    Then the stored value is this device's own earlier edit, which the new one was made on top of
    (a phone that queued a second edit while the first was unanswered): one writer, no conflict.
    """
    key = (entity, record_id, version)
    writer = ctx.history_writers.get(key)
    if writer is None:
        found = db.session.execute(
            select(RecordHistory.user_id, RecordHistory.device_id, RecordHistory.base_version).where(
                RecordHistory.entity == entity, RecordHistory.record_id == record_id, RecordHistory.version == version
            )
        ).first()
        writer = tuple(found) if found is not None else (None, None, None)
    user_id, device_id, base = writer
    return device_id is not None and user_id == ctx.user.id and device_id == ctx.device_id and base == base_version


def record_conflict(
    ctx: PushContext, entity: str, row, field: str, losing, winning, base_version: int | None, version: int
) -> None:
    """Keep the losing value of `field`, with who wrote it (the author of the stored version)."""
    key = (entity, row.id, row.version)
    last = (
        ctx.history_users[key]
        if key in ctx.history_users
        else db.session.scalar(
            select(RecordHistory.user_id).where(
                RecordHistory.entity == entity, RecordHistory.record_id == row.id, RecordHistory.version == row.version
            )
        )
    )
    db.session.add(
        Conflict(
            entity=entity,
            record_id=row.id,
            youth_id=row.youth_id,
            field=field,
            winning_value=winning,
            losing_value=losing,
            losing_user_id=last,
            winning_user_id=ctx.user.id,
            base_version=base_version,
            version=version,
        )
    )
