"""Performance appraisal: the team's scores, grades, bonus multipliers and flags for a month,
quarter or year; the person's breakdown; the calibration committee's queue; the lists."""
import pandas as pd
import streamlit as st

from lib.access import may_see_group_averages
from lib.appraisal import may_record
from lib.appraisal import views
from lib.appraisal.model import AppraisalPeriod
from lib.export import xlsx_bytes
from lib.fmt import DASH, number
from lib.i18n import t
from lib.issues import ConfigError
from lib.ui import appraisal as ui
from lib.ui import state, widgets

viewer = state.guard("appraisal")  # first: refuses unless the signed-in role may open this page
lang = state.lang()
store = state.store_or_stop()

st.title(t("appraisal.title", lang))
st.caption(t("appraisal.intro", lang))
widgets.source_banners(store, lang)
try:
    cfg = ui.config()
except ConfigError as exc:
    st.error(t("appraisal.config_invalid", lang))
    widgets.show_issues(exc.issues, lang)
    st.stop()
widgets.require_tabs(store, lang, "staff", "kpi_actuals")

# ---- period picker ----------------------------------------------------------------------
months = ui.months(store)
if not months:
    st.info(t("appraisal.no_data", lang))
    st.stop()
left, right, export_slot = st.columns([2, 2, 1], vertical_alignment="bottom")
grain = left.segmented_control(t("appraisal.grain", lang), views.PERIOD_GRAINS, key="ap_grain", required=True,
                               format_func=lambda g: t(f"grain.{g}", lang), default="month")
options = views.period_choices(months, grain)
default = views.default_period(months, grain)
period = right.selectbox(t("appraisal.period", lang), options, index=options.index(default), key=f"ap_period_{grain}")
if AppraisalPeriod.of(period).months[-1] > months[-1]:
    st.caption(t("appraisal.in_progress", lang, period=period))

with st.spinner(t("app.loading", lang)):
    app = ui.appraisal(store, cfg, period, viewer)
if not app.results:
    st.info(t("appraisal.nobody", lang))
    st.stop()
export_slot.download_button(t("appraisal.export", lang), xlsx_bytes(views.export_sheets(app, cfg, lang)),
                            file_name=f"appraisal_{period}.xlsx", icon="📥",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# ---- tiles ---------------------------------------------------------------------------------
scored = [r.score for r in app.results if r.score is not None]
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("appraisal.people", lang), len(app.results))
if scored and may_see_group_averages(viewer, len(scored)):
    c2.metric(t("appraisal.average", lang), number(sum(scored) / len(scored), 1))
else:
    c2.metric(t("appraisal.average", lang), DASH, help=t("appraisal.average_hidden", lang))
c3.metric(t("appraisal.incomplete_count", lang), sum("incomplete" in r.flags for r in app.results))
c4.metric(t("appraisal.pending_count", lang), sum(item.pending for item in app.calibration_queue))

team_tab, person_tab, queue_tab, lists_tab = st.tabs([
    t("appraisal.team", lang), t("appraisal.person", lang), t("appraisal.queue", lang),
    f'{t("appraisal.coaching", lang)} · {t("appraisal.s_list", lang)}'])

