"""What the server decides about each kind of case record when someone writes it (one policy each).

Pure rules, read like the glossary (docs/architecture.md#glossary): no database, no request, no Flask. The sync write
path (`backend.sync`) asks the policy of a record's entity and carries out the answer:

- **server-owned fields**: who recorded it, the activity's organisation and visibility on
  attendance, consent timestamps — never taken from the client;
- **natural keys**: attendance is one per (young person, activity, day), whatever its id;
- **merge rules**: staff attendance status wins over the young person's, and a check-in time or
  an absence reason is never erased by a merge;
- **locks**: a submitted assessment can be neither changed nor deleted;
- **references** the record must point at (organisation, young person, goal, users), and the one
  plan per young person;
- **side effects**: access grants follow assignments and consent; attendance follows its
  activity's owner and visibility (the cascade).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from shared.enums import Role
from shared.plan_voice import ANSWER_FIELDS, GOAL_CONTENT_FIELDS, PLAN_CONTENT_FIELDS, VOICE_FIELDS


class Rejected(Exception):
    """A write refused before it changed anything: `code` and Danish `message` go to the client."""

    def __init__(self, code: str, message: str, details=None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


@dataclass(frozen=True)
class Writer:
    """Who writes: the user, and `system` for administrator tooling (no visibility checks)."""

    id: str
    role: Role
    organization_id: str | None
    system: bool = False


class Records(Protocol):
    """What a policy may look up: stored records by entity and id, and item visibility."""

    def find(self, entity: str, record_id: Any) -> Any | None: ...

    def may_see(self, organization_id: str | None, visibility: str | None) -> bool: ...


@dataclass(frozen=True)
class Reference:
    """`field` must name an existing `entity` record (of the same young person if `same_youth`)."""

    field: str
    entity: str
    code: str
    message: str
    required: bool = False
    same_youth: bool = False


@dataclass(frozen=True)
class Access:
    """Grant (or revoke) a young person's records to a user or an organisation."""

    youth_id: str
    subject_kind: str  # "user" or "org"
    subject_id: str
    reason: str
    granted: bool


@dataclass(frozen=True)
class NowVisible:
    """The writer may go on with this young person in the same batch (the grant lands at commit)."""

    youth_id: str


@dataclass(frozen=True)
class PlanRevised:
    """The young person's plan gets a new version (a shared sub-goal changed)."""

    youth_id: str | None = None
    goal_id: str | None = None  # a deleted goal: its young person is looked up


@dataclass(frozen=True)
class Cascade:
    """The activity's attendance takes its owner and visibility again."""

    activity_id: str


@dataclass(frozen=True)
class FollowUpsFollow:
    """The company agreement's follow-ups take its owner and visibility again."""

    agreement_id: str


ORGANIZATION = Reference("organization_id", "organization", "invalid_reference", "Organisationen findes ikke.")
YOUTH = Reference("youth_id", "youth", "not_found", "Den unge findes ikke.", required=True)


class Policy:
    """The default case record: no server-owned fields, no natural key, no side effects."""

    entity = ""
    natural_key: tuple[str, ...] = ()
    kept_fields: frozenset[str] = frozenset()
    """Fields a merge never erases and never reports as a conflict."""
    creates_youth = False
    one_per_youth: tuple[str, str] | None = None
    """(code, message) when a young person may have only one live record of this entity."""
    references: tuple[Reference, ...] = (ORGANIZATION, YOUTH)
    locked_change = locked_delete = ""

    def prepare(self, record_id: str, data: dict, row) -> None:
        """Complete the client's `data` before validation (a change keeps its young person)."""
        if row is not None:
            data.setdefault("youth_id", row.youth_id)

    def check_create(self, writer: Writer) -> None:
        """Only for `creates_youth` policies: raise Rejected if `writer` may not create one."""

    def locked(self, row) -> bool:
        """Whether the stored record can no longer be changed or deleted."""
        return False

    def merge_rules(self, writer: Writer, row, loaded: dict, changed: dict) -> bool:
        """Adjust `loaded`/`changed` to the entity's merge rules; True when they differ from the client's."""
        return False

    def server_fields(self, writer: Writer, row, loaded: dict, changed: dict, records: Records, now: datetime) -> dict:
        """Fields only the server sets, judged apart from what the client sent."""
        return {}

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        """What else follows from writing `after` over `before` (wire forms)."""
        return []

    def delete_effects(self, record_id: str) -> list:
        return []


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


