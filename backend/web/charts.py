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
    foreground_subtle="#52606d", opacity=".95", opacity_hover="1", transition="0s",
    colors=("#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0f766e", "#4d7c0f", "#9d174d", "#334155"),
    # Large type: the SVG is shown at about half its size when two charts sit side by side.
    font_family="system-ui, 'Segoe UI', Arial, sans-serif", label_font_size=18, major_label_font_size=18,
    legend_font_size=19, title_font_size=22, value_font_size=16, tooltip_font_size=16,
)


def _config(**kw) -> dict:
    # js=[]: pygal would otherwise link its tooltip script from a CDN.
    return {"js": [], "style": STYLE, "disable_xml_declaration": True, "show_y_guides": True,
            "range": (0, 10), "width": 700, "height": 620, "legend_at_bottom": True, "margin": 24,
            "margin_right": 56, "legend_at_bottom_columns": 2, "truncate_legend": -1, "truncate_label": -1,
            "legend_box_size": 16, **kw}


def to_data_uri(chart, line_width: float = 4) -> str:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # pygal's own `.reactive{stroke-width:1}` beats stroke_style on the series: thicken lines here.
    svg = svg.replace("</style>", f".series .line.reactive{{stroke-width:{line_width}px !important}}</style>", 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def radar(title: str, labels: list[str], series: list[tuple[str, list[int | None]]]) -> str:
    """A star chart (e.g. first vs latest assessment) over the dimensions."""
    chart = pygal.Radar(**_config(title=title, fill=False, dots_size=6, stroke_style={"width": 5}))
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return to_data_uri(chart)


def lines(title: str, x_labels: list[str], series: list[tuple[str, list[int | None]]]) -> str:
    """One line per dimension over the assessment dates."""
    chart = pygal.Line(**_config(title=title, dots_size=6, stroke_style={"width": 4}, x_label_rotation=0,
                                 height=760))
    chart.x_labels = x_labels
    for name, values in series:
        chart.add(name, values)
    return to_data_uri(chart)
