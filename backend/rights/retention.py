"""Retention: closed cases are erased a configured number of years after they closed.

A case is closed when the young person's outcome is no longer `active` (education, job, moved …;
backend.models.Youth.outcome, kept in step with programmes' outcome_history). It closed on the
later of the outcome's date and the last change to anything in the case: a case someone still
writes in is not closed for the purpose of retention. `TRINVIS_RETENTION_YEARS` (default 5, see
docs/decisions.md for the source) after that day the scheduled job erases it (backend.rights.erasure).

The job also removes what erasures leave for a while: audit entries about erased young people
older than the audit retention period, and revoked access grants of erased young people once
every token that could still pull has expired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, exists, func, select

from backend.clock import to_local
from backend.extensions import db
from backend.models import (
    ENTITY_MODELS,
    AccessGrant,
    AuditLog,
    DeviceToken,
    RecordHistory,
    User,
    Youth,
    utcnow,
)
from backend.programmes.models import Enrolment, OutcomeChange, TargetGroupChange
from backend.rights.erasure import (
    ERASED_PASSWORD_HASH,
    ERASED_USERNAME_PREFIX,
    Erasure,
    audit_cutoff,
    erase_youth,
    plan_erasure,
)
from shared.enums import Outcome


@dataclass
class Expired:
    youth_id: str
    closed_on: date
    erasure: Erasure | None = None
    error: str = ""


@dataclass
class PurgeReport:
    as_of: date
    retention_years: int
    cases: list[Expired] = field(default_factory=list)
    audit_entries: int = 0
    grants: int = 0
    accounts: int = 0


def retention_years() -> int:
    return int(current_app.config.get("RETENTION_YEARS", 5))


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def closed_on(youth: Youth) -> date | None:
    """The day the case closed, or None while the young person's outcome is active."""
    if youth.outcome in (None, Outcome.ACTIVE):
        return None
    return closing_days([youth.id]).get(youth.id)


def closing_days(youth_ids: list[str]) -> dict[str, date]:
    """Per young person: the later of the outcome's date and the last change to anything in the case.

    One grouped query per table (not per case), so the daily job stays quick with many closed cases.
    """
    latest: dict[str, date] = {}

    def take(rows, is_instant: bool = True) -> None:
        for yid, value in rows:
            if value is None:
                continue
            d = to_local(value).date() if is_instant else value
            if yid not in latest or d > latest[yid]:
                latest[yid] = d

    for i in range(0, len(youth_ids), 500):
        chunk = youth_ids[i : i + 500]
        take(
            db.session.execute(
                select(OutcomeChange.youth_id, func.max(OutcomeChange.valid_from))
                .where(OutcomeChange.youth_id.in_(chunk))
                .group_by(OutcomeChange.youth_id)
            ),
            is_instant=False,
        )
        stamped = [(m.youth_id, m.updated_at) for m in ENTITY_MODELS.values()] + [
            (Enrolment.youth_id, Enrolment.updated_at),
            (OutcomeChange.youth_id, OutcomeChange.recorded_at),
            (TargetGroupChange.youth_id, TargetGroupChange.recorded_at),
        ]
        for yid_col, at_col in stamped:
            take(db.session.execute(select(yid_col, func.max(at_col)).where(yid_col.in_(chunk)).group_by(yid_col)))
        take(
            db.session.execute(
                select(RecordHistory.record_id, func.max(RecordHistory.at))
                .where(RecordHistory.entity == "youth", RecordHistory.record_id.in_(chunk))
                .group_by(RecordHistory.record_id)
            )
        )
    return latest


def expired_cases(as_of: date) -> list[Expired]:
    """Closed cases whose retention period has run out on `as_of`, oldest first."""
    years = retention_years()
    closed = list(db.session.scalars(select(Youth.id).where(Youth.outcome != Outcome.ACTIVE)))
    out = [Expired(yid, day) for yid, day in closing_days(closed).items() if add_years(day, years) <= as_of]
    return sorted(out, key=lambda e: (e.closed_on, e.youth_id))


def purge_closed_cases(as_of: date, dry_run: bool) -> PurgeReport:
    """Erase (or, in a dry run, only list) the closed cases past retention, then tidy what erasures left."""
    report = PurgeReport(as_of, retention_years(), expired_cases(as_of))
    for case in report.cases:
        try:
            case.erasure = (
                plan_erasure(case.youth_id) if dry_run else erase_youth(case.youth_id, None, "retention", channel="cli")
            )
            if not dry_run:
                db.session.commit()  # one transaction per case: a later failure keeps this one erased
        except Exception as exc:  # one case failing (e.g. a lock timeout) must not stop the others
            db.session.rollback()
            current_app.logger.exception("Erasure of %s failed", case.youth_id)
            case.error = f"{type(exc).__name__}: {exc}"[:300]
    report.accounts = _tidy_accounts(dry_run)
    report.audit_entries, report.grants = _tidy(dry_run)
    if not dry_run:
        db.session.commit()
    return report


def _tidy(dry_run: bool) -> tuple[int, int]:
    """Old audit entries about erased young people and accounts; grants no device can still need."""
    erased_youth = AuditLog.youth_id.is_not(None) & ~exists().where(Youth.id == AuditLog.youth_id)
    gone_user = (
        AuditLog.user_id.is_not(None) & AuditLog.youth_id.is_(None) & ~exists().where(User.id == AuditLog.user_id)
    )
    audit_cond = [AuditLog.at < audit_cutoff(), AuditLog.action != "erase", erased_youth | gone_user]
    # A device pulls with a token at most TOKEN_TTL_DAYS old: after that, no device that held an
    # erased case can still ask, so the revoked grant that tells it is no longer needed.
    ttl = timedelta(days=int(current_app.config.get("TOKEN_TTL_DAYS", 90)) + 1)
    erased_long_ago = select(AuditLog.youth_id).where(AuditLog.action == "erase", AuditLog.at < utcnow() - ttl)
    grant_cond = [AccessGrant.youth_id.in_(erased_long_ago), ~exists().where(Youth.id == AccessGrant.youth_id)]
    if dry_run:
        return (
            db.session.scalar(select(func.count()).select_from(AuditLog).where(*audit_cond)) or 0,
            db.session.scalar(select(func.count()).select_from(AccessGrant).where(*grant_cond)) or 0,
        )
    n_audit = db.session.execute(delete(AuditLog).where(*audit_cond)).rowcount or 0
    n_grants = (
        db.session.execute(
            delete(AccessGrant).where(*grant_cond), execution_options={"synchronize_session": False}
        ).rowcount
        or 0
    )
    return n_audit, n_grants


def _tidy_accounts(dry_run: bool) -> int:
    """Erased young people's anonymised logins, once none of their tokens can still pull."""
    live_token = exists().where(
        DeviceToken.user_id == User.id, DeviceToken.revoked_at.is_(None), DeviceToken.expires_at > utcnow()
    )
    ids = list(
        db.session.scalars(
            select(User.id).where(
                User.password_hash == ERASED_PASSWORD_HASH,
                User.username.startswith(ERASED_USERNAME_PREFIX),
                ~live_token,
            )
        )
    )
    if not dry_run and ids:
        db.session.execute(delete(DeviceToken).where(DeviceToken.user_id.in_(ids)))
        db.session.execute(delete(User).where(User.id.in_(ids)), execution_options={"synchronize_session": False})
    return len(ids)
