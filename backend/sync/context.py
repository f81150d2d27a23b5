"""The state of one push batch: its writer, the rows it touched and the bookkeeping it owes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from backend.access import item_visible, visible_youth_ids
from backend.domain.policies import Rejected, Writer
from backend.extensions import db
from backend.models import User, utcnow
from backend.sync.changes import ChangeSet
from backend.sync.records import MODELS

__all__ = ["Outcome", "PushContext", "Rejected"]

_FINDABLE = {**MODELS, "user": User}


@dataclass
class Outcome:
    """What applying one mutation did (`record` is the wire form the client gets back)."""

    status: str
    record_id: str
    version: int | None
    record: dict | None
    youth_id: str | None = None
    op: str = "upsert"
    conflicts: int = 0


@dataclass
class PushContext:
    user: User
    device_id: str
    channel: str = "api"
    system: bool = False  # administrator tooling: no visibility or permission checks
    changes: ChangeSet = field(default_factory=ChangeSet)
    audit_counts: Counter = field(default_factory=Counter)
    # Rows and history created in this batch: not yet flushed (no autoflush while applying),
    # so later mutations of the same batch must find them here.
    rows: dict = field(default_factory=dict)  # (model, id) -> row or None (known absent)
    created_attendance: dict = field(default_factory=dict)
    history: dict = field(default_factory=dict)
    history_rows: list = field(default_factory=list)
    applied_rows: list = field(default_factory=list)
    attendance_keys_loaded: bool = False
    visible: set | None = None
    new_rows: list = field(default_factory=list)  # (model, row) created in this batch, inserted at the end
    history_users: dict = field(default_factory=dict)
    today: date | None = None  # the server's local date, for the attendance windows
    history_writers: dict = field(default_factory=dict)  # (entity, id, version) -> (user, device, base)
    revised_plans: set = field(default_factory=set)  # young people whose plan got a new version in this batch
    writer: Writer = field(init=False)

    def __post_init__(self) -> None:
        self.writer = Writer(self.user.id, self.user.role, self.user.organization_id, self.system)

    def get(self, model, key):
        """A row by primary key: from this batch's new rows, else the session (no autoflush)."""
        if key is None or (isinstance(key, str) and "\x00" in key):
            return None  # no row has it, and PostgreSQL refuses NUL in text (the schema rejects it)
        if (model, key) in self.rows:
            return self.rows[(model, key)]
        row = db.session.get(model, key)
        # The identity map holds rows weakly: keep them for the rest of the batch.
        self.rows[(model, key)] = row
        return row

    def find(self, entity: str, key):
        """A record by entity name and id (the policies' view of the store)."""
        return self.get(_FINDABLE[entity], key)

    def may_see(self, organization_id: str | None, visibility: str | None) -> bool:
        """Whether the writer may see an item of a visible young person (always for tooling)."""
        return self.system or item_visible(self.user, organization_id, visibility)

    def sees_youth(self, youth_id: str) -> bool:
        if self.system:
            return True
        if self.visible is None:  # one query per batch
            self.visible = visible_youth_ids(self.user)
        return youth_id in self.visible

    def record_history(
        self, entity: str, record_id: str, version: int, wire: dict, base_version: int | None = None
    ) -> None:
        """Remember a version of a record (written to record_history with the batch)."""
        key = (entity, record_id, version)
        self.history[key] = wire
        self.history_users[key] = self.user.id
        self.history_writers[key] = (self.user.id, self.device_id, base_version)
        self.history_rows.append(
            dict(
                entity=entity,
                record_id=record_id,
                version=version,
                data=wire,
                user_id=self.user.id,
                device_id=self.device_id,
                base_version=base_version,
                at=utcnow(),
            )
        )

    def touch(self, entity: str, row, wire: dict, narrowed: bool, deleted: bool = False) -> None:
        """Give the record a change number at commit, so pulls deliver it."""
        self.changes.touch(
            entity,
            row.id,
            row.youth_id,
            wire.get("organization_id"),
            wire.get("visibility"),
            deleted=deleted,
            narrowed=narrowed,
        )
