"""pygal SVG charts for the results page, as script-free data URIs for <img> (the pages' CSP
allows no inline styles or scripts, and an SVG image keeps its own styles)."""

from __future__ import annotations

import base64
import re

import pygal
from pygal.style import CleanStyle

from backend.programmes.reports import EFFECT_LABELS_DA, OUTCOMES
from backend.programmes.tables import anchor_da
from shared.enums import label_da


def _config(**kw) -> dict:
    return {"js": [], "disable_xml_declaration": True, "style": CleanStyle, "width": 800, "height": 320,
            "legend_at_bottom": True, "x_label_rotation": 30, "print_values": False, **kw}


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)


def _render(chart) -> str:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def flow_charts(res: dict) -> list[str]:
    """Active per month (line) and outflow by outcome (stacked bars)."""
    months = [r["month"] for r in res["monthly"]]
    chart = pygal.StackedBar(**_config(title="Afgang pr. måned fordelt på udfald"))
    chart.x_labels = months
    for o in OUTCOMES:
        chart.add(label_da(o), [r["outflow"][o] for r in res["monthly"]])
    active = pygal.Line(**_config(title="Aktive unge pr. måned", show_legend=False))
    active.x_labels = months
    active.add("Aktive", [r["active"] for r in res["monthly"]])
    return [_render(active), _render(chart)]


def rates_chart(res: dict) -> str:
    """Attendance, kept agreements and on-time assessments per month, in percent."""
    chart = pygal.Line(**_config(title="Fremmøde, overholdte aftaler og målinger til tiden (%)",
                                 range=(0, 100)))
    chart.x_labels = [r["month"] for r in res["attendance"]]

    def pcts(rows, key):
        return [None if r[key] is None else round(r[key] * 100, 1) for r in rows]

    chart.add("Fremmøde", pcts(res["attendance"], "rate"))
    chart.add("Aftaler holdt", pcts(res["agreements"], "rate"))
    chart.add("Målinger til tiden", pcts(res["assessments_on_time"], "share"))
    return _render(chart)


def cohort_chart(res: dict) -> str:
    """Expected vs actual share for every measured cohort effect."""
    labels, expected, actual = [], [], []
    for p in res["cohorts"]:
        for c in p["cohorts"]:
            for e in c["effects"]:
                if e["actual_share"] is None:
                    continue
                labels.append(f"{p['name']} {c['start_month']} – {anchor_da(e)}: "
                              f"{EFFECT_LABELS_DA.get(e['outcome'], e['outcome'])}")
                expected.append(round(e["expected_share"] * 100, 1))
                actual.append({"value": round(e["actual_share"] * 100, 1),
                               "color": "#c0392b" if e["behind"] else "#27ae60"})
    if not labels:
        return ""
    chart = pygal.HorizontalBar(**_config(title="Faktisk mod forventet effekt (%)", range=(0, 100),
                                          height=max(320, 28 * len(labels) + 120), x_label_rotation=0,
                                          truncate_label=70))
    chart.x_labels = labels
    chart.add("Forventet", expected)
    chart.add("Faktisk", actual)
    return _render(chart)
