"""Database model (SQLAlchemy 2 style) for every entity in the glossary (docs/architecture.md#glossary).

Case records (everything but organization and user) carry `youth_id`, a `version` that grows by
one per accepted change, a tombstone flag `deleted`, and `field_versions` — the version at which
each field last changed, which the sync engine uses to merge concurrent edits per field.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.clock import utcnow  # noqa: F401  (re-exported: the column defaults and callers use it)
from backend.extensions import db
from backend.model_base import ID, CaseRecord, UTCDateTime, new_id  # noqa: F401  (re-exported)


class Organization(db.Model):
    __tablename__ = "organization"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Reaching someone (issue 13): the on-call / 24-7 number and the opening hours, set by the admin.
    on_call_phone: Mapped[str | None] = mapped_column(String(20))
    opening_weekdays: Mapped[list] = mapped_column(JSON, default=list)
    opens_at: Mapped[str | None] = mapped_column(String(5))
    closes_at: Mapped[str | None] = mapped_column(String(5))


class User(db.Model):
    __tablename__ = "user_account"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    display_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A mentor's work phone (E.164): the young person calls it in opening hours (issue 13).
    phone: Mapped[str | None] = mapped_column(String(20))


class DeviceToken(db.Model):
    """An opaque bearer token for one device; only its SHA-256 is stored."""

    __tablename__ = "device_token"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it ended (backend.auth.REASON_*): decides whether the phone wipes itself.
    revoked_reason: Mapped[str | None] = mapped_column(String(20))


class Youth(CaseRecord, db.Model):
    __tablename__ = "youth"
    youth_id: Mapped[str] = mapped_column(ID, index=True)  # equals id; kept for uniform access
    display_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    target_group: Mapped[str | None] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(30), default="active")
    mentor_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    coordinator_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164, shared/contact.py
    contact_time: Mapped[str] = mapped_column(String(100), default="")
    reminder_time: Mapped[str | None] = mapped_column(String(5))  # None: an hour before the first activity
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class Plan(CaseRecord, db.Model):
    __tablename__ = "plan"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    end_goal: Mapped[str] = mapped_column(Text)
    end_goal_kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date] = mapped_column(Date)
    target_date: Mapped[date | None] = mapped_column(Date)
    # "Det vil jeg": the young person's own words (docs/architecture.md)
    youth_wish: Mapped[str] = mapped_column(Text, default="")
    youth_strengths: Mapped[str] = mapped_column(Text, default="")
    youth_barriers: Mapped[str] = mapped_column(Text, default="")
    voice_updated_by_user_id: Mapped[str | None] = mapped_column(ID)
    voice_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The plan's content version (end goal, shared sub-goals) and the young person's answer to one
    revision: Mapped[int] = mapped_column(Integer, default=1)
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    youth_answer: Mapped[str | None] = mapped_column(String(10))
    youth_answer_comment: Mapped[str] = mapped_column(Text, default="")
    youth_answer_revision: Mapped[int | None] = mapped_column(Integer)
    youth_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Goal(CaseRecord, db.Model):
    __tablename__ = "goal"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    target_date: Mapped[date | None] = mapped_column(Date)
    visibility: Mapped[str] = mapped_column(String(20), default="shared")


class Activity(CaseRecord, db.Model):
    __tablename__ = "activity"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    goal_id: Mapped[str | None] = mapped_column(ID)
    title: Mapped[str] = mapped_column(String(200))
    weekdays: Mapped[list] = mapped_column(JSON, default=list)
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200), default="")
    visibility: Mapped[str] = mapped_column(String(20), default="shared")


class Agreement(CaseRecord, db.Model):
    __tablename__ = "agreement"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(10))
    responsible_user_id: Mapped[str | None] = mapped_column(ID)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    youth_comment: Mapped[str] = mapped_column(Text, default="")
    youth_marked_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_user_id: Mapped[str | None] = mapped_column(ID)
    visibility: Mapped[str] = mapped_column(String(20), default="shared")


class Attendance(CaseRecord, db.Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("youth_id", "activity_id", "date", name="uq_attendance_natural_key"),)
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    activity_id: Mapped[str] = mapped_column(ForeignKey("activity.id"))
    date: Mapped[date] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(30))
    status_source: Mapped[str | None] = mapped_column(String(10))  # 'youth' or 'staff'
    self_checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    absence_reason: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    organization_id: Mapped[str | None] = mapped_column(ID)  # the activity's, for access
    visibility: Mapped[str] = mapped_column(String(20), default="shared")
    recorded_by_user_id: Mapped[str | None] = mapped_column(ID)
    # The note alone may be organisation-only (owner: the activity's organisation); the status is
    # the common follow-up and goes with the record.
    note_visibility: Mapped[str] = mapped_column(String(20), default="shared")


class Outreach(CaseRecord, db.Model):
    __tablename__ = "outreach"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    method: Mapped[str] = mapped_column(String(20))
    reached: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    contacted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[str | None] = mapped_column(ID)
    visibility: Mapped[str] = mapped_column(String(20), default="shared")


class Assessment(CaseRecord, db.Model):
    __tablename__ = "assessment"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ID)
    due_date: Mapped[date] = mapped_column(Date)
    rater_role: Mapped[str] = mapped_column(String(10))
    rater_user_id: Mapped[str | None] = mapped_column(ID)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Scores are the common 6-weekly progression (always shared); only the comment can be kept
    # within the organisation.
    comment_visibility: Mapped[str] = mapped_column(String(20), default="shared")


class Consent(CaseRecord, db.Model):
    __tablename__ = "consent"
    __table_args__ = (UniqueConstraint("youth_id", "organization_id", name="uq_consent_youth_org"),)
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    status: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_user_id: Mapped[str | None] = mapped_column(ID)


# The entities of issue 14 live in their own module (on the same base, backend.model_base).
from backend.models_steps import (  # noqa: E402
    CompanyAgreement,
    GoalProposal,
    PlacementFollowUp,
    StepChange,
    WorkHours,
)

ENTITY_MODELS: dict[str, type] = {
    "youth": Youth,
    "plan": Plan,
    "goal": Goal,
    "activity": Activity,
    "agreement": Agreement,
    "attendance": Attendance,
    "outreach": Outreach,
    "assessment": Assessment,
    "consent": Consent,
    "goal_proposal": GoalProposal,
    "step_change": StepChange,
    "company_agreement": CompanyAgreement,
    "work_hours": WorkHours,
    "placement_follow_up": PlacementFollowUp,
}

INTERNAL_COLUMNS = frozenset({"version", "deleted", "field_versions", "created_at", "updated_at", "status_source"})


def data_columns(model) -> list[str]:
    """The columns of a case model that travel in a sync record's `data`."""
    return [c.key for c in model.__table__.columns if c.key not in INTERNAL_COLUMNS]


