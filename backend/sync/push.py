"""Applying pushed mutations: validation, permissions, per-field merge, natural-key merge.

Every check of a mutation happens before it changes anything, so a rejected one leaves the
others untouched; all accepted ones are written in one flush and commit together with their
change numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import time
from datetime import date

from marshmallow import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from backend import audit
from backend.access import Denied, check_write, item_visible, visible_youth_ids
from backend.errors import ApiError
from backend.extensions import db
from backend.models import (
    Activity,
    AppliedMutation,
    Attendance,
    Conflict,
    Organization,
    RecordHistory,
    User,
    Youth,
    utcnow,
)
from backend.sync import need_to_know
from backend.sync.changes import ChangeSet
from backend.sync.records import MODELS, columns, row_to_wire, to_wire
from shared.enums import Role
from shared.schemas import MutationSchema, first_error_message, validate_entity

_MISSING = object()
_mutation_schema = MutationSchema()


class Rejected(Exception):
    def __init__(self, code: str, message: str, details=None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


@dataclass
class Outcome:
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
    today: date | None = None  # the server's local date, for the attendance windows

    def get(self, model, key):
        """A row by primary key: from this batch's new rows, else the session (no autoflush)."""
        if key is None:
            return None
        if (model, key) in self.rows:
            return self.rows[(model, key)]
        row = db.session.get(model, key)
        # The identity map holds rows weakly: keep them for the rest of the batch.
        self.rows[(model, key)] = row
        return row

    visible: set | None = None
    new_rows: list = field(default_factory=list)  # (model, row) created in this batch, inserted at the end
    history_users: dict = field(default_factory=dict)

    def sees_youth(self, youth_id: str) -> bool:
        if self.system:
            return True
        if self.visible is None:  # one query per batch
            self.visible = visible_youth_ids(self.user)
        return youth_id in self.visible


PUSH_ATTEMPTS = 4


def push(user: User, device_id: str, mutations: list, channel: str = "api", system: bool = False,
         today: date | None = None) -> list[dict]:
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
            db.session.rollback()
            if attempt == PUSH_ATTEMPTS - 1:
                raise ApiError(409, "busy", "Serveren var optaget af en samtidig ændring. Prøv igen.") from e
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _push_once(user: User, device_id: str, mutations: list, channel: str, system: bool,
               today: date | None) -> list[dict]:
    ctx = PushContext(user, device_id, channel, system)
    ctx.today = today or need_to_know.server_today()
    _prefetch(ctx, mutations)
    seen = _seen_mutations(mutations)
    results: list[dict] = []
    in_batch: dict[str, dict] = {}
    for raw in mutations:
        mid = raw.get("mutation_id") if isinstance(raw, dict) else None
        try:
            m = _mutation_schema.load(raw) if isinstance(raw, dict) else None
            if m is None:
                raise ValidationError("Hver ændring skal være et objekt.")
        except ValidationError as e:
            results.append(_result(mid if isinstance(mid, str) else None, "rejected", None, None,
                                   {"code": "invalid", "message": first_error_message(e), "details": e.messages}))
            continue
        mid = m["mutation_id"]
        prior = in_batch.get(mid) or seen.get(mid)
        if prior is not None:
            results.append(_duplicate(ctx, prior, m))
            continue
        try:
            # Every check raises Rejected before anything is changed, so no savepoint is needed.
            with db.session.no_autoflush:
                out = _apply(ctx, m)
            res = _result(mid, out.status, out.version, need_to_know.shown(ctx, m["entity"], out.record), None)
            if out.youth_id:
                action = {"upsert": "write", "delete": "delete"}[out.op]
                ctx.audit_counts[(out.youth_id, m["entity"], action)] += 1
        except Rejected as e:
            current = _current_record(ctx, m["entity"], m["id"])
            err = {"code": e.code, "message": e.message}
            if e.details is not None:
                err["details"] = e.details
            res = _result(mid, "rejected", current["version"] if current else None,
                          current["data"] if current else None, err)
        ctx.applied_rows.append(dict(
            mutation_id=mid, user_id=user.id, device_id=device_id, entity=m["entity"], record_id=m["id"],
            status=res["status"], version=res["version"], error=res["error"], created_at=utcnow()))
        in_batch[mid] = {"user_id": user.id, "entity": m["entity"], "record_id": m["id"],
                         "status": res["status"], "version": res["version"], "error": res["error"]}
        results.append(res)
    for (youth_id, entity, action), n in ctx.audit_counts.items():
        audit.record(user, action, youth_id=youth_id, entity=entity, count=n,
                     detail=f"device={device_id}", channel=channel)
    _insert_new_rows(ctx)
    db.session.flush()
    # Plain multi-row INSERTs: building ORM objects for bookkeeping rows was half the push time.
    if ctx.history_rows:
        db.session.execute(insert(RecordHistory.__table__), ctx.history_rows)
    if ctx.applied_rows:
        db.session.execute(insert(AppliedMutation.__table__), ctx.applied_rows)
    ctx.changes.finalize()
    db.session.commit()
    return results


