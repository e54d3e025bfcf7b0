"""Altair charts of the channel page, built from lib.channels frames (no Streamlit here).

Labels come from lib.i18n and the metric catalogue, so each chart reads in English and
Chinese. Channel names are sheet text: they only ever appear as data in the charts.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.attribution import MODELS
from lib.channels.advice import ACTIONS
from lib.channels.config import RecommendationConfig
from lib.channels.table import FUNNEL
from lib.i18n import t
from lib.metrics.spec import Catalog

DRILL_PARAM = "pick"  # the point selection a click on a channel sets (see lib.ui.channels)
ACTION_COLORS = {"scale_up": "#2E9F5B", "review": "#D64545", "no_customers": "#9C2F2F", "hold": "#7A8CA5",
                 "too_few": "#C9CED6"}
STAGE_COLORS = ["#4C78A8", "#72B7B2", "#F58518", "#54A24B"]
MODEL_COLORS = ["#4C78A8", "#F58518", "#54A24B", "#B279A2", "#72B7B2", "#E45756"]
GRADE_COLORS = ["#2E9F5B", "#88C057", "#F2B134", "#E07B39", "#D64545", "#9C2F2F"]
GOOD, BAD, NEUTRAL = "#2E9F5B", "#D64545", "#7A8CA5"


def funnel_chart(funnel: pd.DataFrame, catalog: Catalog, lang: str, columns: int = 3) -> alt.FacetChart:
    """Small multiples: one funnel per channel, stages as bars on a log scale (impressions
    are thousands of times the customers), each labelled with its count and the step's rate."""
    data = funnel[funnel["value"].notna()].copy()
    data["at"] = data["value"].clip(lower=1)  # a stage with 0 keeps its label, at the baseline
    stages = [catalog.label(m, lang) for m in FUNNEL]
    data["stage_label"] = data["metric"].map(dict(zip(FUNNEL, stages)))
    data["label"] = [_funnel_label(v, s) for v, s in zip(data["value"], data["step"])]
    # Bars on a log scale need a baseline inside the scale: they start at 1. The domain runs
    # well past the largest value to leave room for the labels to the right of the bars.
    top = float(data["value"].max()) if len(data) else 10.0
    scale = alt.Scale(type="log", domain=[1, top * 60])
    base = alt.Chart().encode(
        y=alt.Y("stage_label:N", sort=stages, title=None, axis=alt.Axis(labelLimit=120)),
        x=alt.X("at:Q", scale=scale, title=None, axis=alt.Axis(format="~s", tickCount=4, grid=False)),
    )
    bars = base.mark_bar(cornerRadiusEnd=3, height=20).encode(
        x2=alt.datum(1),
        color=alt.Color("stage_label:N", sort=stages, scale=alt.Scale(domain=stages, range=STAGE_COLORS),
                        legend=None),
        tooltip=[alt.Tooltip("channel:N", title=t("channels.col.channel", lang)),
                 alt.Tooltip("stage_label:N", title=t("channels.funnel.stage", lang)),
                 alt.Tooltip("value:Q", format=",.0f", title=t("channels.funnel.count", lang)),
                 alt.Tooltip("step:Q", format=".2%", title=t("channels.funnel.step", lang))],
    )
    text = base.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(text="label:N")
    return alt.layer(bars, text, data=data).properties(width=250, height=130).facet(
        facet=alt.Facet("channel:N", title=None, sort=list(dict.fromkeys(funnel["channel"])),
                        header=alt.Header(labelFontSize=13, labelFontWeight="bold")),
        columns=columns,
    ).resolve_scale(x="shared")


def _funnel_label(value: float, step: float) -> str:
    text = f"{value:,.0f}"
    return f"{text}  ({step:.1%})" if not np.isnan(step) else text


