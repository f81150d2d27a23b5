"""Demo data for issue 14 (an `EXTRA_SEEDERS` entry, after the core demo): Mads' and Sara's own words
at the top of their plans, their proposed sub-goals and the answers, and Mads' "Jeg er enig".

Written through the sync engine as the real users would (`backend.seed._Seeder.send`: idempotent,
deterministic ids, a refused step fails loudly).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from backend import clock
from backend.extensions import db
from backend.models import GoalProposal, Organization, Plan
from backend.seed.base import rid
from backend.seed.seeder import _Seeder
from shared.hours import previous_months

MADS_WORDS = {
    "youth_wish": "Jeg vil være tømrer og bygge rigtige huse. Jeg vil tjene mine egne penge.",
    "youth_strengths": "Jeg er god med hænderne og til at måle op. Jeg er stærk og hjælper gerne andre.",
    "youth_barriers": "Det er svært at komme op om morgenen. Lange tekster stresser mig.",
}
SARA_WORDS = {
    "youth_wish": "Jeg vil arbejde i en butik, gerne med tøj.",
    "youth_strengths": "Jeg er god til at holde orden og hjælpe kunder, når jeg først er i gang.",
    "youth_barriers": "Jeg bliver nervøs, når jeg skal tale med nye mennesker. Bussen om morgenen er svær.",
}


def seed_voice(today: date | None = None) -> str | None:
    """The young people's own words and proposals in the demo (skips what an earlier run wrote)."""
    s = _Seeder(today or clock.today())
    youth = {y: s.user(y) for y in ("ung.mads", "ung.sara")}
    if any(u is None for u in youth.values()):
        return None
    mads_plan, sara_plan = rid("ung.mads", "plan"), rid("ung.sara", "plan")
    if db.session.get(Plan, mads_plan) is None or db.session.get(Plan, sara_plan) is None:
        return None
    mads_id = db.session.get(Plan, mads_plan).youth_id
    sara_id = db.session.get(Plan, sara_plan).youth_id
    s.send(
        "ung.mads",
        "voice_words",
        [{"entity": "plan", "id": mads_plan, "base_version": _version(Plan, mads_plan), "data": MADS_WORDS}],
    )
    # Sara dictated hers to her mentor
    s.send(
        "mentor.lise",
        "voice_words",
        [{"entity": "plan", "id": sara_plan, "base_version": _version(Plan, sara_plan), "data": SARA_WORDS}],
    )
    mads_prop, sara_prop = rid("ung.mads", "proposal", "byggeplads"), rid("ung.sara", "proposal", "bus")
    s.send(
        "ung.mads",
        "voice_proposal",
        [
            {
                "entity": "goal_proposal",
                "id": mads_prop,
                "data": {"youth_id": mads_id, "text": "Prøve at arbejde på en rigtig byggeplads"},
            }
        ],
    )
    s.send(
        "ung.sara",
        "voice_proposal",
        [
            {
                "entity": "goal_proposal",
                "id": sara_prop,
                "data": {"youth_id": sara_id, "text": "Lære at tage bussen alene til praktikken"},
            }
        ],
    )
    goal_id = rid("ung.mads", "goal", "byggeplads")
    s.send(
        "mentor.lise",
        "voice_answer",
        [
            {
                "entity": "goal",
                "id": goal_id,
                "data": {
                    "youth_id": mads_id,
                    "visibility": "shared",
                    "organization_id": db.session.scalar(
                        select(Organization.id).where(Organization.name == "Jobcenter")
                    ),
                    "title": "En dag på en byggeplads med tømrerværkstedets sjak",
                    "description": "Mads' eget forslag, aftalt sammen med ham.",
                },
            },
            {
                "entity": "goal_proposal",
                "id": mads_prop,
                "base_version": _version(GoalProposal, mads_prop),
                "data": {
                    "status": "reworded",
                    "goal_id": goal_id,
                    "answer": "Godt forslag! Vi starter med én dag sammen med sjakket fra værkstedet.",
                },
            },
        ],
    )
    revision = db.session.get(Plan, mads_plan).revision
    s.send(
        "ung.mads",
        "voice_agree",
        [
            {
                "entity": "plan",
                "id": mads_plan,
                "base_version": _version(Plan, mads_plan),
                "data": {"youth_answer": "agree", "youth_answer_comment": "", "youth_answer_revision": revision},
            }
        ],
    )
    _steps(s, mads_id, sara_id)
    _company_and_hours(s, mads_id)
    db.session.remove()
    return (
        "Trinmodel og egne ord: Mads' og Saras egne ord, forslag til delmål og Mads' svar på planen; "
        "Mads på trin 3 med aftale med tømrerværkstedet og timer over 30 i sidste måned, Sara på trin 2."
    )


