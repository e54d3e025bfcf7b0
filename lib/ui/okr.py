"""The OKR page's Streamlit parts: cached reports, the quarter and date picker, the
objective tree with progress bars, the burn-up charts and the check-in form.

Numbers come from lib.okr; this module only caches (keyed by the store's generation) and
draws. Sheet text (titles, owners, notes) is shown as plain text: escaped before it goes
through Markdown, or inside st.dataframe.
"""
from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from lib import fmt
from lib.i18n import t
from lib.metrics import load_catalog
from lib.okr import (OkrConfig, OkrReport, checkin_rows, default_as_of, default_quarter, load_okr_config,
                     metric_weekly, okr_report, quarter_range, quarters, reference_date)
from lib.okr import format as okr_fmt
from lib.okr.engine import KeyResultProgress, ObjectiveProgress
from lib.okr.rules import weekly_last
from lib.store import Store
from lib.ui import state, writeform
from lib.ui.widgets import page_link, plain

BADGE_COLOURS = {"done": "blue", "on_track": "green", "at_risk": "orange", "off_track": "red",
                 "not_started": "gray"}
CHART_COLOURS = {"done": "#1c83e1", "on_track": "#21c354", "at_risk": "#ff8700", "off_track": "#ff2b2b",
                 "not_started": "#a3a8b8"}
REFRESH, FLASH, SHOW_DATE, NONCE = "okr.refresh", "okr.flash", "okr.show_date", "okr.nonce"
AXIS_WIDTH = 48  # y-axis room in the burn-up and confidence charts, so their x axes line up
def md_escape(text) -> str:
    """Sheet text for st.markdown, on one line (a title typed over two lines stays one)."""
    return plain(" ".join(str(text).split()))


def status_label(status: str, lang: str) -> str:
    return t(f"okr.status.{status}", lang)


# ---------------------------------------------------------------------------------------
# config and cached computations


@st.cache_resource(show_spinner=False, ttl=300)
def _catalog():
    return load_catalog()


def config_or_stop(lang: str) -> tuple[OkrConfig, object]:
    """config/okr.yaml and the metric catalogue, or their problems and a stopped page."""
    return state.loaded_or_stop(lambda: (load_okr_config(), _catalog()), lang)


def store_after_write() -> Store:
    """The store; read again at once after this session wrote a check-in, so it shows."""
    return state.store_after_write(REFRESH)


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _quarters(generation: int, _store: Store) -> tuple[list[str], dt.date]:
    return quarters(_store), reference_date(_store)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _report(generation: int, config_key: str, quarter: str, as_of: dt.date, _store: Store,
            _cfg: OkrConfig) -> OkrReport:
    return okr_report(_store, _catalog(), _cfg, quarter, as_of)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _checkins(generation: int, kr_ids: tuple[str, ...], start: dt.date, as_of: dt.date,
              _store: Store) -> pd.DataFrame:
    if not kr_ids or not _store.has("checkins"):
        return pd.DataFrame(columns=["kr_id", "date", "value", "confidence", "note", "author_id"])
    return checkin_rows(_store, list(kr_ids), start, as_of)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _metric_weekly(generation: int, metrics: tuple[str, ...], start: dt.date, as_of: dt.date,
                   _store: Store) -> pd.DataFrame:
    return metric_weekly(_store, _catalog(), list(metrics), start, as_of)


def report(store: Store, cfg: OkrConfig, quarter: str, as_of: dt.date) -> OkrReport:
    return _report(store.generation, cfg.model_dump_json(), quarter, as_of, store, cfg)


def checkins(store: Store, rep: OkrReport) -> pd.DataFrame:
    kr_ids = tuple(k.kr_id for o in rep.objectives for k in o.key_results)
    return _checkins(store.generation, kr_ids, rep.start, min(rep.as_of, rep.end), store)


def metric_series(store: Store, rep: OkrReport) -> pd.DataFrame:
    return _metric_weekly(store.generation, tuple(rep.metrics), rep.start, min(rep.as_of, rep.end), store)


# ---------------------------------------------------------------------------------------
# quarter and as-of date


