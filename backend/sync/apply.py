"""Applying one pushed mutation: checks, the entity's policy, the merge, the record's new version.

Every check raises Rejected before anything is changed, so a rejected mutation leaves the batch's
other mutations untouched and needs no savepoint. New rows are not added to the session: the
pipeline (push.py) inserts them together at the end of the batch.
"""

from __future__ import annotations

from datetime import date

from marshmallow import ValidationError
from sqlalchemy import select

from backend.access import Denied, check_write
from backend.domain.policies import Access, Cascade, FollowUpsFollow, NowVisible, PlanRevised, Policy, policy
from backend.extensions import db
from backend.models import Activity, Attendance, CompanyAgreement, Goal, PlacementFollowUp, Plan, utcnow
from backend.sync import need_to_know, steps
from backend.sync.context import Outcome, PushContext, Rejected
from backend.sync.merge import base_record, changed_fields, merge_into, record_conflict
from backend.sync.records import MODELS, columns, row_to_wire, to_wire
from shared.schemas import first_error_message, validate_entity


def apply(ctx: PushContext, m: dict) -> Outcome:
    """Apply one loaded mutation `m` (create, change or delete) or raise Rejected."""
    entity, rid = m["entity"], m["id"]
    pol = policy(entity)
    row = ctx.get(MODELS[entity], rid)
    if m["op"] == "delete":
        return _delete(ctx, entity, pol, row, m.get("base_version"))
    if row is not None and not _visible_row(ctx, row):
        # Another young person's record, or a hidden item: the same answer as for a record the
        # user cannot see — never a hint that it exists (not "kan ikke flyttes").
        raise Rejected("not_found", "Registreringen findes ikke eller er ikke synlig for dig.")

    data = dict(m["data"] or {})
    if data.get("id", rid) != rid:
        raise Rejected("invalid", "data.id skal være det samme som id.")
    data["id"] = rid
    pol.prepare(rid, data, row)
    natural_merge = False
    if row is None and pol.natural_key:
        row = by_natural_key(ctx, entity, data)
        natural_merge = row is not None
    if natural_merge:
        data["id"] = row.id
    defaulted = None
    if row is None:
        defaulted = need_to_know.fill_default_visibility(ctx, entity, data)
    else:
        need_to_know.drop_hidden(ctx, entity, row_to_wire(entity, row), data)
    loaded = _validated(entity, data, partial=row is not None)

    youth_id = loaded.get("youth_id") or (row.youth_id if row is not None else None)
    if row is None and pol.creates_youth:
        pol.check_create(ctx.writer)
    elif not youth_id or not ctx.sees_youth(youth_id):
        raise Rejected("not_found", "Den unge findes ikke eller er ikke synlig for dig.")
    if row is not None and not ctx.may_see(getattr(row, "organization_id", None), getattr(row, "visibility", "shared")):
        raise Rejected("not_found", "Registreringen findes ikke eller er ikke synlig for dig.")

    sent = set(data) - {"version", "deleted", defaulted}  # a server default is not the client's choice
    return _upsert(ctx, entity, pol, row, loaded, m.get("base_version"), natural_merge, sent)


def _visible_row(ctx: PushContext, row) -> bool:
    return ctx.system or (
        ctx.sees_youth(row.youth_id)
        and ctx.may_see(getattr(row, "organization_id", None), getattr(row, "visibility", "shared"))
    )


def by_natural_key(ctx: PushContext, entity: str, data: dict):
    """The stored record with the same natural key as `data` (attendance: young person, activity, day)."""
    if entity != "attendance":  # the only entity with a natural key
        return None
    youth_id, activity_id, day = data.get("youth_id"), data.get("activity_id"), data.get("date")
    if not (isinstance(youth_id, str) and isinstance(activity_id, str) and isinstance(day, str)):
        return None
    try:
        key = (youth_id, activity_id, date.fromisoformat(day))
    except ValueError:
        return None  # the full validation reports it
    if key in ctx.created_attendance or ctx.attendance_keys_loaded:
        return ctx.created_attendance.get(key)
    return db.session.scalar(
        select(Attendance)
        .where(Attendance.youth_id == key[0], Attendance.activity_id == key[1], Attendance.date == key[2])
        .with_for_update(of=Attendance)
    )  # it will be written: see push._prefetch


