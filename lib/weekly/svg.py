"""Bar charts of the weekly report as static SVG, drawn on the server from the chart data of
lib.weekly.content: the .html report needs no script, no font and no network to show them.

One chart shape covers every chart of the review: a horizontal bar per row from `start` to
`end` (from zero for plain bars; from the running total for a waterfall), labelled with
its text. Every piece of text is escaped; nothing from the data becomes markup.
"""
from __future__ import annotations

from html import escape

from lib.weekly.content import BAD, GOOD, LEVEL, WARN, Chart

COLOURS = {GOOD: "#1a7f37", BAD: "#c62828", WARN: "#b26a00", LEVEL: "#344054", None: "#4c78a8"}
ROW, LABEL_WIDTH, BAR_WIDTH, TEXT_WIDTH, PAD = 28, 190, 470, 150, 8


def domain(chart: Chart) -> tuple[float, float]:
    """The x range: from zero (or the lowest value below it) to the highest value. A
    waterfall whose steps are small next to its level (CAC ¥2,819 -> ¥3,117) is zoomed in
    on the steps, so a step of a few per cent is still a bar one can see."""
    values = [v for b in chart.bars for v in (b.start, b.end)] + ([chart.rule] if chart.rule is not None else [])
    lo, hi = min(values + [0.0]), max(values + [0.0])
    steps = [v for b in chart.bars if b.tone != LEVEL for v in (b.start, b.end)]
    if chart.waterfall and steps and lo >= 0:
        step_lo, step_hi = min(steps), max(steps)
        if step_hi - step_lo < 0.5 * hi:
            lo = max(0.0, step_lo - 1.5 * (step_hi - step_lo))
    return lo, (hi if hi > lo else lo + 1.0)


def _clip(text: str, room: int = 28) -> str:
    """At most `room` columns of a label (a CJK character takes two), with … when cut."""
    out, used = "", 0
    for c in text:
        width = 2 if ord(c) > 0x2E80 else 1
        if used + width > room - 1 and len(text) > len(out) + 1:
            return out + "…"
        out, used = out + c, used + width
    return out


def bars_svg(chart: Chart) -> str:
    """The chart as an inline <svg> element (no xmlns needed inside HTML)."""
    lo, hi = domain(chart)
    width = LABEL_WIDTH + BAR_WIDTH + TEXT_WIDTH
    height = PAD * 2 + ROW * len(chart.bars) + (ROW if chart.rule is not None else 0)

    def x(v: float) -> float:
        return LABEL_WIDTH + (min(max(v, lo), hi) - lo) / (hi - lo) * BAR_WIDTH

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(chart.title)}"><title>{escape(chart.title)}</title>']
    if lo < 0 < hi:
        parts.append(f'<line x1="{x(0):.1f}" y1="{PAD}" x2="{x(0):.1f}" y2="{height - PAD}" stroke="#98a2b3"/>')
    for i, bar in enumerate(chart.bars):
        top = PAD + i * ROW
        left, right = sorted((x(bar.start), x(bar.end)))
        colour = COLOURS.get(bar.tone, COLOURS[None])
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{top + ROW * 0.65:.1f}" text-anchor="end">'
                     f'<title>{escape(bar.label)}</title>{escape(_clip(bar.label))}</text>')
        parts.append(f'<rect x="{left:.1f}" y="{top + 4}" width="{max(right - left, 1.5):.1f}" height="{ROW - 8}" '
                     f'rx="3" fill="{colour}"/>')
        parts.append(f'<text x="{right + 6:.1f}" y="{top + ROW * 0.65:.1f}">{escape(bar.text)}</text>')
    if chart.rule is not None:
        at = x(chart.rule)
        parts.append(f'<line x1="{at:.1f}" y1="{PAD}" x2="{at:.1f}" y2="{height - PAD}" stroke="#101828" '
                     f'stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{at + 4:.1f}" y="{height - 2}" font-weight="700">{escape(chart.rule_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