# ---- team ----------------------------------------------------------------------------------
with team_tab:
    team = views.team_table(app, cfg, lang)
    st.dataframe(team, hide_index=True, width="stretch", placeholder=DASH, column_config={
        **ui.labels(lang, "employee_id", "name", "department", "rank", "monthly_scores", "missing"),
        "score": ui.score_column(t("appraisal.col.score", lang)),
        "grade": ui.grade_column(cfg, t("appraisal.col.grade", lang)),
        "bonus_multiplier": st.column_config.NumberColumn(t("appraisal.col.bonus_multiplier", lang), format="%.1f×"),
        "flags": ui.flags_column(lang, t("appraisal.col.flags", lang)),
        "promotion_eligible": st.column_config.CheckboxColumn(t("appraisal.col.promotion_eligible", lang)),
    })
    chart_col, dept_col = st.columns([3, 2])
    with chart_col:
        st.subheader(t("appraisal.distribution", lang))
        st.altair_chart(ui.distribution_chart(views.distribution(app), app.cut_score, lang), width="stretch")
        st.caption(t("appraisal.cut_hidden", lang) if app.cut_score is None else
                   t("appraisal.cut_orientation", lang) if app.period.grain != "year" else "")
    with dept_col:
        st.subheader(t("appraisal.departments", lang))
        if app.period.grain == "year":
            st.caption(t("appraisal.departments_year", lang, n=cfg.ranking.top_teams))
        departments = views.department_table(app)
        if departments["hidden"].any():
            st.caption(t("appraisal.average_hidden", lang))
        departments = departments.drop(columns=["hidden"] if app.period.grain == "year" else ["hidden", "top_team"])
        st.dataframe(departments, hide_index=True, width="stretch", placeholder=DASH, column_config={
            **ui.labels(lang, "rank", "department", "people", "top_team"),
            "mean": st.column_config.NumberColumn(t("appraisal.col.mean", lang), format="%.1f"),
        })
    st.subheader(t("appraisal.awards", lang))
    awards = [(t("appraisal.star", lang, period=a.period), a) for a in app.stars] + \
        [(t("appraisal.innovation_award", lang, period=a.period), a) for a in app.innovation_awards]
    if len(awards) <= 4:
        for column, (title, award) in zip(st.columns(len(awards)), awards):
            with column.container(border=True):
                st.markdown(f"**{title}**")
                for w in award.winners:  # names are sheet text: st.text, never markdown
                    st.text(f"{w.name} · {w.department}")
                    st.metric(t("appraisal.col.score", lang), number(w.score, 1))
                if award.hidden or not award.winners:
                    st.caption(t("appraisal.hidden_winner" if award.hidden else "appraisal.no_winner", lang))
    else:  # a year: up to twelve stars and four innovation awards read better as a table
        st.dataframe(pd.DataFrame([
            {"award": title, "name": ", ".join(w.name for w in a.winners) or t("appraisal.hidden_winner", lang),
             "department": ", ".join(w.department for w in a.winners),
             "score": a.winners[0].score if a.winners else None}
            for title, a in awards if a.winners or a.hidden]),  # months before the data began are left out
            hide_index=True, width="stretch", placeholder=DASH, column_config={
                **ui.labels(lang, "award", "name", "department"),
                "score": st.column_config.NumberColumn(t("appraisal.col.score", lang), format="%.1f")})

# ---- person --------------------------------------------------------------------------------
with person_tab:
    people = {r.employee_id: r for r in app.results}
    chosen = st.selectbox(t("appraisal.pick_person", lang), list(people), key="ap_person",
                          format_func=lambda eid: f"{people[eid].name} ({eid}, {people[eid].department})")
    person = people[chosen]
    if person.missing:
        st.warning(" · ".join(views.missing_text(m, cfg, person.period, lang) for m in person.missing), icon="🧩")
    st.subheader(t("appraisal.breakdown", lang))
    st.dataframe(views.breakdown(person, cfg, lang), hide_index=True, width="stretch", placeholder=DASH,
                 column_config={
                     **ui.labels(lang, "indicator", "kind", "weight", "detail", "missing", "calibrated"),
                     "score": ui.score_column(t("appraisal.col.score", lang), cfg.score_cap),
                     "original_score": st.column_config.NumberColumn(t("appraisal.col.original_score", lang),
                                                                     format="%.1f")})
    left, right = st.columns(2)
    with left:
        st.subheader(t("appraisal.trend", lang))
        end_month = min(AppraisalPeriod.of(period).months[-1], months[-1])
        st.altair_chart(ui.trend_chart(ui.trend(store, cfg, chosen, end_month, viewer), cfg.coaching.below, lang),
                        width="stretch")
    with right:
        st.subheader(t("appraisal.ratings", lang))
        counted, own = views.ratings_table(person, cfg, lang)
        if counted.empty and own.empty:
            st.caption(t("appraisal.no_ratings", lang))
        else:
            st.dataframe(counted, hide_index=True, width="stretch", placeholder=DASH, column_config={
                **ui.labels(lang, "dimension", "rater_type", "ratings", "weight"),
                "mean": st.column_config.NumberColumn(t("appraisal.col.mean", lang), format="%.1f")})
            st.markdown(f"**{t('appraisal.self_ratings', lang)}**")
            st.dataframe(own, hide_index=True, width="stretch", placeholder=DASH, column_config={
                **ui.labels(lang, "dimension", "rater_type", "ratings"),
                "mean": st.column_config.NumberColumn(t("appraisal.col.mean", lang), format="%.1f")})
    st.subheader(t("appraisal.compliance", lang))
    items = views.compliance_items(app, chosen)
    if items.empty:
        st.caption(t("appraisal.no_compliance", lang))
    else:
        st.dataframe(items, hide_index=True, width="stretch", placeholder=DASH, column_config={
            **ui.labels(lang, "month", "item", "note"),
            "violation": st.column_config.CheckboxColumn(t("appraisal.col.violation", lang))})

