"""OKRs: objectives and key results of a quarter at a date, the department roll-up, burn-up
charts per key result, and check-ins written back to the sheet."""
import streamlit as st

from lib.i18n import t
from lib.ui import okr, state, widgets

state.guard("okr")  # first: refuses unless the signed-in role may open this page
lang = state.lang()
store = okr.store_after_write()

st.title(t("okr.title", lang))
st.write(t("okr.intro", lang))
widgets.source_banners(store, lang)
widgets.require_tabs(store, lang, "objectives", "key_results")
cfg, _ = okr.config_or_stop(lang)

period = okr.period_picker(store, lang)
if period is None:
    st.info(t("okr.no_objectives", lang))
    st.stop()
quarter, as_of = period
with st.spinner(t("app.loading", lang)):
    report = okr.report(store, cfg, quarter, as_of)

okr.headline(report, lang)
if report.issues:
    with st.expander(t("okr.issues", lang)):
        widgets.show_issues(report.issues, lang)
okr.departments(report, cfg, lang)
okr.tree(report, store, cfg, lang)
okr.recent_checkins(store, report, lang)
okr.checkin_form(store, report, lang)
