"""Customer value: retention cohorts, lifetime value against CAC, RFM tiers, A/B tests,
break-even. Reads the page filters, asks lib.customers (through the cached wrappers of
lib.ui.customers), draws."""
import streamlit as st

from lib import fmt
from lib.customers.cohorts import pooled_by_month, repeat_rates, retention_curves, retention_matrix
from lib.customers.config import TIERS
from lib.customers.rfm import dormant_cutoff
from lib.export import csv_bytes, xlsx_bytes
from lib.i18n import t
from lib.ui import customers as ui
from lib.ui import state, widgets

state.guard("customers")  # first: refuses unless the signed-in role may open this page
lang = state.lang()
store = state.store_or_stop()
config = ui.config_or_stop(lang)
key = ui.config_key(config)
gen = store.generation

st.title(t("customers.title", lang))
st.caption(t("customers.intro", lang))
widgets.source_banners(store, lang)

has_customers = store.has("customers") and store.has("orders")
scope = ui.scope_filters(store, lang) if has_customers else None
SECTIONS = ("retention", "ltv", "rfm", "abtest", "break_even")
# Only the open tab is computed and drawn (the others wait until they are clicked).
tabs = st.tabs([t(f"customers.tab_{name}", lang) for name in SECTIONS], key="cv_tab", on_change="rerun")


def notes(found: list[str]) -> None:
    for note in found:
        st.warning(note, icon="⚠️")


# ---- retention ---------------------------------------------------------------------------
def retention_tab() -> None:
    if not ui.has_tabs(store, lang, "customers", "orders"):
        return
    with st.spinner(t("customers.computing", lang)):
        cohorts = ui.cohorts(gen, store, scope)
    if cohorts.sizes.empty:
        st.info(t("customers.no_customers", lang))
        return
    notes(cohorts.notes)
    pooled = pooled_by_month(cohorts)
    rates = repeat_rates(cohorts)
    tiles = st.columns(4)
    tiles[0].metric(t("customers.kpi_customers", lang), fmt.number(cohorts.sizes["customers"].sum()))
    buyers = rates["buyers"].sum()
    tiles[1].metric(t("customers.kpi_repeat", lang),
                    fmt.pct(rates["repeat_buyers"].sum() / buyers if buyers else None),
                    help=t("customers.kpi_repeat_help", lang))
    for box, k in zip(tiles[2:], (1, 3)):
        row = pooled[pooled["month"] == k]
        box.metric(t("customers.kpi_month", lang, k=k), fmt.pct(row["retention"].iloc[0] if len(row) else None),
                   help=t("customers.kpi_month_help", lang, k=k))
    st.subheader(t("customers.heatmap", lang))
    options = [None, *cohorts.channels]
    channel = st.selectbox(t("customers.heatmap_channel", lang), options, key="cv_heat_channel",
                           format_func=lambda c: t("customers.all_channels", lang) if c is None else c)
    matrix = retention_matrix(cohorts, channel, config.cohorts.max_months)
    st.altair_chart(ui.heatmap(matrix, lang), width="stretch")
    st.altair_chart(ui.curves(retention_curves(cohorts, config.cohorts.max_months), lang), width="stretch")
    st.caption(t("customers.curves_caption", lang, last=cohorts.last_month_label))
    left, right = st.columns([2, 3])
    left.altair_chart(ui.repeat_bars(rates, lang), width="stretch")
    right.dataframe(ui.repeat_table(rates, lang), hide_index=True, width="stretch",
                    height=ui.table_height(len(rates)))


# ---- lifetime value ----------------------------------------------------------------------
def lifetime_value_tab() -> None:
    if not ui.has_tabs(store, lang, "customers", "orders"):
        return
    with st.spinner(t("customers.computing", lang)):
        values, table = ui.channel_values(gen, store, scope, config, key)
    st.subheader(t("customers.ltv_title", lang))
    margin = "" if config.ltv.margin == 1 else t("customers.ltv_margin", lang, margin=fmt.pct(config.ltv.margin, 0))
    st.caption(t("customers.ltv_caption", lang, margin=margin, horizon=config.ltv.ratio_horizon))
    if not store.has("marketing_daily"):
        st.info(t("customers.no_cac", lang))
    st.dataframe(ui.ltv_display(table, lang, config.ltv.payback_max_months), hide_index=True, width="stretch",
                 height=ui.table_height(len(table)))
    if table["ltv_12"].isna().any():
        st.caption(t("customers.ltv_missing", lang, n=config.ltv.min_customers_per_point))
    if values:
        st.altair_chart(ui.ltv_curves(values, lang), width="stretch")
    ratio_chart = ui.ltv_ratio_bars(table, lang) if "ltv_cac" in table else None
    if ratio_chart is not None:
        st.altair_chart(ratio_chart, width="stretch")


