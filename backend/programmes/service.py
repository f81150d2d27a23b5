"""Writes: the catalogue, enrolments and the target-group / outcome history.

The tables of this package are written directly (they are not synced); what phones must see —
the enrolment's activities and the youth's current target group and outcome — goes through
`backend.sync.push.push`, so it gets versions, history and change numbers like any other edit.
Nothing here commits on its own: the caller — the request, CLI command or seed — owns the
transaction (push() commits the batch it applies, as it does for every writer).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from backend import audit, clock
from backend.access import can_see_youth
from backend.extensions import db
from backend.models import Activity, Organization, User, Youth, utcnow
from backend.programmes.catalogue import THEORY_FIELDS
from backend.programmes.models import (
    Enrolment,
    ExpectedEffect,
    OutcomeChange,
    Programme,
    ProgrammeActivity,
    ProgrammePhase,
    TargetGroupChange,
    TargetGroupTarget,
)
from backend.sync.push import push
from shared import permissions
from shared.enums import Role

END_REASONS = {
    "completed": "Gennemført",
    "dropped_out": "Afbrudt",
    "moved": "Fraflyttet",
    "other_programme": "Overgået til andet forløb",
    "other": "Andet",
}


class ServiceError(Exception):
    """A write that cannot be made; the message is Danish and meant for the user."""


def may_edit_catalogue(user: User) -> bool:
    return user.role in (Role.COORDINATOR, Role.ADMIN)


def may_record(user: User, youth_id: str) -> bool:
    """Enrolments and status history are the coordinating caseworker's (the shared rule says so)."""
    record = {"id": "new", "youth_id": youth_id, "organization_id": user.organization_id}
    return permissions.may_write(user, "enrolment", "upsert", None, record, set(record)) and can_see_youth(
        user, youth_id
    )


def may_see_enrolment(user: User, enrolment: Enrolment) -> bool:
    return permissions.may_see(
        user, "enrolment", {"organization_id": enrolment.organization_id, "visibility": enrolment.visibility}
    )


def enrolment_default_visibility(programme: Programme) -> str:
    """Organisation-only when the programme belongs to a treatment organisation."""
    org = db.session.get(Organization, programme.organization_id) if programme.organization_id else None
    return permissions.default_visibility(org.kind if org else None)


# ---- catalogue -----------------------------------------------------------------------------


def save_programme(user: User, programme: Programme | None, data: dict) -> Programme:
    """Create or replace a programme with its phases, expected effects and activities."""
    if not may_edit_catalogue(user):
        raise ServiceError("Kun koordinatorer og administratorer kan redigere tilbudsviften.")
    other = db.session.scalar(select(Programme).where(Programme.name == data["name"]))
    if other is not None and (programme is None or other.id != programme.id):
        raise ServiceError("Der findes allerede et forløb med det navn.")
    if programme is None:
        programme = Programme(id=data.get("id") or str(uuid.uuid4()))
        db.session.add(programme)
    for k in (
        "name",
        "description",
        "organization_id",
        "capacity",
        "team_size",
        "hours_per_week",
        "start_rule",
        "active",
        *THEORY_FIELDS,
        "follow_on",
    ):
        if k in data:
            setattr(programme, k, data[k])
    programme.updated_at = utcnow()
    programme.phases = [
        ProgrammePhase(position=i, name=ph[0], weeks=ph[1], description=ph[2] if len(ph) > 2 else "")
        for i, ph in enumerate(data["phases"], 1)
    ]
    programme.effects = [_effect(e) for e in data["effects"]]
    programme.activities = [
        ProgrammeActivity(
            position=i,
            title=a["title"],
            weekdays=a["weekdays"],
            start_time=a["start_time"],
            end_time=a["end_time"],
            location=a["location"],
            phase_position=a["phase"],
        )
        for i, a in enumerate(data["activities"], 1)
    ]
    audit.record(user, "write", entity="programme", count=1, detail=f"programme={programme.id}", channel="web")
    db.session.flush()
    return programme


def _effect(e: tuple) -> ExpectedEffect:
    """(kind, pct, week) or (kind, pct, week or None, date or None, words) -> an ExpectedEffect."""
    kind, pct, week = e[0], e[1], e[2]
    on = e[3] if len(e) > 3 else None
    if (week is None) == (on is None):
        raise ServiceError("En forventet effekt måles enten et antal uger efter start eller på en dato.")
    return ExpectedEffect(
        outcome=kind, share_pct=pct, weeks_after_start=week, measure_date=on, anchor_text=e[4] if len(e) > 4 else ""
    )


