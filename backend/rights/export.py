"""The young person's data export (GDPR art. 15): everything Trinvis holds about one young person.

`build_export` collects, for one young person, every case record (tombstoned ones too: they are
still held), the programme enrolments, the target-group and outcome history, the version history
and conflicts, the user account and devices, and who has read or changed the case (audit log).

Who gets what (docs/decisions.md, "The young person's rights"):
- the young person's own export is complete: organisation-only (treatment) items and staff-only
  assessment dimensions included, because it is their data and no exemption is applied by the
  system; staff appear in the access log by organisation and role, not by name;
- a coordinator's export follows the coordinator's own access (`item_visible`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from backend.access import item_visible
from backend.clock import to_local
from backend.extensions import db
from backend.models import (
    ENTITY_MODELS,
    AuditLog,
    Conflict,
    DeviceToken,
    Organization,
    RecordHistory,
    SmsMessage,
    User,
    Youth,
    utcnow,
)
from backend.programmes.models import Enrolment, OutcomeChange, Programme, TargetGroupChange
from backend.sync.records import row_to_wire, to_wire
from shared.enums import Role

FORMAT_VERSION = 1
CASE_ENTITIES = (
    "plan",
    "step_change",
    "goal",
    "goal_proposal",
    "company_agreement",
    "placement_follow_up",
    "work_hours",
    "activity",
    "attendance",
    "agreement",
    "assessment",
    "outreach",
    "consent",
)
PROGRAMME_MODELS = {"enrolment": Enrolment, "target_group_history": TargetGroupChange, "outcome_history": OutcomeChange}


def scope_for(viewer: User, youth: Youth) -> str | None:
    """'self' for the young person's own export, 'staff' for their coordinator, else None (→ 404)."""
    from backend.access import can_see_youth

    if viewer.role == Role.YOUTH:
        return "self" if youth.user_id == viewer.id else None
    if viewer.role == Role.COORDINATOR and can_see_youth(viewer, youth.id):
        return "staff"
    return None


def _columns(model) -> list[str]:
    return [c.key for c in model.__table__.columns]


def _plain(model, row) -> dict:
    return {c: to_wire(getattr(row, c)) for c in _columns(model)}


def _record(entity: str, row) -> dict:
    out = row_to_wire(entity, row)
    out.update(
        version=row.version, deleted=row.deleted, created_at=to_wire(row.created_at), updated_at=to_wire(row.updated_at)
    )
    return out


def _case_records(viewer: User, youth_id: str, scope: str) -> dict[str, list]:
    """Every case record of the young person per entity, as far as the scope allows."""
    out = {}
    for entity in CASE_ENTITIES:
        model = ENTITY_MODELS[entity]
        rows = db.session.scalars(
            select(model).where(model.youth_id == youth_id).order_by(model.created_at, model.id)
        ).all()
        if scope == "staff":
            rows = [
                r
                for r in rows
                if item_visible(viewer, getattr(r, "organization_id", None), getattr(r, "visibility", "shared"))
            ]
        out[entity] = [_record(entity, r) for r in rows]
    return out


def _programme_records(youth_id: str) -> dict[str, list]:
    out = {}
    for key, model in PROGRAMME_MODELS.items():
        order = model.start_date if model is Enrolment else model.valid_from
        rows = db.session.scalars(select(model).where(model.youth_id == youth_id).order_by(order)).all()
        out[key] = [_plain(model, r) for r in rows]
    return out


def _history(youth_id: str, records: dict[str, list]) -> dict[str, list]:
    """Earlier versions and conflicts of the records in the export (nothing of hidden items)."""
    keys = {("youth", youth_id)} | {(e, r["id"]) for e, rows in records.items() for r in rows}
    by_entity = defaultdict(list)
    for entity, rid in keys:
        by_entity[entity].append(rid)
    versions = []
    for entity, ids in by_entity.items():
        for i in range(0, len(ids), 500):
            q = select(RecordHistory).where(
                RecordHistory.entity == entity, RecordHistory.record_id.in_(ids[i : i + 500])
            )
            versions += [_plain(RecordHistory, h) for h in db.session.scalars(q)]
    versions.sort(key=lambda h: (h["at"] or "", h["entity"], h["record_id"], h["version"]))
    conflicts = [
        _plain(Conflict, c)
        for c in db.session.scalars(select(Conflict).where(Conflict.youth_id == youth_id).order_by(Conflict.created_at))
        if (c.entity, c.record_id) in keys
    ]
    return {"record_history": versions, "conflict": conflicts}


