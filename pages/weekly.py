"""Weekly review: the meeting screen. Plan against actual (KPIs, OKRs), check what moved and
why (explain, channels, appraisal alerts for the roles allowed), act (actions due, new
actions written to the actions tab). ?present=1 is the big-screen layout without sidebar."""
import streamlit as st

from lib.i18n import t
from lib.ui import state, weekly as ui, widgets

viewer = state.guard("weekly")  # first: refuses unless the signed-in role may open this page
lang = state.lang()
present = ui.presenting()
if present:
    ui.presentation_style()
else:
    st.title(t("weekly.title", lang))
    st.caption(t("weekly.intro", lang))
store = ui.store_after_write()
widgets.source_banners(store, lang)
widgets.require_tabs(store, lang, "marketing_daily")
configs = ui.configs_or_stop(lang)

top = None if present else st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
week = ui.week_picker(store, lang, present, top)
if week is None:
    st.info(t("weekly.no_weeks", lang))
    st.stop()
review, sections = ui.review(store, configs, week, viewer, lang)
if not present:
    ui.toolbar(review, configs, lang, top)
ui.deck(store, review, sections, configs, lang, present)
if not present:
    widgets.data_age_caption(store, lang)
