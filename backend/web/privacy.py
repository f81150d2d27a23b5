"""Need-to-know on the pages: the organisation-only marker and the print for a joint meeting.

Both ask the one rule in `shared.permissions`; this module only adapts rows and form input to it.
"""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from backend.access import as_record
from backend.extensions import db
from backend.models import Organization
from shared import permissions
from shared.enums import Role


def private_marker(entity: str, row) -> Markup:
    """A visible 'Kun <organisation>' tag for an organisation-only item (or its comment / note)."""
    rec = as_record(row)
    if not permissions.is_private(entity, rec):
        return Markup("")
    org = db.session.get(Organization, rec["organization_id"]) if rec.get("organization_id") else None
    name = org.name if org else "organisationen"
    whole = entity in permissions.RECORD_VISIBILITY and rec.get("visibility") == permissions.ORGANIZATION
    text = (
        f"Kun {name}"
        if whole
        else {"assessment": f"Kommentaren kun for {name}", "attendance": f"Noten kun for {name}"}.get(
            entity, f"Kun {name}"
        )
    )
    return Markup(
        '<span class="tag tag-private" data-testid="private-marker" title="Organisationsintern – '
        'vises ikke for andre organisationer">{}</span>'
    ).format(text)


@dataclasses.dataclass
class Meeting:
    """Who is at the joint meeting: organisations (their staff) and whether the young person is."""

    org_ids: list[str]
    youth_present: bool

    @property
    def audience(self) -> list[permissions.Actor]:
        # Staff of an organisation at the meeting see what a partner of that organisation sees:
        # shared items and their own organisation's.
        out = [permissions.Actor(None, Role.PARTNER, o) for o in self.org_ids]
        if self.youth_present:
            out.append(permissions.Actor(None, Role.YOUTH, None))
        return out

    @property
    def empty(self) -> bool:
        return not self.org_ids and not self.youth_present


def meeting_from_args(args, allowed_org_ids: set[str]) -> Meeting:
    """The meeting from the print form's query (only organisations that may take part count)."""
    orgs = [o for o in dict.fromkeys(args.getlist("org")) if o in allowed_org_ids]
    return Meeting(orgs, args.get("youth") == "1")


def for_meeting(view, meeting: Meeting):
    """A copy of the plan view with only what everyone at the meeting may see."""
    audience = meeting.audience

    def keep(entity, rows):
        return [r for r in rows if permissions.meeting_sees(audience, entity, as_record(r))]

    activities = keep("activity", view.activities)
    act_ids = {a.id for a in activities}
    return dataclasses.replace(
        view,
        goals=keep("goal", view.goals),
        activities=activities,
        agreements=keep("agreement", view.agreements),
        outreach=keep("outreach", view.outreach),
        attendance=[a for a in keep("attendance", view.attendance) if a.activity_id in act_ids],
        assessments=view.assessments,
        company_agreements=keep("company_agreement", view.company_agreements),
        work_hours=keep("work_hours", view.work_hours),
        follow_ups=keep("placement_follow_up", view.follow_ups),
    )
