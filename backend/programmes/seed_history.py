"""The demo's two years of history: 36 young people beyond Mads and Sara, each in small steps.

Every young person is written the way the staff would have written them — registration, consent,
plan, enrolments with their activities, attendance, agreements, 6-weekly assessments and the
target-group and outcome history — through the sync engine, with deterministic uuid5 ids and one
fixed random seed, so a re-run sends nothing new. Enrolments are checked by the same date rules
as the enrolment form (`service.check_enrolment_dates`): no demo enrolment ends before it starts.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from backend.admin import unapplied
from backend.extensions import db
from backend.models import Organization, User, Youth
from backend.programmes.catalogue import CATALOGUE
from backend.programmes.models import Enrolment, OutcomeChange, Programme, TargetGroupChange
from backend.programmes.service import check_enrolment_dates
from backend.sync.push import push
from shared.dimensions import DIMENSIONS
from shared.schedule import assessment_due_dates, occurs_on

NAMESPACE = uuid.UUID("0b7f4a0e-6f43-4c1e-9a57-3c3b1f0d6e21")
SEED = 20260106
EXTRA_YOUTH = 36

# fmt: off
FIRST_NAMES = (
    "Emil", "Freja", "Noah", "Ida", "Oliver", "Clara", "William", "Alma", "Lucas", "Ella", "Victor", "Sofia",
    "Malthe", "Laura", "Oscar", "Agnes", "Magnus", "Josefine", "Elias", "Mathilde", "Aksel", "Karla", "Frederik",
    "Asta", "Anton", "Lærke", "Carl", "Emma", "Johan", "Liva", "Alfred", "Nora", "Villads", "Signe", "Storm", "Maja",
)
LAST_NAMES = (
    "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen",
    "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen",
)
# fmt: on
OUTCOME_DRAWS = (  # (upper bound of the draw, the outcomes to choose from); above the last: still active
    (0.30, ("education", "education", "job")),
    (0.40, ("self_supporting_other",)),
    (0.52, ("target_group_change",)),
    (0.62, ("flexjob", "resource_course")),
    (0.68, ("moved_other",)),
)


def sid(*parts) -> str:
    """A deterministic id for a demo record, so a re-run finds the records of the first run."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


@dataclass
class Person:
    """One demo young person's story, drawn before anything is written."""

    i: int
    yid: str
    start: date  # the plan's start
    tg: str
    enrol_start: date
    leave: date
    outcome: str | None
    enrolments: list[tuple[Programme, date]]
    tg_entries: list[tuple[date, str]]
    acts: list[dict] = field(default_factory=list)

    @property
    def end_follow(self) -> date:
        """The last day the staff follow the young person (the day they leave, at the latest)."""
        return self.leave if self.outcome else date.max


class History:
    """Writes the demo history as tovholder.ahmed (and the records' natural writers' rules)."""

    def __init__(self, today: date, ahmed: User):
        self.today = today
        self.ahmed = ahmed
        self.rng = random.Random(SEED)
        self.sent = 0
        self.lise = db.session.scalar(select(User).where(User.username == "mentor.lise"))
        self.orgs = {o.name: o.id for o in db.session.scalars(select(Organization))}
        self.programmes = [db.session.get(Programme, sid("programme", c["name"])) for c in CATALOGUE]

    def push(self, step: str, mutations: list[dict]) -> None:
        """Send `mutations` through the sync engine; those applied by an earlier run are left out."""
        todo = unapplied(step, mutations, sid)
        for i in range(0, len(todo), 500):
            res = push(self.ahmed, "seed", todo[i : i + 500], channel="cli")
            bad = [r for r in res if r["status"] == "rejected"]
            if bad:
                raise RuntimeError(f"Demo-trin '{step}' afvist: {bad[0]['error']['message']}")
            self.sent += len(res)

    def run(self) -> int:
        for i in range(EXTRA_YOUTH):
            self.youth(i)
        return self.sent

    def youth(self, i: int) -> None:
        """One young person's two years, step by step (the random draws in a fixed order)."""
        person = self._register(i)
        self._enrolments(person)
        self.push(f"activities-{i}", person.acts)
        self.push(f"attendance-{i}", self._attendance(person))
        self.push(f"agreements-{i}", self._agreements(person))
        self.push(f"assessments-{i}", self._assessments(person))
        self._status_history(person)

    # ---- the steps ---------------------------------------------------------------------------

    def _register(self, i: int) -> Person:
        """The young person, consent, mentor and plan; then the draws that shape the story."""
        rng, today = self.rng, self.today
        yid = sid("youth", i)
        # plan starts spread over the last 24 months; the newest a few weeks ago
        start = today - timedelta(days=30 + (i * 700) // EXTRA_YOUTH + rng.randint(0, 10))
        tg = rng.choice(("activity_ready", "activity_ready", "education_ready", "job_ready"))
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}"
        birth = date(1996 + i % 12, 1 + i % 12, 1 + i % 27).isoformat()
        youth = {"youth_id": yid, "display_name": name, "birth_date": birth, "coordinator_id": self.ahmed.id}
        self.push(f"youth-{i}", [{"entity": "youth", "id": yid, "data": youth}])
        orgs = ["Jobcenter"] + (["UU"] if i % 3 == 0 and "UU" in self.orgs else [])
        consents = [
            {
                "entity": "consent",
                "id": sid("consent", i, org),
                "data": {"youth_id": yid, "organization_id": self.orgs[org], "status": "given"},
            }
            for org in orgs
        ]
        self.push(f"consent-{i}", consents)
        if self.lise and i % 2 == 0:  # a mentor only after consent to the mentor's organisation
            mentor = {"youth_id": yid, "mentor_id": self.lise.id}
            self.push(f"mentor-{i}", [{"entity": "youth", "id": yid, "data": mentor}])
        plan = {
            "youth_id": yid,
            "end_goal": "Uddannelse eller job",
            "end_goal_kind": rng.choice(("education", "job")),
            "start_date": start.isoformat(),
            "target_date": (start + timedelta(days=365)).isoformat(),
        }
        self.push(f"plan-{i}", [{"entity": "plan", "id": sid("plan", i), "data": plan}])
        return self._draw(i, yid, start, tg)

    def _draw(self, i: int, yid: str, start: date, tg: str) -> Person:
        """Programmes (every fourth young person a second one afterwards), the outcome and when."""
        rng, today = self.rng, self.today
        prog = self.programmes[i % len(self.programmes)]
        enrol_start = start + timedelta(days=7 + rng.randint(0, 14))
        enrolments = [(prog, enrol_start)]
        if i % 4 == 1:
            second = self.programmes[(i + 2) % len(self.programmes)]
            enrolments.append((second, enrol_start + timedelta(weeks=prog.duration_weeks + 2)))
        draw = rng.random()
        leave = enrol_start + timedelta(weeks=rng.randint(10, 40))
        choices = next((c for bound, c in OUTCOME_DRAWS if draw < bound), None)
        outcome = (rng.choice(choices) if len(choices) > 1 else choices[0]) if choices else None
        if outcome and leave >= today:
            outcome = None
        tg_entries = [(start, tg)]
        if tg == "activity_ready" and rng.random() < 0.5:
            tg_entries.append((enrol_start + timedelta(weeks=8), "education_ready"))
        # a young person who has left starts no programme afterwards
        enrolments = [(p, s) for p, s in enrolments if s < today and not (outcome and s >= leave)]
        tg_entries = [(d, v) for d, v in tg_entries if d <= today]
        return Person(i, yid, start, tg, enrol_start, leave, outcome, enrolments, tg_entries)

    def _enrolments(self, person: Person) -> None:
        """Each enrolment with the programme's activities in the schedule, ended when it ended."""
        for n, (p, s) in enumerate(person.enrolments):
            planned = s + timedelta(weeks=p.duration_weeks) - timedelta(days=1)
            actual, reason = None, None
            if person.outcome and person.leave <= planned:
                actual, reason = person.leave, ("moved" if person.outcome == "moved_other" else "other")
            elif planned < self.today:
                actual, reason = planned, "completed"
            check_enrolment_dates(s, planned, actual)  # the form's rules: the seed writes nothing it would refuse
            act_ids = self._programme_activities(person, n, p, s, planned, actual)
            eid = sid("enrolment", person.i, n)
            if db.session.get(Enrolment, eid) is None:
                db.session.add(
                    Enrolment(
                        id=eid,
                        youth_id=person.yid,
                        programme_id=p.id,
                        start_date=s,
                        planned_end_date=planned,
                        actual_end_date=actual,
                        end_reason=reason,
                        activity_ids=act_ids,
                        recorded_by_user_id=self.ahmed.id,
                        created_at=_instant(s),
                    )
                )

    def _programme_activities(
        self, person: Person, n: int, p: Programme, s: date, planned: date, actual: date | None
    ) -> list[str]:
        """The activities of enrolment `n` (one per programme activity, within its phase)."""
        phase_start, spans = s, {}
        for ph in p.phases:
            spans[ph.position] = (phase_start, phase_start + timedelta(weeks=ph.weeks) - timedelta(days=1))
            phase_start += timedelta(weeks=ph.weeks)
        ids = []
        for pa in p.activities:
            first, last = spans.get(pa.phase_position, (s, planned))
            last = min(last, actual or last)
            if last < first:
                continue
            aid = sid("activity", person.i, n, pa.position)
            ids.append(aid)
            data = {
                "youth_id": person.yid,
                "organization_id": p.organization_id or self.orgs["Jobcenter"],
                "title": f"{p.name}: {pa.title}",
                "weekdays": pa.weekdays,
                "start_time": pa.start_time,
                "end_time": pa.end_time,
                "start_date": first.isoformat(),
                "end_date": last.isoformat(),
                "location": pa.location,
                "visibility": "shared",
            }
            person.acts.append({"entity": "activity", "id": aid, "data": data})
        return ids

    def _attendance(self, person: Person) -> list[dict]:
        """Attendance on the programme activities, at most two days a week."""
        rng, att = self.rng, []
        attend_p = 0.6 + rng.random() * 0.35
        for a in person.acts:
            d = date.fromisoformat(a["data"]["start_date"])
            end = min(date.fromisoformat(a["data"]["end_date"]), self.today - timedelta(days=1))
            days = a["data"]["weekdays"][:2]
            while d <= end:
                if occurs_on(days, None, None, d):
                    status = _attendance_status(rng.random(), attend_p)
                    data = {"youth_id": person.yid, "activity_id": a["id"], "date": d.isoformat(), "status": status}
                    if status == "absent_notified":
                        data["absence_reason"] = "Syg"
                    att.append({"entity": "attendance", "id": sid("att", a["id"], d), "data": data})
                d += timedelta(days=1)
        return att

    def _agreements(self, person: Person) -> list[dict]:
        """An agreement every other week while the young person is followed."""
        agr = []
        d, k = person.start + timedelta(days=3), 0
        while d < min(person.end_follow, self.today):
            data = {
                "youth_id": person.yid,
                "organization_id": self.orgs["Jobcenter"],
                "text": "Møde op til samtale og aktiviteter",
                "responsible": "youth",
                "due_date": d.isoformat(),
                "status": "kept" if self.rng.random() < 0.7 else "not_kept",
                "review_note": "Gennemgået med mentor",
            }
            agr.append({"entity": "agreement", "id": sid("agr", person.i, k), "data": data})
            d += timedelta(days=14)
            k += 1
        return agr

    def _assessments(self, person: Person) -> list[dict]:
        """Staff assessments every 6 weeks while followed, mostly on time, improving step by step."""
        rng, asm = self.rng, []
        base = {dim.key: rng.randint(2, 5) for dim in DIMENSIONS.dimensions}
        last_day = min(person.end_follow, self.today) - timedelta(days=1)
        for n, due in enumerate(assessment_due_dates(person.start, last_day)):
            submitted = due + timedelta(days=rng.choice((0, 1, 3, 7, 10, 20, 30)))
            if submitted >= self.today or rng.random() < 0.1:
                continue
            data = {
                "youth_id": person.yid,
                "organization_id": self.orgs["Jobcenter"],
                "due_date": due.isoformat(),
                "rater_role": "staff",
                "scores": {k: max(1, min(10, v + n + rng.randint(-1, 1))) for k, v in base.items()},
                "submitted_at": _instant(submitted, 14).isoformat(),
            }
            asm.append({"entity": "assessment", "id": sid("asm", person.i, n), "data": data})
        return asm

    def _status_history(self, person: Person) -> None:
        """The target-group and outcome history, and the young person's current status to match."""
        i, yid, rng = person.i, person.yid, self.rng
        for n, (d, v) in enumerate(person.tg_entries):
            self._history(TargetGroupChange, sid("tg", i, n), yid, d, target_group=v)
        if person.outcome:
            self._history(OutcomeChange, sid("outcome", i, 0), yid, person.leave, outcome=person.outcome)
            if person.outcome in ("education", "job") and rng.random() < 0.25:
                back = person.leave + timedelta(days=rng.randint(40, 150))
                if back < self.today:  # dropped out again and came back
                    self._history(OutcomeChange, sid("outcome", i, 1), yid, back, outcome="active")
        db.session.commit()
        cur_tg = person.tg_entries[-1][1] if person.tg_entries else None
        latest = (
            select(OutcomeChange.outcome)
            .where(OutcomeChange.youth_id == yid)
            .order_by(OutcomeChange.valid_from.desc(), OutcomeChange.recorded_at.desc())
            .limit(1)
        )
        cur_out = db.session.scalar(latest) or "active"
        youth = db.session.get(Youth, yid)
        if youth.target_group != cur_tg or youth.outcome != cur_out:
            status = {"youth_id": yid, "target_group": cur_tg, "outcome": cur_out}
            self.push(
                f"youth-status-{i}",
                [{"entity": "youth", "id": yid, "base_version": youth.version, "data": status}],
            )

    def _history(self, model, hid: str, yid: str, d: date, **value) -> None:
        if db.session.get(model, hid) is None:
            db.session.add(
                model(
                    id=hid,
                    youth_id=yid,
                    valid_from=d,
                    note="",
                    recorded_by_user_id=self.ahmed.id,
                    recorded_at=_instant(d),
                    **value,
                )
            )


def _attendance_status(r: float, attend_p: float) -> str:
    if r < attend_p:
        return "present"
    if r < attend_p + 0.05:
        return "late"
    return "absent_notified" if r < attend_p + 0.15 else "absent_unnotified"


def _instant(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=UTC)
