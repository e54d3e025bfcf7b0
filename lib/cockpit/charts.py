"""Altair charts of the cockpit, built from lib.cockpit's frames (no Streamlit here).

Numbers are formatted in Python (¥ with separators, %, 万 in Chinese) into text columns
for labels and tooltips, so a chart shows exactly what the tiles and the CLI show.
Clickable charts carry a point selection named PICK on the dimension's field; the page
turns a click into a drill-down (lib.ui.filters.drill_on_select).
"""
from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from lib.cockpit import why as why_steps
from lib.cockpit.text import short_change, short_value
from lib.i18n import t
from lib.metrics.format import change as format_change, value as format_value
from lib.metrics.spec import Catalog

PICK = "pick"
GREEN, AMBER, RED, GREY = "#2E9E5B", "#E8A317", "#D64545", "#98A2B3"
BLUE, INK, PALE = "#4C78A8", "#344054", "#E4E7EC"
STATUS_COLORS = {"green": GREEN, "amber": AMBER, "red": RED, None: BLUE}
VERDICT_COLORS = {"better": GREEN, "worse": RED, "flat": GREY, None: BLUE}
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


def _clean(chart: alt.Chart | alt.LayerChart):
    return chart.configure_view(strokeWidth=0).configure_axis(labelFont=FONT, titleFont=FONT, grid=False,
                                                              domainColor=PALE, tickColor=PALE, labelColor=INK) \
        .configure_text(font=FONT).configure_legend(labelFont=FONT, titleFont=FONT).configure_title(font=FONT)


def _verdict_key(verdict) -> str:
    return verdict if isinstance(verdict, str) else "none"


def _verdict_scale(lang: str) -> tuple[list[str], list[str]]:
    keys = ["better", "worse", "flat", "none"]
    return [t(f"cockpit.verdict.{k}", lang) for k in keys], [GREEN, RED, GREY, BLUE]


# ---------------------------------------------------------------------------------------
# tiles


def sparkline(series: pd.DataFrame, catalog: Catalog, metric: str, lang: str, status: str | None,
              percent: bool = False) -> alt.LayerChart:
    """The tile's periods as a small line, the selected period as a dot."""
    frame = series.copy()
    frame["text"] = [(f"{v * 100:.0f}%" if percent else format_value(catalog, metric, v, lang))
                     if v is not None and not pd.isna(v) else "—" for v in frame["value"]]
    color = STATUS_COLORS.get(status, BLUE)
    base = alt.Chart(frame).encode(
        x=alt.X("period:O", axis=None, sort=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("period:N", title=t("cockpit.period", lang)), alt.Tooltip("text:N", title=" ")],
    )
    last = frame["period"].iloc[-1]
    chart = alt.layer(
        base.mark_area(color=color, opacity=0.12, interpolate="monotone"),
        base.mark_line(color=color, strokeWidth=2, interpolate="monotone"),
        base.transform_filter(alt.datum.period == last).mark_point(color=color, filled=True, size=45, opacity=1),
    ).properties(height=46)
    return _clean(chart)


# ---------------------------------------------------------------------------------------
# breakdown (drillable) and waterfall


