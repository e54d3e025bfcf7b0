"""What the page benchmarks share: big generated data in a DuckDB file, the app pointed at
it, and a page in AppTest opened by a signed-in director (every page starts with the role
guard, so a page run without a viewer would time only the refusal)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(rows: int, prefix: str, journeys: int = 0) -> Path:
    """marketing_daily (bench/metrics_bench.py's generator), and with `journeys` the
    touchpoints and conversions (bench/attribution_bench.py's), in a new DuckDB file; each
    generator runs in a child process, so this process's memory is the app's alone."""
    db = Path(tempfile.mkdtemp(prefix=prefix)) / "bench.duckdb"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "bench" / "metrics_bench.py"), "--rows", str(rows),
                    "--generate-only", str(db)], check=True)
    if journeys:
        subprocess.run([sys.executable, str(ROOT / "bench" / "attribution_bench.py"), "--journeys",
                        str(journeys), "--generate-only", str(db)], check=True, capture_output=True)
    print(f"generated {rows:,} daily rows{f' and {journeys:,} journeys' if journeys else ''} "
          f"in {time.perf_counter() - started:.1f} s")
    return db


def read_big_tabs_from(db: Path, tabs: tuple[str, ...] = ("marketing_daily",)) -> Path:
    """Point the app at the file for `tabs`, read live as a SQL source, and at the sample
    data for every other tab."""
    sources = db.parent / "sources.yaml"
    sources.write_text(f"""
default: sample
sources:
  sample: {{kind: csv, path: {ROOT / 'sample_data' / 'csv'}}}
  bench: {{kind: sql, url: "duckdb:///{db}"}}
tabs: {{{', '.join(f'{tab}: bench' for tab in tabs)}}}
""", encoding="utf-8")
    os.environ["COCKPIT_SOURCES"] = str(sources)
    os.environ.pop("COCKPIT_DATA", None)
    return sources


def page(name: str, session: dict | None = None):
    """pages/<name>.py in AppTest, in English, as the sample data's director."""
    from streamlit.testing.v1 import AppTest

    from lib.access import Viewer

    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=600)
    at.session_state["lang"] = "en"
    at.session_state["viewer"] = Viewer("e001", "director", "E001")
    for key, value in (session or {}).items():
        at.session_state[key] = value
    return at


def run(at) -> float:
    """Seconds one run of the page takes; a page that fails or refuses stops the benchmark."""
    from lib.i18n import t

    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    refused = {t("auth.page_refused", "en"), t("auth.sign_in_first", "en")} & {e.value for e in at.error}
    if at.exception or refused:
        raise SystemExit(f"the page did not render: {[e.value for e in at.exception] or refused}")
    return elapsed
