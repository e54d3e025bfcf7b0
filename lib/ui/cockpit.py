"""Streamlit side of the cockpit: cached wrappers around lib.cockpit and the drawing of
each section. Every wrapper is keyed by the store's generation (a reload is a new
generation), the config files' modification times and the selection, so a rerun with
the same filters draws from the cache and a refresh or a config edit recomputes.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lib import fmt
from lib.cockpit import actions as actions_lib, anomalies as anomalies_lib, budget as budget_lib
from lib.cockpit import benchmarks as benchmarks_lib, campaigns as campaigns_lib, charts
from lib.cockpit import compare as compare_lib, tiles as tiles_lib, why as why_lib
from lib.cockpit.config import COCKPIT_FILE, CockpitConfig, load_cockpit_config
from lib.cockpit.text import short_value
from lib.i18n import t
from lib.metrics import RequestError, load_catalog
from lib.metrics.format import change as format_change, explain_sentence, value as format_value
from lib.metrics.spec import METRICS_FILE, Catalog
from lib.periods import Period
from lib.store import MissingTabError, Store
from lib.ui import filters, state
from lib.ui.filters import Selection
from lib.ui.widgets import plain

TTL = 300
FOCUS_KEY, BY_KEY = "cockpit_metric", "cockpit_by"
BREAKDOWN_CHART, WATERFALL_CHART = "cockpit_breakdown", "cockpit_waterfall"
BADGE = {"green": "green", "amber": "orange", "red": "red", None: "gray"}
TILE_HEIGHT = 276


# ---------------------------------------------------------------------------------------
# config and cached computations


def _config_key() -> tuple[float, float]:
    return METRICS_FILE.stat().st_mtime, COCKPIT_FILE.stat().st_mtime


@st.cache_resource(show_spinner=False, max_entries=4)
def _configs(key: tuple[float, float]) -> tuple[Catalog, CockpitConfig]:
    return load_catalog(), load_cockpit_config()


def configs_or_stop(lang: str) -> tuple[Catalog, CockpitConfig]:
    """The metric catalogue and config/cockpit.yaml, or their problems and a stopped page."""
    return state.loaded_or_stop(lambda: _configs(_config_key()), lang)


def _ctx():
    return _configs(_config_key())


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _tiles(generation: int, key, _store: Store, period: Period, where) -> list[tiles_lib.Tile]:
    catalog, cfg = _ctx()
    return tiles_lib.build_tiles(_store, catalog, cfg, period, where)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _anomalies(generation: int, key, _store: Store, period: Period, where) -> list[anomalies_lib.Anomaly]:
    catalog, cfg = _ctx()
    return anomalies_lib.detect(_store, catalog, cfg, period, where)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _breakdown(generation: int, key, _store: Store, metric: str, by: str, period: Period, where):
    catalog, _ = _ctx()
    return why_lib.breakdown(_store, catalog, metric, by, period, where)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _why(generation: int, key, _store: Store, metric: str, by: str, period: Period, where):
    catalog, _ = _ctx()
    return why_lib.why(_store, catalog, metric, by, period, where)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _pop(generation: int, key, _store: Store, metrics: tuple[str, ...], as_of: dt.date, where) -> pd.DataFrame:
    catalog, _ = _ctx()
    return compare_lib.period_over_period(_store, catalog, metrics, as_of, where)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _budget(generation: int, key, _store: Store, period: Period, where) -> budget_lib.BudgetView:
    catalog, cfg = _ctx()
    return budget_lib.budget_view(_store, catalog, cfg.budget, period, where)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _campaigns(generation: int, key, _store: Store, as_of: dt.date, where) -> campaigns_lib.CampaignView:
    catalog, cfg = _ctx()
    return campaigns_lib.campaign_view(_store, catalog, cfg.campaigns, as_of, where)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _benchmarks(generation: int, key, _store: Store, period: Period, where):
    catalog, _ = _ctx()
    return benchmarks_lib.benchmark_rows(_store, catalog, period, where)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _actions(generation: int, key, _store: Store, as_of: dt.date, lang: str) -> pd.DataFrame:
    catalog, _ = _ctx()
    return actions_lib.action_list(_store, catalog, as_of, lang)


CATALOG = "<catalog>"  # stands for the metric catalogue among a chart builder's arguments


@st.cache_data(ttl=TTL, max_entries=512, show_spinner=False)
def _spec(key, name: str, args: tuple) -> dict:
    """A chart of lib.cockpit.charts as a Vega-Lite spec. Building an Altair chart takes tens
    of milliseconds and the page has about fifteen, so a rerun with the same data reuses
    the spec. Schema validation is left to the tests (test_every_chart_is_valid_vega_lite):
    it costs more than building and cannot fail on specs the tests have validated."""
    catalog, _ = _ctx()
    chart = getattr(charts, name)(*[catalog if isinstance(a, str) and a == CATALOG else a for a in args])
    spec = chart.to_dict(validate=False)
    view = spec.get("config", {}).get("view", {})
    for default in ("continuousWidth", "continuousHeight"):  # Altair's theme; Streamlit sizes the chart
        view.pop(default, None)
    return spec


def draw(name: str, *args, key: str | None = None, on_select=None) -> None:
    spec = _spec(_config_key(), name, args)
    if on_select is None:
        st.vega_lite_chart(spec=spec, width="stretch")
    else:
        st.vega_lite_chart(spec=spec, width="stretch", key=key, on_select=on_select, selection_mode=charts.PICK)


def as_of(store: Store, selection: Selection) -> dt.date:
    """The day the page looks from: the period's end, or the data's last day if earlier."""
    span = filters._span(store.generation, store)
    return actions_lib.as_of_day(selection.period.end, span[1] if span else None)


# ---------------------------------------------------------------------------------------
# focus: which KPI the "why" section explains


def kpi_options(catalog: Catalog, cfg: CockpitConfig) -> list[str]:
    out: list[str] = []
    for spec in cfg.tiles:
        for name in (spec.metric, spec.also):
            if name and name not in out:
                out.append(name)
    return out


def focus_metric(catalog: Catalog, cfg: CockpitConfig) -> str:
    """The focused KPI: ?metric=<name> (the OKR page links here) when it is new, else the
    one chosen on the page, else the first tile's."""
    wanted = st.query_params.get("metric")
    if wanted is not None:
        # Taken once and dropped from the address, so that following the same link again
        # after choosing another KPI on the page focuses the linked KPI again.
        del st.query_params["metric"]
        if wanted in catalog:
            st.session_state[FOCUS_KEY] = wanted
            st.session_state.pop(f"_w_{FOCUS_KEY}", None)
    focus = st.session_state.get(FOCUS_KEY)
    return focus if focus in catalog else kpi_options(catalog, cfg)[0]