def _validated(entity: str, data: dict, partial: bool = False) -> dict:
    t = steps.clock()
    try:
        return validate_entity(entity, data, partial=partial)
    except ValidationError as e:
        raise Rejected("invalid", first_error_message(e), e.messages) from None
    finally:
        steps.add(VALIDATION_STEP, t)


VALIDATION_STEP = "  of which entity validation (marshmallow)"


def _upsert(
    ctx: PushContext,
    entity: str,
    pol: Policy,
    row,
    loaded: dict,
    base_version: int | None,
    natural_merge: bool,
    sent: set[str],
) -> Outcome:
    existing_wire = row_to_wire(entity, row) if row is not None else None
    if row is not None and base_version is not None and base_version > row.version:
        raise Rejected("invalid_base_version", "base_version er nyere end serverens version.")
    if row is not None and pol.locked(row):
        if any(existing_wire.get(k) != to_wire(v) for k, v in loaded.items()):
            raise Rejected("immutable", pol.locked_change)

    base = None if natural_merge else base_record(ctx, entity, row, base_version)
    changed = changed_fields(loaded, base, existing_wire)
    merged = natural_merge or (row is not None and base_version is not None and row.version > base_version)
    merged |= pol.merge_rules(ctx.writer, row, loaded, changed)
    server = pol.server_fields(ctx.writer, row, loaded, changed, ctx, utcnow())

    new_wire = dict(existing_wire or {})
    new_wire.update({k: to_wire(v) for k, v in (loaded if row is None else changed).items()})
    new_wire.update({k: to_wire(v) for k, v in server.items()})
    if row is None:
        new_wire["id"] = loaded["id"]
    _judge(ctx, entity, pol, row, existing_wire, new_wire, changed, sent)
    if entity == "attendance" and (changed or row is None):
        need_to_know.audit_correction(ctx, entity, new_wire)

    if row is None:
        return _create(ctx, entity, pol, {**loaded, **server})
    return _update(ctx, entity, pol, row, existing_wire, changed, server, base_version, merged)


def _judge(
    ctx: PushContext,
    entity: str,
    pol: Policy,
    row,
    existing_wire: dict | None,
    new_wire: dict,
    changed: dict,
    sent: set[str],
) -> None:
    """Permission, the merged record's validity and its references; raises Rejected."""
    try:
        if not ctx.system:
            check_write(ctx.user, entity, "upsert", existing_wire, new_wire, set(changed) & sent, today=ctx.today)
    except Denied as e:
        raise Rejected(e.code, e.message) from None
    if row is not None and changed:
        # The merged record as a whole must still be valid (e.g. end time after start time).
        _validated(entity, new_wire)
    check_references(ctx, entity, pol, new_wire)
    if entity == "youth":
        try:  # administrator tooling too: an assignment opens the whole case
            need_to_know.check_assignment(ctx, existing_wire, new_wire)
        except Denied as e:
            raise Rejected(e.code, e.message) from None


def check_references(ctx: PushContext, entity: str, pol: Policy, wire: dict) -> None:
    """The records `wire` points at exist (for the same young person where the policy says so)."""
    for ref in pol.references:
        value = wire.get(ref.field)
        if not value and not ref.required:
            continue
        found = ctx.find(ref.entity, value)
        if found is None or (ref.same_youth and found.youth_id != wire.get("youth_id")):
            raise Rejected(ref.code, ref.message)
    if pol.one_per_youth:
        model = MODELS[entity]
        youth_id = wire.get("youth_id")
        other = db.session.scalar(
            select(model.id).where(model.youth_id == youth_id, model.id != wire["id"], model.deleted.is_(False))
        )
        other = other or next(
            (
                r.id
                for m, r in ctx.new_rows
                if m is model and r.youth_id == youth_id and r.id != wire["id"] and not r.deleted
            ),
            None,
        )
        if other is not None:
            raise Rejected(*pol.one_per_youth)


