"""The demo municipality (`flask --app backend seed-demo`), see docs/architecture.md#demo-municipality.

Organisations and users are made with the administrator functions; all case data is then written
through the sync engine (`backend.sync.push.push`) as the real staff member or young person who
would record it, so the demo also exercises the permission rules. Any rejected mutation stops
the seed with an error.

Idempotent: record and mutation ids are deterministic (uuid5), mutations already applied are not
sent again, and once the last step is in place the case data is left alone entirely — a second
run changes nothing. Dates are relative to the day of the first run, so a fresh demo always
looks current.

Other modules add their own demo data by appending a callable to `EXTRA_SEEDERS` at import time
(e.g. in the package `create_app` imports); `seed_demo()` calls each after the core demo and
adds what it returns (a line of text, or None) to the summary.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import click
from sqlalchemy import select

from backend import clock
from backend.admin import assign, create_organization, create_user, system_write, youth_of
from backend.clock import LOCAL_TZ
from backend.extensions import db
from backend.models import AppliedMutation, Assessment, Attendance, Consent, User
from backend.sync.push import push
from shared.dimensions import DIMENSIONS
from shared.schedule import ASSESSMENT_INTERVAL_DAYS, occurs_on

DEMO_PASSWORD = "demo1234"
NAMESPACE = uuid.UUID("5d1c6a52-7f0e-4c53-9d7b-1f6f2a9e0c11")

ORGANIZATIONS = (
    ("Jobcenter", "jobcenter"),
    ("UU", "uu"),
    ("Bostøtte", "bostotte"),
    ("Rusmiddelcenter", "rusmiddelcenter"),
)

# username, role, organisation, display name, birth date (youth only)
USERS = (
    ("ung.mads", "youth", None, "Mads Jensen", "2003-04-17"),
    ("ung.sara", "youth", None, "Sara Ahmadi", "2006-09-02"),
    ("mentor.lise", "mentor", "Jobcenter", "Lise Mortensen", None),
    ("tovholder.ahmed", "coordinator", "Jobcenter", "Ahmed Hassan", None),
    ("uu.karen", "partner", "UU", "Karen Holm", None),
    ("bostotte.peter", "partner", "Bostøtte", "Peter Nielsen", None),
    ("behandler.nina", "partner", "Rusmiddelcenter", "Nina Lund", None),
    ("admin", "admin", None, "Administrator", None),
)

CONSENTS = {"ung.mads": ("Jobcenter", "UU", "Bostøtte", "Rusmiddelcenter"), "ung.sara": ("Jobcenter", "UU")}

EXTRA_SEEDERS: list[Callable[[], str | None]] = []
"""Further demo data (e.g. programmes); append at import time. Each must be idempotent itself."""


class SeedError(click.ClickException):
    """A demo step the server refused; the message names the step and the reason.

    A ClickException, so `flask seed-demo` ends with the message and exit code 1, not a traceback.
    """


def extra_seeders() -> list[Callable[[], str | None]]:
    """The registered extra seeders, in registration order."""
    return list(EXTRA_SEEDERS)


def rid(*parts: str) -> str:
    """A deterministic record id, so a re-run finds the records of the first run."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def seed_demo() -> str:
    """Create the demo municipality (idempotent); returns a short Danish summary."""
    seeder = _Seeder(clock.today())
    lines = [seeder.run()]
    for fn in extra_seeders():
        out = fn()
        if out:
            lines.append(out)
    return "\n".join(lines)


# ---- the seeder ---------------------------------------------------------------------------