def _result(mid, status, version, record, error) -> dict:
    return {"mutation_id": mid, "status": status, "version": version, "record": record, "error": error}


def _queryable(value) -> bool:
    """A string we may put in a query: PostgreSQL refuses NUL in text (the schema rejects it later)."""
    return isinstance(value, str) and "\x00" not in value


def _seen_mutations(mutations: list) -> dict[str, dict]:
    ids = [m.get("mutation_id") for m in mutations if isinstance(m, dict) and _queryable(m.get("mutation_id"))]
    found = {}
    for i in range(0, len(ids), 500):
        for row in db.session.scalars(select(AppliedMutation).where(AppliedMutation.mutation_id.in_(ids[i:i + 500]))):
            found[row.mutation_id] = {"user_id": row.user_id, "entity": row.entity, "record_id": row.record_id,
                                      "status": row.status, "version": row.version, "error": row.error}
    return found


def _duplicate(ctx: PushContext, prior: dict, m: dict) -> dict:
    """The same answer as the first time; nothing is applied again."""
    if prior["user_id"] != ctx.user.id or prior["entity"] != m["entity"] or prior["record_id"] != m["id"]:
        return _result(m["mutation_id"], "rejected", None, None,
                       {"code": "mutation_id_reused", "message": "mutation_id er allerede brugt til en anden ændring."})
    current = _current_record(ctx, m["entity"], prior["record_id"])
    if current is None and m["entity"] == "attendance" and prior["status"] in ("applied", "merged"):
        # Merged by natural key into another record the first time: answer with that record, or
        # the client keeps its own id beside the server's (two records for one day on the phone).
        row = _attendance_by_natural_key(ctx, m.get("data") or {})
        if row is not None:
            current = _current_record(ctx, "attendance", row.id)
    # DESIGN.md: a seen mutation_id is always `duplicate` with the same result again; for one that
    # was rejected the first time that result includes its `error`, which clients must honour.
    return _result(m["mutation_id"], "duplicate", prior["version"], current["data"] if current else None,
                   prior["error"])


def _current_record(ctx: PushContext, entity: str, record_id: str) -> dict | None:
    model = MODELS.get(entity)
    row = ctx.get(model, record_id) if model else None
    if row is None or not ctx.sees_youth(row.youth_id):
        return None
    if not item_visible(ctx.user, getattr(row, "organization_id", None), getattr(row, "visibility", "shared")):
        return None
    return {"version": row.version,
            "data": None if row.deleted else need_to_know.shown(ctx, entity, row_to_wire(entity, row))}


_REFERENCES = (("youth_id", "youth"), ("activity_id", "activity"), ("organization_id", "organization"),
               ("goal_id", "goal"))


