"""Session state and the cached store.

The StoreHolder lives in st.cache_resource (one per process and config); it reloads the
data when it is older than `refresh_minutes` and keeps the last good data of a source
that fails. Which config is used: COCKPIT_DATA (a path or URL, like the CLI's --data),
else COCKPIT_SOURCES (a sources.yaml), else config/sources.yaml.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, TypeVar

import streamlit as st

from lib.access import NOBODY, Viewer, may_open
from lib.config import SourcesConfig, load_sources, sources_for_data
from lib.i18n import DEFAULT_LANG, LANGS, t
from lib.store import Store, StoreHolder

LANG_KEY = "lang"
T = TypeVar("T")


def _run_inside_the_frame() -> None:
    """A deep link (e.g. /okr) opened first after the server starts runs the page file on
    its own: Streamlit still guesses "old multipage app" from the pages/ folder until some
    run has called st.navigation. That run would skip app.py (its sidebar, language switch
    and sign-in gate), so switch the guess off and rerun through app.py at once."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def lang() -> str:
    _run_inside_the_frame()  # every page asks for the language first
    if LANG_KEY not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANG)
        st.session_state[LANG_KEY] = wanted if wanted in LANGS else DEFAULT_LANG
    return st.session_state[LANG_KEY]


def language_switch() -> None:
    """The language lives in a plain session key, not in the widget's own state, so a
    page switch (which drops the state of widgets not drawn) never resets it."""
    current = lang()

    def _changed() -> None:
        st.session_state[LANG_KEY] = st.session_state["_lang_widget"]

    st.sidebar.radio(
        t("app.language", current), list(LANGS), index=list(LANGS).index(current), format_func=LANGS.get,
        key="_lang_widget", on_change=_changed, horizontal=True,
    )


def config_choice() -> tuple[str, str]:
    if os.environ.get("COCKPIT_DATA"):
        return "data", os.environ["COCKPIT_DATA"]
    return "file", os.environ.get("COCKPIT_SOURCES", "")


def load_config(choice: tuple[str, str]) -> SourcesConfig:
    kind, value = choice
    if kind == "data":
        return sources_for_data(value)
    return load_sources(Path(value) if value else None)


def _secrets_credentials() -> dict | None:
    try:
        info = st.secrets.get("gcp_service_account")
    except Exception:  # no secrets.toml at all: the environment may still provide them
        return None
    return dict(info) if info else None


@st.cache_resource(show_spinner=False)
def _holder(choice: tuple[str, str]) -> StoreHolder:
    return StoreHolder(load_config(choice), _secrets_credentials())


def holder() -> StoreHolder:
    return _holder(config_choice())


def get_store(force: bool = False) -> Store:
    with st.spinner(t("app.loading", lang())):
        return holder().get(force=force)


def loaded_or_stop(load: Callable[[], T], page_lang: str | None = None) -> T:
    """What load() returns (a config, the store), or, when a config file is invalid, every
    problem it has listed on the page and the page stopped."""
    from lib.issues import ConfigError
    from lib.ui.widgets import show_issues

    try:
        return load()
    except ConfigError as exc:
        shown_in = page_lang or lang()
        st.error(t("app.config_invalid", shown_in))
        show_issues(exc.issues, shown_in)
        st.stop()


def store_or_stop() -> Store:
    """The store, or a list of config problems and a stopped page when the config is invalid."""
    return loaded_or_stop(get_store)


def store_after_write(flag: str) -> Store:
    """The store; read again at once when this session has just written a row (a check-in,
    an action) and set `flag`, so the new row shows."""
    if st.session_state.pop(flag, False):
        return loaded_or_stop(lambda: get_store(force=True))
    return store_or_stop()


VIEWER_KEY = "viewer"  # set by lib.ui.auth.enter on every run of app.py


def viewer() -> Viewer:
    """Who is looking: every page passes this to lib so rows are filtered by role there.

    The signed-in user's Viewer, rebuilt from config/auth.yaml on every run of app.py;
    before sign-in (or in a page run on its own) NOBODY, whose empty role sees nothing.
    A widget can never put a Viewer into session state, hence the isinstance check.
    """
    found = st.session_state.get(VIEWER_KEY)
    return found if isinstance(found, Viewer) else NOBODY


def guard(page: str) -> Viewer:
    """The first line of every page: `viewer = state.guard("appraisal")`.

    Stops the page unless the signed-in viewer's role may open it (lib.access.PAGES_BY_ROLE),
    so a page reached without the navigation draws nothing but the refusal.
    """
    _run_inside_the_frame()  # a deep link opened first after a start: through app.py's sign-in
    who = viewer()
    if not may_open(who, page):
        st.error(t("auth.page_refused" if who.username else "auth.sign_in_first", lang()))
        st.stop()
    return who
