"""Demo data for issue 14 (an `EXTRA_SEEDERS` entry, after the core demo): Mads' and Sara's own words
at the top of their plans, their proposed sub-goals and the answers, and Mads' "Jeg er enig".

Written through the sync engine as the real users would (`backend.seed._Seeder.send`: idempotent,
deterministic ids, a refused step fails loudly).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

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
# (who writes, whose plan, the words): Sara dictated hers to her mentor
WORDS = (("ung.mads", "ung.mads", MADS_WORDS), ("mentor.lise", "ung.sara", SARA_WORDS))
# young person: (proposal key, the proposal in their words)
PROPOSALS = {
    "ung.mads": ("byggeplads", "Prøve at arbejde på en rigtig byggeplads"),
    "ung.sara": ("bus", "Lære at tage bussen alene til praktikken"),
}
MADS_GOAL = {
    "title": "En dag på en byggeplads med tømrerværkstedets sjak",
    "description": "Mads' eget forslag, aftalt sammen med ham.",
}
MADS_ANSWER = "Godt forslag! Vi starter med én dag sammen med sjakket fra værkstedet."

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

AGREEMENT_WEEKS = 6  # the agreement starts with Mads' move to trin 3
AGREEMENT = {
    "company": "Holm Byg & Tømrer (tømrerværkstedet)",
    "contact_name": "Jens Holm",
    "contact_phone": "+45 40 12 34 56",
    "hours_per_week": 10.5,
    "hours_spread": "mandag, tirsdag og torsdag kl. 8.30–12",
    "tasks": "Opmåling, tilskæring og slibning; oprydning på værkstedet",
    "workplace_support": "Fast makker: svend Ali. Jens er kontaktperson.",
    "health_considerations": "Ingen tunge løft over 20 kg de første uger (ryg).",
}
FOLLOW_UP_NOTES = ("Godt i gang. Jens roser hans opmåling.", "Træt om mandagen – vi flytter mødetiden til kl. 8.30.")
# the last three months: (ordinary hours, supported hours), crossing 30 in the last
MONTHLY_HOURS = ((12, 30), (22, 24), (31.5, 16))
WEEKLY_HOURS = (8, 3)  # this month, week by week


def seed_voice(today: date | None = None) -> str | None:
    """The young people's own words and proposals in the demo (skips what an earlier run wrote)."""
    s = _Seeder(today or clock.today())
    if any(s.user(y) is None for y in PROPOSALS):
        return None
    plans = {y: db.session.get(Plan, rid(y, "plan")) for y in PROPOSALS}
    if any(p is None for p in plans.values()):
        return None
    ids = {y: p.youth_id for y, p in plans.items()}
    for writer, y, words in WORDS:
        s.send(writer, "voice_words", [_plan_change(y, words)])
    for y, (key, text) in PROPOSALS.items():
        proposal = {"youth_id": ids[y], "text": text}
        s.send(y, "voice_proposal", [_mutation("goal_proposal", rid(y, "proposal", key), proposal)])
    _answer_mads(s, ids["ung.mads"])
    revision = db.session.get(Plan, rid("ung.mads", "plan")).revision
    answer = {"youth_answer": "agree", "youth_answer_comment": "", "youth_answer_revision": revision}
    s.send("ung.mads", "voice_agree", [_plan_change("ung.mads", answer)])
    _steps(s, ids)
    _company_and_hours(s, ids["ung.mads"])
    db.session.remove()
    return (
        "Trinmodel og egne ord: Mads' og Saras egne ord, forslag til delmål og Mads' svar på planen; "
        "Mads på trin 3 med aftale med tømrerværkstedet og timer over 30 i sidste måned, Sara på trin 2."
    )


def _mutation(entity: str, record_id: str, data: dict[str, Any], model: Any = None) -> dict[str, Any]:
    """One sync mutation; with `model`, written from the record's current version."""
    mutation: dict[str, Any] = {"entity": entity, "id": record_id}
    if model is not None:
        mutation["base_version"] = _version(model, record_id)
    mutation["data"] = data
    return mutation


def _plan_change(youth: str, data: dict[str, Any]) -> dict[str, Any]:
    return _mutation("plan", rid(youth, "plan"), data, Plan)