def _prefetch(ctx: PushContext, mutations: list) -> None:
    """Load what a batch touches in a few queries (fills the identity map, notes absent ids)."""
    by_entity: dict[str, set] = {}
    att_keys = set()
    for m in mutations:
        if isinstance(m, dict) and isinstance(m.get("entity"), str) and _queryable(m.get("id")):
            by_entity.setdefault(m["entity"], set()).add(m["id"])
            data = m.get("data")
            if isinstance(data, dict):
                # The rows the checks look up (the young person, activity, organisation, goal).
                for key, entity in _REFERENCES:
                    if _queryable(data.get(key)):
                        by_entity.setdefault(entity, set()).add(data[key])
                if m["entity"] == "attendance":
                    att_keys.add((data.get("activity_id"), data.get("date")))
    for entity, ids in by_entity.items():
        model = MODELS.get(entity)
        if model is None:
            continue
        ids = [k for k in ids if (model, k) not in ctx.rows]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found = {r.id: r for r in db.session.scalars(select(model).where(model.id.in_(chunk)))}
            for k in chunk:
                ctx.rows[(model, k)] = found.get(k)
    if att_keys:
        acts = sorted({a for a, _ in att_keys if _queryable(a)})
        dates = set()
        for _, d in att_keys:
            try:
                dates.add(date.fromisoformat(d))
            except (TypeError, ValueError):
                pass
        if len(acts) <= 500 and len(dates) <= 500:
            rows = db.session.scalars(select(Attendance).where(
                Attendance.activity_id.in_(acts), Attendance.date.in_(sorted(dates)))) if acts and dates else []
            for r in rows:
                ctx.created_attendance.setdefault((r.youth_id, r.activity_id, r.date), r)
            ctx.attendance_keys_loaded = True


# ---- applying one mutation ----------------------------------------------------------------


def _apply(ctx: PushContext, m: dict) -> Outcome:
    entity, rid, op = m["entity"], m["id"], m["op"]
    model = MODELS[entity]
    row = ctx.get(model, rid)
    if op == "delete":
        return _delete(ctx, entity, row, m)
    if row is not None and not _visible_row(ctx, row):
        # Another young person's record, or a hidden item: the same answer as an unknown id would
        # get from a read — never a hint that it exists.
        raise Rejected("not_found", "Registreringen findes ikke eller er ikke synlig for dig.")

    data = dict(m["data"] or {})
    if data.get("id", rid) != rid:
        raise Rejected("invalid", "data.id skal være det samme som id.")
    data["id"] = rid
    if entity == "youth":
        data.setdefault("youth_id", rid)
        if data["youth_id"] != rid:
            raise Rejected("invalid", "For en ung er youth_id det samme som id.")
    elif row is not None:
        data.setdefault("youth_id", row.youth_id)

    natural_merge = False
    if row is None and entity == "attendance":
        row = _attendance_by_natural_key(ctx, data)
        natural_merge = row is not None
    if row is not None and natural_merge:
        data["id"] = row.id
    defaulted = None
    if row is None:
        defaulted = need_to_know.fill_default_visibility(ctx, entity, data)
    else:
        need_to_know.drop_hidden(ctx, entity, row_to_wire(entity, row), data)

    try:
        loaded = validate_entity(entity, data, partial=row is not None)
    except ValidationError as e:
        raise Rejected("invalid", first_error_message(e), e.messages) from None

    youth_id = loaded.get("youth_id") or (row.youth_id if row is not None else None)
    if entity == "youth" and row is None:
        if ctx.user.role != Role.COORDINATOR and not ctx.system:
            raise Rejected("forbidden", "Kun en koordinator kan oprette en ung.")
    elif not youth_id or not ctx.sees_youth(youth_id):
        raise Rejected("not_found", "Den unge findes ikke eller er ikke synlig for dig.")

    if row is not None and not ctx.system and not item_visible(
            ctx.user, getattr(row, "organization_id", None), getattr(row, "visibility", "shared")):
        raise Rejected("not_found", "Registreringen findes ikke eller er ikke synlig for dig.")

    sent = set(data) - {"version", "deleted", defaulted}  # a server default is not the client's choice
    return _upsert(ctx, entity, model, row, loaded, m.get("base_version"), natural_merge, sent)


def _visible_row(ctx: PushContext, row) -> bool:
    if ctx.system:
        return True
    return ctx.sees_youth(row.youth_id) and item_visible(
        ctx.user, getattr(row, "organization_id", None), getattr(row, "visibility", "shared"))


