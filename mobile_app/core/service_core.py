"""The base of the app's use cases: who is logged in, the clock, the permission rule, saving.

`ServiceCore` holds what every use case needs: the store and user, "now" and "today" (the app's
clock), the shared permission rule (`shared.permissions`, asked before every save and by the screens
to hide what the user cannot do) and the one way to save an entry (checked, then queued).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, overload

from mobile_app.core import clock as app_clock
from mobile_app.core.errors import ValidationFailed
from mobile_app.core.store import Store
from mobile_app.core.validation import check
from shared import permissions
from shared.enums import Role
from shared.labels import APP_ENTITY_LABELS_DA

ASSESSMENT_OPENS_DAYS_BEFORE = 7
"""A 6-weekly assessment can be filled in from a week before its due date."""

CHECK_IN_OPENS_MINUTES = 60
"""'Jeg er her' works from an hour before an activity starts until it ends (that day only)."""

# A mentor catching up after a day off may record attendance for the past week; older days are
# the caseworker's to correct on the plan page.
ATTENDANCE_DAYS_BACK = 7


Record = dict[str, Any]
"""A record as the store keeps it (wire form: JSON)."""


@overload
def _d(value: date | str) -> date: ...
@overload
def _d(value: None) -> None: ...
def _d(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@overload
def _iso(value: date | str) -> str: ...
@overload
def _iso(value: None) -> None: ...
def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def new_id() -> str:
    return str(uuid.uuid4())


CONTACTS_META = "my_contacts"
"""Store metadata: the young person's mentor as /me/contacts last gave it (kept for offline use)."""


def known_mentor(store: Store) -> Record:
    """The young person's mentor as last fetched from /me/contacts ({} before the first fetch)."""
    mentor: Record = (store.get_meta(CONTACTS_META) or {}).get("mentor") or {}
    return mentor


@dataclass
class ActivityToday:
    activity: Record
    day: date
    attendance: Record | None
    state: str  # checked_in | absent_notified | recorded | waiting | missing
    label: str
    can_check_in: bool = False


@dataclass
class CaseloadRow:
    youth: Record
    today: list[ActivityToday]
    missing: list[str]
    agreements_due: int
    assessment_overdue: date | None
    attention: bool = field(init=False)

    def __post_init__(self) -> None:
        self.attention = bool(self.missing or self.agreements_due or self.assessment_overdue)


