"""The sync write path: parse → deduplicate → prefetch → apply → bookkeeping → finalize.

Every write in the project (API, caseworker pages, CLI, demo seeding) passes through `push()`.
This module is the pipeline only: applying one mutation is `apply.py`, the per-field merge
`merge.py`, and what each entity's records demand (server-owned fields, natural keys, side
effects, references) `backend/domain/policies.py`. Every check of a mutation happens before it
changes anything, so a rejected one leaves the others untouched; all accepted ones are written in
one flush and commit together with their change numbers.
"""

from __future__ import annotations

import time
from datetime import date

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from backend import audit
from backend.access import item_visible
from backend.dbhealth import DatabaseUnavailable, is_unavailable
from backend.errors import ApiError
from backend.extensions import db
from backend.models import AppliedMutation, Attendance, RecordHistory, User, utcnow
from backend.sync import need_to_know, steps
from backend.sync.apply import apply, by_natural_key
from backend.sync.context import PushContext, Rejected
from backend.sync.records import MODELS, row_to_wire
from shared.schemas import MutationSchema, first_error_message

_mutation_schema = MutationSchema()


PUSH_ATTEMPTS = 4


def push(
    user: User, device_id: str, mutations: list, channel: str = "api", system: bool = False, today: date | None = None
) -> list[dict]:
    """Apply a batch of mutations for `user`; returns one result per mutation, in order, and commits.

    The web pages and the CLI use this too, so every change gets a version, a history entry and a
    change number, and reaches the phones. `system=True` is for administrator tooling only.
    `today` (the server's local date unless given) is what the attendance windows count from; the
    demo seed passes the day a historical registration belongs to.

    Two devices may race on the same record, natural key or mutation_id; the loser's transaction
    hits a unique constraint. Nothing of it was committed, so the whole batch is simply run again
    and then sees the winner's row (merge, or `duplicate`).
    """
    for attempt in range(PUSH_ATTEMPTS):
        try:
            return _push_once(user, device_id, mutations, channel, system, today)
        except (IntegrityError, OperationalError) as e:
            _rollback_quietly()
            if is_unavailable(e):
                # A dropped connection rolled everything back (or committed it all, and then the
                # retry answers `duplicate`), so one more try is safe; an outage is a 503, not "busy".
                if attempt >= 1:
                    raise DatabaseUnavailable(str(e.orig)[:200]) from e
                time.sleep(0.3)
                continue
            if attempt == PUSH_ATTEMPTS - 1:
                current_app.logger.warning("push gave up after %d attempts: %s", PUSH_ATTEMPTS, str(e)[:300])
                raise ApiError(409, "busy", "Serveren var optaget af en samtidig ændring. Prøv igen.") from e
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a dead connection may refuse even the rollback
        db.session.close()


def _push_once(
    user: User, device_id: str, mutations: list, channel: str, system: bool, today: date | None
) -> list[dict]:
    t = steps.clock()
    ctx = PushContext(user, device_id, channel, system)
    ctx.today = today or need_to_know.server_today()
    _prefetch(ctx, mutations)
    t = steps.add("prefetch", t)
    seen = _seen_mutations(mutations)
    t = steps.add("dedupe (seen mutation ids)", t)
    parsed = _parse_all(mutations)
    t = steps.add("parse (marshmallow envelope)", t)
    results: list[dict] = []
    in_batch: dict[str, dict] = {}
    for m, invalid in parsed:
        if m is None:
            results.append(invalid)
            continue
        mid = m["mutation_id"]
        prior = in_batch.get(mid) or seen.get(mid)
        if prior is not None:
            results.append(_duplicate(ctx, prior, m))
            continue
        res = _apply_one(ctx, m)
        ctx.applied_rows.append(
            dict(
                mutation_id=mid,
                user_id=user.id,
                device_id=device_id,
                entity=m["entity"],
                record_id=m["id"],
                status=res["status"],
                version=res["version"],
                error=res["error"],
                created_at=utcnow(),
            )
        )
        in_batch[mid] = {
            "user_id": user.id,
            "entity": m["entity"],
            "record_id": m["id"],
            "status": res["status"],
            "version": res["version"],
            "error": res["error"],
        }
        results.append(res)
    t = steps.add("apply (checks, validation, merge)", t)
    _bookkeeping(ctx)
    t = steps.add("write (records, history, applied ids, audit)", t)
    ctx.changes.finalize()
    t = steps.add("change log", t)
    db.session.commit()
    steps.add("commit", t)
    return results


def _parse_all(mutations: list) -> list[tuple[dict | None, dict | None]]:
    """_parse for each mutation, with one marshmallow call for the whole batch when it is valid."""
    if all(isinstance(raw, dict) for raw in mutations):
        try:
            return [(m, None) for m in _mutation_schema.load(mutations, many=True)]
        except ValidationError:
            pass  # some are malformed: each one alone, so each gets its own answer
    return [_parse(raw) for raw in mutations]


