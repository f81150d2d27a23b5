"""The job centre's three-step model (indsatsmodellen: trin 1 afklaring → trin 2 på vej mod job →
trin 3 virksomhedsforløb), in plain Danish, and pure rules on a young person's step history.

Source: the indsatsmodel of "Uddannelses- og jobgaranti i ghettoer og udsatte boligområder"
(/work/shared/sources/002_fd3fe954572bc76c.txt). The exit criteria below follow it; where issue 14
says otherwise, the source is followed (see docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Step(StrEnum):
    AFKLARING = "afklaring"
    PAA_VEJ_MOD_JOB = "paa_vej_mod_job"
    VIRKSOMHEDSFORLOEB = "virksomhedsforloeb"
    IKKE_I_TRINMODELLEN = "ikke_i_trinmodellen"


@dataclass(frozen=True)
class StepInfo:
    key: str
    number: int | None
    name: str  # plain Danish, for the young person too
    purpose: str
    exit_criteria: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"Trin {self.number}: {self.name}" if self.number else self.name


STEPS: dict[str, StepInfo] = {
    s.key: s
    for s in (
        StepInfo(
            Step.AFKLARING,
            1,
            "Afklaring",
            "Vi finder ud af, hvilket job eller område du gerne vil arbejde med, og hvad du er god til.",
            (
                "Du er visiteret til forløbet.",
                "Du har lavet et CV om det, du kan og har lyst til.",
                "Du har sat retning på dit ønske om job eller jobområde.",
                "Du har fået en fast jobformidler.",
            ),
        ),
        StepInfo(
            Step.PAA_VEJ_MOD_JOB,
            2,
            "På vej mod job",
            "Du kommer ud på en arbejdsplads – gerne med ordinære timer fra start, måske sammen med praktik.",
            (
                "Der er en aftale mellem dig og en virksomhed om ansættelse eller praktik.",
                "Der er en plan for, hvordan vi følger op.",
                "Du har en fast kontaktperson på arbejdspladsen.",
            ),
        ),
        StepInfo(
            Step.VIRKSOMHEDSFORLOEB,
            3,
            "Virksomhedsforløb",
            "Du bliver på arbejdspladsen og får flere ordinære timer. Vi følger op mindst én gang om måneden.",
            (
                "Du har mindst 30 ordinære timer om måneden (ca. 5–6 timer om ugen),",
                "eller du forsørger dig selv med job eller uddannelse.",
                "Stopper forløbet på arbejdspladsen, går du tilbage til trin 2 og finder et nyt sted.",
            ),
        ),
        StepInfo(
            Step.IKKE_I_TRINMODELLEN,
            None,
            "Ikke i trinmodellen",
            "Du følger en anden vej, fx mod uddannelse, og bruger ikke trinmodellen lige nu.",
            (),
        ),
    )
}

STEP_ORDER = tuple(STEPS)


def step_info(key: str | None) -> StepInfo | None:
    return STEPS.get(key or "")


@dataclass(frozen=True)
class StepChange:
    """One move of a young person's step (from a record: step, valid_from, changed_at for ties)."""

    step: str
    valid_from: date
    order: str = ""  # e.g. the change's ISO timestamp: the later of two moves on one day wins


def current_step(changes: list[StepChange], day: date) -> str | None:
    """The step on `day`: the latest change that took effect on or before it (None: never placed)."""
    valid = [c for c in changes if c.valid_from <= day]
    if not valid:
        return None
    return max(valid, key=lambda c: (c.valid_from, c.order)).step


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def per_step_per_month(
    histories: dict[str, list[StepChange]], months: list[tuple[int, int]], today: date
) -> dict[tuple[int, int], dict[str, int]]:
    """Young people per step per month: each counted in the step they were in at the month's end
    (today for the running month); those never placed by then are not counted."""
    out: dict[tuple[int, int], dict[str, int]] = {}
    for ym in months:
        day = min(month_end(*ym), today)
        counts = dict.fromkeys(STEP_ORDER, 0)
        for changes in histories.values():
            step = current_step(changes, day)
            if step in counts:
                counts[step] += 1
        out[ym] = counts
    return out
