"""Marketing cockpit: the director's first screen. Reads the shared filters, asks
lib.ui.cockpit (cached lib.cockpit) for each section and draws it."""
import streamlit as st

from lib.i18n import t
from lib.ui import cockpit as ui, filters, state, widgets

state.guard("cockpit")  # first: refuses unless the signed-in role may open this page
lang = state.lang()
store = state.store_or_stop()
widgets.source_banners(store, lang)
widgets.require_tabs(store, lang, "marketing_daily")
catalog, cfg = ui.configs_or_stop(lang)
selection = filters.sidebar(store, lang)
if selection is None:
    st.info(t("cockpit.no_period", lang))
    st.stop()
focus = ui.focus_metric(catalog, cfg)
day = ui.as_of(store, selection)

ui.header(selection, lang)
filters.breadcrumb(lang)
with st.spinner(t("cockpit.computing", lang)):
    anomalies = ui.anomalies_for(store, selection)
    actions = ui.actions_for(store, day, lang)
ui.tiles_grid(store, selection, lang, focus, anomalies, actions)
ui.anomalies_panel(anomalies, selection, lang)
ui.break_even_panel(store, lang, day)
ui.comparison_section(store, selection, lang, day)

ui.why_section(store, selection, lang, focus)
ui.budget_section(store, selection, lang)
ui.campaigns_section(store, selection, lang, day)
ui.actions_section(store, selection, lang, day)
ui.benchmarks_section(store, selection, lang)
widgets.data_age_caption(store, lang)
