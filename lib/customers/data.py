"""Customers and their orders on one database, ready for SQL.

Everything in lib.customers is written once over two selectables on one engine:

- `customers`: the customers tab (template columns), filtered by acquisition date and by
  channel / region / product_line / segment;
- `activity`: one row per customer and calendar month with orders up to the as-of date:
  customer_id, month_number (year * 12 + month), orders, revenue, last_date.

When both tabs live on the same engine (the embedded DuckDB, or one SQL source) the
activity is a GROUP BY subquery and everything runs where the data is. When they come
from different sources (orders in a warehouse, customers in the shared sheet), the
activity is aggregated in the orders' database and landed, together with the customers,
in the store's embedded DuckDB once per load and as-of date, so the join can happen
somewhere. Only year and month are taken from dates (EXTRACT), and date limits are bound
parameters computed in Python, so the same statements run on DuckDB, PostgreSQL and
MariaDB/MySQL.
"""
from __future__ import annotations

import calendar
import datetime as dt
import threading
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib.metrics.compiler import RequestError
from lib.store import MissingTabError, Store

# The text columns of the customers tab a scope may filter on.
CUSTOMER_DIMENSIONS = ("channel", "region", "product_line", "segment")
_landing_lock = threading.Lock()


class ScopeError(RequestError):
    """A filter the customers tab cannot apply (unknown column); the CLI exits 2 on it."""


@dataclass(frozen=True)
class Scope:
    """Which customers and orders: orders up to `as_of`; customers acquired from `start`
    to `end` (inclusive, never after as_of) and matching `where` (column, allowed values)."""

    as_of: dt.date
    start: dt.date | None = None
    end: dt.date | None = None
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self):
        for column, _ in self.where:
            if column not in CUSTOMER_DIMENSIONS:
                raise ScopeError(f"customers cannot be filtered by {column!r}; "
                                 f"use one of {', '.join(CUSTOMER_DIMENSIONS)}")

    @property
    def acquired_until(self) -> dt.date:
        return min(self.end, self.as_of) if self.end else self.as_of


@dataclass
class CustomerTables:
    engine: Engine
    customers: sa.FromClause
    activity: sa.FromClause
    scope: Scope
    landed: bool  # True when the tabs came from different sources and were joined in DuckDB
    notes: list[str] = field(default_factory=list)


def month_number(date_expr) -> sa.ColumnElement:
    """year * 12 + month of a date, in portable SQL (EXTRACT): months between two dates
    are then a subtraction. The 12 is written into the SQL (not bound), so GROUP BY
    repeats exactly the SELECT expression and the database folds it as a constant."""
    return (sa.cast(sa.extract("year", date_expr), sa.Integer) * sa.literal_column("12", sa.Integer)
            + sa.cast(sa.extract("month", date_expr), sa.Integer))


def month_number_of(day: dt.date) -> int:
    return day.year * 12 + day.month


def month_label(number: int) -> str:
    """The inverse of month_number: 24307 -> '2025-07'."""
    year, month = divmod(int(number) - 1, 12)
    return f"{year}-{month + 1:02d}"


def last_complete_month(as_of: dt.date) -> int:
    """The month_number of the latest month fully observed by as_of (the as-of month
    itself only when as_of is its last day)."""
    tomorrow = as_of + dt.timedelta(days=1)
    return month_number_of(as_of) if tomorrow.month != as_of.month else month_number_of(as_of) - 1


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (earlier when negative), clamped to the
    month's last day: add_months(2026-08-31, -6) = 2026-02-28."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def require(store: Store, *tabs: str, needed_by: str) -> None:
    missing = store.missing(*tabs)
    if missing:
        raise MissingTabError(missing, [needed_by])


def latest_order_date(store: Store) -> dt.date | None:
    """The day of the last order: the default as-of date (the data's 'today')."""
    require(store, "orders", needed_by="customer value")
    rel = store.relation("orders")
    with rel.engine.connect() as conn:
        last = conn.execute(sa.select(sa.func.max(rel.selectable.c.date))).scalar()
    return None if last is None else pd.Timestamp(last).date()


def default_scope(store: Store, as_of: dt.date | None = None, **kw) -> Scope:
    """A scope whose as-of date is the given one or the day of the last order."""
    day = as_of or latest_order_date(store) or dt.date.today()
    return Scope(day, **kw)


def customer_tables(store: Store, scope: Scope) -> CustomerTables:
    require(store, "customers", "orders", needed_by="customer value")
    customers_rel, orders_rel = store.relation("customers"), store.relation("orders")
    if customers_rel.engine is orders_rel.engine:
        engine, customers, activity, landed = (customers_rel.engine, customers_rel.selectable,
                                               _activity_query(orders_rel.selectable, scope.as_of).subquery("activity"),
                                               False)
    else:
        engine, customers, activity = _landed(store, customers_rel, orders_rel, scope.as_of)
        landed = True
    tables = CustomerTables(engine, _scoped_customers(customers, scope), activity, scope, landed)
    if "live" in (customers_rel.location, orders_rel.location):
        _note_unmatched_orders(tables, customers)
    if customers_rel.location == "live":
        _note_duplicate_customers(tables, customers)
    return tables


