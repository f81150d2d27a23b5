"""The municipality's programme catalogue (tilbudsvifte) as the KIK-II programme sheets give it.

Source: shared/sources/000_885c9aad64779c18.txt. The seed writes it once; coordinators edit it on
the catalogue page afterwards. The seventh sheet (practical, workshop-based upskilling) is left out:
the sheet says its course is still being developed (no length, content or effect yet).
"""

from __future__ import annotations

from datetime import date

THEORY_FIELDS = ("target_group_text", "target_groups", "goals", "sub_goals", "content", "mechanisms")
"""The programme-theory fields of a programme (besides its phases and expected effects)."""

# The catalogue as the KIK-II programme sheets give it (shared/sources/000_885c9aad64779c18.txt).
# Where a sheet is silent (a capacity, a team size, the weekday and time of an activity) the value
# is None or, for the weekly schedule that enrolment puts in the young person's calendar, a demo
# choice that fits the sheet (e.g. Arbejde & Sundhed: 2 hours every weekday). Effects: (kind, %,
# week after start or None, calendar date or None, the sheet's own words).
ACTIVITY_OR_AT_RISK = (
    "Borgere på uddannelses- eller kontanthjælp: aktivitetsparate eller i risikogruppen for at blive aktivitetsparate."
)
AT_END = "Forventet effekt (ved forløbets slut)"


def _at_end(kind: str, pct: int, weeks: int) -> tuple:
    """An expected effect measured when the programme ends (the sheet's words say so)."""
    return (kind, pct, weeks, None, AT_END)


def _placement(weeks: int) -> tuple:
    """The closing phase of several programmes: a placement in a company."""
    return ("Praktikudplacering", weeks, "Praktik i virksomhed")


def _practice(days: list[int], start: str, end: str, phase: int | None) -> tuple:
    """The placement as an activity in the young person's schedule."""
    return ("Praktik", days, start, end, "Praktikvirksomhed", phase)