def _attendance_by_natural_key(ctx: PushContext, data: dict):
    youth_id, activity_id, day = data.get("youth_id"), data.get("activity_id"), data.get("date")
    if not (isinstance(youth_id, str) and isinstance(activity_id, str) and isinstance(day, str)):
        return None
    try:
        key = (youth_id, activity_id, date.fromisoformat(day))
    except ValueError:
        return None  # the full validation reports it
    if key in ctx.created_attendance or ctx.attendance_keys_loaded:
        return ctx.created_attendance.get(key)
    return db.session.scalar(select(Attendance).where(
        Attendance.youth_id == key[0], Attendance.activity_id == key[1], Attendance.date == key[2]))


def _upsert(ctx: PushContext, entity: str, model, row, loaded: dict, base_version: int | None,
            natural_merge: bool, sent: set[str]) -> Outcome:
    user = ctx.user
    existing_wire = row_to_wire(entity, row) if row is not None else None
    if row is not None and base_version is not None and base_version > row.version:
        raise Rejected("invalid_base_version", "base_version er nyere end serverens version.")
    if entity == "assessment" and row is not None and row.submitted_at is not None:
        incoming = {k: to_wire(v) for k, v in loaded.items()}
        if any(existing_wire.get(k) != v for k, v in incoming.items()):
            raise Rejected("immutable", "En indsendt progressionsmåling kan ikke ændres.")

    base = None
    if row is not None and base_version is not None and not natural_merge:
        base = ctx.history.get((entity, row.id, base_version))
        if base is None:
            hist = db.session.get(RecordHistory, (entity, row.id, base_version))
            base = hist.data if hist is not None else None

    # Which fields did the client change? Against the base it edited when we have it.
    incoming = {k: v for k, v in loaded.items() if k != "id"}
    changed: dict[str, object] = {}
    for f, v in incoming.items():
        wire_v = to_wire(v)
        if base is not None and base.get(f, _MISSING) == wire_v:
            continue
        if existing_wire is not None and existing_wire.get(f) == wire_v:
            continue
        changed[f] = v

    merged = natural_merge or (row is not None and base_version is not None and row.version > base_version)
    if entity == "attendance":
        merged |= _attendance_rules(ctx, row, loaded, changed)

    server = _server_fields(ctx, entity, row, loaded, changed)
    new_wire = dict(existing_wire or {})
    new_wire.update({k: to_wire(v) for k, v in (loaded if row is None else changed).items()})
    new_wire.update({k: to_wire(v) for k, v in server.items()})
    if row is None:
        new_wire["id"] = loaded["id"]

    try:
        if not ctx.system:
            check_write(user, entity, "upsert", existing_wire, new_wire, set(changed) & sent, today=ctx.today)
    except Denied as e:
        raise Rejected(e.code, e.message) from None
    if row is not None and changed:
        # The merged record as a whole must still be valid (e.g. end time after start time).
        try:
            validate_entity(entity, new_wire)
        except ValidationError as e:
            raise Rejected("invalid", first_error_message(e), e.messages) from None
    _check_references(ctx, entity, new_wire)
    if entity == "youth":
        try:  # administrator tooling too: an assignment opens the whole case
            need_to_know.check_assignment(ctx, existing_wire, new_wire)
        except Denied as e:
            raise Rejected(e.code, e.message) from None
    if entity == "attendance" and (changed or row is None):
        need_to_know.audit_correction(ctx, entity, new_wire)

    if row is None:
        return _create(ctx, entity, model, {**loaded, **server})
    server_changes = {k: v for k, v in server.items() if to_wire(getattr(row, k)) != to_wire(v)}
    if not changed and not server_changes and not row.deleted:
        return Outcome("merged" if merged else "applied", row.id, row.version, existing_wire,
                       youth_id=None, op="upsert")

    version = row.version + 1
    conflicts = 0
    fv = dict(row.field_versions or {})
    prev_visibility = getattr(row, "visibility", "shared")
    for f, v in changed.items():
        server_changed_since_base = (
            base_version is None or fv.get(f, 1) > base_version
        ) and existing_wire.get(f) not in (None, "", [], {})
        if server_changed_since_base and not (entity == "attendance" and f in _ATTENDANCE_MERGED_FIELDS):
            _conflict(ctx, entity, row, f, existing_wire.get(f), to_wire(v), base_version, version)
            conflicts += 1
            merged = True
        setattr(row, f, v)
        fv[f] = version
    if row.deleted:
        # An edit to a record deleted elsewhere: keep the edit, remember the deletion.
        _conflict(ctx, entity, row, "deleted", True, False, base_version, version)
        row.deleted = False
        merged = True
    for f, v in server_changes.items():
        setattr(row, f, v)
        fv[f] = version
    row.version = version
    row.field_versions = fv
    row.updated_at = utcnow()
    wire = row_to_wire(entity, row)
    _history(ctx, entity, row.id, version, wire)
    narrowed = prev_visibility == "shared" and wire.get("visibility") == "organization"
    _touch(ctx, entity, row, wire, narrowed)
    _side_effects(ctx, entity, existing_wire, wire)
    return Outcome("merged" if merged else "applied", row.id, version, wire, youth_id=row.youth_id,
                   op="upsert", conflicts=conflicts)


