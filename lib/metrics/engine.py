"""Running requests: aggregate each tab where it lives, combine the small results,
compute ratio and derived metrics from the aggregated inputs, add comparisons and status.

Only aggregated rows (one per group) leave a database. They are combined here, in the
same way whatever the databases: group keys as text (None for a blank), rows sorted by
key with blanks last, so DuckDB, PostgreSQL and MariaDB give identical results.
"""
from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from lib.metrics.compiler import (CompiledQuery, Request, RequestError, check_request, compile_tab,
                                  describe, spreads_over_days)
from lib.metrics.expr import divide
from lib.metrics.grains import label_of, parse_period, previous_range, year_ago_range
from lib.metrics.spec import Catalog
from lib.store import MissingTabError, Relation, Store


@dataclass
class Result:
    frame: pd.DataFrame  # [period], *by, *metrics
    queries: list[CompiledQuery]
    description: str


# A query's result: group key -> base metric values (None where SQL gave NULL).
Groups = dict[tuple, list]


def run(store: Store, catalog: Catalog, request: Request) -> Result:
    check_request(catalog, request)
    plan = _leaves_by_query(catalog, request.metrics)
    missing = sorted({tab for tab, _, _ in plan if not store.has(tab)})
    if missing:
        raise MissingTabError(missing, list(request.metrics))
    queries = _compile(catalog, request, lambda tab: _relation(store, tab), plan)
    keys, values = _combine([(q.leaves, _execute(store, catalog, q, request)) for q in queries],
                            one_row=not request.keys())
    with np.errstate(invalid="ignore", divide="ignore"):
        for name in _in_dependency_order(catalog, request.metrics):
            if name not in values:
                formula = catalog[name].formula
                values[name] = np.asarray(formula.evaluate({c: values[c] for c in formula.names}), dtype="float64")
    columns = {name: [k[i] for k in keys] for i, name in enumerate(request.keys())}
    for name in request.metrics:
        column = np.array(values[name], dtype="float64", copy=True)
        column[np.isinf(column)] = np.nan
        columns[name] = column
    return Result(pd.DataFrame(columns), queries, describe(catalog, request))


def _relation(store: Store, tab: str) -> Relation:
    """store.relation(tab), made once per load (a reload is a new Store)."""
    key = ("relation", tab)
    if key not in store.memo:
        store.memo[key] = store.relation(tab)
    return store.memo[key]


def compile_request(catalog: Catalog, request: Request, relation_of: Callable[[str], Relation]) -> list[CompiledQuery]:
    """The SELECTs a request needs, one per tab (and time column): `relation_of(tab)` says
    where each tab lives, so the same request compiles for any database."""
    check_request(catalog, request)
    return _compile(catalog, request, relation_of, _leaves_by_query(catalog, request.metrics))


def _compile(catalog: Catalog, request: Request, relation_of, plan) -> list[CompiledQuery]:
    return [compile_tab(catalog, relation_of(tab), leaves, time, request, spread)
            for (tab, time, spread), leaves in plan.items()]


def _leaves_by_query(catalog: Catalog, metrics) -> dict[tuple[str, str, bool], list[str]]:
    """Base metrics grouped by the query that computes them: (tab, time column, spread).
    The same for every request of these metrics: remembered (and never changed)."""
    return catalog.remember(("plan", tuple(metrics)), lambda: _plan(catalog, metrics))


def _plan(catalog: Catalog, metrics) -> dict[tuple[str, str, bool], list[str]]:
    plan: dict[tuple[str, str, bool], list[str]] = {}
    for name in metrics:
        for leaf in catalog.leaves(name):
            m = catalog[leaf]
            bucket = plan.setdefault((m.tab, m.time_column, spreads_over_days(m)), [])
            if leaf not in bucket:
                bucket.append(leaf)
    return plan


def _execute(store: Store, catalog: Catalog, query: CompiledQuery, request: Request) -> Groups:
    rows = _fetch(_relation(store, query.tab).engine, catalog, query)
    n_keys = len(rows[0]) - len(query.leaves) if rows else 0
    if query.spread_months:
        return _spread_months(rows, request)
    return {tuple(_key(v) for v in row[:n_keys]): list(row[n_keys:]) for row in rows}


def _fetch(engine, catalog: Catalog, query: CompiledQuery) -> list[tuple]:
    """The rows of a query. On DuckDB (in-process, so per-call overhead is much of the time
    of a small query) the SQL text goes straight to the driver's cursor: no transaction, no
    result processing, still with bound parameters; for the embedded database the text is
    compiled once per query shape. Elsewhere, SQLAlchemy executes the statement."""
    if query.dialect.name != "duckdb":
        with engine.connect() as conn:
            return conn.execute(query.statement).fetchall()
    sql, takes = _duckdb_sql(catalog, query) if query.location == "duckdb" else _positional(query)
    return _duckdb_cursor(engine).execute(sql, [take(query.values) for take in takes]).fetchall()


def _duckdb_sql(catalog: Catalog, query: CompiledQuery):
    """SQL text and parameter getters, remembered by the catalogue (a new catalogue starts
    afresh) for the query's shape, which fixes every identifier of the SQL."""
    return catalog.remember(("duckdb_sql", query.shape), lambda: _positional(query))


