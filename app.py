"""The frame of the app: page config, language, refresh, navigation. Pages draw; lib computes."""
import streamlit as st

from lib.i18n import t
from lib.ui import state

st.set_page_config(page_title="Marketing Cockpit · 营销驾驶舱", page_icon="📊", layout="wide")

state.language_switch()  # its callback has already stored a new choice before this run
lang = state.lang()

PAGES = {
    "nav.overview": [("pages/home.py", "page.home", ":material/home:")],
    "nav.marketing": [
        ("pages/cockpit.py", "cockpit.page", ":material/speed:"),
        ("pages/channels.py", "page.channels", ":material/hub:"),
        ("pages/customers.py", "customers.page", ":material/diamond:"),
    ],
    "nav.goals": [("pages/okr.py", "okr.page", ":material/flag:")],
    "weekly.nav": [("pages/weekly.py", "weekly.page", ":material/co_present:")],
    "appraisal.nav": [("pages/appraisal.py", "appraisal.page", ":material/military_tech:")],
    "nav.data": [("pages/data_quality.py", "page.data_quality", ":material/fact_check:")],
}
navigation = st.navigation({
    t(group, lang): [
        st.Page(path, title=t(title, lang), icon=icon, default=(path == "pages/home.py"))
        for path, title, icon in pages
    ]
    for group, pages in PAGES.items()
})

store = state.store_or_stop()
if st.sidebar.button(t("app.refresh", lang), help=t("app.refresh_help", lang,
                                                   minutes=f"{state.holder().config.refresh_minutes:g}")):
    state.get_store(force=True)
navigation.run()