# ---- calibration queue -----------------------------------------------------------------------
with queue_tab:
    st.caption(t("appraisal.queue_intro", lang, spread=f"{cfg.calibration.max_spread:g}"))
    message = st.session_state.pop(ui.CAL_MESSAGE, None)
    if message:  # the fixed sentence as an alert, the details (sheet text) as plain text
        (st.success if message[0] == "success" else st.error)(t(f"appraisal.record_{message[0]}", lang))
        st.text(message[1])
    queue = views.calibration_table(app, cfg, lang)
    if queue.empty:
        st.info(t("appraisal.queue_empty", lang))
    else:
        st.dataframe(queue, hide_index=True, width="stretch", placeholder=DASH, column_config={
            **ui.labels(lang, "employee_id", "name", "department", "dimension", "ratings", "by", "reason", "status"),
            "spread": st.column_config.NumberColumn(t("appraisal.col.spread", lang), format="%.0f"),
            "original_score": st.column_config.NumberColumn(t("appraisal.col.original_score", lang), format="%.1f"),
            "calibrated_score": st.column_config.NumberColumn(t("appraisal.col.calibrated_score", lang), format="%.1f"),
            "at": st.column_config.DatetimeColumn(t("appraisal.col.at", lang), format="YYYY-MM-DD HH:mm"),
        })
    open_items = list(app.calibration_queue)
    if open_items and may_record(viewer, cfg):
        with st.form("ap_calibrate"):
            st.markdown(f"**{t('appraisal.record', lang)}**")
            st.selectbox(t("appraisal.record_item", lang), range(len(open_items)), key="ap_cal_item",
                         format_func=lambda i: f"{open_items[i].name} · {cfg.label(open_items[i].dimension, lang)}"
                                               f" · {t('appraisal.queue.pending' if open_items[i].pending else 'appraisal.queue.settled', lang)}")
            st.number_input(t("appraisal.record_score", lang), min_value=0.0, max_value=100.0, step=0.5,
                            value=None, key="ap_cal_score")
            st.text_area(t("appraisal.record_reason", lang), key="ap_cal_reason", max_chars=500)
            st.form_submit_button(t("appraisal.record_submit", lang), type="primary", on_click=ui.record_from_form,
                                  args=(cfg, viewer, open_items, lang))
    elif open_items:
        st.caption(t("appraisal.record_roles", lang, roles=", ".join(cfg.calibration.committee_roles)))

# ---- lists ---------------------------------------------------------------------------------
with lists_tab:
    left, right = st.columns(2)
    with left:
        st.subheader(t("appraisal.coaching", lang))
        st.caption(t("appraisal.coaching_intro", lang, line=f"{cfg.coaching.below:g}"))
        coaching = views.coaching_list(app)
        if coaching.empty:
            st.success(t("appraisal.coaching_empty", lang))
        else:
            st.dataframe(coaching, hide_index=True, width="stretch", placeholder=DASH, column_config={
                **ui.labels(lang, "employee_id", "name", "department", "months"),
                "last_score": st.column_config.NumberColumn(t("appraisal.col.last_score", lang), format="%.1f")})
    with right:
        st.subheader(t("appraisal.s_list", lang))
        st.caption(t("appraisal.s_intro", lang))
        s_list = views.s_grade_list(app, cfg)
        if s_list.empty:
            st.info(t("appraisal.s_empty", lang))
        else:
            st.dataframe(s_list, hide_index=True, width="stretch", placeholder=DASH, column_config={
                **ui.labels(lang, "employee_id", "name", "department"),
                "score": st.column_config.NumberColumn(t("appraisal.col.score", lang), format="%.1f"),
                "bonus_multiplier": st.column_config.NumberColumn(t("appraisal.col.bonus_multiplier", lang),
                                                                  format="%.1f×")})

if app.issues:
    with st.expander(f"{t('appraisal.issues', lang)} ({len(app.issues)})"):
        st.caption(t("appraisal.issues_intro", lang))
        widgets.show_issues(app.issues, lang)