def _activity_query(orders: sa.FromClause, as_of: dt.date) -> sa.Select:
    month = month_number(orders.c.date)
    return (sa.select(orders.c.customer_id, month.label("month_number"),
                      sa.func.count().label("orders"), sa.func.sum(orders.c.amount).label("revenue"),
                      sa.func.max(orders.c.date).label("last_date"))
            .where(orders.c.date <= sa.bindparam("as_of", as_of, type_=sa.Date))
            .group_by(orders.c.customer_id, month))


def _scoped_customers(customers: sa.FromClause, scope: Scope) -> sa.Subquery:
    c = customers.c
    conditions = [c.acquired_at <= sa.bindparam("acquired_until", scope.acquired_until, type_=sa.Date)]
    if scope.start:
        conditions.append(c.acquired_at >= sa.bindparam("acquired_from", scope.start, type_=sa.Date))
    for column, values in scope.where:
        conditions.append(c[column].in_(sa.bindparam(f"where_{column}", list(values), expanding=True)))
    columns = [c.customer_id, c.acquired_at, c.channel, c.region, c.product_line, c.segment]
    return sa.select(*columns).where(*conditions).subquery("scoped_customers")


def _note_unmatched_orders(tables: CustomerTables, all_customers: sa.FromClause) -> None:
    """A database tab is not checked row by row against another tab, so orders whose
    customer is unknown would vanish from the join: count them and say so."""
    a = tables.activity
    query = (sa.select(sa.func.sum(a.c.orders))
             .select_from(a.outerjoin(all_customers, all_customers.c.customer_id == a.c.customer_id))
             .where(all_customers.c.customer_id.is_(None)))
    with tables.engine.connect() as conn:
        unmatched = conn.execute(query).scalar()
    if unmatched:
        tables.notes.append(f"{int(unmatched)} order(s) name a customer_id that is not in tab customers; "
                            "they are left out of every customer figure")


def _note_duplicate_customers(tables: CustomerTables, all_customers: sa.FromClause) -> None:
    """Counts assume one row per customer_id (the sheet's key check guarantees it; a
    database table is not checked row by row): say so when a table breaks it."""
    c = all_customers.c.customer_id
    with tables.engine.connect() as conn:
        rows, distinct = conn.execute(sa.select(sa.func.count(c), sa.func.count(sa.distinct(c)))).one()
    if rows != distinct:
        tables.notes.append(f"{int(rows) - int(distinct)} customer_id(s) appear more than once in tab customers; "
                            "their customers and orders are counted once per row")


def _landed(store: Store, customers_rel, orders_rel, as_of: dt.date):
    """Customers and the monthly activity of their orders, copied into the store's DuckDB
    (once per load and as-of date) because the two tabs live in different databases."""
    key = ("customers.landed", as_of)
    with _landing_lock:
        if key not in store.memo:
            suffix = f"{as_of:%Y%m%d}"
            activity_table, customers_table = f"_cv_activity_{suffix}", f"_cv_customers_{suffix}"
            _copy(orders_rel.engine, _activity_query(orders_rel.selectable, as_of), store.engine, activity_table)
            if customers_rel.engine is store.engine:
                customers_table = customers_rel.selectable.name
            else:
                c = customers_rel.selectable.c
                _copy(customers_rel.engine, sa.select(c.customer_id, c.acquired_at, c.channel, c.region,
                                                      c.product_line, c.segment), store.engine, customers_table)
            store.memo[key] = (customers_table, activity_table)
        customers_table, activity_table = store.memo[key]
    customers = sa.table(customers_table, *[sa.column(n) for n in
                                            ("customer_id", "acquired_at", "channel", "region", "product_line",
                                             "segment")])
    activity = sa.table(activity_table, *[sa.column(n) for n in
                                          ("customer_id", "month_number", "orders", "revenue", "last_date")])
    return store.engine, customers, activity


def _copy(source: Engine, query: sa.Select, duck: Engine, table: str, chunk: int = 200_000) -> None:
    """Stream a query's rows from one database into a new DuckDB table, chunk by chunk."""
    with source.connect() as src, duck.begin() as dst:
        result = src.execution_options(stream_results=True).execute(query)
        names = list(result.keys())
        raw = dst.connection.driver_connection
        created = False
        for rows in result.partitions(chunk):
            frame = _typed(pd.DataFrame(rows, columns=names))
            raw.register("incoming", frame)
            if created:
                raw.execute(f'INSERT INTO "{table}" SELECT * FROM incoming')
            else:
                raw.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
                created = True
            raw.unregister("incoming")
        if not created:  # no rows: an empty table with the right columns
            raw.register("incoming", _typed(pd.DataFrame({n: [] for n in names})))
            raw.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
            raw.unregister("incoming")


_NUMERIC = {"month_number": "int64", "orders": "int64", "revenue": "float64"}
_DATES = ("last_date", "acquired_at")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for name, dtype in _NUMERIC.items():
        if name in frame:
            frame[name] = pd.to_numeric(frame[name]).astype(dtype)
    for name in _DATES:
        if name in frame:
            frame[name] = pd.to_datetime(frame[name]).dt.date
    for name in frame.columns:
        if name not in _NUMERIC and name not in _DATES:
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame
