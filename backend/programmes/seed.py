"""Demo data for programmes and results: the municipality's catalogue and two years of history.

`seed_programmes()` is idempotent and deterministic for a given day: fixed random seed, uuid5
ids, and a mutation already applied is not sent again. It adds 36 young people (beyond Mads and
Sara) in tovholder.ahmed's caseload, with plans, target groups, enrolments (some in two
programmes), the programme activities in their schedule, attendance, agreements, 6-weekly staff
assessments and outcomes over the last 24 months — some leave for education or a job, some for
other benefits, some move away, some are still active.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from backend import clock
from backend.extensions import db
from backend.models import AppliedMutation, Organization, User, Youth
from backend.programmes.catalogue import CATALOGUE, KIK_II_SOURCE, KIK_II_TARGETS, THEORY_FIELDS
from backend.programmes.models import (
    Enrolment,
    ExpectedEffect,
    OutcomeChange,
    Programme,
    ProgrammeActivity,
    ProgrammePhase,
    TargetGroupChange,
    TargetGroupTarget,
)
from backend.sync.push import push
from shared.dimensions import DIMENSIONS
from shared.schedule import assessment_due_dates, occurs_on

NAMESPACE = uuid.UUID("0b7f4a0e-6f43-4c1e-9a57-3c3b1f0d6e21")
SEED = 20260106
EXTRA_YOUTH = 36

FIRST_NAMES = (
    "Emil",
    "Freja",
    "Noah",
    "Ida",
    "Oliver",
    "Clara",
    "William",
    "Alma",
    "Lucas",
    "Ella",
    "Victor",
    "Sofia",
    "Malthe",
    "Laura",
    "Oscar",
    "Agnes",
    "Magnus",
    "Josefine",
    "Elias",
    "Mathilde",
    "Aksel",
    "Karla",
    "Frederik",
    "Asta",
    "Anton",
    "Lærke",
    "Carl",
    "Emma",
    "Johan",
    "Liva",
    "Alfred",
    "Nora",
    "Villads",
    "Signe",
    "Storm",
    "Maja",
)
LAST_NAMES = (
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
)


def sid(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def seed_programmes(today: date | None = None) -> str:
    """Create the catalogue and the demo history (idempotent); returns a Danish summary line."""
    today = today or clock.today()
    n_prog = _catalogue()
    _targets(today)
    ahmed = db.session.scalar(select(User).where(User.username == "tovholder.ahmed"))
    if ahmed is None:
        return f"Tilbudsvifte: {n_prog} nye forløb (ingen tovholder.ahmed, så ingen demo-historik)."
    _private_enrolment(ahmed, today)
    marker = sid("outcome", EXTRA_YOUTH - 1, "final")
    if db.session.get(OutcomeChange, marker) is not None:
        return f"Tilbudsvifte og resultater: {n_prog} nye forløb; demo-historikken fandtes allerede."
    sent = _History(today, ahmed).run()
    db.session.add(
        OutcomeChange(
            id=marker,
            youth_id=sid("youth", EXTRA_YOUTH - 1),
            outcome="active",
            valid_from=today - timedelta(days=800),
            note="demo-markør",
            recorded_by_user_id=ahmed.id,
            recorded_at=datetime(2000, 1, 1, tzinfo=UTC),
        )
    )
    db.session.commit()
    return (
        f"Tilbudsvifte og resultater: {n_prog} nye forløb, {EXTRA_YOUTH} unge med 24 måneders historik "
        f"({sent} registreringer skrevet)."
    )


def _private_enrolment(ahmed: User, today: date) -> None:
    """Sara in the job centre's course for anxiety and depression, kept within the job centre
    (issue 9): UU's Karen sees neither the enrolment nor its activities."""
    from backend.programmes import service

    sara = db.session.scalar(select(Youth).join(User, User.id == Youth.user_id).where(User.username == "ung.sara"))
    prog = db.session.get(Programme, sid("programme", "Forløb for borgere med angst og depression"))
    if sara is None or prog is None or sara.coordinator_id != ahmed.id:
        return
    if (
        db.session.scalar(select(Enrolment.id).where(Enrolment.youth_id == sara.id, Enrolment.programme_id == prog.id))
        is None
    ):
        service.enrol(
            ahmed,
            sara.id,
            prog,
            today - timedelta(days=14),
            None,
            "Henvist af egen læge. Kun jobcentret.",
            device_id="seed",
            visibility="organization",
        )


