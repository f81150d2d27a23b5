"""The seeder: the cast created with the administrator functions, then each step's case data pushed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from backend.admin import assign, create_organization, create_user, system_write, unapplied, youth_of
from backend.clock import LOCAL_TZ
from backend.extensions import db
from backend.models import Assessment, Consent, User
from backend.seed.agreements import AgreementSteps
from backend.seed.assessments import AssessmentSteps
from backend.seed.attendance import AttendanceSteps
from backend.seed.base import CONSENTS, DEMO_PASSWORD, ORGANIZATIONS, USERS, SeedError, rid
from backend.seed.plans import PlanSteps
from backend.sync.push import push


class _Seeder(PlanSteps, AttendanceSteps, AgreementSteps, AssessmentSteps):
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
        todo = unapplied(step, mutations, rid)
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

    def owned(self, entity: str, y: str, key: str, org: str, **fields) -> dict:
        """An upsert of `y`'s record of `entity` owned by `org`, its id from `key`."""
        data = {"youth_id": self.youth[y], "organization_id": self.org[org], **fields}
        return {"entity": entity, "id": rid(y, entity, key), "data": data}

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
