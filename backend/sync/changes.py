"""Change numbering: every accepted change and every access grant gets a sequence number.

Numbers are handed out just before commit by one UPDATE … RETURNING on the single sync_counter
row. The row lock it takes lasts until the transaction ends, so on PostgreSQL a transaction
that takes numbers after another must wait for that one to commit: numbers become visible in
order and a cursor can never pass a change that commits late. SQLite serialises writers anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from backend.extensions import db
from backend.models import AccessGrant, ChangeLog, SyncCounter


@dataclass
class Touch:
    entity: str
    record_id: str
    youth_id: str | None
    organization_id: str | None
    visibility: str
    deleted: bool
    narrowed: bool


class ChangeSet:
    """The records and access grants one transaction changed, numbered at `finalize()`."""

    def __init__(self) -> None:
        self.touches: dict[tuple[str, str], Touch] = {}
        self.grants: dict[tuple[str, str, str, str], bool] = {}  # key -> active

    def touch(
        self,
        entity: str,
        record_id: str,
        youth_id: str | None,
        organization_id: str | None,
        visibility: str | None,
        deleted: bool = False,
        narrowed: bool = False,
    ) -> None:
        key = (entity, record_id)
        prev = self.touches.pop(key, None)  # re-insert: numbering follows the last change
        self.touches[key] = Touch(
            entity,
            record_id,
            youth_id,
            organization_id,
            visibility or "shared",
            deleted,
            narrowed or bool(prev and prev.narrowed),
        )

    def grant(self, youth_id: str, subject_kind: str, subject_id: str, reason: str) -> None:
        self.grants[(youth_id, subject_kind, subject_id, reason)] = True

    def revoke(self, youth_id: str, subject_kind: str, subject_id: str, reason: str) -> None:
        self.grants[(youth_id, subject_kind, subject_id, reason)] = False

    def finalize(self) -> None:
        """Number the changes and write the change log and grants (call right before commit)."""
        session = db.session
        grant_rows = self._grant_rows()
        pending = [g for g in grant_rows if g is not None]
        n = len(self.touches) + len(pending)
        if n == 0:
            return
        session.flush()
        top = session.execute(
            update(SyncCounter)
            .where(SyncCounter.id == 1)
            .values(value=SyncCounter.value + n)
            .returning(SyncCounter.value)
        ).scalar_one()
        seq = top - n + 1
        existing = self._existing_log_rows()
        new_rows = []
        for t in self.touches.values():
            row = existing.get((t.entity, t.record_id))
            if row is None:
                new_rows.append(
                    dict(
                        entity=t.entity,
                        record_id=t.record_id,
                        seq=seq,
                        youth_id=t.youth_id,
                        organization_id=t.organization_id,
                        visibility=t.visibility,
                        deleted=t.deleted,
                        narrowed=t.narrowed,
                    )
                )
            else:
                row.seq = seq
                row.youth_id = t.youth_id
                row.organization_id = t.organization_id
                row.visibility = t.visibility
                row.deleted = t.deleted
                row.narrowed = row.narrowed or t.narrowed
            seq += 1
        if new_rows:
            session.execute(insert(ChangeLog), new_rows)
        for (youth_id, kind, subject, reason), active, row in pending:
            if row is None:
                session.add(
                    AccessGrant(
                        youth_id=youth_id, subject_kind=kind, subject_id=subject, reason=reason, active=True, seq=seq
                    )
                )
            elif active:
                row.active, row.seq, row.revoked_seq = True, seq, None
            else:
                row.active, row.revoked_seq = False, seq
            seq += 1
        self.touches.clear()
        self.grants.clear()

    def _existing_log_rows(self) -> dict[tuple[str, str], ChangeLog]:
        by_entity: dict[str, list[str]] = {}
        for entity, rid in self.touches:
            by_entity.setdefault(entity, []).append(rid)
        found = {}
        for entity, ids in by_entity.items():
            for i in range(0, len(ids), 500):
                for row in db.session.scalars(
                    select(ChangeLog).where(ChangeLog.entity == entity, ChangeLog.record_id.in_(ids[i : i + 500]))
                ):
                    found[(row.entity, row.record_id)] = row
        return found

    def _grant_rows(self):
        """(key, active, existing row) for each grant change that changes anything."""
        out = []
        for key, active in self.grants.items():
            youth_id, kind, subject, reason = key
            row = db.session.scalar(
                select(AccessGrant).where(
                    AccessGrant.youth_id == youth_id,
                    AccessGrant.subject_kind == kind,
                    AccessGrant.subject_id == subject,
                    AccessGrant.reason == reason,
                )
            )
            if row is None and not active:
                continue
            if row is not None and row.active == active:
                continue
            out.append((key, active, row))
        return out


def ensure_counter() -> None:
    """Add the counter row if missing (migrations insert it; tests using create_all need this)."""
    if db.session.get(SyncCounter, 1) is None:
        db.session.add(SyncCounter(id=1, value=0))


def current_seq() -> int:
    return db.session.scalar(select(SyncCounter.value).where(SyncCounter.id == 1)) or 0
