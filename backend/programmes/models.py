"""Programme catalogue (tilbudsvifte), enrolments and the target-group / outcome history.

These tables are not part of the phone sync: the catalogue is municipal configuration, and the
case tables here (enrolment, target_group_history, outcome_history) only reach the phones through
their effects — the activities an enrolment creates and the youth's current target group and
outcome — which are written through the sync engine.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models import ID, UTCDateTime, new_id, utcnow


class Programme(db.Model):
    """A kind of programme (forløb/tilbud) with phases, capacity, activities and expected effects."""

    __tablename__ = "programme"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    capacity: Mapped[int | None] = mapped_column(Integer)
    team_size: Mapped[int | None] = mapped_column(Integer)
    hours_per_week: Mapped[int | None] = mapped_column(Integer)
    start_rule: Mapped[str] = mapped_column(String(200), default="")  # e.g. "Opstart i januar"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    phases: Mapped[list[ProgrammePhase]] = relationship(
        order_by="ProgrammePhase.position", cascade="all, delete-orphan", lazy="selectin")
    effects: Mapped[list[ExpectedEffect]] = relationship(
        order_by="(ExpectedEffect.weeks_after_start, ExpectedEffect.outcome)", cascade="all, delete-orphan",
        lazy="selectin")
    activities: Mapped[list[ProgrammeActivity]] = relationship(
        order_by="ProgrammeActivity.position", cascade="all, delete-orphan", lazy="selectin")

    @property
    def duration_weeks(self) -> int:
        return sum(p.weeks for p in self.phases)


class ProgrammePhase(db.Model):
    __tablename__ = "programme_phase"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    weeks: Mapped[int] = mapped_column(Integer)


class ExpectedEffect(db.Model):
    """Expected share (percent) of participants with `outcome` (an effect kind) N weeks after start."""

    __tablename__ = "expected_effect"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(40))
    share_pct: Mapped[int] = mapped_column(Integer)
    weeks_after_start: Mapped[int] = mapped_column(Integer)


class ProgrammeActivity(db.Model):
    """A weekly activity the programme consists of; phase_position ties it to a phase (None = whole)."""

    __tablename__ = "programme_activity"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    phase_position: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    weekdays: Mapped[list] = mapped_column(JSON, default=list)
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    location: Mapped[str] = mapped_column(String(200), default="")


class Enrolment(db.Model):
    """A young person's participation in a programme."""

    __tablename__ = "enrolment"
    __table_args__ = (Index("ix_enrolment_programme_start", "programme_id", "start_date"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programme.id"))
    start_date: Mapped[date] = mapped_column(Date)
    planned_end_date: Mapped[date] = mapped_column(Date)
    actual_end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    activity_ids: Mapped[list] = mapped_column(JSON, default=list)
    # Organisation-only: seen by the programme's organisation and the mentor/coordinator; the
    # activities it creates get the same visibility.
    visibility: Mapped[str] = mapped_column(String(20), default="shared")
    organization_id: Mapped[str | None] = mapped_column(ID)  # the owner: the programme's, else the recorder's
    recorded_by_user_id: Mapped[str | None] = mapped_column(ID)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TargetGroupChange(db.Model):
    """The young person's target group from `valid_from` on (jobparat, uddannelsesparat, aktivitetsparat)."""

    __tablename__ = "target_group_history"
    __table_args__ = (Index("ix_target_group_history_youth_from", "youth_id", "valid_from"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"))
    target_group: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_user_id: Mapped[str | None] = mapped_column(ID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutcomeChange(db.Model):
    """The young person's status (outcome) from `valid_from` on; 'active' means still in the effort."""

    __tablename__ = "outcome_history"
    __table_args__ = (Index("ix_outcome_history_youth_from", "youth_id", "valid_from"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"))
    outcome: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_user_id: Mapped[str | None] = mapped_column(ID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
