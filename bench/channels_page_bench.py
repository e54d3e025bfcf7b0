"""Benchmark of the channel comparison page on big data, rendered server-side with AppTest.

    .venv/bin/python bench/channels_page_bench.py                  # 1,000,000 daily rows, 100,000 journeys
    .venv/bin/python bench/channels_page_bench.py --rows 10000000 --journeys 1000000

Generates marketing_daily (bench/metrics_bench.py) and touchpoints/conversions
(bench/attribution_bench.py) into one DuckDB file, points the app at it (COCKPIT_DATA, a
SQL source: the data stays in the file), and times pages/channels.py:
- the store's first load (reading the file's schema and checking its rows: once per refresh),
- the page with a cold cache (st.cache_data cleared, the store already loaded),
- a cached rerun (same selection),
- each tab opened with a cold cache (only the open tab is computed).
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os

import pagebench


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--journeys", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    db = pagebench.generate(args.rows, "cockpit-channels-bench-", journeys=args.journeys)
    os.environ["COCKPIT_DATA"] = f"duckdb:///{db}"  # every tab from the file
    import streamlit as st

    from lib.i18n import t
    from lib.ui.channels import SECTIONS, TAB_KEY

    def render(section: str = "table") -> tuple[float, object]:
        at = pagebench.page("channels", {TAB_KEY: t(f"channels.tab.{section}", "en")})
        return pagebench.run(at), at

    first, _ = render()  # loads the store (cache_resource) and fills the caches
    cold = []
    for _ in range(args.repeat):
        st.cache_data.clear()
        cold.append(render()[0])
    elapsed, at = render()
    cached = []
    for _ in range(args.repeat):
        cached.append(pagebench.run(at))
    print("\n| run | time |\n|---|---:|")
    print(f"| first visit: store load (schema, row checks) + page | {first:.2f} s |")
    print(f"| page, cold cache (best of {args.repeat}) | {min(cold):.2f} s |")
    print(f"| page, cached rerun (best of {args.repeat}) | {min(cached):.2f} s |")
    for section in SECTIONS[1:]:
        times = []
        for _ in range(args.repeat):
            st.cache_data.clear()
            times.append(render(section)[0])
        print(f"| page with the {section} tab open, cold cache (best of {args.repeat}) | {min(times):.2f} s |")


if __name__ == "__main__":
    main()
