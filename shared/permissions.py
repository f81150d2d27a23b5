"""The one permission rule: who may see and write what (DESIGN.md roles table, issue 9).

Pure: role × entity × organisation × fields × item visibility × consent in, a yes/no (or a Danish
reason) out. The server (sync engine, caseworker pages, results and programme pages) and the phone
all ask here; nothing else decides who may see or write what. Whether a user reaches a young person
at all (assignment, consent, self) is a fact the caller looks up (access grants) and passes in.

- Item visibility: `shared` (everyone who reaches the young person) or `organization` (the owner
  organisation, plus the young person's mentor and coordinator). The young person sees `shared`.
- Field visibility: an assessment's scores are the common 6-weekly progression and always shared;
  its `comment` follows `comment_visibility`. An attendance record follows its activity; its
  `note` follows `note_visibility` (owner: the activity's organisation).
- Default visibility: `organization` for treatment organisations, `shared` for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.enums import Role
from shared.labels import field_label
from shared.plan_voice import voice_write

SHARED = "shared"
ORGANIZATION = "organization"

TREATMENT_KINDS = frozenset({"rusmiddelcenter", "psychiatry", "psykiatri", "behandling"})
"""Organisation kinds whose records are organisation-only unless the writer shares them."""

PLACEMENT_ENTITIES = frozenset({"company_agreement", "work_hours", "placement_follow_up"})
"""Issue 14's placement records: owned by an organisation and visible like a sub-goal."""

RECORD_VISIBILITY = (
    frozenset({"goal", "activity", "agreement", "outreach", "attendance", "enrolment"}) | PLACEMENT_ENTITIES
)
"""Entities whose `visibility` governs the whole record."""

CONTACT_FIELDS = frozenset({"phone", "contact_time", "reminder_time", "reminders_enabled"})
"""The young person's own contact details and reminder settings on `youth` (issue 13)."""

FIELD_VISIBILITY = {"assessment": {"comment": "comment_visibility"}, "attendance": {"note": "note_visibility"}}
"""Fields hidden on their own (the rest of the record stays visible): field -> its visibility field."""

CONTACT_ROLES = frozenset({Role.YOUTH, Role.MENTOR, Role.COORDINATOR})
"""Who sees CONTACT_FIELDS: these roles reach a young person only as self, mentor or coordinator."""
ROLE_FIELDS = {"youth": (CONTACT_FIELDS, CONTACT_ROLES)}
"""Fields hidden by role alone: entity -> (fields, the roles that see them)."""
HIDDEN_BLANK: dict[str, Any] = {"reminders_enabled": None}
"""What a hidden field travels as: "" (text), but null for a yes/no, which "" or false would misstate."""
FIELD_HIDING = frozenset(FIELD_VISIBILITY) | frozenset(ROLE_FIELDS)

SEES_ALL_ITEMS = frozenset({Role.MENTOR, Role.COORDINATOR})
"""Roles that see organisation-only items of the young people they reach (their own case)."""

STAFF_ATTENDANCE_DAYS_BACK = 7
"""Mentors and partners record attendance at most this many days back; older is the coordinator's."""

YOUTH_SYNC_GRACE_DAYS = 1
"""A phone offline past midnight may deliver yesterday's check-in or absence notice."""

ABSENCE_NOTICE_DAYS_AHEAD = 7
"""A young person may say in advance (up to a week) that they will not come."""

YOUTH_STATUSES = frozenset({None, "present", "absent_notified"})
YOUTH_OWN_FIELDS = frozenset({"youth_comment", "youth_marked_done_at"})
REVIEW_FIELDS = frozenset({"status", "review_note", "reviewed_at"})

YOUTH_WRITABLE = {
    "youth": CONTACT_FIELDS,  # their own contact details and reminder settings: nothing else on their record
    "attendance": frozenset(
        {"id", "youth_id", "activity_id", "date", "self_checked_in_at", "absence_reason", "status"}
    ),
    "agreement": YOUTH_OWN_FIELDS,
    "assessment": frozenset(
        {
            "id",
            "youth_id",
            "due_date",
            "rater_role",
            "scores",
            "comment",
            "submitted_at",
            "organization_id",
            "comment_visibility",
        }
    ),
}
MENTOR_ENTITIES = (
    frozenset({"attendance", "agreement", "outreach", "assessment", "goal", "activity"}) | PLACEMENT_ENTITIES
)
PARTNER_ENTITIES = frozenset({"attendance", "agreement", "assessment", "goal", "activity"}) | PLACEMENT_ENTITIES
Record = dict[str, Any]
"""A record in wire (JSON) form."""

UserLike = object
"""An Actor, a User row, the app's user dict: anything with id, role and organization_id."""

