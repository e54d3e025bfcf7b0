"""Properties of the metrics layer on generated sheets (hypothesis):

- an additive metric summed over the values of a dimension (blanks included) equals its
  total, and so does its sum over the periods of any grain;
- explain's parts add up to the total change, for amounts and for ratios (rate + mix).
"""
import csv
import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lib.config import sources_for_data
from lib.metrics import Request, explain, load_catalog, run
from lib.store import load_store

CATALOG = load_catalog()
FIRST = dt.date(2025, 12, 22)  # three weeks across the turn of the year, ISO weeks 2025-W52 .. 2026-W02
HEADER = ["date", "channel", "region", "department", "campaign_id", "spend", "impressions", "clicks", "leads",
          "new_customers", "revenue"]

row = st.tuples(
    st.integers(0, 20),
    st.sampled_from(["抖音", "百度SEM", "EDM"]),
    st.sampled_from(["华东", "华北", ""]),  # "" is a blank cell: a group of its own
    st.sampled_from(["数字营销部", "内容运营部"]),
    st.sampled_from(["C1", "C2", ""]),
    st.decimals(0, 5000, places=2),
    st.integers(0, 20000),
    st.integers(0, 300),
    st.integers(0, 40),
    st.integers(0, 10),
    st.decimals(-100, 50000, places=2),  # a refund can make revenue negative
)


def sheet_store(rows):
    """The rows as a marketing_daily.csv, loaded like any sheet (into the embedded DuckDB)."""
    with tempfile.TemporaryDirectory(prefix="metrics-prop-") as folder:
        with (Path(folder) / "marketing_daily.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            for offset, *rest in rows:
                writer.writerow([(FIRST + dt.timedelta(days=offset)).isoformat(), *rest])
        return load_store(sources_for_data(folder))


def total(store, metric, start, end):
    return run(store, CATALOG, Request((metric,), start=start, end=end)).frame[metric].iloc[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=30), metric=st.sampled_from(["spend", "leads", "revenue", "clicks"]),
       dim=st.sampled_from(["channel", "region", "department", "campaign_id"]),
       grain=st.sampled_from(["day", "week", "month", "quarter", "year"]),
       start=st.integers(0, 20), days=st.integers(0, 20))
def test_additive_metric_over_a_dimension_or_periods_sums_to_the_total(rows, metric, dim, grain, start, days):
    store = sheet_store(rows)
    start_day = FIRST + dt.timedelta(days=start)
    end_day = start_day + dt.timedelta(days=days)
    whole = total(store, metric, start_day, end_day)
    split = run(store, CATALOG, Request((metric,), by=(dim,), start=start_day, end=end_day)).frame
    periods = run(store, CATALOG, Request((metric,), grain=grain, start=start_day, end=end_day)).frame
    in_range = [r for r in rows if start <= r[0] <= start + days]
    if not in_range:  # nothing in the range: no total (not 0), and no groups
        assert pd.isna(whole) and split.empty and periods.empty
        return
    assert whole == pytest.approx(split[metric].sum(), abs=1e-6)
    assert whole == pytest.approx(periods[metric].sum(), abs=1e-6)
    assert split[dim].isna().any() == any(r[HEADER.index(dim)] == "" for r in in_range)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=30), metric=st.sampled_from(["spend", "cac", "roi", "ctr", "cpm"]),
       dim=st.sampled_from(["channel", "region", "campaign_id"]))
def test_explain_parts_add_up_to_the_total_change(rows, metric, dim):
    store = sheet_store(rows)
    result = explain(store, CATALOG, metric, dim, "2026-W01", "2025-W52")
    if result.total_change is None:  # no value in one of the weeks: nothing to split
        assert result.before is None or result.after is None
        return
    parts = result.contributions
    assert parts["contribution"].sum() == pytest.approx(result.total_change, rel=1e-9, abs=1e-9)
    if result.method == "rate_mix":
        assert (parts["rate_effect"] + parts["mix_effect"]).sum() == pytest.approx(result.total_change, rel=1e-9,
                                                                                  abs=1e-9)
    after = total(store, metric, dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert result.after == pytest.approx(after)  # the same value a query gives
