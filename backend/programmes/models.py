"""Programme catalogue (tilbudsvifte), enrolments and the target-group / outcome history.

These tables are not part of the phone sync: the catalogue is municipal configuration, and the
case tables here (enrolment, target_group_history, outcome_history) only reach the phones through
their effects — the activities an enrolment creates and the youth's current target group and
outcome — which are written through the sync engine.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
    # Programme theory (programteori), as the programme sheet states it: who it is for (in words
    # and as target groups), goals, sub-goals, the content (activities) and the mechanisms — why
    # the activities are expected to lead to the goals. `follow_on` is what comes after the
    # programme (e.g. aftercare), which has no length of its own in the sheets.
    target_group_text: Mapped[str] = mapped_column(Text, default="")
    target_groups: Mapped[list] = mapped_column(JSON, default=list)
    goals: Mapped[list] = mapped_column(JSON, default=list)
    sub_goals: Mapped[list] = mapped_column(JSON, default=list)
    content: Mapped[list] = mapped_column(JSON, default=list)
    mechanisms: Mapped[list] = mapped_column(JSON, default=list)
    follow_on: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    phases: Mapped[list[ProgrammePhase]] = relationship(
        order_by="ProgrammePhase.position", cascade="all, delete-orphan", lazy="selectin"
    )
    effects: Mapped[list[ExpectedEffect]] = relationship(
        order_by="(ExpectedEffect.weeks_after_start, ExpectedEffect.measure_date, ExpectedEffect.outcome)",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    activities: Mapped[list[ProgrammeActivity]] = relationship(
        order_by="ProgrammeActivity.position", cascade="all, delete-orphan", lazy="selectin"
    )

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
    description: Mapped[str] = mapped_column(Text, default="")


class ExpectedEffect(db.Model):
    """Expected share (percent) of participants with `outcome` (an effect kind) at a measuring point.

    The point is either N weeks after each participant's own start (`weeks_after_start`) or a
    calendar date (`measure_date`, as Unge på Toppen's sheet gives it) — exactly one of the two.
    `anchor_text` keeps the sheet's own words (e.g. "Efter yderligere 16 uger").
    """

    __tablename__ = "expected_effect"
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(40))
    share_pct: Mapped[int] = mapped_column(Integer)
    weeks_after_start: Mapped[int | None] = mapped_column(Integer)
    measure_date: Mapped[date | None] = mapped_column(Date)
    anchor_text: Mapped[str] = mapped_column(String(200), default="")


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


class _StatusHistory:
    """The columns of a status history: one value per young person from `valid_from` on."""

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    youth_id: Mapped[str] = mapped_column(ForeignKey("youth.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_user_id: Mapped[str | None] = mapped_column(ID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TargetGroupChange(_StatusHistory, db.Model):
    """The young person's target group from `valid_from` on (jobparat, uddannelsesparat, aktivitetsparat)."""

    __tablename__ = "target_group_history"
    __table_args__ = (Index("ix_target_group_history_youth_from", "youth_id", "valid_from"),)
    target_group: Mapped[str] = mapped_column(String(30))


class OutcomeChange(_StatusHistory, db.Model):
    """The young person's status (outcome) from `valid_from` on; 'active' means still in the effort."""

    __tablename__ = "outcome_history"
    __table_args__ = (Index("ix_outcome_history_youth_from", "youth_id", "valid_from"),)
    outcome: Mapped[str] = mapped_column(String(30))


class TargetGroupTarget(db.Model):
    """The strategy's target for one target group in one year: how those who leave should leave.

    Shares in percent of the young people who leave the group: self-supporting (job or
    education), a change of target group, and another benefit (flexjob, resource course,
    disability pension). `reduction` is the strategy's aimed reduction of the group's count.
    One server serves one municipality; `municipality` names it so targets stay readable when
    exported or when a server is shared.
    """

    __tablename__ = "target_group_target"
    __table_args__ = (
        UniqueConstraint("municipality", "year", "target_group", name="uq_target_group_target_muni_year_group"),
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    municipality: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    target_group: Mapped[str] = mapped_column(String(30))
    self_supporting_pct: Mapped[int] = mapped_column(Integer)
    target_group_change_pct: Mapped[int] = mapped_column(Integer)
    other_benefit_pct: Mapped[int] = mapped_column(Integer)
    reduction: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")
    updated_by_user_id: Mapped[str | None] = mapped_column(ID)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
