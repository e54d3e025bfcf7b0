"""Break-even: campaigns and channels whose revenue has not covered their spend although
the payback horizon (config break_even.horizon_months) has passed.

- A campaign starts on its campaigns.start_date (or, without one, its first day in
  marketing_daily). Its horizon has passed when start + horizon <= as-of; it is flagged
  when its revenue up to the as-of date is below its spend up to then (campaign_revenue
  and campaign_spend of the metrics layer).
- A channel is judged on its customers: the cohorts acquired in the latest
  `cohort_window_months` months whose first `horizon_months` months are all observed.
  It is flagged when those customers' order revenue up to the latest complete month is
  below the channel's spend in those acquisition months (spend of the metrics layer).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from lib.customers.config import BreakEvenSettings, CustomersConfig, load_customers_config
from lib.customers.data import Scope, add_months, latest_order_date, month_label, require
from lib.metrics.grains import parse_period
from lib.store import Store

COLUMNS = ["kind", "id", "name", "channel", "since", "until", "horizon_end", "spend", "revenue", "coverage",
           "shortfall", "status"]
STATUSES = ("not_covered", "covered", "pending")  # pending: the horizon has not passed yet


@dataclass
class BreakEven:
    as_of: dt.date
    horizon_months: int
    frame: pd.DataFrame  # COLUMNS, flagged first
    notes: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> pd.DataFrame:
        return self.frame[self.frame["status"] == "not_covered"].reset_index(drop=True)


def default_as_of(store: Store) -> dt.date:
    """The last order day, or without orders the last day of marketing_daily."""
    if store.has("orders"):
        day = latest_order_date(store)
        if day:
            return day
    rel = store.relation("marketing_daily")
    with rel.engine.connect() as conn:
        last = conn.execute(sa.select(sa.func.max(rel.selectable.c.date))).scalar()
    return pd.Timestamp(last).date() if last is not None else dt.date.today()


def break_even_status(store: Store, as_of: dt.date | None = None, catalog=None,
                      config: CustomersConfig | None = None) -> BreakEven:
    """Every campaign and channel with its spend, revenue and status (not_covered, covered,
    pending)."""
    from lib.metrics import load_catalog

    require(store, "marketing_daily", needed_by="break-even")
    catalog = catalog or load_catalog()
    settings = (config or load_customers_config()).break_even
    as_of = as_of or default_as_of(store)
    result = BreakEven(as_of, settings.horizon_months, pd.DataFrame(columns=COLUMNS))
    parts = [_campaigns(store, catalog, as_of, settings)]
    missing = store.missing("customers", "orders")
    if missing:
        result.notes.append(f"channels are not judged: tab(s) {', '.join(missing)} needed")
    else:
        parts.append(_channels(store, catalog, as_of, settings))
    frame = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) \
        else pd.DataFrame(columns=COLUMNS)
    order = {s: i for i, s in enumerate(STATUSES)}
    frame = frame.assign(_o=frame["status"].map(order)).sort_values(
        ["_o", "kind", "shortfall"], ascending=[True, True, False], kind="stable").drop(columns="_o")
    result.frame = frame.reset_index(drop=True)[COLUMNS]
    return result


def break_even_flags(store: Store, as_of: dt.date | None = None, catalog=None,
                     config: CustomersConfig | None = None) -> pd.DataFrame:
    """For the cockpit: only the campaigns and channels not paid back after the horizon
    (columns as COLUMNS, biggest shortfall first within each kind)."""
    return break_even_status(store, as_of, catalog, config).flagged


def _row(kind, id_, name, channel, since, until, horizon_end, spend, revenue, judged: bool) -> dict:
    spend = 0.0 if spend is None or math.isnan(spend) else float(spend)
    revenue = 0.0 if revenue is None or math.isnan(revenue) else float(revenue)
    status = "pending" if not judged else ("not_covered" if revenue < spend else "covered")
    return {"kind": kind, "id": id_, "name": name, "channel": channel, "since": since, "until": until,
            "horizon_end": horizon_end, "spend": spend, "revenue": revenue,
            "coverage": revenue / spend if spend > 0 else math.nan, "shortfall": spend - revenue, "status": status}


def _campaigns(store: Store, catalog, as_of: dt.date, settings: BreakEvenSettings) -> pd.DataFrame:
    from lib.metrics import Request, run

    totals = run(store, catalog, Request(("campaign_spend", "campaign_revenue"), by=("campaign_id",),
                                         end=as_of)).frame
    totals = totals[totals["campaign_id"].notna()]
    first_days = _first_days(store, as_of)
    info = _campaign_info(store)
    rows = []
    for r in totals.itertuples(index=False):
        planned = info.get(r.campaign_id, {})
        start = planned.get("start_date") or first_days.get(r.campaign_id)
        if start is None:
            continue
        horizon_end = add_months(start, settings.horizon_months)
        rows.append(_row("campaign", r.campaign_id, planned.get("name") or r.campaign_id, planned.get("channel"),
                         start, as_of, horizon_end, r.campaign_spend, r.campaign_revenue, horizon_end <= as_of))
    return pd.DataFrame(rows, columns=COLUMNS)


def _first_days(store: Store, as_of: dt.date) -> dict:
    rel = store.relation("marketing_daily")
    c = rel.selectable.c
    query = (sa.select(c.campaign_id, sa.func.min(c.date)).where(c.campaign_id.is_not(None))
             .where(c.date <= sa.bindparam("as_of", as_of, type_=sa.Date)).group_by(c.campaign_id))
    with rel.engine.connect() as conn:
        return {cid: pd.Timestamp(day).date() for cid, day in conn.execute(query)}


def _campaign_info(store: Store) -> dict:
    if not store.has("campaigns"):
        return {}
    frame = store.read("campaigns", ["campaign_id", "name", "channel", "start_date"])
    out = {}
    for r in frame.itertuples(index=False):
        out[r.campaign_id] = {"name": None if pd.isna(r.name) else r.name,
                              "channel": None if pd.isna(r.channel) else r.channel,
                              "start_date": None if pd.isna(r.start_date) else pd.Timestamp(r.start_date).date()}
    return out


def _channels(store: Store, catalog, as_of: dt.date, settings: BreakEvenSettings) -> pd.DataFrame:
    from lib.customers.cohorts import load_cohorts
    from lib.metrics import Request, run

    cohorts = load_cohorts(store, Scope(as_of))
    last_judged = cohorts.last_month - settings.horizon_months + 1
    first_judged = last_judged - settings.cohort_window_months + 1
    since = parse_period(month_label(first_judged))[1]
    until = parse_period(month_label(last_judged))[2]
    horizon_end = parse_period(month_label(cohorts.last_month))[2]
    in_window = cohorts.cells[(cohorts.cells["cohort"] >= first_judged) & (cohorts.cells["cohort"] <= last_judged)]
    revenue = in_window.groupby("channel")["revenue"].sum()
    spend = run(store, catalog, Request(("spend",), by=("channel",), start=since, end=until)).frame
    spend = spend.set_index("channel")["spend"]
    rows = []
    for channel in sorted(set(revenue.index) | set(spend.dropna().index), key=str):
        s, r = spend.get(channel, math.nan), revenue.get(channel, 0.0)
        if (math.isnan(s) or s == 0) and r == 0:
            continue
        rows.append(_row("channel", channel, channel, channel, since, until, horizon_end, s, r, True))
    return pd.DataFrame(rows, columns=COLUMNS)
