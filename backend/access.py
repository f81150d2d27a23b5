"""Who may see and write what (docs/architecture.md#users-and-roles, #visibility).

Young people are visible through access grants: self (the youth's own login), mentor and
coordinator (assignment), and consent (a partner organisation). Item visibility then narrows
what partners and the young person see: `shared` items, plus a partner's own organisation's.
Write rules are plain functions of the user, the record and the changed fields.
"""

from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true

from backend.extensions import db
from backend.models import AccessGrant, ChangeLog, User
from shared.enums import Role
from shared.labels import field_label
from shared.plan_voice import voice_write

SEES_ALL_ITEMS = frozenset({Role.MENTOR, Role.COORDINATOR})


def grant_condition(user: User):
    """SQL condition selecting the access grants that apply to this user."""
    conds = [and_(AccessGrant.subject_kind == "user", AccessGrant.subject_id == user.id)]
    if user.role == Role.PARTNER and user.organization_id:
        conds.append(and_(AccessGrant.subject_kind == "org", AccessGrant.subject_id == user.organization_id))
    return or_(*conds)


def visible_youth_query(user: User):
    """SELECT of the ids of the young people this user may see now."""
    if user.role == Role.ADMIN:
        return select(AccessGrant.youth_id).where(false())
    return select(AccessGrant.youth_id).where(AccessGrant.active.is_(True), grant_condition(user))


def visible_youth_ids(user: User) -> set[str]:
    return set(db.session.scalars(visible_youth_query(user)))


def can_see_youth(user: User, youth_id: str) -> bool:
    if user.role == Role.ADMIN:
        return False
    q = select(AccessGrant.id).where(
        AccessGrant.active.is_(True), AccessGrant.youth_id == youth_id, grant_condition(user)
    ).limit(1)
    return db.session.scalar(q) is not None


def item_visible(user: User, organization_id: str | None, visibility: str | None) -> bool:
    """Whether a record of a visible young person is itself visible to the user."""
    if user.role in SEES_ALL_ITEMS:
        return True
    if (visibility or "shared") == "shared":
        return True
    return user.role == Role.PARTNER and organization_id is not None and organization_id == user.organization_id


def item_condition(user: User):
    """SQL condition on ChangeLog rows equivalent to item_visible()."""
    if user.role in SEES_ALL_ITEMS:
        return true()
    if user.role == Role.PARTNER:
        return or_(ChangeLog.visibility == "shared", ChangeLog.organization_id == user.organization_id)
    return ChangeLog.visibility == "shared"


# ---- write rules ----------------------------------------------------------------------------

YOUTH_WRITABLE = {
    # Their own contact details and reminder settings (issue 13): nothing else on their record.
    "youth": {"phone", "contact_time", "reminder_time", "reminders_enabled"},
    "attendance": {"id", "youth_id", "activity_id", "date", "self_checked_in_at", "absence_reason", "status"},
    "agreement": {"youth_comment", "youth_marked_done_at"},
    "assessment": {"id", "youth_id", "due_date", "rater_role", "scores", "comment", "submitted_at", "organization_id"},
}
YOUTH_STATUSES = {None, "present", "absent_notified"}

MENTOR_ENTITIES = {"attendance", "agreement", "outreach", "assessment", "goal", "activity", "company_agreement",
                   "work_hours"}
PARTNER_ENTITIES = {"attendance", "agreement", "assessment", "goal", "activity", "company_agreement", "work_hours"}
OWN_ORG_ENTITIES = {"goal", "activity", "outreach", "assessment", "company_agreement", "work_hours"}
"""Mentors write these only for their own organisation (partners write everything only for theirs)."""


class Denied(Exception):
    """A write the user may not make; `code` and Danish `message` go back to the client."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def check_write(user: User, entity: str, op: str, existing: dict | None, new: dict,
                changed: set[str]) -> None:
    """Raise Denied unless `user` may make this change.

    `existing` is the stored record (wire form) or None for a create, `new` the record after the
    change, `changed` the fields the client changed. The young person must already be visible.
    """
    role = user.role
    org = user.organization_id
    if role == Role.ADMIN:
        raise Denied("forbidden", "Administratorer har ikke adgang til sagsdata.")
    if op == "delete" and entity in {"youth", "consent"}:
        raise Denied("forbidden", "Kan ikke slettes. Træk i stedet samtykket tilbage eller afslut forløbet.")
    if existing is not None and new.get("youth_id") != existing.get("youth_id"):
        raise Denied("invalid", "En registrering kan ikke flyttes til en anden ung.")
    verdict = voice_write(role, entity, op, existing, new, changed)  # the young person's own words
    if verdict is not False:
        if verdict is not None:
            raise Denied(*verdict)
        return

    if role == Role.YOUTH:
        allowed = YOUTH_WRITABLE.get(entity)
        if allowed is None or op == "delete":
            raise Denied("forbidden", "Det kan du ikke ændre selv. Spørg din mentor.")
        if entity == "agreement" and existing is None:
            raise Denied("forbidden", "Aftaler laves sammen med din mentor.")
        extra = changed - allowed
        if extra:
            names = ", ".join(field_label(f) for f in sorted(extra))
            raise Denied("forbidden_field", f"Det kan du ikke ændre selv: {names}.")
        if entity == "attendance" and "status" in changed and new.get("status") not in YOUTH_STATUSES:
            raise Denied("forbidden_field", "Kun din mentor kan registrere sent fremmøde eller udeblivelse.")
        if entity == "assessment" and new.get("rater_role") != "youth":
            raise Denied("forbidden_field", "Din egen vurdering skal have rater_role 'youth'.")
        return

    if role == Role.COORDINATOR:
        return

    if role == Role.MENTOR:
        if entity not in MENTOR_ENTITIES:
            raise Denied("forbidden", "Kun koordinatoren kan ændre dette.")
        if entity in OWN_ORG_ENTITIES or (entity == "agreement" and existing is None):
            for rec in (existing, new):
                if rec is not None and rec.get("organization_id") != org:
                    raise Denied("forbidden_organization", "Du kan kun ændre din egen organisations punkter.")
        if entity == "assessment" and new.get("rater_role") != "staff":
            raise Denied("forbidden_field", "En medarbejders vurdering skal have rater_role 'staff'.")
        return

    if role == Role.PARTNER:
        if entity not in PARTNER_ENTITIES:
            raise Denied("forbidden", "Din organisation kan ikke ændre dette.")
        for rec in (existing, new):
            if rec is not None and rec.get("organization_id") != org:
                raise Denied("forbidden_organization", "Du kan kun ændre din egen organisations punkter.")
        if entity == "assessment" and new.get("rater_role") != "staff":
            raise Denied("forbidden_field", "En medarbejders vurdering skal have rater_role 'staff'.")
        return

    raise Denied("forbidden", "Ukendt rolle.")
