"""Benchmark of the Customer value computations over a big orders tab (run by hand, not in tests).

    .venv/bin/python bench/customers_bench.py                      # 1,000,000 orders
    .venv/bin/python bench/customers_bench.py --orders 5000000 --customers 600000

Customers and orders are generated (in a child process) into a DuckDB file, so this
process's peak memory measures the computing only. Each computation runs once to warm up,
then best of --repeat. "Cohorts" is what the Retention tab needs: the three aggregate
queries of lib.customers.cohorts.load_cohorts plus the heat-map matrix, the channel curves
and the repeat-purchase rates built from their results. Target: at most 3 s over 1M orders.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHANNELS = ["百度SEM", "朋友圈广告", "知乎信息流", "抖音", "小红书", "B站", "线下沙龙", "行业展会", "老客推荐",
            "直播", "EDM", "私域社群"]
REGIONS = ["华东", "华北", "华南", "华中", "西南", "西北"]
PRODUCTS = ["智能营销云", "数据分析平台", "增值服务"]
SEGMENTS = ["小微企业", "中型企业", "大型企业"]
FIRST_DAY, DAYS = dt.date(2025, 5, 1), 549  # 18 months, as the sample data
AS_OF = FIRST_DAY + dt.timedelta(days=DAYS - 1)  # 2026-10-31


def generate(path: str, customers: int, orders: int, seed: int = 11) -> None:
    """Customers spread over 18 months and 12 channels; each has a first order on its
    acquisition day, the other orders go to random customers at a decaying distance."""
    import duckdb
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    start = np.datetime64(FIRST_DAY)
    acquired_offset = rng.integers(0, DAYS, customers)
    channel_code = rng.integers(0, len(CHANNELS), customers)
    frame = pd.DataFrame({
        "customer_id": [f"C{i:07d}" for i in range(customers)],
        "acquired_at": start + acquired_offset.astype("timedelta64[D]"),
        "channel": np.array(CHANNELS)[channel_code],
        "region": np.array(REGIONS)[rng.integers(0, len(REGIONS), customers)],
        "product_line": np.array(PRODUCTS)[rng.integers(0, len(PRODUCTS), customers)],
        "segment": np.array(SEGMENTS)[rng.integers(0, len(SEGMENTS), customers)],
    })
    con = duckdb.connect(path)
    con.register("incoming", frame)
    con.execute("CREATE TABLE customers AS SELECT customer_id, acquired_at::DATE AS acquired_at, channel, region, "
                "product_line, segment FROM incoming")
    con.unregister("incoming")
    # Repeat orders: loyal channels (higher codes) buy again more often; the gap decays.
    repeat = orders - customers
    weight = 1.0 + channel_code / len(CHANNELS)
    who = rng.choice(customers, size=repeat, p=weight / weight.sum())
    room = DAYS - 1 - acquired_offset[who]
    gap = np.minimum(rng.exponential(120.0, repeat).astype(int) + 1, np.maximum(room, 0))
    order_customer = np.concatenate([np.arange(customers), who])
    order_offset = np.concatenate([acquired_offset, acquired_offset[who] + gap])
    amounts = np.round(rng.gamma(2.0, 3000.0, orders), 0)
    order_frame = pd.DataFrame({
        "order_id": [f"O{i:08d}" for i in range(orders)],
        "customer_id": frame["customer_id"].to_numpy()[order_customer],
        "date": start + order_offset.astype("timedelta64[D]"),
        "amount": amounts,
    })
    con.register("incoming", order_frame)
    con.execute("CREATE TABLE orders AS SELECT order_id, customer_id, date::DATE AS date, amount FROM incoming")
    con.unregister("incoming")
    con.close()


def best_of(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--customers", type=int, default=120_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-page", action="store_true", help="skip timing the page itself")
    ap.add_argument("--generate-only", metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.customers, args.orders)
        return

    import sqlalchemy as sa

    from lib.access import SYSTEM
    from lib.customers.cohorts import load_cohorts, repeat_rates, retention_curves, retention_matrix
    from lib.customers.config import load_customers_config
    from lib.customers.data import Scope
    from lib.customers.ltv import channel_values
    from lib.customers.rfm import tier_customers, tier_summary
    from lib.store import Store, TabInfo, utcnow

    folder = tempfile.mkdtemp(prefix="cockpit-customers-bench-")
    path = os.path.join(folder, "bench.duckdb")
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--orders", str(args.orders), "--customers", str(args.customers),
                    "--generate-only", path], check=True)
    print(f"generated {args.customers:,} customers and {args.orders:,} orders in "
          f"{time.perf_counter() - started:.1f} s")

    engine = sa.create_engine(f"duckdb:///{path}")
    now = utcnow()
    store = Store(engine, 0, now, tabs={
        "customers": TabInfo("customers", "bench", path, "duckdb", args.customers, 0, now),
        "orders": TabInfo("orders", "bench", path, "duckdb", args.orders, 0, now),
    })
    config = load_customers_config()
    scope = Scope(AS_OF)

    def cohorts_tab():
        cohorts = load_cohorts(store, scope)
        retention_matrix(cohorts, None, config.cohorts.max_months)
        retention_curves(cohorts, config.cohorts.max_months)
        repeat_rates(cohorts)
        return cohorts

    cohorts = cohorts_tab()
    cells = len(cohorts.cells)
    runs = [
        ("Cohorts: 3 queries + heat-map, curves, repeat rates", cohorts_tab),
        ("Cohorts of one channel (filtered)", lambda: load_cohorts(store, Scope(AS_OF, where=(("channel", ("抖音",)),)))),
        ("LTV per channel (cohorts + decay fits)", lambda: channel_values(load_cohorts(store, scope), config.ltv)),
        ("RFM tier summary (scores in SQL)", lambda: tier_summary(store, scope, config.rfm)),
        ("RFM list of the dormant tier", lambda: tier_customers(store, scope, config.rfm, SYSTEM, "dormant")),
    ]
    print(f"\n{args.orders:,} orders, {args.customers:,} customers, {cells:,} cohort cells come back\n")
    print("| computation | best of 3 |")
    print("|---|---:|")
    for name, fn in runs:
        print(f"| {name} | {best_of(fn, args.repeat) * 1000:,.0f} ms |")
    print(f"\npeak memory of the computing process: {peak_mb():,.0f} MB")
    engine.dispose()
    if not args.no_page:
        cold, warm = page_seconds(f"duckdb:///{path}")
        print(f"\nCustomer value page (AppTest; orders and customers live in the DuckDB file), Retention tab "
              f"(the one that opens), first view after the data is loaded: {cold:.2f} s; "
              f"again from the cache: {warm:.2f} s")


def page_seconds(url: str) -> tuple[float, float]:
    """The whole page as a user opens it: the store is loaded already (one run to load it),
    the computation caches are empty; then the same view again (served from the caches)."""
    import logging

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from lib import ROOT

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    os.environ["COCKPIT_DATA"] = url
    page = str(ROOT / "pages" / "customers.py")
    AppTest.from_file(page, default_timeout=600).run()  # loads (and checks) the tabs
    st.cache_data.clear()
    times = []
    for _ in range(2):
        at = AppTest.from_file(page, default_timeout=600)
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        assert not at.exception, [e.value for e in at.exception]
    return times[0], times[1]


if __name__ == "__main__":
    main()
