"""Anomaly marks: a KPI whose latest complete week lies outside its usual range.

The usual range is a robust band over the previous `window_weeks` weeks (config
anomalies.window_weeks, 8 to 12): median ± k × MAD, where MAD is the median of the
absolute deviations from the median. A median and a MAD are not pulled by one odd week
the way a mean and a standard deviation are, so last month's one-off trade fair does not
widen the band for ever. Weeks without data are left out; with fewer than `min_weeks`
weeks there is no judgement. MAD is not rescaled (×1.4826 would make it estimate a
standard deviation): k = 3 on the raw MAD is about 2 standard deviations for
normally distributed weeks.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

import pandas as pd

from lib.cockpit.config import AnomalyConfig, CockpitConfig
from lib.cockpit.tiles import Where, series, tile_metrics
from lib.i18n import t
from lib.metrics import explain
from lib.metrics.format import change as format_change, value as format_value
from lib.metrics.spec import Catalog
from lib.periods import Period, last_complete
from lib.store import Store


@dataclass(frozen=True)
class Band:
    median: float
    mad: float
    low: float
    high: float
    weeks: int  # weeks with data in the window


def band(history, k: float, min_weeks: int) -> Band | None:
    """median ± k·MAD of the weeks with data; None with fewer than min_weeks of them."""
    values = [float(v) for v in history if v is not None and not pd.isna(v)]
    if len(values) < min_weeks:
        return None
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    return Band(median, mad, median - k * mad, median + k * mad, len(values))


def outside(value, b: Band | None) -> str | None:
    """'above' or 'below' the band, None inside it or without a value or band."""
    if b is None or value is None or pd.isna(value):
        return None
    if value > b.high:
        return "above"
    if value < b.low:
        return "below"
    return None


@dataclass
class Anomaly:
    metric: str
    week: str
    value: float
    band: Band
    side: str  # above / below
    k: float
    window: int
    vs: str | None = None  # the week the segment's move is measured against
    dimension: str | None = None  # the segment that moved most
    segment: str | None = None
    contribution: float | None = None


def anomaly_week(period: Period) -> Period:
    """The latest complete week of the selected period (the period itself for a week)."""
    return period if period.grain == "week" else last_complete("week", period.end)


def explain_dimension(cfg: AnomalyConfig, where: Where) -> str | None:
    """The first configured dimension the filters leave open (split by a fixed value says nothing)."""
    fixed = {dim for dim, values in where if len(values) == 1}
    return next((d for d in cfg.explain_by if d not in fixed), None)


def detect(store: Store, catalog: Catalog, cfg: CockpitConfig, period: Period, where: Where,
           metrics: tuple[str, ...] | None = None) -> list[Anomaly]:
    conf = cfg.anomalies
    week = anomaly_week(period)
    weeks = week.back(conf.window_weeks + 1)
    metrics = metrics or tile_metrics(cfg)
    values = series(store, catalog, metrics, weeks, where)
    found = []
    for metric in metrics:
        column = values[metric]
        b = band(column.iloc[:-1], conf.k, conf.min_weeks)
        side = outside(column.iloc[-1], b)
        if side:
            found.append(Anomaly(metric, week.label, float(column.iloc[-1]), b, side, conf.k, conf.window_weeks))
    dim = explain_dimension(conf, where)
    for anomaly in found:
        _name_the_segment(store, catalog, anomaly, week, dim, where)
    return found


def _name_the_segment(store, catalog, anomaly: Anomaly, week: Period, dim: str | None, where: Where) -> None:
    if dim is None or dim not in catalog.dimensions(anomaly.metric):
        return
    result = explain(store, catalog, anomaly.metric, dim, week.label, week.previous().label, tuple(where))
    top = result.top()
    if top is not None:
        anomaly.vs, anomaly.dimension = week.previous().label, dim
        anomaly.segment, anomaly.contribution = str(top[dim]), float(top["contribution"])


def reason(anomaly: Anomaly, catalog: Catalog, lang: str) -> str:
    """'Spend was ¥1,600 in 2026-W43, above its usual range ¥700 – ¥1,300 (median ± 3 × MAD
    of the previous 8 weeks). 百度SEM moved most: +¥300 against 2026-W42.'"""
    fmt = lambda x: format_value(catalog, anomaly.metric, x, lang)  # noqa: E731
    text = t("cockpit.anomaly.reason", lang, metric=catalog.label(anomaly.metric, lang), week=anomaly.week,
             value=fmt(anomaly.value), side=t(f"cockpit.anomaly.{anomaly.side}", lang),
             low=fmt(anomaly.band.low), high=fmt(anomaly.band.high), k=f"{anomaly.k:g}", weeks=anomaly.window)
    if anomaly.segment is not None:
        text += ("" if lang == "zh" else " ") + t("cockpit.anomaly.segment", lang, segment=anomaly.segment, vs=anomaly.vs,
                        change=format_change(catalog, anomaly.metric, anomaly.contribution, lang))
    return text
