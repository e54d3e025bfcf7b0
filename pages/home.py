"""Home: what is loaded, from where, how many rows, how many set aside, how fresh."""
import altair as alt
import pandas as pd
import streamlit as st

from lib import overview
from lib.fmt import age, number
from lib.i18n import t, tab_label
from lib.ui import state, widgets

state.guard("home")  # first: refuses unless the signed-in role may open this page
lang = state.lang()
store = state.store_or_stop()

st.title(t("home.title", lang))
st.write(t("home.intro", lang))
widgets.source_banners(store, lang)

summaries = overview.tab_summaries(store)
loaded = [s for s in summaries if s.rows is not None]
period = overview.data_period(store)
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("home.tabs_loaded", lang), f"{len(loaded)} / {len(summaries)}")
c2.metric(t("home.good_rows", lang), number(sum(s.rows for s in loaded)))
c3.metric(t("home.quarantined", lang), number(sum(s.quarantined for s in summaries)))
c4.metric(t("home.period", lang), t("home.months", lang, n=overview.months_covered(*period)) if period else "—",
          help=f"{period[0]:%Y-%m-%d} → {period[1]:%Y-%m-%d}" if period else None)
if period:
    c4.caption(f"{period[0]:%Y-%m-%d} → {period[1]:%Y-%m-%d}")
if any(s.quarantined for s in summaries):
    widgets.page_link("pages/data_quality.py", t("home.see_quality", lang), ":material/fact_check:")


def freshness(s: overview.TabSummary) -> str:
    if s.rows is None:
        return t("home.not_loaded", lang)
    text = age(s.age_seconds, lang) if s.age_seconds is not None else "—"
    if s.live:
        text += " · " + t("status.live", lang)
    return f"{t('status.stale', lang)} · {text}" if s.stale else text


st.subheader(t("home.tabs", lang))
table = pd.DataFrame([
    {
        t("col.tab", lang): s.tab,
        t("col.description", lang): tab_label(s.tab, lang),
        t("col.source", lang): s.source or "—",
        t("col.rows", lang): s.rows,
        t("col.quarantined", lang): s.quarantined,
        t("col.freshness", lang): freshness(s),
    }
    for s in summaries
])
left, right = st.columns([3, 2])
left.dataframe(table, hide_index=True, width="stretch", height=min(35 * (len(table) + 1) + 3, 720))

chart_data = pd.DataFrame([
    {"tab": tab_label(s.tab, lang), "kind": t("col.rows", lang), "n": s.rows} for s in loaded
] + [
    {"tab": tab_label(s.tab, lang), "kind": t("col.quarantined", lang), "n": s.quarantined}
    for s in summaries if s.quarantined
])
if not chart_data.empty:
    chart = alt.Chart(chart_data, title=t("home.rows_chart", lang)).mark_bar().encode(
        x=alt.X("n:Q", title=None, scale=alt.Scale(type="symlog")),
        y=alt.Y("tab:N", title=None, sort=[tab_label(s.tab, lang) for s in loaded]),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(
            domain=[t("col.rows", lang), t("col.quarantined", lang)], range=["#4C78A8", "#E45756"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=["tab:N", "kind:N", alt.Tooltip("n:Q", format=",")],
    ).properties(height=min(30 * len(loaded) + 60, 640))
    right.altair_chart(chart, width="stretch")

st.subheader(t("home.sources", lang))
st.dataframe(pd.DataFrame([
    {
        t("col.source", lang): s.name,
        t("col.description", lang): s.description,
        t("col.status", lang): t("status.ok", lang) if s.ok else t("status.failed", lang),
        t("col.freshness", lang): age(s.age().total_seconds(), lang) if s.loaded_at else "—",
        t("col.error", lang): s.error or "",
    }
    for s in store.statuses.values()
]), hide_index=True, width="stretch")
widgets.data_age_caption(store, lang)