CATALOGUE: tuple[dict, ...] = (
    dict(
        name="Unge på Toppen",
        description="Holdforløb med kost og idræt, individuel coaching og 13 ugers virksomhedspraktik – "
        "med målet at gennemføre ca. 500 km fra Aabenraa over vestkysten til Grenen i små "
        "adventurerace-grupper. Efter de 16 uger sikres deltagerne et efterværn.",
        org="Jobcenter",
        capacity=20,
        team_size=None,
        hours=None,
        start_rule="Opstart i januar",
        target_group_text=ACTIVITY_OR_AT_RISK + " Der arbejdes på at inddrage veteraner.",
        target_groups=["activity_ready"],
        goals=["Flest mulige i arbejde eller uddannelse – fortrinsvis erhvervsuddannelser"],
        sub_goals=[
            "Sunde vaner, personlig velvære og gode døgnrytmer",
            "Sætte sig et mål og nå det (selvdisciplin)",
            "Have og passe et arbejde",
            "Gennemføre ca. 500 km fra Aabenraa til Grenen/Skagen i adventurerace-grupper",
        ],
        content=["Kost og idræt", "Individuel coaching", "Virksomhedspraktik i 13 uger", "Efterværn"],
        mechanisms=[
            "Sunde vaner og gode døgnrytmer gør den unge i stand til at kunne passe et arbejde",
            "Coaching graver den indre motivation frem og træner den selvdisciplin, det kræver "
            "at sætte sig et mål og nå det",
            "Praktikken træner at have og passe et arbejde",
        ],
        follow_on="Efterværn efter de 16 uger",
        phases=[("Forløb", 16, "Kost og idræt, individuel coaching og 13 ugers virksomhedspraktik")],
        effects=[
            ("self_supporting", 50, None, date(2018, 6, 30), "30. juni 2018"),
            ("self_supporting", 75, None, date(2018, 12, 31), "31. december 2018"),
        ],
        activities=[
            ("Kost og idræt", [0, 2], "09:00", "12:00", "Idrætshallen", None),
            ("Individuel coaching", [1], "10:00", "11:00", "Jobcentret", None),
            ("Virksomhedspraktik", [3, 4], "08:00", "14:00", "Praktikvirksomhed", None),
        ],
    ),
    dict(
        name="Formel 1",
        description="Unge på Toppens erfaringer i et individuelt og fleksibelt koncept, der kan sættes i "
        "gang løbende, rettet mod virksomheder med mangel på arbejdskraft, især transport. "
        "Metoden er: ingen stabilitet – ingen kørekort (eller ansættelse i virksomhed).",
        org="Jobcenter",
        capacity=None,
        team_size=None,
        hours=None,
        start_rule="Løbende optag",
        target_group_text=ACTIVITY_OR_AT_RISK,
        target_groups=["activity_ready"],
        goals=[
            "Flest mulige i arbejde eller uddannelse – fortrinsvis erhvervsuddannelser",
            "Flest mulige virksomheder anvender AMU-uddannelserne",
        ],
        sub_goals=[
            "Kvalificere sig til kørekort B eller truckcertifikat gennem en hård fysisk udfordring",
            "Ansættelse ved virksomheden (evt. tidsbegrænset)",
            "Erhverve truckcertifikat, C, E og EU-kort via AMU",
        ],
        content=[
            "Idræt og kost",
            "Individuelle og fælles udviklingssamtaler",
            "Praktik i virksomhed med jobåbninger (truck/lastvognschauffør/erhvervsuddannelse)",
            "Cykeltur 200 km, adventure race eller anden hård fysisk udfordring",
            "Ansættelse ved virksomheden med AMU-kurser",
        ],
        mechanisms=[
            "Ingen stabilitet – ingen kørekort (eller ansættelse i virksomhed): "
            "den fysiske udfordring kvalificerer til kørekort B eller truckcertifikat"
        ],
        follow_on="",
        phases=[
            (
                "1. del: praktik, træning og fysisk udfordring",
                16,
                "Praktik i virksomhed med jobåbninger, fysisk træning og kost, individuel udvikling; "
                "slutter med en hård fysisk udfordring",
            ),
            (
                "2. del: ansættelse med AMU-kurser",
                16,
                "Ansættelse ved virksomheden (evt. tidsbegrænset); truckcertifikat, C, E og EU-kort via AMU",
            ),
        ],
        effects=[
            ("self_supporting", 50, 16, None, "Efter de 16 uger"),
            ("self_supporting", 75, 32, None, "Efter yderligere 16 uger"),
        ],
        activities=[
            _practice([0, 1, 2], "08:00", "12:00", 1),
            ("Træning og kost", [3], "09:00", "12:00", "Idrætshallen", 1),
            ("Ansættelse med AMU-kursus", [0, 1, 2, 3], "07:00", "15:00", "Virksomheden", 2),
        ],
    ),
    dict(
        name="Brobygning til uddannelse",
        description="To ugers screening og 14 ugers brobygning med praktikker på virksomheder og "
        "snuse-forløb på uddannelsesinstitutioner.",
        org="UU",
        capacity=20,
        team_size=None,
        hours=None,
        start_rule="",
        target_group_text="Primært unge under 30 år, der er uddannelsesparate og i risikogruppen for at blive "
        "aktivitetsparate, samt aktivitetsparate, som via brobygning vurderes at kunne "
        "påbegynde og gennemføre en erhvervsuddannelse – eller blive tilknyttet "
        "arbejdsmarkedet. Motiveret; barriererne er primært uafklarethed, faglige "
        "udfordringer og ledighed.",
        target_groups=["education_ready", "activity_ready"],
        goals=["Unge, der er uafklarede om uddannelse, påbegynder og gennemfører en uddannelse"],
        sub_goals=[
            "Afklaret om uddannelsesvalg, bl.a. via snuse-praktikker",
            "Udvidet netværk og en del af et uddannelsesmiljø",
            "Bedre til dansk og matematik, så optagelses- og overgangskravene kan klares",
            "I gang med et grundforløb og en praktikplads (med uddannelsesmentor)",
            "Fastholdt i uddannelsen (med fastholdelsesmentor efter brobygningen)",
        ],
        content=[
            "Screening (2 uger)",
            "Praktikker på virksomheder",
            "Snuse-forløb på uddannelsesinstitutioner",
            "Dansk og matematik",
            "Uddannelsesmentor",
            "Fastholdelsesmentor efter forløbet",
        ],
        mechanisms=[
            "Snuse-praktikker gør valget af uddannelse afklaret",
            "Dansk og matematik ruster til optagelses- og overgangskravene fra EUD-reformen",
            "En mentor hjælper i gang med grundforløb og praktikplads og holder fast bagefter",
        ],
        follow_on="Fastholdelsesmentor efter brobygningsforløbet",
        phases=[
            ("Screening", 2, "Screeningsforløb"),
            ("Brobygning", 14, "Praktikker på virksomheder og snuse-forløb på uddannelsesinstitutioner"),
        ],
        effects=[_at_end("self_supporting", 65, 16), ("job", 10, 16, None, "heraf 10 % i arbejde")],
        activities=[
            ("Screeningssamtale", [1], "10:00", "11:00", "UU-centret", 1),
            ("Brobygning", [0, 1, 2, 3], "08:30", "13:30", "Erhvervsskolen", 2),
        ],
    ),
    dict(
        name="Arbejde & Sundhed",
        description="Kombineret fysisk, kognitiv og psykologisk træning i 12 uger, 2 timer alle hverdage, "
        "med efterfølgende udplacering på arbejdsmarkedet ved virksomhedskonsulent.",
        org="Jobcenter",
        capacity=None,
        team_size=10,
        hours=10,
        start_rule="Løbende optag",
        target_group_text="Borgere med fysiske og/eller kognitive udfordringer, velbehandlet psykisk lidelse, "
        "stress, angst, depression, psykisk sårbarhed eller sociale problematikker "
        "(fx social fobi).",
        target_groups=["activity_ready"],
        goals=["Hurtigste mulige vej på jobmarkedet"],
        sub_goals=[
            "Tværfaglig afklaring og opkvalificering af fysisk, psykisk og socialt funktionsniveau og arbejdsevne"
        ],
        content=[
            "Undervisningsdage",
            "Fysisk træning (fysioterapeut)",
            "Kognitiv træning (ergoterapeut)",
            "Psykologisk træning (erhvervspsykolog)",
            "Udplacering ved virksomhedskonsulent",
        ],
        mechanisms=[
            "Træning efter en konkret individuel vurdering af behovet løfter funktionsniveau og "
            "arbejdsevne, så borgeren kan udplaceres på arbejdsmarkedet"
        ],
        follow_on="Udplacering på arbejdsmarkedet ved virksomhedskonsulent (praktikforløb; arket angiver ikke længden)",
        phases=[("Træning", 12, "Kombineret fysisk, kognitiv og psykologisk træning, 2 timer alle hverdage")],
        effects=[
            ("self_supporting", 10, 12, None, "Efter endt praktikforløb"),
            ("target_group_change", 40, 12, None, "Efter endt praktikforløb"),
            ("other_benefit", 20, 12, None, "Efter endt praktikforløb"),
        ],
        activities=[("Træning og undervisning", [0, 1, 2, 3, 4], "09:00", "11:00", "Arbejde & Sundhed", None)],
    ),
    dict(
        name="FOKUS",
        description="4 ugers aktiv jobsøgning med efterfølgende praktikudplacering i 8 uger.",
        org="Jobcenter",
        capacity=None,
        team_size=None,
        hours=None,
        start_rule="Løbende optag",
        target_group_text="Aktivitetsparate kontanthjælpsmodtagere eller kontanthjælpsmodtagere i risikogruppen "
        "for at blive aktivitetsparate – med manglende kendskab eller tiltro til egne "
        "kompetencer, svært ved at præsentere sig for en arbejdsgiver og begrænset "
        "motivation for jobsøgning.",
        target_groups=["activity_ready", "job_ready"],
        goals=[
            "Opkvalificering og brobygning fra aktivitetsparat til job- og uddannelsesparat",
            "Forhindre, at job- og uddannelsesparate bliver aktivitetsparate",
        ],
        sub_goals=[
            "Realitets- og målafklaring",
            "Struktureret og målrettet jobsøgning",
            "Kan præsentere sig selv for en arbejdsgiver – i tale og på skrift",
        ],
        content=[
            "Realitets- og målafklaring",
            "Almen dannelse og social adfærd",
            "Soignering og hygiejne",
            "Organisationsforståelse og kommunikation",
            "Relationsopbygning",
            "Strategisk jobsøgning",
            "Sociale medier (Facebook, LinkedIn)",
            "Moderne CV",
            "Træning i jobsamtaler",
            "Virksomhedsbesøg",
            "Praktikudplacering (8 uger)",
        ],
        mechanisms=[
            "Træning i at præsentere sig og søge job struktureret giver tiltro til egne kompetencer "
            "og motivation for jobsøgning"
        ],
        follow_on="",
        phases=[("Aktiv jobsøgning", 4, "Afklaring, jobsøgning, CV og jobsamtaler"), _placement(8)],
        effects=[_at_end("case_closed", 20, 12), _at_end("job_or_education_ready", 60, 12)],
        activities=[
            ("Jobsøgning og CV", [0, 2], "09:00", "12:00", "Jobcentret", 1),
            _practice([0, 1, 2, 3], "08:00", "13:00", 2),
        ],
    ),
    dict(
        name="Forløb for borgere med angst og depression",
        description="8 ugers forløb med efterfølgende praktikudplacering i 12 uger.",
        org="Jobcenter",
        capacity=None,
        team_size=None,
        hours=None,
        start_rule="Løbende optag",
        target_group_text="Aktivitetsparate kontanthjælpsmodtagere eller kontanthjælpsmodtagere i risikogruppen "
        "for at blive aktivitetsparate, med problematikker inden for angst, stress og depression.",
        target_groups=["activity_ready"],
        goals=["Fra passiv til aktiv tilgang til arbejdsmarkedet"],
        sub_goals=["Struktur på hverdagen efter praktikstart", "Arbejdsmarkedsforståelse"],
        content=[
            "Indledende visiterende samtale",
            "Individuelle coachsamtaler",
            "Psykoedukation",
            "Afspænding",
            "Fysisk træning",
            "Arbejdsmarkedsforståelse og -træning",
            "Hjemmeopgaver",
            "Praktikudplacering (12 uger)",
        ],
        mechanisms=[
            "Psykoedukation, afspænding og coaching gør det muligt at håndtere angst og depression "
            "og gå fra passiv til aktiv"
        ],
        follow_on="",
        phases=[
            ("Forløb", 8, "Coaching, psykoedukation, afspænding, fysisk træning og arbejdsmarkedsforståelse"),
            _placement(12),
        ],
        effects=[_at_end("target_group_change", 60, 20), _at_end("self_supporting", 20, 20)],
        activities=[
            ("Gruppesession", [2], "10:00", "12:00", "Sundhedshuset", 1),
            _practice([0, 1, 3], "09:00", "13:00", 2),
        ],
    ),
)


# The strategy's targets per target group (shared/sources/001_3ae5fe61d7117840.txt, KIK-II
# 2018–2022): how those who leave the group are expected to leave it, and the aimed reduction.
# group: (self-supporting %, target-group change %, other benefit %, reduction)
KIK_II_TARGETS = {
    "job_ready": (80, 15, 5, 100),
    "education_ready": (80, 15, 5, 135),
    "activity_ready": (31, 23, 46, 115),
}
KIK_II_SOURCE = "KIK-II 2018–2022, kommunal investeringsstrategi (forventet effekt pr. målgruppe)"
