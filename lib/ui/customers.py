"""Streamlit helpers of the Customer value page: cached computations keyed by the store's
generation, the page's filters, charts and display tables. Numbers come from lib.customers."""
from __future__ import annotations

import datetime as dt
import re

import altair as alt
import pandas as pd
import streamlit as st

from lib import dimensions, fmt
from lib.customers import abtest, break_even, cohorts as cohort_lib, ltv as ltv_lib, rfm
from lib.customers.config import CustomersConfig, load_customers_config
from lib.customers.data import Scope, latest_order_date
from lib.i18n import t
from lib.schema import describe_tab
from lib.store import Store
from lib.ui import state

TTL = 300
PREVIEW_ROWS = 50
CHANNEL_COLORS = alt.Scale(scheme="tableau20")  # a dozen channels need more than ten colours
# Every channel in the legend, under the chart (a legend beside it is cut at the chart's height).
CHANNEL_LEGEND = alt.Legend(orient="bottom", columns=6, symbolLimit=0, labelLimit=160)
VERDICT_COLORS = {"control": "#9D9D9D", "significant": "#54A24B", "not_yet": "#F58518", "no_effect": "#4C78A8"}
FILTERS = (("channel", "customers.channels"), ("region", "customers.regions"),
           ("product_line", "customers.product_lines"))


LABELS = alt.Axis(labelOverlap=False, labelLimit=220)  # every bar keeps its name


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text) -> str:
    """Sheet text for a heading or caption (which render Markdown): every Markdown
    character escaped, so a cell shows as typed and never becomes a link or markup."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def table_height(rows: int, cap: int = 640) -> int:
    """Tall enough for every row of a short table (st.dataframe rows are 35 px)."""
    return min(35 * (rows + 1) + 3, cap)


# ---------------------------------------------------------------------------------------
# config, catalogue, filters


def config_or_stop(lang: str) -> CustomersConfig:
    return state.loaded_or_stop(load_customers_config, lang)


@st.cache_resource(ttl=TTL, show_spinner=False)
def catalog():
    from lib.metrics import load_catalog

    return load_catalog()


def has_tabs(store: Store, lang: str, *tabs: str) -> bool:
    """True when the tabs are there; otherwise say which tabs and columns this part needs
    (the rest of the page goes on)."""
    missing = store.missing(*tabs)
    if missing:
        st.info(t("customers.needs", lang, tabs=", ".join(missing),
                  columns="; ".join(describe_tab(m) for m in missing)), icon="🧾")
    return not missing


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _last_order(generation: int, _store: Store) -> dt.date | None:
    return latest_order_date(_store)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _values(generation: int, _store: Store, column: str) -> list[str]:
    return dimensions.values(_store, "customers", column)


def scope_filters(store: Store, lang: str) -> Scope:
    """As-of date and channel / region / product line pickers above the tabs."""
    last = _last_order(store.generation, store) or dt.date.today()
    columns = st.columns([1, 2, 2, 2])
    as_of = columns[0].date_input(t("customers.as_of", lang), value=last, max_value=last, key="cv_as_of",
                                  help=t("customers.as_of_help", lang))
    where = []
    for column_box, (column, label) in zip(columns[1:], FILTERS):
        chosen = column_box.multiselect(t(label, lang), _values(store.generation, store, column), key=f"cv_{column}",
                                        placeholder=t("customers.all", lang))
        if chosen:
            where.append((column, tuple(chosen)))
    return Scope(as_of, where=tuple(where))


# ---------------------------------------------------------------------------------------
# cached computations (the store is not hashed: its generation is the key)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def cohorts(generation: int, _store: Store, scope: Scope) -> cohort_lib.Cohorts:
    return cohort_lib.load_cohorts(_store, scope)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def channel_values(generation: int, _store: Store, scope: Scope, _config: CustomersConfig, config_key: str):
    values = ltv_lib.channel_values(cohorts(generation, _store, scope), _config.ltv)
    if _store.has("marketing_daily"):
        table = ltv_lib.with_cac(values, ltv_lib.cac_by_channel(_store, catalog(), scope), _config.ltv)
    else:
        table = ltv_lib.ltv_table(values)
    return values, table


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def tier_summary(generation: int, _store: Store, scope: Scope, _config: CustomersConfig, config_key: str):
    return rfm.tier_summary(_store, scope, _config.rfm)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def tier_customers(generation: int, _store: Store, scope: Scope, _config: CustomersConfig, config_key: str,
                   _viewer, viewer_key: tuple, tier: str) -> pd.DataFrame:
    # Personal rows: the viewer is part of the key, so one person's list never reaches another.
    return rfm.tier_customers(_store, scope, _config.rfm, _viewer, tier)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def experiments(generation: int, _store: Store, _config: CustomersConfig, config_key: str) -> pd.DataFrame:
    return abtest.experiments(_store, _config.abtest)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def break_even_status(generation: int, _store: Store, as_of: dt.date, _config: CustomersConfig,
                      config_key: str) -> break_even.BreakEven:
    return break_even.break_even_status(_store, as_of, catalog(), _config)


def config_key(config: CustomersConfig) -> str:
    """The config's content as a cache key: editing customers.yaml changes the numbers."""
    return config.model_dump_json()


