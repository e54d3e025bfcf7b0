"""Widgets shared by pages: source banners, the missing-tab notice, issue tables.

User text (sheet cells) is only ever shown through st.dataframe, st.text or st.write of
plain strings; nothing here renders HTML.
"""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from lib.fmt import age
from lib.i18n import t, tab_label
from lib.issues import Issue
from lib.schema import describe_tab
from lib.store import Store, utcnow


# Every character Markdown, HTML or a Streamlit directive (:red[x], $math$) gives a meaning;
# CommonMark lets any ASCII punctuation be escaped, so escaping one too many is harmless.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def plain(text) -> str:
    """Sheet or config text made safe to place inside a Markdown string (st.caption,
    st.info, ...): every Markdown, HTML and Streamlit directive character is escaped, so
    `<b>`, `**x**` or `:red[x]` in a name shows exactly as typed."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def source_banners(store: Store, lang: str) -> None:
    """A source that failed: its last good data stays, with its age; or it says it is unavailable."""
    for status in store.statuses.values():
        if status.ok:
            continue
        if status.loaded_at is not None:
            st.warning(t("banner.stale", lang, source=status.name, error=status.error,
                         age=age(status.age().total_seconds(), lang)), icon="⚠️")
        else:
            st.error(t("banner.unavailable", lang, source=status.name, error=status.error), icon="⛔")


def require_tabs(store: Store, lang: str, *tabs: str) -> None:
    """Stop the page with a clear notice when a tab it needs is missing."""
    missing = store.missing(*tabs)
    if missing:
        st.info(t("missing.tabs", lang, tabs=", ".join(missing),
                  columns="; ".join(describe_tab(m) for m in missing)), icon="🧾")
        st.stop()


def issues_frame(issues: list[Issue], lang: str) -> pd.DataFrame:
    return pd.DataFrame([
        {
            t("col.level", lang): t(f"level.{i.level}", lang),
            t("col.tab", lang): tab_label(i.tab, lang) if i.tab else (i.source or ""),
            t("col.row", lang): i.row,
            t("col.column", lang): i.column or i.key or "",
            t("col.value", lang): "" if i.value is None else str(i.value),
            t("col.problem", lang): i.message,
            # what would be accepted, and the hint (did you mean ...?) that config errors carry
            t("col.expected", lang): " · ".join(x for x in (i.expected, i.hint) if x),
        }
        for i in issues
    ])


def show_issues(issues: list[Issue], lang: str) -> None:
    if issues:
        st.dataframe(issues_frame(issues, lang), hide_index=True, width="stretch")


def data_age_caption(store: Store, lang: str) -> None:
    seconds = (utcnow() - store.loaded_at).total_seconds()
    st.caption(t("app.loaded", lang, age=age(seconds, lang)))


def page_link(page: str, label: str, icon: str | None = None, query_params: dict | None = None) -> None:
    """st.page_link, or a plain caption when the page is not in the navigation (AppTest of
    one file, or a page not built yet). `query_params` travel with the link (metric=cac)."""
    from streamlit.errors import StreamlitAPIException

    try:
        st.page_link(page, label=label, icon=icon, query_params=query_params)
    except StreamlitAPIException:
        st.caption(label)
