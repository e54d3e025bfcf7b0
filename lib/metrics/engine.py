"""Running requests: aggregate each tab where it lives, combine the small results,
compute ratio and derived metrics from the aggregated inputs, add comparisons, targets
and status."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from lib.metrics.compiler import PERIOD, CompiledQuery, Request, check_request, compile_tab, describe
from lib.metrics.expr import divide
from lib.metrics.grains import previous_range, year_ago_range
from lib.metrics.spec import Catalog
from lib.store import MissingTabError, Store


@dataclass
class Result:
    frame: pd.DataFrame  # [period], *by, *metrics
    queries: list[CompiledQuery]
    description: str


def run(store: Store, catalog: Catalog, request: Request) -> Result:
    check_request(catalog, request)
    groups = _leaves_by_tab(catalog, request.metrics)
    missing = sorted({tab for tab, _ in groups if not store.has(tab)})
    if missing:
        raise MissingTabError(missing, list(request.metrics))
    queries = [compile_tab(catalog, store.relation(tab), leaves, time, request)
               for (tab, time), leaves in groups.items()]
    keys, values = _combine([_execute(store, q) for q in queries], request.keys())
    for name in _in_dependency_order(catalog, request.metrics):
        if name not in values:
            formula = catalog[name].formula
            with np.errstate(invalid="ignore", divide="ignore"):
                values[name] = np.asarray(formula.evaluate({c: values[c] for c in formula.names}), dtype="float64")
    columns = {**keys}
    for name in request.metrics:
        column = np.array(values[name], dtype="float64", copy=True)
        column[np.isinf(column)] = np.nan
        columns[name] = column
    return Result(pd.DataFrame(columns), queries, describe(catalog, request))


def _leaves_by_tab(catalog: Catalog, metrics) -> dict[tuple[str, str], list[str]]:
    groups: dict[tuple[str, str], list[str]] = {}
    for name in metrics:
        for leaf in catalog.leaves(name):
            m = catalog[leaf]
            bucket = groups.setdefault((m.tab, m.time_column), [])
            if leaf not in bucket:
                bucket.append(leaf)
    return groups


def _execute(store: Store, query: CompiledQuery) -> tuple[list[str], list[tuple]]:
    engine = store.relation(query.tab).engine
    with engine.connect() as conn:
        rows = conn.execute(query.statement)
        return list(rows.keys()), rows.fetchall()


def _combine(results: list[tuple[list[str], list[tuple]]], keys: list[str]):
    """Key columns (lists) and base metric values (float arrays; None -> NaN) of all queries.

    One query (the common case) needs no join; several (metrics from different tabs) are
    outer-joined on the group keys, which are small aggregated results.
    """
    frames = []
    for names, rows in results:
        columns = list(zip(*rows)) if rows else [[] for _ in names]
        frame = {n: list(c) for n, c in zip(names, columns)}
        for n in names[len(keys):]:
            frame[n] = np.array(frame[n], dtype="float64")  # Decimal, int and None alike
        frames.append(frame)
    if len(frames) == 1 or not keys:
        merged = {k: v for f in frames for k, v in f.items()}
        return {k: merged[k] for k in keys}, {k: v for k, v in merged.items() if k not in keys}
    combined = None
    for f in frames:
        df = pd.DataFrame(f)
        df[keys] = df[keys].astype(object).where(df[keys].notna(), None)
        combined = df if combined is None else combined.merge(df, on=keys, how="outer")
    combined = combined.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)
    return ({k: combined[k].tolist() for k in keys},
            {c: combined[c].to_numpy(dtype="float64") for c in combined.columns if c not in keys})


def _in_dependency_order(catalog: Catalog, metrics) -> list[str]:
    order: list[str] = []

    def visit(name: str) -> None:
        for ref in catalog[name].inputs:
            visit(ref)
        if name not in order:
            order.append(name)

    for name in metrics:
        visit(name)
    return order


# ---------------------------------------------------------------------------------------
# comparisons


def compare(store: Store, catalog: Catalog, request: Request) -> pd.DataFrame:
    """Value, previous period and the same period a year before, with absolute and relative change.

    Columns per metric m: m, m_prev, m_prev_change, m_prev_pct, m_yoy, m_yoy_change, m_yoy_pct.
    """
    if request.start is None or request.end is None:
        raise ValueError("a comparison needs a start and an end date")
    flat = Request(request.metrics, request.by, None, request.start, request.end, request.where)
    current = run(store, catalog, flat).frame
    prev = run(store, catalog, flat.with_range(*previous_range(request.start, request.end))).frame
    yoy = run(store, catalog, flat.with_range(*year_ago_range(request.start, request.end))).frame
    keys = list(request.by)
    out = current
    for suffix, other in (("prev", prev), ("yoy", yoy)):
        renamed = other.rename(columns={m: f"{m}_{suffix}" for m in request.metrics})
        out = out.merge(renamed, on=keys, how="left") if keys else pd.concat([out, renamed], axis=1)
        for m in request.metrics:
            before = out[f"{m}_{suffix}"]
            out[f"{m}_{suffix}_change"] = out[m] - before
            out[f"{m}_{suffix}_pct"] = divide(out[m] - before, before.abs())
    return out


# ---------------------------------------------------------------------------------------
# status


def status(value, target, direction: str, thresholds) -> str | None:
    """green / amber / red against a target, or None when either is missing.

    Higher is better: green when value >= green x target, amber when >= amber x target.
    Lower is better: green when value <= green x target, amber when <= amber x target.
    """
    if thresholds is None or value is None or target is None or pd.isna(value) or pd.isna(target):
        return None
    if direction == "higher_is_better":
        if value >= thresholds.green * target:
            return "green"
        return "amber" if value >= thresholds.amber * target else "red"
    if value <= thresholds.green * target:
        return "green"
    return "amber" if value <= thresholds.amber * target else "red"
