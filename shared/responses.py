"""Schemas of the API's answers (login, push, pull, errors): they document the contract in
/api/v1/openapi.json; requests are validated with shared.schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from shared import enums
from shared.messages import DanishSchema


class UserOutSchema(DanishSchema):
    id = fields.String()
    username = fields.String()
    role = fields.String()
    organization_id = fields.String(allow_none=True)
    display_name = fields.String()
    youth_id = fields.String(allow_none=True)


class LoginResponseSchema(DanishSchema):
    token = fields.String()
    user = fields.Nested(UserOutSchema)


class MutationResultSchema(DanishSchema):
    mutation_id = fields.String()
    status = fields.String(validate=validate.OneOf([m.value for m in enums.MutationStatus]))
    version = fields.Integer(allow_none=True)
    record = fields.Dict(allow_none=True)
    error = fields.Dict(allow_none=True)


class PushResponseSchema(DanishSchema):
    results = fields.List(fields.Nested(MutationResultSchema))


class ChangeSchema(DanishSchema):
    entity = fields.String()
    id = fields.String()
    version = fields.Integer()
    deleted = fields.Boolean()
    data = fields.Dict(allow_none=True)


class PullResponseSchema(DanishSchema):
    changes = fields.List(fields.Nested(ChangeSchema))
    cursor = fields.String()
    has_more = fields.Boolean()
    revoked_youth_ids = fields.List(fields.String())


class ErrorSchema(DanishSchema):
    class _Inner(DanishSchema):
        code = fields.String()
        message = fields.String()
        details = fields.Raw(allow_none=True)

    error = fields.Nested(_Inner)
