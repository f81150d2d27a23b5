"""marshmallow schemas of the sync payloads and of each synced entity's `data`.

The backend validates every push with these, and the app validates an entry with the same schema
before it is queued, so a bad entry is refused on the phone with a Danish message instead of
being rejected by the server later.

Entity data is JSON on the wire: ids are UUID strings, dates 'YYYY-MM-DD', times 'HH:MM',
instants ISO 8601. `load()` gives Python dates/datetimes; `dump()` gives the wire form.
"""

from __future__ import annotations

from typing import Any, cast

from marshmallow import (
    EXCLUDE,
    RAISE,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from shared import enums
from shared.dimensions import DIMENSIONS, SCORE_MAX, SCORE_MIN

# The field types and the base schema live in shared.fields; their callers may import them from here.
from shared.fields import (  # noqa: F401  (re-exported)
    HHMM,
    MAX_TEXT,
    MAX_TITLE,
    Choice,
    EntitySchema,
    Id,
    Phone,
    Text,
    UTCDateTime,
    is_uuid,
    no_nul,
)
from shared.messages import DanishSchema, danish_length, danish_range, field_messages, first_error_message  # noqa: F401  (re-exported)

MAX_MUTATIONS_PER_PUSH = 500
MAX_PUSH_BYTES = 1_000_000
MAX_PULL_LIMIT = 1000
DEFAULT_PULL_LIMIT = 500


_ONE_OF = "Ugyldig værdi. Tilladt: {choices}."


class OrganizationSchema(DanishSchema):
    id = Id(required=True)
    name = Text(MAX_TITLE, required=True)
    kind = Text(50, load_default=None, allow_none=True)
    on_call_phone = Phone(load_default=None, allow_none=True)
    opening_weekdays = fields.List(fields.Integer(validate=danish_range(0, 6)), load_default=list)
    opens_at = HHMM(load_default=None, allow_none=True)
    closes_at = HHMM(load_default=None, allow_none=True)


class YouthSchema(EntitySchema):
    display_name = Text(MAX_TITLE, 1, required=True)
    birth_date = fields.Date(load_default=None, allow_none=True)
    target_group = Choice(enums.TargetGroup, load_default=None, allow_none=True)
    outcome = Choice(enums.Outcome, load_default=enums.Outcome.ACTIVE.value)
    mentor_id = Id(load_default=None, allow_none=True)
    coordinator_id = Id(load_default=None, allow_none=True)
    user_id = Id(load_default=None, allow_none=True)
    phone = Phone(load_default=None, allow_none=True)
    contact_time = Text(100, load_default="")
    reminder_time = HHMM(load_default=None, allow_none=True)
    reminders_enabled = fields.Boolean(load_default=True)


class PlanSchema(EntitySchema):
    end_goal = Text(MAX_TEXT, 1, required=True)
    end_goal_kind = Choice(enums.EndGoalKind, required=True)
    start_date = fields.Date(required=True)
    target_date = fields.Date(load_default=None, allow_none=True)
    youth_wish = Text(load_default="")
    youth_strengths = Text(load_default="")
    youth_barriers = Text(load_default="")
    youth_answer = Choice(enums.YouthAnswer, load_default=None, allow_none=True)
    youth_answer_comment = Text(load_default="")
    youth_answer_revision = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=danish_range(1, 2**31)
    )

    @validates_schema
    def _answer(self, data: dict[str, Any], **kwargs: Any) -> None:
        answer = data.get("youth_answer")
        if answer and not data.get("youth_answer_revision"):
            raise ValidationError("Svaret skal høre til en bestemt udgave af planen.", "youth_answer_revision")
        if answer == enums.YouthAnswer.DISAGREE and not (data.get("youth_answer_comment") or "").strip():
            raise ValidationError("Skriv kort, hvad du ikke er enig i.", "youth_answer_comment")


class GoalSchema(EntitySchema):
    organization_id = Id(required=True)
    title = Text(MAX_TITLE, 1, required=True)
    description = Text(load_default="")
    status = Choice(enums.GoalStatus, load_default=enums.GoalStatus.OPEN.value)
    target_date = fields.Date(load_default=None, allow_none=True)
    visibility = Choice(enums.Visibility, load_default=enums.Visibility.SHARED.value)


