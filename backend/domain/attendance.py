"""Indsats, fremmøde and opsøgende kontakt: the week's activities, who came, and the follow-up of who did not."""

from __future__ import annotations

from backend.domain.base import ORGANIZATION, YOUTH, Policy, Reference, Writer, visible_parent
from backend.domain.effects import Cascade
from shared.enums import Role


class ActivityPolicy(Policy):
    """Indsats: its goal belongs to the same young person; its attendance follows its owner and
    visibility (treatment attendance stays private), also when it is deleted."""

    entity = "activity"
    references = (
        ORGANIZATION,
        YOUTH,
        Reference("goal_id", "goal", "invalid_reference", "Delmålet findes ikke for denne unge.", same_youth=True),
    )

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        if before is not None and (
            before.get("visibility") != after.get("visibility")
            or before.get("organization_id") != after.get("organization_id")
        ):
            return [Cascade(after["id"])]
        return []

    def delete_effects(self, record_id: str) -> list:
        return [Cascade(record_id)]


class AttendancePolicy(Policy):
    """Fremmøde: one per young person, activity and day; takes its activity's owner and
    visibility; staff status wins over the young person's; a check-in means present."""

    entity = "attendance"
    natural_key = ("youth_id", "activity_id", "date")
    kept_fields = frozenset({"self_checked_in_at", "absence_reason"})
    references = (YOUTH,)  # the organisation is the activity's, set by the server

    def merge_rules(self, writer: Writer, row, loaded: dict, changed: dict) -> bool:
        merged = False
        is_youth = writer.role == Role.YOUTH
        if row is not None:
            for f in self.kept_fields:
                if f in changed and changed[f] in (None, "") and getattr(row, f) not in (None, ""):
                    del changed[f]
                    merged = True
            if is_youth and "status" in changed and row.status_source == "staff":
                del changed["status"]
                merged = True
        if (
            is_youth
            and (row is None or row.status_source != "staff")
            and loaded.get("self_checked_in_at")
            and not loaded.get("status")
        ):
            # A check-in means present, unless staff already recorded something else.
            if row is None:
                loaded["status"] = "present"
            elif row.status != "present":
                changed["status"] = "present"
        return merged

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        # no check-in to hidden treatment
        act = visible_parent(records, "activity", "activity_id", row, loaded, "Aktiviteten findes ikke for denne unge.")
        out = {"organization_id": act.organization_id, "visibility": act.visibility}
        if ("status" in changed) if row is not None else bool(loaded.get("status")):
            staff = writer.role != Role.YOUTH
            out["status_source"] = "staff" if staff else "youth"
            if staff:
                out["recorded_by_user_id"] = writer.id
        return out


class OutreachPolicy(Policy):
    """Opsøgende kontakt: remembers who reached out."""

    entity = "outreach"

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        return {"user_id": writer.id} if row is None else {}