def breakdown_chart(frame: pd.DataFrame, dim: str, catalog: Catalog, metric: str, lang: str) -> alt.LayerChart:
    """The KPI per segment this period (bars) and the period before (ticks); click to drill."""
    direction = catalog[metric].direction
    from lib.cockpit.compare import verdict

    data = frame.copy()
    data["verdict"] = [t(f"cockpit.verdict.{_verdict_key(verdict(c, direction))}", lang) for c in data["change"]]
    data["text"] = [short_value(catalog, metric, v, lang) for v in data["value"]]
    data["full_text"] = [format_value(catalog, metric, v, lang) for v in data["value"]]
    data["prev_text"] = [format_value(catalog, metric, v, lang) for v in data["previous"]]
    data["change_text"] = [format_change(catalog, metric, c, lang) for c in data["change"]]
    domain, colors = _verdict_scale(lang)
    pick = alt.selection_point(name=PICK, fields=[dim], on="click", clear="dblclick", empty=True)
    y = alt.Y(f"{dim}:N", sort=list(data[dim]), title=None, axis=alt.Axis(labelLimit=160))
    tooltip = [alt.Tooltip(f"{dim}:N", title=t(f"dim.{dim}", lang)),
               alt.Tooltip("full_text:N", title=t("cockpit.this_period", lang)),
               alt.Tooltip("prev_text:N", title=t("cockpit.previous_period", lang)),
               alt.Tooltip("change_text:N", title=t("cockpit.change", lang))]
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=4, cursor="pointer", height={"band": 0.7}).encode(
        y=y, x=alt.X("value:Q", title=None, axis=alt.Axis(labels=False, ticks=False, domain=False)),
        color=alt.Color("verdict:N", scale=alt.Scale(domain=domain, range=colors), legend=None),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
        tooltip=tooltip,
    ).add_params(pick)
    ticks = alt.Chart(data).mark_tick(color=INK, thickness=2, size=16).encode(y=y, x="previous:Q", tooltip=tooltip)
    text = alt.Chart(data).mark_text(align="left", dx=5, color=INK, fontSize=12).encode(y=y, x="value:Q",
                                                                                        text="text:N")
    return _clean(alt.layer(bars, ticks, text).properties(height=max(140, 28 * len(data) + 20)))


def waterfall_chart(steps: pd.DataFrame, by: str, catalog: Catalog, metric: str, lang: str) -> alt.LayerChart:
    """From last period's value (top bar), each segment's part of the change, to this
    period's value (bottom bar); horizontal so segment names stay readable. Click a
    segment to drill down."""
    direction = catalog[metric].direction
    data = steps.copy()
    good_up = {"higher_is_better": GREEN, "lower_is_better": RED}.get(direction, BLUE)
    good_down = {"higher_is_better": RED, "lower_is_better": GREEN}.get(direction, AMBER)
    colors = {why_steps.START: INK, why_steps.END: INK, why_steps.UP: good_up, why_steps.DOWN: good_down,
              why_steps.OTHERS: GREY}
    data["color"] = data["kind"].map(colors)
    ends = data["kind"].isin([why_steps.START, why_steps.END])
    data["text"] = [short_value(catalog, metric, a, lang) if e else short_change(catalog, metric, a, lang)
                    for e, a in zip(ends, data["amount"])]
    data["full_text"] = [format_value(catalog, metric, a, lang) if e else format_change(catalog, metric, a, lang)
                         for e, a in zip(ends, data["amount"])]
    data["label_at"] = data[["base", "top"]].max(axis=1)
    data[by] = data["segment"]
    lo, hi = _waterfall_domain(data)
    pick = alt.selection_point(name=PICK, fields=[by], on="click", clear="dblclick", empty=True)
    y = alt.Y("step:N", sort=list(data["step"]), title=None, axis=alt.Axis(labelLimit=160))
    x_scale = alt.Scale(domain=[lo, hi], zero=lo <= 0, nice=False)
    bars = alt.Chart(data).mark_bar(cornerRadius=3, clip=True, cursor="pointer", height={"band": 0.7}).encode(
        y=y, x=alt.X("base:Q", title=None, scale=x_scale, axis=alt.Axis(labels=False, ticks=False, domain=False)),
        x2="top:Q", color=alt.Color("color:N", scale=None),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4)),
        tooltip=[alt.Tooltip("step:N", title=t(f"dim.{by}", lang)), alt.Tooltip("full_text:N", title=" ")],
    ).add_params(pick)
    text = alt.Chart(data).mark_text(align="left", dx=5, color=INK, fontSize=12).encode(
        y=y, x=alt.X("label_at:Q", scale=x_scale), text="text:N")
    return _clean(alt.layer(bars, text).properties(height=max(160, 28 * len(data) + 20)))