def _cannot_compute(store: Store, catalog: Catalog, metric: str, selection: Selection, lang: str) -> str | None:
    """Why a focused KPI (from a link) cannot be shown under these filters, if it cannot."""
    missing = sorted({catalog[leaf].tab for leaf in catalog.leaves(metric) if not store.has(catalog[leaf].tab)})
    if missing:
        return t("cockpit.missing_tab", lang, tab=", ".join(missing))
    stray = [d for d, _ in selection.where if d not in catalog.dimensions(metric)]
    if stray:
        return t("cockpit.why.not_filterable", lang, metric=catalog.label(metric, lang),
                 dims=", ".join(t(f"dim.{d}", lang) for d in stray))
    return None


def _remember(key: str):
    def _store_choice() -> None:
        st.session_state[key] = st.session_state[f"_w_{key}"]
    return _store_choice


def _reset_split() -> None:
    """After a drill the split moves on to the next open dimension."""
    st.session_state.pop(BY_KEY, None)
    st.session_state.pop(f"_w_{BY_KEY}", None)


def split_dimension(cfg: CockpitConfig, selection: Selection, catalog: Catalog, metric: str) -> str | None:
    """The chosen "split by" dimension, else the first one the filters leave open."""
    allowed = [d for d in cfg.why.dimensions if d in catalog.dimensions(metric)]
    open_dims = [d for d in allowed if d not in selection.fixed]
    chosen = st.session_state.get(BY_KEY)
    if chosen in open_dims:
        return chosen
    return open_dims[0] if open_dims else None


# ---------------------------------------------------------------------------------------
# drawing


def header(selection: Selection, lang: str) -> None:
    p = selection.period
    text = t("cockpit.subtitle", lang, grain=t(f"grain.{p.grain}", lang), period=p.label,
             start=f"{p.start:%Y-%m-%d}", end=f"{p.end:%Y-%m-%d}", vs=p.previous().label)
    if selection.where:
        text += " · " + " · ".join(f"{t(f'dim.{d}', lang)}: {' / '.join(v)}" for d, v in selection.where)
    st.caption(plain(text))