def _positional(query: CompiledQuery):
    """The statement as DuckDB SQL text with $1, $2 … and, for each, how to take its value
    from a request's values: an IN list is expanded to one parameter per item
    (where_channel_1, where_channel_2 …); a constant of the catalogue (a metric filter's
    value) is kept as compiled."""
    compiled = query.statement.compile(dialect=query.dialect, compile_kwargs={"render_postcompile": True})
    takes = []
    for name in compiled.positiontup:
        base, _, index = name.rpartition("_")
        if name in query.values:
            takes.append(lambda values, name=name: values[name])
        elif base in query.values and index.isdigit():
            takes.append(lambda values, base=base, i=int(index) - 1: values[base][i])
        else:
            takes.append(lambda values, constant=compiled.params[name]: constant)
    return str(compiled), takes


_thread = threading.local()


def _duckdb_cursor(engine):
    """This thread's own connection to the engine's DuckDB database.

    DuckDB's `duplicate()` opens another connection to the same database, outside the pool,
    so threads (Streamlit sessions) never share one and the pool is never drained. It is
    kept per thread and per engine, weakly: when a reload replaces the store and nothing
    uses its engine any more, the connection goes with it and the database is freed.
    """
    cursors = getattr(_thread, "duckdb", None)
    if cursors is None:
        cursors = _thread.duckdb = weakref.WeakKeyDictionary()
    cursor = cursors.get(engine)
    if cursor is None:
        pooled = engine.raw_connection()
        try:
            cursor = cursors[engine] = pooled.driver_connection.duplicate()  # DuckDB API (the wrapper's cursor() is not)
        finally:
            pooled.close()
    return cursor


def _key(value):
    """Group keys as text, so an id stored as a number in one database and as text in
    another (or a sheet) still joins and prints the same."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _spread_months(rows, request: Request) -> Groups:
    """Spread each month's amounts evenly over its days, then sum the days that fall in
    [start, end] per period label (or in all, without a grain)."""
    out: Groups = {}
    for month, *rest in rows:
        if month is None:
            continue
        dims, amounts = tuple(_key(v) for v in rest[:len(request.by)]), rest[len(request.by):]
        _, first, last = parse_period(str(month))
        lo, hi = max(first, request.start or first), min(last, request.end or last)
        if lo > hi:
            continue
        days_in_month = (last - first).days + 1
        span = [lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)]
        days = Counter(label_of(d, request.grain) for d in span) if request.grain else {None: len(span)}
        for label, n in days.items():
            key = ((label,) if request.grain else ()) + dims
            acc = out.setdefault(key, [None] * len(amounts))
            for i, amount in enumerate(amounts):
                if amount is not None:
                    share = float(amount) * n / days_in_month
                    acc[i] = share if acc[i] is None else acc[i] + share
    return out


def _sort_key(key: tuple) -> tuple:
    """Blanks (None, or NaN once in a DataFrame) sort last."""
    return tuple((True, "") if v is None or v != v else (False, v) for v in key)


def _combine(results: list[tuple[list[str], Groups]], one_row: bool) -> tuple[list[tuple], dict[str, np.ndarray]]:
    """Sorted group keys and each base metric as a float array (NaN where NULL or where a
    query has no row for the group: metrics from different tabs are outer-joined).
    Without group keys the answer is one row, even when nothing matched."""
    keys = [()] if one_row else sorted({k for _, groups in results for k in groups}, key=_sort_key)
    values: dict[str, np.ndarray] = {}
    for leaves, groups in results:
        for i, leaf in enumerate(leaves):
            values[leaf] = np.array([_number(groups[k][i]) if k in groups else np.nan for k in keys],
                                    dtype="float64")
    return keys, values


def _number(value) -> float:
    return np.nan if value is None else float(value)  # Decimal, int and float alike


def _in_dependency_order(catalog: Catalog, metrics) -> list[str]:
    return catalog.remember(("order", tuple(metrics)), lambda: _dependency_order(catalog, metrics))


def _dependency_order(catalog: Catalog, metrics) -> list[str]:
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
    Relative change is the change over the absolute earlier value (null when that is 0 or
    missing). A segment present in only one of the periods keeps its row, with the other
    period's value missing (never 0).
    """
    if request.start is None or request.end is None:
        raise RequestError("a comparison needs a start and an end date")
    if request.grain:
        raise RequestError("a comparison is of one period with the one before; ask without a grain")
    current = run(store, catalog, request).frame
    prev = run(store, catalog, request.with_range(*previous_range(request.start, request.end))).frame
    yoy = run(store, catalog, request.with_range(*year_ago_range(request.start, request.end))).frame
    keys = list(request.by)
    out = current
    for suffix, other in (("prev", prev), ("yoy", yoy)):
        renamed = other.rename(columns={m: f"{m}_{suffix}" for m in request.metrics})
        if keys:
            out = out.merge(renamed, on=keys, how="outer" if suffix == "prev" else "left")
        else:
            out = pd.concat([out, renamed], axis=1)
        for m in request.metrics:
            before = out[f"{m}_{suffix}"]
            out[f"{m}_{suffix}_change"] = out[m] - before
            out[f"{m}_{suffix}_pct"] = divide(out[m] - before, before.abs())
    if keys:
        order = sorted(range(len(out)), key=lambda i: _sort_key(tuple(out[k].iloc[i] for k in keys)))
        out = out.iloc[order].reset_index(drop=True)
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
