"""Campaigns: the `campaigns` tab with each campaign's budget against its spend, leads,
new customers and ROI to date, and which campaigns overspent or under-deliver.

Spend and results are summed in SQL over marketing_daily by campaign_id, up to the end
of the selected period (the campaign as the director would have seen it then). A
campaign overspent when its spend passed budget × (1 + overspend_tolerance). It
under-delivers when its ROI is red against the campaign_roi target (metrics layer:
config/metrics.yaml or the targets tab) once it has run `judge_after` of its days, so a
campaign in its first days is not condemned for results that have not come in yet.

Campaigns carry their own department and channel, so those filters pick campaigns; a
campaign's budget is for all its regions and product lines, so those filters do not
split it (the page says so).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from lib.cockpit.config import CampaignConfig
from lib.metrics import Request, run, status, target_for
from lib.metrics.spec import Catalog
from lib.store import Store

Where = tuple[tuple[str, tuple[str, ...]], ...]
APPLIES = ("department", "channel")
RESULTS = ("spend", "leads", "new_customers", "revenue", "roi")


@dataclass
class CampaignView:
    frame: pd.DataFrame  # one row per campaign: tab columns, results, elapsed, spend_share, flags
    window: tuple[dt.date, dt.date]
    ignored_filters: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> pd.DataFrame:
        return self.frame[self.frame["overspent"] | self.frame["under_delivered"]]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = dt.date(year, month + 1, 1)
    return first


def window(as_of: dt.date, cfg: CampaignConfig) -> tuple[dt.date, dt.date]:
    """From the first day of the month `months_before` months back to the last day of
    the month `months_after` months ahead."""
    start = _add_months(as_of, -cfg.months_before)
    end = _add_months(as_of, cfg.months_after + 1) - dt.timedelta(days=1)
    return start, end


def elapsed(start, end, as_of: dt.date) -> float | None:
    """The share of a campaign's days that have passed by as_of (0 before it starts)."""
    if start is None or end is None or pd.isna(start) or pd.isna(end) or end < start:
        return None
    days = (end - start).days + 1
    return min(1.0, max(0.0, ((as_of - start).days + 1) / days))


def _campaigns(store: Store, span: tuple[dt.date, dt.date], where: Where) -> pd.DataFrame:
    filters = {dim: values for dim, values in where if dim in APPLIES}

    def conditions(sel):
        c = sel.c
        out = [sa.or_(c.start_date.is_(None), c.start_date <= span[1]),
               sa.or_(c.end_date.is_(None), c.end_date >= span[0])]
        out += [c[dim].in_(list(values)) for dim, values in filters.items()]
        return out

    frame = store.read("campaigns", where=conditions, order_by=["start_date", "campaign_id"])
    for col in ("start_date", "end_date"):
        frame[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame[col]]
    return frame


def campaign_view(store: Store, catalog: Catalog, cfg: CampaignConfig, as_of: dt.date, where: Where) -> CampaignView:
    span = window(as_of, cfg)
    frame = _campaigns(store, span, where)
    ignored = [dim for dim, _ in where if dim not in APPLIES]
    if frame.empty:
        return CampaignView(frame.assign(**{m: [] for m in RESULTS}, elapsed=[], spend_share=[], roi_target=[],
                                         roi_status=[], overspent=[], under_delivered=[]), span, ignored)
    ids = tuple(frame["campaign_id"].astype(str))
    results = run(store, catalog, Request(RESULTS, ("campaign_id",), None, None, as_of,
                                          (("campaign_id", ids),))).frame
    frame = frame.merge(results, on="campaign_id", how="left")
    frame["elapsed"] = [elapsed(s, e, as_of) for s, e in zip(frame["start_date"], frame["end_date"])]
    frame["spend_share"] = frame["spend"] / frame["budget"].where(frame["budget"] > 0)
    frame["roi_target"] = [_roi_target(store, catalog, s, e, as_of) for s, e in
                           zip(frame["start_date"], frame["end_date"])]
    thresholds, direction = catalog.thresholds_for("campaign_roi"), catalog["campaign_roi"].direction
    frame["roi_status"] = [status(r, t, direction, thresholds) for r, t in zip(frame["roi"], frame["roi_target"])]
    frame["overspent"] = (frame["spend"] > frame["budget"] * (1 + cfg.overspend_tolerance)).fillna(False).astype(bool)
    frame["under_delivered"] = [bool(s == "red" and e is not None and e >= cfg.judge_after)
                                for s, e in zip(frame["roi_status"], frame["elapsed"])]
    return CampaignView(frame, span, ignored)


def _roi_target(store: Store, catalog: Catalog, start, end, as_of: dt.date) -> float | None:
    """The campaign_roi target over the days the campaign has run (a level: averaged)."""
    if start is None or start > as_of:
        return None
    last = min(end, as_of) if end is not None else as_of
    return target_for(store, catalog, "campaign_roi", start, last)