OWN_ORG_ENTITIES = frozenset({"goal", "activity", "outreach", "assessment"}) | PLACEMENT_ENTITIES
"""Mentors write these only for their own organisation (partners write everything only for theirs)."""


@dataclass(frozen=True)
class Actor:
    """Who is asking: id, role and organisation (a User row, the app's user dict, …)."""

    id: str | None
    role: str
    organization_id: str | None = None


def actor_of(user: UserLike) -> Actor:
    """An Actor from a User-like object or dict."""
    if isinstance(user, Actor):
        return user
    get: Callable[[str], Any] = user.get if isinstance(user, dict) else (lambda k: getattr(user, k, None))
    return Actor(get("id"), str(get("role") or ""), get("organization_id"))


class Denied(Exception):
    """A write the user may not make; `code` and the Danish `message` go back to the client."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


NOT_FOUND = "Registreringen findes ikke eller er ikke synlig for dig."


# ---- seeing ---------------------------------------------------------------------------------


def default_visibility(org_kind: str | None) -> str:
    """`organization` for treatment organisations (rusmiddelcenter, psychiatry), else `shared`."""
    return ORGANIZATION if (org_kind or "").lower() in TREATMENT_KINDS else SHARED


def sees_item(user: UserLike, organization_id: str | None, visibility: str | None) -> bool:
    """Whether an item of a young person the user reaches is visible to the user."""
    a = actor_of(user)
    if a.role in SEES_ALL_ITEMS or (visibility or SHARED) == SHARED:
        return True
    return a.role == Role.PARTNER and organization_id is not None and organization_id == a.organization_id


def may_see(user: UserLike, entity: str, record: Record) -> bool:
    """Whether the whole record (of a young person the user reaches) is visible.

    Administrators reach no young person (no access grants) and see no case record at all.
    """
    if entity == "organization":
        return True
    if actor_of(user).role == Role.ADMIN:
        return False
    if entity not in RECORD_VISIBILITY:
        return True
    return sees_item(user, record.get("organization_id"), record.get("visibility"))


def hidden_fields(user: UserLike, entity: str, record: Record) -> frozenset[str]:
    """Fields of a visible record the user may not see: an organisation-only comment or note, and
    the young person's contact details for anyone but themself, their mentor and coordinator."""
    out = {
        f
        for f, vis in FIELD_VISIBILITY.get(entity, {}).items()
        if not sees_item(user, record.get("organization_id"), record.get(vis))
    }
    fields, roles = ROLE_FIELDS.get(entity, (frozenset(), frozenset()))
    if fields and actor_of(user).role not in roles:
        out |= fields
    return frozenset(out)


def blank(field: str) -> Any:
    """The value a hidden field travels as (HIDDEN_BLANK, else "")."""
    return HIDDEN_BLANK.get(field, "")


def blanked(user: UserLike, entity: str, record: Record) -> Record:
    """The record with the fields the user may not see blanked (the record itself if none)."""
    hidden = hidden_fields(user, entity, record) if entity in FIELD_HIDING else frozenset()
    return {k: (blank(k) if k in hidden else v) for k, v in record.items()} if hidden else record


def redact(user: UserLike, entity: str, record: Record | None) -> Record | None:
    """The record as the user may see it: hidden fields blanked, or None when all of it is hidden."""
    if record is None or not may_see(user, entity, record):
        return None
    return blanked(user, entity, record)


def is_private(entity: str, record: Record) -> bool:
    """Whether the record or one of its fields is organisation-only (the marker on every page)."""
    if entity in RECORD_VISIBILITY and record.get("visibility") == ORGANIZATION:
        return True
    return any(record.get(vis) == ORGANIZATION for vis in FIELD_VISIBILITY.get(entity, {}).values())


def meeting_sees(audience: Iterable[UserLike], entity: str, record: Record) -> bool:
    """Whether every participant of a meeting may see the record (the print for a joint meeting)."""
    return all(may_see(a, entity, record) for a in audience)


def meeting_hidden_fields(audience: Iterable[UserLike], entity: str, record: Record) -> frozenset[str]:
    """Fields at least one participant of the meeting may not see."""
    out: set[str] = set()
    for a in audience:
        out |= hidden_fields(a, entity, record)
    return frozenset(out)


# ---- assigning ------------------------------------------------------------------------------


