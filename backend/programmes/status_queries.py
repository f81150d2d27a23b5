"""Reading the rows for the monthly views (one programme in a month; target groups in a month).

Only young people the user may see are read (`queries.scope_query`, the same rule as the
results page); the figures themselves are the pure functions in `monthly` and `target_status`.
"""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from backend.extensions import db
from backend.models import User
from backend.programmes import monthly, reports
from backend.programmes.models import Enrolment, Programme
from backend.programmes.queries import FilterError, effect_dict, load_timelines, scope_query
from shared.schemas import is_uuid

MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"
MONTH_MESSAGE = "Skriv måneden som ÅÅÅÅ-MM, fx 2026-01."


def _uuid_or_empty(value: str) -> None:
    if value and not is_uuid(value):
        raise ValidationError("Vælg fra listen.")


class ProgrammeMonthSchema(Schema):
    """Query of the «Forløb i måneden» view: ?programme=<id>&month=YYYY-MM."""

    class Meta:
        unknown = "exclude"

    programme = fields.String(load_default="", validate=_uuid_or_empty)
    month = fields.String(load_default="", validate=validate.Regexp(MONTH_RE + "|^$", error=MONTH_MESSAGE))


def load_args(schema: Schema, args: dict) -> dict:
    """Validated, stripped query arguments; raises FilterError with the first Danish message."""
    try:
        return schema.load({k: v.strip() for k, v in args.items() if isinstance(v, str)})
    except ValidationError as e:
        key, msgs = next(iter(e.messages.items()))
        msg = msgs[0] if isinstance(msgs, list) else str(msgs)
        raise FilterError(msg if isinstance(msg, str) else "Ugyldigt filter.", key) from None


def checked_month(value: str, today: date) -> str:
    """The month asked for (default: this month); never one that has not begun."""
    current = reports.month_key(today)
    month = value or current
    if month > current:
        raise FilterError(f"Måneden kan ikke ligge efter denne måned ({current}).", "month")
    return month


def parse_programme_month(args: dict, today: date) -> dict:
    """{programme_id or None, month} from query arguments; raises FilterError."""
    raw = load_args(ProgrammeMonthSchema(), args)
    pid = raw["programme"] or None
    if pid and db.session.get(Programme, pid) is None:
        raise FilterError("Forløbet findes ikke.", "programme")
    return {"programme_id": pid, "month": checked_month(raw["month"], today)}


def programme_month(user: User, programme: Programme, month: str, today: date) -> dict:
    """`monthly.programme_month` for one programme, over the young people `user` may see."""
    scope = scope_query(user, programme.id).scalar_subquery()
    rows = db.session.execute(
        select(Enrolment.youth_id, Enrolment.start_date, Enrolment.planned_end_date, Enrolment.actual_end_date)
        .where(Enrolment.programme_id == programme.id, Enrolment.youth_id.in_(scope))).all()
    enrolments = [{"youth_id": y, "start_date": s, "planned_end_date": p, "actual_end_date": a}
                  for y, s, p, a in rows]
    timelines, tg_timelines = load_timelines(scope)
    prog = {"id": programme.id, "name": programme.name, "effects": [effect_dict(e) for e in programme.effects]}
    return monthly.programme_month(prog, enrolments, timelines, tg_timelines, month, today)