def _catalogue() -> int:
    """Write the catalogue; returns how many programmes were created or brought up to the sheets."""
    orgs = {o.name: o.id for o in db.session.scalars(select(Organization))}
    written = 0
    for c in CATALOGUE:
        pid = sid("programme", c["name"])
        p = db.session.get(Programme, pid)
        if p is not None and not _unedited_old_seed(p):
            continue  # keep whatever a coordinator has edited since
        if p is None:
            p = Programme(id=pid)
            db.session.add(p)
        else:  # an old demo row: its children go first, the new ones reuse their ids
            p.phases, p.effects, p.activities = [], [], []
            db.session.flush()
        _fill(p, c, orgs)
        written += 1
    db.session.commit()
    return written


def _unedited_old_seed(p: Programme) -> bool:
    """Written by the seed before the catalogue followed the programme sheets (no programme theory)
    and never saved on the catalogue page since (saving stamps `updated_at`)."""
    untouched = (
        p.updated_at is not None and p.created_at is not None and abs((p.updated_at - p.created_at).total_seconds()) < 5
    )
    return untouched and not p.target_group_text and not p.goals


def _fill(p: Programme, c: dict, orgs: dict[str, str]) -> None:
    pid = p.id
    for k, v in dict(
        name=c["name"],
        description=c["description"],
        organization_id=orgs.get(c["org"]),
        capacity=c["capacity"],
        team_size=c["team_size"],
        hours_per_week=c["hours"],
        start_rule=c["start_rule"],
        active=True,
        follow_on=c["follow_on"],
        **{k: c[k] for k in THEORY_FIELDS},
    ).items():
        setattr(p, k, v)
    p.phases = [
        ProgrammePhase(id=sid(pid, "phase", i), position=i, name=n, weeks=w, description=d)
        for i, (n, w, d) in enumerate(c["phases"], 1)
    ]
    p.effects = [
        ExpectedEffect(
            id=sid(pid, "effect", i), outcome=k, share_pct=s, weeks_after_start=w, measure_date=on, anchor_text=words
        )
        for i, (k, s, w, on, words) in enumerate(c["effects"], 1)
    ]
    p.activities = [
        ProgrammeActivity(
            id=sid(pid, "activity", i),
            position=i,
            title=t,
            weekdays=d,
            start_time=s,
            end_time=e,
            location=loc,
            phase_position=ph,
        )
        for i, (t, d, s, e, loc, ph) in enumerate(c["activities"], 1)
    ]


def _targets(today: date) -> None:
    """The strategy's targets for the years the demo history covers (kept once set)."""
    from backend.programmes.status_queries import municipality

    muni = municipality()
    for year in range(today.year - 2, today.year + 1):
        for group, (ss, tgc, other, reduction) in KIK_II_TARGETS.items():
            tid = sid("target", muni, year, group)
            if db.session.get(TargetGroupTarget, tid) is None:
                db.session.add(
                    TargetGroupTarget(
                        id=tid,
                        municipality=muni,
                        year=year,
                        target_group=group,
                        self_supporting_pct=ss,
                        target_group_change_pct=tgc,
                        other_benefit_pct=other,
                        reduction=reduction,
                        source=KIK_II_SOURCE,
                    )
                )
    db.session.commit()


