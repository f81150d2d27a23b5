"""The merged sync conflicts of a coordinator's caseload, and the two ways to resolve one.

A per-field merge keeps the losing value in a `Conflict` (backend/sync/merge.py). The coordinator
either confirms the merged result or corrects the field back to the losing value; the correction
is an ordinary write through the sync engine, so it gets a version and reaches the phones. Nothing
here commits: the request's entry point does (docs/architecture.md#transactions-who-commits).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from backend import audit
from backend.access import as_record, can_see_youth, visible_youth_ids
from backend.extensions import db
from backend.models import Conflict, User, Youth, utcnow
from backend.services.caseload import unresolved_conflicts
from backend.sync.push import push
from backend.sync.records import MODELS
from shared import permissions

RECENTLY_RESOLVED = 20
ACTIONS = ("confirm", "correct")


@dataclass
class ConflictOverview:
    """What the conflict page shows: open conflicts with their record, the latest resolved ones."""

    open: list[tuple[Conflict, object]] = field(default_factory=list)  # (conflict, its record)
    resolved: list[Conflict] = field(default_factory=list)
    youth_names: dict[str, str] = field(default_factory=dict)
    user_names: dict[str, str] = field(default_factory=dict)


class ConflictNotFound(Exception):
    """No such conflict, or one of a young person the user may not see (answered as 404)."""


class ResolveRefused(Exception):
    """A resolution that cannot be carried out; `message` is Danish and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _may_see_conflict(user: User, c: Conflict, rec) -> bool:
    """The shared rule: a conflict on a record or field the user may not see is not listed at all."""
    record = as_record(rec)
    return permissions.may_see(user, c.entity, record) and c.field not in permissions.hidden_fields(
        user, c.entity, record
    )


def conflict_overview(user: User) -> ConflictOverview:
    """The open and recently resolved conflicts of the young people `user` sees; audits the read."""
    ids = sorted(visible_youth_ids(user))
    if not ids:
        return ConflictOverview()
    open_rows = unresolved_conflicts(user, ids)
    resolved = list(
        db.session.scalars(
            select(Conflict)
            .where(Conflict.youth_id.in_(ids), Conflict.resolved_at.is_not(None))
            .order_by(Conflict.resolved_at.desc())
            .limit(RECENTLY_RESOLVED)
        )
    )
    youths = {y.id: y.display_name for y in db.session.scalars(select(Youth).where(Youth.id.in_(ids)))}
    uids = {u for c in open_rows + resolved for u in (c.losing_user_id, c.winning_user_id)}
    uids |= {c.resolved_by_user_id for c in resolved}
    uids.discard(None)
    names = {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(uids)))} if uids else {}
    counts: dict[tuple[str | None, str | None], int] = {}
    for c in open_rows:
        counts[(c.youth_id, "conflict")] = counts.get((c.youth_id, "conflict"), 0) + 1
    audit.record_many(user, "read", counts, channel="web", detail="conflicts")
    return ConflictOverview(
        open=[
            (c, rec)
            for c in open_rows
            if (rec := db.session.get(MODELS[c.entity], c.record_id)) is not None and _may_see_conflict(user, c, rec)
        ],
        resolved=resolved,
        youth_names=youths,
        user_names=names,
    )


def resolve_conflict(user: User, conflict_id: str, action: str) -> str | None:
    """Confirm or correct a conflict; the resolution (`confirmed`/`corrected`), None if already resolved.

    Raises ConflictNotFound or ResolveRefused. A correction writes the losing value back through
    the sync engine (which commits its own transaction); the caller commits the resolution.
    """
    c = db.session.get(Conflict, conflict_id)
    if c is None or not can_see_youth(user, c.youth_id):
        raise ConflictNotFound(conflict_id)
    if action not in ACTIONS:
        raise ResolveRefused("Vælg enten »Bekræft« eller »Ret tilbage«.")
    if c.resolved_at is not None:
        return None
    rec = db.session.get(MODELS[c.entity], c.record_id)
    if rec is None:
        raise ConflictNotFound(conflict_id)
    if action == "correct":
        _write_back(user, c, rec)
        c = db.session.get(Conflict, conflict_id)  # the engine's commit expired it
    c.resolved_at = utcnow()
    c.resolved_by_user_id = user.id
    c.resolution = "corrected" if action == "correct" else "confirmed"
    audit.record(
        user,
        "resolve_conflict",
        youth_id=c.youth_id,
        entity=c.entity,
        count=1,
        detail=f"conflict={c.id} field={c.field} {c.resolution}",
        channel="web",
    )
    return c.resolution


def _write_back(user: User, c: Conflict, rec) -> None:
    """Write the conflict's losing value back onto its record, as a new version."""
    if c.field == "deleted" or rec.deleted:
        raise ResolveRefused("Sletninger kan ikke rettes tilbage herfra. Opret punktet igen på planen.")
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": c.entity,
        "id": rec.id,
        "op": "upsert",
        "base_version": rec.version,
        "data": {"id": rec.id, "youth_id": rec.youth_id, c.field: c.losing_value},
    }
    result = push(user, "web", [mutation], channel="web")[0]
    if result["status"] == "rejected":
        msg = (result.get("error") or {}).get("message") or "Rettelsen blev afvist."
        raise ResolveRefused(f"Kunne ikke rette tilbage: {msg}")
