"""Erasure of one young person's case (GDPR art. 17, and retention after a closed case).

`erase_youth` removes everything Trinvis holds about a young person: the case records, their
version history, conflicts, applied mutations, programme enrolments and status history, the
change log rows (so no device can pull them back), and the young person's name and password.
Every access grant to the young person is revoked through the change numbering, so each device
that held the case is told at its next pull (`revoked_youth_ids`) and drops it.

What is kept (docs/decisions.md): the revoked access grants (random ids only, needed to tell
devices; removed by the retention job once no token that could still pull is old enough), the
young person's login anonymised and closed (its tokens let their own phone learn of the erasure;
deleted by the retention job when they have expired), and
the audit log reduced to what the law requires — entries younger than the audit retention
period keep who did what when, without free text; older ones are deleted; one `erase` entry
records the erasure itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from backend import audit
from backend.extensions import db
from backend.models import (
    ENTITY_MODELS,
    AccessGrant,
    AppliedMutation,
    AuditLog,
    ChangeLog,
    Conflict,
    DeviceToken,
    RecordHistory,
    SmsMessage,
    User,
    Youth,
    utcnow,
)
from backend.programmes.models import Enrolment, OutcomeChange, TargetGroupChange
from backend.sync.changes import ChangeSet

# Children before parents (attendance refers to activity; everything refers to youth).
CASE_ORDER = (
    "attendance",
    "work_hours",
    "placement_follow_up",
    "company_agreement",
    "activity",
    "goal_proposal",
    "step_change",
    "goal",
    "agreement",
    "outreach",
    "assessment",
    "consent",
    "plan",
)
PROGRAMME_MODELS = (Enrolment, TargetGroupChange, OutcomeChange)
CHUNK = 500


@dataclass
class Erasure:
    """What an erasure removed (or, in a dry run, would remove), per kind."""

    youth_id: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.counts.items() if v)


def _chunks(ids: list[str]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _record_ids(youth_id: str) -> dict[str, list[str]]:
    out = {
        e: list(db.session.scalars(select(ENTITY_MODELS[e].id).where(ENTITY_MODELS[e].youth_id == youth_id)))
        for e in CASE_ORDER
    }
    out["youth"] = [youth_id]
    return out


def _count(model, *conds) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conds)) or 0


def _delete(model, *conds) -> int:
    return db.session.execute(delete(model).where(*conds)).rowcount or 0


def plan_erasure(youth_id: str) -> Erasure:
    """What erasing this young person would remove (the dry run; nothing is changed)."""
    ids = _record_ids(youth_id)
    e = Erasure(youth_id)
    for entity, rids in ids.items():
        e.counts[entity] = len(rids)
        e.counts.setdefault("record_history", 0)
        e.counts.setdefault("applied_mutation", 0)
        for chunk in _chunks(rids):
            e.counts["record_history"] += _count(
                RecordHistory, RecordHistory.entity == entity, RecordHistory.record_id.in_(chunk)
            )
            e.counts["applied_mutation"] += _count(
                AppliedMutation, AppliedMutation.entity == entity, AppliedMutation.record_id.in_(chunk)
            )
    for model in PROGRAMME_MODELS:
        e.counts[model.__tablename__] = _count(model, model.youth_id == youth_id)
    e.counts["conflict"] = _count(Conflict, Conflict.youth_id == youth_id)
    e.counts["change_log"] = _count(ChangeLog, ChangeLog.youth_id == youth_id)
    e.counts["audit_log_deleted"] = _count(
        AuditLog, AuditLog.youth_id == youth_id, AuditLog.at < audit_cutoff(), AuditLog.action != "erase"
    )
    youth = db.session.get(Youth, youth_id)
    e.counts["user_account"] = int(bool(youth and youth.user_id))
    return e


def audit_cutoff():
    """Audit entries older than this are no longer required (TRINVIS_AUDIT_RETENTION_DAYS)."""
    return utcnow() - timedelta(days=int(current_app.config.get("AUDIT_RETENTION_DAYS", 183)))


def erase_youth(youth_id: str, actor: User | None, reason: str, channel: str) -> Erasure:
    """Erase the young person and everything about them, in the caller's transaction (it commits).

    `reason` is 'request' (art. 17, by the coordinator) or 'retention' (the scheduled job).
    """
    youth = db.session.get(Youth, youth_id)
    if youth is None:
        raise LookupError(youth_id)
    result = plan_erasure(youth_id)
    _revoke_all_access(youth_id)
    ids = _record_ids(youth_id)
    for entity, rids in ids.items():
        for chunk in _chunks(rids):
            _delete(RecordHistory, RecordHistory.entity == entity, RecordHistory.record_id.in_(chunk))
            _delete(AppliedMutation, AppliedMutation.entity == entity, AppliedMutation.record_id.in_(chunk))
    _delete(Conflict, Conflict.youth_id == youth_id)
    _delete(SmsMessage, SmsMessage.youth_id == youth_id)  # the reminders carry the phone number
    _delete(ChangeLog, ChangeLog.youth_id == youth_id)
    for model in PROGRAMME_MODELS:
        _delete(model, model.youth_id == youth_id)
    for entity in CASE_ORDER:
        _delete(ENTITY_MODELS[entity], ENTITY_MODELS[entity].youth_id == youth_id)
    user_id = youth.user_id
    db.session.delete(youth)
    db.session.flush()
    if user_id:
        _erase_account(user_id)
    _reduce_audit(youth_id, user_id)
    audit.record(
        actor,
        "erase",
        youth_id=youth_id,
        count=result.total,
        detail=f"reason={reason} {result.summary()}",
        channel=channel,
    )
    return result


def _revoke_all_access(youth_id: str) -> None:
    """Revoke every grant: each device that may hold the case is told at its next pull."""
    cs = ChangeSet()
    for g in db.session.scalars(
        select(AccessGrant).where(AccessGrant.youth_id == youth_id, AccessGrant.active.is_(True))
    ):
        cs.revoke(g.youth_id, g.subject_kind, g.subject_id, g.reason)
    cs.finalize()


ERASED_PASSWORD_HASH = "!erased"  # no argon2 hash: nobody can log in again
ERASED_USERNAME_PREFIX = "erased:"


def _erase_account(user_id: str) -> None:
    """Anonymise the young person's login and close it for logins.

    The account row and its tokens stay (without the name or device names) until the tokens have
    expired, so the young person's own phone can make one last pull, learn that the case is gone
    and drop it; the retention job then deletes them (backend.rights.retention).
    """
    user = db.session.get(User, user_id)
    if user is not None:
        db.session.execute(
            update(AuditLog)
            .where(AuditLog.action == "login_failed", AuditLog.detail == f"username={user.username}")
            .values(detail="")
        )
        user.username = f"{ERASED_USERNAME_PREFIX}{uuid.uuid4().hex[:16]}"
        user.display_name = "Slettet bruger"
        user.password_hash = ERASED_PASSWORD_HASH
    db.session.execute(update(DeviceToken).where(DeviceToken.user_id == user_id).values(device_name=""))
    db.session.execute(update(AuditLog).where(AuditLog.user_id == user_id).values(detail=""))


def _reduce_audit(youth_id: str, user_id: str | None) -> None:
    """Keep who did what when for the audit retention period, without free text; drop the rest."""
    cutoff = audit_cutoff()
    _delete(AuditLog, AuditLog.youth_id == youth_id, AuditLog.at < cutoff, AuditLog.action != "erase")
    db.session.execute(update(AuditLog).where(AuditLog.youth_id == youth_id).values(detail=""))
