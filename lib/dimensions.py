"""The values a dimension takes, for filter pickers: computed in SQL where the tab lives."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from lib.store import Store

# The drill-down dimensions of the marketing pages, in the order people drill.
MARKETING_DIMENSIONS = ("department", "product_line", "region", "channel")


def values(store: Store, tab: str, column: str, limit: int = 500) -> list[str]:
    """Distinct non-empty values, most frequent first (the sheet's spelling, trimmed on load)."""
    if not store.has(tab):
        return []
    rel = store.relation(tab)
    col = rel.selectable.c[column]
    query = (sa.select(col).where(col.is_not(None)).group_by(col)
             .order_by(sa.func.count().desc(), col).limit(limit))
    with rel.engine.connect() as conn:
        return [str(v) for (v,) in conn.execute(query)]


def date_span(store: Store, tab: str = "marketing_daily", column: str = "date") -> tuple[dt.date, dt.date] | None:
    if not store.has(tab):
        return None
    rel = store.relation(tab)
    col = rel.selectable.c[column]
    with rel.engine.connect() as conn:
        first, last = conn.execute(sa.select(sa.func.min(col), sa.func.max(col))).one()
    if first is None:
        return None
    as_date = lambda v: v.date() if isinstance(v, dt.datetime) else (v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10]))
    return as_date(first), as_date(last)
