"""'Why did this move': the explain decomposition of a KPI's change as waterfall steps,
and the KPI split by a dimension for the drill-down chart.

The waterfall starts at the previous period's value, adds each segment's part of the
change (the largest `top` parts, the rest summed into one step) and ends at the selected
period's value; the parts add up to the change (see docs/explain.md).
"""
from __future__ import annotations

import pandas as pd

from lib.metrics import Explanation, Request, explain, run
from lib.metrics.explain import SEGMENT_CHANGE
from lib.metrics.spec import Catalog
from lib.periods import Period
from lib.store import Store

Where = tuple[tuple[str, tuple[str, ...]], ...]
START, UP, DOWN, OTHERS, END = "start", "up", "down", "others", "end"


def why(store: Store, catalog: Catalog, metric: str, by: str, period: Period, where: Where) -> Explanation:
    return explain(store, catalog, metric, by, period.label, period.previous().label, tuple(where))


def waterfall(result: Explanation, top: int, others_label: str) -> pd.DataFrame | None:
    """Steps of the waterfall: step (label), kind, segment (the dimension's value or None),
    amount, base and top (the bar runs from base to top), in drawing order.

    None when the change cannot be split (a period without data, or a metric whose
    segments do not add up, such as an average)."""
    if result.total_change is None or result.method == SEGMENT_CHANGE:
        return None
    parts = result.contributions.dropna(subset=["contribution"])
    shown, rest = parts.iloc[:top], parts.iloc[top:]
    steps = [(result.vs, START, None, result.before)]
    steps += [(str(r[result.by]), UP if r["contribution"] >= 0 else DOWN, str(r[result.by]), r["contribution"])
              for _, r in shown.iterrows()]
    if len(rest):
        steps.append((others_label.format(n=len(rest)), OTHERS, None, rest["contribution"].sum()))
    steps.append((result.period, END, None, result.after))
    rows, running = [], 0.0
    for order, (label, kind, segment, amount) in enumerate(steps):
        if kind in (START, END):
            base, running = 0.0, amount
            rows.append((order, label, kind, segment, amount, base, amount))
            continue
        base, running = running, running + amount
        rows.append((order, label, kind, segment, amount, base, running))
    return pd.DataFrame(rows, columns=["order", "step", "kind", "segment", "amount", "base", "top"])


def breakdown(store: Store, catalog: Catalog, metric: str, by: str, period: Period, where: Where,
              limit: int = 15) -> tuple[pd.DataFrame, int]:
    """The metric per value of `by` in the period and the one before (one query), largest
    first, at most `limit` rows (a person reads no more); and how many were left out."""
    previous = period.previous()
    frame = run(store, catalog, Request((metric,), (by,), period.grain, previous.start, period.end,
                                        tuple(where))).frame
    frame = frame[frame[by].notna()]
    wide = frame.pivot(index=by, columns="period", values=metric)
    out = pd.DataFrame({
        by: wide.index.astype(str),
        "value": wide[period.label].to_numpy() if period.label in wide else float("nan"),
        "previous": wide[previous.label].to_numpy() if previous.label in wide else float("nan"),
    })
    out["change"] = out["value"] - out["previous"]
    out["change_pct"] = out["change"] / out["previous"].abs().where(out["previous"] != 0)
    out = out[out["value"].notna() | out["previous"].notna()]
    out = out.sort_values("value", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    return out.iloc[:limit], max(0, len(out) - limit)
