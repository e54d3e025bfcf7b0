"""The shared sidebar filters of the marketing pages: period and drill-down dimensions.

Choices live in plain session keys (not only in widget state), so they survive a page
switch and the cockpit, channel and weekly pages all look at the same slice. A drill-down
click on a chart calls `drill(dimension, value)`; the breadcrumb steps back with `undrill`.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lib import dimensions
from lib.i18n import t
from lib.periods import PICKABLE_GRAINS, Period, choices
from lib.store import Store
from lib.ui.widgets import plain

GRAIN_KEY, PERIOD_KEY, DRILL_KEY = "f_grain", "f_period", "f_drill"


@dataclass(frozen=True)
class Selection:
    period: Period
    where: tuple[tuple[str, tuple[str, ...]], ...]  # as lib.metrics.Request.where

    @property
    def filters(self) -> dict[str, tuple[str, ...]]:
        return dict(self.where)

    @property
    def fixed(self) -> dict[str, str]:
        """Dimensions filtered to exactly one value (a drill-down step, or one pick)."""
        return {dim: values[0] for dim, values in self.where if len(values) == 1}


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _values(generation: int, _store: Store, tab: str, column: str) -> list[str]:
    return dimensions.values(_store, tab, column)


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def _span(generation: int, _store: Store):
    return dimensions.date_span(_store)


def dimension_values(store: Store, column: str, tab: str = "marketing_daily") -> list[str]:
    return _values(store.generation, store, tab, column)


def drill(dimension: str, value: str) -> None:
    """Narrow the shared filters to one value of a dimension (a click on a bar).

    Call it from a callback (a chart's on_select, a button's on_click), which runs before
    the sidebar is drawn: the sidebar's own widget state is dropped so it shows the drill.
    """
    st.session_state[f"f_{dimension}"] = [value]
    st.session_state.pop(f"_w_f_{dimension}", None)
    path = [step for step in st.session_state.get(DRILL_KEY, []) if step[0] != dimension]
    st.session_state[DRILL_KEY] = path + [(dimension, value)]


def undrill(depth: int) -> None:
    """Step back to the first `depth` steps of the drill path (0: no drill-down)."""
    path = st.session_state.get(DRILL_KEY, [])
    for dimension, _ in path[depth:]:
        st.session_state[f"f_{dimension}"] = []
        st.session_state.pop(f"_w_f_{dimension}", None)
    st.session_state[DRILL_KEY] = path[:depth]


def drill_path() -> list[tuple[str, str]]:
    return list(st.session_state.get(DRILL_KEY, []))


def drill_on_select(chart_key: str, param: str, dimension: str, then=None):
    """An on_select callback for st.altair_chart: a click on a mark whose selection
    parameter `param` has the field `dimension` drills to that value. `then()` runs after
    a drill (a page resetting its own "split by" choice, for example)."""
    def _picked() -> None:
        event = st.session_state.get(chart_key) or {}
        points = (event.get("selection") or {}).get(param) or []
        values = [p.get(dimension) for p in points if isinstance(p, dict) and p.get(dimension) is not None]
        if values:
            drill(dimension, str(values[0]))
            if then:
                then()
    return _picked


def breadcrumb(lang: str, key: str = "crumb") -> None:
    """The drill path as buttons: All data > Region: 华东 > Channel: 抖音; a click steps back."""
    path = drill_path()
    if not path:
        return
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    row.button(t("filters.drill_root", lang), key=f"{key}_0", icon=":material/home:", type="tertiary",
               on_click=undrill, args=(0,))
    for depth, (dimension, value) in enumerate(path, start=1):
        row.markdown(":gray[›]", width="content")
        row.button(f"{t(f'dim.{dimension}', lang)}: {plain(value)}", key=f"{key}_{depth}", type="tertiary",
                   on_click=undrill, args=(depth,), disabled=depth == len(path))




def _remember(key: str):
    def _store_choice() -> None:
        st.session_state[key] = st.session_state[f"_w_{key}"]
        _prune_drill(key)
    return _store_choice


def _prune_drill(key: str) -> None:
    """A drilled dimension changed by hand in the sidebar leaves the drill path there."""
    path = st.session_state.get(DRILL_KEY, [])
    for depth, (dimension, value) in enumerate(path):
        if f"f_{dimension}" == key and list(st.session_state.get(key, [])) != [value]:
            st.session_state[DRILL_KEY] = path[:depth]
            return


def sidebar(store: Store, lang: str, grains: tuple[str, ...] = PICKABLE_GRAINS,
            dims: tuple[str, ...] = dimensions.MARKETING_DIMENSIONS) -> Selection | None:
    """Draw the period picker and dimension filters; None when there is no marketing data."""
    span = _span(store.generation, store)
    if span is None:
        return None
    side = st.sidebar
    side.subheader(t("filters.title", lang))
    grain = st.session_state.get(GRAIN_KEY, grains[0])
    grain = grain if grain in grains else grains[0]
    side.radio(t("filters.grain", lang), grains, index=grains.index(grain), horizontal=True,
               format_func=lambda g: t(f"grain.{g}", lang), key=f"_w_{GRAIN_KEY}", on_change=_remember(GRAIN_KEY))
    grain = st.session_state.get(GRAIN_KEY, grain)
    options = choices(grain, *span)
    if not options:
        side.info(t("filters.no_complete", lang, grain=t(f"grain.{grain}", lang).lower()))
        return None
    labels = [p.label for p in options]
    current = st.session_state.get(PERIOD_KEY)
    index = labels.index(current) if current in labels else 0
    side.selectbox(t("filters.period", lang), labels, index=index, key=f"_w_{PERIOD_KEY}",
                   format_func=lambda label: _period_text(label, lang), on_change=_remember(PERIOD_KEY))
    period = options[index if st.session_state.get(PERIOD_KEY) not in labels
                     else labels.index(st.session_state[PERIOD_KEY])]
    where = []
    for dim in dims:
        key = f"f_{dim}"
        available = dimension_values(store, dim)
        chosen = [v for v in st.session_state.get(key, []) if v in available]
        side.multiselect(t(f"dim.{dim}", lang), available, default=chosen, key=f"_w_{key}",
                         placeholder=t("filters.all", lang), on_change=_remember(key))
        chosen = [v for v in st.session_state.get(key, chosen) if v in available]
        if chosen:
            where.append((dim, tuple(chosen)))
    return Selection(period, tuple(where))


def _period_text(label: str, lang: str) -> str:
    p = Period.of(label)
    return f"{label}  ({p.start:%m-%d} → {p.end:%m-%d})" if p.grain == "week" else label