def tiles_grid(store: Store, selection: Selection, lang: str, focus: str, anomalies: list, actions: pd.DataFrame,
               per_row: int = 4) -> list[tiles_lib.Tile]:
    catalog, _ = _ctx()
    try:
        with st.spinner(t("cockpit.computing", lang)):
            tiles = _tiles(store.generation, _config_key(), store, selection.period, selection.where)
    except (MissingTabError, RequestError) as exc:  # a tile metric this data or filter cannot give
        st.warning(str(exc))
        return []
    marked = {a.metric: a for a in anomalies}
    open_actions = actions[actions["status"].isin(actions_lib.OPEN)] if len(actions) else actions
    for tile in tiles:
        if tile.kind == "metric":
            tile.anomaly = marked.get(tile.metric) or (marked.get(tile.also) if tile.also else None)
        tile.open_actions = int((open_actions["metric"] == tile.metric).sum()) if len(open_actions) else 0
    for start in range(0, len(tiles), per_row):
        for column, tile in zip(st.columns(per_row), tiles[start:start + per_row]):
            with column:
                _tile_card(tile, catalog, lang, focus, selection.period)
    return tiles


def _tile_card(tile: tiles_lib.Tile, catalog: Catalog, lang: str, focus: str, period: Period) -> None:
    metric = catalog[tile.metric]
    label = t(f"cockpit.tile.{tile.key}", lang) if tile.key in ("content_reach", "sales_vs_target") \
        else catalog.label(tile.metric, lang)
    if focus in (tile.metric, tile.also) and tile.kind == "metric":
        label = f":material/center_focus_strong: {label}"
    # One height for every tile, so the grid lines up whatever each tile has to say.
    with st.container(border=True, height=TILE_HEIGHT, key=f"tile_{tile.key}"):
        if tile.kind == "attainment":
            value = fmt.pct(tile.value, 0)
            delta = None if tile.change is None else f"{tile.change * 100:+.0f}{' 个百分点' if lang == 'zh' else ' pp'}"
        else:
            value = short_value(catalog, tile.metric, tile.value, lang)
            delta = _delta_text(catalog, tile.metric, tile.change, tile.change_pct, lang)
        color = {"higher_is_better": "normal", "lower_is_better": "inverse"}.get(metric.direction, "off")
        st.metric(label, value, delta, delta_color=color,
                  help=f"{getattr(metric.description, lang)} {t('cockpit.vs', lang, period=period.previous().label)}")
        with st.container(horizontal=True, gap="small"):
            st.badge(t(f"cockpit.status.{tile.status or 'none'}", lang), color=BADGE.get(tile.status, "gray"))
            if tile.anomaly is not None:
                st.badge(t("cockpit.badge.unusual", lang), icon=":material/warning:", color="violet",
                         help=anomalies_lib.reason(tile.anomaly, catalog, lang))
        draw("sparkline", tile.series, CATALOG, tile.metric, lang, tile.status, tile.kind == "attainment")
        note = _tile_note(tile, catalog, lang)
        if tile.open_actions:
            note += " · " + t("cockpit.open_actions", lang, n=tile.open_actions)
        st.caption(plain(note))


def _delta_text(catalog: Catalog, metric: str, change, change_pct, lang: str) -> str | None:
    if change is None:
        return None
    text = format_change(catalog, metric, change, lang)
    if catalog[metric].format != "percent" and change_pct is not None:
        text += f" ({fmt.pct(change_pct, 0, signed=True)})"
    return text


def _tile_note(tile: tiles_lib.Tile, catalog: Catalog, lang: str) -> str:
    if tile.kind == "attainment":
        if tile.target is None:
            return t("cockpit.no_target", lang)
        return t("cockpit.attainment_note", lang, actual=format_value(catalog, tile.metric, tile.actual, lang),
                 target=format_value(catalog, tile.metric, tile.target, lang))
    if tile.also:
        change = tile.also_change_pct
        return t("cockpit.also_note", lang, label=catalog.label(tile.also, lang),
                 value=short_value(catalog, tile.also, tile.also_value, lang),
                 change=fmt.pct(change, 0, signed=True) if change is not None else fmt.DASH)
    if tile.target is None:
        return t("cockpit.no_target", lang)
    return t("cockpit.target_note", lang, target=format_value(catalog, tile.metric, tile.target, lang))


