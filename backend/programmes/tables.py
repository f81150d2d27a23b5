"""The results as tables (title, headers, rows) — one source for the page, the CSV and charts."""

from __future__ import annotations

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


def result_tables(res: dict) -> dict[str, tuple[str, list[str], list[list]]]:
    """Every table of the results page: key -> (title, headers, rows of display strings)."""
    out = {}
    out["monthly"] = (
        TABLE_TITLES["monthly"],
        [
            "Måned",
            "Aktive",
            "Afgang i alt",
            *[label_da(o) for o in OUTCOMES],
            "Fulgt op efter 6 mdr.",
            "Selvforsørgende efter 6 mdr.",
            "Andel selvforsørgende efter 6 mdr.",
            "Afventer 6 mdr.",
        ],
        [
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
            for r in res["monthly"]
        ],
    )
    rows = []
    for p in res["cohorts"]:
        before = p.get("started_before_period", 0)
        if not p["cohorts"] and before:
            rows.append(
                [
                    p["name"],
                    "–",
                    before,
                    f"Intet hold startede i perioden; {before} deltog, startet før perioden (se «Forløb i måneden»)",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
        elif not p["cohorts"]:
            rows.append([p["name"], "–", 0, "Ingen deltagere i perioden", "", "", "", "", "", "", ""])
        for c in p["cohorts"]:
            if not c["effects"]:
                rows.append(
                    [
                        p["name"],
                        c["start_month"],
                        c["participants"],
                        "Ingen forventet effekt angivet",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
            for e in c["effects"]:
                rows.append(
                    [
                        p["name"],
                        c["start_month"],
                        c["participants"],
                        EFFECT_LABELS_DA.get(e["outcome"], e["outcome"]),
                        anchor_da(e),
                        pct(e["expected_share"]),
                        pct(e["actual_share"]),
                        e["measured"],
                        e["moved_excluded"],
                        STATE_DA[e["state"]],
                        "Bagud" if e["behind"] else "",
                    ]
                )
    out["cohorts"] = (
        TABLE_TITLES["cohorts"],
        [
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
        ],
        rows,
    )
    out["attendance"] = (
        TABLE_TITLES["attendance"],
        ["Måned", "Registreringer", "Mødt (inkl. for sent)", "Fremmøde"],
        [[r["month"], r["registrations"], r["attended"], pct(r["rate"])] for r in res["attendance"]],
    )
    out["agreements"] = (
        TABLE_TITLES["agreements"],
        ["Måned", "Holdt", "Ikke holdt", "Andel holdt"],
        [[r["month"], r["kept"], r["not_kept"], pct(r["rate"])] for r in res["agreements"]],
    )
    out["assessments"] = (
        TABLE_TITLES["assessments"],
        ["Måned", "Målinger forfaldne", "Til tiden", "Andel til tiden"],
        [[r["month"], r["due"], r["on_time"], pct(r["share"])] for r in res["assessments_on_time"]],
    )
    out["progression"] = (
        TABLE_TITLES["progression"],
        ["Vurderet af", "Område", "Unge", "Første (gns.)", "Seneste (gns.)", "Ændring (gns.)"],
        [
            [
                RATER_DA[r["rater_role"]],
                _dim_title(r["dimension"]),
                r["youth_count"],
                _avg(r["first_avg"]),
                _avg(r["latest_avg"]),
                num(r["change_avg"]),
            ]
            for r in res["progression"]
        ],
    )
    return out


def _avg(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}".replace(".", ",")


def _dim_title(key: str) -> str:
    d = DIMENSIONS.get(key)
    return d.title if d else key


def to_csv(title: str, headers: list[str], rows: list[list]) -> str:
    """A results table as a CSV download (formula-like cells neutralised by backend.csv_export)."""
    return csv_export.to_csv(headers, rows)


__all__ = ["ACTIVE", "TABLE_TITLES", "pct", "result_tables", "to_csv"]