def period_picker(store: Store, lang: str) -> tuple[str, dt.date] | None:
    """Quarter (newest first; default: the reference date's quarter) and as-of date
    (default: the reference date within that quarter). None when there are no objectives."""
    available, reference = _quarters(store.generation, store)
    if not available:
        return None
    chosen = default_quarter(available, reference)
    options = list(reversed(available))
    left, right, _ = st.columns([1, 1, 2])
    quarter = left.selectbox(t("okr.quarter", lang), options, index=options.index(chosen), key="okr.quarter")
    start, end = quarter_range(quarter)
    key = f"okr.as_of.{quarter}"  # one date per quarter: switching quarters starts at that quarter's default
    pending = st.session_state.pop(SHOW_DATE, None)
    if pending and pending[0] == quarter and key in st.session_state and pending[1] > st.session_state[key]:
        st.session_state[key] = pending[1]  # a check-in just saved after the as-of date: show it
    st.session_state.setdefault(key, default_as_of(quarter, reference))
    as_of = right.date_input(t("okr.as_of", lang), min_value=start, max_value=end, key=key,
                             help=t("okr.as_of_help", lang, day=reference.isoformat()))
    return quarter, as_of


# ---------------------------------------------------------------------------------------
# headline and departments


def headline(rep: OkrReport, lang: str) -> None:
    days = (rep.end - rep.start).days + 1
    elapsed = max(0, min(days, (rep.as_of - rep.start).days + 1))
    st.caption(t("okr.judged", lang, as_of=rep.as_of.isoformat(), expected=fmt.pct(rep.expected, 0),
                 quarter=rep.quarter, elapsed=elapsed, days=days))
    krs = [k for o in rep.objectives for k in o.key_results]
    good = sum(o.status in ("on_track", "done") for o in rep.objectives)
    behind = sum(k.status in ("at_risk", "off_track") for k in krs)
    c1, c2, c3, c4 = st.columns(4)
    gap = None if rep.company is None else rep.company - rep.expected
    c1.metric(t("okr.company", lang), okr_fmt.progress(rep.company), help=t("okr.company_help", lang),
              delta=None if gap is None else t("okr.vs_expected", lang, gap=f"{gap * 100:+.0f}"))
    c2.metric(t("okr.expected", lang), fmt.pct(rep.expected, 0))
    c3.metric(t("okr.objectives_on_track", lang), f"{good} / {len(rep.objectives)}")
    c4.metric(t("okr.krs_behind", lang), f"{behind} / {len(krs)}")


def department_chart(rep: OkrReport, cfg: OkrConfig, lang: str) -> alt.Chart | None:
    rows = [{"department": d, "progress": p, "status": rep.department_status(d, cfg),
             "label": f"{okr_fmt.progress(p)} · {status_label(rep.department_status(d, cfg), lang)}"}
            for d, p in rep.departments.items() if p is not None]
    if not rows:
        return None
    data = pd.DataFrame(rows)
    order = data.sort_values("progress", ascending=False)["department"].tolist()
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X("progress:Q", title=t("okr.progress", lang), scale=alt.Scale(domain=[0, 1.3]),
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])),
        y=alt.Y("department:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        color=_status_colour(lang),
        tooltip=[alt.Tooltip("department:N", title=t("okr.department", lang)),
                 alt.Tooltip("label:N", title=t("okr.progress", lang))],
    )
    text = bars.mark_text(align="left", dx=5, fontSize=12).encode(text="label:N", color=alt.value("#31333f"))
    return (bars + text + _expected_rule(rep)).properties(height=alt.Step(28))


def _label_expr(lang: str) -> str:
    """Vega expression turning a status code into its label in the legend."""
    parts = " : ".join(f"datum.label == '{s}' ? '{status_label(s, lang)}'" for s in CHART_COLOURS)
    return f"{parts} : datum.label"


def departments(rep: OkrReport, cfg: OkrConfig, lang: str) -> None:
    chart = department_chart(rep, cfg, lang)
    if chart is None:
        return
    st.subheader(t("okr.departments", lang), help=t("okr.departments_help", lang))
    st.altair_chart(chart, width="stretch")


# ---------------------------------------------------------------------------------------
# the objective tree


