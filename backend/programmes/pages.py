"""The queries behind the programme pages: the catalogue, one young person's programmes and
status history, and the look-ups the forms need. Nothing here commits — the view does."""

from __future__ import annotations

from sqlalchemy import select

from backend import audit
from backend.access import can_see_youth
from backend.extensions import db
from backend.models import Organization, User, Youth
from backend.programmes import service
from backend.programmes.models import Enrolment, OutcomeChange, Programme, TargetGroupChange
from shared.enums import Role


def programmes_by_name() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.name)))


def catalogue() -> tuple[list[Programme], dict[str, str]]:
    """The programmes (those in use first) and the organisations' names by id."""
    programmes = db.session.scalars(select(Programme).order_by(Programme.active.desc(), Programme.name)).all()
    return list(programmes), {o.id: o.name for o in db.session.scalars(select(Organization))}


def organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


def active_mentors() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == Role.MENTOR, User.active.is_(True)).order_by(User.display_name)
        )
    )


def programme(programme_id: str | None) -> Programme | None:
    """The programme with this id, or None (also for an id that cannot be one)."""
    return db.session.get(Programme, (programme_id or "")[:36]) if programme_id else None


def visible_youth(user: User, youth_id: str) -> Youth | None:
    """The young person when `user` may see them, else None."""
    youth = db.session.get(Youth, youth_id[:36])
    if youth is None or youth.deleted or not can_see_youth(user, youth.id):
        return None
    return youth


def visible_enrolment(user: User, youth: Youth, enrolment_id: str) -> Enrolment | None:
    """One of the young person's enrolments that `user` may see, else None."""
    enrolment = db.session.get(Enrolment, enrolment_id[:36])
    if enrolment is None or enrolment.youth_id != youth.id or not service.may_see_enrolment(user, enrolment):
        return None
    return enrolment


def youth_names(ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Youth.id, Youth.display_name).where(Youth.id.in_(ids))).all())


def youth_history(user: User, youth: Youth) -> dict:
    """Enrolments and target-group/outcome history of one young person, as far as `user` may
    see them; the read is audited."""
    enrolments = [
        e
        for e in db.session.scalars(
            select(Enrolment).where(Enrolment.youth_id == youth.id).order_by(Enrolment.start_date.desc())
        )
        if service.may_see_enrolment(user, e)
    ]
    tg = _history(TargetGroupChange, youth.id)
    oc = _history(OutcomeChange, youth.id)
    user_ids = {e.recorded_by_user_id for e in (*enrolments, *tg, *oc)} - {None}
    names = (
        {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
        if user_ids
        else {}
    )
    audit.record(
        user, "read", youth_id=youth.id, entity="enrolment", count=len(enrolments) + len(tg) + len(oc), channel="web"
    )
    return {
        "youth": youth,
        "enrolments": enrolments,
        "target_groups": tg,
        "outcomes": oc,
        "names": names,
        "programmes": {p.id: p for p in db.session.scalars(select(Programme))},
        "end_reasons": service.END_REASONS,
    }


def _history(model, youth_id: str) -> list:
    return list(
        db.session.scalars(
            select(model).where(model.youth_id == youth_id).order_by(model.valid_from.desc(), model.recorded_at.desc())
        )
    )