_ATTENDANCE_MERGED_FIELDS = {"self_checked_in_at", "absence_reason"}


def _attendance_rules(ctx: PushContext, row, loaded: dict, changed: dict) -> bool:
    """Attendance merge rules; True when the stored result differs from what the client sent.

    Staff status wins over the young person's; the young person's check-in time and absence
    reason are never erased by a merge.
    """
    merged = False
    is_youth = ctx.user.role == Role.YOUTH
    if row is not None:
        for f in _ATTENDANCE_MERGED_FIELDS:
            if f in changed and changed[f] in (None, "") and getattr(row, f) not in (None, ""):
                del changed[f]
                merged = True
        if is_youth and "status" in changed and row.status_source == "staff":
            del changed["status"]
            merged = True
    if is_youth:
        # A check-in means present, unless staff already recorded something else.
        if (row is None or row.status_source != "staff") and loaded.get("self_checked_in_at") and not loaded.get("status"):
            if row is None:
                loaded["status"] = "present"
            elif row.status != "present":
                changed["status"] = "present"
    return merged


def _server_fields(ctx: PushContext, entity: str, row, loaded: dict, changed: dict) -> dict:
    """Fields only the server sets (who recorded, the activity's organisation, timestamps).

    Returned separately from `changed` so the permission check judges only what the client sent.
    """
    user = ctx.user
    now = utcnow()
    out: dict = {}
    creating = row is None
    if entity == "attendance":
        activity_id = loaded.get("activity_id") or (row.activity_id if row is not None else None)
        act = ctx.get(Activity, activity_id)
        youth_id = loaded.get("youth_id") or (row.youth_id if row is not None else None)
        if act is None or act.youth_id != youth_id or act.deleted or not (
                ctx.system or item_visible(user, act.organization_id, act.visibility)):
            # an activity the writer may not see is as good as absent (no check-in to hidden treatment)
            raise Rejected("invalid_reference", "Aktiviteten findes ikke for denne unge.")
        out["organization_id"] = act.organization_id
        out["visibility"] = act.visibility
        status_set = ("status" in changed) if not creating else bool(loaded.get("status"))
        if status_set:
            staff = user.role != Role.YOUTH
            out["status_source"] = "staff" if staff else "youth"
            if staff:
                out["recorded_by_user_id"] = user.id
    elif entity == "outreach" and creating:
        out["user_id"] = user.id
    elif entity == "assessment" and creating:
        out["rater_user_id"] = user.id
        if user.role != Role.YOUTH and not loaded.get("organization_id"):
            out["organization_id"] = user.organization_id
    elif entity == "agreement" and creating:
        out["created_by_user_id"] = user.id
    elif entity == "consent" and (creating or "status" in changed):
        out["recorded_by_user_id"] = user.id
        stamp = "given_at" if loaded.get("status", row.status if row is not None else None) == "given" else "withdrawn_at"
        if stamp not in changed and not (creating and loaded.get(stamp)):
            out[stamp] = now
    elif entity == "youth" and creating and not loaded.get("coordinator_id") and user.role == Role.COORDINATOR:
        out["coordinator_id"] = user.id
    return out