def tree_chart(rep: OkrReport, lang: str) -> alt.Chart:
    """The objective tree as one chart: a row per objective in tree order (children indented
    under their parent), a bar of its progress in its status colour, the expected line."""
    rows = []
    for depth, o in rep.walk():
        title = o.title if len(o.title) <= 44 else o.title[:43] + "…"
        owner = f" · {o.department or o.owner}" if (o.department or o.owner) else ""
        rows.append({"order": len(rows), "row": f"{'　　' * depth}{'↳ ' if depth else ''}{o.objective_id} · {title}{owner}",
                     "owner": o.department or o.owner or "", "progress": o.progress or 0.0,
                     "label": f"{okr_fmt.progress(o.progress)} · {status_label(o.status, lang)}",
                     "status": o.status, "title": o.title})
    data = pd.DataFrame(rows)
    # An explicit list: a layered chart drops a sort by field when it unions the layers' domains.
    y = alt.Y("row:N", sort=data["row"].tolist(), title=None,
              axis=alt.Axis(labelLimit=400, labelFontSize=12, labelAlign="left", labelPadding=390))
    bars = alt.Chart(data).mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X("progress:Q", title=t("okr.progress", lang), scale=alt.Scale(domain=[0, 1.3]),
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])),
        y=y, color=_status_colour(lang),
        tooltip=[alt.Tooltip("title:N", title=t("okr.objectives", lang)),
                 alt.Tooltip("owner:N", title=t("okr.department", lang)),
                 alt.Tooltip("label:N", title=t("okr.progress", lang))],
    )
    text = bars.mark_text(align="left", dx=5, fontSize=12).encode(text="label:N", color=alt.value("#31333f"))
    return (bars + text + _expected_rule(rep)).properties(height=alt.Step(28))


def _status_colour(lang: str) -> alt.Color:
    statuses = list(CHART_COLOURS)
    return alt.Color("status:N", scale=alt.Scale(domain=statuses, range=[CHART_COLOURS[s] for s in statuses]),
                     legend=alt.Legend(title=None, orient="bottom", labelExpr=_label_expr(lang)))


def _expected_rule(rep: OkrReport) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"expected": [rep.expected]})).mark_rule(strokeDash=[4, 3], color="#31333f") \
        .encode(x="expected:Q")


def tree(rep: OkrReport, store: Store, cfg: OkrConfig, lang: str) -> None:
    st.subheader(t("okr.objectives", lang), help=t("okr.tree_help", lang))
    st.altair_chart(tree_chart(rep, lang), width="stretch")
    checks = checkins(store, rep)
    live = metric_series(store, rep)
    for root in rep.roots():
        with st.container(border=True):
            _objective(rep, root, _Drawing(checks, live, _catalog(), cfg, lang))


class _Drawing:
    """What every level of the tree draws with."""

    def __init__(self, checks: pd.DataFrame, live: pd.DataFrame, catalog, cfg: OkrConfig, lang: str):
        self.checks, self.live, self.catalog, self.cfg, self.lang = checks, live, catalog, cfg, lang


def _objective(rep: OkrReport, o: ObjectiveProgress, d: _Drawing) -> None:
    lang = d.lang
    head, badge = st.columns([4, 1.4], vertical_alignment="center")
    head.markdown(f"**{md_escape(o.objective_id)} · {md_escape(o.title)}**")
    head.caption(_owner_text(o, lang))
    with badge:
        st.badge(status_label(o.status, lang), color=BADGE_COLOURS[o.status])
        st.caption(t("okr.progress_text", lang, progress=okr_fmt.progress(o.progress),
                     expected=fmt.pct(rep.expected, 0)))
    if o.key_results:
        with st.expander(t("okr.key_results", lang, n=len(o.key_results))):
            for kr in o.key_results:
                _key_result(rep, kr, d)
    else:
        st.caption(t("okr.no_key_results", lang))
    for child_id in o.children:
        with st.container(border=True):
            _objective(rep, rep.objective(child_id), d)


def _owner_text(o: ObjectiveProgress, lang: str) -> str:
    if not o.owner:
        return t("okr.no_owner", lang)
    if o.department and o.department != o.owner:
        return md_escape(t("okr.owner_department", lang, owner=o.owner, department=o.department))
    return md_escape(t("okr.owner", lang, owner=o.owner))