def check_assignment(field: str, assignee: UserLike | None, consented_org_ids: set[str] | frozenset[str]) -> None:
    """Raise Denied unless `assignee` may become the young person's mentor or coordinator.

    Only staff of an organisation the young person has consented to qualify: the assignment grants
    access to the whole case, and the young person decides which organisations see it.
    """
    if assignee is None:
        return
    a = actor_of(assignee)
    wanted = Role.MENTOR if field == "mentor_id" else Role.COORDINATOR
    title = "mentor" if wanted == Role.MENTOR else "koordinator"
    if a.role != wanted:
        raise Denied("invalid_assignment", f"Brugeren er ikke {title} og kan ikke sættes som {title}.")
    if a.organization_id not in consented_org_ids:
        raise Denied(
            "no_consent",
            f"Den unge har ikke givet samtykke til {title}ens organisation. "
            "Registrér samtykket først, eller vælg en anden.",
        )


def may_assign(field: str, assignee: UserLike | None, consented_org_ids: Iterable[str]) -> bool:
    """check_assignment as a yes/no (the pages offer only those who qualify)."""
    try:
        check_assignment(field, assignee, set(consented_org_ids))
    except Denied:
        return False
    return True


# ---- writing --------------------------------------------------------------------------------


def check_write(
    user: UserLike,
    entity: str,
    op: str,
    existing: Record | None,
    new: Record,
    changed: set[str],
    today: date | None = None,
) -> None:
    """Raise Denied unless `user` may make this change.

    `existing` is the stored record (wire form) or None for a create, `new` the record after the
    change, `changed` the fields the client changed. The young person must already be visible and
    `existing` visible to the user (else the caller answers not_found). `today` (local date) turns
    on the attendance time windows.
    """
    a = actor_of(user)
    if a.role == Role.ADMIN:
        raise Denied("forbidden", "Administratorer har ikke adgang til sagsdata.")
    if op == "delete" and entity in {"youth", "consent"}:
        raise Denied("forbidden", "Kan ikke slettes. Træk i stedet samtykket tilbage eller afslut forløbet.")
    if existing is not None and new.get("youth_id") != existing.get("youth_id"):
        raise Denied("invalid", "En registrering kan ikke flyttes til en anden ung.")
    verdict = voice_write(a.role, entity, op, existing, new, changed)  # the young person's own words (issue 14)
    if verdict is not False:
        if verdict is not None and verdict is not True:
            raise Denied(*verdict)
        return
    rules: dict[str, _Rule] = {
        Role.YOUTH: _youth,
        Role.COORDINATOR: _coordinator,
        Role.MENTOR: _mentor,
        Role.PARTNER: _partner,
    }
    rule = rules.get(a.role)
    if rule is None:
        raise Denied("forbidden", "Ukendt rolle.")
    rule(a, entity, op, existing, new, changed, today)


def may_write(
    user: UserLike,
    entity: str,
    op: str,
    existing: Record | None,
    new: Record | None = None,
    changed: set[str] | None = None,
    today: date | None = None,
) -> bool:
    """check_write as a yes/no (the pages and the phone use it to offer only what is allowed)."""
    new = new if new is not None else dict(existing or {})
    try:
        check_write(user, entity, op, existing, new, set(changed or ()), today)
    except Denied:
        return False
    return True


def writable_fields(user: UserLike, entity: str, existing: Record) -> frozenset[str]:
    """The fields of `existing` the user may change (empty: offer no form)."""
    fields = set(existing) | set(FIELD_VISIBILITY.get(entity, {}).values()) | {"visibility"}
    fields -= {"id", "youth_id"}
    return frozenset(f for f in fields if may_write(user, entity, "upsert", existing, existing, {f}))


_Rule = Callable[[Actor, str, str, Record | None, Record, set[str], date | None], None]
"""A role's write rule: actor, entity, op, existing, new, changed, today; raises Denied."""


def _youth(
    a: Actor, entity: str, op: str, existing: Record | None, new: Record, changed: set[str], today: date | None
) -> None:
    allowed = YOUTH_WRITABLE.get(entity)
    if allowed is None or op == "delete":
        raise Denied("forbidden", "Det kan du ikke ændre selv. Spørg din mentor.")
    if entity == "agreement" and existing is None:
        raise Denied("forbidden", "Aftaler laves sammen med din mentor.")
    extra = changed - allowed
    if extra:
        raise Denied(
            "forbidden_field", f"Det kan du ikke ændre selv: {', '.join(field_label(f) for f in sorted(extra))}."
        )
    if entity == "attendance":
        if "status" in changed and new.get("status") not in YOUTH_STATUSES:
            raise Denied("forbidden_field", "Kun din mentor kan registrere sent fremmøde eller udeblivelse.")
        _youth_attendance_window(new, changed, today)
    if entity == "assessment":
        if new.get("rater_role") != "youth":
            raise Denied("forbidden_field", "Din egen vurdering skal have rater_role 'youth'.")
        if (new.get("comment_visibility") or SHARED) != SHARED:
            raise Denied("forbidden_field", "Din egen vurdering deles med dem, der arbejder med dig.")


