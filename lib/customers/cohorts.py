"""Retention cohorts: customers grouped by acquisition month and channel, and the share
of each group still ordering 1, 2, 3 ... months later.

Definitions (docs/customers.md):
- a customer's cohort is the calendar month of `acquired_at`; month 0 is that month,
  month k the k-th calendar month after it;
- retention(k) = customers of the cohort with at least one order in month k / customers
  of the cohort;
- a month is observed only when it is complete by the as-of date, so the newest cohorts
  have fewer months and an unobserved month is missing, never 0;
- a channel's curve pools its cohorts: at month k, the customers active in month k of
  every cohort that has reached month k, over the customers of those cohorts;
- repeat-purchase rate = customers with two or more orders / customers with an order.

Three small aggregate queries run where the data lives; the rest is arithmetic on their
few hundred rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa

from lib.customers.data import CustomerTables, Scope, customer_tables, last_complete_month, month_label, month_number
from lib.store import Store

ALL = None  # channel=None: every channel together


@dataclass
class Cohorts:
    scope: Scope
    last_month: int  # month_number of the latest complete month
    sizes: pd.DataFrame  # cohort (month_number), channel, customers
    cells: pd.DataFrame  # cohort, channel, month (k >= 0, observed), active, orders, revenue
    buyers: pd.DataFrame  # channel, buyers, repeat_buyers
    orders_before_acquisition: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def channels(self) -> list[str]:
        return sorted(self.sizes["channel"].dropna().unique().tolist())

    @property
    def last_month_label(self) -> str:
        return month_label(self.last_month)


def load_cohorts(store: Store, scope: Scope) -> Cohorts:
    tables = customer_tables(store, scope)
    last = last_complete_month(scope.as_of)
    with tables.engine.connect() as conn:
        sizes = _frame(conn.execute(_sizes_query(tables)), ["cohort", "channel", "customers"])
        cells = _frame(conn.execute(_cells_query(tables, last)),
                       ["cohort", "channel", "month", "active", "orders", "revenue"])
        buyers = _frame(conn.execute(_buyers_query(tables)), ["channel", "buyers", "repeat_buyers"])
    early = cells["month"] < 0
    cohorts = Cohorts(scope, last, sizes, cells[~early].reset_index(drop=True), buyers,
                      int(cells.loc[early, "orders"].sum()), list(tables.notes))
    if cohorts.orders_before_acquisition:
        cohorts.notes.append(f"{cohorts.orders_before_acquisition} order(s) are dated in a month before their "
                             "customer's acquired_at; they are left out of the cohorts")
    return cohorts


def _sizes_query(t: CustomerTables) -> sa.Select:
    c = t.customers.c
    cohort = month_number(c.acquired_at)
    return sa.select(cohort.label("cohort"), c.channel, sa.func.count()).group_by(cohort, c.channel)


def _cells_query(t: CustomerTables, last_month: int) -> sa.Select:
    c, a = t.customers.c, t.activity.c
    cohort = month_number(c.acquired_at)
    k = a.month_number - cohort
    # The activity has one row per customer and month, so COUNT(*) counts active
    # customers (a DISTINCT would double the time over a million orders).
    return (sa.select(cohort.label("cohort"), c.channel, k.label("month"), sa.func.count(),
                      sa.func.sum(a.orders), sa.func.sum(a.revenue))
            .select_from(t.customers.join(t.activity, a.customer_id == c.customer_id))
            .where(a.month_number <= sa.bindparam("last_month", last_month, type_=sa.Integer))
            .group_by(cohort, c.channel, k))


def _buyers_query(t: CustomerTables) -> sa.Select:
    c, a = t.customers.c, t.activity.c
    # Orders dated before the acquisition month are a data problem reported with the
    # cells; they do not make a customer a repeat buyer either.
    per_customer = (sa.select(c.customer_id, c.channel, sa.func.sum(a.orders).label("orders"))
                    .select_from(t.customers.join(t.activity, a.customer_id == c.customer_id))
                    .where(a.month_number >= month_number(c.acquired_at))
                    .group_by(c.customer_id, c.channel).subquery("per_customer"))
    p = per_customer.c
    return (sa.select(p.channel, sa.func.count(), sa.func.sum(sa.case((p.orders >= 2, 1), else_=0)))
            .group_by(p.channel))


def _frame(result, names: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(result.fetchall(), columns=names)
    for name in names:
        if name != "channel":
            # Decimal (PostgreSQL, MariaDB), int and float alike
            frame[name] = pd.to_numeric(frame[name]).astype("float64" if name == "revenue" else "int64")
    return frame


# ---------------------------------------------------------------------------------------
# views of the cohorts


def _pick(frame: pd.DataFrame, channel: str | None) -> pd.DataFrame:
    return frame if channel is ALL else frame[frame["channel"] == channel]


def retention_matrix(cohorts: Cohorts, channel: str | None = ALL, max_months: int | None = None) -> pd.DataFrame:
    """One row per observed (cohort, month): cohort ('2025-07'), month (k), customers,
    active, retention. Months with no order at all are 0, months not yet observed absent."""
    sizes = _pick(cohorts.sizes, channel).groupby("cohort", as_index=False)["customers"].sum()
    sizes = sizes[sizes["cohort"] <= cohorts.last_month]
    grid = [(row.cohort, k, row.customers) for row in sizes.itertuples()
            for k in range(0, cohorts.last_month - row.cohort + 1) if max_months is None or k <= max_months]
    out = pd.DataFrame(grid, columns=["cohort", "month", "customers"])
    active = _pick(cohorts.cells, channel).groupby(["cohort", "month"], as_index=False)["active"].sum()
    out = out.merge(active, on=["cohort", "month"], how="left")
    out["active"] = out["active"].fillna(0).astype("int64")
    out["retention"] = out["active"] / out["customers"]
    out["cohort"] = out["cohort"].map(month_label)
    return out[["cohort", "month", "customers", "active", "retention"]]


def pooled_by_month(cohorts: Cohorts, channel: str | None = ALL, max_months: int | None = None) -> pd.DataFrame:
    """A channel's cohorts pooled month by month: month, customers (of the cohorts that
    have reached it), active, orders, revenue, retention, revenue_per_customer."""
    sizes = _pick(cohorts.sizes, channel).groupby("cohort")["customers"].sum()
    sizes = sizes[sizes.index <= cohorts.last_month]
    cells = _pick(cohorts.cells, channel).groupby("month")[["active", "orders", "revenue"]].sum()
    if sizes.empty:
        return pd.DataFrame(columns=["month", "customers", "active", "orders", "revenue", "retention",
                                     "revenue_per_customer"])
    longest = cohorts.last_month - int(sizes.index.min())
    if max_months is not None:
        longest = min(longest, max_months)
    months = np.arange(0, longest + 1)
    reached = [int(sizes[sizes.index <= cohorts.last_month - k].sum()) for k in months]
    out = pd.DataFrame({"month": months, "customers": reached})
    out = out.join(cells, on="month").fillna({"active": 0, "orders": 0, "revenue": 0.0})
    out[["active", "orders"]] = out[["active", "orders"]].astype("int64")
    out["retention"] = out["active"] / out["customers"]
    out["revenue_per_customer"] = out["revenue"] / out["customers"]
    return out


def retention_curves(cohorts: Cohorts, max_months: int | None = None) -> pd.DataFrame:
    """channel, month, customers, active, retention: one curve per channel."""
    parts = [pooled_by_month(cohorts, ch, max_months).assign(channel=ch) for ch in cohorts.channels]
    if not parts:
        return pd.DataFrame(columns=["channel", "month", "customers", "active", "retention"])
    return pd.concat(parts, ignore_index=True)[["channel", "month", "customers", "active", "retention"]]


def repeat_rates(cohorts: Cohorts) -> pd.DataFrame:
    """channel, customers, buyers, repeat_buyers, repeat_rate (repeat buyers / buyers)."""
    customers = cohorts.sizes.groupby("channel", as_index=False)["customers"].sum()
    out = customers.merge(cohorts.buyers, on="channel", how="left").fillna({"buyers": 0, "repeat_buyers": 0})
    out[["buyers", "repeat_buyers"]] = out[["buyers", "repeat_buyers"]].astype("int64")
    out["repeat_rate"] = np.where(out["buyers"] > 0, out["repeat_buyers"] / out["buyers"].where(out["buyers"] > 0), np.nan)
    return out.sort_values("channel").reset_index(drop=True)
