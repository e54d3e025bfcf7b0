"""Every number of the cockpit page as one JSON document (`python -m lib.cli cockpit`).

The page and this document call the same functions, so a scheduled report or a check
script sees exactly what the director sees. Missing values are null, never 0.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from lib.cockpit import actions, anomalies, benchmarks, budget, campaigns, compare, tiles
from lib.cockpit.config import CockpitConfig
from lib.metrics.spec import Catalog
from lib.periods import Period
from lib.store import Store


def _clean(value):
    """JSON-safe: NaN and NA -> null, numpy numbers -> float/int, dates -> ISO text."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [{c: _clean(row[c]) for c in columns} for _, row in frame.iterrows()]


def summary(store: Store, catalog: Catalog, cfg: CockpitConfig, period: Period, where, as_of: dt.date,
            lang: str = "en") -> dict:
    found = anomalies.detect(store, catalog, cfg, period, where)
    marked = {a.metric for a in found}
    doc = {
        "period": period.label, "vs": period.previous().label, "start": period.start.isoformat(),
        "end": period.end.isoformat(), "as_of": as_of.isoformat(), "filters": {d: list(v) for d, v in where},
        "tiles": [{
            "key": t.key, "metric": t.metric, "kind": t.kind, "value": _clean(t.value), "previous": _clean(t.previous),
            "change": _clean(t.change), "change_pct": _clean(t.change_pct), "target": _clean(t.target),
            "status": t.status, "actual": _clean(t.actual), "also": t.also, "also_value": _clean(t.also_value),
            "anomaly": t.kind == "metric" and (t.metric in marked or t.also in marked),
            "series": _records(t.series, ["period", "value"]),
        } for t in tiles.build_tiles(store, catalog, cfg, period, where)],
        "anomalies": [{
            "metric": a.metric, "week": a.week, "value": a.value, "median": a.band.median, "mad": a.band.mad,
            "low": a.band.low, "high": a.band.high, "side": a.side, "dimension": a.dimension, "segment": a.segment,
            "contribution": _clean(a.contribution), "reason": anomalies.reason(a, catalog, lang),
        } for a in found],
        "period_over_period": _records(
            compare.period_over_period(store, catalog, tiles.tile_metrics(cfg), as_of, where),
            ["basis", "metric", "period", "vs", "value", "previous", "change", "change_pct", "verdict"]),
    }
    if store.has("budget"):
        view = budget.budget_view(store, catalog, cfg.budget, period, where)
        doc["budget"] = {
            "lines": _records(view.lines, ["department", "category", "budget", "actual", "utilisation", "status",
                                           "flag"]),
            "categories": _records(view.categories, ["category", "budget", "actual", "utilisation", "budget_share",
                                                     "actual_share", "plan_share", "gap", "off_plan"]),
            "unmapped_channels": view.unmapped, "ignored_filters": view.ignored_filters,
        }
    if store.has("campaigns"):
        view = campaigns.campaign_view(store, catalog, cfg.campaigns, as_of, where)
        doc["campaigns"] = _records(view.frame, [
            "campaign_id", "name", "channel", "department", "start_date", "end_date", "budget", "spend", "leads",
            "new_customers", "revenue", "roi", "roi_target", "roi_status", "spend_share", "elapsed", "overspent",
            "under_delivered"])
    rows, unknown = benchmarks.benchmark_rows(store, catalog, period, where)
    doc["benchmarks"] = _records(rows, ["metric", "actual", "benchmark", "source", "gap", "gap_pct", "verdict"])
    doc["unknown_benchmarks"] = unknown
    if store.has("actions"):
        frame = actions.on_the_list(actions.action_list(store, catalog, as_of, lang), period.start)
        doc["actions"] = _records(frame, ["action_id", "title", "owner_id", "owner", "created", "due", "status",
                                          "metric", "overdue", "days_overdue"])
    return doc
