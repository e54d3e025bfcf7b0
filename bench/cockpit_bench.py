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
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cockpit-page-bench-"))
    db = folder / "bench.duckdb"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "bench" / "metrics_bench.py"), "--rows", str(args.rows),
                    "--generate-only", str(db)], check=True)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
    sources = folder / "sources.yaml"
    sources.write_text(f"""
default: sample
sources:
  sample: {{kind: csv, path: {ROOT / 'sample_data' / 'csv'}}}
  bench: {{kind: sql, url: "duckdb:///{db}"}}
tabs: {{marketing_daily: bench}}
""", encoding="utf-8")
    os.environ["COCKPIT_SOURCES"] = str(sources)
    os.environ.pop("COCKPIT_DATA", None)

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "cockpit.py"), default_timeout=600)
    at.session_state["lang"] = "en"
    started = time.perf_counter()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    print(f"first run (loads and checks the store, then renders): {time.perf_counter() - started:.2f} s")

    cold, cached = [], []
    for _ in range(args.repeat):
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        at.run()
        cached.append(time.perf_counter() - started)
        assert not at.exception, [e.value for e in at.exception]
    spend = next(m.value for m in at.metric if m.label.endswith("Spend"))
    print(f"\n| rows | cold cache (best of {args.repeat}) | cached rerun (best of {args.repeat}) | spend tile |")
    print("|---:|---:|---:|---:|")
    print(f"| {args.rows:,} | {min(cold):.2f} s | {min(cached):.3f} s | {spend} |")


if __name__ == "__main__":
    main()