# ---- why did this move ------------------------------------------------------------------


def why_section(store: Store, selection: Selection, lang: str, focus: str) -> None:
    catalog, cfg = _ctx()
    st.subheader(t("cockpit.why.title", lang))
    options = kpi_options(catalog, cfg)
    if focus not in options:
        options = [focus] + options
    controls = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
    controls.selectbox(t("cockpit.why.kpi", lang), options, index=options.index(focus), key=f"_w_{FOCUS_KEY}",
                       format_func=lambda m: catalog.label(m, lang), on_change=_remember(FOCUS_KEY), width=240)
    problem = _cannot_compute(store, catalog, focus, selection, lang)
    if problem:
        st.info(problem)
        return
    by = split_dimension(cfg, selection, catalog, focus)
    allowed = [d for d in cfg.why.dimensions if d in catalog.dimensions(focus) and d not in selection.fixed]
    if by is None:
        st.info(t("cockpit.why.nothing_to_split", lang, metric=catalog.label(focus, lang)))
        return
    controls.segmented_control(t("cockpit.why.by", lang), allowed, default=by, key=f"_w_{BY_KEY}",
                               format_func=lambda d: t(f"dim.{d}", lang), on_change=_remember(BY_KEY),
                               required=True)
    left, right = st.columns([5, 6], gap="large")
    period, where, key = selection.period, selection.where, _config_key()
    # A new chart (new key) after each drill or split change: a click on the old chart
    # must not stay selected on bars of another dimension.
    suffix = f"-{by}-{len(filters.drill_path())}"
    breakdown_key, waterfall_key = BREAKDOWN_CHART + suffix, WATERFALL_CHART + suffix
    with st.spinner(t("cockpit.computing", lang)):
        parts, left_out = _breakdown(store.generation, key, store, focus, by, period, where)
        result = _why(store.generation, key, store, focus, by, period, where)
    with left:
        st.markdown(f"**{t('cockpit.why.level', lang, metric=catalog.label(focus, lang), dim=t(f'dim.{by}', lang))}**")
        if parts.empty:
            st.info(t("cockpit.no_data", lang))
        else:
            draw("breakdown_chart", parts, by, CATALOG, focus, lang, key=breakdown_key,
                 on_select=filters.drill_on_select(breakdown_key, charts.PICK, by, then=_reset_split))
            st.caption(t("cockpit.why.drill_hint", lang, vs=period.previous().label)
                       + ("" if catalog[focus].direction == "neutral" else " " + t("cockpit.why.colours", lang))
                       + (" " + t("cockpit.why.left_out", lang, n=left_out) if left_out else ""))
    with right:
        st.markdown(f"**{t('cockpit.why.change', lang, metric=catalog.label(focus, lang), vs=period.previous().label)}**")
        steps = why_lib.waterfall(result, cfg.why.top, t("cockpit.why.others", lang))
        sentence = explain_sentence(result, catalog, lang)
        if steps is None:
            st.info(plain(sentence))
            return
        draw("waterfall_chart", steps, by, CATALOG, focus, lang, key=waterfall_key,
             on_select=filters.drill_on_select(waterfall_key, charts.PICK, by, then=_reset_split))
        st.markdown(f":material/lightbulb: {plain(sentence)}")


# ---- anomalies and week over week / month over month --------------------------------------


def anomalies_for(store: Store, selection: Selection) -> list:
    return _anomalies(store.generation, _config_key(), store, selection.period, selection.where)


def anomalies_panel(anomalies: list, selection: Selection, lang: str) -> None:
    catalog, cfg = _ctx()
    week = anomalies_lib.anomaly_week(selection.period)
    with st.container(border=True):
        st.markdown(f"**:violet[:material/troubleshoot:] {t('cockpit.anomaly.title', lang, week=week.label)}**",
                    help=t("cockpit.anomaly.method", lang, k=f"{cfg.anomalies.k:g}", weeks=cfg.anomalies.window_weeks))
        if not anomalies:
            st.markdown(":green[:material/check_circle:] " + t("cockpit.anomaly.none", lang,
                                                             weeks=cfg.anomalies.window_weeks))
        lines = []
        for anomaly in anomalies:
            icon = ":material/trending_up:" if anomaly.side == "above" else ":material/trending_down:"
            lines.append(f":violet[{icon}] {plain(anomalies_lib.reason(anomaly, catalog, lang))}")
        if lines:
            st.markdown("  \n".join(lines))


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _break_even(generation: int, key, _store: Store, as_of: dt.date) -> pd.DataFrame:
    from lib.customers.break_even import break_even_flags

    catalog, _ = _ctx()
    return break_even_flags(_store, as_of, catalog)


