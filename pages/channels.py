"""Channel comparison: every channel side by side, what to do about each, and who gets the credit."""
import streamlit as st

from lib.i18n import t
from lib.ui import channels as ui
from lib.ui import filters, state, widgets

state.guard("channels")  # first: refuses unless the signed-in role may open this page
lang = state.lang()
store = state.store_or_stop()
catalog, config = ui.catalog_and_config(lang)

st.title(t("channels.title", lang))
widgets.source_banners(store, lang)
widgets.require_tabs(store, lang, "marketing_daily")
selection = filters.sidebar(store, lang)
if selection is None:
    st.info(t("channels.no_period", lang))
    st.stop()
period, where = selection.period, selection.where
previous = period.previous()
st.caption(ui.describe(period, where, lang))
ui.breadcrumb(lang)

current = ui.table(store, catalog, period, where, lang)
before = ui.table(store, catalog, previous, where, lang)
ui.headline(current, before, catalog, lang)

section, container = ui.open_section(lang)  # only the open tab is computed
with container:
    if section == "table":
        if current.rows.empty:
            st.info(t("channels.empty", lang))
        else:
            ui.channel_rows(current, catalog, lang, ui.ltv(store, catalog, period, where, lang))
            picked = selection.filters.get("channel", ())
            if len(picked) == 1:
                ui.region_breakdown(store, catalog, period, where, picked[0], lang)
    elif section == "funnels":
        ui.funnels(current, catalog, lang)
    elif section == "efficiency":
        ui.efficiency(current, config, lang)
    elif section == "quality":
        ui.quality(current, catalog, config, lang)
    elif section == "attribution":
        ui.attribution(store, period, where, config, lang)
    else:
        ui.changes(store, catalog, period, where, lang)
widgets.data_age_caption(store, lang)