class ServiceCore:
    """The logged-in user's store, clock and permissions; `_save` is the one way to write."""

    def __init__(self, store: Store, user: Record, clock: Callable[[], datetime] | None = None):
        self.store = store
        self.user = user
        self._clock = clock or app_clock.now  # TRINVIS_TODAY pins the day (demos, tests)

    # ---- time ------------------------------------------------------------------------

    def now(self) -> datetime:
        """Local wall-clock time (the schedule's times are local)."""
        return app_clock.local(self._clock())

    def today(self) -> date:
        return self.now().date()

    def _utc_now_iso(self) -> str:
        return self.now().astimezone(UTC).isoformat()

    # ---- who ---------------------------------------------------------------------------

    @property
    def role(self) -> str:
        role: str = self.user.get("role", "")
        return role

    @property
    def is_youth(self) -> bool:
        return self.role == Role.YOUTH

    def my_youth_id(self) -> str | None:
        """The young person's own youth id (from login, else the youth record linked to the user)."""
        own: str | None = self.user.get("youth_id")
        if own:
            return own
        for y in self.store.all("youth"):
            if y.get("user_id") == self.user.get("id"):
                linked: str = y["id"]
                return linked
        return None

    def _require(self, entity: str, existing: Record | None, new: Record, changed: set[str]) -> None:
        """The shared permission rule, before anything is queued (the server asks it again)."""
        try:
            permissions.check_write(self.user, entity, "upsert", existing, new, changed, today=self.today())
        except permissions.Denied as e:
            raise ValidationFailed(e.message) from None

    def may(self, entity: str, record: Record | None = None, fields: set[str] | None = None) -> bool:
        """Whether to offer an action: change `fields` of `record`, or create one (record None)."""
        if record is None:
            new = {
                "id": "new",
                "youth_id": "y",
                "organization_id": self.user.get("organization_id"),
                "rater_role": "youth" if self.is_youth else "staff",
            }
            return permissions.may_write(self.user, entity, "upsert", None, new, set(new), self.today())
        return permissions.may_write(self.user, entity, "upsert", record, record, set(fields or ()), self.today())

    def require_may(self, entity: str, message: str = "Det er din mentor, der registrerer det.") -> None:
        """Refuse (in Danish) an action the shared rule would not let the user make."""
        if not self.may(entity):
            raise ValidationFailed(message)

    def private_label(self, entity: str, record: Record) -> str:
        """'Kun <organisation>' for an organisation-only item (or its comment/note), else ''."""
        if not permissions.is_private(entity, record):
            return ""
        return f"Kun {self.org_name(record.get('organization_id')) or 'organisationen'}"

    def default_visibility(self) -> str:
        """Organisation-only for a treatment organisation's staff, else shared (shared rule)."""
        org = self.store.get("organization", self.user.get("organization_id") or "") or {}
        return permissions.default_visibility(org.get("kind"))

    def _require_access(self, youth_id: str) -> None:
        if self.is_youth and youth_id != self.my_youth_id():
            raise ValidationFailed("Du kan kun skrive i din egen plan.")
        if self.store.get("youth", youth_id) is None and not self.is_youth:
            raise ValidationFailed("Den unge findes ikke på telefonen.")

    # ---- reading ---------------------------------------------------------------------

    def youth(self, youth_id: str) -> Record | None:
        """The young person's record as this user may see it (a copy pulled before the contact
        details were narrowed to self, mentor and coordinator shows them blank all the same)."""
        rec = self.store.get("youth", youth_id)
        return permissions.blanked(self.user, "youth", rec) if rec is not None else None

    def record(self, entity: str, record_id: str) -> Record | None:
        """One record as the phone has it (with the user's unsent edits)."""
        return self.store.get(entity, record_id)

    def org_name(self, org_id: str | None) -> str:
        org = self.store.get("organization", org_id) if org_id else None
        return org.get("name", "") if org else ""

    # ---- saving ----------------------------------------------------------------------

    def _save(self, entity: str, record_id: str, youth_id: str, changes: Record, create: bool) -> Record:
        current = self.store.get(entity, record_id) if not create else None
        if not create and current is None:
            raise ValidationFailed("Det findes ikke længere på telefonen.")
        merged = {**(current or {}), **changes, "id": record_id, "youth_id": youth_id}
        ruled = merged
        if entity == "attendance" and not merged.get("organization_id"):
            act = self.store.get("activity", merged.get("activity_id") or "") or {}
            ruled = {**merged, "organization_id": act.get("organization_id"), "visibility": act.get("visibility")}
        self._require(entity, current, ruled, set(changes))
        check(entity, merged)
        self.store.save(entity, record_id, youth_id, {**changes} if not create else merged, create=create)
        saved = self.store.get(entity, record_id)
        assert saved is not None, "a record just saved is in the store"
        return saved

    def _activity(self, activity_id: str) -> Record:
        act = self.store.get("activity", activity_id)
        if act is None:
            raise ValidationFailed("Aktiviteten findes ikke.")
        return act

    # ---- describing queued changes -----------------------------------------------------

    def describe(self, entity: str, data: Record | None) -> str:
        """A short Danish line naming a queued change, for the list of unsent/rejected changes."""
        data = data or {}
        label = APP_ENTITY_LABELS_DA.get(entity, entity)
        youth = self.store.get("youth", data.get("youth_id") or "") if data.get("youth_id") else None
        who = f" – {youth['display_name']}" if youth and not self.is_youth else ""
        detail = data.get("text") or data.get("date") or data.get("due_date") or ""
        return f"{label}{who}{': ' + str(detail) if detail else ''}"
