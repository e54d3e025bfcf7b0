"""Server-side render time of the weekly review on the 1M-row benchmark data, and the time
to write its .html and .xlsx report.

    .venv/bin/python bench/weekly_bench.py                # 1,000,000 rows of marketing_daily
    .venv/bin/python bench/weekly_bench.py --rows 200000 --repeat 5

marketing_daily is generated into a DuckDB file (bench/metrics_bench.py's generator) and
read live from there as a SQL source; the other tabs come from the sample data. The page
runs in Streamlit's AppTest as a director (every section, appraisal alerts included): once
to load the store, then with st.cache_data cleared (cold), again (cached rerun), and a step
to the next slide. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pagebench


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    pagebench.read_big_tabs_from(pagebench.generate(args.rows, "weekly-bench-"))
    import streamlit as st

    from lib.access import Viewer
    from lib.config import load_sources
    from lib.store import load_store
    from lib.weekly.report import report_bytes
    from lib.weekly.review import build_review, default_week, load_configs

    at = pagebench.page("weekly")
    print(f"first run (loads and checks the store, then renders): {pagebench.run(at):.2f} s")

    cold, cached, step = [], [], []
    for _ in range(args.repeat):
        st.cache_data.clear()
        cold.append(pagebench.run(at))
        cached.append(pagebench.run(at))
        started = time.perf_counter()
        at.button(key="weekly.next").click().run()
        step.append(time.perf_counter() - started)
        at.button(key="weekly.prev").click().run()
        assert not at.exception, [e.value for e in at.exception]
    week = at.selectbox(key="_w_weekly.week").value

    store = load_store(load_sources(Path(os.environ["COCKPIT_SOURCES"])))
    configs = load_configs()
    review = build_review(store, configs, default_week(store), Viewer("boss", "director", "E001"), "en")
    files = {}
    for suffix in (".html", ".xlsx"):
        started = time.perf_counter()
        size = len(report_bytes(review, configs, suffix))
        files[suffix] = (time.perf_counter() - started, size)

    print(f"\n| rows | week | cold cache (best of {args.repeat}) | cached rerun | next slide | .html | .xlsx |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    print(f"| {args.rows:,} | {week} | {min(cold):.2f} s | {min(cached):.3f} s | {min(step):.3f} s | "
          f"{files['.html'][0] * 1000:.0f} ms ({files['.html'][1] // 1024} KB) | "
          f"{files['.xlsx'][0] * 1000:.0f} ms ({files['.xlsx'][1] // 1024} KB) |")


if __name__ == "__main__":
    main()