def _parse(raw) -> tuple[dict | None, dict | None]:
    """(the loaded mutation, None), or (None, its `rejected` result) when it is malformed."""
    mid = raw.get("mutation_id") if isinstance(raw, dict) else None
    try:
        m = _mutation_schema.load(raw) if isinstance(raw, dict) else None
        if m is None:
            raise ValidationError("Hver ændring skal være et objekt.")
    except ValidationError as e:
        return None, _result(
            mid if isinstance(mid, str) else None,
            "rejected",
            None,
            None,
            {"code": "invalid", "message": first_error_message(e), "details": e.messages},
        )
    return m, None


def _apply_one(ctx: PushContext, m: dict) -> dict:
    """Apply one mutation and count it for the audit log; its result, `rejected` with the current record."""
    try:
        # Every check raises Rejected before anything is changed, so no savepoint is needed.
        with db.session.no_autoflush:
            out = apply(ctx, m)
        if out.youth_id:
            action = {"upsert": "write", "delete": "delete"}[out.op]
            ctx.audit_counts[(out.youth_id, m["entity"], action)] += 1
        return _result(
            m["mutation_id"], out.status, out.version, need_to_know.shown(ctx, m["entity"], out.record), None
        )
    except Rejected as e:
        current = _current_record(ctx, m["entity"], m["id"])
        err = {"code": e.code, "message": e.message}
        if e.details is not None:
            err["details"] = e.details
        return _result(
            m["mutation_id"],
            "rejected",
            current["version"] if current else None,
            current["data"] if current else None,
            err,
        )


def _bookkeeping(ctx: PushContext) -> None:
    """Write the audit lines, the batch's new records, their history and the applied mutation ids."""
    for (youth_id, entity, action), n in ctx.audit_counts.items():
        audit.record(
            ctx.user,
            action,
            youth_id=youth_id,
            entity=entity,
            count=n,
            detail=f"device={ctx.device_id}",
            channel=ctx.channel,
        )
    _insert_new_rows(ctx)
    db.session.flush()
    # Plain multi-row INSERTs: building ORM objects for bookkeeping rows was half the push time.
    if ctx.history_rows:
        db.session.execute(insert(RecordHistory.__table__), ctx.history_rows)
    if ctx.applied_rows:
        db.session.execute(insert(AppliedMutation.__table__), ctx.applied_rows)


def _result(mid, status, version, record, error) -> dict:
    return {"mutation_id": mid, "status": status, "version": version, "record": record, "error": error}


def _queryable(value) -> bool:
    """A string we may put in a query: PostgreSQL refuses NUL in text (the schema rejects it later)."""
    return isinstance(value, str) and "\x00" not in value


def _seen_mutations(mutations: list) -> dict[str, dict]:
    ids = [m.get("mutation_id") for m in mutations if isinstance(m, dict) and _queryable(m.get("mutation_id"))]
    found = {}
    for i in range(0, len(ids), 500):
        for row in db.session.scalars(select(AppliedMutation).where(AppliedMutation.mutation_id.in_(ids[i : i + 500]))):
            found[row.mutation_id] = {
                "user_id": row.user_id,
                "entity": row.entity,
                "record_id": row.record_id,
                "status": row.status,
                "version": row.version,
                "error": row.error,
            }
    return found


def _duplicate(ctx: PushContext, prior: dict, m: dict) -> dict:
    """The same answer as the first time; nothing is applied again."""
    if prior["user_id"] != ctx.user.id or prior["entity"] != m["entity"] or prior["record_id"] != m["id"]:
        return _result(
            m["mutation_id"],
            "rejected",
            None,
            None,
            {"code": "mutation_id_reused", "message": "mutation_id er allerede brugt til en anden ændring."},
        )
    current = _current_record(ctx, m["entity"], prior["record_id"])
    if current is None and m["entity"] == "attendance" and prior["status"] in ("applied", "merged"):
        # Merged by natural key into another record the first time: answer with that record, or
        # the client keeps its own id beside the server's (two records for one day on the phone).
        row = by_natural_key(ctx, "attendance", m.get("data") or {})
        if row is not None:
            current = _current_record(ctx, "attendance", row.id)
    # docs/architecture.md#endpoints: a seen mutation_id is always `duplicate` with the same result again; for one that
    # was rejected the first time that result includes its `error`, which clients must honour.
    return _result(
        m["mutation_id"], "duplicate", prior["version"], current["data"] if current else None, prior["error"]
    )


def _current_record(ctx: PushContext, entity: str, record_id: str) -> dict | None:
    model = MODELS.get(entity)
    row = ctx.get(model, record_id) if model else None
    if row is None or not ctx.sees_youth(row.youth_id):
        return None
    if not item_visible(ctx.user, getattr(row, "organization_id", None), getattr(row, "visibility", "shared")):
        return None
    return {
        "version": row.version,
        "data": None if row.deleted else need_to_know.shown(ctx, entity, row_to_wire(entity, row)),
    }


