"""The frame of the app: page config, language, sign-in, navigation. Pages draw; lib computes."""
from pathlib import Path

import streamlit as st

from lib.access import may_open
from lib.i18n import t
from lib.ui import auth, state

st.set_page_config(page_title="Marketing Cockpit · 营销驾驶舱", page_icon="📊", layout="wide")

# A page's id (lib.access.PAGES_BY_ROLE) is its file name: pages/<id>.py.
# The first page a role may open is where it lands: the cockpit, the director's first screen.
PAGES = {
    "nav.marketing": [
        ("pages/cockpit.py", "cockpit.page", ":material/speed:"),
        ("pages/channels.py", "page.channels", ":material/hub:"),
        ("pages/customers.py", "customers.page", ":material/diamond:"),
    ],
    "nav.goals": [("pages/okr.py", "okr.page", ":material/flag:")],
    "weekly.nav": [("pages/weekly.py", "weekly.page", ":material/co_present:")],
    "appraisal.nav": [("pages/appraisal.py", "appraisal.page", ":material/military_tech:")],
    "nav.data": [("pages/home.py", "page.home", ":material/home:"),
                 ("pages/data_quality.py", "page.data_quality", ":material/fact_check:")],
}
PAGE_IDS = [Path(path).stem for pages in PAGES.values() for path, _, _ in pages]

state.language_switch()  # its callback has already stored a new choice before this run
lang = state.lang()
account = auth.gate(lang, PAGE_IDS)  # nothing below runs until someone is signed in
store = state.store_or_stop()
viewer = auth.enter(account, store, lang)  # the role as config/auth.yaml says now

allowed = {group: [p for p in pages if may_open(viewer, Path(p[0]).stem)] for group, pages in PAGES.items()}
allowed = {group: pages for group, pages in allowed.items() if pages}
if not allowed:  # deny by default: an unknown or empty role sees nothing
    st.warning(t("auth.no_pages" if not viewer.role else "auth.no_pages_for_role", lang))
    st.stop()
sections = {
    t(group, lang): [st.Page(path, title=t(title, lang), icon=icon) for path, title, icon in pages]
    for group, pages in allowed.items()
}
first = next(iter(sections.values()))[0]
# The app's root URL sends each role to its first page at that page's own address, so
# every page keeps a URL people can bookmark (a default page would only live at "/").
landing = st.Page(lambda: st.switch_page(first), title=first.title, icon=first.icon, default=True,
                  url_path="start", visibility="hidden")
sections[next(iter(sections))].append(landing)
navigation = st.navigation(sections)

if st.sidebar.button(t("app.refresh", lang), help=t("app.refresh_help", lang,
                                                   minutes=f"{state.holder().config.refresh_minutes:g}")):
    state.get_store(force=True)
navigation.run()
