"""Models of the synced entities of issue 14: goal proposals, step moves, company agreements, their
follow-ups and working hours (docs/architecture.md). Registered in `backend.models.ENTITY_MODELS`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.model_base import ID, CaseRecord, UTCDateTime


class GoalProposal(CaseRecord, db.Model):
    """A sub-goal the young person proposes in their own words, and staff's answer to it."""

    __tablename__ = "goal_proposal"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    answer: Mapped[str] = mapped_column(Text, default="")
    goal_id: Mapped[str | None] = mapped_column(ID)
    proposed_by_user_id: Mapped[str | None] = mapped_column(ID)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_user_id: Mapped[str | None] = mapped_column(ID)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StepChange(CaseRecord, db.Model):
    """A move of the young person's step (trin) in the three-step model; the history is these rows."""

    __tablename__ = "step_change"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    changed_by_user_id: Mapped[str | None] = mapped_column(ID)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CompanyAgreement(CaseRecord, db.Model):
    """Virksomhedsaftale: a placement's agreement with a company (hours, tasks, support, follow-ups)."""

    __tablename__ = "company_agreement"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    visibility: Mapped[str] = mapped_column(String(20), default="shared")
    activity_id: Mapped[str | None] = mapped_column(ID)
    company: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str | None] = mapped_column(String(30))  # E.164 (shared/contact.py)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    hours_spread: Mapped[str] = mapped_column(String(500), default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    workplace_support: Mapped[str] = mapped_column(Text, default="")
    health_considerations: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    created_by_user_id: Mapped[str | None] = mapped_column(ID)


class WorkHours(CaseRecord, db.Model):
    """Ordinary and supported working hours of one week or month (the 30-hour exit rule of trin 3)."""

    __tablename__ = "work_hours"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    visibility: Mapped[str] = mapped_column(String(20), default="shared")
    company_agreement_id: Mapped[str | None] = mapped_column(ID)
    period: Mapped[str] = mapped_column(String(10))  # week | month
    period_start: Mapped[date] = mapped_column(Date)
    ordinary_hours: Mapped[float] = mapped_column(Float)
    supported_hours: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_user_id: Mapped[str | None] = mapped_column(ID)


class PlacementFollowUp(CaseRecord, db.Model):
    """A follow-up of a company agreement (due, done, what was said); owner and visibility are its
    agreement's. Its own record, so two devices adding follow-ups never overwrite each other."""

    __tablename__ = "placement_follow_up"
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    company_agreement_id: Mapped[str] = mapped_column(ForeignKey("company_agreement.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    visibility: Mapped[str] = mapped_column(String(20), default="shared")
    due_date: Mapped[date] = mapped_column(Date)
    done_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_user_id: Mapped[str | None] = mapped_column(ID)
