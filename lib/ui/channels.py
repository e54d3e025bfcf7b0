"""The channel page's Streamlit side: cached computations and the drawing of each section.

Every cached function is keyed by the store's generation (a new load is a new key) and the
selection (period and filters), so a rerun with the same choices draws from memory and a
refresh never shows stale numbers. The computing itself is in lib.channels and
lib.attribution; this module only caches, formats and draws.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from lib import fmt
from lib.attribution import MODELS, Attribution, attribute
from lib.channels import advice, charts
from lib.channels.compare import COMPARE_METRICS, comparison_period, period_comparison
from lib.channels.config import CHANNELS_FILE, ChannelsConfig, load_channels_config
from lib.channels.table import LTV_COLUMNS, SHARES, TABLE_METRICS, ChannelTable, channel_table, funnel, ltv_columns
from lib.i18n import t
from lib.metrics import Request, run
from lib.metrics.format import change as format_change
from lib.metrics.format import value as format_value
from lib.metrics.spec import METRICS_FILE, Catalog, load_catalog
from lib.periods import Period
from lib.store import Store
from lib.ui import filters, state

TTL = 300
DRILL_CHART_KEY = "channels_efficiency_chart"
FUNNEL_DEFAULT = 6  # channels in the funnel view until someone picks others
ATTRIBUTION_CHANNELS = 12  # most credited channels drawn in the grouped bars


# ---------------------------------------------------------------------------------------
# config and cached computations


def _mtime(path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def _catalog(mtime: float) -> Catalog:
    return load_catalog()


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def _config(mtime: float, metrics_mtime: float) -> ChannelsConfig:
    return load_channels_config()


def catalog_and_config(lang: str) -> tuple[Catalog, ChannelsConfig]:
    """The metric catalogue and config/channels.yaml, re-read when a file changes; a page
    with an invalid config lists every problem and stops."""
    return state.loaded_or_stop(
        lambda: (_catalog(_mtime(METRICS_FILE)), _config(_mtime(CHANNELS_FILE), _mtime(METRICS_FILE))), lang)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _table(generation: int, _store: Store, _catalog: Catalog, start: dt.date, end: dt.date,
           where: tuple) -> ChannelTable:
    return channel_table(_store, _catalog, start, end, where)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _ltv(generation: int, _store: Store, _catalog: Catalog, end: dt.date, where: tuple) -> pd.DataFrame:
    return ltv_columns(_store, _catalog, end, where)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _by_region(generation: int, _store: Store, _catalog: Catalog, start: dt.date, end: dt.date,
               where: tuple) -> pd.DataFrame:
    metrics = ("spend", "leads", "new_customers", "cac", "revenue", "roi")
    frame = run(_store, _catalog, Request(metrics, ("region",), None, start, end, where)).frame
    return frame.sort_values("spend", ascending=False, kind="stable").reset_index(drop=True)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _comparison(generation: int, _store: Store, _catalog: Catalog, label: str, where: tuple) -> pd.DataFrame:
    return period_comparison(_store, _catalog, Period.of(label), where)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _attribution(generation: int, _store: Store, half_life_days: float, batch_rows: int,
                 start: dt.date | None, end: dt.date | None) -> Attribution:
    return attribute(_store, half_life_days, start, end, batch_rows)


_CHARTS = {"funnel": charts.funnel_chart, "efficiency": charts.efficiency_chart, "quality": charts.quality_chart,
           "attribution": charts.attribution_chart, "change": charts.change_chart}


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _spec(name: str, catalog_version: float, _catalog: Catalog | None, args: tuple) -> dict:
    """A chart's Vega-Lite spec, keyed by the data it draws (small frames, hashed by Streamlit):
    a rerun with the same selection skips building and validating the Altair chart."""
    if _catalog is not None:
        args = (args[0], _catalog, *args[1:])
    return _CHARTS[name](*args).to_dict()


def chart(name: str, *args, catalog: Catalog | None = None, place=st, **kwargs) -> None:
    """Draw a chart of lib.channels.charts from its cached spec (catalog: the second argument of
    the builders that take one, kept out of the hashed key and replaced by the file's mtime)."""
    spec = _spec(name, _mtime(METRICS_FILE) if catalog is not None else 0.0, catalog, args)
    place.vega_lite_chart(spec, width="stretch", **kwargs)


def table(store: Store, catalog: Catalog, period: Period, where: tuple, lang: str) -> ChannelTable:
    with st.spinner(t("channels.loading", lang)):
        return _table(store.generation, store, catalog, period.start, period.end, where)


def ltv(store: Store, catalog: Catalog, period: Period, where: tuple, lang: str) -> pd.DataFrame:
    with st.spinner(t("channels.loading", lang)):
        return _ltv(store.generation, store, catalog, period.end, where)


def comparison(store: Store, catalog: Catalog, period: Period, where: tuple, lang: str) -> pd.DataFrame:
    with st.spinner(t("channels.loading", lang)):
        return _comparison(store.generation, store, catalog, period.label, where)


# ---------------------------------------------------------------------------------------
# header: what is shown, the drill path, the headline numbers


def describe(period: Period, where: tuple, lang: str) -> str:
    """One line saying what the page shows: the period, the filters, the period compared with."""
    parts = [f"{period.label} ({period.start:%Y-%m-%d} → {period.end:%Y-%m-%d})"]
    for dim, values in where:
        parts.append(f"{t(f'dim.{dim}', lang)}: {', '.join(values)}")
    parts.append(t("channels.compared", lang, previous=period.previous().label))
    return " · ".join(parts)


def breadcrumb(lang: str) -> None:
    """The drill path as buttons: the first steps back to everything, each later one to itself."""
    path = filters.drill_path()
    if not path:
        return
    row = st.container(horizontal=True)
    row.button(t("channels.drill.all", lang), key="channels_undrill_0", on_click=filters.undrill, args=(0,),
               icon=":material/arrow_back:")
    for i, (dim, value) in enumerate(path, start=1):
        row.button(f"{t(f'dim.{dim}', lang)}: {value}", key=f"channels_undrill_{i}", on_click=filters.undrill,
                   args=(i,), disabled=i == len(path), icon=":material/chevron_right:")


def headline(current: ChannelTable, previous: ChannelTable, catalog: Catalog, lang: str) -> None:
    """Spend, new customers, blended CAC and ROI of the selection, against the period before."""
    cols = st.columns(4)
    for col, metric in zip(cols, ("spend", "new_customers", "cac", "roi")):
        now, before = current.totals[metric], previous.totals[metric]
        delta = None if pd.isna(now) or pd.isna(before) else now - before
        col.metric(
            t("channels.headline.blended_cac", lang) if metric == "cac" else catalog.label(metric, lang),
            format_value(catalog, metric, now, lang, short=True),
            delta=None if delta is None else format_change(catalog, metric, delta, lang),
            delta_color="off" if catalog[metric].direction == "neutral" else
            "inverse" if catalog[metric].direction == "lower_is_better" else "normal",
            help=catalog[metric].description.en if lang == "en" else catalog[metric].description.zh,
            border=True,
        )


SECTIONS = ("table", "funnels", "efficiency", "quality", "attribution", "changes")
TAB_KEY = "channels_tab"


def open_section(lang: str):
    """The tabs, of which only the open one is computed and drawn (a rerun on switching):
    returns its name and its container."""
    sections = st.tabs([t(f"channels.tab.{name}", lang) for name in SECTIONS], key=TAB_KEY, on_change="rerun")
    for name, section in zip(SECTIONS, sections):
        if section.open:
            return name, section
    return SECTIONS[0], sections[0]


# ---------------------------------------------------------------------------------------
# the channel table


def styled(frame: pd.DataFrame, catalog: Catalog, lang: str, metrics: list[str]):
    """The frame with metric columns shown as the catalogue formats them (¥ with separators,
    % with the metric's decimals); the numbers underneath stay numbers, so sorting by a
    column header sorts by value."""
    return frame.style.format({m: (lambda v, m=m: format_value(catalog, m, v, lang)) for m in metrics})


def metric_columns(catalog: Catalog, lang: str, metrics) -> dict:
    """Column headers: the metric's label, its description as the header's help."""
    return {m: st.column_config.NumberColumn(
        catalog.label(m, lang), help=catalog[m].description.zh if lang == "zh" else catalog[m].description.en)
        for m in metrics}


def channel_rows(current: ChannelTable, catalog: Catalog, lang: str, ltv: pd.DataFrame | None = None) -> None:
    # Each share sits next to its amount, so the data bars are in view without scrolling.
    order = [c for m in TABLE_METRICS for c in [m, *[s for s, of in SHARES.items() if of == m]]]
    rows = current.rows[["channel", *order]]
    if ltv is not None and not ltv.empty:  # after CAC: what the customer is worth against what it cost
        rows = rows.merge(ltv, on="channel", how="left")
        at = rows.columns.get_loc("cac") + 1
        rows = rows[[*rows.columns[:at], *LTV_COLUMNS, *[c for c in rows.columns[at:] if c not in LTV_COLUMNS]]]
    config = {"channel": st.column_config.TextColumn(t("channels.col.channel", lang), pinned=True)}
    config.update(metric_columns(catalog, lang, TABLE_METRICS))
    for share in SHARES:
        # Bars are scaled to the largest share so that twelve small channels remain readable.
        largest = float(rows[share].max()) if rows[share].notna().any() else 1.0
        config[share] = st.column_config.ProgressColumn(
            t(f"channels.col.{share}", lang), format="percent", min_value=0.0, max_value=max(largest, 1e-9),
            help=t(f"channels.help.{share}", lang))
    if "ltv_12" in rows:
        config["ltv_12"] = st.column_config.NumberColumn(t("channels.col.ltv_12", lang), format="¥%,.0f",
                                                         help=t("channels.help.ltv", lang))
        config["ltv_cac"] = st.column_config.NumberColumn(t("channels.col.ltv_cac", lang), format="%.1f×",
                                                          help=t("channels.help.ltv", lang))
        config["payback_months"] = st.column_config.NumberColumn(t("channels.col.payback", lang), format="%.0f",
                                                                 help=t("channels.help.ltv", lang))
    st.dataframe(styled(rows, catalog, lang, list(TABLE_METRICS)), hide_index=True, width="stretch",
                 column_config=config, placeholder=fmt.DASH, height=min(35 * (len(rows) + 1) + 3, 35 * 16))
    st.caption(t("channels.table.note", lang))


def region_breakdown(store: Store, catalog: Catalog, period: Period, where: tuple, channel: str, lang: str) -> None:
    """Inside one channel (after a drill): the same numbers by region."""
    frame = _by_region(store.generation, store, catalog, period.start, period.end, where)
    if frame.empty:
        return
    st.subheader(t("channels.table.inside", lang, channel=channel))
    config = {"region": st.column_config.TextColumn(t("dim.region", lang))}
    config.update(metric_columns(catalog, lang, frame.columns[1:]))
    st.dataframe(styled(frame, catalog, lang, list(frame.columns[1:])), hide_index=True, width="stretch",
                 column_config=config, placeholder=fmt.DASH)


# ---------------------------------------------------------------------------------------
# funnels


def funnels(current: ChannelTable, catalog: Catalog, lang: str) -> None:
    available = current.rows["channel"].tolist()
    if not available:
        st.info(t("channels.empty", lang))
        return
    chosen = st.multiselect(t("channels.funnel.pick", lang), available, default=available[:FUNNEL_DEFAULT],
                            key="channels_funnel_pick")
    if not chosen:
        st.info(t("channels.funnel.none", lang))
        return
    data = funnel(current.rows, chosen)
    data["channel"] = pd.Categorical(data["channel"], categories=chosen, ordered=True)
    data = data.sort_values(["channel", "stage"]).assign(channel=lambda d: d["channel"].astype(str))
    chart("funnel", data, lang, catalog=catalog)
    st.caption(t("channels.funnel.note", lang))


# ---------------------------------------------------------------------------------------
# efficiency against share, recommendations


def _drill_from_chart() -> None:
    """A click on a bubble narrows the page (and the other marketing pages) to that channel."""
    state = st.session_state.get(DRILL_CHART_KEY)
    picked = (state or {}).get("selection", {}).get(charts.DRILL_PARAM) or []
    if picked and picked[0].get("channel"):
        filters.drill("channel", str(picked[0]["channel"]))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def plain(text: str) -> str:
    """Sheet text inside markdown: every markdown character escaped, so it stays text."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def recommendation_text(row: dict, blended_cac: float, lang: str) -> str:
    values = dict(channel=plain(row["channel"]), cac=fmt.money(row["cac"]), blended=fmt.money(blended_cac),
                  ratio=fmt.pct(row["cac_vs_blended"], 0), share=fmt.pct(row["share_of_new_customers"], 1),
                  spend=fmt.money(row["spend"]))
    return t(f"channels.advice.{row['action']}", lang, **values)


def efficiency(current: ChannelTable, cfg: ChannelsConfig, lang: str) -> None:
    advised = advice.advise(current.rows, current.blended_cac, cfg.recommendations)
    if advised["cac"].notna().any():
        chart("efficiency", advised, current.blended_cac, cfg.recommendations, lang, key=DRILL_CHART_KEY,
              on_select=_drill_from_chart, selection_mode=charts.DRILL_PARAM)
        st.caption(t("channels.efficiency.note", lang))
    else:
        st.info(t("channels.efficiency.no_cac", lang))
    st.markdown(f"**{t('channels.advice.title', lang)}**")
    listed = advice.recommendations(advised)
    if listed.empty:
        st.success(t("channels.advice.none", lang))
    icons = {"scale_up": ":material/trending_up:", "review": ":material/report:",
             "no_customers": ":material/money_off:"}
    rows = listed.to_dict(orient="records")
    for start in range(0, len(rows), 3):  # three to a row, read left to right, top to bottom
        for column, row in zip(st.columns(3), rows[start:start + 3]):
            box = column.success if row["action"] == "scale_up" else column.error
            box(recommendation_text(row, current.blended_cac, lang), icon=icons[row["action"]])
    r = cfg.recommendations
    st.caption(t("channels.advice.rules", lang, low=f"{r.low_cac:.0%}", high=f"{r.high_cac:.0%}",
                 small=f"{r.small_share:.0%}", large=f"{r.large_share:.0%}", min=f"{r.min_new_customers:g}"))


# ---------------------------------------------------------------------------------------
# quality score


def quality(current: ChannelTable, catalog: Catalog, cfg: ChannelsConfig, lang: str) -> None:
    scores = advice.quality_scores(current.rows, catalog, cfg.quality)
    grades = [g.grade for g in cfg.quality.grades]
    if scores["score"].isna().all():
        st.info(t("channels.empty", lang))
        return
    left, right = st.columns([2, 3], gap="large")
    chart("quality", scores, grades, lang, place=left)
    config = {
        "rank": st.column_config.NumberColumn(t("channels.quality.rank", lang), format="%d"),
        "channel": st.column_config.TextColumn(t("channels.col.channel", lang)),
        "grade": st.column_config.TextColumn(t("channels.quality.grade", lang)),
        "score": st.column_config.NumberColumn(t("channels.quality.score", lang), format="%.1f"),
        "coverage": st.column_config.NumberColumn(t("channels.quality.coverage", lang), format="percent",
                                                  help=t("channels.quality.coverage_help", lang)),
    }
    norms = []
    for metric in cfg.quality.weights:
        config[f"norm_{metric}"] = st.column_config.ProgressColumn(
            catalog.label(metric, lang), min_value=0.0, max_value=1.0, format="%.2f",
            help=t("channels.quality.norm_help", lang, metric=catalog.label(metric, lang)))
        norms.append(f"norm_{metric}")
    right.dataframe(scores[["rank", "channel", "grade", "score", "coverage", *norms]], hide_index=True,
                    width="stretch", column_config=config, placeholder=fmt.DASH)
    total = sum(cfg.quality.weights.values())
    weights = ", ".join(f"{catalog.label(m, lang)} {w / total:.0%}" for m, w in cfg.quality.weights.items())
    right.caption(t("channels.quality.note", lang, weights=weights))


# ---------------------------------------------------------------------------------------
# attribution


def attribution(store: Store, period: Period, where: tuple, cfg: ChannelsConfig, lang: str) -> None:
    if store.missing("touchpoints", "conversions"):
        from lib.schema import describe_tab

        missing = store.missing("touchpoints", "conversions")
        st.info(t("missing.tabs", lang, tabs=", ".join(missing), columns="; ".join(describe_tab(m) for m in missing)),
                icon="🧾")
        return
    c1, c2 = st.columns(2)
    # All journeys by default: a week holds few conversions, and credit shares settle with more.
    scope = c1.radio(t("channels.attribution.scope", lang), ("all", "period"), horizontal=True,
                     format_func=lambda s: t(f"channels.attribution.scope_{s}", lang, period=period.label),
                     key="channels_attr_scope")
    measure = c2.radio(t("channels.attribution.measure", lang), ("conversions", "value"), horizontal=True,
                       format_func=lambda m: t(f"channels.attribution.{m}", lang), key="channels_attr_measure")
    start, end = (period.start, period.end) if scope == "period" else (None, None)
    with st.spinner(t("channels.attribution.computing", lang)):
        result = _attribution(store.generation, store, cfg.attribution.half_life_days, cfg.attribution.chunk_rows,
                              start, end)
    if result.converted == 0:
        st.info(t("channels.attribution.none", lang))
        return
    wide = result.wide(measure)
    picked = dict(where).get("channel")
    if picked:  # credit is computed over whole journeys; the filter only chooses the rows shown
        wide = wide[wide["channel"].isin(picked)]
    shown = wide["channel"].tolist()[:ATTRIBUTION_CHANNELS]
    chart("attribution", result.credits, measure, lang, shown)
    names = {m: t(f"channels.model.{m}", lang) for m in MODELS}
    number_format = "yen" if measure == "value" else "%.2f"
    config = {"channel": st.column_config.TextColumn(t("channels.col.channel", lang), pinned=True)}
    config.update({m: st.column_config.NumberColumn(names[m], format=number_format) for m in MODELS})
    st.dataframe(wide, hide_index=True, width="stretch", column_config=config, placeholder=fmt.DASH)
    total = fmt.money(result.total_value) if measure == "value" else fmt.number(result.converted)
    st.caption(t("channels.attribution.note", lang, journeys=fmt.number(result.journeys),
                 converted=fmt.number(result.converted), value=fmt.money(result.total_value), total=total,
                 half_life=f"{cfg.attribution.half_life_days:g}"))


# ---------------------------------------------------------------------------------------
# week over week, month over month


def changes(store: Store, catalog: Catalog, selected: Period, where: tuple, lang: str) -> None:
    c1, c2 = st.columns([1, 1])
    grain = c1.radio(t("channels.compare.kind", lang), ("week", "month"), horizontal=True,
                     format_func=lambda g: t(f"channels.compare.{g}", lang), key="channels_compare_grain")
    metric = c2.selectbox(t("channels.compare.metric", lang), COMPARE_METRICS,
                          format_func=lambda m: catalog.label(m, lang), key="channels_compare_metric")
    period = comparison_period(selected, grain)
    before = period.previous()
    st.caption(t("channels.compare.periods", lang, now=period.label, before=before.label))
    frame = comparison(store, catalog, period, where, lang)
    if frame.empty:
        st.info(t("channels.empty", lang))
        return
    chart("change", frame, metric, lang, period.label, before.label, catalog=catalog)
    wide = {f"{catalog.label(m, lang)} Δ": st.column_config.TextColumn(width="medium") for m in COMPARE_METRICS}
    st.dataframe(change_table(frame, catalog, lang), hide_index=True, width="stretch", placeholder=fmt.DASH,
                 column_config=wide)


def change_table(frame: pd.DataFrame, catalog: Catalog, lang: str):
    """Text cells per metric (this period, change against the period before) in the catalogue's
    formats, — for missing; a change is green when it is good news and red when it is bad."""
    from lib.channels.compare import better

    cells, colors = {t("channels.col.channel", lang): frame["channel"]}, {}
    for m in COMPARE_METRICS:
        label = catalog.label(m, lang)
        cells[label] = [format_value(catalog, m, v, lang) for v in frame[m]]
        cells[f"{label} Δ"] = [_change_cell(catalog, m, c, p, lang)
                               for c, p in zip(frame[f"{m}_change"], frame[f"{m}_pct"])]
        colors[f"{label} Δ"] = [{True: f"color: {charts.GOOD}", False: f"color: {charts.BAD}"}.get(
            better(catalog, m, c), "") for c in frame[f"{m}_change"]]
    table = pd.DataFrame(cells)
    css = pd.DataFrame({c: colors.get(c, [""] * len(table)) for c in table.columns})
    return table.style.apply(lambda _: css, axis=None)


def _change_cell(catalog: Catalog, metric: str, change: float, pct: float, lang: str) -> str:
    if pd.isna(change):
        return fmt.DASH
    mark = "▲ " if change > 0 else "▼ " if change < 0 else ""
    text = format_change(catalog, metric, change, lang)
    if catalog[metric].format != "percent" and not pd.isna(pct):
        text += f" ({fmt.pct(pct, 0, signed=True)})"
    return mark + text
