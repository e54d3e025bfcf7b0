"""Streamlit helpers of the appraisal page: cached calls into lib.appraisal, badge columns,
charts and the calibration form's callback.

Personal rows are cached per store generation AND per viewer (viewer.cache_key()), so one
person's rows never reach another from the cache.
"""
from __future__ import annotations

import hashlib
import math

import altair as alt
import pandas as pd
import streamlit as st

from lib.access import Viewer
from lib.appraisal import AppraisalConfig, appraise, load_appraisal_config, record_calibration
from lib.appraisal.calibration import CalibrationRefused
from lib.appraisal.config import APPRAISAL_FILE
from lib.appraisal.engine import monthly_trend
from lib.appraisal.flags import FLAGS
from lib.appraisal.model import Appraisal, CalibrationItem
from lib.appraisal.views import kpi_months
from lib.fmt import number
from lib.i18n import t
from lib.store import Store
from lib.writeback import WriteError

FLAG_COLOURS = {"s_grade": "#2e7d32", "coaching_plan": "#ef6c00", "veto": "#c62828", "calibration": "#7b1fa2",
                "bottom_20": "#d84315", "top_team": "#1565c0", "incomplete": "#757575",
                "insufficient_data": "#9e9e9e"}
GRADE_COLOURS = ["#2e7d32", "#1565c0", "#00838f", "#ef6c00", "#c62828", "#757575"]
CAL_MESSAGE = "ap_cal_message"


# ---- cached computations ------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=4)
def _config(stamp: float) -> AppraisalConfig:
    return load_appraisal_config()


def _stamp() -> float:
    return APPRAISAL_FILE.stat().st_mtime if APPRAISAL_FILE.exists() else 0.0


def config() -> AppraisalConfig:
    """The validated config, read again when the file changes; ConfigError when invalid."""
    return _config(_stamp())


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def _months(generation: int, _store: Store) -> list[str]:
    return kpi_months(_store)


def months(store: Store) -> list[str]:
    return _months(store.generation, store)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _appraisal(generation: int, _store: Store, config_stamp: float, _cfg: AppraisalConfig, period: str,
               viewer_key: tuple, _viewer: Viewer) -> Appraisal:
    return appraise(_store, _cfg, period, _viewer)


def appraisal(store: Store, cfg: AppraisalConfig, period: str, viewer: Viewer) -> Appraisal:
    return _appraisal(store.generation, store, _stamp(), cfg, period, viewer.cache_key(), viewer)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _trend(generation: int, _store: Store, config_stamp: float, _cfg: AppraisalConfig, employee_id: str,
           end_month: str, viewer_key: tuple, _viewer: Viewer) -> list[tuple[str, float | None]]:
    return monthly_trend(_store, _cfg, employee_id, end_month, _viewer)


def trend(store: Store, cfg: AppraisalConfig, employee_id: str, end_month: str, viewer: Viewer):
    return _trend(store.generation, store, _stamp(), cfg, employee_id, end_month, viewer.cache_key(), viewer)


# ---- badge columns ------------------------------------------------------------------------

def flags_column(lang: str, label: str):
    return st.column_config.MultiselectColumn(
        label, options=list(FLAGS), color=[FLAG_COLOURS[f] for f in FLAGS],
        format_func=lambda f: t(f"appraisal.flag.{f}", lang), width="medium")


def grade_column(cfg: AppraisalConfig, label: str):
    grades = [b.grade for b in cfg.grades]
    return st.column_config.MultiselectColumn(label, options=grades, color=GRADE_COLOURS[:len(grades)],
                                              width="small")


def score_column(label: str, cap: float = 100):
    return st.column_config.ProgressColumn(label, min_value=0, max_value=cap, format="%.1f", color="#4C78A8")


def labels(lang: str, *columns: str) -> dict:
    """Plain column labels for the columns without a special type."""
    return {c: t(f"appraisal.col.{c}", lang) for c in columns}


# ---- charts ---------------------------------------------------------------------------------

