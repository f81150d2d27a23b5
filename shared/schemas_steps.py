"""marshmallow schemas of the synced entities of issue 14: goal proposals, step moves, company
agreements, their follow-ups and working hours (docs/architecture.md). Registered in `shared.schemas`."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from shared import enums
from shared.fields import MAX_TEXT, MAX_TITLE, Choice, EntitySchema, Id, Phone, Text
from shared.hours import PERIODS, period_error
from shared.steps import Step


class GoalProposalSchema(EntitySchema):
    """A sub-goal the young person proposes; staff answer it (accepted/reworded point at the goal)."""

    text = Text(500, 1, required=True)
    status = Choice(enums.ProposalStatus, load_default=enums.ProposalStatus.PROPOSED.value)
    answer = Text(load_default="")
    goal_id = Id(load_default=None, allow_none=True)

    @validates_schema
    def _answered(self, data: dict[str, Any], **kwargs: Any) -> None:
        status = data.get("status")
        if status in (enums.ProposalStatus.ACCEPTED, enums.ProposalStatus.REWORDED) and not data.get("goal_id"):
            raise ValidationError("Vælg det delmål, forslaget blev til.", "goal_id")
        if (
            status in (enums.ProposalStatus.DECLINED, enums.ProposalStatus.REWORDED)
            and not (data.get("answer") or "").strip()
        ):
            raise ValidationError("Skriv til den unge, hvorfor.", "answer")


class StepChangeSchema(EntitySchema):
    """A move of the young person's step in the three-step model, with why and from when."""

    step = Choice(Step, required=True)
    reason = Text(MAX_TEXT, 1, required=True)
    valid_from = fields.Date(required=True)


class CompanyAgreementSchema(EntitySchema):
    """Virksomhedsaftale: the agreement with a company about a placement (trin 2 → 3)."""

    organization_id = Id(required=True)
    visibility = Choice(enums.Visibility, load_default=enums.Visibility.SHARED.value)
    activity_id = Id(load_default=None, allow_none=True)
    company = Text(MAX_TITLE, 1, required=True)
    contact_name = Text(MAX_TITLE, load_default="")
    contact_phone = Phone(load_default=None, allow_none=True)
    hours_per_week = fields.Float(
        load_default=None,
        allow_none=True,
        validate=validate.Range(0, 60, error="Timer om ugen skal være mellem 0 og 60."),
    )
    hours_spread = Text(500, load_default="")
    tasks = Text(load_default="")
    workplace_support = Text(load_default="")
    health_considerations = Text(load_default="")
    start_date = fields.Date(required=True)
    end_date = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _dates(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            raise ValidationError("Slutdato skal være efter startdato.", "end_date")


class PlacementFollowUpSchema(EntitySchema):
    """One follow-up of a company agreement: when it is due, when it was done, what was said. Its
    owner and visibility are its agreement's (set by the server, like attendance and its activity)."""

    company_agreement_id = Id(required=True)
    organization_id = Id(load_default=None, allow_none=True)
    visibility = Choice(enums.Visibility, load_default=enums.Visibility.SHARED.value)
    due_date = fields.Date(required=True)
    done_date = fields.Date(load_default=None, allow_none=True)
    note = Text(500, load_default="")


_HOURS = validate.Range(0, 744, error="Timer skal være mellem 0 og 744.")


class WorkHoursSchema(EntitySchema):
    """Ordinary and supported working hours of one week (from a Monday) or month (from the 1st)."""

    organization_id = Id(required=True)
    visibility = Choice(enums.Visibility, load_default=enums.Visibility.SHARED.value)
    company_agreement_id = Id(load_default=None, allow_none=True)
    period = fields.String(required=True, validate=validate.OneOf(PERIODS, error="Vælg uge eller måned."))
    period_start = fields.Date(required=True)
    ordinary_hours = fields.Float(required=True, validate=_HOURS)
    supported_hours = fields.Float(load_default=0.0, validate=_HOURS)
    note = Text(500, load_default="")

    @validates_schema
    def _start(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, period = data.get("period_start"), data.get("period")
        error = period_error(period, start) if start and period else None
        if error:
            raise ValidationError(error, "period_start")
