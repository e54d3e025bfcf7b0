"""One row per channel from the metrics layer, with each channel's share of the whole.

Every number is a metric of config/metrics.yaml computed by lib.metrics.run grouped by
channel, so the page, `python -m lib.cli query --by channel` and this table agree. Shares
are the channel's part of the selection's total (the channels the filters leave).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.metrics import Request, run
from lib.metrics.expr import divide
from lib.metrics.spec import Catalog
from lib.store import Store

# The columns of the channel table, in reading order (the funnel first, money last).
TABLE_METRICS = ("spend", "impressions", "clicks", "ctr", "cpc", "cpm", "leads", "cpl", "new_customers", "cvr",
                 "lead_conversion", "cac", "revenue", "roi", "roas")
SHARES = {"share_of_spend": "spend", "share_of_new_customers": "new_customers"}
# What a channel's customers are worth against what they cost (lib.customers.ltv): judged on
# the 12 months up to the period's end, since a week's few customers say little about value.
LTV_COLUMNS = ("ltv_12", "ltv_cac", "payback_months")
LTV_WINDOW_DAYS = 365
LTV_DIMENSIONS = ("channel", "region", "product_line")  # the customers tab has no department
FUNNEL = ("impressions", "clicks", "leads", "new_customers")

Where = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ChannelTable:
    rows: pd.DataFrame  # channel, TABLE_METRICS..., share_of_spend, share_of_new_customers; by spend
    totals: dict[str, float]  # TABLE_METRICS over all channels of the selection (blended CAC etc.)

    @property
    def blended_cac(self) -> float:
        return self.totals["cac"]


def channel_table(store: Store, catalog: Catalog, start: dt.date, end: dt.date, where: Where = ()) -> ChannelTable:
    request = Request(TABLE_METRICS, by=("channel",), start=start, end=end, where=where)
    rows = run(store, catalog, request).frame
    totals = run(store, catalog, Request(TABLE_METRICS, start=start, end=end, where=where)).frame
    total = {m: (float(totals[m].iloc[0]) if len(totals) else np.nan) for m in TABLE_METRICS}
    for share, metric in SHARES.items():
        rows[share] = divide(rows[metric], total[metric])
    rows = rows.sort_values(["spend", "channel"], ascending=[False, True], na_position="last", kind="stable")
    return ChannelTable(rows.reset_index(drop=True), total)


def ltv_columns(store: Store, catalog: Catalog, end: dt.date, where: Where = ()) -> pd.DataFrame:
    """channel, ltv_12, ltv_cac, payback_months over the trailing year to `end`; empty when the
    customers or orders tab is missing (the page then shows no LTV columns, never zeros)."""
    if store.missing("customers", "orders"):
        return pd.DataFrame(columns=["channel", *LTV_COLUMNS])
    from lib.customers.ltv import ltv_by_channel

    start = end - dt.timedelta(days=LTV_WINDOW_DAYS - 1)
    scope = tuple((dim, values) for dim, values in where if dim in LTV_DIMENSIONS)
    frame = ltv_by_channel(store, catalog, as_of=end, start=start, end=end, where=scope)
    return frame[["channel", *LTV_COLUMNS]]


def funnel(table: pd.DataFrame, channels: list[str] | None = None) -> pd.DataFrame:
    """Long form for the funnel chart: channel, stage (0-3), metric, value, and the step's
    conversion from the stage before (null for the first stage or after an empty stage)."""
    rows = table if channels is None else table[table["channel"].isin(channels)]
    out = []
    for record in rows.to_dict(orient="records"):
        before = np.nan
        for stage, metric in enumerate(FUNNEL):
            value = record[metric]
            step = value / before if stage and before and not np.isnan(before) and not np.isnan(value) else np.nan
            out.append({"channel": record["channel"], "stage": stage, "metric": metric, "value": value, "step": step})
            before = value
    return pd.DataFrame(out, columns=["channel", "stage", "metric", "value", "step"])