_REFERENCES = (
    ("youth_id", "youth"),
    ("activity_id", "activity"),
    ("organization_id", "organization"),
    ("goal_id", "goal"),
)


def _prefetch(ctx: PushContext, mutations: list) -> None:
    """Load what a batch touches in a few queries (fills the identity map, notes absent ids)."""
    by_entity, targets, att_keys = _wanted(mutations)
    _load_records(ctx, by_entity, targets)
    if att_keys:
        _load_attendance_by_key(ctx, att_keys)


def _wanted(mutations: list) -> tuple[dict[str, set], dict[str, set], set]:
    """The ids a batch touches per entity, the ones it writes, and its attendance (activity, day) keys."""
    by_entity: dict[str, set] = {}
    targets: dict[str, set] = {}  # the records the batch writes (the rest are only looked at)
    att_keys = set()
    for m in mutations:
        if isinstance(m, dict) and isinstance(m.get("entity"), str) and _queryable(m.get("id")):
            by_entity.setdefault(m["entity"], set()).add(m["id"])
            targets.setdefault(m["entity"], set()).add(m["id"])
            data = m.get("data")
            if isinstance(data, dict):
                # The rows the checks look up (the young person, activity, organisation, goal).
                for key, entity in _REFERENCES:
                    if _queryable(data.get(key)):
                        by_entity.setdefault(entity, set()).add(data[key])
                if m["entity"] == "attendance":
                    att_keys.add((data.get("activity_id"), data.get("date")))
    return by_entity, targets, att_keys


def _load_records(ctx: PushContext, by_entity: dict[str, set], targets: dict[str, set]) -> None:
    for entity in sorted(by_entity):  # one order for every batch: concurrent batches cannot deadlock here
        model = MODELS.get(entity)
        if model is None:
            continue
        ids = sorted(k for k in by_entity[entity] if (model, k) not in ctx.rows)
        mine = targets.get(entity, set())
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            # The records the batch writes are locked until commit (PostgreSQL; SQLite serialises
            # writers anyway): a concurrent edit of the same record waits and then reads the new
            # version, instead of both writing the same next version and one failing ("busy").
            locked = [k for k in chunk if k in mine]
            found = {}
            if locked:
                q = select(model).where(model.id.in_(locked)).order_by(model.id).with_for_update(of=model)
                found.update({r.id: r for r in db.session.scalars(q)})
            rest = [k for k in chunk if k not in mine]
            if rest:
                found.update({r.id: r for r in db.session.scalars(select(model).where(model.id.in_(rest)))})
            for k in chunk:
                ctx.rows[(model, k)] = found.get(k)


def _load_attendance_by_key(ctx: PushContext, att_keys: set) -> None:
    """Attendance by its natural key: a pushed attendance with an unknown id merges into the one with its key."""
    acts = sorted({a for a, _ in att_keys if _queryable(a)})
    dates = set()
    for _, d in att_keys:
        try:
            dates.add(date.fromisoformat(d))
        except (TypeError, ValueError):
            pass
    if len(acts) > 500 or len(dates) > 500:
        return
    # Locked too (see _load_records).
    rows = (
        db.session.scalars(
            select(Attendance)
            .where(Attendance.activity_id.in_(acts), Attendance.date.in_(sorted(dates)))
            .order_by(Attendance.id)
            .with_for_update(of=Attendance)
        )
        if acts and dates
        else []
    )
    for r in rows:
        ctx.created_attendance.setdefault((r.youth_id, r.activity_id, r.date), r)
    ctx.attendance_keys_loaded = True


_INSERT_ORDER = [
    "youth",
    "plan",
    "goal",
    "activity",
    "agreement",
    "attendance",
    "outreach",
    "assessment",
    "consent",
    "goal_proposal",
    "step_change",
    "company_agreement",
    "placement_follow_up",
    "work_hours",
]


def _insert_new_rows(ctx: PushContext) -> None:
    """Insert the batch's new records with one multi-row INSERT per table, parents first."""
    by_model: dict = {}
    for model, row in ctx.new_rows:
        by_model.setdefault(model, []).append(row)
    for entity in _INSERT_ORDER:
        model = MODELS[entity]
        rows = by_model.get(model)
        if not rows:
            continue
        cols = list(model.__table__.columns)
        # Core insert on the table: the ORM's bulk-insert bookkeeping is not needed for plain rows.
        db.session.execute(insert(model.__table__), [_column_values(cols, r) for r in rows])


def _column_values(cols, row) -> dict:
    out = {}
    for c in cols:
        v = getattr(row, c.key)
        if v is None and c.default is not None and c.default.is_scalar:
            v = c.default.arg
        out[c.key] = v
    return out
