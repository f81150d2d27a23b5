"""Who may see and write what (docs/architecture.md#users-and-roles, #visibility).

Young people are visible through access grants: self (the youth's own login), mentor and
coordinator (assignment), and consent (a partner organisation). Item visibility then narrows
what partners and the young person see: `shared` items, plus a partner's own organisation's.
Everything about items and fields — who sees an organisation-only item, who may write which
field — is the one rule in `shared.permissions`; this module only turns it into SQL conditions and
looks up the facts it needs (grants, consents).
"""

from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true

from backend.extensions import db
from backend.models import AccessGrant, ChangeLog, Consent, User
from shared import permissions
from shared.enums import Role
from shared.permissions import SEES_ALL_ITEMS, Denied, check_write, hidden_fields, may_see, redact  # noqa: F401


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
    q = (
        select(AccessGrant.id)
        .where(AccessGrant.active.is_(True), AccessGrant.youth_id == youth_id, grant_condition(user))
        .limit(1)
    )
    return db.session.scalar(q) is not None


def item_visible(user: User, organization_id: str | None, visibility: str | None) -> bool:
    """Whether a record of a visible young person is itself visible to the user (shared rule)."""
    return permissions.sees_item(user, organization_id, visibility)


def item_condition(user: User):
    """SQL condition on ChangeLog rows equivalent to item_visible()."""
    if user.role in SEES_ALL_ITEMS:
        return true()
    if user.role == Role.PARTNER:
        return or_(ChangeLog.visibility == "shared", ChangeLog.organization_id == user.organization_id)
    return ChangeLog.visibility == "shared"


def row_condition(user: User, model):
    """SQL condition on a case table's rows equivalent to item_visible() (None: every row)."""
    if user.role in SEES_ALL_ITEMS:
        return None
    if user.role == Role.PARTNER:
        return or_(model.visibility == "shared", model.organization_id == user.organization_id)
    if user.role == Role.ADMIN:
        return false()
    return model.visibility == "shared"


_RULE_FIELDS = (
    "id",
    "youth_id",
    "organization_id",
    "visibility",
    "comment_visibility",
    "note_visibility",
    "rater_role",
)


def as_record(row) -> dict:
    """The fields the shared rule looks at, from an ORM row (or a dict, returned as it is)."""
    if isinstance(row, dict):
        return row
    return {k: getattr(row, k, None) for k in _RULE_FIELDS}


# ---- consent-safe assignment ----------------------------------------------------------------


def consented_org_ids(youth_id: str, extra_given: set[str] | None = None) -> set[str]:
    """Organisations the young person has consented to now (plus consents given in this batch)."""
    rows = db.session.scalars(
        select(Consent.organization_id).where(
            Consent.youth_id == youth_id, Consent.status == "given", Consent.deleted.is_(False)
        )
    )
    return set(rows) | set(extra_given or ())


def check_assignment(youth_id: str, field: str, user_id: str | None, extra_given: set[str] | None = None) -> None:
    """Raise Denied unless the user may be the young person's mentor/coordinator (shared rule)."""
    if not user_id:
        return
    assignee = db.session.get(User, user_id)
    if assignee is None:
        raise Denied("invalid_reference", f"Brugeren i {field} findes ikke.")
    permissions.check_assignment(field, assignee, consented_org_ids(youth_id, extra_given))
