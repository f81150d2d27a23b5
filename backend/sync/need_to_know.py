"""The push side of need-to-know: adapts the shared permission rule to a batch of mutations.

- default visibility on create (organisation-only for treatment organisations),
- fields the writer may not see are neither shown back nor taken from the client,
- consent-safe assignment of mentor and coordinator (every path, administrator tooling included),
- the server's date for the attendance windows, and the audit entry for a coordinator's correction.
"""

from __future__ import annotations

from datetime import date

from backend.access import consented_org_ids
from backend.clock import local_now
from backend.models import Activity, Consent, Organization, User
from shared import permissions

VISIBILITY_FIELD = {
    "goal": "visibility",
    "activity": "visibility",
    "agreement": "visibility",
    "outreach": "visibility",
    "assessment": "comment_visibility",
    "attendance": "note_visibility",
    "company_agreement": "visibility",
    "work_hours": "visibility",
    "placement_follow_up": "visibility",
}


def server_today() -> date:
    """The municipality's local date (the attendance windows are calendar days in Denmark)."""
    return local_now().date()


def fill_default_visibility(ctx, entity: str, data: dict) -> str | None:
    """On create: the owner organisation's default when the client sent no visibility.

    Returns the field it filled (not the client's choice, so not judged as the client's change).
    """
    field = VISIBILITY_FIELD.get(entity)
    if field is None or data.get(field):
        return None
    if entity == "assessment" and data.get("rater_role") == "youth":
        data[field] = permissions.SHARED
        return field
    org_id = data.get("organization_id")
    if entity == "assessment" and not org_id:
        org_id = getattr(ctx.user, "organization_id", None)
    if entity == "attendance":
        act = ctx.get(Activity, data.get("activity_id")) if isinstance(data.get("activity_id"), str) else None
        org_id = act.organization_id if act is not None else None
    org = ctx.get(Organization, org_id) if isinstance(org_id, str) else None
    data[field] = permissions.default_visibility(org.kind if org is not None else None)
    return field


def drop_hidden(ctx, entity: str, existing_wire: dict | None, data: dict) -> None:
    """Fields of a stored record the writer may not see are not theirs to change: ignore them.

    (The client holds them blank; sending the blank back must neither erase nor be refused.)
    """
    if ctx.system or existing_wire is None:
        return
    for f in permissions.hidden_fields(ctx.user, entity, existing_wire):
        data.pop(f, None)


def shown(ctx, entity: str, wire: dict | None) -> dict | None:
    """The record as the pushing user may see it (results carry records back to the device)."""
    if wire is None or ctx.system:
        return wire
    return permissions.redact(ctx.user, entity, wire)


def check_assignment(ctx, before: dict | None, after: dict) -> None:
    """Mentor and coordinator must belong to an organisation the young person consented to."""
    youth_id = after.get("id")
    for field in ("mentor_id", "coordinator_id"):
        new = after.get(field)
        if not new or (before or {}).get(field) == new:
            continue
        if before is None and field == "coordinator_id" and new == getattr(ctx.user, "id", None):
            continue  # the coordinator who registers a young person opens the case (intake)
        permissions.check_assignment(field, ctx.get(User, new), _consents(ctx, youth_id))


def _consents(ctx, youth_id: str) -> set[str]:
    """Consented organisations, counting consents given or withdrawn earlier in this batch."""
    given = consented_org_ids(youth_id)
    for (model, _), row in ctx.rows.items():
        if model is Consent and row is not None and row.youth_id == youth_id:
            (given.add if row.status == "given" and not row.deleted else given.discard)(row.organization_id)
    return given


def audit_correction(ctx, entity: str, wire: dict) -> None:
    """A coordinator's attendance change older than the staff window is logged as a correction
    (one audit entry per young person and push, with the count, like every other push entry)."""
    if not ctx.system and permissions.needs_correction_audit(ctx.user, entity, wire, ctx.today):
        ctx.audit_counts[(wire.get("youth_id"), entity, "correct")] += 1
