"""Targets and benchmarks for a metric over a date range, from the `targets` and
`benchmarks` tabs, else from config/metrics.yaml.

A target row covers a month, a quarter or a year. Over a range that is not exactly one
such period the target is built day by day, each day taking the most specific row that
covers it (month before quarter before year): an amount (revenue, spend: a sum or a
count) is spread evenly over the days of its period and summed over the range; a level
(CAC, ROI) is averaged over the range's days. When some day has no row, the config
target is used instead, and without one there is no target (and no status), never 0.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.metrics.grains import parse_period
from lib.metrics.spec import Catalog
from lib.store import Store

DIMENSIONS = ("department", "channel", "region", "product_line")


def _targets(store: Store) -> pd.DataFrame:
    if "targets" not in store.memo:
        store.memo["targets"] = store.read("targets") if store.has("targets") else pd.DataFrame(
            columns=["metric", "period", *DIMENSIONS, "value"])
    return store.memo["targets"]


def _matching_rows(store: Store, metric: str, dims: dict[str, str]) -> pd.DataFrame:
    rows = _targets(store)
    rows = rows[rows["metric"] == metric]
    for col in DIMENSIONS:
        wanted = dims.get(col)
        rows = rows[rows[col].isna()] if wanted is None else rows[rows[col] == wanted]
    return rows


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def target_for(store: Store, catalog: Catalog, metric: str, start: dt.date, end: dt.date,
               dims: dict[str, str] | None = None) -> float | None:
    additive = catalog.additive(metric)
    periods = []  # (priority, first day, last day, value): month beats quarter beats year
    for _, row in _matching_rows(store, metric, dims or {}).iterrows():
        grain, first, last = parse_period(str(row["period"]))
        periods.append(({"month": 0, "quarter": 1, "year": 2}.get(grain, 3), first, last, float(row["value"])))
    periods.sort(key=lambda p: p[0])
    daily = []
    for day in _days(start, end):
        cover = next((p for p in periods if p[1] <= day <= p[2]), None)
        if cover is None:
            return _config_target(catalog, metric, start, end) if not dims else None
        days_in_period = (cover[2] - cover[1]).days + 1
        daily.append(cover[3] / days_in_period if additive else cover[3])
    if not daily:
        return None
    return sum(daily) if additive else sum(daily) / len(daily)


def _config_target(catalog: Catalog, metric: str, start: dt.date, end: dt.date) -> float | None:
    target = catalog[metric].target
    if target is None:
        return None
    if target.per == "period":
        return target.value
    total = 0.0
    for day in _days(start, end):
        month_days = (parse_period(f"{day:%Y-%m}")[2] - day.replace(day=1)).days + 1
        total += target.value / month_days
    return total


def benchmark_for(store: Store, catalog: Catalog, metric: str) -> tuple[float | None, str | None]:
    """(value, source) from the benchmarks tab, else the catalogue's benchmark."""
    if store.has("benchmarks"):
        if "benchmarks" not in store.memo:
            store.memo["benchmarks"] = store.read("benchmarks")
        rows = store.memo["benchmarks"]
        rows = rows[rows["metric"] == metric]
        if len(rows):
            return float(rows.iloc[0]["value"]), rows.iloc[0]["source"]
    bench = catalog[metric].benchmark if metric in catalog else None
    return bench, ("config/metrics.yaml" if bench is not None else None)
