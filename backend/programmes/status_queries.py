"""Reading the rows for the monthly views (one programme in a month; target groups in a month).

Only young people the user may see are read (`queries.scope_query`, the same rule as the
results page); the figures themselves are the pure functions in `monthly` and `target_status`.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from marshmallow import ValidationError, fields, validate
from sqlalchemy import or_, select

from backend.extensions import db
from backend.models import Organization, User, Youth
from backend.programmes import monthly, reports, target_status
from backend.programmes.models import Enrolment, Programme, TargetGroupTarget
from backend.programmes.queries import FilterError, effect_dict, load_timelines, scope_query, visible_enrolments
from shared.schemas import DanishSchema, is_uuid

MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"
MONTH_MESSAGE = "Skriv måneden som ÅÅÅÅ-MM, fx 2026-01."


def _uuid_or_empty(value: str) -> None:
    if value and not is_uuid(value):
        raise ValidationError("Vælg fra listen.")


class ProgrammeMonthSchema(DanishSchema):
    """Query of the «Forløb i måneden» view: ?programme=<id>&month=YYYY-MM."""

    class Meta:
        unknown = "exclude"

    programme = fields.String(load_default="", validate=_uuid_or_empty)
    month = fields.String(load_default="", validate=validate.Regexp(MONTH_RE + "|^$", error=MONTH_MESSAGE))


def load_args(schema: DanishSchema, args: dict) -> dict:
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
        select(Enrolment.youth_id, Enrolment.start_date, Enrolment.planned_end_date, Enrolment.actual_end_date).where(
            Enrolment.programme_id == programme.id,
            Enrolment.youth_id.in_(scope),
            Enrolment.id.in_(visible_enrolments(user)),
        )
    ).all()
    enrolments = [{"youth_id": y, "start_date": s, "planned_end_date": p, "actual_end_date": a} for y, s, p, a in rows]
    timelines, tg_timelines = load_timelines(scope, user)
    prog = {"id": programme.id, "name": programme.name, "effects": [effect_dict(e) for e in programme.effects]}
    return monthly.programme_month(prog, enrolments, timelines, tg_timelines, month, today)


# ---- target groups: monthly status and targets ----------------------------------------------


class TargetStatusSchema(DanishSchema):
    """Query of the target-group status: month and the four filters (all optional)."""

    class Meta:
        unknown = "exclude"

    month = fields.String(load_default="", validate=validate.Regexp(MONTH_RE + "|^$", error=MONTH_MESSAGE))
    target_group = fields.String(
        load_default="", validate=validate.OneOf(("", *target_status.GROUPS), error="Vælg en målgruppe fra listen.")
    )
    organization = fields.String(load_default="", validate=_uuid_or_empty)
    programme = fields.String(load_default="", validate=_uuid_or_empty)
    mentor = fields.String(load_default="", validate=_uuid_or_empty)


def parse_target_status(args: dict, today: date) -> dict:
    """Validated filters of the target-group status; unknown ids are a FilterError too."""
    raw = load_args(TargetStatusSchema(), args)
    for key, model, message in (
        ("organization", Organization, "Organisationen findes ikke."),
        ("programme", Programme, "Forløbet findes ikke."),
        ("mentor", User, "Mentoren findes ikke."),
    ):
        if raw[key] and db.session.get(model, raw[key]) is None:
            raise FilterError(message, key)
    return {
        **{k: raw[k] or None for k in ("target_group", "organization", "programme", "mentor")},
        "month": checked_month(raw["month"], today),
    }


def municipality() -> str:
    """The municipality this server serves (config TRINVIS_MUNICIPALITY)."""
    return current_app.config.get("TRINVIS_MUNICIPALITY") or "Kommunen"


def targets_for(year: int) -> dict[str, dict]:
    """The strategy's targets for a year: target group -> shares in percent and aimed reduction."""
    rows = db.session.scalars(
        select(TargetGroupTarget).where(
            TargetGroupTarget.municipality == municipality(), TargetGroupTarget.year == year
        )
    )
    return {
        t.target_group: {
            "self_supporting_pct": t.self_supporting_pct,
            "target_group_change_pct": t.target_group_change_pct,
            "other_benefit_pct": t.other_benefit_pct,
            "reduction": t.reduction,
            "source": t.source,
        }
        for t in rows
    }


def target_status_data(user: User, filters: dict, today: date) -> dict:
    """`target_status.target_group_status` over the young people `user` may see, filtered."""
    q = scope_query(user, filters["programme"])
    if filters["mentor"]:
        q = q.where(Youth.mentor_id == filters["mentor"])
    if filters["organization"]:
        staff = select(User.id).where(User.organization_id == filters["organization"])
        q = q.where(or_(Youth.mentor_id.in_(staff), Youth.coordinator_id.in_(staff)))
    scope = q.scalar_subquery()
    timelines, tg_timelines = load_timelines(scope, user)
    first, _ = reports.month_bounds(filters["month"])
    ref = monthly.reference_day(filters["month"], today)
    ids = set(db.session.scalars(q))
    if filters["target_group"]:
        ids = {y for y in ids if _in_group(tg_timelines.get(y), filters["target_group"], first, ref)}
    out = target_status.target_group_status(ids, timelines, tg_timelines, first, ref, targets_for(ref.year))
    out["youth_count"] = len(ids)
    return out


def _in_group(tl, group: str, first: date, ref: date) -> bool:
    """Whether a target-group timeline has `group` on some day from `first` to `ref`."""
    if tl is None:
        return False
    return tl.on(first) == group or any(
        first <= d <= ref and v == group for d, v in zip(tl.dates, tl.values, strict=True)
    )


def programmes_month(user: User, month: str, today: date) -> list[dict]:
    """`monthly.programme_month` for every programme in use (one read of the histories)."""
    scope = scope_query(user, None).scalar_subquery()
    timelines, tg_timelines = load_timelines(scope, user)
    rows = db.session.execute(
        select(
            Enrolment.programme_id,
            Enrolment.youth_id,
            Enrolment.start_date,
            Enrolment.planned_end_date,
            Enrolment.actual_end_date,
        ).where(Enrolment.youth_id.in_(scope), Enrolment.id.in_(visible_enrolments(user)))
    ).all()
    by_programme: dict[str, list[dict]] = {}
    for pid, y, s, p, a in rows:
        by_programme.setdefault(pid, []).append(
            {"youth_id": y, "start_date": s, "planned_end_date": p, "actual_end_date": a}
        )
    out = []
    for programme in db.session.scalars(select(Programme).where(Programme.active.is_(True)).order_by(Programme.name)):
        prog = {"id": programme.id, "name": programme.name, "effects": [effect_dict(e) for e in programme.effects]}
        out.append(
            monthly.programme_month(prog, by_programme.get(programme.id, []), timelines, tg_timelines, month, today)
        )
    return out