def efficiency_chart(advised: pd.DataFrame, blended_cac: float, cfg: RecommendationConfig,
                     lang: str) -> alt.LayerChart:
    """CAC against share of new customers, bubble area = spend, colour = recommended action.

    Lines mark the blended CAC (solid) and the thresholds (dashed): the low and high CAC and
    the small and large share of new customers. Channels without a CAC are not drawn."""
    data = advised[advised["cac"].notna() & advised["share_of_new_customers"].notna()].copy()
    data["action_label"] = data["action"].map(lambda a: t(f"channels.action.{a}", lang))
    domain = [t(f"channels.action.{a}", lang) for a in ACTIONS]
    pick = alt.selection_point(name=DRILL_PARAM, fields=["channel"], on="click")
    has_blend = bool(blended_cac) and not np.isnan(blended_cac)
    top_cac = max(float(data["cac"].max()) if len(data) else 0.0, cfg.high_cac * blended_cac if has_blend else 0.0)
    top_share = max(float(data["share_of_new_customers"].max()) if len(data) else 0.0, cfg.large_share)
    # A square-root axis spreads the many small channels that a linear one would pile up at 0.
    x_top = min(1.0, top_share * 1.1)
    ticks = [v for v in (0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0) if v <= x_top]
    x = alt.X("share_of_new_customers:Q", title=t("channels.col.share_of_new_customers", lang),
              axis=alt.Axis(format="~%", values=ticks), scale=alt.Scale(type="sqrt", domain=[0, x_top]))
    y = alt.Y("cac:Q", title=t("channels.efficiency.cac_axis", lang), axis=alt.Axis(format=",.0f"),
              scale=alt.Scale(domain=[0, top_cac * 1.15]))
    bubbles = alt.Chart(data).mark_circle(stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        size=alt.Size("spend:Q", title=t("channels.col.spend", lang) + " (¥)", scale=alt.Scale(range=[80, 2600]),
                      legend=None),  # the caption says it; the tooltip gives each amount
        color=alt.Color("action_label:N", title=t("channels.efficiency.action", lang),
                        scale=alt.Scale(domain=domain, range=[ACTION_COLORS[a] for a in ACTIONS]),
                        legend=alt.Legend(orient="bottom")),
        opacity=alt.condition(pick, alt.value(0.85), alt.value(0.35)),
        tooltip=[alt.Tooltip("channel:N", title=t("channels.col.channel", lang)),
                 alt.Tooltip("cac:Q", format=",.0f", title=t("channels.efficiency.cac_axis", lang)),
                 alt.Tooltip("share_of_new_customers:Q", format=".1%",
                             title=t("channels.col.share_of_new_customers", lang)),
                 alt.Tooltip("spend:Q", format=",.0f", title=t("channels.col.spend", lang) + " (¥)"),
                 alt.Tooltip("action_label:N", title=t("channels.efficiency.action", lang))],
    ).add_params(pick)
    labels = alt.Chart(data).mark_text(align="left", dx=8, dy=-9, fontSize=11, color="#333").encode(
        x=x, y=y, text="channel:N")
    layers = [bubbles, labels]
    if has_blend:
        lines = pd.DataFrame({
            "cac": [cfg.low_cac * blended_cac, blended_cac, cfg.high_cac * blended_cac],
            "what": [t("channels.efficiency.low_cac", lang, ratio=f"{cfg.low_cac:.0%}"),
                     t("channels.efficiency.blended", lang) + f" ¥{blended_cac:,.0f}",
                     t("channels.efficiency.high_cac", lang, ratio=f"{cfg.high_cac:.0%}")],
            "solid": [False, True, False],
        })
        for solid in (True, False):
            part = alt.Chart(lines[lines["solid"] == solid])
            layers.append(part.mark_rule(color="#888", strokeDash=[1, 0] if solid else [5, 4]).encode(
                y="cac:Q", tooltip=["what:N"]))
            # Labelled in the margin right of the plot, where no bubble can sit on them.
            layers.append(part.mark_text(align="left", baseline="middle", dx=6, fontSize=10,
                                         color="#666").encode(y="cac:Q", x=alt.value("width"), text="what:N"))
    shares = pd.DataFrame({"share": [cfg.small_share, cfg.large_share],
                           "what": [t("channels.efficiency.small_share", lang, share=f"{cfg.small_share:.0%}"),
                                    t("channels.efficiency.large_share", lang, share=f"{cfg.large_share:.0%}")]})
    share_rules = alt.Chart(shares)
    layers.append(share_rules.mark_rule(color="#888", strokeDash=[2, 3]).encode(x="share:Q", tooltip=["what:N"]))
    # The small-share label to the left of its line, the large-share one to the right: no overlap.
    for i, align, dx in ((0, "right", -3), (1, "left", 3)):
        layers.append(alt.Chart(shares.iloc[[i]]).mark_text(align=align, baseline="top", dx=dx, dy=4, fontSize=10,
                                                            color="#666").encode(x="share:Q", y=alt.value(0),
                                                                                 text="what:N"))
    return alt.layer(*layers).properties(height=440, padding={"left": 5, "top": 5, "bottom": 5, "right": 170})


