"""Six weeks of attendance: the young people's own check-ins, each agency's registrations, the outreach.

Who did what on each occurrence is drawn per day from a seeded random generator, so the demo is the
same on every run; Mads starts shaky and improves, Sara is steadier.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.models import Activity, Attendance
from backend.seed.base import CONSENTS, rid
from shared.schedule import occurs_on

ACTIVITY_OWNER = {
    "Jobcenter": "mentor.lise",
    "UU": "uu.karen",
    "Bostøtte": "bostotte.peter",
    "Rusmiddelcenter": "behandler.nina",
}

REASONS = (
    "Syg med feber",
    "Tandlægeaftale",
    "Tog til mors fødselsdag i Aarhus",
    "Ondt i maven",
    "Bussen kørte ikke",
    "Lægeaftale",
)
STAFF_NOTES = {
    "late": (
        "Kom 20 min. for sent – havde sovet over sig.",
        "Kom lidt for sent, bussen var forsinket.",
        "For sent, men ringede i forvejen.",
    ),
    "present": ("", "", "God dag – arbejdede koncentreret.", ""),
}

# How the mentor followed up an unexplained absence: method, reached, note
OUTREACH_METHODS = (
    ("call", False, "Ringede – ingen svar. Lagde besked om at ringe tilbage."),
    ("sms", True, "Sendte sms. {name} svarede, at alarmen ikke havde ringet; kommer i morgen."),
    (
        "call",
        True,
        "Talte med {name}, som havde det skidt, men glemte at melde fra. Aftalt at ringe før kl. 8 næste gang.",
    ),
    ("home_visit", True, "Hjemmebesøg. {name} lukkede op; vi talte om, hvordan man melder fra."),
    ("home_visit", False, "Hjemmebesøg – ingen lukkede op. Lagde seddel i postkassen."),
)
FIRST_NAMES = {"ung.mads": "Mads", "ung.sara": "Sara"}


class AttendanceSteps:
    """The seeder's attendance step (mixed into `_Seeder`)."""

    ACTIVITY_OWNER = ACTIVITY_OWNER
    REASONS = REASONS
    STAFF_NOTES = STAFF_NOTES

    def _activities(self, y: str) -> list[dict]:
        rows = db.session.scalars(
            select(Activity).where(Activity.youth_id == self.youth[y], Activity.deleted.is_(False))
        ).all()
        org_name = {v: k for k, v in self.org.items()}
        return [
            {
                "id": a.id,
                "weekdays": list(a.weekdays),
                "start_time": a.start_time,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "org": org_name[a.organization_id],
                "title": a.title,
                "visibility": a.visibility,
            }
            for a in rows
        ]

    def plan_attendance(self, y: str) -> list[dict]:
        """Who-did-what for each occurrence in the last six weeks (deterministic per day)."""
        first = self.today - timedelta(days=42)
        rough = y == "ung.mads"  # Mads started shaky and improves; Sara is steadier
        out = []
        acts = self._activities(y)
        clash_days = set()
        if y == "ung.mads":
            samtale = next(a for a in acts if a["org"] == "Rusmiddelcenter")
            clash_days = {
                d
                for d in (first + timedelta(days=i) for i in range(42))
                if occurs_on(samtale["weekdays"], samtale["start_date"], None, d)
            }
        for a in sorted(acts, key=lambda a: a["id"]):
            day = first
            while day < self.today:
                if occurs_on(a["weekdays"], a["start_date"], a["end_date"], day):
                    out.append(self._occurrence(y, a, day, rough, day in clash_days and a["org"] == "Jobcenter"))
                day += timedelta(days=1)
        self._ensure_all_statuses(out)
        return out

    def _occurrence(self, y, a, day, rough, clash) -> dict:
        rng = random.Random(f"{y}:{a['id']}:{day.isoformat()}")
        progress = (day - (self.today - timedelta(days=42))).days / 42  # 0 oldest … 1 yesterday
        p_unnotified = (0.22 if rough else 0.08) * (1 - progress) + 0.02
        p_notified = 0.08
        p_late = (0.18 if rough else 0.08) * (1 - progress) + 0.04
        x = rng.random()
        # The young person does not see organisation-only activities (treatment), so does not check in there.
        own = a["visibility"] == "shared"
        if clash:
            status = "absent_notified"
        elif x < p_unnotified:
            status = "absent_unnotified"
        elif x < p_unnotified + p_notified:
            status = "absent_notified"
        elif x < p_unnotified + p_notified + p_late:
            status = "late"
        else:
            status = "present"
        return {
            "youth": y,
            "activity": a,
            "day": day,
            "status": status,
            "clash": clash,
            "self_check_in": own and status in ("present", "late") and rng.random() < 0.6,
            "youth_notified": own and status == "absent_notified" and not clash and rng.random() < 0.7,
            "rng": rng,
        }

    def _ensure_all_statuses(self, occ: list[dict]) -> None:
        """Every status appears at least once, so the demo shows each kind of registration."""
        have = {o["status"] for o in occ}
        spare = [o for o in occ if o["status"] == "present" and not o["clash"]]
        for status in ("late", "absent_notified", "absent_unnotified"):
            if status not in have and spare:
                o = spare.pop(len(spare) // 2)
                o["status"] = status
                o["youth_notified"] = False

    def attendance(self) -> None:
        occ = self.plan_attendance("ung.mads") + self.plan_attendance("ung.sara")
        # The young people's own check-ins and absence notices from the app come first.
        for y in CONSENTS:
            own = [m for o in occ if o["youth"] == y and (m := self._own_registration(o))]
            self.send_by_day(y, "attendance_youth", own)
        # Then each organisation records its own activities' attendance; staff status wins.
        by_staff: dict[str, list[dict]] = {}
        for o in occ:
            m = None if o["youth_notified"] else self._staff_registration(o)
            if m is not None:
                by_staff.setdefault(ACTIVITY_OWNER[o["activity"]["org"]], []).append(m)
        for staff in sorted(by_staff):
            self.send_by_day(staff, "attendance_staff", by_staff[staff])
        # Every unexplained absence is followed up (opsøgende kontakt) by the mentor, same day.
        outreach = [m for o in occ if o["status"] == "absent_unnotified" for m in self._follow_up(o)]
        self.send("mentor.lise", "outreach", outreach)

    def _own_registration(self, o: dict) -> dict | None:
        """The young person's check-in or absence notice for one occurrence, if they made one."""
        y, a, day = o["youth"], o["activity"], o["day"]
        data = {"youth_id": self.youth[y], "activity_id": a["id"], "date": day.isoformat()}
        if o["self_check_in"]:
            early = -o["rng"].randint(2, 12) if o["status"] == "present" else o["rng"].randint(16, 35)
            data["self_checked_in_at"] = self.at(day, a["start_time"], early)
        elif o["youth_notified"]:
            data["status"] = "absent_notified"
            data["absence_reason"] = o["rng"].choice(REASONS)
        else:
            return None
        return {"entity": "attendance", "id": rid(y, "attendance", a["id"], day.isoformat()), "data": data}

    def _staff_registration(self, o: dict) -> dict | None:
        """The owning agency's registration of one occurrence; None where a check-in already says it."""
        a, day, y = o["activity"], o["day"], o["youth"]
        att_id = rid(y, "attendance", a["id"], day.isoformat())
        data = {"youth_id": self.youth[y], "activity_id": a["id"], "date": day.isoformat(), "status": o["status"]}
        if o["status"] == "absent_notified":
            data["absence_reason"] = (
                "Anden fast aftale torsdag formiddag – skal løses i planen" if o["clash"] else o["rng"].choice(REASONS)
            )
        elif o["status"] in STAFF_NOTES:
            data["note"] = o["rng"].choice(STAFF_NOTES[o["status"]])
        m = {"entity": "attendance", "id": att_id, "data": data}
        if o["self_check_in"]:
            row = db.session.get(Attendance, att_id)
            if row is None or (row.status == o["status"] and not data.get("note")):
                return None  # the check-in already says present
            m["base_version"] = row.version
        return m

    def _follow_up(self, o: dict) -> list[dict]:
        """The mentor's outreach after an unexplained absence; a text later the same day if not reached."""
        a, day, y = o["activity"], o["day"], o["youth"]
        method, reached, note = OUTREACH_METHODS[o["rng"].randrange(len(OUTREACH_METHODS))]
        base = {"youth_id": self.youth[y], "organization_id": self.org["Jobcenter"]}
        first = {"method": method, "reached": reached, "note": note.format(name=FIRST_NAMES[y])}
        out = [
            {
                "entity": "outreach",
                "id": rid(y, "outreach", a["id"], day.isoformat()),
                "data": {**base, **first, "contacted_at": self.at(day, a["start_time"], 45)},
            }
        ]
        if not reached:
            again = {"method": "sms", "reached": True, "note": "Fulgte op med sms. Svar: 'sorry, kommer i morgen'."}
            out.append(
                {
                    "entity": "outreach",
                    "id": rid(y, "outreach2", a["id"], day.isoformat()),
                    "data": {**base, **again, "contacted_at": self.at(day, "16:00")},
                }
            )
        return out
