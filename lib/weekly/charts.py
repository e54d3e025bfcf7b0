"""The review's bar charts as Altair (Vega-Lite) for the meeting screen, from the same chart
data (lib.weekly.content.Chart) as the report's SVG, with the same x range and colours."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.weekly.content import Chart
from lib.weekly.svg import COLOURS, domain

FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
INK = "#101828"


def bars_chart(chart: Chart, big: bool = False) -> alt.LayerChart:
    """A horizontal bar per row from start to end, labelled at its end; `big` for the
    meeting-room screen (larger type and rows)."""
    size, row = (20, 38) if big else (13, 28)
    data = pd.DataFrame([{"order": i, "label": b.label, "start": b.start, "end": b.end, "text": b.text,
                          "at": max(b.start, b.end), "colour": COLOURS.get(b.tone, COLOURS[None])}
                         for i, b in enumerate(chart.bars)])
    lo, hi = domain(chart)
    # Room on the right for the labels: a fifth of the range beyond the longest bar.
    x_scale = alt.Scale(domain=[lo, hi + 0.22 * (hi - lo)], nice=False, zero=False)
    y = alt.Y("label:N", sort=list(data["label"]), title=None,
              axis=alt.Axis(labelLimit=260, labelFontSize=size, labelColor=INK, labelFont=FONT))
    bars = alt.Chart(data).mark_bar(cornerRadius=3, clip=True, height={"band": 0.72}).encode(
        y=y, x=alt.X("start:Q", title=None, scale=x_scale, axis=None), x2="end:Q",
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("text:N", title=" ")],
    )
    labels = alt.Chart(data).mark_text(align="left", dx=6, fontSize=size, color=INK, font=FONT).encode(
        y=y, x=alt.X("at:Q", scale=x_scale), text="text:N")
    layers = [bars, labels]
    if chart.rule is not None:
        mark = pd.DataFrame({"x": [chart.rule], "text": [chart.rule_label]})
        layers.append(alt.Chart(mark).mark_rule(strokeDash=[6, 4], strokeWidth=2, color=INK).encode(
            x=alt.X("x:Q", scale=x_scale)))
        layers.append(alt.Chart(mark).mark_text(align="left", dx=4, dy=-6, fontSize=size, fontWeight="bold",
                                                color=INK, font=FONT, baseline="bottom").encode(
            x=alt.X("x:Q", scale=x_scale), y=alt.value(0), text="text:N"))
    return alt.layer(*layers).properties(height=max(row * 2, row * len(data)), title="") \
        .configure_view(strokeWidth=0)
