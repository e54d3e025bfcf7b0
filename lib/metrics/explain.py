"""Why did a metric move: its change between two periods split over a dimension's values.

Additive metrics (sums, counts, and derived metrics that only add, subtract and scale
them, such as revenue - spend): each segment's part is its own change; the parts sum to
the total change exactly. A segment with no rows in a period counts 0 there.

Ratio metrics (R = N / D: CAC = spend / new customers, CVR, ROI = (revenue - spend) /
spend, CPM = 1000 x spend / impressions): with segment d's share of the denominator
w_d = D_d / sum(D) and its own ratio r_d = N_d / D_d, the total is R = sum(w_d r_d). A
segment's part of the change R1 - R0 is

    part_d = (w1_d r1_d - w0_d r0_d) - R0 (w1_d - w0_d)
           = rate effect  w̄_d (r1_d - r0_d)         (its ratio moved)
           + mix effect   (r̄_d - R0) (w1_d - w0_d)  (its weight moved)

where w̄ and r̄ are the means of the two periods. The shares sum to 1 in each period, so
the R0 terms cancel and the parts sum to R1 - R0 exactly; subtracting R0 makes a mix
effect mean what people expect: more weight on a segment whose ratio is above the old
total raises the total. A segment with no denominator in one period (new, gone, or with
spend but no customer) has no ratio of its own there: its part (the first line above,
with r·w read as N_d / sum(D)) is all mix effect. See docs/explain.md for a worked example.
"""
from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.metrics.compiler import Request, check_request
from lib.metrics.engine import run
from lib.metrics.expr import evaluate_node
from lib.metrics.grains import parse_period
from lib.metrics.spec import Catalog
from lib.store import Store

ADDITIVE, RATE_MIX, SEGMENT_CHANGE = "additive", "rate_mix", "segment_change"


@dataclass
class Explanation:
    metric: str
    by: str
    period: str
    vs: str
    before: float | None
    after: float | None
    method: str
    contributions: pd.DataFrame  # by, before, after, change, contribution[, rate_effect, mix_effect]

    @property
    def total_change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def relative_change(self) -> float | None:
        if self.total_change is None or not self.before:
            return None
        return self.total_change / abs(self.before)

    def top(self) -> pd.Series | None:
        """The segment that moved the total most in the direction of the change."""
        parts = self.contributions.dropna(subset=["contribution"])
        if parts.empty or not self.total_change:
            return None
        signed = parts["contribution"] * np.sign(self.total_change)
        return parts.loc[signed.idxmax()]

    def to_json(self) -> dict:
        rows = []
        for _, r in self.contributions.iterrows():
            row = {self.by: r[self.by]}
            for key in ("before", "after", "change", "contribution", "rate_effect", "mix_effect"):
                if key in r:
                    row[key] = _num(r[key])
            rows.append(row)
        return {"metric": self.metric, "by": self.by, "period": self.period, "vs": self.vs,
                "method": self.method, "before": _num(self.before), "after": _num(self.after),
                "total_change": _num(self.total_change), "contributions": rows}


def _num(x):
    return None if x is None or pd.isna(x) else float(x)


def explain(store: Store, catalog: Catalog, metric: str, by: str, period: str, vs: str,
            where: tuple = ()) -> Explanation:
    (start1, end1), (start0, end0) = check_explain(catalog, metric, by, period, vs, where)
    ratio = _ratio_parts(catalog, metric)
    if catalog.additive(metric):
        return _explain_additive(store, catalog, metric, by, (start0, end0), (start1, end1), where, period, vs)
    if ratio is not None:
        return _explain_ratio(store, catalog, metric, by, ratio, (start0, end0), (start1, end1), where, period, vs)
    return _explain_segments(store, catalog, metric, by, (start0, end0), (start1, end1), where, period, vs)


def check_explain(catalog: Catalog, metric: str, by: str, period: str, vs: str, where: tuple = ()):
    """Refuse a request that cannot be answered before any data is read; returns the two
    periods' date ranges (period, vs)."""
    check_request(catalog, Request((metric,), (by,), None, None, None, tuple(where)))
    return parse_period(period)[1:], parse_period(vs)[1:]


def _ratio_parts(catalog: Catalog, metric: str):
    formula = catalog[metric].formula
    if formula is None:
        return None
    parts = formula.ratio_parts()
    if parts is None:
        return None
    numerator, denominator, _ = parts
    refs = {n.id for node in (numerator, denominator) for n in ast.walk(node) if isinstance(n, ast.Name)}
    return parts if all(catalog.additive(r) for r in refs) else None