def _check_references(ctx: PushContext, entity: str, wire: dict) -> None:
    org = wire.get("organization_id")
    if org and entity != "attendance" and ctx.get(Organization, org) is None:
        raise Rejected("invalid_reference", "Organisationen findes ikke.")
    if entity != "youth" and ctx.get(Youth, wire.get("youth_id")) is None:
        raise Rejected("not_found", "Den unge findes ikke.")
    if entity == "activity" and wire.get("goal_id"):
        from backend.models import Goal

        goal = ctx.get(Goal, wire["goal_id"])
        if goal is None or goal.youth_id != wire.get("youth_id"):
            raise Rejected("invalid_reference", "Delmålet findes ikke for denne unge.")
    if entity == "youth":
        for f in ("mentor_id", "coordinator_id", "user_id"):
            if wire.get(f) and ctx.get(User, wire[f]) is None:
                raise Rejected("invalid_reference", f"Brugeren i {f} findes ikke.")
    if entity == "plan":
        from backend.models import Plan

        other = db.session.scalar(select(Plan.id).where(Plan.youth_id == wire.get("youth_id"), Plan.id != wire["id"],
                                                        Plan.deleted.is_(False)))
        other = other or next((r.id for m, r in ctx.new_rows if m is Plan and r.youth_id == wire.get("youth_id")
                               and r.id != wire["id"] and not r.deleted), None)
        if other is not None:
            raise Rejected("duplicate_plan", "Den unge har allerede én fælles plan.")


def _create(ctx: PushContext, entity: str, model, loaded: dict) -> Outcome:
    cols = set(columns(entity)) | {"status_source"}
    values = {k: v for k, v in loaded.items() if k in cols}
    row = model(**values)
    row.version = 1
    row.deleted = False
    row.field_versions = {}
    now = utcnow()
    row.created_at = row.updated_at = now
    # Not added to the session: new rows are inserted together at the end of the batch (a
    # concurrent create of the same id/natural key fails there and push() runs the batch again).
    ctx.new_rows.append((model, row))
    wire = row_to_wire(entity, row)
    ctx.rows[(model, row.id)] = row
    if entity == "attendance":
        ctx.created_attendance[(row.youth_id, row.activity_id, row.date)] = row
    _history(ctx, entity, row.id, 1, wire)
    _touch(ctx, entity, row, wire, False)
    _side_effects(ctx, entity, None, wire)
    return Outcome("applied", row.id, 1, wire, youth_id=row.youth_id, op="upsert")


def _delete(ctx: PushContext, entity: str, row, m: dict) -> Outcome:
    if row is None or not ctx.sees_youth(row.youth_id) or not (ctx.system or item_visible(
            ctx.user, getattr(row, "organization_id", None), getattr(row, "visibility", "shared"))):
        raise Rejected("not_found", "Registreringen findes ikke eller er ikke synlig for dig.")
    existing = row_to_wire(entity, row)
    if row.deleted:
        return Outcome("applied", row.id, row.version, None, youth_id=None, op="delete")
    try:
        if not ctx.system:  # administrator tooling: no permission checks, as for upserts
            check_write(ctx.user, entity, "delete", existing, existing, set())
    except Denied as e:
        raise Rejected(e.code, e.message) from None
    if entity == "assessment" and row.submitted_at is not None:
        raise Rejected("immutable", "En indsendt progressionsmåling kan ikke slettes.")
    base_version = m.get("base_version")
    version = row.version + 1
    if base_version is not None and base_version < row.version:
        # Deleted on a stale copy: the newer content stays findable in the history and here.
        _conflict(ctx, entity, row, "deleted", False, True, base_version, version)
    row.deleted = True
    row.version = version
    row.updated_at = utcnow()
    _history(ctx, entity, row.id, version, existing)
    _touch(ctx, entity, row, existing, False, deleted=True)
    if entity == "activity":
        _cascade_activity(ctx, row, deleted=True)
    return Outcome("applied", row.id, version, None, youth_id=row.youth_id, op="delete")