# ---------------------------------------------------------------------------------------
# retention


def heatmap(matrix: pd.DataFrame, lang: str) -> alt.Chart:
    later = matrix.loc[matrix["month"] >= 1, "retention"]
    top = float(later.max()) if len(later) and later.max() > 0 else 1.0
    data = matrix.assign(label=[fmt.pct(r, 0) for r in matrix["retention"]],
                         dark=matrix["retention"] > top * 0.6)
    x = alt.X("month:O", title=t("customers.month_axis", lang), axis=alt.Axis(labelAngle=0))
    y = alt.Y("cohort:O", title=t("customers.cohort_axis", lang), sort="ascending")
    tooltip = [alt.Tooltip("cohort:O", title=t("customers.cohort_axis", lang)),
               alt.Tooltip("month:O", title=t("customers.month_axis", lang)),
               alt.Tooltip("customers:Q", title=t("customers.col_customers", lang), format=","),
               alt.Tooltip("active:Q", title=t("customers.active", lang), format=","),
               alt.Tooltip("retention:Q", title=t("customers.retention", lang), format=".1%")]
    # The scale stops at the best month after acquisition, so month 0 (about 100%) does not
    # wash out the differences that matter.
    cells = alt.Chart(data).mark_rect().encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("retention:Q", title=t("customers.retention", lang),
                        scale=alt.Scale(scheme="blues", domain=[0, top], clamp=True),
                        legend=alt.Legend(format=".0%", orient="right")))
    text = alt.Chart(data).mark_text(fontSize=10).encode(
        x=x, y=y, text="label:N",
        color=alt.condition("datum.dark", alt.value("white"), alt.value("#333333")))
    return (cells + text).properties(height=alt.Step(26))


def curves(frame: pd.DataFrame, lang: str) -> alt.Chart:
    data = frame[frame["month"] >= 1]
    highlight = alt.selection_point(fields=["channel"], bind="legend")
    return alt.Chart(data, title=t("customers.curves", lang)).mark_line(point=True).encode(
        x=alt.X("month:Q", title=t("customers.month_axis", lang), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("retention:Q", title=t("customers.retention", lang), axis=alt.Axis(format="%")),
        color=alt.Color("channel:N", title=t("customers.col_channel", lang), scale=CHANNEL_COLORS,
                        legend=CHANNEL_LEGEND),
        opacity=alt.condition(highlight, alt.value(1.0), alt.value(0.15)),
        tooltip=[alt.Tooltip("channel:N", title=t("customers.col_channel", lang)),
                 alt.Tooltip("month:Q", title=t("customers.month_axis", lang)),
                 alt.Tooltip("customers:Q", title=t("customers.col_customers", lang), format=","),
                 alt.Tooltip("retention:Q", title=t("customers.retention", lang), format=".1%")],
    ).add_params(highlight).properties(height=480)  # the whole chart, legend included


def repeat_table(rates: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("customers.col_channel", lang): rates["channel"],
        t("customers.col_customers", lang): rates["customers"],
        t("customers.col_buyers", lang): rates["buyers"],
        t("customers.col_repeat_buyers", lang): rates["repeat_buyers"],
        t("customers.col_repeat_rate", lang): [fmt.pct(r) for r in rates["repeat_rate"]],
    })