class _History:
    def __init__(self, today: date, ahmed: User):
        self.today = today
        self.ahmed = ahmed
        self.rng = random.Random(SEED)
        self.sent = 0
        self.lise = db.session.scalar(select(User).where(User.username == "mentor.lise"))
        self.orgs = {o.name: o.id for o in db.session.scalars(select(Organization))}
        self.programmes = [db.session.get(Programme, sid("programme", c["name"])) for c in CATALOGUE]

    def push(self, step: str, mutations: list[dict]) -> None:
        for m in mutations:
            m.setdefault("op", "upsert")
            m.setdefault("base_version", None)
            m["data"] = {**m["data"], "id": m["id"]}
            m["mutation_id"] = sid("mutation", step, m["entity"], m["id"])
        ids = [m["mutation_id"] for m in mutations]
        done = set()
        for i in range(0, len(ids), 500):
            done |= set(
                db.session.scalars(
                    select(AppliedMutation.mutation_id).where(AppliedMutation.mutation_id.in_(ids[i : i + 500]))
                )
            )
        todo = [m for m in mutations if m["mutation_id"] not in done]
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
        rng, today = self.rng, self.today
        yid = sid("youth", i)
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}"
        # plan starts spread over the last 24 months; the newest a few weeks ago
        start = today - timedelta(days=30 + (i * 700) // EXTRA_YOUTH + rng.randint(0, 10))
        tg = rng.choice(("activity_ready", "activity_ready", "education_ready", "job_ready"))
        self.push(
            f"youth-{i}",
            [
                {
                    "entity": "youth",
                    "id": yid,
                    "data": {
                        "youth_id": yid,
                        "display_name": name,
                        "birth_date": date(1996 + i % 12, 1 + i % 12, 1 + i % 27).isoformat(),
                        "coordinator_id": self.ahmed.id,
                    },
                }
            ],
        )
        consents = [
            {
                "entity": "consent",
                "id": sid("consent", i, "Jobcenter"),
                "data": {"youth_id": yid, "organization_id": self.orgs["Jobcenter"], "status": "given"},
            }
        ]
        if i % 3 == 0 and "UU" in self.orgs:
            consents.append(
                {
                    "entity": "consent",
                    "id": sid("consent", i, "UU"),
                    "data": {"youth_id": yid, "organization_id": self.orgs["UU"], "status": "given"},
                }
            )
        self.push(f"consent-{i}", consents)
        if self.lise and i % 2 == 0:  # a mentor only after consent to the mentor's organisation
            self.push(
                f"mentor-{i}", [{"entity": "youth", "id": yid, "data": {"youth_id": yid, "mentor_id": self.lise.id}}]
            )
        self.push(
            f"plan-{i}",
            [
                {
                    "entity": "plan",
                    "id": sid("plan", i),
                    "data": {
                        "youth_id": yid,
                        "end_goal": "Uddannelse eller job",
                        "end_goal_kind": rng.choice(("education", "job")),
                        "start_date": start.isoformat(),
                        "target_date": (start + timedelta(days=365)).isoformat(),
                    },
                }
            ],
        )

        tg_entries = [(start, tg)]
        # enrolments: one programme, every fourth young person a second one afterwards
        prog = self.programmes[i % len(self.programmes)]
        enrol_start = start + timedelta(days=7 + rng.randint(0, 14))
        enrolments = [(prog, enrol_start)]
        if i % 4 == 1:
            second = self.programmes[(i + 2) % len(self.programmes)]
            enrolments.append((second, enrol_start + timedelta(weeks=prog.duration_weeks + 2)))
        enrolments = [(p, s) for p, s in enrolments if s < today]

        # outcome: decided by a draw; some are still active
        draw = rng.random()
        leave = enrol_start + timedelta(weeks=rng.randint(10, 40))
        if draw < 0.30:
            outcome = rng.choice(("education", "education", "job"))
        elif draw < 0.40:
            outcome = "self_supporting_other"
        elif draw < 0.52:
            outcome = "target_group_change"
        elif draw < 0.62:
            outcome = rng.choice(("flexjob", "resource_course"))
        elif draw < 0.68:
            outcome = "moved_other"
        else:
            outcome = None
        if outcome and leave >= today:
            outcome = None
        if tg == "activity_ready" and rng.random() < 0.5:
            tg_entries.append((enrol_start + timedelta(weeks=8), "education_ready"))
        tg_entries = [(d, v) for d, v in tg_entries if d <= today]

        acts = []
        for n, (p, s) in enumerate(enrolments):
            eid = sid("enrolment", i, n)
            planned = s + timedelta(weeks=p.duration_weeks) - timedelta(days=1)
            actual = None
            reason = None
            if outcome and leave <= planned:
                actual, reason = leave, ("moved" if outcome == "moved_other" else "other")
            elif planned < today:
                actual, reason = planned, "completed"
            phase_start, spans = s, {}
            for ph in p.phases:
                spans[ph.position] = (phase_start, phase_start + timedelta(weeks=ph.weeks) - timedelta(days=1))
                phase_start += timedelta(weeks=ph.weeks)
            act_ids = []
            for pa in p.activities:
                first, last = spans.get(pa.phase_position, (s, planned))
                last = min(last, actual or last)
                if last < first:
                    continue
                aid = sid("activity", i, n, pa.position)
                act_ids.append(aid)
                acts.append(
                    {
                        "entity": "activity",
                        "id": aid,
                        "data": {
                            "youth_id": yid,
                            "organization_id": p.organization_id or self.orgs["Jobcenter"],
                            "title": f"{p.name}: {pa.title}",
                            "weekdays": pa.weekdays,
                            "start_time": pa.start_time,
                            "end_time": pa.end_time,
                            "start_date": first.isoformat(),
                            "end_date": last.isoformat(),
                            "location": pa.location,
                            "visibility": "shared",
                        },
                    }
                )
            if db.session.get(Enrolment, eid) is None:
                db.session.add(
                    Enrolment(
                        id=eid,
                        youth_id=yid,
                        programme_id=p.id,
                        start_date=s,
                        planned_end_date=planned,
                        actual_end_date=actual,
                        end_reason=reason,
                        activity_ids=act_ids,
                        recorded_by_user_id=self.ahmed.id,
                        created_at=self._instant(s),
                    )
                )
        self.push(f"activities-{i}", acts)

        # attendance on the programme activities (at most 2 days a week), agreements every other week
        att, agr = [], []
        attend_p = 0.6 + rng.random() * 0.35
        for a in acts:
            d = date.fromisoformat(a["data"]["start_date"])
            end = min(date.fromisoformat(a["data"]["end_date"]), today - timedelta(days=1))
            days = a["data"]["weekdays"][:2]
            while d <= end:
                if occurs_on(days, None, None, d):
                    r = rng.random()
                    status = (
                        "present"
                        if r < attend_p
                        else "late"
                        if r < attend_p + 0.05
                        else "absent_notified"
                        if r < attend_p + 0.15
                        else "absent_unnotified"
                    )
                    data = {"youth_id": yid, "activity_id": a["id"], "date": d.isoformat(), "status": status}
                    if status == "absent_notified":
                        data["absence_reason"] = "Syg"
                    att.append({"entity": "attendance", "id": sid("att", a["id"], d), "data": data})
                d += timedelta(days=1)
        self.push(f"attendance-{i}", att)
        end_follow = min(leave if outcome else today, today)
        d, k = start + timedelta(days=3), 0
        while d < end_follow:
            status = "kept" if rng.random() < 0.7 else "not_kept"
            agr.append(
                {
                    "entity": "agreement",
                    "id": sid("agr", i, k),
                    "data": {
                        "youth_id": yid,
                        "organization_id": self.orgs["Jobcenter"],
                        "text": "Møde op til samtale og aktiviteter",
                        "responsible": "youth",
                        "due_date": d.isoformat(),
                        "status": status,
                        "review_note": "Gennemgået med mentor",
                    },
                }
            )
            d += timedelta(days=14)
            k += 1
        self.push(f"agreements-{i}", agr)

        # staff assessments every 6 weeks while followed, mostly on time, improving step by step
        asm = []
        base = {dim.key: rng.randint(2, 5) for dim in DIMENSIONS.dimensions}
        for n, due in enumerate(assessment_due_dates(start, end_follow - timedelta(days=1))):
            late = rng.choice((0, 1, 3, 7, 10, 20, 30))
            submitted = due + timedelta(days=late)
            if submitted >= today or rng.random() < 0.1:
                continue
            scores = {k: max(1, min(10, v + n + rng.randint(-1, 1))) for k, v in base.items()}
            asm.append(
                {
                    "entity": "assessment",
                    "id": sid("asm", i, n),
                    "data": {
                        "youth_id": yid,
                        "organization_id": self.orgs["Jobcenter"],
                        "due_date": due.isoformat(),
                        "rater_role": "staff",
                        "scores": scores,
                        "submitted_at": self._instant(submitted, 14).isoformat(),
                    },
                }
            )
        self.push(f"assessments-{i}", asm)

        for n, (d, v) in enumerate(tg_entries):
            self._history(TargetGroupChange, sid("tg", i, n), yid, d, target_group=v)
        if outcome:
            self._history(OutcomeChange, sid("outcome", i, 0), yid, leave, outcome=outcome)
            if outcome in ("education", "job") and rng.random() < 0.25:
                back = leave + timedelta(days=rng.randint(40, 150))
                if back < today:  # dropped out again and came back
                    self._history(OutcomeChange, sid("outcome", i, 1), yid, back, outcome="active")
        db.session.commit()
        cur_tg = tg_entries[-1][1] if tg_entries else None
        cur_out = (
            db.session.scalar(
                select(OutcomeChange.outcome)
                .where(OutcomeChange.youth_id == yid)
                .order_by(OutcomeChange.valid_from.desc(), OutcomeChange.recorded_at.desc())
                .limit(1)
            )
            or "active"
        )
        youth = db.session.get(Youth, yid)
        if youth.target_group != cur_tg or youth.outcome != cur_out:
            self.push(
                f"youth-status-{i}",
                [
                    {
                        "entity": "youth",
                        "id": yid,
                        "base_version": youth.version,
                        "data": {"youth_id": yid, "target_group": cur_tg, "outcome": cur_out},
                    }
                ],
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
                    recorded_at=self._instant(d),
                    **value,
                )
            )

    @staticmethod
    def _instant(d: date, hour: int = 10) -> datetime:
        return datetime.combine(d, time(hour, 0), tzinfo=UTC)