def quality_chart(scores: pd.DataFrame, grades: list[str], lang: str) -> alt.LayerChart:
    """Scores ranked, best on top, coloured by grade (green for the best grade, red for the worst)."""
    data = scores[scores["score"].notna()].copy()
    data["label"] = [f"{g}  {s:.0f}" for g, s in zip(data["grade"], data["score"])]
    colors = [GRADE_COLORS[int(i)] for i in np.linspace(0, len(GRADE_COLORS) - 1, len(grades)).round()]
    base = alt.Chart(data).encode(y=alt.Y("channel:N", sort=data["channel"].tolist(), title=None,
                                          axis=alt.Axis(labelLimit=140)))
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 105]), title=t("channels.quality.score", lang),
                axis=alt.Axis(values=[0, 20, 40, 60, 80, 100])),
        color=alt.Color("grade:N", title=t("channels.quality.grade", lang),
                        scale=alt.Scale(domain=grades, range=colors)),
        tooltip=[alt.Tooltip("channel:N", title=t("channels.col.channel", lang)),
                 alt.Tooltip("score:Q", format=".1f", title=t("channels.quality.score", lang)),
                 alt.Tooltip("grade:N", title=t("channels.quality.grade", lang)),
                 alt.Tooltip("coverage:Q", format=".0%", title=t("channels.quality.coverage", lang))],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(x="score:Q", text="label:N")
    return alt.layer(bars, text).properties(height=alt.Step(30))


def attribution_chart(credits: pd.DataFrame, measure: str, lang: str, channels: list[str]) -> alt.Chart:
    """Grouped bars: per channel one bar per model, so where the models disagree stands out."""
    data = credits[credits["channel"].isin(channels)].copy()
    names = [t(f"channels.model.{m}", lang) for m in MODELS]
    data["model_label"] = data["model"].map(dict(zip(MODELS, names)))
    fmt = ",.0f" if measure == "value" else ",.1f"
    title = t(f"channels.attribution.{measure}", lang)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("channel:N", sort=channels, title=None, axis=alt.Axis(labelAngle=0, labelLimit=90)),
        xOffset=alt.XOffset("model_label:N", sort=names),
        y=alt.Y(f"{measure}:Q", title=title, axis=alt.Axis(format="~s")),
        color=alt.Color("model_label:N", sort=names, title=t("channels.attribution.model", lang),
                        scale=alt.Scale(domain=names, range=MODEL_COLORS), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("channel:N", title=t("channels.col.channel", lang)),
                 alt.Tooltip("model_label:N", title=t("channels.attribution.model", lang)),
                 alt.Tooltip(f"{measure}:Q", format=fmt, title=title)],
    ).properties(height=360)


def change_chart(comparison: pd.DataFrame, catalog: Catalog, metric: str, lang: str, now: str,
                 before: str) -> alt.LayerChart:
    """Change of one metric per channel against the period before, green when it is good news."""
    from lib.channels.compare import better

    data = comparison[["channel", metric, f"{metric}_prev", f"{metric}_change", f"{metric}_pct"]].copy()
    data.columns = ["channel", "now", "before", "change", "pct"]
    data = data[data["change"].notna()]
    data["news"] = [{True: "good", False: "bad", None: "neutral"}[better(catalog, metric, c)] for c in data["change"]]
    label = catalog.label(metric, lang)
    money = catalog[metric].format == "money"
    fmt = ",.0f" if catalog[metric].format in ("money", "integer") else ".2%" if catalog[metric].format == "percent" \
        else ",.2f"
    base = alt.Chart(data).encode(y=alt.Y("channel:N", sort=alt.EncodingSortField("change", order="descending"),
                                          title=None, axis=alt.Axis(labelLimit=140)))
    bars = base.mark_bar(cornerRadius=2).encode(
        x=alt.X("change:Q", title=t("channels.compare.change_of", lang, metric=label, before=before, now=now),
                axis=alt.Axis(format=fmt if not money else "~s")),
        color=alt.Color("news:N", scale=alt.Scale(domain=["good", "bad", "neutral"], range=[GOOD, BAD, NEUTRAL]),
                        legend=None),
        tooltip=[alt.Tooltip("channel:N", title=t("channels.col.channel", lang)),
                 alt.Tooltip("before:Q", format=fmt, title=before), alt.Tooltip("now:Q", format=fmt, title=now),
                 alt.Tooltip("change:Q", format=fmt, title=t("channels.compare.change", lang)),
                 alt.Tooltip("pct:Q", format="+.1%", title=t("channels.compare.pct", lang))],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#444").encode(x="x:Q")
    return alt.layer(bars, zero).properties(height=alt.Step(26))