def repeat_bars(rates: pd.DataFrame, lang: str) -> alt.Chart:
    return alt.Chart(rates, title=t("customers.repeat_title", lang)).mark_bar().encode(
        x=alt.X("repeat_rate:Q", title=t("customers.col_repeat_rate", lang), axis=alt.Axis(format="%")),
        y=alt.Y("channel:N", title=None, sort="-x", axis=LABELS),
        tooltip=[alt.Tooltip("channel:N", title=t("customers.col_channel", lang)),
                 alt.Tooltip("repeat_rate:Q", title=t("customers.col_repeat_rate", lang), format=".1%"),
                 alt.Tooltip("buyers:Q", title=t("customers.col_buyers", lang), format=",")],
    ).properties(height=alt.Step(26))


# ---------------------------------------------------------------------------------------
# lifetime value


def payback_text(months: float, limit: int, lang: str) -> str:
    if pd.isna(months):
        return fmt.DASH
    return fmt.number(months) if months <= limit else t("customers.payback_never", lang, months=limit)


def ltv_display(table: pd.DataFrame, lang: str, payback_limit: int) -> pd.DataFrame:
    out = {
        t("customers.col_channel", lang): table["channel"],
        t("customers.col_customers", lang): [fmt.number(c) for c in table["customers"]],
        t("customers.col_month0", lang): [fmt.money(v) for v in table["month0_value"]],
        t("customers.col_decay", lang): [fmt.number(v, 2) for v in table["monthly_ratio"]],
        t("customers.col_ltv_12", lang): [fmt.money(v) for v in table["ltv_12"]],
        t("customers.col_ltv_24", lang): [fmt.money(v) for v in table["ltv_24"]],
    }
    if "cac" in table:
        out[t("customers.col_cac", lang)] = [fmt.money(v) for v in table["cac"]]
        out[t("customers.col_ltv_cac", lang)] = [fmt.number(v, 1) for v in table["ltv_cac"]]
        out[t("customers.col_payback", lang)] = [payback_text(v, payback_limit, lang) for v in table["payback_months"]]
    return pd.DataFrame(out)