def break_even_panel(store: Store, lang: str, day: dt.date) -> None:
    """Campaigns and channels whose revenue has not covered their spend by the payback
    horizon (lib.customers.break_even); nothing when all have paid back."""
    if store.missing("orders", "customers"):
        return
    flags = _break_even(store.generation, _config_key(), store, day)
    if flags.empty:
        return
    lines = []
    for row in flags.itertuples(index=False):
        label = plain(f"{row.id} · {row.name}" if row.kind == "campaign" else str(row.id))
        lines.append(t("cockpit.break_even.line", lang, what=label, coverage=fmt.pct(row.coverage, 0),
                       shortfall=fmt.money(row.shortfall), since=f"{row.since}"))
    st.warning(f"**{t('cockpit.break_even.title', lang)}**  \n" + "  \n".join(lines), icon=":material/savings:")


def comparison_section(store: Store, selection: Selection, lang: str, day: dt.date) -> None:
    catalog, cfg = _ctx()
    metrics = tuple(kpi_options(catalog, cfg))
    with st.spinner(t("cockpit.computing", lang)):
        frame = _pop(store.generation, _config_key(), store, metrics, day, selection.where)
    frame = frame.copy()
    frame["text"] = [_pop_text(catalog, r, lang) for _, r in frame.iterrows()]
    columns = st.columns(2, gap="large")
    for column, basis in zip(columns, ("wow", "mom")):
        part = frame[frame["basis"] == basis]
        if part.empty:
            continue
        with column:
            first = part.iloc[0]
            st.markdown(f"**{t(f'cockpit.{basis}', lang, period=first['period'], vs=first['vs'])}**")
            draw("change_bars", part, CATALOG, lang, "change_pct", {"text": t(f"cockpit.{basis}_short", lang)})


def _pop_text(catalog: Catalog, row, lang: str) -> str:
    """'¥663,859 against ¥625,884 (+¥37,975)'"""
    return t("cockpit.pop_text", lang, value=format_value(catalog, row["metric"], row["value"], lang),
             previous=format_value(catalog, row["metric"], row["previous"], lang),
             change=format_change(catalog, row["metric"], row["change"], lang))


# ---- budget -----------------------------------------------------------------------------


def budget_section(store: Store, selection: Selection, lang: str) -> None:
    catalog, cfg = _ctx()
    st.subheader(t("cockpit.budget.title", lang))
    if not store.has("budget"):
        st.info(t("cockpit.missing_tab", lang, tab="budget"))
        return
    with st.spinner(t("cockpit.computing", lang)):
        view = _budget(store.generation, _config_key(), store, selection.period, selection.where)
    if view.lines.empty:
        st.info(t("cockpit.budget.none", lang, period=selection.period.label))
        return
    total_actual = view.total_actual
    a, b, c, d = st.columns(4)
    a.metric(t("cockpit.budget.total", lang), fmt.money_short(view.total_budget, lang), border=True)
    b.metric(t("cockpit.budget.spent", lang), fmt.money_short(total_actual, lang), border=True)
    util = total_actual / view.total_budget if total_actual is not None and view.total_budget else None
    c.metric(t("cockpit.utilisation", lang), fmt.pct(util, 0), border=True)
    d.metric(t("cockpit.budget.over_lines", lang), str(len(view.over)), border=True)
    over = [plain(t("cockpit.budget.over" if line["flag"] == "over" else "cockpit.budget.no_budget", lang,
                        department=line["department"], category=t(f"cockpit.category.{line['category']}", lang),
                        actual=fmt.money(line["actual"]), budget=fmt.money(line["budget"]),
                        pct=charts._util(line["utilisation"])))
            for _, line in view.over.iterrows()]
    if over:
        st.error("  \n".join(over), icon=":material/money_off:")
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**{t('cockpit.budget.by_line', lang)}**")
        # Lines whose spend is not tracked (training) have nothing to draw; the totals keep them.
        draw("budget_chart", view.lines[view.lines["actual"].notna()], lang)
    with right:
        st.markdown(f"**{t('cockpit.budget.split', lang)}**")
        draw("split_chart", view.categories, lang)
        st.caption(t("cockpit.split.legend", lang))
    off = [t("cockpit.budget.off_plan", lang, category=t(f"cockpit.category.{row['category']}", lang),
             share=fmt.pct(row["budget_share"], 0), plan=fmt.pct(row["plan_share"], 0),
             tolerance=f"{cfg.budget.split_tolerance * 100:g}")
           for _, row in view.categories[view.categories["off_plan"]].iterrows()]
    if off:
        st.warning("  \n".join(off), icon=":material/pie_chart:")
    notes = []
    if view.ignored_filters:
        notes.append(t("cockpit.budget.filters_ignored", lang,
                       dims=", ".join(t(f"dim.{d}", lang) for d in view.ignored_filters)))
    if view.unmapped:
        notes.append(t("cockpit.budget.unmapped", lang, channels=", ".join(view.unmapped)))
    untracked = [t(f"cockpit.category.{c}", lang) for c in budget_lib.CATEGORIES if not cfg.budget.tracked(c)]
    if untracked:
        notes.append(t("cockpit.budget.untracked", lang, categories=", ".join(untracked)))
    if notes:
        st.caption(plain(" ".join(notes)))