def _key_result(rep: OkrReport, kr: KeyResultProgress, d: _Drawing) -> None:
    lang, catalog = d.lang, d.catalog

    def value(x):
        return okr_fmt.kr_value(x, kr.unit, kr.metric, catalog, lang)

    text, chart = st.columns([2, 3])
    with text:
        st.markdown(f"**{md_escape(kr.kr_id)} · {md_escape(kr.title)}**")
        st.badge(status_label(kr.status, lang), color=BADGE_COLOURS[kr.status])
        st.caption(md_escape(t("okr.kr_line", lang, current=value(kr.current), start=value(kr.start_value),
                               target=value(kr.target_value))))  # the unit is sheet text
        st.caption(t("okr.kr_progress", lang, progress=okr_fmt.progress(kr.progress),
                     expected=fmt.pct(rep.expected, 0)) if kr.current is not None else t("okr.kr_no_value", lang))
        details = []
        if kr.confidence is not None:
            details.append(t("okr.confidence", lang, confidence=okr_fmt.plain_number(kr.confidence)))
        if kr.last_checkin is not None:
            details.append(t("okr.last_checkin", lang, date=kr.last_checkin.isoformat()))
        if kr.weight != 1:
            details.append(t("okr.weight", lang, weight=okr_fmt.plain_number(kr.weight)))
        if details:
            st.caption(" · ".join(details))
        if kr.low_confidence:
            st.caption(f"⚠️ {t('okr.low_confidence', lang, confidence=okr_fmt.plain_number(kr.confidence))}")
        if kr.metric and kr.metric in rep.metrics:
            label = catalog.label(kr.metric, lang)
            st.caption(t("okr.live_metric", lang, metric=label, start=rep.start.isoformat(),
                         end=min(rep.as_of, rep.end).isoformat()))
            page_link("pages/cockpit.py", t("okr.open_in_cockpit", lang, metric=label), "📈",
                      query_params={"metric": kr.metric})
    with chart:
        own = d.checks[d.checks["kr_id"] == kr.kr_id]
        burnup, confidence = burnup_chart(rep, kr, own, d.live, catalog, lang), confidence_chart(rep, own, d.cfg, lang)
        st.altair_chart(burnup, width="stretch")
        if confidence is not None:
            st.altair_chart(confidence, width="stretch")
    st.divider()


def burnup_chart(rep: OkrReport, kr: KeyResultProgress, checks: pd.DataFrame, live: pd.DataFrame, catalog,
                 lang: str) -> alt.LayerChart:
    """Check-ins (last of each ISO week) and the live metric against the straight line from
    start to target, with the expected point at the as-of date."""
    names = {"ideal": t("okr.chart.ideal", lang), "checkins": t("okr.chart.checkins", lang),
             "metric": t("okr.chart.metric", lang),
             "expected": t("okr.chart.expected", lang)}
    colours = {"ideal": "#a3a8b8", "checkins": "#1c83e1", "metric": "#21c354", "expected": "#ff2b2b"}
    points = burnup_points(rep, kr, checks, live)
    points["series"] = points["kind"].map(names)
    points["shown"] = [okr_fmt.kr_value(v, kr.unit, kr.metric, catalog, lang) for v in points["value"]]
    x = alt.X("date:T", title=None, scale=_quarter_scale(rep), axis=alt.Axis(format="%m-%d"))
    present = [k for k in names if k in set(points["kind"])]
    colour = alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=[names[k] for k in present], range=[colours[k] for k in present]))
    tooltip = [alt.Tooltip("series:N", title=t("okr.chart.series", lang)),
               alt.Tooltip("date:T", title=t("okr.chart.date", lang), format="%Y-%m-%d"),
               alt.Tooltip("shown:N", title=t("okr.chart.value", lang))]
    labels = okr_fmt.axis_labels(kr.unit, kr.metric, catalog, lang)
    base = alt.Chart(points).encode(x=x, y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False),
                                                 axis=alt.Axis(minExtent=AXIS_WIDTH, labelExpr=labels)),
                                    color=colour, tooltip=tooltip)
    ideal = base.transform_filter(alt.datum.kind == "ideal").mark_line(strokeDash=[6, 4])
    lines = base.transform_filter(alt.FieldOneOfPredicate("kind", ["checkins", "metric"])).mark_line(point=True)
    expected = base.transform_filter(alt.datum.kind == "expected").mark_point(shape="diamond", size=140, filled=True)
    today = alt.Chart(pd.DataFrame({"date": [pd.Timestamp(rep.as_of)]})).mark_rule(
        strokeDash=[2, 3], color="#ff2b2b").encode(x=x)
    return (ideal + lines + today + expected).properties(height=190)


