"""The progression dimensions scored every 6 weeks (1–10), with Danish step descriptions.

The set is the same for every agency so that UU, the job centre, bostøtte and treatment talk
about the same things. A municipality may configure its own set (TRINVIS_DIMENSIONS_FILE, JSON
in the same shape); the default is below.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

SCORE_MIN = 1
SCORE_MAX = 10


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    question: str
    # step descriptions for 1–3, 4–6, 7–8, 9–10
    steps: tuple[str, str, str, str]
    staff_only: bool = False

    def step_text(self, score: int) -> str:
        """The Danish description of the step group a score falls in."""
        if score <= 3:
            return self.steps[0]
        if score <= 6:
            return self.steps[1]
        if score <= 8:
            return self.steps[2]
        return self.steps[3]


DEFAULT_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "hverdagsmestring",
        "Hverdagen",
        "Hvordan klarer du din hverdag?",
        (
            "Jeg har svært ved at få hverdagen til at hænge sammen (søvn, mad, regninger).",
            "Nogle dage går det, andre dage går det ikke.",
            "Jeg klarer det meste selv, men har brug for lidt hjælp.",
            "Jeg har styr på min hverdag.",
        ),
    ),
    Dimension(
        "fremmoede",
        "Fremmøde",
        "Hvor godt kommer du af sted?",
        (
            "Jeg kommer sjældent af sted.",
            "Jeg kommer af sted nogle gange, men ikke hver gang.",
            "Jeg kommer næsten altid og melder fra, hvis jeg ikke kan.",
            "Jeg kommer stabilt og til tiden.",
        ),
    ),
    Dimension(
        "helbred_trivsel",
        "Helbred og trivsel",
        "Hvordan har du det med krop og sind?",
        (
            "Jeg har det rigtig skidt.",
            "Jeg har det svingende.",
            "Jeg har det for det meste godt.",
            "Jeg har det godt.",
        ),
    ),
    Dimension(
        "sociale_kompetencer",
        "Samvær med andre",
        "Hvordan går det med at være sammen med andre?",
        (
            "Det er meget svært for mig at være sammen med andre.",
            "Det går med nogle få, jeg kender.",
            "Det går fint i de fleste situationer.",
            "Jeg har let ved at være sammen med andre.",
        ),
    ),
    Dimension(
        "netvaerk",
        "Netværk",
        "Har du nogen, der støtter dig?",
        (
            "Jeg har ingen at gå til.",
            "Jeg har en enkelt eller to.",
            "Jeg har nogle stykker, jeg kan regne med.",
            "Jeg har et godt netværk omkring mig.",
        ),
    ),
    Dimension(
        "tro_paa_egne_evner",
        "Tro på mig selv",
        "Hvor meget tror du på, at du kan klare tingene?",
        (
            "Jeg tror ikke, jeg kan.",
            "Jeg tror måske, jeg kan noget af det.",
            "Jeg tror, jeg kan det meste.",
            "Jeg ved, at jeg kan.",
        ),
    ),
    Dimension(
        "realistiske_maal",
        "Mit mål",
        "Hvor klart er dit mål om uddannelse eller job?",
        (
            "Jeg ved ikke, hvad jeg vil.",
            "Jeg har nogle idéer.",
            "Jeg har et mål, og jeg ved nogenlunde, hvad der skal til.",
            "Jeg har et klart mål og en plan for at nå det.",
        ),
    ),
    Dimension(
        "faglige_kompetencer",
        "Faglige ting",
        "Hvordan går det med at læse, regne og andre faglige ting?",
        (
            "Det er meget svært for mig.",
            "Jeg kan noget, men mangler meget.",
            "Jeg kan det meste af det, der skal til.",
            "Jeg er klar til uddannelse eller job.",
        ),
    ),
    Dimension(
        "tro_paa_maalet",
        "Medarbejderens tro på målet",
        "Hvor meget tror du som medarbejder på, at den unge når uddannelse eller job?",
        (
            "Jeg tror ikke på det lige nu.",
            "Jeg tror måske på det.",
            "Jeg tror på det.",
            "Jeg er sikker på det.",
        ),
        staff_only=True,
    ),
)


@dataclass(frozen=True)
class DimensionSet:
    dimensions: tuple[Dimension, ...] = field(default=DEFAULT_DIMENSIONS)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions)

    def for_rater(self, rater_role: str) -> tuple[Dimension, ...]:
        """Dimensions the given rater role scores (the young person skips staff-only ones)."""
        if rater_role == "youth":
            return tuple(d for d in self.dimensions if not d.staff_only)
        return self.dimensions

    def get(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)


def load_dimension_set(path: str | None = None) -> DimensionSet:
    """The municipality's dimension set: from a JSON file if configured, else the default."""
    path = path or os.environ.get("TRINVIS_DIMENSIONS_FILE")
    if not path:
        return DimensionSet()
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    return DimensionSet(
        tuple(Dimension(d["key"], d["title"], d["question"], tuple(d["steps"]), bool(d.get("staff_only"))) for d in raw)
    )


DIMENSIONS = load_dimension_set()