def ltv_curves(values: list, lang: str, horizon: int = 24) -> alt.Chart:
    observed_label, projected_label = t("customers.observed", lang), t("customers.projected", lang)
    rows = []
    for v in values:
        for r in v.observed.itertuples():
            if r.month < horizon:
                rows.append((v.channel, r.month + 1, r.cumulative, observed_label))
        for n, value in enumerate(v.projected[:horizon], start=1):
            if not pd.isna(value):
                rows.append((v.channel, n, float(value), projected_label))
    data = pd.DataFrame(rows, columns=["channel", "months", "value", "kind"])
    highlight = alt.selection_point(fields=["channel"], bind="legend")
    base = alt.Chart(data).encode(
        x=alt.X("months:Q", title=t("customers.month_axis", lang), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("value:Q", title=t("customers.value", lang),
                axis=alt.Axis(format=",.0f", labelExpr="'¥' + datum.label")),
        color=alt.Color("channel:N", title=t("customers.col_channel", lang), scale=CHANNEL_COLORS,
                        legend=CHANNEL_LEGEND),
        opacity=alt.condition(highlight, alt.value(1.0), alt.value(0.12)),
        tooltip=[alt.Tooltip("channel:N", title=t("customers.col_channel", lang)),
                 alt.Tooltip("kind:N", title=t("customers.kind", lang)),
                 alt.Tooltip("months:Q", title=t("customers.month_axis", lang)),
                 alt.Tooltip("value:Q", title=t("customers.value", lang), format=",.0f")],
    )
    # Observed: solid with a point per month; projected: dashed, drawn under it so the
    # reader sees where the fit follows the data and where it goes on alone.
    projected = base.transform_filter(alt.datum.kind == projected_label).mark_line(strokeDash=[5, 4], strokeWidth=1.5)
    observed = base.transform_filter(alt.datum.kind == observed_label).mark_line(point=alt.OverlayMarkDef(size=16))
    return (projected + observed).add_params(highlight).properties(
        title=alt.TitleParams(t("customers.ltv_curve", lang),
                              subtitle=f"— {observed_label}   - - {projected_label}"), height=520)


def ltv_ratio_bars(table: pd.DataFrame, lang: str) -> alt.Chart | None:
    data = table[table["ltv_cac"].notna()]
    if data.empty:
        return None
    bars = alt.Chart(data, title=t("customers.ltv_ratio_chart", lang)).mark_bar().encode(
        x=alt.X("ltv_cac:Q", title=t("customers.col_ltv_cac", lang)),
        y=alt.Y("channel:N", title=None, sort="-x", axis=LABELS),
        color=alt.condition("datum.ltv_cac >= 1", alt.value("#4C78A8"), alt.value("#E45756")),
        tooltip=[alt.Tooltip("channel:N", title=t("customers.col_channel", lang)),
                 alt.Tooltip("ltv_cac:Q", title=t("customers.col_ltv_cac", lang), format=".2f"),
                 alt.Tooltip("cac:Q", title=t("customers.col_cac", lang), format=",.0f")])
    rules = alt.Chart(pd.DataFrame({"x": [1.0, 3.0]})).mark_rule(strokeDash=[4, 3], color="#888").encode(x="x:Q")
    return (bars + rules).properties(height=alt.Step(26))


# ---------------------------------------------------------------------------------------
# RFM


def tier_bars(summary: pd.DataFrame, labels: dict[str, str], lang: str) -> alt.Chart:
    share_customers, share_revenue = t("customers.share_customers", lang), t("customers.share_revenue", lang)
    data = pd.concat([
        pd.DataFrame({"tier": summary["tier"].map(labels), "what": share_customers, "share": summary["customer_share"]}),
        pd.DataFrame({"tier": summary["tier"].map(labels), "what": share_revenue, "share": summary["revenue_share"]}),
    ])
    return alt.Chart(data, title=t("customers.tier_chart", lang)).mark_bar().encode(
        x=alt.X("share:Q", title=t("customers.share", lang), axis=alt.Axis(format="%")),
        y=alt.Y("what:N", title=None),
        row=alt.Row("tier:N", title=None, sort=list(labels.values()), header=alt.Header(labelAngle=0,
                                                                                          labelAlign="left")),
        color=alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("tier:N", title=t("customers.tier", lang)), "what:N",
                 alt.Tooltip("share:Q", title=t("customers.share", lang), format=".1%")],
    ).properties(height=alt.Step(22))


def tier_list_display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("customers.col_customer_id", lang): frame["customer_id"],
        t("customers.col_channel", lang): frame["channel"],
        t("customers.col_region", lang): frame["region"],
        t("customers.col_segment", lang): frame["segment"],
        t("customers.col_acquired", lang): frame["acquired_at"],
        t("customers.col_last_order", lang): [fmt.DASH if d is None else d.isoformat() for d in frame["last_order"]],
        t("customers.col_orders", lang): frame["orders"],
        t("customers.col_revenue", lang): [fmt.money(v) for v in frame["revenue"]],
        t("customers.col_rfm", lang): [f"{r} · {f} · {m}" for r, f, m in
                                       zip(frame["recency"], frame["frequency"], frame["monetary"])],
    })