def _quarter_scale(rep: OkrReport) -> alt.Scale:
    """The quarter's days on x, the same for the burn-up and the confidence chart under it."""
    return alt.Scale(domain=[_vega_date(rep.start), _vega_date(rep.end)])


def burnup_points(rep: OkrReport, kr: KeyResultProgress, checks: pd.DataFrame, live: pd.DataFrame) -> pd.DataFrame:
    """The burn-up chart's data: kind (ideal, checkins, metric, expected), date, value."""
    rows = [{"kind": "ideal", "date": rep.start, "value": kr.start_value},
            {"kind": "ideal", "date": rep.end, "value": kr.target_value}]
    ordered = checks.sort_values("date", kind="stable")
    for _, day, value in weekly_last(zip(ordered["date"], ordered["value"])):
        rows.append({"kind": "checkins", "date": day, "value": float(value)})
    if kr.metric and kr.metric in live.columns:
        for day, value in zip(live["date"], live[kr.metric]):
            if not pd.isna(value):
                rows.append({"kind": "metric", "date": day, "value": float(value)})
    if rep.start <= rep.as_of <= rep.end:
        rows.append({"kind": "expected", "date": rep.as_of, "value": kr.expected_value(rep.expected)})
    frame = pd.DataFrame(rows, columns=["kind", "date", "value"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def confidence_chart(rep: OkrReport, checks: pd.DataFrame, cfg: OkrConfig, lang: str) -> alt.LayerChart | None:
    """The confidence trend (last of each ISO week, 0-10) under the burn-up chart; bars at or
    below the low-confidence level are red. None when no check-in gave a confidence."""
    ordered = checks.sort_values("date", kind="stable")
    weekly = weekly_last(zip(ordered["date"], ordered["confidence"]))
    if not weekly:
        return None
    data = pd.DataFrame([{"date": pd.Timestamp(day), "confidence": c, "week": w} for w, day, c in weekly])
    data["low"] = data["confidence"] <= cfg.low_confidence
    bars = alt.Chart(data).mark_bar(width=7).encode(
        x=alt.X("date:T", title=None, scale=_quarter_scale(rep), axis=alt.Axis(format="%m-%d", labels=False)),
        y=alt.Y("confidence:Q", title=t("okr.chart.confidence", lang), scale=alt.Scale(domain=[0, 10]),
                axis=alt.Axis(values=[0, 5, 10], minExtent=AXIS_WIDTH, titleFontSize=10)),
        color=alt.condition(alt.datum.low, alt.value(CHART_COLOURS["off_track"]), alt.value("#7fb7ec")),
        tooltip=[alt.Tooltip("week:N", title=t("okr.chart.week", lang)),
                 alt.Tooltip("confidence:Q", title=t("okr.chart.confidence", lang))],
    )
    rule = alt.Chart(pd.DataFrame({"y": [cfg.low_confidence]})).mark_rule(strokeDash=[2, 2], color="#ff8700") \
        .encode(y="y:Q")
    return (bars + rule).properties(height=80)


def _vega_date(day: dt.date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day)


# ---------------------------------------------------------------------------------------
# check-ins: the latest ones and the form


def recent_checkins(store: Store, rep: OkrReport, lang: str, limit: int = 10) -> None:
    st.subheader(t("okr.recent", lang))
    checks = checkins(store, rep)
    if checks.empty:
        st.caption(t("okr.recent_none", lang, as_of=rep.as_of.isoformat()))
        return
    titles = {k.kr_id: (k, f"{k.kr_id} · {k.title}") for o in rep.objectives for k in o.key_results}
    latest = checks.iloc[::-1].head(limit)  # by date then sheet row, newest first
    catalog = _catalog()
    st.dataframe(pd.DataFrame({
        t("okr.col.date", lang): [d.isoformat() for d in latest["date"]],
        t("okr.col.kr", lang): [titles[k][1] for k in latest["kr_id"]],
        t("okr.col.value", lang): [okr_fmt.kr_value(v, titles[k][0].unit, titles[k][0].metric, catalog, lang)
                                   for k, v in zip(latest["kr_id"], latest["value"])],
        t("okr.col.confidence", lang): [okr_fmt.plain_number(c) for c in latest["confidence"]],
        t("okr.col.note", lang): latest["note"].fillna("").astype(str).tolist(),
        t("okr.col.author", lang): latest["author_id"].fillna("").astype(str).tolist(),
    }), hide_index=True, width="stretch")


def _form_keys(quarter: str) -> dict[str, str]:
    return {name: f"okr.form.{quarter}.{name}" for name in ("kr", "date", "value", "confidence", "note")}


def checkin_form(store: Store, rep: OkrReport, lang: str) -> None:
    """Add a check-in to the checkins tab wherever it comes from (lib.writeback).

    A failed write says why and keeps every field as typed (the form is not cleared on
    submit). The same check-in sent twice (a double click, a resubmit) carries the same
    token and is written once. After a write the store is read again and the as-of date
    moves to the check-in's date if it was earlier, so the new check-in shows.
    """
    st.subheader(t("okr.form.title", lang))
    viewer = state.viewer()
    if not viewer.sees_personal_data:  # the meeting-room screen looks, it does not write
        st.caption(t("okr.form.read_only", lang))
        return
    krs = {k.kr_id: k for o in rep.objectives for k in o.key_results}
    if not krs:
        st.caption(t("okr.form.no_krs", lang))
        return
    config = state.holder().config
    source = config.source_of("checkins")
    st.caption(t("okr.form.where", lang, source=source))
    writeform.show_flash(FLASH)
    keys = _form_keys(rep.quarter)
    if keys["kr"] in st.session_state and st.session_state[keys["kr"]] not in krs:
        del st.session_state[keys["kr"]]  # the KR is gone after a reload
    latest_day = min(rep.end, max(rep.start, dt.date.today()))
    with st.form(f"okr.form.{rep.quarter}", clear_on_submit=False):
        left, right = st.columns([3, 1])
        kr_id = left.selectbox(t("okr.form.kr", lang), list(krs), key=keys["kr"],
                               format_func=lambda k: f"{k} · {krs[k].title}")
        day = right.date_input(t("okr.form.date", lang), value=min(rep.as_of, latest_day), min_value=rep.start,
                               max_value=latest_day, key=keys["date"])
        value_col, confidence_col = st.columns([3, 1])
        value = value_col.text_input(t("okr.form.value", lang), key=keys["value"], help=t("okr.form.value_help", lang))
        confidence = confidence_col.number_input(t("okr.form.confidence", lang), min_value=0, max_value=10, step=1,
                                                 value=None, key=keys["confidence"], placeholder="0-10")
        note = st.text_area(t("okr.form.note", lang), key=keys["note"], height=80)
        submitted = st.form_submit_button(t("okr.form.submit", lang), type="primary")
    if not submitted:
        return
    row = {"kr_id": kr_id, "date": day, "value": value, "confidence": confidence, "note": note.strip() or None,
           "author_id": viewer.employee_id}
    _save(store, rep, row, krs[kr_id], lang)


def submission_token(row: dict) -> str:
    """The same check-in from the same session gives the same token, so it is written once."""
    return writeform.submission_token("|".join(f"{k}={row[k]}" for k in sorted(row)), NONCE)


def _save(store: Store, rep: OkrReport, row: dict, kr: KeyResultProgress, lang: str) -> None:
    result = writeform.append(store, "checkins", row, submission_token(row), t("okr.form.saving", lang),
                              lambda reason: t("okr.form.failed", lang, reason=reason))
    if result is None:
        return
    shown = okr_fmt.kr_value(result.row["value"], kr.unit, kr.metric, _catalog(), lang)
    message = "okr.form.duplicate" if result.duplicate else "okr.form.saved"
    st.session_state[FLASH] = [("info" if result.duplicate else "success",
                                t(message, lang, kr=kr.kr_id, value=shown, date=result.row["date"].isoformat(),
                                  source=result.source))]
    if result.dropped:
        st.session_state[FLASH].append(("warning", t("okr.form.dropped", lang, columns=", ".join(result.dropped))))
    for name in ("value", "confidence", "note"):  # cleared on the next run, before the form is drawn
        st.session_state.pop(_form_keys(rep.quarter)[name], None)
    st.session_state[REFRESH] = True
    st.session_state[SHOW_DATE] = (rep.quarter, result.row["date"])
    st.rerun()