def phase_dates(programme: Programme, start: date) -> dict[int, tuple[date, date]]:
    """First and last day of each phase (by position) for an enrolment starting on `start`."""
    out = {}
    d = start
    for ph in programme.phases:
        end = d + timedelta(weeks=ph.weeks) - timedelta(days=1)
        out[ph.position] = (d, end)
        d = end + timedelta(days=1)
    return out


# ---- enrolment -----------------------------------------------------------------------------

EARLIEST_START = date(2000, 1, 1)
"""No enrolment before this day (a typo such as 1026 for 2026 is refused, not stored)."""


def check_enrolment_dates(start: date, planned_end: date | None, actual_end: date | None = None) -> None:
    """The date rules of an enrolment, for the form and the demo seed alike: it starts on a
    plausible day and neither its planned nor its actual end lies before its start."""
    if start < EARLIEST_START or start > clock.today() + timedelta(days=366):
        raise ServiceError("Startdatoen skal ligge mellem år 2000 og et år frem.")
    if planned_end is not None and planned_end < start:
        raise ServiceError("Planlagt slutdato skal være efter startdatoen.")
    if actual_end is not None and actual_end < start:
        raise ServiceError("Slutdatoen kan ikke ligge før startdatoen.")


def enrol(
    user: User,
    youth_id: str,
    programme: Programme,
    start: date,
    planned_end: date | None,
    note: str = "",
    device_id: str = "web",
    visibility: str | None = None,
) -> Enrolment:
    """Enrol a young person; the programme's activities become activity records in their schedule.

    The enrolment and its activities share one visibility (default: the programme organisation's).
    """
    if not may_record(user, youth_id):
        raise ServiceError("Kun den unges koordinator kan tilmelde til et forløb.")
    visibility = visibility or enrolment_default_visibility(programme)
    if visibility not in (permissions.SHARED, permissions.ORGANIZATION):
        raise ServiceError("Vælg, om tilmeldingen er delt med alle eller kun for organisationen.")
    duration = programme.duration_weeks
    if planned_end is None:
        planned_end = start + timedelta(weeks=duration) - timedelta(days=1) if duration else start
    check_enrolment_dates(start, planned_end)
    org = programme.organization_id or user.organization_id
    mutations = _activity_mutations(programme, youth_id, org, start, planned_end, visibility)
    enrolment = Enrolment(
        id=str(uuid.uuid4()),
        youth_id=youth_id,
        programme_id=programme.id,
        start_date=start,
        planned_end_date=planned_end,
        note=note,
        recorded_by_user_id=user.id,
        organization_id=org,
        visibility=visibility,
        activity_ids=[m["id"] for m in mutations],
    )
    # Validate the activities first: nothing is stored when one of them would be refused.
    _check_activities(mutations)
    db.session.add(enrolment)
    audit.record(user, "write", youth_id=youth_id, entity="enrolment", count=1, channel="web")
    results = push(user, device_id, mutations, channel="web") if mutations else None
    if results is None or enrolment not in db.session:
        # push() commits the enrolment with its activities; when it had to run its batch again
        # after a race, the rollback took the pending enrolment (and its audit entry) with it.
        if enrolment not in db.session:
            db.session.add(enrolment)
            audit.record(user, "write", youth_id=youth_id, entity="enrolment", count=1, channel="web")
        db.session.flush()
    _raise_rejected(results)
    return enrolment


def _activity_mutations(
    programme: Programme, youth_id: str, org: str | None, start: date, planned_end: date, visibility: str
) -> list[dict]:
    """One new activity per programme activity, dated by its phase (or the whole enrolment)."""
    phases = phase_dates(programme, start)
    mutations = []
    for pa in programme.activities:
        first, last = phases.get(pa.phase_position, (start, planned_end)) if pa.phase_position else (start, planned_end)
        aid = str(uuid.uuid4())
        data = {
            "id": aid,
            "youth_id": youth_id,
            "organization_id": org,
            "title": f"{programme.name}: {pa.title}"[:200],
            "weekdays": list(pa.weekdays or []),
            "start_time": pa.start_time,
            "end_time": pa.end_time,
            "start_date": first.isoformat(),
            "end_date": min(last, planned_end).isoformat(),
            "location": pa.location or "",
            "visibility": visibility,
        }
        mutations.append(
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "activity",
                "id": aid,
                "op": "upsert",
                "base_version": None,
                "data": data,
            }
        )
    return mutations


