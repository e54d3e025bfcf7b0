"""Benchmark of the cockpit's queries: metrics layer vs hand-written SQL vs the naive path.

    .venv/bin/python bench/metrics_bench.py                 # 1,000,000 rows
    .venv/bin/python bench/metrics_bench.py --rows 10000000 --no-naive

Rows are generated (in a child process, in chunks) into a DuckDB file, so this process's
peak memory measures the querying only. Each query runs once to warm up, then best of
--repeat. Naive = the whole table into pandas through SQLAlchemy, then groupby: what a
dashboard does when it does not push aggregation into SQL. Not part of the test suite.
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
PRODUCTS = ["企业版", "专业版", "增值服务"]
DEPARTMENTS = ["品牌部", "数字营销部", "内容运营部", "活动策划部", "客户增长部"]
FIRST_DAY, DAYS = dt.date(2025, 5, 1), 549


def generate(path: str, rows: int, chunk: int = 1_000_000) -> None:
    """Write `rows` random marketing_daily rows into a DuckDB file, chunk by chunk."""
    import duckdb
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    con = duckdb.connect(path)
    con.execute("""CREATE TABLE marketing_daily (date DATE, channel VARCHAR, region VARCHAR,
        product_line VARCHAR, department VARCHAR, campaign_id VARCHAR, spend DOUBLE, impressions DOUBLE,
        clicks DOUBLE, engagements DOUBLE, leads DOUBLE, new_customers DOUBLE, orders DOUBLE, revenue DOUBLE,
        _row INTEGER)""")
    done = 0
    while done < rows:
        n = min(chunk, rows - done)
        impressions = rng.integers(0, 50_000, n)
        clicks = (impressions * rng.uniform(0.002, 0.03, n)).astype(int)
        leads = (clicks * rng.uniform(0.01, 0.1, n)).astype(int)
        customers = (leads * rng.uniform(0.05, 0.3, n)).astype(int)
        frame = pd.DataFrame({
            "date": pd.to_datetime(FIRST_DAY) + pd.to_timedelta(rng.integers(0, DAYS, n), unit="D"),
            "channel": pd.Categorical.from_codes(rng.integers(0, len(CHANNELS), n), CHANNELS).astype(str),
            "region": pd.Categorical.from_codes(rng.integers(0, len(REGIONS), n), REGIONS).astype(str),
            "product_line": pd.Categorical.from_codes(rng.integers(0, 3, n), PRODUCTS).astype(str),
            "department": pd.Categorical.from_codes(rng.integers(0, 5, n), DEPARTMENTS).astype(str),
            "campaign_id": np.where(rng.random(n) < 0.3, "C" + rng.integers(1, 26, n).astype(str), None),
            "spend": rng.gamma(2.0, 400.0, n).round(2), "impressions": impressions, "clicks": clicks,
            "engagements": (impressions * rng.uniform(0, 0.05, n)).astype(int), "leads": leads,
            "new_customers": customers, "orders": customers + rng.integers(0, 2, n),
            "revenue": (customers * rng.gamma(3.0, 1500.0, n)).round(2),
            "_row": np.arange(done + 2, done + 2 + n),
        })
        con.register("chunk", frame)
        con.execute("INSERT INTO marketing_daily SELECT date::DATE, * EXCLUDE (date) FROM chunk")
        con.unregister("chunk")
        done += n
    con.close()


# The cockpit's queries: (name, request kwargs, hand-written DuckDB SQL)
WEEK = (dt.date(2026, 10, 19), dt.date(2026, 10, 25))
KPI = ("spend", "revenue", "new_customers", "leads", "impressions", "engagements", "cac", "lead_conversion", "roi")
CHANNEL_TABLE = ("spend", "impressions", "clicks", "ctr", "cpc", "cpm", "leads", "cpl", "new_customers", "cvr",
                 "cac", "revenue", "roi", "roas")
KPI_SQL = """sum(spend) spend, sum(revenue) revenue, sum(new_customers) new_customers, sum(leads) leads,
    sum(impressions) impressions, sum(engagements) engagements, sum(spend)/nullif(sum(new_customers),0) cac,
    sum(new_customers)/nullif(sum(leads),0) lead_conversion, (sum(revenue)-sum(spend))/nullif(sum(spend),0) roi"""
CHANNEL_SQL = """sum(spend) spend, sum(impressions) impressions, sum(clicks) clicks,
    sum(clicks)/nullif(sum(impressions),0) ctr, sum(spend)/nullif(sum(clicks),0) cpc,
    1000*sum(spend)/nullif(sum(impressions),0) cpm, sum(leads) leads, sum(spend)/nullif(sum(leads),0) cpl,
    sum(new_customers) new_customers, sum(leads)/nullif(sum(clicks),0) cvr,
    sum(spend)/nullif(sum(new_customers),0) cac, sum(revenue) revenue,
    (sum(revenue)-sum(spend))/nullif(sum(spend),0) roi, sum(revenue)/nullif(sum(spend),0) roas"""

QUERIES = [
    ("KPI tiles, one week", dict(metrics=KPI, start=WEEK[0], end=WEEK[1]),
     f"SELECT {KPI_SQL} FROM marketing_daily WHERE date >= DATE '2026-10-19' AND date <= DATE '2026-10-25'",
     lambda f: f.agg({"spend": "sum", "revenue": "sum", "new_customers": "sum"})),
    ("KPI tiles, previous week", dict(metrics=KPI, start=WEEK[0] - dt.timedelta(7), end=WEEK[1] - dt.timedelta(7)),
     f"SELECT {KPI_SQL} FROM marketing_daily WHERE date >= DATE '2026-10-12' AND date <= DATE '2026-10-18'",
     lambda f: f.agg({"spend": "sum", "revenue": "sum", "new_customers": "sum"})),
    ("Sparklines, 12 weeks", dict(metrics=KPI, grain="week", start=dt.date(2026, 8, 3), end=WEEK[1]),
     f"SELECT strftime(date, '%G-W%V') period, {KPI_SQL} FROM marketing_daily WHERE date >= DATE '2026-08-03' "
     "AND date <= DATE '2026-10-25' GROUP BY 1 ORDER BY 1",
     lambda f: f.groupby(f["date"].dt.isocalendar().week)[["spend", "revenue"]].sum()),
    ("Channel table, one month", dict(metrics=CHANNEL_TABLE, by=("channel",), start=dt.date(2026, 10, 1),
                                      end=dt.date(2026, 10, 31)),
     f"SELECT channel, {CHANNEL_SQL} FROM marketing_daily WHERE date >= DATE '2026-10-01' "
     "AND date <= DATE '2026-10-31' GROUP BY 1 ORDER BY 1",
     lambda f: f.groupby("channel")[["spend", "impressions", "clicks", "leads", "new_customers", "revenue"]].sum()),
    ("Region x product, one quarter, filtered", dict(metrics=("revenue", "cac"), by=("region", "product_line"),
                                                     start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
                                                     where=(("channel", ("抖音", "小红书", "B站")),)),
     "SELECT region, product_line, sum(revenue) revenue, sum(spend)/nullif(sum(new_customers),0) cac "
     "FROM marketing_daily WHERE date >= DATE '2026-07-01' AND date <= DATE '2026-09-30' "
     "AND channel IN ('抖音', '小红书', 'B站') GROUP BY 1, 2 ORDER BY 1, 2",
     lambda f: f[f["channel"].isin(["抖音", "小红书", "B站"])].groupby(["region", "product_line"])[
         ["revenue", "spend", "new_customers"]].sum()),
    ("Daily spend by department, one month", dict(metrics=("spend",), by=("department",), grain="day",
                                                  start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)),
     "SELECT strftime(date, '%Y-%m-%d') period, department, sum(spend) spend FROM marketing_daily "
     "WHERE date >= DATE '2026-10-01' AND date <= DATE '2026-10-31' GROUP BY 1, 2 ORDER BY 1, 2",
     lambda f: f.groupby(["date", "department"])["spend"].sum()),
]


def best_of(fn, repeat: int) -> float:
    fn()  # warm-up: caches, compiled statements
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-naive", action="store_true", help="skip the whole-table pandas path")
    ap.add_argument("--generate-only", metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.rows)
        return

    import pandas as pd
    import sqlalchemy as sa

    from lib.metrics import Request, load_catalog, run
    from lib.store import Store, TabInfo, utcnow

    folder = tempfile.mkdtemp(prefix="cockpit-bench-")
    path = os.path.join(folder, "bench.duckdb")
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--generate-only", path], check=True)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")

    engine = sa.create_engine(f"duckdb:///{path}")
    store = Store(engine, 0, utcnow(), tabs={"marketing_daily": TabInfo(
        "marketing_daily", "bench", path, "duckdb", args.rows, 0, utcnow())})
    catalog = load_catalog()
    raw = engine.raw_connection()

    print(f"\n| query | metrics layer | hand-written SQL | ratio | naive (pandas) | naive / layer |")
    print("|---|---:|---:|---:|---:|---:|")
    naive_frame = None
    for name, kwargs, sql, naive in QUERIES:
        layer = best_of(lambda: run(store, catalog, Request(**kwargs)).frame, args.repeat)
        hand = best_of(lambda: raw.driver_connection.sql(sql).df(), args.repeat)
        naive_text, speedup = "skipped", ""
        if not args.no_naive:
            def naive_path():
                frame = pd.read_sql(sa.text("SELECT * FROM marketing_daily"), engine)
                frame["date"] = pd.to_datetime(frame["date"])
                return naive(frame)
            slow = best_of(naive_path, 1)
            naive_text, speedup = f"{slow * 1000:,.0f} ms", f"{slow / layer:,.0f}x"
        print(f"| {name} | {layer * 1000:,.1f} ms | {hand * 1000:,.1f} ms | {layer / hand:.2f} | {naive_text} | "
              f"{speedup} |")
    print(f"\npeak memory of the querying process: {peak_mb():,.0f} MB")
    raw.close()
    engine.dispose()


if __name__ == "__main__":
    main()
