"""Consents, target groups, the two common plans, their goals (delmål) and activities (parallelindsatser)."""

from __future__ import annotations

from datetime import date, timedelta

from backend.admin import youth_of
from backend.seed.base import CONSENTS, rid

# Each agency writes its own goals, in this order:
# writer, young person, key, organisation, title, description, status, weeks to the target date, visibility
GOALS = (
    (
        "tovholder.ahmed", "ung.mads", "doegnrytme", "Jobcenter", "Fast døgnrytme på hverdage",
        "Op kl. 7 og i seng inden midnat på hverdage, så praktikken kan passes.", "achieved", -4, "shared",
    ),
    (
        "tovholder.ahmed", "ung.mads", "praktik", "Jobcenter", "Møde stabilt i praktik tre dage om ugen",
        "Virksomhedspraktik i tømrerværkstedet mandag, tirsdag og torsdag.", "in_progress", 6, "shared",
    ),
    (
        "tovholder.ahmed", "ung.sara", "ansoegninger", "Jobcenter", "Skrive CV og to ansøgninger om ugen",
        "Ansøgninger til butikker i byen; mentor læser korrektur.", "in_progress", 4, "shared",
    ),
    (
        "tovholder.ahmed", "ung.sara", "helbred", "Jobcenter", "Helbredsafklaring: angst",
        "Samarbejde med egen læge om angst i nye situationer. Kun jobcentret.", "in_progress", 8, "organization",
    ),
    (
        "uu.karen", "ung.mads", "brobygning", "UU", "Gennemføre brobygning på tømreruddannelsen",
        "Brobygning på erhvervsskolen onsdage, så uddannelsen bliver konkret.", "in_progress", 8, "shared",
    ),
    (
        "uu.karen", "ung.mads", "optagelse", "UU", "Søge ind på EUD Tømrer via optagelse.dk",
        "Ansøgningen sendes sammen med UU-vejlederen.", "open", 20, "shared",
    ),
    (
        "uu.karen", "ung.sara", "afklaring", "UU", "Afklare om EUD Detail er vejen til job i butik",
        "Brobygning på handelsskolen og samtale om elevplads.", "in_progress", 10, "shared",
    ),
    (
        "uu.karen", "ung.sara", "ordblind", "UU", "Ordblindetest og læsestøtte",
        "Test er taget; aftale om læsestøtte og IT-rygsæk. Kun UU.", "open", 6, "organization",
    ),
    (
        "bostotte.peter", "ung.mads", "oekonomi", "Bostøtte", "Styr på økonomi og regninger",
        "Budget, betalingsservice og faste tider til at åbne post sammen med bostøtten.", "in_progress", 6, "shared",
    ),
    (
        "bostotte.peter", "ung.mads", "restance", "Bostøtte", "Afdragsordning på huslejerestance",
        "Aftale med boligselskabet, så Mads undgår udsættelse. Kun bostøtten.", "in_progress", 3, "organization",
    ),
    (
        "behandler.nina", "ung.mads", "hash", "Rusmiddelcenter", "Nedsætte hashforbrug",
        "Ambulant behandling (§ 101): ugentlig samtale, mål om røgfri hverdage. Kun behandlingen.",
        "in_progress", 12, "organization",
    ),
)  # fmt: skip

# Each agency schedules its own activities, in this order: writer, young person, key, organisation,
# title, weekdays, start, end, starts the Monday before (None: the plan's start; n: n days ago),
# location, goal key, visibility. Nina's Thursday 10–11 clashes with the Thursday practice
# 08:30–12:00 (and moved there recently): the coordinator's pages warn.
ACTIVITIES = (
    (
        "mentor.lise", "ung.mads", "praktik", "Jobcenter", "Virksomhedspraktik – tømrerværksted", [0, 1, 3],
        "08:30", "12:00", None, "Holm Byg & Tømrer, Industrivej 12", "praktik", "shared",
    ),
    (
        "mentor.lise", "ung.sara", "jobsoegning", "Jobcenter", "Jobsøgningsforløb – Ung i Job", [0, 2],
        "09:00", "12:00", None, "Jobcentret, Torvet 3", None, "shared",
    ),
    (
        "mentor.lise", "ung.sara", "praktik", "Jobcenter", "Virksomhedspraktik i supermarked", [4],
        "08:00", "12:00", 35, "SuperBrugsen, Vestergade 40", "ansoegninger", "shared",
    ),
    (
        "uu.karen", "ung.mads", "brobygning", "UU", "Brobygning – tømrer på erhvervsskolen", [2],
        "08:00", "14:00", None, "Erhvervsskolen, Tømrerafdelingen", "brobygning", "shared",
    ),
    (
        "uu.karen", "ung.sara", "brobygning", "UU", "Brobygning – detail på handelsskolen", [3],
        "09:00", "13:00", None, "Handelsskolen, lokale 2.14", "afklaring", "shared",
    ),
    (
        "bostotte.peter", "ung.mads", "hjemmebesoeg", "Bostøtte", "Hjemmebesøg – bostøtte", [1],
        "13:00", "14:30", None, "Hjemme hos Mads", "oekonomi", "shared",
    ),
    (
        "behandler.nina", "ung.mads", "samtale", "Rusmiddelcenter", "Samtale i Rusmiddelcentret", [3],
        "10:00", "11:00", 20, "Rusmiddelcentret, Sygehusvej 5", "hash", "organization",
    ),
)  # fmt: skip


