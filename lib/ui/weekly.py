"""The weekly review's Streamlit side: the cached review, the week picker, the presentation
layout, the slide deck (keyboard and auto-advance) and the new-action form.

Numbers come from lib.weekly (which calls the cockpit, channel, OKR and appraisal libs);
this module caches (keyed by the store's generation, the config files and, because the
appraisal alerts are personal, the viewer) and draws. Sheet text is escaped before it
reaches Markdown; the only raw HTML is the fixed style sheet of the presentation layout.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from lib.access import Viewer
from lib.appraisal.config import APPRAISAL_FILE
from lib.channels.config import CHANNELS_FILE
from lib.cockpit.config import COCKPIT_FILE
from lib.i18n import t
from lib.metrics.spec import METRICS_FILE
from lib.okr.config import OKR_FILE
from lib.periods import Period
from lib.store import Store
from lib.ui import state, writeform
from lib.ui.widgets import plain
from lib.weekly import charts, content, new_action, report, slides as slide_rules
from lib.weekly import config as weekly_config
from lib.weekly.review import Configs, WeeklyReview, build_review, load_configs, week_choices

TTL = 300
WEEK_KEY, SLIDE_KEY, SHOWN_AT, AUTO_KEY = "weekly.week", "weekly.slide", "weekly.shown_at", "weekly.auto"
JUMP_KEY, REFRESH, FLASH, NONCE = "_w_weekly.slide", "weekly.refresh", "weekly.flash", "weekly.nonce"
DECK = "weekly_deck"  # the deck's container key: its CSS class is st-key-weekly_deck
TONE_COLOUR = {content.GOOD: "#1a7f37", content.BAD: "#c62828", content.WARN: "#b26a00"}
BADGE = {content.GOOD: "green", content.BAD: "red", content.WARN: "orange"}
STAGE_ICON = {"plan": ":material/flag:", "check": ":material/troubleshoot:", "act": ":material/task_alt:"}

# The presentation layout: a fixed style sheet in a file of the repo, nothing from the data
# in it. st.html wraps a .css Path in <style> and sends it to the event container.
PRESENTATION_CSS = Path(__file__).with_name("presentation.css")


# ---------------------------------------------------------------------------------------
# configs, the store after a write, the cached review


def _config_key() -> tuple:
    """Each config file the review reads, with its modification time: an edit (or another
    file, as a test may set) is a new key, so the review is computed again."""
    files = (METRICS_FILE, COCKPIT_FILE, CHANNELS_FILE, OKR_FILE, APPRAISAL_FILE, weekly_config.WEEKLY_FILE)
    return tuple((str(p), p.stat().st_mtime if p.exists() else 0.0) for p in files)


@st.cache_resource(show_spinner=False, max_entries=4)
def _configs(key: tuple) -> Configs:
    return load_configs()


def configs_or_stop(lang: str) -> Configs:
    """Every config the review reads, or their problems and a stopped page."""
    return state.loaded_or_stop(lambda: _configs(_config_key()), lang)


def store_after_write() -> Store:
    """The store; read again at once after this session wrote an action, so it shows."""
    return state.store_after_write(REFRESH)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _weeks(generation: int, _store: Store) -> list[str]:
    return [p.label for p in week_choices(_store)]


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def _review(generation: int, key: tuple, week: str, lang: str, viewer_key: tuple, _store: Store,
            _viewer: Viewer) -> tuple[WeeklyReview, list[content.Section]]:
    configs = _configs(key)
    review = build_review(_store, configs, Period.of(week), _viewer, lang)
    return review, content.sections(review, configs)


def review(store: Store, configs: Configs, week: Period, viewer: Viewer,
           lang: str) -> tuple[WeeklyReview, list[content.Section]]:
    with st.spinner(t("weekly.computing", lang)):
        return _review(store.generation, _config_key(), week.label, lang, viewer.cache_key(), store, viewer)


# ---------------------------------------------------------------------------------------
# week, presentation, toolbar


def presenting() -> bool:
    return st.query_params.get("present") == "1"


def _set_present(on: bool) -> None:
    if on:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


def week_picker(store: Store, lang: str, present: bool, place=None) -> Period | None:
    """The ISO week (newest first; default: the last complete week of the data). ?week=2026-W43
    in the address picks it (a bookmark for the meeting-room screen); a pick is written back."""
    labels = _weeks(store.generation, store)
    if not labels:
        return None
    wanted = st.query_params.get("week")
    if wanted in labels and wanted != st.session_state.get(WEEK_KEY):
        st.session_state[WEEK_KEY] = wanted
        st.session_state.pop(f"_w_{WEEK_KEY}", None)
    if st.session_state.get(WEEK_KEY) not in labels:
        st.session_state[WEEK_KEY] = labels[0]
    if not present:
        def _picked() -> None:
            st.session_state[WEEK_KEY] = st.session_state[f"_w_{WEEK_KEY}"]
            st.query_params["week"] = st.session_state[WEEK_KEY]

        (place or st).selectbox(t("weekly.week", lang), labels, index=labels.index(st.session_state[WEEK_KEY]),
                                key=f"_w_{WEEK_KEY}", format_func=lambda w: _week_text(w, lang),
                                on_change=_picked, width=300)
    return Period.of(st.session_state[WEEK_KEY])


def _week_text(label: str, lang: str) -> str:
    p = Period.of(label)
    return t("weekly.week_option", lang, week=label, start=f"{p.start:%m-%d}", end=f"{p.end:%m-%d}")


def presentation_style() -> None:
    """The big-screen layout (a fixed style sheet, see PRESENTATION_CSS)."""
    st.html(PRESENTATION_CSS)


def _auto_toggle(place, configs: Configs, lang: str) -> None:
    auto_on()
    place.toggle(t("weekly.auto", lang, seconds=configs.weekly.auto_advance_seconds), key=AUTO_KEY,
                 help=t("weekly.auto_help", lang), on_change=_restart_clock)


def _restart_clock() -> None:
    """Auto-advance switched on: the slide on screen gets its full time from now."""
    st.session_state[SHOWN_AT] = time.monotonic()


def auto_on() -> bool:
    if AUTO_KEY not in st.session_state:
        st.session_state[AUTO_KEY] = st.query_params.get("auto") == "1"
    return bool(st.session_state[AUTO_KEY])


def toolbar(rev: WeeklyReview, configs: Configs, lang: str, place=None) -> None:
    """Present, auto-advance and the two downloads (made when clicked). On the big screen
    the deck's own row has auto-advance and the way out (see _navigation)."""
    row = (place or st).container(horizontal=True, vertical_alignment="bottom", gap="small")
    row.button(t("weekly.present", lang), icon=":material/slideshow:", type="primary", on_click=_set_present,
               args=(True,), help=t("weekly.present_help", lang), key="weekly.present")
    _auto_toggle(row, configs, lang)
    for suffix, label, mime in ((".html", "weekly.download_html", "text/html"),
                                (".xlsx", "weekly.download_xlsx",
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        row.download_button(t(label, lang), data=lambda s=suffix: report.report_bytes(rev, configs, s),
                            file_name=report.file_name(rev, suffix), mime=mime, icon=":material/download:",
                            on_click="ignore", help=t("weekly.download_help", lang, week=rev.week.label),
                            key=f"weekly.download{suffix}")


# ---------------------------------------------------------------------------------------
# the deck


def _go(index: int, keys: list[str]) -> None:
    """Show slide `index` (a button or the jump control), and restart its auto-advance clock."""
    index = slide_rules.clamp(index, keys)
    st.session_state[SLIDE_KEY] = index
    st.session_state[JUMP_KEY] = keys[index]
    st.session_state[SHOWN_AT] = time.monotonic()


def _jumped(keys: list[str]) -> None:
    chosen = st.session_state.get(JUMP_KEY)
    _go(keys.index(chosen) if chosen in keys else 0, keys)


def current_slide(keys: list[str]) -> int:
    return slide_rules.clamp(int(st.session_state.get(SLIDE_KEY, 0)), keys)


def deck(store: Store, rev: WeeklyReview, parts: list[content.Section], configs: Configs, lang: str,
         present: bool) -> None:
    """The slides, one at a time, in a fragment: ← / → (buttons with keyboard shortcuts),
    a jump to any slide, and with auto-advance on a timed rerun of the fragment alone that
    moves on every `auto_advance_seconds` (never away from the notes slide, where people type)."""
    keys = [p.key for p in parts]
    if not keys:  # config/weekly.yaml lists only slides this role may not see
        st.info(t("weekly.no_slides", lang))
        return
    seconds = configs.weekly.auto_advance_seconds
    auto = auto_on()
    timed = auto and keys[current_slide(keys)] not in slide_rules.TYPING_SLIDES

    @st.fragment(run_every=seconds if timed else None)
    def _deck() -> None:
        index = current_slide(keys)
        now = time.monotonic()
        shown_at = st.session_state.setdefault(SHOWN_AT, now)
        if auto_on():
            following = slide_rules.auto_next(index, keys, now - shown_at, seconds)
            if following is not None:
                _go(following, keys)
                index = following
        if (auto_on() and keys[index] not in slide_rules.TYPING_SLIDES) != timed:
            st.rerun()  # the timer is set when the fragment is declared: declare it again
        _navigation(keys, index, parts, configs, lang, present)
        with st.container(key=DECK):
            draw_slide(store, rev, parts[index], configs, lang, present)

    _deck()


def _navigation(keys: list[str], index: int, parts: list[content.Section], configs: Configs, lang: str,
                present: bool) -> None:
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    row.button(t("weekly.prev", lang), icon=":material/arrow_back:", shortcut="Left", disabled=index == 0,
               on_click=_go, args=(index - 1, keys), key="weekly.prev")
    row.button(t("weekly.next", lang), icon=":material/arrow_forward:", shortcut="Right",
               disabled=index == len(keys) - 1, on_click=_go, args=(index + 1, keys), key="weekly.next")
    row.markdown(f"**{t('weekly.counter', lang, n=index + 1, total=len(keys))}**", width="content")
    if JUMP_KEY not in st.session_state or st.session_state[JUMP_KEY] not in keys:
        st.session_state[JUMP_KEY] = keys[index]
    titles = {p.key: p.title for p in parts}
    row.segmented_control(t("weekly.jump", lang), keys, key=JUMP_KEY, format_func=titles.get, on_change=_jumped,
                          args=(keys,), required=True, label_visibility="collapsed")
    if present:
        row.space("stretch")
        _auto_toggle(row, configs, lang)
        row.button(t("weekly.exit", lang), icon=":material/close_fullscreen:", on_click=_set_present, args=(False,),
                   key="weekly.exit")


def draw_slide(store: Store, rev: WeeklyReview, section: content.Section, configs: Configs, lang: str,
               present: bool) -> None:
    _stage_strip(section.stage, lang)
    st.header(f"{section.title} · {rev.week.label}", anchor=False)
    for line in section.lines:
        st.markdown(plain(line))
    drawers = {"kpis": _kpis_slide, "notes": _notes_slide}
    drawers.get(section.key, _blocks_slide)(store, rev, section, configs, lang, present)


def _stage_strip(stage: str, lang: str) -> None:
    """Plan vs actual → Check → Act, the slide's stage in colour."""
    row = st.container(horizontal=True, gap="small")
    for name in slide_rules.STAGES:
        on = name == stage
        row.badge(t(f"weekly.stage.{name}", lang), icon=STAGE_ICON[name] if on else None,
                  color={"plan": "blue", "check": "violet", "act": "red"}[name] if on else "gray")


def _kpis_slide(store, rev, section: content.Section, configs, lang: str, present: bool) -> None:
    block = section.blocks[0]
    per_row = 4
    for start in range(0, len(block.cards), per_row):
        for offset, (column, card) in enumerate(zip(st.columns(per_row), block.cards[start:start + per_row])):
            with column.container(border=True, key=f"weekly_card_{start + offset}"):
                colour = {"higher_is_better": "normal", "lower_is_better": "inverse"}.get(card.direction, "off")
                st.metric(plain(card.label), card.value, card.delta, delta_color=colour)
                st.badge(card.status, color=BADGE.get(card.tone, "gray"))
                captions = [c for c in (card.target, card.note) if c]
                if captions:
                    st.caption(plain(" · ".join(captions)))
    if block.chart is not None and not present:
        st.markdown(f"**{plain(block.chart.title)}**")
        st.altair_chart(charts.bars_chart(block.chart), width="stretch")


def _blocks_slide(store, rev, section: content.Section, configs, lang: str, present: bool) -> None:
    """Titles, lines, charts and tables of a slide's blocks. On the big screen a slide must fit
    without scrolling: a block shows its chart (the channels slide its table, which holds what
    to do), and the "why" slide puts its KPIs side by side; the report keeps everything."""
    moves = [b for b in section.blocks if section.key == "why" and b.chart is not None]
    if present and moves:
        for column, block in zip(st.columns(len(moves), gap="large"), moves):
            with column:
                _block(block, present, show_table=False)
    for block in section.blocks:
        if present and block in moves:
            continue
        if section.key == "why" and block.chart is not None and block.table is not None:
            _block_title(block)
            left, right = st.columns([5, 6], gap="large")
            with left:
                _chart(block.chart, present)
            with right:
                _table(block.table)
            continue
        both = block.chart is not None and block.table is not None
        table_only = present and both and section.key == "channels"
        _block(block, present, show_chart=not table_only, show_table=not (present and both and not table_only))


def _block_title(block: content.Block) -> None:
    if block.title:
        st.subheader(plain(block.title), anchor=False)
    for line in block.lines:
        st.markdown(plain(line))


def _block(block: content.Block, present: bool, show_chart: bool = True, show_table: bool = True) -> None:
    _block_title(block)
    if block.chart is not None and show_chart:
        _chart(block.chart, present)
    if block.table is not None and show_table:
        _table(block.table)


def _chart(chart: content.Chart, present: bool) -> None:
    if not present:  # on the big screen the block's title says it, and the room is needed
        st.caption(plain(chart.title))
    st.altair_chart(charts.bars_chart(chart, big=present), width="stretch")


def table_frame(table: content.Table) -> pd.DataFrame:
    """A table as st.table shows it: each cell's text, Markdown-escaped (st.table renders
    Markdown, and the cells hold sheet text)."""
    headers, seen = [], set()
    for header in table.headers:
        header = plain(header)
        while header in seen:  # a styled table needs unique column names; U+200B does not show
            header += "\u200b"
        seen.add(header)
        headers.append(header)
    return pd.DataFrame([[plain(c.text) for c in row] for row in table.rows], columns=headers)


def _table(table: content.Table) -> None:
    if not table.rows:
        st.markdown(f"*{plain(table.empty)}*")
        return
    frame = table_frame(table)
    numeric = [table.numeric(i) for i in range(len(table.headers))]
    tones = [[c.tone for c in row] for row in table.rows]

    def style(data: pd.DataFrame) -> pd.DataFrame:
        # colours from the tones only (a fixed palette), never from the data's text
        out = pd.DataFrame("", index=data.index, columns=data.columns)
        for i in range(len(data)):
            for j in range(len(data.columns)):
                css = ["text-align: right"] if numeric[j] else []
                colour = TONE_COLOUR.get(tones[i][j])
                if colour:
                    css += [f"color: {colour}", "font-weight: 700"]
                out.iat[i, j] = "; ".join(css)
        return out

    st.table(frame.style.apply(style, axis=None).hide(axis="index"))


# ---------------------------------------------------------------------------------------
# the notes slide: actions noted at this review, and the form that adds one


def _notes_slide(store: Store, rev: WeeklyReview, section: content.Section, configs: Configs, lang: str,
                 present: bool) -> None:
    if rev.actions is None or rev.actions.missing:
        return
    writeform.show_flash(FLASH)
    _table(section.blocks[0].table)
    action_form(store, rev, configs, lang)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def _staff(generation: int, _store: Store) -> pd.DataFrame:
    if not _store.has("staff"):
        return pd.DataFrame(columns=["employee_id", "name", "department"])
    staff = _store.read("staff", ["employee_id", "name", "department", "active"])
    staff = staff[staff["active"].fillna(True).astype(bool)]
    return staff[["employee_id", "name", "department"]].reset_index(drop=True)


def _existing_ids(store: Store) -> list[str]:
    return store.read("actions", ["action_id"])["action_id"].astype(str).tolist()


def _form_keys(week: str) -> dict[str, str]:
    return {name: f"weekly.form.{week}.{name}" for name in ("title", "owner", "due", "metric", "lift")}


def action_form(store: Store, rev: WeeklyReview, configs: Configs, lang: str) -> None:
    """Add an action to the actions tab wherever it comes from (lib.writeback), by the same
    rules as the OKR check-in: checked first, written once however often it is sent, and on
    a failure the reason is said and everything typed stays in the form."""
    st.subheader(t("weekly.form.title", lang), anchor=False)
    viewer = state.viewer()
    if not viewer.sees_personal_data:  # the meeting-room screen looks, it does not write
        st.caption(t("weekly.form.read_only", lang))
        return
    staff = _staff(store.generation, store)
    people = dict(zip(staff["employee_id"].astype(str), zip(staff["name"], staff["department"])))
    catalog = configs.catalog
    metrics = sorted(catalog.metrics, key=lambda m: catalog.label(m, lang))
    keys = _form_keys(rev.week.label)
    if keys["owner"] in st.session_state and st.session_state[keys["owner"]] not in people:
        del st.session_state[keys["owner"]]  # gone from the staff tab after a reload
    day = rev.review_day
    st.caption(plain(t("weekly.form.where", lang, source=state.holder().config.source_of("actions"))
                         + ("" if lang == "zh" else " ")
                         + t("weekly.form.created", lang, day=day.isoformat(), week=rev.week.label)))
    with st.form(f"weekly.form.{rev.week.label}", clear_on_submit=False):
        title = st.text_input(t("weekly.form.what", lang), key=keys["title"], max_chars=new_action.TITLE_LIMIT)
        left, middle, right, far = st.columns([2, 1, 2, 1])
        owner = left.selectbox(t("weekly.form.owner", lang), list(people), index=None, key=keys["owner"],
                               placeholder=t("weekly.form.owner_placeholder", lang),
                               format_func=lambda e: f"{people[e][0]} · {people[e][1]} ({e})")
        due = middle.date_input(t("weekly.form.due", lang), value=day + dt.timedelta(days=7), min_value=day,
                                key=keys["due"])
        metric = right.selectbox(t("weekly.form.metric", lang), metrics, index=None, key=keys["metric"],
                                 placeholder=t("weekly.form.metric_placeholder", lang),
                                 format_func=lambda m: catalog.label(m, lang))
        lift = far.number_input(t("weekly.form.lift", lang), value=None, min_value=-100.0, max_value=1000.0,
                                step=1.0, key=keys["lift"], help=t("weekly.form.lift_help", lang))
        submitted = st.form_submit_button(t("weekly.form.submit", lang), type="primary")
    if submitted:
        _add(store, rev, configs, lang, dict(title=title, owner_id=owner, due=due, metric=metric,
                                             expected_lift_pct=lift), people)


def submission_token(row: dict) -> str:
    """The same action sent twice from one session gives the same token: written once."""
    return writeform.submission_token(new_action.fingerprint(row), NONCE)


def _add(store: Store, rev: WeeklyReview, configs: Configs, lang: str, typed: dict, people: dict) -> None:
    try:
        row = new_action.action_row(existing_ids=_existing_ids(store), staff_ids=people, catalog=configs.catalog,
                                    review_day=rev.review_day, **typed)
    except new_action.ActionError as exc:
        reason = ("；" if lang == "zh" else "; ").join(
            t(f"weekly.form.problem.{p.key}", lang, **dict(p.values)) for p in exc.problems)
        st.error(plain(t("weekly.form.failed", lang, reason=reason)), icon="⛔")
        return
    result = writeform.append(store, "actions", row, submission_token(row), t("weekly.form.saving", lang),
                              lambda reason: t("weekly.form.failed", lang, reason=reason))
    if result is None:
        return
    written = result.row
    if result.duplicate:
        flash = [("info", t("weekly.form.duplicate", lang, action_id=written["action_id"]))]
    else:
        owner = people.get(written["owner_id"], (written["owner_id"],))[0]
        flash = [("success", t("weekly.form.saved", lang, action_id=written["action_id"], title=written["title"],
                               owner=owner, due=written["due"].isoformat(), source=result.source))]
    if result.dropped:
        flash.append(("warning", t("weekly.form.dropped", lang, columns=", ".join(result.dropped))))
    st.session_state[FLASH] = flash
    for key in _form_keys(rev.week.label).values():  # cleared before the form is drawn again
        st.session_state.pop(key, None)
    st.session_state[REFRESH] = True  # the next run reads the sheet again: the new row shows
    st.rerun()
