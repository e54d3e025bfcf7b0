"""Lifetime value per acquisition channel: observed, projected, and against CAC.

Method (docs/customers.md has a worked example):

1. From the cohorts, pool a channel's customers month by month (lib.customers.cohorts.
   pooled_by_month): for month k since acquisition, the customers of every cohort that
   has reached month k, how many of them ordered in month k (retention r_k) and their
   revenue. Observed LTV after n months = sum over k < n of revenue_k / customers_k.
2. Fit a geometric decay to the retention curve from month 1 on:
   r_k = r_1 x q^(k-1), by least squares on ln r_k weighted by the customers behind each
   month (months resting on fewer than `min_customers_per_point` customers, or with no
   order at all, are left out; two months are needed). q is at most 1: a rising fit is
   replaced by the flat one.
3. v = revenue per active customer-month over months 1, 2, ... (pooled).
4. Projected LTV over H months = margin x (m_0 + v x sum_{k=1}^{H-1} r_1 q^(k-1)), where
   m_0 is the observed revenue per customer in the acquisition month.
5. LTV/CAC = LTV over `ratio_horizon` months / CAC, with CAC = spend / new customers of
   the channel from the metrics layer over the same acquisition window; payback months =
   the fewest months n whose projected cumulative value reaches CAC.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.customers.cohorts import Cohorts, load_cohorts, pooled_by_month
from lib.customers.config import CustomersConfig, LtvSettings, load_customers_config
from lib.customers.data import Scope, default_scope, require
from lib.store import Store

HORIZONS = (12, 24)
LTV_BY_CHANNEL_COLUMNS = ["channel", "ltv_12", "ltv_24", "cac", "ltv_cac", "payback_months"]


@dataclass(frozen=True)
class DecayFit:
    """r_k = first x ratio^(k-1) for months k >= 1."""

    first: float  # fitted retention in month 1
    ratio: float  # month-over-month factor q
    points: int  # months the fit rests on

    def retention(self, month) -> np.ndarray:
        month = np.asarray(month, dtype="float64")
        if self.first == 0:
            return np.zeros_like(month)
        return self.first * self.ratio ** (month - 1)


def fit_decay(pooled: pd.DataFrame, min_customers: int) -> DecayFit | None:
    """Weighted least squares of ln(retention) on (month - 1) over months >= 1.

    None when fewer than two months with orders rest on enough customers; a zero decay
    (no repeat value) when every such month was observed without a single order."""
    usable = pooled[(pooled["month"] >= 1) & (pooled["customers"] >= min_customers)]
    if usable.empty:
        return None
    positive = usable[usable["active"] > 0]
    if positive.empty:
        return DecayFit(0.0, 0.0, len(usable))
    if len(positive) < 2:
        return None
    x = positive["month"].to_numpy(dtype="float64") - 1
    y = np.log(positive["retention"].to_numpy(dtype="float64"))
    w = positive["customers"].to_numpy(dtype="float64")
    x_mean, y_mean = np.average(x, weights=w), np.average(y, weights=w)
    slope = np.sum(w * (x - x_mean) * (y - y_mean)) / np.sum(w * (x - x_mean) ** 2)
    # Cohorts do not grow back: a rising fit is constrained to a flat one, whose least
    # squares level is the weighted mean of ln r.
    slope = min(slope, 0.0)
    intercept = y_mean - slope * x_mean
    return DecayFit(float(math.exp(intercept)), float(math.exp(slope)), len(positive))


def value_per_active_month(pooled: pd.DataFrame) -> float:
    """Revenue per customer-month with an order, over months 1, 2, ... (NaN without one)."""
    later = pooled[pooled["month"] >= 1]
    active = later["active"].sum()
    return float(later["revenue"].sum() / active) if active else math.nan


def projected_cumulative(month0_value: float, per_active: float, fit: DecayFit | None, months: int,
                         margin: float = 1.0) -> np.ndarray:
    """Projected cumulative value per customer after 1, 2, ..., `months` months."""
    if fit is None or math.isnan(month0_value):
        return np.full(months, np.nan)
    later = fit.retention(np.arange(1, months)) * (0.0 if fit.first == 0 else per_active)
    return margin * np.cumsum(np.concatenate([[month0_value], later]))


def payback_months(cumulative: np.ndarray, cac: float) -> float:
    """The fewest months whose cumulative value reaches CAC; NaN when never within the curve."""
    if cac is None or math.isnan(cac) or np.all(np.isnan(cumulative)):
        return math.nan
    reached = np.nonzero(cumulative >= cac)[0]
    return float(reached[0] + 1) if len(reached) else math.nan


@dataclass
class ChannelValue:
    channel: str
    customers: int
    month0_value: float  # revenue per customer in the acquisition month (m_0)
    per_active: float  # revenue per active customer-month from month 1 on (v)
    fit: DecayFit | None
    observed: pd.DataFrame  # month, customers, revenue_per_customer, cumulative (x margin)
    projected: np.ndarray  # cumulative value after 1..payback_max_months months (x margin)

    def ltv(self, horizon: int) -> float:
        return float(self.projected[horizon - 1]) if len(self.projected) >= horizon else math.nan


def channel_values(cohorts: Cohorts, settings: LtvSettings) -> list[ChannelValue]:
    out = []
    horizon = max(settings.payback_max_months, *HORIZONS)
    for channel in cohorts.channels:
        pooled = pooled_by_month(cohorts, channel)
        if pooled.empty:
            continue
        fit = fit_decay(pooled, settings.min_customers_per_point)
        m0 = float(pooled.loc[pooled["month"] == 0, "revenue_per_customer"].iloc[0])
        per_active = value_per_active_month(pooled)
        observed = pooled[["month", "customers", "revenue_per_customer"]].copy()
        observed["cumulative"] = settings.margin * observed["revenue_per_customer"].cumsum()
        out.append(ChannelValue(channel, int(pooled.loc[0, "customers"]), m0, per_active, fit, observed,
                                projected_cumulative(m0, per_active, fit, horizon, settings.margin)))
    return out


def ltv_table(values: list[ChannelValue]) -> pd.DataFrame:
    """channel, customers, month0_value, value_per_active, retention_month1, monthly_ratio,
    fit_points, ltv_12, ltv_24."""
    return pd.DataFrame([{
        "channel": v.channel, "customers": v.customers, "month0_value": v.month0_value,
        "value_per_active": v.per_active,
        "retention_month1": v.fit.first if v.fit else math.nan,
        "monthly_ratio": v.fit.ratio if v.fit else math.nan,
        "fit_points": v.fit.points if v.fit else 0,
        "ltv_12": v.ltv(12), "ltv_24": v.ltv(24),
    } for v in values], columns=["channel", "customers", "month0_value", "value_per_active", "retention_month1",
                                 "monthly_ratio", "fit_points", "ltv_12", "ltv_24"])


def cac_by_channel(store: Store, catalog, scope: Scope) -> pd.DataFrame:
    """CAC per channel from the metrics layer, over the window the customers were acquired in."""
    from lib.metrics import Request, run

    require(store, "marketing_daily", needed_by="LTV/CAC")
    request = Request(("cac",), by=("channel",), start=scope.start, end=scope.acquired_until, where=scope.where)
    frame = run(store, catalog, request).frame
    return frame[["channel", "cac"]]


def with_cac(values: list[ChannelValue], cac: pd.DataFrame, settings: LtvSettings) -> pd.DataFrame:
    """The LTV table joined with CAC (every channel of either side), plus ltv_cac and payback_months."""
    table = ltv_table(values).merge(cac, on="channel", how="outer")
    by_channel = {v.channel: v for v in values}
    ltv = table[f"ltv_{settings.ratio_horizon}"]
    table["ltv_cac"] = ltv / table["cac"].where(table["cac"] > 0)
    table["payback_months"] = [
        payback_months(by_channel[ch].projected, c) if ch in by_channel else math.nan
        for ch, c in zip(table["channel"], table["cac"])
    ]
    return table.sort_values("channel", kind="stable").reset_index(drop=True)


def ltv_by_channel(store: Store, catalog, as_of: dt.date | None = None, start: dt.date | None = None,
                   end: dt.date | None = None, where: tuple = (), config: CustomersConfig | None = None
                   ) -> pd.DataFrame:
    """For the channel comparison: channel, ltv_12, ltv_24, cac, ltv_cac, payback_months.

    Customers acquired from `start` to `end` (default: all up to `as_of`, which defaults to
    the day of the last order), filtered by `where` ((column, values) on channel, region,
    product_line); CAC over the same window and filter. A missing value is NaN, never 0.
    """
    config = config or load_customers_config()
    scope = default_scope(store, as_of, start=start, end=end, where=tuple(where))
    values = channel_values(load_cohorts(store, scope), config.ltv)
    table = with_cac(values, cac_by_channel(store, catalog, scope), config.ltv)
    return table[LTV_BY_CHANNEL_COLUMNS]
