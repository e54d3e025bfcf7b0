"""Data quality: every quarantined row with its reason, the warnings, tab and source problems."""
import altair as alt
import pandas as pd
import streamlit as st

from lib import overview
from lib.export import csv_bytes
from lib.i18n import t, tab_label
from lib.schema import TABS
from lib.ui import state, widgets

state.guard("data_quality")  # first: refuses unless the signed-in role may open this page
lang = state.lang()
store = state.store_or_stop()

st.title(t("dq.title", lang))
st.write(t("dq.intro", lang))
widgets.source_banners(store, lang)

problem_tabs = [tab for tab in TABS if store.quarantine.get(tab) or overview.warnings(store, tab)]
choice = st.selectbox(t("dq.filter_tab", lang), [None, *problem_tabs],
                      format_func=lambda tab: t("dq.all_tabs", lang) if tab is None
                      else f"{tab_label(tab, lang)} ({tab})")

rows = overview.quarantine_rows(store, choice)
cells = overview.quarantine_issues(store, choice)
st.subheader(t("dq.quarantine", lang))
if not rows:
    st.success(t("dq.none", lang))
else:
    st.caption(t("dq.count", lang, rows=len(rows), tabs=len({q.tab for q in rows})))
    frame = widgets.issues_frame(cells, lang)
    st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button(t("dq.download", lang), csv_bytes(frame), file_name="quarantined_rows.csv",
                       mime="text/csv")
    if choice is None:
        per_tab = pd.DataFrame({"tab": [tab_label(q.tab, lang) for q in rows]}).value_counts().reset_index()
        st.altair_chart(alt.Chart(per_tab, title=t("dq.by_tab_chart", lang)).mark_bar(color="#E45756").encode(
            x=alt.X("count:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d")), y=alt.Y("tab:N", title=None, sort="-x"),
        ), width="stretch")
    with st.expander(t("dq.row_values", lang)):
        st.dataframe(pd.DataFrame([{"tab": q.tab, "row": q.row, **{k: "" if v is None else str(v)
                                   for k, v in q.values.items()}} for q in rows[:500]]),
                     hide_index=True, width="stretch")

warnings = overview.warnings(store, choice)
if warnings:
    st.subheader(t("dq.warnings", lang))
    widgets.show_issues(warnings, lang)

problems = overview.tab_and_source_problems(store)
if problems and choice is None:
    st.subheader(t("dq.tab_problems", lang))
    widgets.show_issues(problems, lang)