# ---------------------------------------------------------------------------------------
# A/B tests


def verdict_text(verdict, is_control: bool, lang: str) -> str:
    if is_control:
        return t("customers.control", lang)
    return t(f"customers.verdict.{verdict}", lang) if verdict else fmt.DASH


def ab_display(frame: pd.DataFrame, lang: str, level: str) -> pd.DataFrame:
    """The variants of one experiment; the problem column only when a row has a problem."""
    def ci(low, high):
        return fmt.DASH if pd.isna(low) else f"{fmt.pct(low, 2, signed=True)} … {fmt.pct(high, 2, signed=True)}"

    return pd.DataFrame({
        t("customers.col_variant", lang): frame["variant"],
        t("customers.col_users", lang): [fmt.number(v) for v in frame["users"]],
        t("customers.col_conversions", lang): [fmt.number(v) for v in frame["conversions"]],
        t("customers.col_rate", lang): [fmt.pct(v, 2) for v in frame["rate"]],
        t("customers.col_lift", lang): [fmt.pct(v, 1, signed=True) for v in frame["lift"]],
        t("customers.col_abs_lift", lang): [fmt.pct(v, 2, signed=True) for v in frame["abs_lift"]],
        t("customers.col_p", lang): [fmt.DASH if pd.isna(p) else f"{p:.4f}" for p in frame["p_value"]],
        t("customers.col_ci", lang, level=level): [ci(lo, hi) for lo, hi in zip(frame["ci_low"], frame["ci_high"])],
        t("customers.col_needed", lang): [fmt.number(v) for v in frame["needed_users"]],
        t("customers.col_verdict", lang): [verdict_text(v, c, lang) for v, c in zip(frame["verdict"], frame["is_control"])],
        t("customers.col_problem", lang): [p or "" for p in frame["problem"]],
    }).drop(columns=[] if frame["problem"].notna().any() else [t("customers.col_problem", lang)])