def _youth_attendance_window(new: Record, changed: set[str], today: date | None) -> None:
    """Check-in on the day itself; absence notice from today up to a week ahead (server's date)."""
    if today is None:
        return
    day = _as_date(new.get("date"))
    if day is None:
        return
    earliest = today - timedelta(days=YOUTH_SYNC_GRACE_DAYS)
    if "self_checked_in_at" in changed and new.get("self_checked_in_at"):
        if not earliest <= day <= today:
            raise Denied("outside_window", "Du kan kun tjekke ind på dagen. Sig til din mentor, hvis du var der.")
        checked = _as_date(str(new["self_checked_in_at"])[:10])
        if checked is not None and abs((checked - day).days) > 1:  # UTC vs local date: a day apart at most
            raise Denied("outside_window", "Du kan kun tjekke ind på dagen. Sig til din mentor, hvis du var der.")
    if "status" in changed and new.get("status") == "absent_notified":
        if not earliest <= day <= today + timedelta(days=ABSENCE_NOTICE_DAYS_AHEAD):
            raise Denied(
                "outside_window",
                "Du kan melde fra fra i dag og op til en uge frem. "
                "Sig til din mentor, hvis det gælder en dag, der er gået.",
            )


def _staff_common(
    a: Actor, entity: str, existing: Record | None, new: Record, changed: set[str], today: date | None
) -> None:
    """Rules every staff role shares: the young person's own words, the attendance window."""
    if entity == "agreement":
        for f in YOUTH_OWN_FIELDS & changed:
            before = (existing or {}).get(f)
            if (before or None) != (new.get(f) or None):
                raise Denied("forbidden_field", "Den unges egen kommentar og markering kan kun den unge ændre.")
    if entity == "attendance" and today is not None and a.role != Role.COORDINATOR:
        day = _as_date(new.get("date"))
        touched = changed - {"id", "youth_id", "activity_id", "date"} or existing is None
        if day is not None and touched and day < today - timedelta(days=STAFF_ATTENDANCE_DAYS_BACK):
            raise Denied(
                "outside_window",
                f"Fremmøde kan registreres op til {STAFF_ATTENDANCE_DAYS_BACK} dage "
                "tilbage. Bed koordinatoren rette ældre dage.",
            )


def needs_correction_audit(user: UserLike, entity: str, new: Record, today: date | None) -> bool:
    """A coordinator's attendance change older than the staff window: recorded as a correction."""
    day = _as_date(new.get("date")) if entity == "attendance" else None
    return (
        actor_of(user).role == Role.COORDINATOR
        and today is not None
        and day is not None
        and day < today - timedelta(days=STAFF_ATTENDANCE_DAYS_BACK)
    )


def _coordinator(
    a: Actor, entity: str, op: str, existing: Record | None, new: Record, changed: set[str], today: date | None
) -> None:
    _staff_common(a, entity, existing, new, changed, today)


def _own_org(a: Actor, *recs: Record | None) -> None:
    for rec in recs:
        if rec is not None and rec.get("organization_id") != a.organization_id:
            raise Denied("forbidden_organization", "Du kan kun ændre din egen organisations punkter.")


def _mentor(
    a: Actor, entity: str, op: str, existing: Record | None, new: Record, changed: set[str], today: date | None
) -> None:
    if entity not in MENTOR_ENTITIES:
        raise Denied("forbidden", "Kun koordinatoren kan ændre dette.")
    if entity in OWN_ORG_ENTITIES:
        _own_org(a, existing, new)
    if entity == "agreement":
        if existing is None or op == "delete":
            _own_org(a, existing, new)
        elif existing.get("organization_id") != a.organization_id and changed - REVIEW_FIELDS:
            raise Denied(
                "forbidden_organization",
                "Du kan følge op på en anden organisations aftale (status og note), men ikke ændre den.",
            )
    if entity == "assessment" and new.get("rater_role") != "staff":
        raise Denied("forbidden_field", "En medarbejders vurdering skal have rater_role 'staff'.")
    _staff_common(a, entity, existing, new, changed, today)


def _partner(
    a: Actor, entity: str, op: str, existing: Record | None, new: Record, changed: set[str], today: date | None
) -> None:
    if entity not in PARTNER_ENTITIES:
        raise Denied("forbidden", "Din organisation kan ikke ændre dette.")
    _own_org(a, existing, new)
    if entity == "assessment" and new.get("rater_role") != "staff":
        raise Denied("forbidden_field", "En medarbejders vurdering skal have rater_role 'staff'.")
    _staff_common(a, entity, existing, new, changed, today)


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