def end_enrolment(user: User, enrolment: Enrolment, end: date, reason: str, device_id: str = "web") -> None:
    """Record the actual end; the enrolment's activities in the schedule end the same day."""
    if not may_record(user, enrolment.youth_id):
        raise ServiceError("Kun den unges koordinator kan afslutte et forløb.")
    if reason not in END_REASONS:
        raise ServiceError("Vælg en årsag.")
    check_enrolment_dates(enrolment.start_date, enrolment.planned_end_date, end)
    enrolment.actual_end_date = end
    enrolment.end_reason = reason
    enrolment.updated_at = utcnow()
    mutations = []
    for aid in enrolment.activity_ids or []:
        act = db.session.get(Activity, aid)
        if act is None or act.deleted:
            continue
        new_end = max(min(act.end_date or end, end), act.start_date)
        if act.end_date == new_end:
            continue
        mutations.append(
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "activity",
                "id": aid,
                "op": "upsert",
                "base_version": act.version,
                "data": {"id": aid, "end_date": new_end.isoformat()},
            }
        )
    audit.record(user, "write", youth_id=enrolment.youth_id, entity="enrolment", count=1, channel="web")
    results = push(user, device_id, mutations, channel="web") if mutations else None
    _raise_rejected(results)


# ---- target group and outcome history -------------------------------------------------------


def record_target_group(
    user: User, youth_id: str, target_group: str, valid_from: date, note: str = "", device_id: str = "web"
) -> TargetGroupChange:
    return _record(user, youth_id, TargetGroupChange, "target_group", target_group, valid_from, note, device_id)


def record_outcome(
    user: User, youth_id: str, outcome: str, valid_from: date, note: str = "", device_id: str = "web"
) -> OutcomeChange:
    return _record(user, youth_id, OutcomeChange, "outcome", outcome, valid_from, note, device_id)


def _record(user, youth_id, model, column, value, valid_from, note, device_id):
    if not may_record(user, youth_id):
        raise ServiceError("Kun den unges koordinator kan registrere målgruppe og status.")
    entry = model(
        id=str(uuid.uuid4()),
        youth_id=youth_id,
        valid_from=valid_from,
        note=note,
        recorded_by_user_id=user.id,
        recorded_at=utcnow(),
        **{column: value},
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(user, "write", youth_id=youth_id, entity=model.__tablename__, count=1, channel="web")
    current = latest_value(model, column, youth_id)
    youth = db.session.get(Youth, youth_id)
    if current is not None and getattr(youth, column) != current:
        results = push(
            user,
            device_id,
            [
                {
                    "mutation_id": str(uuid.uuid4()),
                    "entity": "youth",
                    "id": youth_id,
                    "op": "upsert",
                    "base_version": youth.version,
                    "data": {"id": youth_id, "youth_id": youth_id, column: current},
                }
            ],
            channel="web",
        )
        _raise_rejected(results)
    return entry


def latest_value(model, column: str, youth_id: str) -> str | None:
    """The current value: the entry valid from the latest date (same day: the last recorded)."""
    return db.session.scalar(
        select(getattr(model, column))
        .where(model.youth_id == youth_id)
        .order_by(model.valid_from.desc(), model.recorded_at.desc())
        .limit(1)
    )


def _check_activities(mutations: list[dict]) -> None:
    from marshmallow import ValidationError

    from shared.schemas import first_error_message, validate_entity

    for m in mutations:
        try:
            validate_entity("activity", m["data"])
        except ValidationError as e:
            raise ServiceError(f"Aktiviteten «{m['data']['title']}» er ugyldig: {first_error_message(e)}") from None


def _raise_rejected(results: list[dict] | None) -> None:
    bad = [r for r in results or [] if r["status"] == "rejected"]
    if bad:
        raise ServiceError("; ".join(r["error"]["message"] for r in bad))


# ---- targets per target group ----------------------------------------------------------------


def save_targets(user: User, municipality: str, year: int, values: dict[str, dict]) -> None:
    """Set the year's targets per target group ({group: {self_supporting_pct, …, reduction}})."""
    if not may_edit_catalogue(user):
        raise ServiceError("Kun koordinatorer og administratorer kan sætte mål for målgrupperne.")
    existing = {
        t.target_group: t
        for t in db.session.scalars(
            select(TargetGroupTarget).where(
                TargetGroupTarget.municipality == municipality, TargetGroupTarget.year == year
            )
        )
    }
    for group, v in values.items():
        t = existing.get(group) or TargetGroupTarget(
            id=str(uuid.uuid4()), municipality=municipality, year=year, target_group=group, source=""
        )
        for k in ("self_supporting_pct", "target_group_change_pct", "other_benefit_pct", "reduction"):
            setattr(t, k, v[k])
        if "source" in v:
            t.source = v["source"]
        t.updated_by_user_id, t.updated_at = user.id, utcnow()
        db.session.add(t)
    audit.record(user, "write", entity="target_group_target", count=len(values), detail=f"year={year}", channel="web")
    db.session.flush()
