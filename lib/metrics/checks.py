"""Data that refers to the metric catalogue: rows of the `targets` and `benchmarks` tabs.

A row naming a metric the catalogue does not have (a typo such as `cak`), or splitting a
target by a column its metric cannot be split by, would never be used: without this
check it would be ignored silently and the KPI would show no target. `check` lists them.
"""
from __future__ import annotations

import difflib

import pandas as pd
import sqlalchemy as sa

from lib.issues import Issue
from lib.metrics.spec import Catalog
from lib.metrics.targets import DIMENSIONS
from lib.store import Store
from lib.validate import ROW


def reference_issues(store: Store, catalog: Catalog) -> list[Issue]:
    issues = []
    for tab in ("targets", "benchmarks"):
        if not store.has(tab):
            continue
        rows = _rows(store, tab)
        for _, row in rows.iterrows():
            where = dict(tab=tab, row=_row_number(row), column="metric", value=row["metric"])
            if row["metric"] not in catalog:
                close = difflib.get_close_matches(str(row["metric"]), list(catalog.metrics), n=1, cutoff=0.5)
                issues.append(Issue("error", "unknown metric; this row is not used",
                                    hint=f"did you mean {close[0]!r}?" if close else None, **where))
                continue
            if tab == "targets":
                allowed = catalog.dimensions(row["metric"])
                for dim in DIMENSIONS:
                    if not pd.isna(row[dim]) and dim not in allowed:
                        issues.append(Issue(
                            "error", f"{row['metric']} cannot be split by {dim}; this row is not used",
                            tab=tab, row=_row_number(row), column=dim, value=row[dim],
                            expected=f"a target by {', '.join(sorted(set(DIMENSIONS) & allowed)) or 'nothing'}"))
    return issues


def _rows(store: Store, tab: str) -> pd.DataFrame:
    rel = store.relation(tab)
    columns = ["metric"] + (list(DIMENSIONS) if tab == "targets" else [])
    if ROW in rel.selectable.c:  # sheet and file tabs know their spreadsheet rows
        columns.append(ROW)
    query = sa.select(*[rel.selectable.c[c] for c in columns])
    with rel.engine.connect() as conn:
        return pd.read_sql(query, conn)


def _row_number(row) -> int | None:
    return int(row[ROW]) if ROW in row and not pd.isna(row[ROW]) else None