class PlanPolicy(Policy):
    """Fælles plan: one per young person. A change of its content makes a new version (`revision`,
    `revised_at`); who last wrote the young person's words and when they answered are recorded."""

    entity = "plan"
    one_per_youth = ("duplicate_plan", "Den unge har allerede én fælles plan.")

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        fields = set(loaded if row is None else changed)
        out: dict = {}
        if row is None:
            out.update(revision=1, revised_at=now)
        elif fields & PLAN_CONTENT_FIELDS:
            out.update(revision=(row.revision or 1) + 1, revised_at=now)
        voice = fields & VOICE_FIELDS
        if voice and (row is not None or any(loaded.get(f) for f in voice)):
            out.update(voice_updated_by_user_id=writer.id, voice_updated_at=now)
        if fields & ANSWER_FIELDS and (row is not None or loaded.get("youth_answer")):
            answered = loaded.get("youth_answer_revision", row.youth_answer_revision if row is not None else None)
            current = out.get("revision", row.revision if row is not None else 1)
            if answered is not None and answered > current:
                raise Rejected("invalid", "Svaret hører til en udgave af planen, som ikke findes.")
            out["youth_answered_at"] = now
        return out


class GoalPolicy(Policy):
    """Delmål: owned by an organisation. A shared sub-goal is part of the plan the young person
    agrees to: changing one makes a new version of the plan."""

    entity = "goal"

    def effects(self, writer: Writer, before: dict | None, after: dict) -> list:
        shared = "shared" in {(before or {}).get("visibility"), after.get("visibility")}
        touched = before is None or any(before.get(f) != after.get(f) for f in GOAL_CONTENT_FIELDS)
        return [PlanRevised(youth_id=after["youth_id"])] if shared and touched else []

    def delete_effects(self, record_id: str) -> list:
        return [PlanRevised(goal_id=record_id)]


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


class AgreementPolicy(Policy):
    """Aftale: remembers who made it."""

    entity = "agreement"

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        return {"created_by_user_id": writer.id} if row is None else {}


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
        activity_id = loaded.get("activity_id") or (row.activity_id if row is not None else None)
        act = records.find("activity", activity_id)
        youth_id = loaded.get("youth_id") or (row.youth_id if row is not None else None)
        if (
            act is None
            or act.youth_id != youth_id
            or act.deleted
            or not records.may_see(act.organization_id, act.visibility)
        ):
            # an activity the writer may not see is as good as absent (no check-in to hidden treatment)
            raise Rejected("invalid_reference", "Aktiviteten findes ikke for denne unge.")
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


class AssessmentPolicy(Policy):
    """Progressionsmåling: remembers the rater (and a staff rater's organisation); immutable once
    submitted."""

    entity = "assessment"
    locked_change = "En indsendt progressionsmåling kan ikke ændres."
    locked_delete = "En indsendt progressionsmåling kan ikke slettes."

    def locked(self, row) -> bool:
        return row.submitted_at is not None

    def server_fields(self, writer, row, loaded, changed, records, now) -> dict:
        if row is not None:
            return {}
        out = {"rater_user_id": writer.id}
        if writer.role != Role.YOUTH and not loaded.get("organization_id"):
            out["organization_id"] = writer.organization_id
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


# The policies of issue 14's entities live in their own module; it needs the classes above.
from backend.domain.policies_steps import (  # noqa: E402
    CompanyAgreementPolicy,
    GoalProposalPolicy,
    PlacementFollowUpPolicy,
    StepChangePolicy,
    WorkHoursPolicy,
)

POLICIES: dict[str, Policy] = {
    p.entity: p
    for p in (
        YouthPolicy(),
        PlanPolicy(),
        GoalPolicy(),
        ActivityPolicy(),
        AgreementPolicy(),
        AttendancePolicy(),
        OutreachPolicy(),
        AssessmentPolicy(),
        ConsentPolicy(),
        GoalProposalPolicy(),
        StepChangePolicy(),
        CompanyAgreementPolicy(),
        WorkHoursPolicy(),
        PlacementFollowUpPolicy(),
    )
}


def policy(entity: str) -> Policy:
    """The policy of a case entity (the base policy for anything else, e.g. organisation)."""
    return POLICIES.get(entity) or _DEFAULT


_DEFAULT = Policy()
