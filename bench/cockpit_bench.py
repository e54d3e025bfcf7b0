"""Server-side render time of the cockpit page on the 1M-row benchmark data.

    .venv/bin/python bench/cockpit_bench.py               # 1,000,000 rows of marketing_daily
    .venv/bin/python bench/cockpit_bench.py --rows 200000 --repeat 5

marketing_daily is generated into a DuckDB file (bench/metrics_bench.py's generator) and
read live from there as a SQL source, the other tabs come from the sample data. The page
runs in Streamlit's AppTest (the whole script, every query, every chart spec): once to
load the store, then with st.cache_data cleared (cold) and again (cached rerun).
Targets from issue 4: cold at most 2 s, cached at most 0.3 s. Not part of the test suite.
"""
from __future__ import annotations

import argparse

import pagebench


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    pagebench.read_big_tabs_from(pagebench.generate(args.rows, "cockpit-page-bench-"))
    import streamlit as st

    at = pagebench.page("cockpit")
    print(f"first run (loads and checks the store, then renders): {pagebench.run(at):.2f} s")

    cold, cached = [], []
    for _ in range(args.repeat):
        st.cache_data.clear()
        cold.append(pagebench.run(at))
        cached.append(pagebench.run(at))
    spend = next(m.value for m in at.metric if m.label.endswith("Spend"))
    print(f"\n| rows | cold cache (best of {args.repeat}) | cached rerun (best of {args.repeat}) | spend tile |")
    print("|---:|---:|---:|---:|")
    print(f"| {args.rows:,} | {min(cold):.2f} s | {min(cached):.3f} s | {spend} |")


if __name__ == "__main__":
    main()
