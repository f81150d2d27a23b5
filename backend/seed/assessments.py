"""The 6-weekly assessments: the young person's own scores and the mentor's, side by side."""

from __future__ import annotations

from datetime import timedelta

from backend.seed.base import CONSENTS, rid
from shared.dimensions import DIMENSIONS
from shared.schedule import ASSESSMENT_INTERVAL_DAYS

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


class AssessmentSteps:
    """The seeder's assessment step (mixed into `_Seeder`)."""

    PROFILES = PROFILES

    def scores(self, y: str, rater: str, n: int) -> dict:
        profile = PROFILES[y][rater][n]
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
                            "comment": PROFILES[y]["comments"]["youth"][n],
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
                            "comment": PROFILES[y]["comments"]["staff"][n],
                            "submitted_at": self.at(due - timedelta(days=1), "11:45"),
                        },
                    }
                )
            self.send(y, "assessment_youth", own)
        # The marker of a complete seed (Sara's second staff assessment) is written last.
        staff.sort(key=lambda m: m["id"] == self.final_marker())
        self.send("mentor.lise", "assessment_staff", staff)
