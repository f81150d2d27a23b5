"""What the screens call: reading the plan/caseload and saving entries (validated, then queued).

All rules live here (when an assessment is due, who has not checked in); who may write what is
the one rule in `shared.permissions`, asked before every save and by the screens to hide what the
user cannot do. The views only show the results and pass on what the user entered.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, overload

from mobile_app.core import clock as app_clock
from mobile_app.core.errors import ValidationFailed
from mobile_app.core.store import Store
from mobile_app.core.validation import check
from shared import permissions
from shared.dimensions import DIMENSIONS, Dimension
from shared.enums import AgreementStatus, AttendanceStatus, OutreachMethod, Role, label_da
from shared.labels import APP_ENTITY_LABELS_DA, WEEKDAYS_DA  # noqa: F401  (WEEKDAYS_DA: for the views)
from shared.schedule import (
    ASSESSMENT_INTERVAL_DAYS,
    assessment_due_dates,
    next_assessment_due,
    not_checked_in,
    occurs_on,
    overdue_assessment,
    parse_hhmm,
)

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


class Services:
    """The app's use cases for the logged-in user."""

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
        return self.store.get("youth", youth_id)

    def org_name(self, org_id: str | None) -> str:
        org = self.store.get("organization", org_id) if org_id else None
        return org.get("name", "") if org else ""

    def caseload(self) -> list[CaseloadRow]:
        """The mentor's young people with today's status; those needing attention first."""
        youths = self.store.all("youth")
        if self.role == Role.MENTOR:
            mine = [y for y in youths if y.get("mentor_id") == self.user.get("id")]
            youths = mine or youths
        today = self.today()
        rows = []
        for y in youths:
            acts = self.activities_on(y["id"], today)
            rows.append(
                CaseloadRow(
                    youth=y,
                    today=acts,
                    missing=[a.activity.get("title", "") for a in acts if a.state == "missing"],
                    agreements_due=len(self.agreements_due(y["id"])),
                    assessment_overdue=self.assessment_overdue(y["id"]),
                )
            )
        # today's no-shows first (someone should call now), then anything else needing attention
        rows.sort(key=lambda r: (not r.missing, not r.attention, r.youth.get("display_name", "")))
        return rows

    @staticmethod
    def caseload_matches(row: CaseloadRow, query: str = "", kind: str = "") -> bool:
        """Whether a caseload row is shown for a name search and a filter: "missing" (today's
        no-shows), "agreements" (agreements due), "assessment" (assessment overdue), "" (all)."""
        if query.strip() and query.strip().casefold() not in (row.youth.get("display_name") or "").casefold():
            return False
        return {
            "": True,
            "missing": bool(row.missing),
            "agreements": bool(row.agreements_due),
            "assessment": bool(row.assessment_overdue),
        }.get(kind, True)

    def activities_on(self, youth_id: str, day: date) -> list[ActivityToday]:
        """The young person's activities on a day, each with its attendance and a plain status."""
        now = self.now().replace(tzinfo=None)
        out = []
        for a in self.store.all("activity", youth_id):
            if not occurs_on(a.get("weekdays") or [], _d(a.get("start_date")), _d(a.get("end_date")), day):
                continue
            att = self.store.find_attendance(youth_id, a["id"], day.isoformat())
            status = (att or {}).get("status")
            if att and status in (AttendanceStatus.ABSENT_NOTIFIED,):
                state, label = "absent_notified", "Meldt fra"
            elif att and status:
                state, label = "recorded", label_da(status)
            elif att and att.get("self_checked_in_at"):
                state, label = "checked_in", "Tjekket ind"
            elif day < now.date() or (day == now.date() and not_checked_in(a["start_time"], day, now)):
                state, label = "missing", "Ikke tjekket ind"
            else:
                state, label = "waiting", f"Starter kl. {a['start_time']}"
            open_now = state in ("waiting", "missing") and self._check_in_refusal(a, day) is None
            out.append(ActivityToday(a, day, att, state, label, open_now))
        out.sort(key=lambda x: x.activity.get("start_time", ""))
        return out

    def may_record_attendance(self, activity: Record) -> bool:
        """Whether the shared rule lets this user record attendance at `activity` today (a partner:
        only at their own organisation's activities; the server would refuse the others)."""
        rec = {
            "id": "new",
            "youth_id": activity.get("youth_id"),
            "activity_id": activity.get("id"),
            "organization_id": activity.get("organization_id"),
            "visibility": activity.get("visibility"),
            "date": self.today().isoformat(),
            "status": AttendanceStatus.PRESENT.value,
        }
        return permissions.may_write(self.user, "attendance", "upsert", None, rec, set(rec), self.today())

    def recordable_on(self, youth_id: str, day: date) -> list[ActivityToday]:
        """The day's activities whose attendance this user may record."""
        return [it for it in self.activities_on(youth_id, day) if self.may_record_attendance(it.activity)]

    def attendance_days(self, youth_id: str, days: int = ATTENDANCE_DAYS_BACK) -> list[date]:
        """Days a mentor may still record attendance for (today and back), newest first, each
        with at least one of the young person's activities that this user may record."""
        today = self.today()
        acts = [a for a in self.store.all("activity", youth_id) if self.may_record_attendance(a)]
        out = []
        for back in range(days):
            day = today - timedelta(days=back)
            if any(
                occurs_on(a.get("weekdays") or [], _d(a.get("start_date")), _d(a.get("end_date")), day) for a in acts
            ):
                out.append(day)
        return out

    def _check_in_refusal(self, activity: Record, day: date) -> str | None:
        """Why 'Jeg er her' cannot be used now for this activity and day (None: it can)."""
        now = self.now().replace(tzinfo=None)
        if day != now.date():
            return "Du kan kun tjekke ind på dagen."
        start = datetime.combine(day, parse_hhmm(activity["start_time"]))
        opens = start - timedelta(minutes=CHECK_IN_OPENS_MINUTES)
        if now < opens:
            return f"Du kan tjekke ind fra kl. {opens:%H:%M}."
        if now > datetime.combine(day, parse_hhmm(activity["end_time"])):
            return "Aktiviteten er slut for i dag. Sig til din mentor, hvis du var der."
        return None

    def week(self, youth_id: str, day: date | None = None) -> list[tuple[date, list[ActivityToday]]]:
        """Monday to Sunday of the week containing `day`."""
        day = day or self.today()
        monday = day - timedelta(days=day.weekday())
        return [
            (monday + timedelta(days=i), self.activities_on(youth_id, monday + timedelta(days=i))) for i in range(7)
        ]

    def plan(self, youth_id: str) -> dict[str, Any]:
        """The plan: end goal, sub-goals grouped by agency, and what is next."""
        plans = self.store.all("plan", youth_id)
        plan = plans[0] if plans else None
        groups: dict[str, list[Record]] = {}
        for g in sorted(
            self.store.all("goal", youth_id), key=lambda g: (g.get("target_date") or "9999", g.get("title", ""))
        ):
            groups.setdefault(self.org_name(g.get("organization_id")) or "Ukendt", []).append(g)
        return {
            "plan": plan,
            "goals_by_org": sorted(groups.items()),
            "next_activity": self.next_activity(youth_id),
            "next_agreement": next(iter(self.agreements(youth_id)), None),
        }

    def next_activity(self, youth_id: str) -> tuple[date, Record] | None:
        """The next activity that has not ended yet, within two weeks."""
        now = self.now().replace(tzinfo=None)
        for i in range(15):
            day = now.date() + timedelta(days=i)
            for item in self.activities_on(youth_id, day):
                if i == 0 and item.activity.get("end_time", "00:00") <= now.strftime("%H:%M"):
                    continue
                return day, item.activity
        return None

    def agreements(self, youth_id: str, include_closed: bool = False) -> list[Record]:
        items = self.store.all("agreement", youth_id)
        if not include_closed:
            items = [a for a in items if a.get("status", "open") == AgreementStatus.OPEN]
        return sorted(
            items, key=lambda a: (a.get("status", "open") != "open", a.get("due_date") or "", a.get("text", ""))
        )

    def who_does(self, ag: Record) -> str:
        """Who is responsible, said to the young person: "Det gør du", "Det gør Lise" (the mentor,
        by first name when the phone knows it), else the agency ("Det gør Jobcenter")."""
        if ag.get("responsible", "youth") == "youth":
            return "Det gør du"
        youth = self.store.get("youth", ag.get("youth_id") or "") or {}
        if ag.get("responsible_user_id") and ag.get("responsible_user_id") == youth.get("mentor_id"):
            from mobile_app.core.contact import CONTACTS_META  # the mentor's name, kept from /me/contacts

            name = ((self.store.get_meta(CONTACTS_META) or {}).get("mentor") or {}).get("name") or ""
            return f"Det gør {name.split(' ')[0]}" if name else "Det gør din mentor"
        org = self.store.get("organization", ag.get("organization_id") or "") or {}
        return f"Det gør {org['name']}" if org.get("name") else "Det gør en medarbejder"

    def agreement_overdue(self, ag: Record) -> bool:
        """Open and past its deadline (the deadline day itself is not overdue)."""
        return ag.get("status", "open") == "open" and (ag.get("due_date") or "9999") < self.today().isoformat()

    def agreements_due(self, youth_id: str) -> list[Record]:
        today = self.today().isoformat()
        return [a for a in self.agreements(youth_id) if (a.get("due_date") or "") <= today]

    def assessments(self, youth_id: str) -> list[Record]:
        return sorted(
            (a for a in self.store.all("assessment", youth_id) if a.get("submitted_at")),
            key=lambda a: (a.get("due_date") or "", a.get("submitted_at") or ""),
        )

    def _plan_start(self, youth_id: str) -> date | None:
        plans = self.store.all("plan", youth_id)
        return _d(plans[0].get("start_date")) if plans else None

    def _submitted_dues(self, youth_id: str, rater_role: str) -> set[date]:
        return {_d(a["due_date"]) for a in self.assessments(youth_id) if a.get("rater_role") == rater_role}

    def assessment_due(self, youth_id: str, rater_role: str | None = None) -> date | None:
        """The due date of the assessment this rater should fill in now, or None."""
        rater_role = rater_role or ("youth" if self.is_youth else "staff")
        start = self._plan_start(youth_id)
        if start is None:
            return None
        dues = assessment_due_dates(start, self.today() + timedelta(days=ASSESSMENT_OPENS_DAYS_BEFORE))
        done = self._submitted_dues(youth_id, rater_role)
        # only the latest due date counts: an older missed one is history (shared.schedule.overdue_assessment)
        return dues[-1] if dues and not any(d >= dues[-1] for d in done) else None

    def next_assessment(self, youth_id: str) -> tuple[date, str] | None:
        """The assessment to fill in now: (due date, 'overdue' | 'due' | 'early'); None without a plan.

        Staff may fill in the next one early (a meeting a few days before the due date); a young
        person is only offered it when it is due (see assessment_due).
        """
        due = self.assessment_due(youth_id)
        if due:
            return due, ("overdue" if due < self.today() else "due")
        start = self._plan_start(youth_id)
        if start is None:
            return None
        rater = "youth" if self.is_youth else "staff"
        nxt = next_assessment_due(start, self.today())
        while nxt in self._submitted_dues(youth_id, rater):
            nxt += timedelta(days=ASSESSMENT_INTERVAL_DAYS)
        return nxt, "early"

    def next_assessment_opens(self, youth_id: str) -> date | None:
        """The day the young person's next assessment can be filled in (None without a plan or when
        one is open now)."""
        nxt = self.next_assessment(youth_id)
        if nxt is None or nxt[1] != "early":
            return None
        return nxt[0] - timedelta(days=ASSESSMENT_OPENS_DAYS_BEFORE)

    def assessment_overdue(self, youth_id: str) -> date | None:
        """The latest passed due date without a staff assessment (shown to the mentor)."""
        return overdue_assessment(self._plan_start(youth_id), self._submitted_dues(youth_id, "staff"), self.today())

    def dimensions(self, rater_role: str | None = None) -> tuple[Dimension, ...]:
        return DIMENSIONS.for_rater(rater_role or ("youth" if self.is_youth else "staff"))

    def progress(self, youth_id: str) -> dict[str, Any]:
        """Average score per assessment over time, self vs staff, and the latest per dimension."""
        series: dict[str, list[tuple[date, float]]] = {"youth": [], "staff": []}
        latest: dict[str, dict[str, int]] = {"youth": {}, "staff": {}}
        common = {d.key for d in DIMENSIONS.for_rater("youth")}
        for a in self.assessments(youth_id):
            scores = {k: v for k, v in (a.get("scores") or {}).items() if k in common}
            role = a.get("rater_role")
            if role not in series or not scores:
                continue
            series[role].append((_d(a["due_date"]), round(sum(scores.values()) / len(scores), 1)))
            latest[role] = dict(a.get("scores") or {})
        return {"series": series, "latest": latest}

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

    def check_in(self, activity_id: str, day: date | None = None) -> Record:
        """'Jeg er her': the young person's own check-in for an activity today."""
        youth_id = self.my_youth_id()
        if not self.is_youth or not youth_id:
            raise ValidationFailed("Kun den unge kan tjekke ind. Brug 'Registrér fremmøde'.")
        act = self._activity(activity_id)
        day = day or self.today()
        existing = self.store.find_attendance(youth_id, act["id"], day.isoformat())
        if existing and existing.get("self_checked_in_at"):
            return existing
        refusal = self._check_in_refusal(act, day)
        if refusal:
            raise ValidationFailed(refusal)
        changes = {"self_checked_in_at": self._utc_now_iso()}
        if existing:
            return self._save("attendance", existing["id"], youth_id, changes, create=False)
        return self._save(
            "attendance",
            new_id(),
            youth_id,
            {"activity_id": act["id"], "date": day.isoformat(), **changes},
            create=True,
        )

    def notify_absence(self, activity_id: str, reason: str, day: date | None = None) -> Record:
        """'Jeg kommer ikke i dag': an absence notice with a reason."""
        youth_id = self.my_youth_id()
        if not self.is_youth or not youth_id:
            raise ValidationFailed("Kun den unge kan melde fra her.")
        act = self._activity(activity_id)
        day = day or self.today()
        changes = {"status": AttendanceStatus.ABSENT_NOTIFIED.value, "absence_reason": (reason or "").strip()}
        existing = self.store.find_attendance(youth_id, act["id"], day.isoformat())
        if existing:
            return self._save("attendance", existing["id"], youth_id, changes, create=False)
        return self._save(
            "attendance",
            new_id(),
            youth_id,
            {"activity_id": act["id"], "date": day.isoformat(), **changes},
            create=True,
        )

    def record_attendance(
        self, youth_id: str, activity_id: str, day: date | str, status: str, reason: str = "", note: str = ""
    ) -> Record:
        """Staff record: present, late, absent with or without notice."""
        self._require_access(youth_id)
        if status not in {s.value for s in AttendanceStatus}:
            raise ValidationFailed("Vælg, om den unge mødte, kom for sent eller var væk.")
        act = self._activity(activity_id)
        try:
            the_day = _d(day)
        except ValueError:
            the_day = None
        if the_day is None:
            raise ValidationFailed("Vælg en dag.")
        if the_day > self.today():
            raise ValidationFailed("Fremmøde kan først registreres på dagen.")
        if not occurs_on(act.get("weekdays") or [], _d(act.get("start_date")), _d(act.get("end_date")), the_day):
            raise ValidationFailed("Aktiviteten ligger ikke på den dag. Vælg en anden dag eller aktivitet.")
        day_iso = _iso(the_day)
        changes = {"status": status, "absence_reason": (reason or "").strip(), "note": (note or "").strip()}
        existing = self.store.find_attendance(youth_id, act["id"], day_iso)
        if existing:
            return self._save("attendance", existing["id"], youth_id, changes, create=False)
        return self._save(
            "attendance", new_id(), youth_id, {"activity_id": act["id"], "date": day_iso, **changes}, create=True
        )

    def log_outreach(
        self, youth_id: str, method: str, reached: bool, note: str = "", visibility: str | None = None
    ) -> Record:
        """Opsøgende kontakt: a call, text or home visit, and whether the young person was reached."""
        self._require_access(youth_id)
        if method not in {m.value for m in OutreachMethod}:
            raise ValidationFailed("Vælg, hvordan du tog kontakt.")
        return self._save(
            "outreach",
            new_id(),
            youth_id,
            {
                "organization_id": self.user.get("organization_id"),
                "method": method,
                "reached": bool(reached),
                "note": (note or "").strip(),
                "contacted_at": self._utc_now_iso(),
                "visibility": visibility or self.default_visibility(),
            },
            create=True,
        )

    def add_agreement(
        self,
        youth_id: str,
        text: str,
        due_date: date | str | None,
        responsible: str = "youth",
        visibility: str | None = None,
    ) -> Record:
        self._require_access(youth_id)
        return self._save(
            "agreement",
            new_id(),
            youth_id,
            {
                "organization_id": self.user.get("organization_id"),
                "text": (text or "").strip(),
                "responsible": responsible,
                "responsible_user_id": self.user.get("id") if responsible == "staff" else None,
                "due_date": _iso(due_date) if due_date else None,
                "status": AgreementStatus.OPEN.value,
                "visibility": visibility or self.default_visibility(),
            },
            create=True,
        )

    def review_agreement(self, agreement_id: str, status: str, note: str = "") -> Record:
        """The daily review: kept, not kept (or cancelled)."""
        ag = self.store.get("agreement", agreement_id)
        if ag is None:
            raise ValidationFailed("Aftalen findes ikke længere.")
        if status not in {
            AgreementStatus.KEPT,
            AgreementStatus.NOT_KEPT,
            AgreementStatus.CANCELLED,
            AgreementStatus.OPEN,
        }:
            raise ValidationFailed("Vælg holdt, ikke holdt eller genforhandlet.")
        return self._save(
            "agreement",
            agreement_id,
            ag["youth_id"],
            {
                "status": status,
                "review_note": (note or "").strip(),
                "reviewed_at": self._utc_now_iso(),
            },
            create=False,
        )

    def renegotiate_agreement(self, agreement_id: str, new_text: str, new_due: date | str, note: str = "") -> Record:
        """Renegotiated: the old agreement is closed with a note and a new one replaces it."""
        ag = self.store.get("agreement", agreement_id)
        if ag is None:
            raise ValidationFailed("Aftalen findes ikke længere.")
        text = (new_text or "").strip() or ag.get("text", "")
        # Check the new agreement first, so a bad entry changes nothing.
        check(
            "agreement",
            {**ag, "id": new_id(), "text": text, "due_date": _iso(new_due) if new_due else None, "status": "open"},
        )
        self.review_agreement(agreement_id, AgreementStatus.CANCELLED.value, f"Genforhandlet. {note}".strip())
        return self.add_agreement(
            ag["youth_id"], text, new_due, ag.get("responsible", "youth"), ag.get("visibility") or None
        )

    def youth_update_agreement(self, agreement_id: str, done: bool | None, comment: str = "") -> Record:
        """The young person comments on an agreement and/or marks it done (`done` None: only the
        comment). Only the young person's own agreements can be marked done; staff set the status."""
        ag = self.store.get("agreement", agreement_id)
        if ag is None:
            raise ValidationFailed("Aftalen findes ikke længere.")
        if not self.is_youth:
            raise ValidationFailed("Brug 'Gennemgå' for at sætte status.")
        self._require_access(ag["youth_id"])
        if done is not None and ag.get("responsible") == "staff":
            raise ValidationFailed(f"{self.who_does(ag)} – det er ikke dig, der skal sætte den som gjort.")
        changes: dict[str, str | None] = {"youth_comment": (comment or "").strip()}
        if done is None:
            pass
        elif done and not ag.get("youth_marked_done_at"):
            changes["youth_marked_done_at"] = self._utc_now_iso()
        elif not done:
            changes["youth_marked_done_at"] = None
        return self._save("agreement", agreement_id, ag["youth_id"], changes, create=False)

    # ---- assessments -------------------------------------------------------------------

    def _draft_key(self, youth_id: str, due: date | str) -> str:
        rater = "youth" if self.is_youth else "staff"
        return f"assessment:{youth_id}:{rater}:{_iso(_d(due))}"

    def assessment_draft(self, youth_id: str, due: date | str) -> dict[str, Any]:
        return self.store.get_draft(self._draft_key(youth_id, due)) or {"scores": {}, "comment": ""}

    def save_assessment_draft(self, youth_id: str, due: date | str, scores: dict[str, int], comment: str = "") -> None:
        """Store answers at once, so they survive the app being closed halfway."""
        self._require_access(youth_id)
        self.store.set_draft(self._draft_key(youth_id, due), {"scores": scores, "comment": comment}, youth_id)

    def submit_assessment(self, youth_id: str, due: date | str, scores: dict[str, int], comment: str = "") -> Record:
        """Send the 6-weekly assessment (youth: self-assessment; staff: the mentor's)."""
        self._require_access(youth_id)
        rater = "youth" if self.is_youth else "staff"
        missing = [d.title for d in DIMENSIONS.for_rater(rater) if d.key not in scores]
        if missing:
            raise ValidationFailed(f"Du mangler at svare på: {', '.join(missing)}.")
        rec = self._save(
            "assessment",
            new_id(),
            youth_id,
            {
                "organization_id": None if self.is_youth else self.user.get("organization_id"),
                "due_date": _iso(_d(due)),
                "rater_role": rater,
                "scores": {k: int(v) for k, v in scores.items()},
                "comment": (comment or "").strip(),
                "comment_visibility": "shared" if self.is_youth else self.default_visibility(),
                "submitted_at": self._utc_now_iso(),
            },
            create=True,
        )
        self.store.delete_draft(self._draft_key(youth_id, due))
        return rec

    # ---- describing queued changes -----------------------------------------------------

    def describe(self, entity: str, data: Record | None) -> str:
        """A short Danish line naming a queued change, for the list of unsent/rejected changes."""
        data = data or {}
        label = APP_ENTITY_LABELS_DA.get(entity, entity)
        youth = self.store.get("youth", data.get("youth_id") or "") if data.get("youth_id") else None
        who = f" – {youth['display_name']}" if youth and not self.is_youth else ""
        detail = data.get("text") or data.get("date") or data.get("due_date") or ""
        return f"{label}{who}{': ' + str(detail) if detail else ''}"
