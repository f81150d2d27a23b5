"""Reading the day, the week, the plan and the caseload (what the screens show).

A young person's activities with a plain status each (checked in, reported absent, not checked
in …), the mentor's caseload with today's no-shows first, the plan and the open agreements.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from mobile_app.core.assessments import AssessmentServices
from mobile_app.core.service_core import (
    ATTENDANCE_DAYS_BACK,
    CHECK_IN_OPENS_MINUTES,
    ActivityToday,
    CaseloadRow,
    Record,
    _d,
    known_mentor,
)
from shared import permissions
from shared.enums import AgreementStatus, AttendanceStatus, Role, label_da
from shared.schedule import (
    not_checked_in,
    occurs_on,
    parse_hhmm,
)


class PlanReading(AssessmentServices):
    """What the screens read: the caseload, a day's and a week's activities, the plan, agreements."""

    def caseload(self) -> list[CaseloadRow]:
        """The mentor's young people with today's status; those needing attention first."""
        youths = [permissions.blanked(self.user, "youth", y) for y in self.store.all("youth")]
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
            name = known_mentor(self.store).get("name") or ""
            return f"Det gør {name.split(' ')[0]}" if name else "Det gør din mentor"
        org = self.store.get("organization", ag.get("organization_id") or "") or {}
        return f"Det gør {org['name']}" if org.get("name") else "Det gør en medarbejder"

    def agreement_overdue(self, ag: Record) -> bool:
        """Open and past its deadline (the deadline day itself is not overdue)."""
        return ag.get("status", "open") == "open" and (ag.get("due_date") or "9999") < self.today().isoformat()

    def agreements_due(self, youth_id: str) -> list[Record]:
        today = self.today().isoformat()
        return [a for a in self.agreements(youth_id) if (a.get("due_date") or "") <= today]
