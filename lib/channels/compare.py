"""Week over week and month over month: each channel in a period against the period before.

A channel that spent in only one of the two periods keeps its row (an outer join): a
channel switched off this week shows its spend falling to nothing, not a missing row.
Its sums (spend, leads, new customers, revenue) in the period without rows are 0 - a sum
over no rows - while its ratios (CAC, ROI) there stay missing, because 0 / 0 is no value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.channels.table import Where
from lib.metrics import Request, run
from lib.metrics.expr import divide
from lib.metrics.spec import Catalog
from lib.periods import Period, last_complete
from lib.store import Store

COMPARE_METRICS = ("spend", "leads", "new_customers", "cac", "revenue", "roi")


def comparison_period(selected: Period, grain: str) -> Period:
    """The period to compare at a grain: the selected one when the grains match, else the
    last complete period of that grain on or before the selection's last day (a week picked
    in the sidebar still allows a month-over-month view of the month before it)."""
    return selected if selected.grain == grain else last_complete(grain, selected.end)


def period_comparison(store: Store, catalog: Catalog, period: Period, where: Where = (),
                      metrics: tuple[str, ...] = COMPARE_METRICS) -> pd.DataFrame:
    """channel; per metric m: m, m_prev, m_change (m - m_prev) and m_pct (change / |m_prev|).

    Sorted by this period's spend, then the previous period's (channels that stopped last)."""
    previous = period.previous()
    now = run(store, catalog, Request(metrics, ("channel",), None, period.start, period.end, where)).frame
    before = run(store, catalog, Request(metrics, ("channel",), None, previous.start, previous.end, where)).frame
    out = now.merge(before.rename(columns={m: f"{m}_prev" for m in metrics}), on="channel", how="outer",
                    indicator=True)
    for m in metrics:
        if catalog.additive(m):
            out.loc[out["_merge"] == "right_only", m] = 0.0
            out.loc[out["_merge"] == "left_only", f"{m}_prev"] = 0.0
    out = out.drop(columns="_merge")
    for m in metrics:
        out[f"{m}_change"] = out[m] - out[f"{m}_prev"]
        out[f"{m}_pct"] = divide(out[f"{m}_change"], out[f"{m}_prev"].abs())
    order = [c for c in ("spend", "spend_prev") if c in out]
    if order:
        out = out.sort_values(order + ["channel"], ascending=[False] * len(order) + [True], na_position="last",
                              kind="stable")
    return out[["channel", *[f"{m}{s}" for m in metrics for s in ("", "_prev", "_change", "_pct")]]] \
        .reset_index(drop=True)


def better(catalog: Catalog, metric: str, change: float) -> bool | None:
    """Whether a change is good news for the metric (None: neutral metric or no change)."""
    direction = catalog[metric].direction
    if direction == "neutral" or change is None or np.isnan(change) or change == 0:
        return None
    return (change > 0) == (direction == "higher_is_better")
