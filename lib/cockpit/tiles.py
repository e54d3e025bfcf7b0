"""KPI tiles: the value of each KPI in the selected period, its change against the period
before, the series for its sparkline, and its red/amber/green status against target.

All tiles come from one aggregate query (every tile metric, grouped by period, over the
sparkline's periods); targets and statuses come from the metrics layer.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.cockpit.config import CockpitConfig, TileSpec
from lib.metrics import Request, run, status, target_for
from lib.metrics.spec import Catalog
from lib.metrics.targets import DIMENSIONS as TARGET_DIMENSIONS
from lib.periods import Period
from lib.store import Store

Where = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass
class Tile:
    key: str
    metric: str
    kind: str  # "metric" or "attainment" (the value is a share of the target)
    period: str
    value: float | None
    previous: float | None
    target: float | None
    status: str | None  # green / amber / red, None without a target
    series: pd.DataFrame  # period, value: oldest first, the selected period last
    actual: float | None = None  # attainment: the metric's own value (revenue), the value is actual / target
    also: str | None = None
    also_value: float | None = None
    also_previous: float | None = None
    anomaly: object | None = None  # lib.cockpit.anomalies.Anomaly, set by the caller
    open_actions: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous

    @property
    def change_pct(self) -> float | None:
        if self.change is None or not self.previous:
            return None
        return self.change / abs(self.previous)

    @property
    def also_change_pct(self) -> float | None:
        if self.also_value is None or not self.also_previous:
            return None
        return (self.also_value - self.also_previous) / abs(self.also_previous)


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def target_dims(where: Where) -> dict[str, str] | None:
    """The filters as target dimensions: {} for no filters, None when no target can apply
    (a filter with several values, or on a column targets are not set by)."""
    dims = {}
    for dim, values in where:
        if dim not in TARGET_DIMENSIONS or len(values) != 1:
            return None
        dims[dim] = values[0]
    return dims


def target_of(store: Store, catalog: Catalog, metric: str, period: Period, where: Where) -> float | None:
    dims = target_dims(where)
    if dims is None:
        return None
    return target_for(store, catalog, metric, period.start, period.end, dims or None)


def tile_metrics(cfg: CockpitConfig) -> tuple[str, ...]:
    names: list[str] = []
    for spec in cfg.tiles:
        for name in (spec.metric, spec.also):
            if name and name not in names:
                names.append(name)
    return tuple(names)


def series(store: Store, catalog: Catalog, metrics: tuple[str, ...], periods: list[Period],
           where: Where) -> pd.DataFrame:
    """Metric values per period (index: the periods' labels, oldest first); a period
    without rows is missing (NaN), never 0."""
    first, last = periods[0], periods[-1]
    frame = run(store, catalog, Request(metrics, (), last.grain, first.start, last.end, tuple(where))).frame
    return frame.set_index("period").reindex([p.label for p in periods])


def build_tiles(store: Store, catalog: Catalog, cfg: CockpitConfig, period: Period, where: Where) -> list[Tile]:
    periods = period.back(cfg.sparkline(period.grain))
    values = series(store, catalog, tile_metrics(cfg), periods, where)
    return [_tile(store, catalog, spec, periods, values, where) for spec in cfg.tiles]


def _tile(store, catalog, spec: TileSpec, periods: list[Period], values: pd.DataFrame, where: Where) -> Tile:
    period = periods[-1]
    metric = catalog[spec.metric]
    thresholds = catalog.thresholds_for(spec.metric)
    column = values[spec.metric]
    target = target_of(store, catalog, spec.metric, period, where)
    if spec.kind == "attainment":
        # Attainment per period needs each period's own target (months differ in length).
        targets = [target_of(store, catalog, spec.metric, p, where) for p in periods]
        shares = [None if t is None or not t or pd.isna(v) else float(v) / t for v, t in zip(column, targets)]
        spark = pd.DataFrame({"period": [p.label for p in periods], "value": shares})
        actual = _num(column.iloc[-1])
        tile = Tile(spec.key, spec.metric, spec.kind, period.label, shares[-1], shares[-2] if len(shares) > 1 else None,
                    target, status(actual, target, metric.direction, thresholds), spark, actual=actual)
    else:
        spark = pd.DataFrame({"period": [p.label for p in periods], "value": [_num(v) for v in column]})
        value = _num(column.iloc[-1])
        tile = Tile(spec.key, spec.metric, spec.kind, period.label, value,
                    _num(column.iloc[-2]) if len(column) > 1 else None, target,
                    status(value, target, metric.direction, thresholds), spark)
    if spec.also:
        tile.also = spec.also
        tile.also_value = _num(values[spec.also].iloc[-1])
        tile.also_previous = _num(values[spec.also].iloc[-2]) if len(values) > 1 else None
    return tile