# ---- campaigns --------------------------------------------------------------------------


def campaigns_section(store: Store, selection: Selection, lang: str, day: dt.date) -> None:
    st.subheader(t("cockpit.campaigns.title", lang))
    if not store.has("campaigns"):
        st.info(t("cockpit.missing_tab", lang, tab="campaigns"))
        return
    with st.spinner(t("cockpit.computing", lang)):
        view = _campaigns(store.generation, _config_key(), store, day, selection.where)
    if view.frame.empty:
        st.info(t("cockpit.campaigns.none", lang, start=view.window[0], end=view.window[1]))
        return
    lines = []
    for _, row in view.flagged.iterrows():
        problems = []
        if row["overspent"]:
            problems.append(t("cockpit.campaigns.overspent", lang, spend=fmt.money(row["spend"]),
                              budget=fmt.money(row["budget"]), pct=charts._util(row["spend_share"])))
        if row["under_delivered"]:
            problems.append(t("cockpit.campaigns.under", lang, roi=fmt.pct(row["roi"], 0),
                              target=fmt.pct(row["roi_target"], 0)))
        lines.append(t("cockpit.campaigns.flag_line", lang, name=plain(_campaign_name(row)),
                       problems=plain(("；" if lang == "zh" else "; ").join(problems))))
    if lines:
        st.warning("  \n".join(lines), icon=":material/flag:")
    draw("gantt", view.frame, day, view.window, lang)
    table = pd.DataFrame({
        t("cockpit.campaigns.campaign", lang): [_campaign_name(r) for _, r in view.frame.iterrows()],
        t("cockpit.budget", lang): [fmt.money(v) for v in view.frame["budget"]],
        t("cockpit.spend_to_date", lang): [fmt.money(v) for v in view.frame["spend"]],
        t("cockpit.campaigns.used", lang): view.frame["spend_share"],
        t("cockpit.leads", lang): [fmt.number(v) for v in view.frame["leads"]],
        t("cockpit.new_customers", lang): [fmt.number(v) for v in view.frame["new_customers"]],
        "ROI": [fmt.pct(v, 0) for v in view.frame["roi"]],
        t("cockpit.status", lang): [t(f"cockpit.campaign.{charts._campaign_state(r, day)}", lang)
                                    for _, r in view.frame.iterrows()],
    })
    flagged = (view.frame["overspent"] | view.frame["under_delivered"]).tolist()
    styled = table.style.apply(lambda row: [_highlight(flagged[row.name])] * len(row), axis=1)
    st.dataframe(styled, hide_index=True, width="stretch", column_config={
        t("cockpit.campaigns.used", lang): st.column_config.ProgressColumn(
            format="percent", min_value=0.0, max_value=max(1.0, float(view.frame["spend_share"].max(skipna=True) or 1)))})
    notes = [t("cockpit.campaigns.window", lang, start=view.window[0], end=view.window[1], day=day)]
    if view.ignored_filters:
        notes.append(t("cockpit.campaigns.filters_ignored", lang,
                       dims=", ".join(t(f"dim.{d}", lang) for d in view.ignored_filters)))
    st.caption(" ".join(notes))


