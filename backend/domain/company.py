"""Virksomhedsaftale, its follow-ups and arbejdstimer: the placement with a company, the follow-ups
agreed with it and the hours worked there."""

from __future__ import annotations

from backend.domain.base import ORGANIZATION, YOUTH, Policy, Reference, Writer, visible_parent
from backend.domain.effects import FollowUpsFollow


class CompanyAgreementPolicy(Policy):
    """Virksomhedsaftale: owned by an organisation; its placement activity belongs to the same young
    person; remembers who made it."""

    entity = "company_agreement"
    references = (
        ORGANIZATION,
        YOUTH,
        Reference(
            "activity_id", "activity", "invalid_reference", "Aktiviteten findes ikke for denne unge.", same_youth=True
        ),
    )

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        return {"created_by_user_id": writer.id} if row is None else {}

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        if before is not None and any(before.get(f) != after.get(f) for f in ("visibility", "organization_id")):
            return [FollowUpsFollow(after["id"])]
        return []

    def delete_effects(self, record_id: str) -> list:
        return [FollowUpsFollow(record_id)]


class WorkHoursPolicy(Policy):
    """Arbejdstimer: owned by an organisation; its company agreement belongs to the same young person;
    remembers who recorded it."""

    entity = "work_hours"
    references = (
        ORGANIZATION,
        YOUTH,
        Reference(
            "company_agreement_id",
            "company_agreement",
            "invalid_reference",
            "Virksomhedsaftalen findes ikke for denne unge.",
            same_youth=True,
        ),
    )

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        return {"recorded_by_user_id": writer.id}


class PlacementFollowUpPolicy(Policy):
    """Opfølgning på en virksomhedsaftale: takes its agreement's owner and visibility (a follow-up on
    a private agreement stays private); remembers who recorded it."""

    entity = "placement_follow_up"
    references = (YOUTH,)  # the organisation is the agreement's, set by the server

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        ag = visible_parent(
            records,
            "company_agreement",
            "company_agreement_id",
            row,
            loaded,
            "Virksomhedsaftalen findes ikke for denne unge.",
        )
        return {"organization_id": ag.organization_id, "visibility": ag.visibility, "recorded_by_user_id": writer.id}
