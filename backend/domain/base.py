"""What every write policy shares: the writer, the refusal, references, and the default policy.

Pure rules (docs/architecture.md#glossary): no database, no request, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from shared.enums import Role


class Rejected(Exception):
    """A write refused before it changed anything: `code` and Danish `message` go to the client."""

    def __init__(self, code: str, message: str, details=None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


@dataclass(frozen=True)
class Writer:
    """Who writes: the user, and `system` for administrator tooling (no visibility checks)."""

    id: str
    role: Role
    organization_id: str | None
    system: bool = False


class Records(Protocol):
    """What a policy may look up: stored records by entity and id, and item visibility."""

    def find(self, entity: str, record_id: Any) -> Any | None: ...

    def may_see(self, organization_id: str | None, visibility: str | None) -> bool: ...


@dataclass(frozen=True)
class Reference:
    """`field` must name an existing `entity` record (of the same young person if `same_youth`)."""

    field: str
    entity: str
    code: str
    message: str
    required: bool = False
    same_youth: bool = False


def visible_parent(records: Records, entity: str, field: str, row, loaded: dict, message: str) -> Any:
    """The record a child takes its owner and visibility from: it must be the same young person's,
    live, and visible to the writer (one the writer may not see is as good as absent)."""
    parent = records.find(entity, loaded.get(field) or (getattr(row, field) if row is not None else None))
    youth_id = loaded.get("youth_id") or (row.youth_id if row is not None else None)
    if (
        parent is None
        or parent.youth_id != youth_id
        or parent.deleted
        or not records.may_see(parent.organization_id, parent.visibility)
    ):
        raise Rejected("invalid_reference", message)
    return parent


ORGANIZATION = Reference("organization_id", "organization", "invalid_reference", "Organisationen findes ikke.")
YOUTH = Reference("youth_id", "youth", "not_found", "Den unge findes ikke.", required=True)


class Policy:
    """The default case record: no server-owned fields, no natural key, no side effects."""

    entity = ""
    natural_key: tuple[str, ...] = ()
    kept_fields: frozenset[str] = frozenset()
    """Fields a merge never erases and never reports as a conflict."""
    creates_youth = False
    one_per_youth: tuple[str, str] | None = None
    """(code, message) when a young person may have only one live record of this entity."""
    references: tuple[Reference, ...] = (ORGANIZATION, YOUTH)
    locked_change = locked_delete = ""

    def prepare(self, record_id: str, data: dict, row) -> None:
        """Complete the client's `data` before validation (a change keeps its young person)."""
        if row is not None:
            data.setdefault("youth_id", row.youth_id)

    def check_create(self, writer: Writer) -> None:
        """Only for `creates_youth` policies: raise Rejected if `writer` may not create one."""

    def locked(self, row) -> bool:
        """Whether the stored record can no longer be changed or deleted."""
        return False

    def merge_rules(self, writer: Writer, row, loaded: dict, changed: dict) -> bool:
        """Adjust `loaded`/`changed` to the entity's merge rules; True when they differ from the client's."""
        return False

    def server_fields(self, writer: Writer, row, loaded: dict, changed: dict, records: Records, now: datetime) -> dict:
        """Fields only the server sets, judged apart from what the client sent."""
        return {}

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        """What else follows from writing `after` over `before` (wire forms)."""
        return []

    def delete_effects(self, record_id: str) -> list:
        return []