class NewRecord:
    """A record created in this batch: its model's columns as plain attributes (None when unset).

    It is inserted with a Core INSERT at the end of the batch (push.py) and never enters the
    session, so it need not be an ORM instance; building those was a fifth of a push's CPU time.
    """

    _blank: dict = {}

    def __init__(self, model, values: dict):
        blank = NewRecord._blank.get(model)
        if blank is None:
            blank = NewRecord._blank[model] = {c.key: None for c in model.__table__.columns}
        self.__dict__.update(blank)
        self.__dict__.update(values)


def _create(ctx: PushContext, entity: str, pol: Policy, loaded: dict) -> Outcome:
    model = MODELS[entity]
    cols = _creatable(entity)
    row = NewRecord(model, {k: v for k, v in loaded.items() if k in cols})
    row.version = 1
    row.deleted = False
    row.field_versions = {}
    row.created_at = row.updated_at = utcnow()
    # Not added to the session: new rows are inserted together at the end of the batch (a
    # concurrent create of the same id/natural key fails there and push() runs the batch again).
    ctx.new_rows.append((model, row))
    wire = row_to_wire(entity, row)
    ctx.rows[(model, row.id)] = row
    if entity == "attendance":
        ctx.created_attendance[(row.youth_id, row.activity_id, row.date)] = row
    ctx.record_history(entity, row.id, 1, wire)
    ctx.touch(entity, row, wire, False)
    _carry_out(ctx, pol.effects(ctx.writer, None, wire))
    return Outcome("applied", row.id, 1, wire, youth_id=row.youth_id, op="upsert")


_CREATABLE: dict[str, frozenset] = {}


def _creatable(entity: str) -> frozenset:
    cols = _CREATABLE.get(entity)
    if cols is None:
        cols = _CREATABLE[entity] = frozenset(columns(entity)) | {"status_source"}
    return cols


def _update(
    ctx: PushContext,
    entity: str,
    pol: Policy,
    row,
    existing_wire: dict,
    changed: dict,
    server: dict,
    base_version: int | None,
    merged: bool,
) -> Outcome:
    server_changes = {k: v for k, v in server.items() if to_wire(getattr(row, k)) != to_wire(v)}
    if not changed and not server_changes and not row.deleted:
        return Outcome(
            "merged" if merged else "applied", row.id, row.version, existing_wire, youth_id=None, op="upsert"
        )
    prev_visibility = getattr(row, "visibility", "shared")
    version, conflicts, revived = merge_into(
        ctx, entity, row, existing_wire, changed, server_changes, base_version, pol.kept_fields
    )
    merged = merged or conflicts > 0 or revived
    wire = row_to_wire(entity, row)
    ctx.record_history(entity, row.id, version, wire, base_version)
    narrowed = prev_visibility == "shared" and wire.get("visibility") == "organization"
    ctx.touch(entity, row, wire, narrowed)
    _carry_out(ctx, pol.effects(ctx.writer, existing_wire, wire))
    return Outcome(
        "merged" if merged else "applied",
        row.id,
        version,
        wire,
        youth_id=row.youth_id,
        op="upsert",
        conflicts=conflicts,
    )


def _delete(ctx: PushContext, entity: str, pol: Policy, row, base_version: int | None) -> Outcome:
    if (
        row is None
        or not ctx.sees_youth(row.youth_id)
        or not ctx.may_see(getattr(row, "organization_id", None), getattr(row, "visibility", "shared"))
    ):
        raise Rejected("not_found", "Registreringen findes ikke eller er ikke synlig for dig.")
    existing = row_to_wire(entity, row)
    if row.deleted:
        return Outcome("applied", row.id, row.version, None, youth_id=None, op="delete")
    try:
        if not ctx.system:  # administrator tooling: no permission checks, as for upserts
            check_write(ctx.user, entity, "delete", existing, existing, set())
    except Denied as e:
        raise Rejected(e.code, e.message) from None
    if pol.locked(row):
        raise Rejected("immutable", pol.locked_delete)
    version = row.version + 1
    if base_version is not None and base_version < row.version:
        # Deleted on a stale copy: the newer content stays findable in the history and here.
        record_conflict(ctx, entity, row, "deleted", False, True, base_version, version)
    row.deleted = True
    row.version = version
    row.updated_at = utcnow()
    ctx.record_history(entity, row.id, version, existing)
    ctx.touch(entity, row, existing, False, deleted=True)
    _carry_out(ctx, pol.delete_effects(row.id))
    return Outcome("applied", row.id, version, None, youth_id=row.youth_id, op="delete")


