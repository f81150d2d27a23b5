"""Progression charts rendered server-side with pygal, as script-free SVG data URIs for <img>."""

from __future__ import annotations

import base64
import re

import pygal
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)

# Dark, distinguishable colours (WCAG AA against white); series also differ by dash/marker.
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1f2933", foreground_strong="#1f2933",
    foreground_subtle="#52606d", opacity=".25", opacity_hover=".4", transition="0s",
    colors=("#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0f766e", "#4d7c0f", "#9d174d", "#334155"),
    font_family="system-ui, 'Segoe UI', Arial, sans-serif", label_font_size=13, major_label_font_size=13,
    legend_font_size=14, title_font_size=16, value_font_size=12,
)


def _config(**kw) -> dict:
    # js=[]: pygal would otherwise link its tooltip script from a CDN.
    return {"js": [], "style": STYLE, "disable_xml_declaration": True, "show_y_guides": True,
            "range": (0, 10), "width": 640, "height": 480, "legend_at_bottom": True,
            "legend_at_bottom_columns": 2, "truncate_legend": -1, "truncate_label": -1, **kw}


def to_data_uri(chart) -> str:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def radar(title: str, labels: list[str], series: list[tuple[str, list[int | None]]]) -> str:
    """A star chart (e.g. first vs latest assessment) over the dimensions."""
    chart = pygal.Radar(**_config(title=title, fill=False, dots_size=4, stroke_style={"width": 3}))
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return to_data_uri(chart)


def lines(title: str, x_labels: list[str], series: list[tuple[str, list[int | None]]]) -> str:
    """One line per dimension over the assessment dates."""
    chart = pygal.Line(**_config(title=title, dots_size=4, stroke_style={"width": 2.5}, x_label_rotation=0,
                                 legend_at_bottom_columns=3, height=520))
    chart.x_labels = x_labels
    for name, values in series:
        chart.add(name, values)
    return to_data_uri(chart)
