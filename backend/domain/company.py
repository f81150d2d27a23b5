"""Virksomhedsaftale and arbejdstimer: the placement with a company and the hours worked there."""

from __future__ import annotations

from backend.domain.base import ORGANIZATION, YOUTH, Policy, Reference


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
