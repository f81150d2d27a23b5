"""Den unge and samtykke: who is assigned to a young person and which organisations they consented to —
the two writes that open (or close) a young person's records to staff."""

from __future__ import annotations

from backend.domain.base import ORGANIZATION, Policy, Reference, Rejected, Writer
from backend.domain.effects import Access, NowVisible
from shared.enums import Role


class YouthPolicy(Policy):
    """Den unge: created by a coordinator, who becomes the coordinator unless one is named;
    assigning the mentor, coordinator or the young person's own user grants access."""

    entity = "youth"
    creates_youth = True
    references = (
        ORGANIZATION,
        *(
            Reference(f, "user", "invalid_reference", f"Brugeren i {f} findes ikke.")
            for f in ("mentor_id", "coordinator_id", "user_id")
        ),
    )
    ASSIGNMENTS = (("mentor_id", "mentor"), ("coordinator_id", "coordinator"), ("user_id", "self"))

    def prepare(self, record_id: str, data: dict, row) -> None:
        data.setdefault("youth_id", record_id)
        if data["youth_id"] != record_id:
            raise Rejected("invalid", "For en ung er youth_id det samme som id.")

    def check_create(self, writer: Writer) -> None:
        if writer.role != Role.COORDINATOR and not writer.system:
            raise Rejected("forbidden", "Kun en koordinator kan oprette en ung.")

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        if row is None and not loaded.get("coordinator_id") and writer.role == Role.COORDINATOR:
            return {"coordinator_id": writer.id}
        return {}

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        youth_id = after["id"]
        out: list = []
        for f, reason in self.ASSIGNMENTS:
            old, new = (before or {}).get(f), after.get(f)
            if old == new:
                continue
            if old:
                out.append(Access(youth_id, "user", old, reason, granted=False))
            if new:
                out.append(Access(youth_id, "user", new, reason, granted=True))
        if not writer.system and writer.id in {after.get(f) for f, _ in self.ASSIGNMENTS}:
            out.append(NowVisible(youth_id))
        return out


class ConsentPolicy(Policy):
    """Samtykke: who recorded it and when it was given or withdrawn; given consent opens the young
    person's shared records to the organisation, withdrawn consent closes them."""

    entity = "consent"

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        if row is not None and "status" not in changed:
            return {}
        out: dict = {"recorded_by_user_id": writer.id}
        status = loaded.get("status", row.status if row is not None else None)
        stamp = "given_at" if status == "given" else "withdrawn_at"
        if stamp not in changed and not (row is None and loaded.get(stamp)):
            out[stamp] = now
        return out

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        old, new = (before or {}).get("status"), after.get("status")
        if old == new:
            return []
        return [Access(after["youth_id"], "org", after["organization_id"], "consent", granted=new == "given")]