def _waterfall_domain(data: pd.DataFrame) -> tuple[float, float]:
    """Zoom in on the steps when the change is small next to the level (CAC ¥2,820 ->
    ¥3,117), else start at zero; room at the end for the labels."""
    ends = data["kind"].isin([why_steps.START, why_steps.END])
    levels = data.loc[ends, "top"]
    moving = pd.concat([data.loc[~ends, "top"], data.loc[~ends, "base"], levels])
    hi, lo = float(moving.max()), float(moving.min())
    steps_lo = float(pd.concat([data.loc[~ends, "top"], data.loc[~ends, "base"]]).min()) if (~ends).any() else lo
    if lo >= 0 and (hi - steps_lo) < 0.5 * float(levels.abs().max() or 1):
        floor = max(0.0, steps_lo - 1.5 * (hi - steps_lo) - 1e-9)
    else:
        floor = min(0.0, lo)
    return floor, hi + 0.28 * (hi - floor or 1)


# ---------------------------------------------------------------------------------------
# comparisons and benchmarks


def change_bars(frame: pd.DataFrame, catalog: Catalog, lang: str, value_col: str, tooltip_cols: dict[str, str],
                label_col: str | None = None) -> alt.LayerChart:
    """Horizontal bars of a relative change per KPI (the `value_col` fraction), green when
    better, red when worse, labelled with the percentage (or `label_col`);
    `tooltip_cols` {column: title}."""
    domain, colors = _verdict_scale(lang)
    data = frame.copy()
    data["kpi"] = [catalog.label(m, lang) for m in data["metric"]]
    data["verdict_label"] = [t(f"cockpit.verdict.{_verdict_key(v)}", lang) for v in data["verdict"]]
    data["x"] = data[value_col].astype(float)
    data["label"] = data[label_col] if label_col else [fmt_pct(v) for v in data["x"]]
    data["x"] = data["x"].fillna(0.0)
    span = float(data["x"].abs().max() or 0.1)
    room = 2.4 if label_col else 1.35  # on both sides of zero, for the labels
    x = alt.X("x:Q", title=None, scale=alt.Scale(domain=[-room * span, room * span], nice=False),
              axis=alt.Axis(format="+.0%", labelColor=GREY, tickCount=5, grid=False))
    y = alt.Y("kpi:N", sort=list(data["kpi"]), title=None, axis=alt.Axis(labelLimit=140))
    tooltip = [alt.Tooltip("kpi:N", title=" ")] + [alt.Tooltip(f"{c}:N", title=title)
                                                  for c, title in tooltip_cols.items()]
    bars = alt.Chart(data).mark_bar(cornerRadius=3, height={"band": 0.65}).encode(
        y=y, x=x, color=alt.Color("verdict_label:N", scale=alt.Scale(domain=domain, range=colors), legend=None),
        tooltip=tooltip,
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=GREY).encode(x="x:Q")
    right = alt.Chart(data).transform_filter(alt.datum.x >= 0).mark_text(align="left", dx=4, color=INK, fontSize=11)
    left = alt.Chart(data).transform_filter(alt.datum.x < 0).mark_text(align="right", dx=-4, color=INK, fontSize=11)
    labels = [layer.encode(y=y, x="x:Q", text="label:N", tooltip=tooltip) for layer in (right, left)]
    return _clean(alt.layer(bars, zero, *labels).properties(height=max(120, 28 * len(data))))


def fmt_pct(v) -> str:
    if v is None or pd.isna(v):
        return "—"
    return f"{v * 100:+.0f}%" if abs(v) >= 0.095 else f"{v * 100:+.1f}%"


# ---------------------------------------------------------------------------------------
# budget