def _access_log(youth_id: str, youth_user_id: str | None) -> list[dict]:
    """Who read, changed or exported the case: per day, person's organisation and role, and action."""
    rows = db.session.execute(
        select(AuditLog.at, AuditLog.user_id, AuditLog.action, AuditLog.entity, AuditLog.record_count, AuditLog.channel)
        .where(AuditLog.youth_id == youth_id)
        .order_by(AuditLog.at)
    ).all()
    users = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_({r.user_id for r in rows if r.user_id})))
    }
    orgs = {o.id: o.name for o in db.session.scalars(select(Organization))}
    grouped: dict[tuple, dict] = {}
    for r in rows:
        u = users.get(r.user_id)
        who = (
            "self" if r.user_id and r.user_id == youth_user_id else (u.role if u else "system"),
            orgs.get(u.organization_id, "") if u else "",
        )
        key = (to_local(r.at).date().isoformat(), *who, r.action, r.channel)
        entry = grouped.setdefault(
            key,
            {
                "date": key[0],
                "role": who[0],
                "organization": who[1],
                "action": r.action,
                "channel": r.channel,
                "entities": {},
            },
        )
        if r.entity:
            entry["entities"][r.entity] = entry["entities"].get(r.entity, 0) + (r.record_count or 0)
    return list(grouped.values())


def _account(youth: Youth) -> dict | None:
    user = db.session.get(User, youth.user_id) if youth.user_id else None
    if user is None:
        return None
    devices = db.session.scalars(
        select(DeviceToken).where(DeviceToken.user_id == user.id).order_by(DeviceToken.created_at)
    ).all()
    return {
        "username": user.username,
        "display_name": user.display_name,
        "active": user.active,
        "created_at": to_wire(user.created_at),
        "devices": [
            {
                "device_name": d.device_name,
                "created_at": to_wire(d.created_at),
                "last_used_at": to_wire(d.last_used_at),
                "expires_at": to_wire(d.expires_at),
                "revoked_at": to_wire(d.revoked_at),
            }
            for d in devices
        ],
    }


def _names(export: dict) -> dict:
    """Names of the organisations, staff and programmes the export's ids refer to."""
    orgs = {o.id: o.name for o in db.session.scalars(select(Organization))}
    people = {
        u.id: {"name": u.display_name, "role": u.role}
        for u in db.session.scalars(select(User).where(User.role != Role.YOUTH))
    }
    programmes = {p.id: p.name for p in db.session.scalars(select(Programme))}
    used = {v for v in _ids_in(export)}
    return {
        "organizations": {k: v for k, v in orgs.items() if k in used},
        "users": {k: v for k, v in people.items() if k in used},
        "programmes": {k: v for k, v in programmes.items() if k in used},
    }


def _ids_in(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _ids_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _ids_in(v)
    elif isinstance(value, str) and len(value) == 36:
        yield value


def build_export(viewer: User, youth: Youth, scope: str, now: datetime | None = None) -> dict:
    """The export as plain JSON-ready data (see the module docstring for what each scope holds)."""
    records = _case_records(viewer, youth.id, scope)
    # The text messages sent to them (issue 13): their number and what was said are their data too.
    records["sms"] = [
        _plain(SmsMessage, m)
        for m in db.session.scalars(
            select(SmsMessage).where(SmsMessage.youth_id == youth.id).order_by(SmsMessage.due_at)
        )
    ]
    export = {
        "format": "trinvis-export",
        "format_version": FORMAT_VERSION,
        "generated_at": to_wire(now or utcnow()),
        "scope": scope,
        "requested_by": {"role": viewer.role, "name": viewer.display_name},
        "youth": _record("youth", youth),
        "account": _account(youth) if scope == "self" else None,
        "records": records,
        "programmes": _programme_records(youth.id),
        "history": _history(youth.id, records),
        "access_log": _access_log(youth.id, youth.user_id),
    }
    export["names"] = _names(export)
    export["counts"] = record_counts(export)
    return export


def record_counts(export: dict) -> dict[str, int]:
    """Number of items per kind (for the document's summary and the audit entry)."""
    counts = {"youth": 1}
    for group in ("records", "programmes", "history"):
        counts.update({k: len(v) for k, v in export[group].items()})
    counts["access_log"] = len(export["access_log"])
    return counts