# ---- sync bookkeeping ---------------------------------------------------------


class SyncCounter(db.Model):
    """One row holding the last change sequence number handed out.

    Writers take it with UPDATE … RETURNING just before commit; the row lock is held until the
    transaction ends, so sequence numbers become visible in order and a pull cursor can never
    pass a change that commits late.
    """

    __tablename__ = "sync_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ChangeLog(db.Model):
    """The latest change of each record, with what access decisions need."""

    __tablename__ = "change_log"
    entity: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    youth_id: Mapped[str | None] = mapped_column(ID)
    organization_id: Mapped[str | None] = mapped_column(ID)
    visibility: Mapped[str] = mapped_column(String(20), default="shared")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The change narrowed the item from shared to organization: users who lost sight of it get
    # a tombstone so their device drops its copy.
    narrowed: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_change_log_youth_seq", "youth_id", "seq"),)


class AccessGrant(db.Model):
    """Why a user or organisation may see a young person: self, mentor, coordinator or consent."""

    __tablename__ = "access_grant"
    __table_args__ = (
        UniqueConstraint("youth_id", "subject_kind", "subject_id", "reason", name="uq_access_grant"),
        Index("ix_access_grant_subject", "subject_kind", "subject_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    youth_id: Mapped[str] = mapped_column(ID, index=True)
    subject_kind: Mapped[str] = mapped_column(String(10))  # 'user' or 'org'
    subject_id: Mapped[str] = mapped_column(ID)
    reason: Mapped[str] = mapped_column(String(20))  # self, mentor, coordinator, consent
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)  # when (last) granted
    revoked_seq: Mapped[int | None] = mapped_column(BigInteger)


class AppliedMutation(db.Model):
    """Every mutation_id seen, with the result returned, so a retry gets the same answer."""

    __tablename__ = "applied_mutation"
    mutation_id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ID)
    device_id: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecordHistory(db.Model):
    """The data of each version of each record: the base of a per-field three-way merge."""

    __tablename__ = "record_history"
    entity: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict] = mapped_column(JSON)
    user_id: Mapped[str | None] = mapped_column(ID)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Which device wrote this version, from which base: one device's own consecutive edits are
    # not a conflict (sync/merge.py). NULL for versions written before these were kept (not known).
    device_id: Mapped[str | None] = mapped_column(String(100))
    base_version: Mapped[int | None] = mapped_column(Integer)


class Conflict(db.Model):
    """A field changed on two sides: the later arrival won, the other value is kept here."""

    __tablename__ = "conflict"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(ID, index=True)
    youth_id: Mapped[str] = mapped_column(ID, index=True)
    field: Mapped[str] = mapped_column(String(50))
    winning_value: Mapped[object] = mapped_column(JSON, nullable=True)
    losing_value: Mapped[object] = mapped_column(JSON, nullable=True)
    losing_user_id: Mapped[str | None] = mapped_column(ID)
    winning_user_id: Mapped[str | None] = mapped_column(ID)
    base_version: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_user_id: Mapped[str | None] = mapped_column(ID)
    resolution: Mapped[str | None] = mapped_column(String(20))  # 'confirmed' or 'corrected'


class SmsMessage(db.Model):
    """One text message to a young person (the outbox): `key` makes each reminder unique per day,
    `status` pending → sending → sent, or failed (retried by the next run) or expired."""

    __tablename__ = "sms_outbox"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    youth_id: Mapped[str] = mapped_column(ID, index=True)
    kind: Mapped[str] = mapped_column(String(20), default="reminder")
    to_phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sender: Mapped[str] = mapped_column(String(20), default="")
    provider_ref: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_youth_at", "youth_id", "at"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[str | None] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(20))  # read, create, update, delete, login, ...
    entity: Mapped[str | None] = mapped_column(String(20))
    youth_id: Mapped[str | None] = mapped_column(ID)
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(10), default="api")  # api, web, cli