def budget_chart(lines: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Utilisation per department and category: a bar to the share of budget spent (status
    colour), the 100% line, and 'spent / budget' as the label."""
    data = lines.copy()
    data["line"] = [f"{d} · {t(f'cockpit.category.{c}', lang)}" for d, c in zip(data["department"], data["category"])]
    data["status_key"] = [s if isinstance(s, str) else "none" for s in data["status"]]
    data["budget_text"] = [_money(v, lang) for v in data["budget"]]
    data["actual_text"] = [_money(v, lang) for v in data["actual"]]
    data["util_text"] = [_util(u) for u in data["utilisation"]]
    data["label"] = [f"{u}  ·  {a} / {b}" for u, a, b in zip(data["util_text"], data["actual_text"], data["budget_text"])]
    data["x"] = data["utilisation"].fillna(0.0)
    top = max(1.2, float(data["x"].max()) * 1.05)
    y = alt.Y("line:N", sort=list(data["line"]), title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("x:Q", title=None, scale=alt.Scale(domain=[0, top * 1.9], nice=False),
              axis=alt.Axis(format=".0%", labelColor=GREY, values=[0, 0.5, 1.0], grid=False))
    tooltip = [alt.Tooltip("line:N", title=" "), alt.Tooltip("budget_text:N", title=t("cockpit.budget", lang)),
               alt.Tooltip("actual_text:N", title=t("cockpit.actual", lang)),
               alt.Tooltip("util_text:N", title=t("cockpit.utilisation", lang))]
    track = alt.Chart(data).mark_bar(color="#F2F4F7", height={"band": 0.7}).encode(y=y, x=alt.datum(top))
    spent = alt.Chart(data).mark_bar(cornerRadiusEnd=3, height={"band": 0.7}).encode(
        y=y, x=x, tooltip=tooltip,
        color=alt.Color("status_key:N", scale=alt.Scale(domain=["green", "amber", "red", "none"],
                                                        range=[GREEN, AMBER, RED, BLUE]), legend=None))
    full = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color=INK, strokeDash=[3, 2]).encode(x="x:Q")
    text = alt.Chart(data).mark_text(align="left", dx=6, color=INK, fontSize=11).encode(
        y=y, x=alt.datum(top), text="label:N", tooltip=tooltip)
    return _clean(alt.layer(track, spent, full, text).properties(height=max(140, 28 * len(data) + 20)))


def _util(u) -> str:
    if u is None or pd.isna(u):
        return "—"
    return f"{u * 100:.1f}%" if 0.995 <= u < 1.095 else f"{u * 100:.0f}%"


def split_chart(categories: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Each category's share of the budget (bar) and of tracked spend (diamond) against the plan (tick)."""
    data = categories.copy()
    data["category_label"] = [t(f"cockpit.category.{c}", lang) for c in data["category"]]
    data["bar_color"] = [RED if off else BLUE for off in data["off_plan"]]
    names = [t("cockpit.split.budget_share", lang), t("cockpit.split.plan", lang), t("cockpit.split.actual_share", lang)]
    for col in ("budget_share", "plan_share", "actual_share"):
        data[f"{col}_text"] = [f"{v * 100:.0f}%" if not pd.isna(v) else "—" for v in data[col]]
    y = alt.Y("category_label:N", sort=list(data["category_label"]), title=None)
    tooltip = [alt.Tooltip("category_label:N", title=" "),
               alt.Tooltip("budget_share_text:N", title=names[0]), alt.Tooltip("plan_share_text:N", title=names[1]),
               alt.Tooltip("actual_share_text:N", title=names[2])]
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3, height={"band": 0.6}).encode(
        y=y, x=alt.X("budget_share:Q", title=None, axis=alt.Axis(format=".0%", labelColor=GREY, tickCount=4)),
        color=alt.Color("bar_color:N", scale=None), tooltip=tooltip)
    plan = alt.Chart(data).mark_tick(thickness=3, size=22).encode(
        y=y, x="plan_share:Q", color=alt.value(INK), tooltip=tooltip)
    spent = alt.Chart(data).mark_point(shape="diamond", filled=True, size=90).encode(
        y=y, x="actual_share:Q", color=alt.value(AMBER), tooltip=tooltip)
    chart = alt.layer(bars, plan, spent).properties(height=170)
    return _clean(chart)