# ---- RFM tiers ---------------------------------------------------------------------------
def rfm_tab() -> None:
    if not ui.has_tabs(store, lang, "customers", "orders"):
        return
    with st.spinner(t("customers.computing", lang)):
        summary = ui.tier_summary(gen, store, scope, config, key)
    hv = config.rfm.high_value
    st.caption(t("customers.rfm_caption", lang, bins=config.rfm.bins, cutoff=dormant_cutoff(scope, config.rfm),
                 r=hv.recency, f=hv.frequency, m=hv.monetary))
    labels = {tier: config.rfm.tiers[tier].label.get(lang) for tier in TIERS}
    boxes = st.columns(len(TIERS))
    for box, row in zip(boxes, summary.frame.itertuples()):
        with box.container(border=True):
            st.metric(labels[row.tier], fmt.number(row.customers))
            st.caption(t("customers.tier_shares", lang, customers=fmt.pct(row.customer_share),
                         revenue=fmt.pct(row.revenue_share)))
            st.markdown(f"**{t('customers.care', lang)}**")
            st.text(config.rfm.tiers[row.tier].care.get(lang))
    st.altair_chart(ui.tier_bars(summary.frame, labels, lang), width="stretch")
    st.subheader(t("customers.tier_list", lang))
    viewer = state.viewer()
    tier = st.radio(t("customers.tier", lang), TIERS, format_func=labels.get, horizontal=True, key="cv_tier")
    with st.spinner(t("customers.computing", lang)):
        listed = ui.tier_customers(gen, store, scope, config, key, viewer, viewer.cache_key(), tier)
    if not viewer.sees_personal_data:
        st.info(t("customers.no_personal", lang))
    else:
        st.caption(t("customers.tier_preview", lang, shown=fmt.number(min(len(listed), ui.PREVIEW_ROWS)),
                     total=fmt.number(len(listed))))
        st.dataframe(ui.tier_list_display(listed.head(ui.PREVIEW_ROWS), lang), hide_index=True, width="stretch")
        name = f"customers_{tier}_{scope.as_of:%Y%m%d}"
        left, right = st.columns(2)
        # The files are made when the button is clicked: a tier can hold tens of thousands
        # of customers, and an .xlsx of them takes seconds to write.
        left.download_button(t("customers.download_csv", lang), lambda: csv_bytes(listed), f"{name}.csv",
                             "text/csv", key="cv_csv")
        right.download_button(t("customers.download_xlsx", lang), lambda: xlsx_bytes({tier: listed}),
                              f"{name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              key="cv_xlsx")


# ---- A/B tests ---------------------------------------------------------------------------
def ab_tab() -> None:
    if not ui.has_tabs(store, lang, "experiments"):
        return
    ab = config.abtest
    level = fmt.pct(1 - ab.alpha, 0)
    st.caption(t("customers.ab_caption", lang, alpha=f"{ab.alpha:g}", level=level,
                 band=fmt.pct(ab.min_relative_lift, 0), power=fmt.pct(ab.power, 0)))
    results = ui.experiments(gen, store, config, key)
    summary = ui.ab_summary(results, lang)
    st.subheader(t("customers.ab_summary", lang))
    st.dataframe(summary, hide_index=True, width="stretch", height=ui.table_height(len(summary)))
    for experiment_id, group in results.groupby("experiment_id", sort=False):
        with st.container(border=True):
            st.subheader(ui.plain(experiment_id))
            first = group.iloc[0]
            st.caption(t("customers.ab_period", lang, metric=ui.plain(first["metric"] or fmt.DASH),
                         start=first["start_date"] or fmt.DASH, end=first["end_date"] or fmt.DASH))
            st.dataframe(ui.ab_display(group, lang, level), hide_index=True, width="stretch")
            st.altair_chart(ui.ab_chart(group, ab.alpha, lang, level), width="stretch")


# ---- break-even --------------------------------------------------------------------------
def break_even_tab() -> None:
    if not ui.has_tabs(store, lang, "marketing_daily"):
        return
    as_of = scope.as_of if scope else None
    with st.spinner(t("customers.computing", lang)):
        result = ui.break_even_status(gen, store, as_of, config, key)
    notes(result.notes)
    months = result.horizon_months
    channels = result.frame[result.frame["kind"] == "channel"]
    if len(channels):
        st.caption(t("customers.be_caption", lang, months=months, since=channels["since"].iloc[0],
                     until=channels["until"].iloc[0]))
    flagged = result.flagged
    if len(flagged):
        st.error(t("customers.be_flagged", lang, n=len(flagged), months=months), icon="⏳")
    else:
        st.success(t("customers.be_none", lang, months=months))
    if not result.frame.empty:
        st.dataframe(ui.be_display(result.frame, lang), hide_index=True, width="stretch")
        chart = ui.be_chart(result.frame[result.frame["status"] != "pending"], lang)
        if chart is not None:
            st.altair_chart(chart, width="stretch")


for tab, draw in zip(tabs, (retention_tab, lifetime_value_tab, rfm_tab, ab_tab, break_even_tab)):
    if tab.open:
        with tab:
            draw()