_INSERT_ORDER = ["youth", "plan", "goal", "activity", "agreement", "attendance", "outreach", "assessment", "consent"]


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


def _history(ctx: PushContext, entity: str, record_id: str, version: int, wire: dict) -> None:
    ctx.history[(entity, record_id, version)] = wire
    ctx.history_users[(entity, record_id, version)] = ctx.user.id
    ctx.history_rows.append(dict(entity=entity, record_id=record_id, version=version, data=wire,
                                 user_id=ctx.user.id, at=utcnow()))


def _conflict(ctx, entity, row, f, losing, winning, base_version, version) -> None:
    key = (entity, row.id, row.version)
    last = ctx.history_users[key] if key in ctx.history_users else db.session.scalar(
        select(RecordHistory.user_id).where(RecordHistory.entity == entity, RecordHistory.record_id == row.id,
                                            RecordHistory.version == row.version))
    db.session.add(Conflict(entity=entity, record_id=row.id, youth_id=row.youth_id, field=f,
                            winning_value=winning, losing_value=losing, losing_user_id=last,
                            winning_user_id=ctx.user.id, base_version=base_version, version=version))


def _touch(ctx: PushContext, entity: str, row, wire: dict, narrowed: bool, deleted: bool = False) -> None:
    ctx.changes.touch(entity, row.id, row.youth_id, wire.get("organization_id"), wire.get("visibility"),
                      deleted=deleted, narrowed=narrowed)


def _side_effects(ctx: PushContext, entity: str, before: dict | None, after: dict) -> None:
    """Access grants follow assignments and consent; attendance follows its activity's visibility."""
    cs = ctx.changes
    if entity == "youth":
        yid = after["id"]
        for f, reason in (("mentor_id", "mentor"), ("coordinator_id", "coordinator"), ("user_id", "self")):
            old, new = (before or {}).get(f), after.get(f)
            if old == new:
                continue
            if old:
                cs.revoke(yid, "user", old, reason)
            if new:
                cs.grant(yid, "user", new, reason)
        if not ctx.system and ctx.user.id in {after.get("mentor_id"), after.get("coordinator_id"),
                                              after.get("user_id")}:
            ctx.sees_youth(yid)  # load the visible set before adding to it
            ctx.visible.add(yid)  # the grant is written at commit; this batch may go on with the youth
    elif entity == "consent":
        old = (before or {}).get("status")
        new = after.get("status")
        if old != new:
            if new == "given":
                cs.grant(after["youth_id"], "org", after["organization_id"], "consent")
            else:
                cs.revoke(after["youth_id"], "org", after["organization_id"], "consent")
    elif entity == "activity" and before is not None and (
        before.get("visibility") != after.get("visibility") or before.get("organization_id") != after.get("organization_id")
    ):
        act = ctx.get(Activity, after["id"])
        _cascade_activity(ctx, act, deleted=False)


def _cascade_activity(ctx: PushContext, act, deleted: bool) -> None:
    """Attendance inherits its activity's owner and visibility (treatment attendance stays private)."""
    rows = {r.id: r for r in db.session.scalars(select(Attendance).where(Attendance.activity_id == act.id))}
    # plus attendance created earlier in this batch (not in the database yet)
    rows.update({r.id: r for m, r in ctx.new_rows if m is Attendance and r.activity_id == act.id})
    for att in rows.values():
        narrowed = att.visibility == "shared" and act.visibility == "organization"
        att.organization_id = act.organization_id
        att.visibility = act.visibility
        att.version += 1
        _history(ctx, "attendance", att.id, att.version, row_to_wire("attendance", att))
        ctx.changes.touch("attendance", att.id, att.youth_id, act.organization_id, act.visibility,
                          deleted=att.deleted, narrowed=narrowed)
