"""Benchmark of the cockpit's queries three ways: the metrics layer, hand-written DuckDB
SQL, and the naive path (the whole table into pandas through SQLAlchemy, then groupby).

    .venv/bin/python bench/metrics_bench.py                          # 1,000,000 rows
    .venv/bin/python bench/metrics_bench.py --rows 10000000 --no-naive

Rows are generated (in a child process, chunk by chunk) into a DuckDB file, so this
process's peak memory is the querying alone. The metrics layer runs every query first, so
the peak memory printed after that phase is its own; then it and the hand-written SQL
take turns on each query (one warm-up, then the best of --repeat runs each: the machine
may be shared, and turns spread a busy moment over both); then the naive path runs once
per query. The three ways must give the same numbers, or the script stops.
Targets (issue 3): metrics layer within 1.2x of hand SQL; at least 20x faster than the
naive path at 1M rows; at 10M rows every query under 1 s and peak memory under 1.5 GB.
Run by hand, not in the test suite; record the output in BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
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
FIRST_DAY, DAYS = dt.date(2025, 5, 1), 549  # 18 months, May 2025 - October 2026


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


# ---------------------------------------------------------------------------------------
# the cockpit's queries: (name, metrics-layer request, hand-written DuckDB SQL, naive pandas)

WEEK = (dt.date(2026, 10, 19), dt.date(2026, 10, 25))
KPI = ("spend", "revenue", "new_customers", "leads", "impressions", "engagements", "cac", "lead_conversion", "roi")
CHANNEL_TABLE = ("spend", "impressions", "clicks", "ctr", "cpc", "cpm", "leads", "cpl", "new_customers", "cvr",
                 "cac", "revenue", "roi", "roas")
SQL_OF = {  # every metric as a person would write it by hand, NULLIF for division by zero
    "spend": "sum(spend)", "revenue": "sum(revenue)", "new_customers": "sum(new_customers)", "leads": "sum(leads)",
    "impressions": "sum(impressions)", "engagements": "sum(engagements)", "clicks": "sum(clicks)",
    "cac": "sum(spend) / nullif(sum(new_customers), 0)",
    "lead_conversion": "sum(new_customers) / nullif(sum(leads), 0)",
    "roi": "(sum(revenue) - sum(spend)) / nullif(sum(spend), 0)",
    "ctr": "sum(clicks) / nullif(sum(impressions), 0)", "cpc": "sum(spend) / nullif(sum(clicks), 0)",
    "cpm": "1000 * sum(spend) / nullif(sum(impressions), 0)", "cpl": "sum(spend) / nullif(sum(leads), 0)",
    "cvr": "sum(leads) / nullif(sum(clicks), 0)", "roas": "sum(revenue) / nullif(sum(spend), 0)",
}
NAIVE_OF = {  # the same from summed columns of a pandas frame (division by zero -> NaN)
    "cac": lambda s: s.spend / s.new_customers, "lead_conversion": lambda s: s.new_customers / s.leads,
    "roi": lambda s: (s.revenue - s.spend) / s.spend, "ctr": lambda s: s.clicks / s.impressions,
    "cpc": lambda s: s.spend / s.clicks, "cpm": lambda s: 1000 * s.spend / s.impressions,
    "cpl": lambda s: s.spend / s.leads, "cvr": lambda s: s.leads / s.clicks, "roas": lambda s: s.revenue / s.spend,
}
SUMMED = ["spend", "revenue", "new_customers", "leads", "impressions", "engagements", "clicks"]


def hand_sql(metrics, start, end, keys=(), week=False, day=False, where="") -> str:
    select = [f"{SQL_OF[m]} AS {m}" for m in metrics]
    groups = list(keys)
    if week:
        groups.insert(0, "strftime(date, '%G-W%V')")
    if day:
        groups.insert(0, "strftime(date, '%Y-%m-%d')")
    labels = (["period"] if week or day else []) + list(keys)
    head = [f"{g} AS {label}" for g, label in zip(groups, labels)]
    sql = (f"SELECT {', '.join(head + select)} FROM marketing_daily "
           f"WHERE date >= DATE '{start}' AND date <= DATE '{end}'{where}")
    if groups:
        sql += f" GROUP BY {', '.join(groups)} ORDER BY {', '.join(labels)}"
    return sql


def naive(metrics, start, end, keys=(), week=False, day=False, channels=None):
    """Filter, group and sum in pandas, then the ratios from the sums."""
    import pandas as pd

    def compute(frame):
        days = frame["date"].dt.date
        rows = frame[(days >= start) & (days <= end)]
        if channels:
            rows = rows[rows["channel"].isin(channels)]
        labels = []
        if week:
            iso = rows["date"].dt.isocalendar()
            rows = rows.assign(period=iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2))
            labels.append("period")
        if day:
            rows = rows.assign(period=rows["date"].dt.strftime("%Y-%m-%d"))
            labels.append("period")
        labels += list(keys)
        sums = rows.groupby(labels)[SUMMED].sum().reset_index() if labels else rows[SUMMED].sum().to_frame().T
        out = sums[labels].copy()
        for m in metrics:
            out[m] = NAIVE_OF[m](sums) if m in NAIVE_OF else sums[m]
        return out.replace([float("inf"), float("-inf")], float("nan")).reset_index(drop=True)

    return compute


def queries():
    month = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    quarter = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    weeks12 = (dt.date(2026, 8, 3), WEEK[1])
    prev = (WEEK[0] - dt.timedelta(7), WEEK[1] - dt.timedelta(7))
    video = ("抖音", "小红书", "B站")
    video_sql = " AND channel IN ('抖音', '小红书', 'B站')"
    return [
        ("KPI tiles, one week", dict(metrics=KPI, start=WEEK[0], end=WEEK[1]),
         hand_sql(KPI, *WEEK), naive(KPI, *WEEK)),
        ("KPI tiles, previous week", dict(metrics=KPI, start=prev[0], end=prev[1]),
         hand_sql(KPI, *prev), naive(KPI, *prev)),
        ("Sparklines, 12 weeks", dict(metrics=KPI, grain="week", start=weeks12[0], end=weeks12[1]),
         hand_sql(KPI, *weeks12, week=True), naive(KPI, *weeks12, week=True)),
        ("Channel table, one month", dict(metrics=CHANNEL_TABLE, by=("channel",), start=month[0], end=month[1]),
         hand_sql(CHANNEL_TABLE, *month, keys=("channel",)), naive(CHANNEL_TABLE, *month, keys=("channel",))),
        ("Region x product, one quarter, 3 channels",
         dict(metrics=("revenue", "cac"), by=("region", "product_line"), start=quarter[0], end=quarter[1],
              where=(("channel", video),)),
         hand_sql(("revenue", "cac"), *quarter, keys=("region", "product_line"), where=video_sql),
         naive(("revenue", "cac"), *quarter, keys=("region", "product_line"), channels=video)),
        ("Daily spend by department, one month",
         dict(metrics=("spend",), by=("department",), grain="day", start=month[0], end=month[1]),
         hand_sql(("spend",), *month, keys=("department",), day=True),
         naive(("spend",), *month, keys=("department",), day=True)),
    ]


# ---------------------------------------------------------------------------------------
# measuring


def best_of(fn, repeat: int) -> float:
    fn()  # warm-up: caches, compiled statements
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_turns(first, second, repeat: int) -> tuple[float, float]:
    """Best times of two functions run in turn (after one warm-up each)."""
    first(), second()
    a, b = [], []
    for _ in range(repeat):
        for fn, times in ((first, a), (second, b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return min(a), min(b)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def machine() -> str:
    import duckdb
    import pandas
    import sqlalchemy

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem = next((int(line.split()[1]) / 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, SQLAlchemy {sqlalchemy.__version__}, "
            f"pandas {pandas.__version__}")


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"


def same(a, b, what: str) -> None:
    """Two results of one query must agree (keys exactly, numbers to 1e-9)."""
    import pandas as pd

    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    a.columns, b.columns = list(b.columns), list(b.columns)
    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9)
    except AssertionError as exc:
        sys.exit(f"{what}: the results differ\n{exc}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-naive", action="store_true", help="skip the whole-table pandas path (for 10M rows)")
    ap.add_argument("--db", help="reuse this generated DuckDB file (made if missing) instead of a temporary one")
    ap.add_argument("--generate-only", metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.rows)
        return

    folder = None if args.db else tempfile.mkdtemp(prefix="cockpit-bench-")
    path = args.db or os.path.join(folder, "bench.duckdb")
    try:
        measure(args, path)
    finally:
        if folder:  # a generated file of its own: 190 MB at 10M rows
            shutil.rmtree(folder, ignore_errors=True)


def measure(args, path: str) -> None:
    import pandas as pd
    import sqlalchemy as sa

    from lib.metrics import Request, load_catalog, run
    from lib.store import Store, TabInfo, utcnow

    if not os.path.exists(path):
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--generate-only", path], check=True)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
    print(f"machine: {machine()}")
    print(f"command: {' '.join(['python', 'bench/metrics_bench.py', *sys.argv[1:]])}")
    print(f"at start: {load()}")

    engine = sa.create_engine(f"duckdb:///{path}")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT count(*) FROM marketing_daily").scalar()
    store = Store(engine, 0, utcnow(), tabs={"marketing_daily": TabInfo(
        "marketing_daily", "bench", path, "duckdb", rows, 0, utcnow())})
    catalog = load_catalog()
    plan = queries()
    print(f"rows: {rows:,}; best of {args.repeat} after a warm-up\n")

    # phase 1: the metrics layer alone (each query twice), so the peak memory after it is its own
    layer_results = {}
    for name, kwargs, _, _ in plan:
        request = Request(**kwargs)
        run(store, catalog, request)
        layer_results[name] = run(store, catalog, request).frame
    layer_peak = peak_mb()

    # phase 2: timing, the metrics layer and the hand-written SQL (on a connection of the
    # same engine, fetched the same way) taking turns, so a busy moment on a shared machine
    # hits both alike
    raw = engine.raw_connection()
    duck = raw.driver_connection
    layer_times, hand_times = {}, {}
    for name, kwargs, sql, _ in plan:
        request = Request(**kwargs)
        cursor = duck.execute(sql)
        hand = pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description])
        same(layer_results[name], hand, f"{name}: metrics layer vs hand-written SQL")
        layer_times[name], hand_times[name] = best_of_turns(
            lambda: run(store, catalog, request), lambda: duck.execute(sql).fetchall(), args.repeat)
    raw.close()

    # phase 3: the naive path, once per query (each reads the whole table)
    naive_times = {}
    if not args.no_naive:
        for name, _, _, compute in plan:
            def naive_path(compute=compute):
                frame = pd.read_sql(sa.text("SELECT * FROM marketing_daily"), engine)
                frame["date"] = pd.to_datetime(frame["date"])
                return compute(frame)
            naive_times[name] = best_of(naive_path, 1)
            same(layer_results[name], naive_path(), f"{name}: metrics layer vs naive pandas")
    total_peak = peak_mb()

    print("| query | metrics layer | hand-written SQL | layer / hand | naive (pandas) | naive / layer |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, *_ in plan:
        layer, hand = layer_times[name], hand_times[name]
        slow = naive_times.get(name)
        naive_text = f"{slow * 1000:,.0f} ms | {slow / layer:,.0f}x" if slow else "not run | "
        print(f"| {name} | {layer * 1000:,.1f} ms | {hand * 1000:,.1f} ms | {layer / hand:.2f} | {naive_text} |")
    print(f"\npeak memory: {layer_peak:,.0f} MB after the metrics layer; {total_peak:,.0f} MB at the end")
    print(f"at end: {load()}\n")

    checks = [("metrics layer within 1.2x of hand-written SQL",
               all(layer_times[n] <= 1.2 * hand_times[n] for n in layer_times))]
    if naive_times:
        checks.append(("metrics layer at least 20x faster than naive",
                       all(naive_times[n] >= 20 * layer_times[n] for n in naive_times)))
    if rows >= 10_000_000:
        checks.append(("every query under 1 s", all(t < 1 for t in layer_times.values())))
        checks.append(("peak memory of the metrics layer under 1.5 GB", layer_peak < 1536))
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}: {text}")


if __name__ == "__main__":
    main()