class _Seeder:
    def __init__(self, today: date):
        self.today = today
        self.start = today - timedelta(days=98)  # 14 weeks: two 6-weekly assessments past, one ahead
        self.applied = 0
        self.skipped = 0

    # -- helpers --

    def user(self, username: str) -> User:
        return db.session.scalar(select(User).where(User.username == username))

    def send(self, username: str, step: str, mutations: list[dict], today: date | None = None) -> list[dict]:
        """Push as `username`; mutations already applied by an earlier run are left out.

        `today` is the day the registrations were made (attendance has same-day / one-week windows).
        """
        user = self.user(username)
        for m in mutations:
            m.setdefault("op", "upsert")
            m.setdefault("base_version", None)
            m["data"] = {**m["data"], "id": m["id"]}
            m["mutation_id"] = rid("mutation", step, m["entity"], m["id"])
        ids = [m["mutation_id"] for m in mutations]
        done: set[str] = set()
        for i in range(0, len(ids), 500):
            done |= set(
                db.session.scalars(
                    select(AppliedMutation.mutation_id).where(AppliedMutation.mutation_id.in_(ids[i : i + 500]))
                )
            )
        todo = [m for m in mutations if m["mutation_id"] not in done]
        self.skipped += len(mutations) - len(todo)
        results = []
        for i in range(0, len(todo), 500):
            batch = todo[i : i + 500]
            res = push(user, "seed", batch, channel="cli", today=today)
            bad = [(m, r) for m, r in zip(batch, res, strict=True) if r["status"] == "rejected"]
            if bad:
                m, r = bad[0]
                raise SeedError(
                    f"Demo-trinnet '{step}' blev afvist for {username} ({m['entity']} {m['id']}): "
                    f"{r['error']['message']} ({len(bad)} afvist i alt)"
                )
            self.applied += len(batch)
            results += res
        return results

    def send_by_day(self, username: str, step: str, mutations: list[dict]) -> None:
        """Attendance as it was registered: each day's on that day."""
        by_day: dict[str, list[dict]] = {}
        for m in mutations:
            by_day.setdefault(m["data"]["date"], []).append(m)
        for day in sorted(by_day):
            self.send(username, step, by_day[day], today=date.fromisoformat(day))

    def at(self, day: date, hhmm: str, minutes: int = 0) -> str:
        """A local Danish time on `day` as a UTC ISO instant."""
        local = datetime.combine(day, time.fromisoformat(hhmm), LOCAL_TZ) + timedelta(minutes=minutes)
        return local.astimezone(UTC).isoformat()

    def monday_before(self, day: date) -> date:
        return day - timedelta(days=day.weekday())

    # -- steps --

    def run(self) -> str:
        orgs = {name: create_organization(name, kind).id for name, kind in ORGANIZATIONS}
        self.org = orgs
        new_users = 0
        for username, role, org, name, birth in USERS:
            if self.user(username) is None:
                # Exempt from the password policy (backend/accounts/policy.py applies where a person
                # sets a password: CLI, pages): the demo's published password is short on purpose.
                create_user(username, DEMO_PASSWORD, role, org, name, birth_date=birth)
                new_users += 1
        lise, ahmed = self.user("mentor.lise"), self.user("tovholder.ahmed")
        self.youth = {}
        for y in CONSENTS:
            youth = youth_of(y)
            self.youth[y] = youth.id
            if youth.mentor_id != lise.id or youth.coordinator_id != ahmed.id:
                # Consent first: only staff of an organisation the young person consented to may be
                # mentor or coordinator. Recorded as the coordinator's intake (no case access needed yet).
                missing = [m for m in self.consent_mutations(y) if db.session.get(Consent, m["id"]) is None]
                if missing:
                    system_write(missing, actor=ahmed)
                youth = assign(y, "mentor.lise", "tovholder.ahmed")
        db.session.remove()

        complete = db.session.get(Assessment, self.final_marker()) is not None
        if not complete:
            self.case_data()
        db.session.remove()
        data = (
            "sagsdata fandtes allerede (intet ændret)"
            if complete
            else f"{self.applied} registreringer skrevet"
            + (f", {self.skipped} fandtes i forvejen" if self.skipped else "")
        )
        return (
            f"Demo-kommunen er klar: {len(orgs)} organisationer, {len(USERS)} brugere ({new_users} nye), "
            f"{data}. Adgangskode for alle demo-brugere: {DEMO_PASSWORD} (kun til demo)."
        )

    def final_marker(self) -> str:
        return rid("ung.sara", "assessment", "staff", "2")

    def case_data(self) -> None:
        self.consent_and_plans()
        self.goals_and_activities()
        self.attendance()
        self.agreements()
        self.private_items()
        self.assessments()

    def consent_mutations(self, y: str) -> list[dict]:
        return [
            {
                "entity": "consent",
                "id": rid(y, "consent", o),
                "data": {
                    "id": rid(y, "consent", o),
                    "youth_id": self.youth[y],
                    "organization_id": self.org[o],
                    "status": "given",
                    "given_at": self.at(self.start - timedelta(days=3), "10:00"),
                },
            }
            for o in CONSENTS[y]
        ]

    def consent_and_plans(self) -> None:
        self.send("tovholder.ahmed", "consent", [m for y in CONSENTS for m in self.consent_mutations(y)])

        updates = []
        for y, group in (("ung.mads", "activity_ready"), ("ung.sara", "education_ready")):
            youth = youth_of(y)
            if youth.target_group is None:
                updates.append(
                    {
                        "entity": "youth",
                        "id": youth.id,
                        "base_version": youth.version,
                        "data": {"youth_id": youth.id, "target_group": group},
                    }
                )
        self.send("tovholder.ahmed", "target_group", updates)

        august = next(
            date(y, 8, 1)
            for y in range(self.today.year, self.today.year + 3)
            if date(y, 8, 1) >= self.today + timedelta(days=180)
        )
        self.send(
            "tovholder.ahmed",
            "plan",
            [
                {
                    "entity": "plan",
                    "id": rid("ung.mads", "plan"),
                    "data": {
                        "youth_id": self.youth["ung.mads"],
                        "end_goal": f"Starte på EUD som tømrer i august {august.year}",
                        "end_goal_kind": "education",
                        "start_date": self.start.isoformat(),
                        "target_date": august.isoformat(),
                    },
                },
                {
                    "entity": "plan",
                    "id": rid("ung.sara", "plan"),
                    "data": {
                        "youth_id": self.youth["ung.sara"],
                        "end_goal": "Job i detailhandlen (mindst 25 timer om ugen)",
                        "end_goal_kind": "job",
                        "start_date": self.start.isoformat(),
                        "target_date": (self.today + timedelta(days=200)).isoformat(),
                    },
                },
            ],
        )

    def goal(
        self,
        y: str,
        key: str,
        org: str,
        title: str,
        description: str,
        status: str,
        weeks: int,
        visibility: str = "shared",
    ) -> dict:
        return {
            "entity": "goal",
            "id": rid(y, "goal", key),
            "data": {
                "youth_id": self.youth[y],
                "organization_id": self.org[org],
                "title": title,
                "description": description,
                "status": status,
                "target_date": (self.today + timedelta(weeks=weeks)).isoformat(),
                "visibility": visibility,
            },
        }

    def activity(
        self,
        y: str,
        key: str,
        org: str,
        title: str,
        weekdays: list[int],
        start: str,
        end: str,
        start_date: date,
        location: str,
        goal: str | None = None,
        visibility: str = "shared",
    ) -> dict:
        return {
            "entity": "activity",
            "id": rid(y, "activity", key),
            "data": {
                "youth_id": self.youth[y],
                "organization_id": self.org[org],
                "title": title,
                "weekdays": weekdays,
                "start_time": start,
                "end_time": end,
                "start_date": start_date.isoformat(),
                "end_date": None,
                "location": location,
                "goal_id": rid(y, "goal", goal) if goal else None,
                "visibility": visibility,
            },
        }

    def goals_and_activities(self) -> None:
        s = self.start
        self.send(
            "tovholder.ahmed",
            "goals",
            [
                self.goal(
                    "ung.mads",
                    "doegnrytme",
                    "Jobcenter",
                    "Fast døgnrytme på hverdage",
                    "Op kl. 7 og i seng inden midnat på hverdage, så praktikken kan passes.",
                    "achieved",
                    -4,
                ),
                self.goal(
                    "ung.mads",
                    "praktik",
                    "Jobcenter",
                    "Møde stabilt i praktik tre dage om ugen",
                    "Virksomhedspraktik i tømrerværkstedet mandag, tirsdag og torsdag.",
                    "in_progress",
                    6,
                ),
                self.goal(
                    "ung.sara",
                    "ansoegninger",
                    "Jobcenter",
                    "Skrive CV og to ansøgninger om ugen",
                    "Ansøgninger til butikker i byen; mentor læser korrektur.",
                    "in_progress",
                    4,
                ),
                self.goal(
                    "ung.sara",
                    "helbred",
                    "Jobcenter",
                    "Helbredsafklaring: angst",
                    "Samarbejde med egen læge om angst i nye situationer. Kun jobcentret.",
                    "in_progress",
                    8,
                    visibility="organization",
                ),
            ],
        )
        self.send(
            "uu.karen",
            "goals",
            [
                self.goal(
                    "ung.mads",
                    "brobygning",
                    "UU",
                    "Gennemføre brobygning på tømreruddannelsen",
                    "Brobygning på erhvervsskolen onsdage, så uddannelsen bliver konkret.",
                    "in_progress",
                    8,
                ),
                self.goal(
                    "ung.mads",
                    "optagelse",
                    "UU",
                    "Søge ind på EUD Tømrer via optagelse.dk",
                    "Ansøgningen sendes sammen med UU-vejlederen.",
                    "open",
                    20,
                ),
                self.goal(
                    "ung.sara",
                    "afklaring",
                    "UU",
                    "Afklare om EUD Detail er vejen til job i butik",
                    "Brobygning på handelsskolen og samtale om elevplads.",
                    "in_progress",
                    10,
                ),
                self.goal(
                    "ung.sara",
                    "ordblind",
                    "UU",
                    "Ordblindetest og læsestøtte",
                    "Test er taget; aftale om læsestøtte og IT-rygsæk. Kun UU.",
                    "open",
                    6,
                    visibility="organization",
                ),
            ],
        )
        self.send(
            "bostotte.peter",
            "goals",
            [
                self.goal(
                    "ung.mads",
                    "oekonomi",
                    "Bostøtte",
                    "Styr på økonomi og regninger",
                    "Budget, betalingsservice og faste tider til at åbne post sammen med bostøtten.",
                    "in_progress",
                    6,
                ),
                self.goal(
                    "ung.mads",
                    "restance",
                    "Bostøtte",
                    "Afdragsordning på huslejerestance",
                    "Aftale med boligselskabet, så Mads undgår udsættelse. Kun bostøtten.",
                    "in_progress",
                    3,
                    visibility="organization",
                ),
            ],
        )
        self.send(
            "behandler.nina",
            "goals",
            [
                self.goal(
                    "ung.mads",
                    "hash",
                    "Rusmiddelcenter",
                    "Nedsætte hashforbrug",
                    "Ambulant behandling (§ 101): ugentlig samtale, mål om røgfri hverdage. Kun behandlingen.",
                    "in_progress",
                    12,
                    visibility="organization",
                ),
            ],
        )

        mads_practice = self.monday_before(s)
        recent = self.monday_before(self.today - timedelta(days=20))  # the treatment slot moved recently
        self.send(
            "mentor.lise",
            "activities",
            [
                self.activity(
                    "ung.mads",
                    "praktik",
                    "Jobcenter",
                    "Virksomhedspraktik – tømrerværksted",
                    [0, 1, 3],
                    "08:30",
                    "12:00",
                    mads_practice,
                    "Holm Byg & Tømrer, Industrivej 12",
                    goal="praktik",
                ),
                self.activity(
                    "ung.sara",
                    "jobsoegning",
                    "Jobcenter",
                    "Jobsøgningsforløb – Ung i Job",
                    [0, 2],
                    "09:00",
                    "12:00",
                    self.monday_before(s),
                    "Jobcentret, Torvet 3",
                ),
                self.activity(
                    "ung.sara",
                    "praktik",
                    "Jobcenter",
                    "Virksomhedspraktik i supermarked",
                    [4],
                    "08:00",
                    "12:00",
                    self.monday_before(self.today - timedelta(days=35)),
                    "SuperBrugsen, Vestergade 40",
                    goal="ansoegninger",
                ),
            ],
        )
        self.send(
            "uu.karen",
            "activities",
            [
                self.activity(
                    "ung.mads",
                    "brobygning",
                    "UU",
                    "Brobygning – tømrer på erhvervsskolen",
                    [2],
                    "08:00",
                    "14:00",
                    self.monday_before(s),
                    "Erhvervsskolen, Tømrerafdelingen",
                    goal="brobygning",
                ),
                self.activity(
                    "ung.sara",
                    "brobygning",
                    "UU",
                    "Brobygning – detail på handelsskolen",
                    [3],
                    "09:00",
                    "13:00",
                    self.monday_before(s),
                    "Handelsskolen, lokale 2.14",
                    goal="afklaring",
                ),
            ],
        )
        self.send(
            "bostotte.peter",
            "activities",
            [
                self.activity(
                    "ung.mads",
                    "hjemmebesoeg",
                    "Bostøtte",
                    "Hjemmebesøg – bostøtte",
                    [1],
                    "13:00",
                    "14:30",
                    self.monday_before(s),
                    "Hjemme hos Mads",
                    goal="oekonomi",
                ),
            ],
        )
        # Thursday 10–11 clashes with the Thursday practice 08:30–12:00: the coordinator's pages warn.
        self.send(
            "behandler.nina",
            "activities",
            [
                self.activity(
                    "ung.mads",
                    "samtale",
                    "Rusmiddelcenter",
                    "Samtale i Rusmiddelcentret",
                    [3],
                    "10:00",
                    "11:00",
                    recent,
                    "Rusmiddelcentret, Sygehusvej 5",
                    goal="hash",
                    visibility="organization",
                ),
            ],
        )

    # -- attendance --

    ACTIVITY_OWNER = {
        "Jobcenter": "mentor.lise",
        "UU": "uu.karen",
        "Bostøtte": "bostotte.peter",
        "Rusmiddelcenter": "behandler.nina",
    }

    def _activities(self, y: str) -> list[dict]:
        from backend.models import Activity

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

    def attendance(self) -> None:
        occ = self.plan_attendance("ung.mads") + self.plan_attendance("ung.sara")

        # The young people's own check-ins and absence notices from the app come first.
        for y in CONSENTS:
            own = []
            for o in occ:
                if o["youth"] != y:
                    continue
                a, day = o["activity"], o["day"]
                att_id = rid(y, "attendance", a["id"], day.isoformat())
                if o["self_check_in"]:
                    early = -o["rng"].randint(2, 12) if o["status"] == "present" else o["rng"].randint(16, 35)
                    own.append(
                        {
                            "entity": "attendance",
                            "id": att_id,
                            "data": {
                                "youth_id": self.youth[y],
                                "activity_id": a["id"],
                                "date": day.isoformat(),
                                "self_checked_in_at": self.at(day, a["start_time"], early),
                            },
                        }
                    )
                elif o["youth_notified"]:
                    own.append(
                        {
                            "entity": "attendance",
                            "id": att_id,
                            "data": {
                                "youth_id": self.youth[y],
                                "activity_id": a["id"],
                                "date": day.isoformat(),
                                "status": "absent_notified",
                                "absence_reason": o["rng"].choice(self.REASONS),
                            },
                        }
                    )
            self.send_by_day(y, "attendance_youth", own)

        # Then each organisation records its own activities' attendance; staff status wins.
        by_staff: dict[str, list[dict]] = {}
        for o in occ:
            if o["youth_notified"]:
                continue
            a, day, y = o["activity"], o["day"], o["youth"]
            att_id = rid(y, "attendance", a["id"], day.isoformat())
            data = {"youth_id": self.youth[y], "activity_id": a["id"], "date": day.isoformat(), "status": o["status"]}
            if o["status"] == "absent_notified":
                data["absence_reason"] = (
                    "Anden fast aftale torsdag formiddag – skal løses i planen"
                    if o["clash"]
                    else o["rng"].choice(self.REASONS)
                )
            elif o["status"] in self.STAFF_NOTES:
                data["note"] = o["rng"].choice(self.STAFF_NOTES[o["status"]])
            m = {"entity": "attendance", "id": att_id, "data": data}
            if o["self_check_in"]:
                row = db.session.get(Attendance, att_id)
                if row is None or (row.status == o["status"] and not data.get("note")):
                    continue  # the check-in already says present
                m["base_version"] = row.version
            by_staff.setdefault(self.ACTIVITY_OWNER[a["org"]], []).append(m)
        for staff in sorted(by_staff):
            self.send_by_day(staff, "attendance_staff", by_staff[staff])

        # Every unexplained absence is followed up (opsøgende kontakt) by the mentor, same day.
        outreach = []
        methods = (
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
        names = {"ung.mads": "Mads", "ung.sara": "Sara"}
        for o in occ:
            if o["status"] != "absent_unnotified":
                continue
            a, day, y = o["activity"], o["day"], o["youth"]
            method, reached, note = methods[o["rng"].randrange(len(methods))]
            outreach.append(
                {
                    "entity": "outreach",
                    "id": rid(y, "outreach", a["id"], day.isoformat()),
                    "data": {
                        "youth_id": self.youth[y],
                        "organization_id": self.org["Jobcenter"],
                        "method": method,
                        "reached": reached,
                        "note": note.format(name=names[y]),
                        "contacted_at": self.at(day, a["start_time"], 45),
                    },
                }
            )
            if not reached:
                outreach.append(
                    {
                        "entity": "outreach",
                        "id": rid(y, "outreach2", a["id"], day.isoformat()),
                        "data": {
                            "youth_id": self.youth[y],
                            "organization_id": self.org["Jobcenter"],
                            "method": "sms",
                            "reached": True,
                            "note": "Fulgte op med sms. Svar: 'sorry, kommer i morgen'.",
                            "contacted_at": self.at(day, "16:00"),
                        },
                    }
                )
        self.send("mentor.lise", "outreach", outreach)

    # -- agreements --

    def agreement(self, y, key, org, text, responsible, due_days, responsible_user=None) -> dict:
        return {
            "entity": "agreement",
            "id": rid(y, "agreement", key),
            "data": {
                "youth_id": self.youth[y],
                "organization_id": self.org[org],
                "text": text,
                "responsible": responsible,
                "responsible_user_id": self.user(responsible_user).id if responsible_user else None,
                "due_date": (self.today + timedelta(days=due_days)).isoformat(),
            },
        }

    def review(self, y, key, status, note, days_ago) -> dict:
        from backend.models import Agreement

        a_id = rid(y, "agreement", key)
        row = db.session.get(Agreement, a_id)
        return {
            "entity": "agreement",
            "id": a_id,
            "base_version": row.version if row else 1,
            "data": {
                "status": status,
                "review_note": note,
                "reviewed_at": self.at(self.today - timedelta(days=days_ago), "15:00"),
            },
        }

    def agreements(self) -> None:
        self.send(
            "mentor.lise",
            "agreements",
            [
                self.agreement("ung.mads", "tandlaege", "Jobcenter", "Ringe til tandlægen og bestille tid", "youth", 0),
                self.agreement(
                    "ung.mads",
                    "dokumentation",
                    "Jobcenter",
                    "Sende lægeerklæring for fraværet til jobcentret",
                    "youth",
                    -2,
                ),
                self.agreement(
                    "ung.mads", "moedetid", "Jobcenter", "Møde kl. 8.30 i praktikken hele ugen", "youth", -7
                ),
                self.agreement("ung.mads", "eboks", "Jobcenter", "Tjekke e-Boks hver dag", "youth", -10),
                self.agreement(
                    "ung.mads",
                    "laerlingeplads",
                    "Jobcenter",
                    "Lise spørger Holm Byg om mulighed for lærlingeplads",
                    "staff",
                    3,
                    "mentor.lise",
                ),
                self.agreement(
                    "ung.mads",
                    "foelge",
                    "Jobcenter",
                    "Lise følger Mads til første brobygningsdag",
                    "staff",
                    -21,
                    "mentor.lise",
                ),
                self.agreement(
                    "ung.mads",
                    "klash",
                    "Jobcenter",
                    "Ahmed finder en ny tid, så torsdagens aftaler ikke ligger oven i hinanden",
                    "staff",
                    1,
                    "tovholder.ahmed",
                ),
                self.agreement("ung.sara", "foetex", "Jobcenter", "Sende ansøgning til butikken på Torvet", "youth", 0),
                self.agreement("ung.sara", "cv", "Jobcenter", "Opdatere CV på Jobnet", "youth", -14),
                self.agreement("ung.sara", "meld", "Jobcenter", "Melde fra før kl. 9, hvis du er syg", "youth", -8),
                self.agreement(
                    "ung.sara",
                    "butikschef",
                    "Jobcenter",
                    "Lise ringer til butikschefen om forlængelse af praktikken",
                    "staff",
                    2,
                    "mentor.lise",
                ),
            ],
        )
        self.send(
            "bostotte.peter",
            "agreements",
            [
                self.agreement(
                    "ung.mads",
                    "betalingsservice",
                    "Bostøtte",
                    "Tilmelde husleje og el til Betalingsservice",
                    "youth",
                    5,
                ),
            ],
        )
        self.send(
            "uu.karen",
            "agreements",
            [
                self.agreement(
                    "ung.sara", "optagelse", "UU", "Se handelsskolens åbent hus-datoer og vælge en", "youth", -1
                ),
            ],
        )
        self.send(
            "mentor.lise",
            "agreement_review",
            [
                self.review("ung.mads", "moedetid", "kept", "Mødte til tiden alle dage. Flot!", 6),
                self.review(
                    "ung.mads",
                    "eboks",
                    "not_kept",
                    "Har ikke fået tjekket. Vi sætter en daglig påmindelse på telefonen.",
                    9,
                ),
                self.review("ung.mads", "foelge", "kept", "Fulgtes ad første dag. Mads var glad for værkstedet.", 21),
                self.review("ung.sara", "cv", "kept", "CV ligger på Jobnet og er sendt til to butikker.", 13),
                self.review(
                    "ung.sara", "meld", "not_kept", "Meldte fra kl. 10.30 – vi øver at ringe i stedet for at skrive.", 7
                ),
            ],
        )
        self.send(
            "ung.mads",
            "agreement_comment",
            [
                {
                    "entity": "agreement",
                    "id": rid("ung.mads", "agreement", "tandlaege"),
                    "base_version": 1,
                    "data": {"youth_comment": "Har ringet, men de havde lukket. Prøver igen i morgen."},
                },
            ],
        )

    # -- organisation-only items of every kind (issue 9; docs/demo.md says who sees them) --

    def private_items(self) -> None:
        mads = self.youth["ung.mads"]
        self.send(
            "behandler.nina",
            "private_agreement",
            [
                {
                    "entity": "agreement",
                    "id": rid("ung.mads", "agreement", "urinproeve"),
                    "data": {
                        "youth_id": mads,
                        "organization_id": self.org["Rusmiddelcenter"],
                        "text": "Aflevere urinprøve hver mandag",
                        "responsible": "youth",
                        "due_date": (self.today + timedelta(days=(7 - self.today.weekday()) % 7 or 7)).isoformat(),
                        "visibility": "organization",
                    },
                }
            ],
        )
        due = self.start + timedelta(days=ASSESSMENT_INTERVAL_DAYS)
        self.send(
            "behandler.nina",
            "private_assessment",
            [
                {
                    "entity": "assessment",
                    "id": rid("ung.mads", "assessment", "behandling", "1"),
                    "data": {
                        "youth_id": mads,
                        "organization_id": self.org["Rusmiddelcenter"],
                        "due_date": due.isoformat(),
                        "rater_role": "staff",
                        "scores": self.scores("ung.mads", "staff", 0),
                        "comment": "Positiv urinprøve. Vi tager det op i behandlingen – ikke et brud på planen.",
                        "comment_visibility": "organization",
                        "submitted_at": self.at(due - timedelta(days=1), "14:00"),
                    },
                }
            ],
        )
        yesterday = self.today - timedelta(days=1)
        self.send(
            "mentor.lise",
            "private_outreach",
            [
                {
                    "entity": "outreach",
                    "id": rid("ung.mads", "outreach", "privat"),
                    "data": {
                        "youth_id": mads,
                        "organization_id": self.org["Jobcenter"],
                        "method": "call",
                        "reached": True,
                        "note": "Talte med Mads' mor om hans søvn og helbred. Kun jobcentret.",
                        "contacted_at": self.at(yesterday, "15:30"),
                        "visibility": "organization",
                    },
                }
            ],
        )
        # the latest home visit: the status is common, Bostøtte keeps its note to itself
        act_id = rid("ung.mads", "activity", "hjemmebesoeg")
        day = next(
            self.today - timedelta(days=k) for k in range(1, 8) if (self.today - timedelta(days=k)).weekday() == 1
        )
        att = db.session.get(Attendance, rid("ung.mads", "attendance", act_id, day.isoformat()))
        if att is not None:
            self.send(
                "bostotte.peter",
                "private_attendance_note",
                [
                    {
                        "entity": "attendance",
                        "id": att.id,
                        "base_version": att.version,
                        "data": {
                            "note": "Ubetalte regninger på bordet; vi lavede en plan for dem. Kun bostøtten.",
                            "note_visibility": "organization",
                        },
                    }
                ],
                today=day,
            )

    # -- assessments --

    # Mentor's scores at the first and second 6-weekly assessment; the young person's own scores
    # differ a little (often higher at first), which is what the side-by-side view is for.
    PROFILES = {
        "ung.mads": {
            "staff": (
                {
                    "hverdagsmestring": 3,
                    "fremmoede": 3,
                    "helbred_trivsel": 4,
                    "sociale_kompetencer": 5,
                    "netvaerk": 3,
                    "tro_paa_egne_evner": 3,
                    "realistiske_maal": 4,
                    "faglige_kompetencer": 4,
                    "tro_paa_maalet": 4,
                },
                {
                    "hverdagsmestring": 5,
                    "fremmoede": 6,
                    "helbred_trivsel": 5,
                    "sociale_kompetencer": 6,
                    "netvaerk": 4,
                    "tro_paa_egne_evner": 5,
                    "realistiske_maal": 6,
                    "faglige_kompetencer": 5,
                    "tro_paa_maalet": 6,
                },
            ),
            "youth": (
                {
                    "hverdagsmestring": 4,
                    "fremmoede": 5,
                    "helbred_trivsel": 4,
                    "sociale_kompetencer": 6,
                    "netvaerk": 4,
                    "tro_paa_egne_evner": 3,
                    "realistiske_maal": 5,
                    "faglige_kompetencer": 4,
                },
                {
                    "hverdagsmestring": 5,
                    "fremmoede": 6,
                    "helbred_trivsel": 6,
                    "sociale_kompetencer": 6,
                    "netvaerk": 5,
                    "tro_paa_egne_evner": 6,
                    "realistiske_maal": 7,
                    "faglige_kompetencer": 5,
                },
            ),
            "comments": {
                "staff": (
                    "Svær start med meget fravær. Motivationen for tømrerfaget er der.",
                    "Tydelig fremgang i fremmødet. Møder nu de fleste dage og siger til, når han ikke kan.",
                ),
                "youth": (
                    "Det er svært at komme op om morgenen.",
                    "Jeg kan godt lide værkstedet. Det går bedre med at stå op.",
                ),
            },
        },
        "ung.sara": {
            "staff": (
                {
                    "hverdagsmestring": 6,
                    "fremmoede": 6,
                    "helbred_trivsel": 4,
                    "sociale_kompetencer": 4,
                    "netvaerk": 5,
                    "tro_paa_egne_evner": 4,
                    "realistiske_maal": 5,
                    "faglige_kompetencer": 5,
                    "tro_paa_maalet": 6,
                },
                {
                    "hverdagsmestring": 7,
                    "fremmoede": 8,
                    "helbred_trivsel": 5,
                    "sociale_kompetencer": 6,
                    "netvaerk": 6,
                    "tro_paa_egne_evner": 6,
                    "realistiske_maal": 7,
                    "faglige_kompetencer": 6,
                    "tro_paa_maalet": 7,
                },
            ),
            "youth": (
                {
                    "hverdagsmestring": 6,
                    "fremmoede": 7,
                    "helbred_trivsel": 3,
                    "sociale_kompetencer": 3,
                    "netvaerk": 5,
                    "tro_paa_egne_evner": 3,
                    "realistiske_maal": 5,
                    "faglige_kompetencer": 5,
                },
                {
                    "hverdagsmestring": 7,
                    "fremmoede": 8,
                    "helbred_trivsel": 5,
                    "sociale_kompetencer": 5,
                    "netvaerk": 6,
                    "tro_paa_egne_evner": 5,
                    "realistiske_maal": 7,
                    "faglige_kompetencer": 6,
                },
            ),
            "comments": {
                "staff": (
                    "Stabil, men nervøs i nye situationer.",
                    "Praktikken i butikken giver selvtillid. Taler selv med kunderne nu.",
                ),
                "youth": (
                    "Jeg bliver nervøs, når jeg skal tale med nye mennesker.",
                    "Det er blevet nemmere i butikken. Jeg glæder mig til at få et rigtigt job.",
                ),
            },
        },
    }

    def scores(self, y: str, rater: str, n: int) -> dict:
        profile = self.PROFILES[y][rater][n]
        # A municipality may configure its own dimensions; unknown ones get a middle score.
        return {d.key: profile.get(d.key, 5 + n) for d in DIMENSIONS.for_rater(rater)}

    def assessments(self) -> None:
        dues = [self.start + timedelta(days=ASSESSMENT_INTERVAL_DAYS * k) for k in (1, 2)]
        staff = []
        for y in CONSENTS:
            own = []
            for n, due in enumerate(dues):
                own.append(
                    {
                        "entity": "assessment",
                        "id": rid(y, "assessment", "youth", str(n + 1)),
                        "data": {
                            "youth_id": self.youth[y],
                            "due_date": due.isoformat(),
                            "rater_role": "youth",
                            "scores": self.scores(y, "youth", n),
                            "comment": self.PROFILES[y]["comments"]["youth"][n],
                            "submitted_at": self.at(due - timedelta(days=1), "11:15"),
                        },
                    }
                )
                staff.append(
                    {
                        "entity": "assessment",
                        "id": rid(y, "assessment", "staff", str(n + 1)),
                        "data": {
                            "youth_id": self.youth[y],
                            "organization_id": self.org["Jobcenter"],
                            "due_date": due.isoformat(),
                            "rater_role": "staff",
                            "scores": self.scores(y, "staff", n),
                            "comment": self.PROFILES[y]["comments"]["staff"][n],
                            "submitted_at": self.at(due - timedelta(days=1), "11:45"),
                        },
                    }
                )
            self.send(y, "assessment_youth", own)
        # The marker of a complete seed (Sara's second staff assessment) is written last.
        staff.sort(key=lambda m: m["id"] == self.final_marker())
        self.send("mentor.lise", "assessment_staff", staff)


# The programme catalogue and the results history (issue 6) seed after the core demo.
from backend.programmes.seed import seed_programmes  # noqa: E402

EXTRA_SEEDERS.append(seed_programmes)

# The young person's voice, steps and company agreements (issue 14) after that.
from backend.seed_steps import seed_voice  # noqa: E402

EXTRA_SEEDERS.append(seed_voice)
