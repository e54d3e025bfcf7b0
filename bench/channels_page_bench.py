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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--journeys", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    folder = tempfile.mkdtemp(prefix="cockpit-channels-bench-")
    path = os.path.join(folder, "bench.duckdb")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "bench" / "metrics_bench.py"), "--rows", str(args.rows),
                    "--generate-only", path], check=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "attribution_bench.py"), "--journeys",
                    str(args.journeys), "--generate-only", path], check=True, capture_output=True)
    print(f"generated {args.rows:,} daily rows and {args.journeys:,} journeys in "
          f"{time.perf_counter() - started:.1f} s")

    os.environ["COCKPIT_DATA"] = f"duckdb:///{path}"
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from lib.i18n import t
    from lib.ui.channels import SECTIONS, TAB_KEY

    def render(section: str = "table") -> tuple[float, AppTest]:
        at = AppTest.from_file(str(ROOT / "pages" / "channels.py"), default_timeout=300)
        at.session_state["lang"] = "en"
        at.session_state[TAB_KEY] = t(f"channels.tab.{section}", "en")
        begin = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - begin
        if at.exception:
            raise SystemExit(f"the page failed: {[e.value for e in at.exception]}")
        return elapsed, at

    first, _ = render()  # loads the store (cache_resource) and fills the caches
    cold = []
    for _ in range(args.repeat):
        st.cache_data.clear()
        cold.append(render()[0])
    elapsed, at = render()
    cached = []
    for _ in range(args.repeat):
        begin = time.perf_counter()
        at.run()
        cached.append(time.perf_counter() - begin)
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
