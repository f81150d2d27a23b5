"""Score chart (flet-charts): average score per 6-weekly assessment, self vs mentor."""

from __future__ import annotations

from datetime import date

import flet as ft
import flet_charts as fch


def scores_chart(series: dict[str, list[tuple[date, float]]]) -> ft.Control:
    dates = sorted({d for points in series.values() for d, _ in points})
    index = {d: i for i, d in enumerate(dates)}
    lines = []
    for role, color in (("youth", ft.Colors.BLUE_700), ("staff", ft.Colors.ORANGE_800)):
        points = series.get(role) or []
        if points:
            lines.append(
                fch.LineChartData(
                    points=[fch.LineChartDataPoint(index[d], v, tooltip=f"{v}") for d, v in points],
                    color=color,
                    stroke_width=4,
                )
            )
    return ft.Semantics(
        identifier="scores-chart",
        label="Graf over scorer",
        content=ft.Container(
            height=240,
            content=fch.LineChart(
                data_series=lines,
                min_y=1,
                max_y=10,
                min_x=0,
                max_x=max(len(dates) - 1, 1),
                left_axis=fch.ChartAxis(
                    labels=[fch.ChartAxisLabel(value=v, label=ft.Text(str(v))) for v in (1, 4, 7, 10)], label_size=30
                ),
                bottom_axis=fch.ChartAxis(
                    labels=[fch.ChartAxisLabel(value=i, label=ft.Text(f"{d.day}/{d.month}")) for d, i in index.items()],
                    label_size=30,
                ),
                horizontal_grid_lines=fch.ChartGridLines(interval=1, color=ft.Colors.BLUE_GREY_100, width=1),
            ),
        ),
    )
