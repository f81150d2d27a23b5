"""pygal charts for the caseworker pages, as script-free SVG data URIs for <img> (the pages' CSP
allows no inline styles or scripts; an SVG image keeps its own styles).

One configuration for every chart: the Okabe–Ito palette (told apart with the common forms of
colour blindness; the order keeps the darkest colours first), large type, legends that are never
truncated, value axes from zero with whole-number ticks, and tick labels spaced so they never run
together. The results charts (`backend.programmes.charts`) use the same helpers.
"""

from __future__ import annotations

import base64
import math
import re

import pygal
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)

# Okabe & Ito (2008): blue, orange, bluish green, reddish purple, vermillion, sky blue, black,
# yellow (last: weakest against white).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")


def style(font: int = 16, colors: tuple[str, ...] = PALETTE) -> Style:
    """The charts' style; `font` is the label size in SVG units (the image is scaled to its box)."""
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1f2933",
        foreground_strong="#1f2933",
        foreground_subtle="#52606d",
        opacity="1",
        opacity_hover="1",
        transition="0s",
        colors=colors,
        font_family="system-ui, 'Segoe UI', Arial, sans-serif",
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font + 1,
        title_font_size=font + 4,
        value_font_size=font - 2,
        tooltip_font_size=font,
    )


STYLE = style(18)


def base_config(**kw) -> dict:
    # js=[]: pygal would otherwise link its tooltip script from a CDN.
    return {
        "js": [],
        "style": STYLE,
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "margin": 24,
        "truncate_legend": -1,
        "truncate_label": -1,
        "legend_box_size": 16,
        "show_y_guides": True,
        "show_x_guides": False,
        **kw,
    }


def count_axis(max_value: float, max_ticks: int = 6) -> list[int]:
    """Whole-number ticks from 0 up to at least `max_value`, at most `max_ticks` + 1 of them."""
    top = max(1, math.ceil(max_value))
    step = max(1, math.ceil(top / max_ticks))
    return list(range(0, top + step, step)) if top % step else list(range(0, top + 1, step))


def spaced_labels(labels: list[str], plot_width: float, font: int) -> dict:
    """pygal options that show only as many x labels as fit side by side (every n-th is major)."""
    widest = max((len(x) for x in labels), default=1) * font * 0.62 + font
    fit = max(1, int(plot_width // widest))
    if len(labels) <= fit:
        return {}
    return {"x_labels_major_every": math.ceil(len(labels) / fit), "show_minor_x_labels": False}


def to_data_uri(chart, line_width: float = 4) -> str:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # pygal's own `.reactive{stroke-width:1}` beats stroke_style on the series: thicken lines here.
    svg = svg.replace("</style>", f".series .line.reactive{{stroke-width:{line_width}px !important}}</style>", 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def radar(title: str, labels: list[str], series: list[tuple[str, list[int | None]]]) -> str:
    """A star chart (e.g. first vs latest assessment) over the dimensions.

    The dimension names stand level (not along the spokes) with room around the web, and the
    scale stops at 8 so its top number never sits on the top dimension's name.
    """
    chart = pygal.Radar(
        **base_config(
            title=title,
            fill=False,
            dots_size=6,
            stroke_style={"width": 5},
            range=(0, 10),
            y_labels=[2, 4, 6, 8],
            width=1000,
            height=760,
            x_label_rotation=0.001,
            margin_left=40,
            margin_right=40,
            legend_at_bottom_columns=2,
        )
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return to_data_uri(chart)


def small_multiples(
    x_labels: list[str],
    panels: list[tuple[str, list[tuple[str, list[int | None]]]]],
    colours: dict[str, str] | None = None,
) -> list[str]:
    """One small line chart per panel (title, [(series name, values)]), all on the same 0–10 scale,
    instead of many lines on top of each other. `colours` keeps a series' colour the same in
    every panel (e.g. the young person always blue, the staff always orange)."""
    font = 15
    out = []
    for title, series in panels:
        cols = tuple((colours or {}).get(name, PALETTE[i]) for i, (name, _) in enumerate(series))
        chart = pygal.Line(
            **base_config(
                title=title,
                style=style(font, cols),
                range=(0, 10),
                y_labels=[0, 2, 4, 6, 8, 10],
                width=460,
                height=340,
                margin_bottom=24,
                dots_size=5,
                stroke_style={"width": 3},
                x_label_rotation=0,
                legend_at_bottom_columns=len(series),
                margin=12,
                margin_right=36,
                allow_interruptions=True,
                **spaced_labels(x_labels, 360, font),
            )
        )
        chart.x_labels = x_labels
        for name, values in series:
            chart.add(name, values)
        out.append(to_data_uri(chart, line_width=3))
    return out
