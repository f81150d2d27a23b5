"""pygal SVG charts for the results page, as script-free data URIs for <img> (see backend.web.charts
for the shared configuration: colour-blind-safe palette, untruncated legends, axes from zero)."""

from __future__ import annotations

import pygal

from backend.programmes.reports import EFFECT_LABELS_DA, OUTCOMES
from backend.programmes.tables import anchor_da
from backend.web.charts import base_config, count_axis, spaced_labels, style, to_data_uri
from shared.enums import label_da

FONT = 15
MONTHS_DA = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _month(key: str) -> str:
    """'2026-03' -> 'mar 26'."""
    return f"{MONTHS_DA[int(key[5:7]) - 1]} {key[2:4]}"


def _config(width: int = 900, height: int = 380, **kw) -> dict:
    return base_config(
        **{
            "style": style(FONT),
            "width": width,
            "height": height,
            "x_label_rotation": 0,
            "legend_at_bottom_columns": 3,
            "margin_right": 40,
            **kw,
        }
    )


def flow_charts(res: dict) -> list[str]:
    """Active per month (line) and outflow by outcome (stacked bars; a month without any outflow
    says so in its label, '(0)', since a zero bar has no height to see)."""
    rows = res["monthly"]
    labels = [_month(r["month"]) for r in rows]
    active = pygal.Line(
        **_config(
            title="Aktive unge pr. måned",
            show_legend=False,
            dots_size=4,
            y_labels=count_axis(max((r["active"] for r in rows), default=0)),
            **spaced_labels(labels, 800, FONT),
        )
    )
    active.x_labels = labels
    active.add("Aktive", [r["active"] for r in rows])
    out_labels = [f"{lab} ({r['outflow_total']})" for lab, r in zip(labels, rows, strict=True)]
    chart = pygal.StackedBar(
        **_config(
            title="Afgang pr. måned fordelt på udfald (antal i parentes)",
            height=440,
            y_labels=count_axis(max((r["outflow_total"] for r in rows), default=0)),
            **spaced_labels(out_labels, 800, FONT),
        )
    )
    chart.x_labels = out_labels
    for o in OUTCOMES:
        chart.add(label_da(o), [r["outflow"][o] for r in rows])
    return [to_data_uri(active, 3), to_data_uri(chart)]


def rates_chart(res: dict) -> str:
    """Attendance, kept agreements and on-time assessments per month, in percent (0–100)."""
    labels = [_month(r["month"]) for r in res["attendance"]]
    chart = pygal.Line(
        **_config(
            title="Fremmøde, overholdte aftaler og målinger til tiden (%)",
            range=(0, 100),
            y_labels=[0, 20, 40, 60, 80, 100],
            dots_size=4,
            allow_interruptions=True,
            **spaced_labels(labels, 800, FONT),
        )
    )
    chart.x_labels = labels

    def pcts(rows, key):
        return [None if r[key] is None else round(r[key] * 100, 1) for r in rows]

    chart.add("Fremmøde", pcts(res["attendance"], "rate"))
    chart.add("Aftaler holdt", pcts(res["agreements"], "rate"))
    chart.add("Målinger til tiden", pcts(res["assessments_on_time"], "share"))
    return to_data_uri(chart, 3)


def cohort_chart(res: dict) -> str:
    """Expected vs actual share for every measured cohort effect; each bar shows its value, so an
    actual share of 0 % reads as '0 %' and not as a missing bar. Behind: «(bagud)» in the label."""
    labels, expected, actual = [], [], []
    for p in res["cohorts"]:
        for c in p["cohorts"]:
            for e in c["effects"]:
                if e["actual_share"] is None:
                    continue
                labels.append(
                    f"{p['name']} {_month(c['start_month'])}, {anchor_da(e)}: "
                    f"{EFFECT_LABELS_DA.get(e['outcome'], e['outcome']).split(' (')[0].lower()}"
                    f"{' (bagud)' if e['behind'] else ''}"
                )
                expected.append(round(e["expected_share"] * 100))
                actual.append(round(e["actual_share"] * 100))
    if not labels:
        return ""
    chart = pygal.HorizontalBar(
        **_config(
            title="Faktisk mod forventet effekt (%)",
            width=1100,
            height=max(360, 44 * len(labels) + 160),
            range=(0, 100),
            y_labels=[0, 20, 40, 60, 80, 100],
            print_values=True,
            print_zeroes=True,
            formatter=lambda v: f"{v:.0f} %",
            legend_at_bottom_columns=2,
        )
    )
    chart.x_labels = labels
    chart.add("Forventet", expected)
    chart.add("Faktisk", actual)
    return to_data_uri(chart)