def _money(x, lang: str) -> str:
    from lib import fmt

    return fmt.money_short(x, lang) if x is not None and not pd.isna(x) and abs(x) >= 1e4 else fmt.money(x)


# ---------------------------------------------------------------------------------------
# campaigns


def gantt(frame: pd.DataFrame, as_of: dt.date, span: tuple[dt.date, dt.date], lang: str) -> alt.LayerChart:
    """The campaigns on a timeline, coloured by how they are doing, the look-out day as a line."""
    data = frame.copy()
    data["label"] = [f"{c} · {n}" if isinstance(n, str) and n else str(c) for c, n in zip(data["campaign_id"], data["name"])]
    data["start"] = pd.to_datetime(data["start_date"])
    data["end"] = pd.to_datetime(data["end_date"]) + pd.Timedelta(hours=23)
    data["state"] = [t(f"cockpit.campaign.{_campaign_state(r, as_of)}", lang) for _, r in data.iterrows()]
    data["summary"] = [_campaign_summary(r, lang) for _, r in data.iterrows()]
    for col, kind in (("budget", "money"), ("spend", "money"), ("revenue", "money")):
        data[f"{col}_text"] = [_money(v, lang) for v in data[col]]
    for col in ("leads", "new_customers"):
        data[f"{col}_text"] = [f"{v:,.0f}" if not pd.isna(v) else "—" for v in data[col]]
    data["roi_text"] = [f"{v * 100:.0f}%" if not pd.isna(v) else "—" for v in data["roi"]]
    states = ["overspent", "under_delivered", "on_track", "not_started"]
    domain = [t(f"cockpit.campaign.{s}", lang) for s in states]
    y = alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=200))
    x_scale = alt.Scale(domain=[pd.Timestamp(span[0]).isoformat(), pd.Timestamp(span[1]).isoformat()])
    tooltip = [alt.Tooltip("label:N", title=" "), alt.Tooltip("state:N", title=t("cockpit.status", lang)),
               alt.Tooltip("budget_text:N", title=t("cockpit.budget", lang)),
               alt.Tooltip("spend_text:N", title=t("cockpit.spend_to_date", lang)),
               alt.Tooltip("leads_text:N", title=t("cockpit.leads", lang)),
               alt.Tooltip("new_customers_text:N", title=t("cockpit.new_customers", lang)),
               alt.Tooltip("roi_text:N", title="ROI")]
    bars = alt.Chart(data).mark_bar(cornerRadius=4, height={"band": 0.6}, clip=True).encode(
        y=y, x=alt.X("start:T", title=None, scale=x_scale, axis=alt.Axis(format="%Y-%m", labelColor=GREY,
                                                                           tickCount="month", grid=True,
                                                                           gridColor="#F2F4F7")),
        x2="end:T", tooltip=tooltip,
        color=alt.Color("state:N", scale=alt.Scale(domain=domain, range=[RED, AMBER, GREEN, GREY]),
                        legend=alt.Legend(title=None, orient="bottom")))
    text = alt.Chart(data).mark_text(align="left", dx=6, color=INK, fontSize=11).encode(
        y=y, x=alt.X("end:T", scale=x_scale), text="summary:N")
    today = alt.Chart(pd.DataFrame({"day": [pd.Timestamp(as_of).isoformat()]})).mark_rule(
        color=INK, strokeDash=[4, 3]).encode(x=alt.X("day:T", scale=x_scale))
    return _clean(alt.layer(bars, text, today).properties(height=max(140, 34 * len(data) + 40)))


def _campaign_state(row, as_of: dt.date) -> str:
    if row["overspent"]:
        return "overspent"
    if row["under_delivered"]:
        return "under_delivered"
    if row["start_date"] is not None and row["start_date"] > as_of:
        return "not_started"
    return "on_track"


def _campaign_summary(row, lang: str) -> str:
    spend = _money(row["spend"], lang)
    budget = _money(row["budget"], lang)
    roi = f" · ROI {row['roi'] * 100:.0f}%" if not pd.isna(row["roi"]) else ""
    return f"{spend} / {budget}{roi}"