def _segments(store, catalog, metrics, by, rng, where) -> pd.DataFrame:
    frame = run(store, catalog, Request(tuple(metrics), (by,), None, rng[0], rng[1], tuple(where))).frame
    frame[by] = frame[by].where(frame[by].notna(), "(blank)")
    return frame.set_index(by)


def _total(store, catalog, metric, rng, where) -> float | None:
    value = run(store, catalog, Request((metric,), (), None, rng[0], rng[1], tuple(where))).frame[metric].iloc[0]
    return None if pd.isna(value) else float(value)


def _explain_additive(store, catalog, metric, by, rng0, rng1, where, period, vs) -> Explanation:
    seg0, seg1 = _segments(store, catalog, [metric], by, rng0, where), _segments(store, catalog, [metric], by, rng1, where)
    parts = pd.DataFrame({"before": seg0[metric], "after": seg1[metric]}).fillna(0.0)  # no rows: nothing spent
    parts["change"] = parts["after"] - parts["before"]
    parts["contribution"] = parts["change"]
    before, after = _total(store, catalog, metric, rng0, where), _total(store, catalog, metric, rng1, where)
    return Explanation(metric, by, period, vs, before, after, ADDITIVE, _ordered(parts, by))


def _explain_ratio(store, catalog, metric, by, parts_spec, rng0, rng1, where, period, vs) -> Explanation:
    numerator, denominator, constant = parts_spec
    leaves = catalog.leaves(metric)
    seg0, seg1 = _segments(store, catalog, leaves, by, rng0, where), _segments(store, catalog, leaves, by, rng1, where)
    index = seg0.index.union(seg1.index)
    seg0, seg1 = seg0.reindex(index).fillna(0.0), seg1.reindex(index).fillna(0.0)
    n0, d0 = constant * evaluate_node(numerator, seg0), evaluate_node(denominator, seg0)
    n1, d1 = constant * evaluate_node(numerator, seg1), evaluate_node(denominator, seg1)
    total0, total1 = d0.sum(), d1.sum()
    r_before = n0.sum() / total0 if total0 else None
    r_after = n1.sum() / total1 if total1 else None
    out = pd.DataFrame(index=index)
    out["before"] = (n0 / d0.where(d0 != 0)).astype(float)
    out["after"] = (n1 / d1.where(d1 != 0)).astype(float)
    out["change"] = out["after"] - out["before"]
    if r_before is None or r_after is None:
        out["contribution"] = out["rate_effect"] = out["mix_effect"] = np.nan
    else:
        w0, w1 = d0 / total0, d1 / total1
        both = (d0 != 0) & (d1 != 0)
        # A segment in both periods: rate + mix (a segment that did not move gives exactly 0).
        rate = ((w0 + w1) / 2) * (out["after"] - out["before"])
        mix = ((out["before"] + out["after"]) / 2 - r_before) * (w1 - w0)
        # New, gone or without a denominator: no rate of its own, its whole part is mix.
        alone = (n1 / total1 - n0 / total0) - r_before * (w1 - w0)
        out["rate_effect"] = rate.where(both, 0.0)
        out["mix_effect"] = mix.where(both, alone)
        out["contribution"] = out["rate_effect"] + out["mix_effect"]
    return Explanation(metric, by, period, vs, r_before, r_after, RATE_MIX, _ordered(out, by))


def _explain_segments(store, catalog, metric, by, rng0, rng1, where, period, vs) -> Explanation:
    """Averages, distinct counts and other metrics: each segment's own change, which need
    not add up to the total change."""
    seg0, seg1 = _segments(store, catalog, [metric], by, rng0, where), _segments(store, catalog, [metric], by, rng1, where)
    parts = pd.DataFrame({"before": seg0[metric], "after": seg1[metric]})
    parts["change"] = parts["after"] - parts["before"]
    parts["contribution"] = np.nan
    before, after = _total(store, catalog, metric, rng0, where), _total(store, catalog, metric, rng1, where)
    return Explanation(metric, by, period, vs, before, after, SEGMENT_CHANGE, _ordered(parts, by))


def _ordered(parts: pd.DataFrame, by: str) -> pd.DataFrame:
    parts = parts.rename_axis(by).reset_index()
    key = parts["contribution"].abs() if parts["contribution"].notna().any() else parts["change"].abs()
    return parts.assign(_k=key.fillna(-1)).sort_values("_k", ascending=False, kind="stable").drop(columns="_k") \
        .reset_index(drop=True)


def period_dates(label: str) -> tuple[dt.date, dt.date]:
    return parse_period(label)[1:]
