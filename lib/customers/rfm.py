"""RFM tiers: recency, frequency and monetary scores per customer, and the plan's tiers.

Scores are quantile bins computed in SQL over every customer in scope (window functions,
so it scales to any number of customers):

- recency = the day of the last order (a customer without orders: the acquisition day),
  frequency = orders, monetary = revenue, all up to the as-of date;
- each is ranked ascending (RANK: equal values share the lower rank), and
  score = 1 + floor(bins x (rank - 1) / (customers - 1)), capped at bins; the floor is
  written as integer comparisons so every database gets the same bin at the boundaries.
  Ties stay together in the lower bin, so one-time buyers all get frequency score 1;
- tier: dormant when the last order (or, without one, the acquisition) is at least
  `dormant_after_months` before the as-of date; else high value when R, F and M reach
  the configured minimum scores; else potential.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from lib.access import Viewer
from lib.customers.config import TIERS, RfmSettings
from lib.customers.data import CustomerTables, Scope, add_months, customer_tables
from lib.store import Store

LIST_COLUMNS = ["customer_id", "channel", "region", "product_line", "segment", "acquired_at", "last_order",
                "orders", "revenue", "recency", "frequency", "monetary", "tier"]


@dataclass
class TierSummary:
    scope: Scope
    frame: pd.DataFrame  # tier, customers, revenue, customer_share, revenue_share (one row per tier, in TIERS order)
    notes: list[str]

    @property
    def total_customers(self) -> int:
        return int(self.frame["customers"].sum())


def dormant_cutoff(scope: Scope, settings: RfmSettings) -> dt.date:
    """A customer whose last order is on or before this day has had no order for
    `dormant_after_months` months."""
    return add_months(scope.as_of, -settings.dormant_after_months)


def _quantile_score(rank, count, bins: int) -> sa.ColumnElement:
    """1 + floor(bins * (rank - 1) / (count - 1)), at most bins, with integer arithmetic only."""
    steps = [sa.case((bins * (rank - 1) >= j * (count - 1), 1), else_=0) for j in range(1, bins)]
    return sa.literal(1) + sum(steps[1:], steps[0])


def scored_customers(tables: CustomerTables, settings: RfmSettings) -> sa.Subquery:
    """Every customer in scope with last_order, orders, revenue, the three scores and the tier."""
    c, a = tables.customers.c, tables.activity.c
    per_customer = (
        sa.select(c.customer_id, c.channel, c.region, c.product_line, c.segment, c.acquired_at,
                  sa.func.max(a.last_date).label("last_order"),
                  sa.func.coalesce(sa.func.sum(a.orders), 0).label("orders"),
                  sa.func.coalesce(sa.func.sum(a.revenue), 0).label("revenue"))
        .select_from(tables.customers.outerjoin(tables.activity, a.customer_id == c.customer_id))
        .group_by(c.customer_id, c.channel, c.region, c.product_line, c.segment, c.acquired_at)
    ).subquery("per_customer")
    p = per_customer.c
    last_activity = sa.func.coalesce(p.last_order, p.acquired_at)
    count = sa.func.count().over()
    ranked = sa.select(
        *p, last_activity.label("last_activity"),
        sa.func.rank().over(order_by=last_activity).label("r_rank"),
        sa.func.rank().over(order_by=p.orders).label("f_rank"),
        sa.func.rank().over(order_by=p.revenue).label("m_rank"),
        count.label("n"),
    ).subquery("ranked")
    r = ranked.c
    recency, frequency, monetary = (_quantile_score(r[k], r.n, settings.bins) for k in ("r_rank", "f_rank", "m_rank"))
    hv = settings.high_value
    cutoff = sa.bindparam("dormant_cutoff", dormant_cutoff(tables.scope, settings), type_=sa.Date)
    tier = sa.case(
        (r.last_activity <= cutoff, "dormant"),
        (sa.and_(recency >= hv.recency, frequency >= hv.frequency, monetary >= hv.monetary), "high_value"),
        else_="potential",
    )
    return sa.select(r.customer_id, r.channel, r.region, r.product_line, r.segment, r.acquired_at, r.last_order,
                     r.orders, r.revenue, recency.label("recency"), frequency.label("frequency"),
                     monetary.label("monetary"), tier.label("tier")).subquery("scored")


def tier_summary(store: Store, scope: Scope, settings: RfmSettings) -> TierSummary:
    """Customers and revenue per tier, and their shares of the whole."""
    tables = customer_tables(store, scope)
    s = scored_customers(tables, settings)
    query = sa.select(s.c.tier, sa.func.count(), sa.func.sum(s.c.revenue)).group_by(s.c.tier)
    with tables.engine.connect() as conn:
        found = {tier: (int(n), float(rev or 0)) for tier, n, rev in conn.execute(query)}
    frame = pd.DataFrame([(t, *found.get(t, (0, 0.0))) for t in TIERS], columns=["tier", "customers", "revenue"])
    total_customers, total_revenue = frame["customers"].sum(), frame["revenue"].sum()
    frame["customer_share"] = frame["customers"] / total_customers if total_customers else float("nan")
    frame["revenue_share"] = frame["revenue"] / total_revenue if total_revenue else float("nan")
    return TierSummary(scope, frame, list(tables.notes))


def tier_customers(store: Store, scope: Scope, settings: RfmSettings, viewer: Viewer,
                   tier: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The customers of a tier (all tiers when None), highest revenue first, with their
    scores: the list to download. Customer rows are personal data: a viewer who may not
    see personal rows (the meeting-room screen) gets an empty list."""
    if tier is not None and tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; use one of {', '.join(TIERS)}")
    if not viewer.sees_personal_data:
        return pd.DataFrame(columns=LIST_COLUMNS)
    tables = customer_tables(store, scope)
    s = scored_customers(tables, settings)
    query = sa.select(*[s.c[name] for name in LIST_COLUMNS]).order_by(s.c.revenue.desc(), s.c.customer_id)
    if tier is not None:
        query = query.where(s.c.tier == sa.bindparam("tier", tier))
    if limit is not None:
        query = query.limit(limit)
    with tables.engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).fetchall(), columns=LIST_COLUMNS)
    for name in ("acquired_at", "last_order"):  # a customer without orders has no last order: None, not NaT
        frame[name] = pd.Series([None if pd.isna(x) else pd.Timestamp(x).date() for x in frame[name]],
                                dtype=object, index=frame.index)
    frame["orders"] = pd.to_numeric(frame["orders"]).astype("int64")
    frame["revenue"] = pd.to_numeric(frame["revenue"]).astype("float64")
    for name in ("recency", "frequency", "monetary"):
        frame[name] = pd.to_numeric(frame[name]).astype("int64")
    return frame