class ActivitySchema(EntitySchema):
    organization_id = Id(required=True)
    goal_id = Id(load_default=None, allow_none=True)
    title = Text(MAX_TITLE, 1, required=True)
    weekdays = fields.List(
        fields.Integer(validate=validate.Range(0, 6, error="Ugedag skal være 0 (mandag) til 6 (søndag).")),
        required=True,
        validate=validate.Length(max=7, error="Højst 7 ugedage."),
    )
    start_time = HHMM(required=True)
    end_time = HHMM(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(load_default=None, allow_none=True)
    location = Text(MAX_TITLE, load_default="")
    visibility = Choice(enums.Visibility, load_default=enums.Visibility.SHARED.value)

    @validates_schema
    def _times(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "start_time" in data and "end_time" in data and data["end_time"] <= data["start_time"]:
            raise ValidationError("Sluttid skal være efter starttid.", "end_time")
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            raise ValidationError("Slutdato skal være efter startdato.", "end_date")

    @post_load
    def _sorted_days(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if "weekdays" in data:
            data["weekdays"] = sorted(set(data["weekdays"]))
        return data


class AgreementSchema(EntitySchema):
    organization_id = Id(required=True)
    text = Text(MAX_TEXT, 1, required=True)
    responsible = Choice(enums.Responsible, required=True)
    responsible_user_id = Id(load_default=None, allow_none=True)
    due_date = fields.Date(required=True)
    status = Choice(enums.AgreementStatus, load_default=enums.AgreementStatus.OPEN.value)
    review_note = Text(load_default="")
    reviewed_at = UTCDateTime(load_default=None, allow_none=True)
    youth_comment = Text(load_default="")
    youth_marked_done_at = UTCDateTime(load_default=None, allow_none=True)
    visibility = Choice(enums.Visibility)  # absent on create: the server's default for the organisation


class AttendanceSchema(EntitySchema):
    activity_id = Id(required=True)
    date = fields.Date(required=True)
    status = Choice(enums.AttendanceStatus, load_default=None, allow_none=True)
    self_checked_in_at = UTCDateTime(load_default=None, allow_none=True)
    absence_reason = Text(500, load_default="")
    note = Text(load_default="")
    note_visibility = Choice(enums.Visibility)

    @validates_schema
    def _absence(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (
            data.get("status") == enums.AttendanceStatus.ABSENT_NOTIFIED
            and not (data.get("absence_reason") or "").strip()
        ):
            raise ValidationError("Skriv kort, hvorfor du ikke kommer.", "absence_reason")


class OutreachSchema(EntitySchema):
    organization_id = Id(required=True)
    method = Choice(enums.OutreachMethod, required=True)
    reached = fields.Boolean(required=True)
    note = Text(load_default="")
    contacted_at = UTCDateTime(required=True)
    visibility = Choice(enums.Visibility)


class AssessmentSchema(EntitySchema):
    organization_id = Id(load_default=None, allow_none=True)
    due_date = fields.Date(required=True)
    rater_role = Choice(enums.RaterRole, required=True)
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(
            strict=True,
            validate=validate.Range(SCORE_MIN, SCORE_MAX, error=f"Score skal være mellem {SCORE_MIN} og {SCORE_MAX}."),
        ),
        required=True,
    )
    comment = Text(load_default="")
    submitted_at = UTCDateTime(load_default=None, allow_none=True)
    comment_visibility = Choice(enums.Visibility)  # the scores are always shared

    @validates_schema
    def _scores(self, data: dict[str, Any], **kwargs: Any) -> None:
        scores = data.get("scores") or {}
        rater = data.get("rater_role")
        allowed = {d.key for d in DIMENSIONS.for_rater(rater or "staff")}
        unknown = sorted(set(scores) - allowed)
        if unknown:
            raise ValidationError(f"Ukendt dimension: {', '.join(unknown)}.", "scores")
        if data.get("submitted_at") and rater and set(scores) != allowed:
            missing = sorted(allowed - set(scores))
            raise ValidationError(
                f"Alle dimensioner skal have en score før indsendelse (mangler: {', '.join(missing)}).",
                "scores",
            )


class ConsentSchema(EntitySchema):
    organization_id = Id(required=True)
    status = Choice(enums.ConsentStatus, required=True)
    given_at = UTCDateTime(load_default=None, allow_none=True)
    withdrawn_at = UTCDateTime(load_default=None, allow_none=True)


# The entities of issue 14 (the young person's voice, steps, company agreements, hours) live in their
# own module, on the same field types (shared.fields).
from shared.schemas_steps import (  # noqa: E402
    CompanyAgreementSchema,
    GoalProposalSchema,
    PlacementFollowUpSchema,
    StepChangeSchema,
    WorkHoursSchema,
)

ENTITY_SCHEMAS: dict[str, type[EntitySchema]] = {
    "youth": YouthSchema,
    "plan": PlanSchema,
    "goal": GoalSchema,
    "activity": ActivitySchema,
    "agreement": AgreementSchema,
    "attendance": AttendanceSchema,
    "outreach": OutreachSchema,
    "assessment": AssessmentSchema,
    "consent": ConsentSchema,
    "goal_proposal": GoalProposalSchema,
    "step_change": StepChangeSchema,
    "company_agreement": CompanyAgreementSchema,
    "work_hours": WorkHoursSchema,
    "placement_follow_up": PlacementFollowUpSchema,
}
"""Entities a client may push (organization is pull-only)."""

SERVER_FIELDS: dict[str, frozenset[str]] = {
    "attendance": frozenset({"organization_id", "visibility", "recorded_by_user_id", "status_source"}),
    "outreach": frozenset({"user_id"}),
    "assessment": frozenset({"rater_user_id"}),
    "consent": frozenset({"recorded_by_user_id"}),
    "agreement": frozenset({"created_by_user_id"}),
    "plan": frozenset({"voice_updated_by_user_id", "voice_updated_at", "revision", "revised_at", "youth_answered_at"}),
    "goal_proposal": frozenset({"proposed_by_user_id", "proposed_at", "answered_by_user_id", "answered_at"}),
    "step_change": frozenset({"changed_by_user_id", "changed_at"}),
    "company_agreement": frozenset({"created_by_user_id"}),
    "work_hours": frozenset({"recorded_by_user_id"}),
    "placement_follow_up": frozenset({"organization_id", "visibility", "recorded_by_user_id"}),
}
"""Fields the server sets itself; a client that echoes them back has them ignored."""

PULL_ENTITIES = ("organization", *ENTITY_SCHEMAS)


def strip_server_fields(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """Copy of `data` without the fields only the server sets (and without `version`)."""
    drop = SERVER_FIELDS.get(entity, frozenset()) | {"version", "deleted"}
    return {k: v for k, v in data.items() if k not in drop}


_SCHEMA_INSTANCES: dict[str, EntitySchema] = {}


def validate_entity(entity: str, data: dict[str, Any], partial: bool = False) -> dict[str, Any]:
    """Validate one entity's data; returns the loaded dict or raises ValidationError."""
    schema = _SCHEMA_INSTANCES.get(entity)
    if schema is None:
        schema_cls = ENTITY_SCHEMAS.get(entity)
        if schema_cls is None:
            raise ValidationError({"entity": [f"Ukendt type: {entity}."]})
        # Schemas hold no per-call state; building one is the expensive part.
        schema = _SCHEMA_INSTANCES[entity] = schema_cls()
    return cast("dict[str, Any]", schema.load(strip_server_fields(entity, data), partial=partial))


def dump_entity(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """Wire form of a loaded entity dict (dates to ISO strings)."""
    schema_cls: type[DanishSchema] = ENTITY_SCHEMAS.get(entity) or OrganizationSchema
    return cast("dict[str, Any]", schema_cls().dump(data))


# ---- sync payloads ----------------------------------------------------------


class LoginSchema(DanishSchema):
    class Meta:
        unknown = EXCLUDE

    username = fields.String(required=True, validate=[danish_length(1, 100), no_nul])
    password = fields.String(required=True, validate=[danish_length(1, 500), no_nul])
    device_name = fields.String(load_default="ukendt enhed", validate=[danish_length(0, 100), no_nul])
    # TOTP code or recovery code, for users with two-factor login (issue 11)
    otp = fields.String(load_default=None, allow_none=True, validate=[danish_length(0, 100), no_nul])


class MutationSchema(DanishSchema):
    class Meta:
        unknown = RAISE

    mutation_id = Id(required=True)
    entity = fields.String(required=True, validate=validate.OneOf(list(ENTITY_SCHEMAS), error=_ONE_OF))
    id = Id(required=True)
    op = Choice(enums.Op, required=True)
    base_version = fields.Integer(load_default=None, allow_none=True, strict=True, validate=danish_range(1, 2**31))
    data = fields.Dict(load_default=None, allow_none=True)

    @validates_schema
    def _data_for_upsert(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("op") == enums.Op.UPSERT and not isinstance(data.get("data"), dict):
            raise ValidationError("upsert kræver data.", "data")


class PushSchema(DanishSchema):
    class Meta:
        unknown = RAISE

    device_id = fields.String(required=True, validate=[danish_length(1, 100), no_nul])
    schema_version = fields.Integer(required=True, strict=True, validate=danish_range(0, 10_000))
    mutations = fields.List(fields.Raw(), required=True)

    @validates("mutations")
    def _count(self, value: list[Any], **kwargs: Any) -> None:
        if len(value) > MAX_MUTATIONS_PER_PUSH:
            raise ValidationError(f"Højst {MAX_MUTATIONS_PER_PUSH} ændringer pr. push.")


class PullQuerySchema(DanishSchema):
    class Meta:
        unknown = EXCLUDE

    cursor = fields.String(load_default=None, allow_none=True, validate=danish_length(0, 4000))
    limit = fields.Integer(load_default=DEFAULT_PULL_LIMIT, validate=danish_range(1, MAX_PULL_LIMIT))
