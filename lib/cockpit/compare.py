"""Week over week and month over month: each KPI in the latest complete week and month of
the selection against the week and month before.

Whatever grain the picker shows, the director also sees the two rhythms of the
business: the weekly meeting's week and the monthly report's month, both as of the end
of the selected period (a week picked in mid-October compares September with August,
because October is not complete yet on that day).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.metrics import Request, run
from lib.metrics.spec import Catalog
from lib.periods import last_complete
from lib.store import Store

Where = tuple[tuple[str, tuple[str, ...]], ...]
BASES = (("week", "wow"), ("month", "mom"))


def verdict(change, direction: str) -> str | None:
    """better / worse / flat for the business, None when good is not a direction (spend)."""
    if change is None or pd.isna(change) or direction == "neutral":
        return None
    if change == 0:
        return "flat"
    better = change > 0 if direction == "higher_is_better" else change < 0
    return "better" if better else "worse"


def period_over_period(store: Store, catalog: Catalog, metrics: tuple[str, ...], as_of: dt.date,
                       where: Where) -> pd.DataFrame:
    """One row per (basis, metric): basis (wow / mom), metric, period, vs, value, previous,
    change, change_pct, verdict. One query per basis."""
    rows = []
    for grain, basis in BASES:
        current = last_complete(grain, as_of)
        before = current.previous()
        frame = run(store, catalog, Request(metrics, (), grain, before.start, current.end, tuple(where))).frame
        frame = frame.set_index("period").reindex([before.label, current.label])
        for metric in metrics:
            value, previous = frame.at[current.label, metric], frame.at[before.label, metric]
            change = value - previous
            rows.append({
                "basis": basis, "metric": metric, "period": current.label, "vs": before.label,
                "value": value, "previous": previous, "change": change,
                "change_pct": change / abs(previous) if previous and not pd.isna(previous) else float("nan"),
                "verdict": verdict(change, catalog[metric].direction),
            })
    frame = pd.DataFrame(rows)
    # An object column keeps None (no verdict) as None; a text column would make it NaN.
    frame["verdict"] = pd.Series([r["verdict"] for r in rows], dtype=object)
    return frame
