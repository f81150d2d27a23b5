"""The results as tables (title, headers, rows) — one source for the page, the CSV and charts."""

from __future__ import annotations

from flask import Response

from backend import csv_export
from backend.programmes.reports import ACTIVE, EFFECT_LABELS_DA, OUTCOMES
from shared.dimensions import DIMENSIONS
from shared.enums import label_da

TABLE_TITLES = {
    "monthly": "Aktive og afgang pr. måned",
    "cohorts": "Forløb og hold: faktisk mod forventet effekt",
    "attendance": "Fremmøde pr. måned",
    "agreements": "Overholdte aftaler pr. måned",
    "assessments": "Progressionsmålinger til tiden pr. måned",
    "progression": "Gennemsnitlig ændring pr. progressionsområde",
}

RATER_DA = {"youth": "Den unge", "staff": "Medarbejder"}
STATE_DA = {
    "pending": "Ikke målt endnu",
    "partial": "Delvist målt",
    "complete": "Målt",
    "not_applicable": "Gælder ikke (startet efter datoen)",
}


def anchor_da(effect) -> str:
    """An effect's measuring point in Danish: 'uge 16' or 'pr. 30.06.2018' (a dict or a model)."""
    get = effect.get if isinstance(effect, dict) else lambda k: getattr(effect, k, None)
    on = get("measure_date")
    if on:
        d = on if isinstance(on, str) else on.isoformat()
        return f"pr. {d[8:10]}.{d[5:7]}.{d[:4]}"
    return f"uge {get('weeks_after_start')}"


def pct(value: float | None) -> str:
    """A share as a Danish percentage with one decimal, '–' when there is none."""
    if value is None:
        return "–"
    return f"{value * 100:.1f} %".replace(".", ",")


def num(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:+.2f}".replace(".", ",")


MONTHLY_HEADERS = [
    "Måned",
    "Aktive",
    "Afgang i alt",
    *[label_da(o) for o in OUTCOMES],
    "Fulgt op efter 6 mdr.",
    "Selvforsørgende efter 6 mdr.",
    "Andel selvforsørgende efter 6 mdr.",
    "Afventer 6 mdr.",
]
COHORT_HEADERS = [
    "Forløb",
    "Hold (startmåned)",
    "Deltagere",
    "Effekt",
    "Måles",
    "Forventet",
    "Faktisk",
    "Målt",
    "Fraflyttet (ikke medregnet)",
    "Status",
    "Bagud",
]


def result_tables(res: dict) -> dict[str, tuple[str, list[str], list[list]]]:
    """Every table of the results page: key -> (title, headers, rows of display strings)."""
    tables = {
        "monthly": (MONTHLY_HEADERS, _monthly_rows(res["monthly"])),
        "cohorts": (COHORT_HEADERS, _cohort_rows(res["cohorts"])),
        "attendance": (
            ["Måned", "Registreringer", "Mødt (inkl. for sent)", "Fremmøde"],
            [[r["month"], r["registrations"], r["attended"], pct(r["rate"])] for r in res["attendance"]],
        ),
        "agreements": (
            ["Måned", "Holdt", "Ikke holdt", "Andel holdt"],
            [[r["month"], r["kept"], r["not_kept"], pct(r["rate"])] for r in res["agreements"]],
        ),
        "assessments": (
            ["Måned", "Målinger forfaldne", "Til tiden", "Andel til tiden"],
            [[r["month"], r["due"], r["on_time"], pct(r["share"])] for r in res["assessments_on_time"]],
        ),
        "progression": (
            ["Vurderet af", "Område", "Unge", "Første (gns.)", "Seneste (gns.)", "Ændring (gns.)"],
            [_progression_row(r) for r in res["progression"]],
        ),
    }
    return {key: (TABLE_TITLES[key], headers, rows) for key, (headers, rows) in tables.items()}


def _monthly_rows(monthly: list[dict]) -> list[list]:
    return [
        [
            r["month"],
            r["active"],
            r["outflow_total"],
            *[r["outflow"][o] for o in OUTCOMES],
            r["followed_up"],
            r["self_supporting_after_6m"],
            pct(r["self_supporting_after_6m_share"]),
            r["follow_up_pending"],
        ]
        for r in monthly
    ]


def _note_row(name: str, month: str, participants: int, note: str) -> list:
    """A cohort-table row that only says why there are no figures (the remaining cells empty)."""
    return [name, month, participants, note, *[""] * (len(COHORT_HEADERS) - 4)]


def _cohort_rows(programmes: list[dict]) -> list[list]:
    rows = []
    for p in programmes:
        before = p.get("started_before_period", 0)
        if not p["cohorts"]:
            note = (
                f"Intet hold startede i perioden; {before} deltog, startet før perioden (se «Forløb i måneden»)"
                if before
                else "Ingen deltagere i perioden"
            )
            rows.append(_note_row(p["name"], "–", before, note))
        for c in p["cohorts"]:
            if not c["effects"]:
                rows.append(_note_row(p["name"], c["start_month"], c["participants"], "Ingen forventet effekt angivet"))
            rows.extend(_effect_row(p["name"], c, e) for e in c["effects"])
    return rows


def _effect_row(name: str, cohort: dict, e: dict) -> list:
    return [
        name,
        cohort["start_month"],
        cohort["participants"],
        EFFECT_LABELS_DA.get(e["outcome"], e["outcome"]),
        anchor_da(e),
        pct(e["expected_share"]),
        pct(e["actual_share"]),
        e["measured"],
        e["moved_excluded"],
        STATE_DA[e["state"]],
        "Bagud" if e["behind"] else "",
    ]


def _progression_row(r: dict) -> list:
    return [
        RATER_DA[r["rater_role"]],
        _dim_title(r["dimension"]),
        r["youth_count"],
        _avg(r["first_avg"]),
        _avg(r["latest_avg"]),
        num(r["change_avg"]),
    ]


def _avg(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}".replace(".", ",")


def _dim_title(key: str) -> str:
    d = DIMENSIONS.get(key)
    return d.title if d else key


def to_csv(title: str, headers: list[str], rows: list[list]) -> str:
    """A results table as a CSV download (formula-like cells neutralised by backend.csv_export)."""
    return csv_export.to_csv(headers, rows)


def csv_response(headers: list[str], rows: list[list], filename: str) -> Response:
    """A table as a CSV file to download."""
    return Response(
        csv_export.to_csv(headers, rows),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


__all__ = ["ACTIVE", "TABLE_TITLES", "csv_response", "pct", "result_tables", "to_csv"]
