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

GRAIN_KEY, PERIOD_KEY, DRILL_KEY = "f_grain", "f_period", "f_drill"


@dataclass(frozen=True)
class Selection:
    period: Period
    where: tuple[tuple[str, tuple[str, ...]], ...]  # as lib.metrics.Request.where

    @property
    def filters(self) -> dict[str, tuple[str, ...]]:
        return dict(self.where)


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def _values(generation: int, _store: Store, tab: str, column: str) -> list[str]:
    return dimensions.values(_store, tab, column)


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def _span(generation: int, _store: Store):
    return dimensions.date_span(_store)


def dimension_values(store: Store, column: str, tab: str = "marketing_daily") -> list[str]:
    return _values(store.generation, store, tab, column)


def drill(dimension: str, value: str) -> None:
    """Narrow the shared filters to one value of a dimension (a click on a bar)."""
    st.session_state[f"f_{dimension}"] = [value]
    path = [step for step in st.session_state.get(DRILL_KEY, []) if step[0] != dimension]
    st.session_state[DRILL_KEY] = path + [(dimension, value)]


def undrill(depth: int) -> None:
    """Step back to the first `depth` steps of the drill path (0: no drill-down)."""
    path = st.session_state.get(DRILL_KEY, [])
    for dimension, _ in path[depth:]:
        st.session_state[f"f_{dimension}"] = []
    st.session_state[DRILL_KEY] = path[:depth]


def drill_path() -> list[tuple[str, str]]:
    return list(st.session_state.get(DRILL_KEY, []))


def _remember(key: str):
    def _store_choice() -> None:
        st.session_state[key] = st.session_state[f"_w_{key}"]
    return _store_choice


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