def _carry_out(ctx: PushContext, effects: list) -> None:
    """Do what the policy said follows from a write (access grants, the activity cascade)."""
    for effect in effects:
        if isinstance(effect, Access):
            note = ctx.changes.grant if effect.granted else ctx.changes.revoke
            note(effect.youth_id, effect.subject_kind, effect.subject_id, effect.reason)
        elif isinstance(effect, NowVisible):
            ctx.sees_youth(effect.youth_id)  # load the visible set before adding to it
            ctx.visible.add(effect.youth_id)  # the grant is written at commit; this batch may go on
        elif isinstance(effect, Cascade):
            _cascade_activity(ctx, ctx.get(Activity, effect.activity_id))
        elif isinstance(effect, FollowUpsFollow):
            parent = ctx.get(CompanyAgreement, effect.agreement_id)
            _cascade(
                ctx, "placement_follow_up", PlacementFollowUp, PlacementFollowUp.company_agreement_id, parent, True
            )
        elif isinstance(effect, PlanRevised):
            _revise_plan(ctx, effect)


def _revise_plan(ctx: PushContext, effect: PlanRevised) -> None:
    """A shared sub-goal changed: the plan gets its next version (once per batch; a plan created in
    this batch is its first version already)."""
    youth_id = effect.youth_id or getattr(ctx.get(Goal, effect.goal_id), "youth_id", None)
    plan = next((r for m, r in ctx.new_rows if m is Plan and r.youth_id == youth_id and not r.deleted), None)
    if youth_id is None or plan is not None or youth_id in ctx.revised_plans:
        return
    plan = db.session.scalar(select(Plan).where(Plan.youth_id == youth_id, Plan.deleted.is_(False)))
    if plan is None:
        return
    ctx.revised_plans.add(youth_id)
    ctx.rows[(Plan, plan.id)] = plan
    version = plan.version + 1
    plan.revision = (plan.revision or 1) + 1
    plan.revised_at = utcnow()
    plan.field_versions = {**(plan.field_versions or {}), "revision": version, "revised_at": version}
    plan.version = version
    plan.updated_at = plan.revised_at
    wire = row_to_wire("plan", plan)
    ctx.record_history("plan", plan.id, version, wire)
    ctx.touch("plan", plan, wire, False)


def _cascade_activity(ctx: PushContext, act) -> None:
    """Attendance inherits its activity's owner and visibility (treatment attendance stays private)."""
    _cascade(ctx, "attendance", Attendance, Attendance.activity_id, act, delete_with_parent=False)


def _cascade(ctx: PushContext, entity: str, model, parent_key, parent, delete_with_parent: bool) -> None:
    """The children of `parent` take its owner and visibility again (and its deletion, if asked), so
    a child of a private record never stays readable by those the record is hidden from."""
    rows = {r.id: r for r in db.session.scalars(select(model).where(parent_key == parent.id))}
    # plus children created earlier in this batch (not in the database yet)
    rows.update({r.id: r for m, r in ctx.new_rows if m is model and getattr(r, parent_key.key) == parent.id})
    for child in rows.values():
        narrowed = child.visibility == "shared" and parent.visibility == "organization"
        child.organization_id = parent.organization_id
        child.visibility = parent.visibility
        if delete_with_parent and parent.deleted:
            child.deleted = True
        child.version += 1
        ctx.record_history(entity, child.id, child.version, row_to_wire(entity, child))
        ctx.changes.touch(
            entity,
            child.id,
            child.youth_id,
            parent.organization_id,
            parent.visibility,
            deleted=child.deleted,
            narrowed=narrowed,
        )