def ab_summary(results: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per tested variant of every experiment: the overview above the details."""
    tested = results[~results["is_control"]]
    controls = results[results["is_control"]].set_index("experiment_id")["variant"]
    return pd.DataFrame({
        t("customers.col_experiment", lang): tested["experiment_id"],
        t("customers.col_variant", lang): tested["variant"],
        t("customers.col_control", lang): [controls.get(e, fmt.DASH) for e in tested["experiment_id"]],
        t("customers.col_lift", lang): [fmt.pct(v, 1, signed=True) for v in tested["lift"]],
        t("customers.col_p", lang): [fmt.DASH if pd.isna(p) else f"{p:.4f}" for p in tested["p_value"]],
        t("customers.col_needed", lang): [fmt.number(v) for v in tested["needed_users"]],
        t("customers.col_verdict", lang): [verdict_text(v, False, lang) for v in tested["verdict"]],
    })


def ab_chart(frame: pd.DataFrame, alpha: float, lang: str, level: str) -> alt.Chart:
    rows = []
    for r in frame.itertuples():
        interval = abtest.rate_interval(float(r.conversions), float(r.users), alpha)
        if interval is not None:
            rows.append((r.variant, r.rate, *interval, verdict_text(r.verdict, r.is_control, lang)))
    data = pd.DataFrame(rows, columns=["variant", "rate", "low", "high", "verdict"])
    y = alt.Y("variant:N", title=None, sort=list(data["variant"]), axis=LABELS)
    domain = [verdict_text(v, v == "control", lang) for v in VERDICT_COLORS]
    bars = alt.Chart(data).mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", title=t("customers.col_rate", lang), axis=alt.Axis(format=".1%"),
                scale=alt.Scale(zero=False)), x2="high:Q", y=y,
        color=alt.Color("verdict:N", title=t("customers.col_verdict", lang),
                        scale=alt.Scale(domain=domain, range=list(VERDICT_COLORS.values()))))
    points = alt.Chart(data).mark_point(filled=True, size=110, color="#222").encode(
        x="rate:Q", y=y,
        tooltip=[alt.Tooltip("variant:N", title=t("customers.col_variant", lang)),
                 alt.Tooltip("rate:Q", title=t("customers.col_rate", lang), format=".2%"),
                 alt.Tooltip("low:Q", format=".2%"), alt.Tooltip("high:Q", format=".2%"),
                 alt.Tooltip("verdict:N", title=t("customers.col_verdict", lang))])
    return (bars + points).properties(title=t("customers.ab_chart", lang, level=level), height=alt.Step(40))


# ---------------------------------------------------------------------------------------
# break-even


def be_display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("customers.col_kind", lang): [t(f"customers.kind.{k}", lang) for k in frame["kind"]],
        t("customers.col_name", lang): frame["name"],
        t("customers.col_channel", lang): [c or fmt.DASH for c in frame["channel"]],
        t("customers.col_since", lang): [d.isoformat() for d in frame["since"]],
        t("customers.col_horizon_end", lang): [d.isoformat() for d in frame["horizon_end"]],
        t("customers.col_spend", lang): [fmt.money(v) for v in frame["spend"]],
        t("customers.col_revenue", lang): [fmt.money(v) for v in frame["revenue"]],
        t("customers.col_coverage", lang): [fmt.pct(v, 0) for v in frame["coverage"]],
        t("customers.col_shortfall", lang): [fmt.money(v) if v > 0 else fmt.DASH for v in frame["shortfall"]],
        t("customers.col_status", lang): [t(f"customers.status.{s}", lang) for s in frame["status"]],
    })


def be_chart(frame: pd.DataFrame, lang: str) -> alt.Chart | None:
    data = frame[frame["coverage"].notna()].copy()
    if data.empty:
        return None
    data["item"] = [f"{t(f'customers.kind.{k}', lang)} · {n}" for k, n in zip(data["kind"], data["name"])]
    data["status_text"] = [t(f"customers.status.{s}", lang) for s in data["status"]]
    statuses = [t(f"customers.status.{s}", lang) for s in break_even.STATUSES]
    # Coverage runs from nothing to many times spend: a log scale keeps both readable, and
    # each item is a stalk from the 100% line to its coverage (left: not paid back).
    data["drawn"] = data["coverage"].clip(lower=0.01)
    data["even"] = 1.0
    y = alt.Y("item:N", title=None, sort=list(data["item"]), axis=LABELS)
    x = alt.X("drawn:Q", title=t("customers.col_coverage", lang), axis=alt.Axis(format="%"),
              scale=alt.Scale(type="log"))
    color = alt.Color("status_text:N", title=t("customers.col_status", lang),
                      scale=alt.Scale(domain=statuses, range=["#E45756", "#54A24B", "#BAB0AC"]))
    tooltip = [alt.Tooltip("item:N", title=t("customers.col_name", lang)),
               alt.Tooltip("spend:Q", title=t("customers.col_spend", lang), format=",.0f"),
               alt.Tooltip("revenue:Q", title=t("customers.col_revenue", lang), format=",.0f"),
               alt.Tooltip("coverage:Q", title=t("customers.col_coverage", lang), format=".0%")]
    stalks = alt.Chart(data).mark_rule(strokeWidth=2).encode(x=x, x2="even:Q", y=y, color=color)
    heads = alt.Chart(data).mark_circle(size=90, opacity=1).encode(x=x, y=y, color=color, tooltip=tooltip)
    rule = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3], color="#333").encode(x="x:Q")
    return (stalks + heads + rule).properties(title=t("customers.be_chart", lang), height=alt.Step(24))
