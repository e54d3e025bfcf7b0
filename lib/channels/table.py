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
# TODO(lead, LTV/CAC per channel): lib/customers/ltv.py (branch `customers`) provides
# ltv_by_channel(store, catalog, start=, end=, where=) -> channel, ltv_12, ltv_24, cac,
# ltv_cac, payback_months. It is not on main yet, so the table has no LTV/CAC column. When it
# lands: merge its ltv_12 and ltv_cac onto `rows` in channel_table (left join on channel,
# same start/end/where) and add both to the page's table after CAC (lib/ui/channels.py
# channel_rows, headers "LTV (12 mo)" / "LTV/CAC"), with a test on tests/fixtures/channels.
# No stand-in numbers until then.
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