def _writers(table: tuple[tuple, ...]) -> list[str]:
    """The writers of a table's rows, in the order they first appear."""
    return list(dict.fromkeys(row[0] for row in table))


class PlanSteps:
    """The seeder's plan steps (mixed into `_Seeder`)."""

    def consent_mutations(self, y: str) -> list[dict]:
        return [
            {
                "entity": "consent",
                "id": rid(y, "consent", o),
                "data": {
                    "id": rid(y, "consent", o),
                    "youth_id": self.youth[y],
                    "organization_id": self.org[o],
                    "status": "given",
                    "given_at": self.at(self.start - timedelta(days=3), "10:00"),
                },
            }
            for o in CONSENTS[y]
        ]

    def consent_and_plans(self) -> None:
        self.send("tovholder.ahmed", "consent", [m for y in CONSENTS for m in self.consent_mutations(y)])

        updates = []
        for y, group in (("ung.mads", "activity_ready"), ("ung.sara", "education_ready")):
            youth = youth_of(y)
            if youth.target_group is None:
                updates.append(
                    {
                        "entity": "youth",
                        "id": youth.id,
                        "base_version": youth.version,
                        "data": {"youth_id": youth.id, "target_group": group},
                    }
                )
        self.send("tovholder.ahmed", "target_group", updates)
        self.send("tovholder.ahmed", "plan", self._plans())

    def _plans(self) -> list[dict]:
        august = next(
            date(y, 8, 1)
            for y in range(self.today.year, self.today.year + 3)
            if date(y, 8, 1) >= self.today + timedelta(days=180)
        )
        return [
            {
                "entity": "plan",
                "id": rid("ung.mads", "plan"),
                "data": {
                    "youth_id": self.youth["ung.mads"],
                    "end_goal": f"Starte på EUD som tømrer i august {august.year}",
                    "end_goal_kind": "education",
                    "start_date": self.start.isoformat(),
                    "target_date": august.isoformat(),
                },
            },
            {
                "entity": "plan",
                "id": rid("ung.sara", "plan"),
                "data": {
                    "youth_id": self.youth["ung.sara"],
                    "end_goal": "Job i detailhandlen (mindst 25 timer om ugen)",
                    "end_goal_kind": "job",
                    "start_date": self.start.isoformat(),
                    "target_date": (self.today + timedelta(days=200)).isoformat(),
                },
            },
        ]

    def goal(self, y, key, org, title, description, status, weeks, visibility="shared") -> dict:
        target = (self.today + timedelta(weeks=weeks)).isoformat()
        fields = {"title": title, "description": description, "status": status, "target_date": target}
        return self.owned("goal", y, key, org, **fields, visibility=visibility)

    def activity(self, y, key, org, title, weekdays, start, end, days_ago, location, goal, visibility) -> dict:
        begins = self.start if days_ago is None else self.today - timedelta(days=days_ago)
        return self.owned(
            "activity",
            y,
            key,
            org,
            title=title,
            weekdays=list(weekdays),
            start_time=start,
            end_time=end,
            start_date=self.monday_before(begins).isoformat(),
            end_date=None,
            location=location,
            goal_id=rid(y, "goal", goal) if goal else None,
            visibility=visibility,
        )

    def goals_and_activities(self) -> None:
        for writer in _writers(GOALS):
            self.send(writer, "goals", [self.goal(*row[1:]) for row in GOALS if row[0] == writer])
        for writer in _writers(ACTIVITIES):
            self.send(writer, "activities", [self.activity(*row[1:]) for row in ACTIVITIES if row[0] == writer])