def _answer_mads(s: _Seeder, mads_id: str) -> None:
    """Lise turns Mads' proposal into a shared goal, reworded, and answers him."""
    goal_id = rid("ung.mads", "goal", "byggeplads")
    goal = {"youth_id": mads_id, "visibility": "shared", "organization_id": _jobcenter(), **MADS_GOAL}
    answer = {"status": "reworded", "goal_id": goal_id, "answer": MADS_ANSWER}
    proposal = rid("ung.mads", "proposal", PROPOSALS["ung.mads"][0])
    muts = [_mutation("goal", goal_id, goal), _mutation("goal_proposal", proposal, answer, GoalProposal)]
    s.send("mentor.lise", "voice_answer", muts)


def _jobcenter() -> str | None:
    return db.session.scalar(select(Organization.id).where(Organization.name == "Jobcenter"))


def _steps(s: _Seeder, ids: dict[str, str]) -> None:
    """Mads in trin 3 (virksomhedsforløb), Sara in trin 2 (på vej mod job), moved by the coordinator."""
    muts = [
        _mutation(
            "step_change",
            rid(y, "step", step),
            {
                "youth_id": ids[y],
                "step": step,
                "reason": reason,
                "valid_from": (s.start + timedelta(weeks=weeks)).isoformat(),
            },
        )
        for y, moves in STEP_MOVES.items()
        for weeks, step, reason in moves
    ]
    s.send("tovholder.ahmed", "steps", muts)


def _version(model: Any, record_id: str) -> int | None:
    row = db.session.get(model, record_id)
    return row.version if row is not None else None


def _company_and_hours(s: _Seeder, mads_id: str) -> None:
    """Mads' agreement with the carpentry workshop (from his move to trin 3), monthly follow-ups, and
    his ordinary hours: 12, 22 and 31.5 the last three months (crossing 30), this month week by week."""
    jobcenter = _jobcenter()
    start = s.start + timedelta(weeks=AGREEMENT_WEEKS)
    agreement = rid("ung.mads", "company_agreement", "holm")
    data = {
        "youth_id": mads_id,
        "organization_id": jobcenter,
        "visibility": "shared",
        "activity_id": rid("ung.mads", "activity", "praktik"),
        **AGREEMENT,
        "start_date": start.isoformat(),
    }
    s.send("mentor.lise", "company_agreement", [_mutation("company_agreement", agreement, data)])
    s.send("mentor.lise", "placement_follow_up", _follow_ups(s, mads_id, agreement, start))
    s.send(
        "mentor.lise",
        "work_hours",
        _hours(s, {"youth_id": mads_id, "organization_id": jobcenter, "company_agreement_id": agreement}),
    )


def _follow_ups(s: _Seeder, mads_id: str, agreement: str, start: date) -> list[dict[str, Any]]:
    """Every four weeks from two weeks in until a month ahead; the past ones done, with a note."""
    ups, day, n = [], start + timedelta(days=14), 0
    while day <= s.today + timedelta(days=31):
        done = day < s.today
        data = {
            "youth_id": mads_id,
            "company_agreement_id": agreement,
            "due_date": day.isoformat(),
            "done_date": day.isoformat() if done else None,
            "note": FOLLOW_UP_NOTES[n % 2] if done else "",
        }
        ups.append(_mutation("placement_follow_up", rid("ung.mads", "placement_follow_up", day.isoformat()), data))
        day, n = day + timedelta(days=28), n + 1
    return ups


def _hours(s: _Seeder, owner: dict[str, Any]) -> list[dict[str, Any]]:
    """The last three months' hours, then this month's week by week."""
    months = previous_months(s.today, 4)

    def entry(key: str, period: str, start: date, hours: tuple[float, float], note: str) -> dict[str, Any]:
        data = {
            **owner,
            "period": period,
            "period_start": start.isoformat(),
            "ordinary_hours": hours[0],
            "supported_hours": hours[1],
            "note": note,
        }
        return _mutation("work_hours", rid("ung.mads", "hours", key), data)

    muts = [
        entry(f"{y}-{m}", "month", date(y, m, 1), hours, "Tal fra Jens Holm")
        for (y, m), hours in zip(months[:3], MONTHLY_HOURS, strict=True)
    ]
    monday = s.monday_before(date(*months[-1], 1))
    while monday <= s.today:
        muts.append(entry(monday.isoformat(), "week", monday, WEEKLY_HOURS, ""))
        monday += timedelta(days=7)
    return muts
