"""Benchmark of attribution: every model (Markov included) over generated journeys.

    .venv/bin/python bench/attribution_bench.py                    # 100,000 journeys
    .venv/bin/python bench/attribution_bench.py --journeys 1000000

Journeys (1-8 touches over the 12 sample channels, about 1 in 4 converting) are generated
into a DuckDB file in a child process, so this process's peak memory measures the
attribution only. Prints the time of one cold run (all six models in one pass over the
touches) and of one run restricted to a month. Not part of the test suite.
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
FIRST = dt.datetime(2025, 5, 1)


def generate(path: str, journeys: int, chunk: int = 200_000) -> int:
    """Write journeys into touchpoints and conversions tables of a DuckDB file; return touches."""
    import duckdb
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(11)
    con = duckdb.connect(path)
    con.execute("CREATE TABLE touchpoints (journey_id VARCHAR, ts TIMESTAMP, channel VARCHAR, _row INTEGER)")
    con.execute("CREATE TABLE conversions (journey_id VARCHAR, converted_at TIMESTAMP, value DOUBLE, _row INTEGER)")
    done = touches = 0
    while done < journeys:
        n = min(chunk, journeys - done)
        ids = np.array([f"J{i:08d}" for i in range(done, done + n)], dtype=object)
        lengths = rng.integers(1, 9, n)
        rows = int(lengths.sum())
        start = rng.integers(0, 540 * 86_400, n)
        gaps = rng.integers(0, 5 * 86_400, rows)
        journey = np.repeat(np.arange(n), lengths)
        offsets = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[np.r_[0, np.cumsum(lengths)[:-1]]] -
                                              gaps[np.r_[0, np.cumsum(lengths)[:-1]]], lengths)
        seconds = start[journey] + offsets
        frame = pd.DataFrame({
            "journey_id": ids[journey],
            "ts": pd.Timestamp(FIRST) + pd.to_timedelta(seconds, unit="s"),
            "channel": np.array(CHANNELS, dtype=object)[rng.integers(0, len(CHANNELS), rows)],
            "_row": np.arange(touches + 2, touches + 2 + rows),
        })
        last = np.cumsum(lengths) - 1
        won = rng.random(n) < 0.25
        conv = pd.DataFrame({
            "journey_id": ids[won],
            "converted_at": frame["ts"].to_numpy()[last[won]] + pd.to_timedelta(rng.integers(0, 86_400, won.sum()), "s"),
            "value": rng.gamma(2.0, 3000.0, won.sum()).round(2),
            "_row": np.arange(done + 2, done + 2 + won.sum()),
        })
        con.register("t", frame)
        con.execute("INSERT INTO touchpoints SELECT * FROM t")
        con.register("c", conv)
        con.execute("INSERT INTO conversions SELECT * FROM c")
        con.unregister("t")
        con.unregister("c")
        done += n
        touches += rows
    con.close()
    return touches


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--journeys", type=int, default=100_000)
    ap.add_argument("--generate-only", metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_only:
        print(generate(args.generate_only, args.journeys))
        return

    import sqlalchemy as sa

    from lib.attribution import attribute
    from lib.store import Store, TabInfo, utcnow

    folder = tempfile.mkdtemp(prefix="cockpit-attr-bench-")
    path = os.path.join(folder, "bench.duckdb")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--journeys", str(args.journeys), "--generate-only", path],
                          check=True, capture_output=True, text=True)
    touches = int(done.stdout.strip())
    print(f"generated {args.journeys:,} journeys, {touches:,} touches in {time.perf_counter() - started:.1f} s")
    engine = sa.create_engine(f"duckdb:///{path}")
    tabs = {t: TabInfo(t, "bench", path, "duckdb", 0, 0, utcnow()) for t in ("touchpoints", "conversions")}
    store = Store(engine, 0, utcnow(), tabs=tabs)

    started = time.perf_counter()
    result = attribute(store)
    every = time.perf_counter() - started
    started = time.perf_counter()
    attribute(store, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30))
    month = time.perf_counter() - started
    print("\n| run | journeys | touches | time |\n|---|---:|---:|---:|")
    print(f"| all six models, every journey | {result.journeys:,} | {result.touches:,} | {every:.2f} s |")
    print(f"| all six models, journeys ending in one month | | | {month:.2f} s |")
    print(f"\nconverted journeys: {result.converted:,}; peak memory: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    engine.dispose()


if __name__ == "__main__":
    main()
