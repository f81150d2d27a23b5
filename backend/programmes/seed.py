"""Demo data for programmes and results: the municipality's catalogue and two years of history.

`seed_programmes()` is idempotent and deterministic for a given day: fixed random seed, uuid5
ids, and a mutation already applied is not sent again. It adds 36 young people (beyond Mads and
Sara) in tovholder.ahmed's caseload, with plans, target groups, enrolments (some in two
programmes), the programme activities in their schedule, attendance, agreements, 6-weekly staff
assessments and outcomes over the last 24 months — some leave for education or a job, some for
other benefits, some move away, some are still active.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from backend import clock
from backend.extensions import db
from backend.models import Organization, User, Youth
from backend.programmes.catalogue import CATALOGUE, KIK_II_SOURCE, KIK_II_TARGETS, THEORY_FIELDS
from backend.programmes.models import (
    Enrolment,
    ExpectedEffect,
    OutcomeChange,
    Programme,
    ProgrammeActivity,
    ProgrammePhase,
    TargetGroupTarget,
)
from backend.programmes.seed_history import EXTRA_YOUTH, History, sid

__all__ = ["EXTRA_YOUTH", "seed_programmes", "sid"]


def seed_programmes(today: date | None = None) -> str:
    """Create the catalogue and the demo history (idempotent); returns a Danish summary line."""
    today = today or clock.today()
    n_prog = _catalogue()
    _targets(today)
    ahmed = db.session.scalar(select(User).where(User.username == "tovholder.ahmed"))
    if ahmed is None:
        return f"Tilbudsvifte: {n_prog} nye forløb (ingen tovholder.ahmed, så ingen demo-historik)."
    _private_enrolment(ahmed, today)
    db.session.commit()
    marker = sid("outcome", EXTRA_YOUTH - 1, "final")
    if db.session.get(OutcomeChange, marker) is not None:
        return f"Tilbudsvifte og resultater: {n_prog} nye forløb; demo-historikken fandtes allerede."
    sent = History(today, ahmed).run()
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