def distribution_chart(frame: pd.DataFrame, cut: float | None, lang: str) -> alt.Chart:
    """Histogram of the scores (2-point bins); the people at or below the bottom-20% line in red."""
    count = t("appraisal.col.count", lang)
    score = t("appraisal.col.score", lang)
    frame = frame.assign(group=frame["below_cut"].map({True: "bottom", False: "rest"}))
    low = min([*frame["score"], cut if cut is not None else 120.0, 60.0])
    domain = [max(0, 10 * math.floor(low / 10) - 10), 120]  # room for the bars, the 60 line in view
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("score:Q", bin=alt.Bin(step=2, extent=[0, 120]), title=score,
                scale=alt.Scale(domain=domain, clamp=True)),
        y=alt.Y("count():Q", title=count, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("group:N", scale=alt.Scale(domain=["bottom", "rest"], range=["#c62828", "#4C78A8"]),
                        legend=None),
        tooltip=[alt.Tooltip("count():Q", title=count)],
    )
    if cut is None:
        return bars.properties(height=260)
    line = pd.DataFrame({"cut": [cut], "label": [t("appraisal.cut_line", lang, score=number(cut, 1))]})
    x = alt.X("cut:Q", scale=alt.Scale(domain=domain, clamp=True))
    rule = alt.Chart(line).mark_rule(color="#c62828", strokeDash=[6, 4], size=2).encode(x=x)
    text = alt.Chart(line).mark_text(align="right", dx=-6, color="#c62828", fontWeight="bold").encode(
        x=x, y=alt.value(40), text="label:N")
    return (bars + rule + text).properties(height=260)


def trend_chart(points: list[tuple[str, float | None]], line: float, lang: str) -> alt.Chart:
    """Monthly score against the coaching line; a month without a score is a gap, not 0."""
    frame = pd.DataFrame(points, columns=["month", "score"])
    frame["below"] = frame["score"] < line
    month, score = t("appraisal.col.month", lang), t("appraisal.col.score", lang)
    base = alt.Chart(frame).encode(x=alt.X("month:O", title=month, axis=alt.Axis(labelAngle=0)))
    path = base.mark_line(color="#4C78A8").encode(y=alt.Y("score:Q", title=score, scale=alt.Scale(domain=[0, 120])))
    dots = base.mark_point(filled=True, size=70).encode(
        y="score:Q",
        color=alt.condition("datum.below", alt.value("#c62828"), alt.value("#4C78A8")),
        tooltip=[alt.Tooltip("month:O", title=month), alt.Tooltip("score:Q", title=score, format=".1f")])
    rule_data = pd.DataFrame({"line": [line], "label": [t("appraisal.trend_line", lang, line=f"{line:g}")]})
    rule = alt.Chart(rule_data).mark_rule(color="#ef6c00", strokeDash=[6, 4]).encode(y="line:Q")
    label = alt.Chart(rule_data).mark_text(align="left", dx=4, dy=-7, color="#ef6c00").encode(
        y="line:Q", x=alt.value(4), text="label:N")
    return (path + dots + rule + label).properties(height=260)


def indicator_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    ind, score = t("appraisal.col.indicator", lang), t("appraisal.col.score", lang)
    return alt.Chart(frame.dropna(subset=["score"])).mark_bar(color="#4C78A8").encode(
        x=alt.X("score:Q", title=score, scale=alt.Scale(domain=[0, 120])),
        y=alt.Y("indicator:N", title=None, sort=None),
        tooltip=[alt.Tooltip("indicator:N", title=ind), alt.Tooltip("score:Q", title=score, format=".1f")],
    ).properties(height=34 * max(len(frame), 1) + 30)


# ---- the calibration form -----------------------------------------------------------------

def submission_token(viewer: Viewer, item: CalibrationItem, score: float, reason: str) -> str:
    """The same decision submitted twice (a double click) carries the same token: one row."""
    if "ap_session" not in st.session_state:
        import uuid

        st.session_state["ap_session"] = uuid.uuid4().hex
    text = "|".join(map(str, (st.session_state["ap_session"], viewer.username, item.employee_id, item.period,
                              item.dimension, score, reason.strip())))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_from_form(cfg: AppraisalConfig, viewer: Viewer, items: list[CalibrationItem], lang: str) -> None:
    """Callback of the form's submit button: write, reload the data, leave a message."""
    from lib.ui import state

    item = items[st.session_state["ap_cal_item"]]
    score = st.session_state.get("ap_cal_score")
    reason = st.session_state.get("ap_cal_reason") or ""
    store = state.holder().get()
    try:
        record_calibration(state.holder().config, store, cfg, viewer, item.employee_id, item.period, item.dimension,
                           score, reason, submission_token(viewer, item, score, reason))
    except (CalibrationRefused, WriteError) as exc:
        st.session_state[CAL_MESSAGE] = ("failed", str(exc))
        return
    state.holder().get(force=True)  # the next run reads the sheet again, with the new row
    st.session_state[CAL_MESSAGE] = ("success", t("appraisal.recorded", lang, name=item.name,
                                                  dimension=cfg.label(item.dimension, lang), score=number(score, 1)))
    st.session_state["ap_cal_reason"] = ""
