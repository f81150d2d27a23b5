"""The monthly report for the council: a short plain-Danish reading of each programme's and each
target group's figures, and the report as CSV rows (pure functions of the monthly figures)."""

from __future__ import annotations

from backend.programmes.reports import EFFECT_LABELS_DA, month_bounds
from backend.programmes.tables import anchor_da, pct
from backend.web.common import da_date
from shared.enums import label_da
from shared.hours import MONTHS_DA

KIND_DA = {
    "self_supporting": "selvforsørgende",
    "target_group_change": "skiftede målgruppe",
    "other_benefit": "overgik til anden ydelse",
}


def month_da(month: str) -> str:
    """'2026-03' -> 'marts 2026'."""
    first, _ = month_bounds(month)
    return f"{MONTHS_DA[first.month - 1]} {first.year}"


def _effect_name(e: dict) -> str:
    return EFFECT_LABELS_DA.get(e["outcome"], e["outcome"]).split(" (")[0].lower()


def programme_reading(pm: dict) -> list[str]:
    """A few plain sentences on one programme in one month."""
    c = pm["counts"]
    if c["participants"] == 0:
        return [f"Ingen unge deltog i {pm['name']} i {month_da(pm['month'])}."]
    out = [
        f"I {month_da(pm['month'])} deltog {c['participants']} unge i {pm['name']}; "
        f"{c['still_enrolled']} er stadig i forløbet."
    ]
    out.append(
        f"{c['self_supporting']} er selvforsørgende ({pct(pm['self_supporting_share'])}): {c['education']} i "
        f"uddannelse og {c['job']} i job. {c['target_group_changed']} har skiftet målgruppe."
    )
    for e in pm["effects"]:
        goal = f"Forventet {pct(e['expected_share'])} {_effect_name(e)} {anchor_da(e)}"
        if e["state"] == "not_applicable":
            out.append(
                f"{goal}: målet gælder dem, der var startet inden datoen – det var ingen af månedens "
                f"deltagere. Nu har {e['now_hits']} af {e['now_counted']} effekten ({pct(e['now_share'])})."
            )
        elif e["measured"] == 0:
            out.append(f"{goal}: ingen har nået målepunktet endnu (første måles {da_date(e['next_measure_day'])}).")
        else:
            verdict = (
                "under det forventede" if e["actual_share"] < e["expected_share"] else "på eller over det forventede"
            )
            wait = f" {e['pending']} er ikke målt endnu." if e["pending"] else ""
            out.append(f"{goal}: {e['hits']} af {e['measured']} målte ({pct(e['actual_share'])}) – {verdict}.{wait}")
    return out


def target_group_reading(st: dict) -> list[str]:
    """A few plain sentences on how the target groups left, against the strategy's targets."""
    out = []
    for r in st["vs_target"]:
        name = label_da(r["target_group"]).lower()
        if r["left_total"] == 0:
            out.append(f"Ingen {name}e har forladt målgruppen siden 1. januar.")
            continue
        parts = []
        for k in r["kinds"]:
            target = "" if k["target_share"] is None else f" (mål {pct(k['target_share'])})"
            parts.append(f"{pct(k['actual_share'])} {KIND_DA[k['kind']]}{target}")
        out.append(
            f"Af de {r['left_total']} {name}e, der har forladt målgruppen siden 1. januar: " + ", ".join(parts) + "."
        )
    return out


def csv_rows(month: str, programmes: list[dict], st: dict) -> tuple[list[str], list[list]]:
    """The report as one table: section, name, measure, value, expected."""
    headers = ["Måned", "Afsnit", "Navn", "Tal", "Værdi", "Forventet/mål"]
    rows = []
    for pm in programmes:
        c = pm["counts"]
        for key, title in (
            ("participants", "Deltagere i måneden"),
            ("still_enrolled", "Stadig i forløbet"),
            ("self_supporting", "Selvforsørgende"),
            ("education", "Uddannelse"),
            ("job", "Job"),
            ("target_group_changed", "Skiftet målgruppe"),
            ("other_benefit", "Anden ydelse"),
            ("moved", "Fraflyttet"),
        ):
            rows.append([month, "Forløb", pm["name"], title, c[key], ""])
        for e in pm["effects"]:
            what = f"{_effect_name(e)} {anchor_da(e)}"
            rows.append([month, "Forløb", pm["name"], f"Nu: {what}", pct(e["now_share"]), pct(e["expected_share"])])
            rows.append(
                [month, "Forløb", pm["name"], f"Målt: {what}", pct(e["actual_share"]), pct(e["expected_share"])]
            )
    for r in st["vs_target"]:
        name = label_da(r["target_group"])
        rows.append([month, "Målgruppe", name, "Gået ud siden 1. januar", r["left_total"], ""])
        for k in r["kinds"]:
            rows.append([month, "Målgruppe", name, KIND_DA[k["kind"]], pct(k["actual_share"]), pct(k["target_share"])])
        rows.append(
            [
                month,
                "Målgruppe",
                name,
                "Reduktion siden 1. januar",
                r["reduction"],
                "" if r["target_reduction"] is None else r["target_reduction"],
            ]
        )
    return headers, rows