def _campaign_name(row) -> str:
    name = row.get("name")
    return f"{row['campaign_id']} · {name}" if isinstance(name, str) and name else str(row["campaign_id"])


def _day(d) -> str:
    return d.isoformat() if isinstance(d, dt.date) else fmt.DASH


def _highlight(on: bool) -> str:
    return "background-color: #FDECEC" if on else ""


# ---- benchmarks and actions -------------------------------------------------------------


def benchmarks_section(store: Store, selection: Selection, lang: str) -> None:
    catalog, _ = _ctx()
    st.subheader(t("cockpit.benchmarks.title", lang))
    with st.spinner(t("cockpit.computing", lang)):
        rows, unknown = _benchmarks(store.generation, _config_key(), store, selection.period, selection.where)
    if rows.empty:
        st.info(t("cockpit.benchmarks.none", lang))
        return
    rows = rows.copy()
    rows["text"] = [t("cockpit.benchmarks.pair", lang, actual=format_value(catalog, r["metric"], r["actual"], lang),
                      benchmark=format_value(catalog, r["metric"], r["benchmark"], lang))
                    for _, r in rows.iterrows()]
    rows["gap_text"] = [format_change(catalog, r["metric"], r["gap"], lang) for _, r in rows.iterrows()]
    chart, notes = st.columns([3, 1], gap="large")
    with chart:
        draw("change_bars", rows, CATALOG, lang, "gap_pct",
             {"text": " ", "gap_text": t("cockpit.benchmarks.gap", lang)}, "text")
    sources = sorted({str(s) for s in rows["source"].dropna()})
    note = t("cockpit.benchmarks.note", lang, sources=", ".join(sources) or fmt.DASH)
    if unknown:
        note += " " + t("cockpit.benchmarks.unknown", lang, names=", ".join(unknown))
    notes.caption(plain(note))


def actions_section(store: Store, selection: Selection, lang: str, day: dt.date) -> None:
    st.subheader(t("cockpit.actions.title", lang))
    if not store.has("actions"):
        st.info(t("cockpit.missing_tab", lang, tab="actions"))
        return
    frame = actions_for(store, day, lang)
    live = frame[frame["status"].isin(actions_lib.OPEN) | frame["status"].isna()]
    overdue_n = int(frame["overdue"].sum())
    with st.container(horizontal=True, gap="small"):
        st.badge(t("cockpit.actions.open_n", lang, n=len(live)), icon=":material/pending_actions:", color="blue")
        st.badge(t("cockpit.actions.overdue_n", lang, n=overdue_n), icon=":material/alarm:",
                 color="red" if overdue_n else "gray")
        st.badge(t("cockpit.actions.done_n", lang, n=int((frame["status"] == "done").sum())),
                 icon=":material/task_alt:", color="green")
    frame = actions_lib.on_the_list(frame, selection.period.start)
    if frame.empty:
        st.info(t("cockpit.actions.none", lang))
        return
    table = pd.DataFrame({
        t("cockpit.actions.action", lang): frame["title"],
        t("cockpit.actions.owner", lang): frame["owner"].fillna(fmt.DASH),
        t("cockpit.actions.due", lang): [_day(d) for d in frame["due"]],
        t("cockpit.status", lang): [_action_status(s, n, lang) for s, n in zip(frame["status"], frame["days_overdue"])],
        t("cockpit.actions.metric", lang): frame["metric_label"].fillna(fmt.DASH),
    })
    overdue = frame["overdue"].tolist()
    styled = table.style.apply(lambda row: [_highlight(overdue[row.name])] * len(row), axis=1)
    st.dataframe(styled, hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 4, 440),
                 column_config={t("cockpit.actions.action", lang): st.column_config.TextColumn(width="large")})
    st.caption(t("cockpit.actions.as_of", lang, day=day))


def _action_status(status, days_overdue, lang: str) -> str:
    """'Open', or 'Open · 9 days overdue'."""
    text = t(f"cockpit.action.{status}", lang) if isinstance(status, str) else fmt.DASH
    if not pd.isna(days_overdue):
        text += " · " + t("cockpit.actions.days_overdue", lang, n=int(days_overdue))
    return text


def actions_for(store: Store, day: dt.date, lang: str) -> pd.DataFrame:
    if not store.has("actions"):
        return pd.DataFrame(columns=["status", "metric", "overdue"])
    return _actions(store.generation, _config_key(), store, day, lang)
