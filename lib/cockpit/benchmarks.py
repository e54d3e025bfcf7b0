"""Actuals against the benchmarks tab (else the catalogue's benchmark), with the gap.

The metrics benchmarked are those named in the benchmarks tab plus those with a
`benchmark` in config/metrics.yaml. The gap is actual - benchmark; `verdict` says
whether that is better or worse for the business given the metric's direction.
"""
from __future__ import annotations

import pandas as pd

from lib.cockpit.compare import verdict
from lib.metrics import Request, benchmark_for, run
from lib.metrics.spec import Catalog
from lib.periods import Period
from lib.store import Store

Where = tuple[tuple[str, tuple[str, ...]], ...]


def benchmarked(store: Store, catalog: Catalog) -> tuple[list[str], list[str]]:
    """(metrics with a benchmark, names in the benchmarks tab that are no metric)."""
    named = []
    if store.has("benchmarks"):
        named = [str(m) for m in store.read("benchmarks", ["metric"])["metric"].dropna().unique()]
    unknown = [m for m in named if m not in catalog]
    metrics = [m for m in named if m in catalog]
    metrics += [m for m, spec in catalog.metrics.items() if spec.benchmark is not None and m not in metrics]
    return metrics, unknown


def benchmark_rows(store: Store, catalog: Catalog, period: Period, where: Where) -> tuple[pd.DataFrame, list[str]]:
    """metric, actual, benchmark, source, gap, gap_pct, verdict; and unknown metric names."""
    metrics, unknown = benchmarked(store, catalog)
    filters = {dim for dim, _ in where}
    # A metric that cannot be filtered like the page (or whose tab is missing) is left out
    # rather than shown unfiltered next to filtered ones.
    usable = tuple(m for m in metrics if filters <= catalog.dimensions(m)
                   and all(store.has(catalog[leaf].tab) for leaf in catalog.leaves(m)))
    actual = {}
    if usable:
        frame = run(store, catalog, Request(usable, (), None, period.start, period.end, tuple(where))).frame
        actual = {m: frame[m].iloc[0] for m in usable}
    rows = []
    for metric in usable:
        bench, source = benchmark_for(store, catalog, metric)
        value = actual.get(metric)
        gap = value - bench if value is not None and not pd.isna(value) and bench is not None else float("nan")
        rows.append({"metric": metric, "actual": value, "benchmark": bench, "source": source, "gap": gap,
                     "gap_pct": gap / abs(bench) if bench else float("nan"),
                     "verdict": verdict(gap, catalog[metric].direction)})
    frame = pd.DataFrame(rows, columns=["metric", "actual", "benchmark", "source", "gap", "gap_pct", "verdict"])
    frame["verdict"] = pd.Series([r["verdict"] for r in rows], dtype=object)  # None stays None
    return frame, unknown
