"""Agreements (the young person's and staff's own), their reviews, and the organisation-only items.

docs/demo.md says who sees the organisation-only items (issue 9).
"""

from __future__ import annotations

from datetime import timedelta

from backend.extensions import db
from backend.models import Agreement, Attendance
from backend.seed.base import rid
from shared.schedule import ASSESSMENT_INTERVAL_DAYS

# writer, young person, key, organisation, text, responsible, due in days, responsible staff member
AGREEMENTS = (
    ("mentor.lise", "ung.mads", "tandlaege", "Jobcenter", "Ringe til tandlægen og bestille tid", "youth", 0, None),
    (
        "mentor.lise", "ung.mads", "dokumentation", "Jobcenter", "Sende lægeerklæring for fraværet til jobcentret",
        "youth", -2, None,
    ),
    ("mentor.lise", "ung.mads", "moedetid", "Jobcenter", "Møde kl. 8.30 i praktikken hele ugen", "youth", -7, None),
    ("mentor.lise", "ung.mads", "eboks", "Jobcenter", "Tjekke e-Boks hver dag", "youth", -10, None),
    (
        "mentor.lise", "ung.mads", "laerlingeplads", "Jobcenter", "Lise spørger Holm Byg om mulighed for lærlingeplads",
        "staff", 3, "mentor.lise",
    ),
    (
        "mentor.lise", "ung.mads", "foelge", "Jobcenter", "Lise følger Mads til første brobygningsdag",
        "staff", -21, "mentor.lise",
    ),
    (
        "mentor.lise", "ung.mads", "klash", "Jobcenter",
        "Ahmed finder en ny tid, så torsdagens aftaler ikke ligger oven i hinanden", "staff", 1, "tovholder.ahmed",
    ),
    ("mentor.lise", "ung.sara", "foetex", "Jobcenter", "Sende ansøgning til butikken på Torvet", "youth", 0, None),
    ("mentor.lise", "ung.sara", "cv", "Jobcenter", "Opdatere CV på Jobnet", "youth", -14, None),
    ("mentor.lise", "ung.sara", "meld", "Jobcenter", "Melde fra før kl. 9, hvis du er syg", "youth", -8, None),
    (
        "mentor.lise", "ung.sara", "butikschef", "Jobcenter",
        "Lise ringer til butikschefen om forlængelse af praktikken", "staff", 2, "mentor.lise",
    ),
    (
        "bostotte.peter", "ung.mads", "betalingsservice", "Bostøtte", "Tilmelde husleje og el til Betalingsservice",
        "youth", 5, None,
    ),
    (
        "uu.karen", "ung.sara", "optagelse", "UU", "Se handelsskolens åbent hus-datoer og vælge en",
        "youth", -1, None,
    ),
)  # fmt: skip

# The mentor's reviews: young person, key, status, note, days ago
REVIEWS = (
    ("ung.mads", "moedetid", "kept", "Mødte til tiden alle dage. Flot!", 6),
    ("ung.mads", "eboks", "not_kept", "Har ikke fået tjekket. Vi sætter en daglig påmindelse på telefonen.", 9),
    ("ung.mads", "foelge", "kept", "Fulgtes ad første dag. Mads var glad for værkstedet.", 21),
    ("ung.sara", "cv", "kept", "CV ligger på Jobnet og er sendt til to butikker.", 13),
    ("ung.sara", "meld", "not_kept", "Meldte fra kl. 10.30 – vi øver at ringe i stedet for at skrive.", 7),
)


class AgreementSteps:
    """The seeder's agreement and organisation-only steps (mixed into `_Seeder`)."""

    def agreement(self, y, key, org, text, responsible, due_days, responsible_user=None) -> dict:
        staff = self.user(responsible_user).id if responsible_user else None
        due = (self.today + timedelta(days=due_days)).isoformat()
        return self.owned(
            "agreement", y, key, org, text=text, responsible=responsible, responsible_user_id=staff, due_date=due
        )

    def review(self, y, key, status, note, days_ago) -> dict:
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
        for writer in dict.fromkeys(row[0] for row in AGREEMENTS):
            self.send(writer, "agreements", [self.agreement(*row[1:]) for row in AGREEMENTS if row[0] == writer])
        self.send("mentor.lise", "agreement_review", [self.review(*row) for row in REVIEWS])
        comment = "Har ringet, men de havde lukket. Prøver igen i morgen."
        tandlaege = rid("ung.mads", "agreement", "tandlaege")
        self.send(
            "ung.mads",
            "agreement_comment",
            [{"entity": "agreement", "id": tandlaege, "base_version": 1, "data": {"youth_comment": comment}}],
        )

    def private_items(self) -> None:
        """One organisation-only item of every kind: agreement, assessment comment, outreach, attendance note."""
        mads = self.youth["ung.mads"]
        nina_org = self.org["Rusmiddelcenter"]
        next_monday = self.today + timedelta(days=(7 - self.today.weekday()) % 7 or 7)
        agreement = {
            "youth_id": mads,
            "organization_id": nina_org,
            "text": "Aflevere urinprøve hver mandag",
            "responsible": "youth",
            "due_date": next_monday.isoformat(),
            "visibility": "organization",
        }
        urin = rid("ung.mads", "agreement", "urinproeve")
        self.send("behandler.nina", "private_agreement", [{"entity": "agreement", "id": urin, "data": agreement}])
        due = self.start + timedelta(days=ASSESSMENT_INTERVAL_DAYS)
        assessment = {
            "youth_id": mads,
            "organization_id": nina_org,
            "due_date": due.isoformat(),
            "rater_role": "staff",
            "scores": self.scores("ung.mads", "staff", 0),
            "comment": "Positiv urinprøve. Vi tager det op i behandlingen – ikke et brud på planen.",
            "comment_visibility": "organization",
            "submitted_at": self.at(due - timedelta(days=1), "14:00"),
        }
        a_id = rid("ung.mads", "assessment", "behandling", "1")
        self.send("behandler.nina", "private_assessment", [{"entity": "assessment", "id": a_id, "data": assessment}])
        self._private_outreach(mads)
        self._private_attendance_note()

    def _private_outreach(self, mads: str) -> None:
        outreach = {
            "youth_id": mads,
            "organization_id": self.org["Jobcenter"],
            "method": "call",
            "reached": True,
            "note": "Talte med Mads' mor om hans søvn og helbred. Kun jobcentret.",
            "contacted_at": self.at(self.today - timedelta(days=1), "15:30"),
            "visibility": "organization",
        }
        o_id = rid("ung.mads", "outreach", "privat")
        self.send("mentor.lise", "private_outreach", [{"entity": "outreach", "id": o_id, "data": outreach}])

    def _private_attendance_note(self) -> None:
        """The latest home visit: the status is common, Bostøtte keeps its note to itself."""
        act_id = rid("ung.mads", "activity", "hjemmebesoeg")
        day = next(
            self.today - timedelta(days=k) for k in range(1, 8) if (self.today - timedelta(days=k)).weekday() == 1
        )
        att = db.session.get(Attendance, rid("ung.mads", "attendance", act_id, day.isoformat()))
        if att is None:
            return
        note = {
            "note": "Ubetalte regninger på bordet; vi lavede en plan for dem. Kun bostøtten.",
            "note_visibility": "organization",
        }
        change = {"entity": "attendance", "id": att.id, "base_version": att.version, "data": note}
        self.send("bostotte.peter", "private_attendance_note", [change], today=day)