STEP_MOVES = {
    # young person: [(weeks after the plan's start, step, why)]
    "ung.mads": [
        (0, "afklaring", "Første samtale i projektet. Mads vil være tømrer."),
        (3, "paa_vej_mod_job", "CV er lavet, jobønsket er tømrer, Lise er hans jobformidler."),
        (
            6,
            "virksomhedsforloeb",
            "Praktikaftale med tømrerværkstedet: opgaver, timer, kontaktperson og opfølgningsplan er på plads.",
        ),
    ],
    "ung.sara": [
        (0, "afklaring", "Første samtale. Sara vil arbejde i en butik."),
        (5, "paa_vej_mod_job", "CV ligger på Jobnet, jobønsket er detailhandel. Vi søger en butik."),
    ],
}


def _steps(s: _Seeder, mads_id: str, sara_id: str) -> None:
    """Mads in trin 3 (virksomhedsforløb), Sara in trin 2 (på vej mod job), moved by the coordinator."""
    ids = {"ung.mads": mads_id, "ung.sara": sara_id}
    muts = []
    for y, moves in STEP_MOVES.items():
        for weeks, step, reason in moves:
            muts.append(
                {
                    "entity": "step_change",
                    "id": rid(y, "step", step),
                    "data": {
                        "youth_id": ids[y],
                        "step": step,
                        "reason": reason,
                        "valid_from": (s.start + timedelta(weeks=weeks)).isoformat(),
                    },
                }
            )
    s.send("tovholder.ahmed", "steps", muts)


def _version(model, record_id: str) -> int | None:
    row = db.session.get(model, record_id)
    return row.version if row is not None else None


def _company_and_hours(s: _Seeder, mads_id: str) -> None:
    """Mads' agreement with the carpentry workshop (from his move to trin 3), monthly follow-ups, and
    his ordinary hours: 12, 22 and 31.5 the last three months (crossing 30), this month week by week."""
    jobcenter = db.session.scalar(select(Organization.id).where(Organization.name == "Jobcenter"))
    start = s.start + timedelta(weeks=6)
    agreement = rid("ung.mads", "company_agreement", "holm")
    ups, day, n = [], start + timedelta(days=14), 0
    notes = ("Godt i gang. Jens roser hans opmåling.", "Træt om mandagen – vi flytter mødetiden til kl. 8.30.")
    while day <= s.today + timedelta(days=31):
        done = day < s.today
        ups.append(
            {
                "entity": "placement_follow_up",
                "id": rid("ung.mads", "placement_follow_up", day.isoformat()),
                "data": {
                    "youth_id": mads_id,
                    "company_agreement_id": agreement,
                    "due_date": day.isoformat(),
                    "done_date": day.isoformat() if done else None,
                    "note": notes[n % 2] if done else "",
                },
            }
        )
        day, n = day + timedelta(days=28), n + 1
    s.send(
        "mentor.lise",
        "company_agreement",
        [
            {
                "entity": "company_agreement",
                "id": agreement,
                "data": {
                    "youth_id": mads_id,
                    "organization_id": jobcenter,
                    "visibility": "shared",
                    "activity_id": rid("ung.mads", "activity", "praktik"),
                    "company": "Holm Byg & Tømrer (tømrerværkstedet)",
                    "contact_name": "Jens Holm",
                    "contact_phone": "+45 40 12 34 56",
                    "hours_per_week": 10.5,
                    "hours_spread": "mandag, tirsdag og torsdag kl. 8.30–12",
                    "tasks": "Opmåling, tilskæring og slibning; oprydning på værkstedet",
                    "workplace_support": "Fast makker: svend Ali. Jens er kontaktperson.",
                    "health_considerations": "Ingen tunge løft over 20 kg de første uger (ryg).",
                    "start_date": start.isoformat(),
                },
            }
        ],
    )
    s.send("mentor.lise", "placement_follow_up", ups)
    months = previous_months(s.today, 4)
    muts = [
        {
            "entity": "work_hours",
            "id": rid("ung.mads", "hours", f"{y}-{m}"),
            "data": {
                "youth_id": mads_id,
                "organization_id": jobcenter,
                "company_agreement_id": agreement,
                "period": "month",
                "period_start": date(y, m, 1).isoformat(),
                "ordinary_hours": hours,
                "supported_hours": supported,
                "note": "Tal fra Jens Holm",
            },
        }
        for (y, m), hours, supported in zip(months[:3], (12, 22, 31.5), (30, 24, 16), strict=True)
    ]
    monday = s.monday_before(date(*months[-1], 1))
    while monday <= s.today:
        muts.append(
            {
                "entity": "work_hours",
                "id": rid("ung.mads", "hours", monday.isoformat()),
                "data": {
                    "youth_id": mads_id,
                    "organization_id": jobcenter,
                    "company_agreement_id": agreement,
                    "period": "week",
                    "period_start": monday.isoformat(),
                    "ordinary_hours": 8,
                    "supported_hours": 3,
                    "note": "",
                },
            }
        )
        monday += timedelta(days=7)
    s.send("mentor.lise", "work_hours", muts)
