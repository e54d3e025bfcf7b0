"""From a request to SQLAlchemy Core that runs where the tab lives.

One SELECT per (tab, time column) aggregates the base metrics the request needs, grouped
by the period label and the dimensions; filter values and dates are bound parameters,
identifiers come only from the validated catalogue and the template. The result of
ratio and derived metrics is computed afterwards from these aggregated inputs (see
lib.metrics.engine), never from row-level ratios.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from lib.metrics.grains import GRAINS, GrainLabel, MonthStart
from lib.metrics.spec import Aggregation, Catalog, Condition, Metric
from lib.schema import TABS, Kind
from lib.store import Relation

PERIOD = "period"


class RequestError(ValueError):
    """A request that cannot be answered as asked (unknown metric, dimension or grain)."""


@dataclass(frozen=True)
class Request:
    metrics: tuple[str, ...]
    by: tuple[str, ...] = ()
    grain: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (dimension, allowed values)

    def with_range(self, start: dt.date | None, end: dt.date | None) -> "Request":
        return Request(self.metrics, self.by, self.grain, start, end, self.where)

    def keys(self) -> list[str]:
        return ([PERIOD] if self.grain else []) + list(self.by)


@dataclass
class CompiledQuery:
    statement: sa.Select
    tab: str
    leaves: list[str]
    description: str
    location: str
    dialect: sa.engine.Dialect = field(repr=False, default=None)

    @property
    def sql(self) -> str:
        return str(self.statement.compile(dialect=self.dialect))

    @property
    def params(self) -> dict:
        return self.statement.compile(dialect=self.dialect).params


# ---------------------------------------------------------------------------------------
# expressions


def date_expression(rel: Relation, column: str) -> sa.ColumnElement:
    """The tab's time column as a DATE, whatever its template type."""
    col = rel.selectable.c[column]
    kind = TABS[rel.tab].column(column).kind
    if kind is Kind.MONTH:
        return MonthStart(col)
    if kind is Kind.DATETIME:
        return sa.cast(col, sa.Date)
    return col


def _condition(rel: Relation, cond: Condition) -> sa.ColumnElement:
    col = rel.selectable.c[cond.column]
    value = cond.value
    return {
        "eq": lambda: col == value,
        "ne": lambda: col != value,
        "in": lambda: col.in_(value if isinstance(value, list) else [value]),
        "not_null": lambda: col.is_not(None),
        "gt": lambda: col > value,
        "ge": lambda: col >= value,
        "lt": lambda: col < value,
        "le": lambda: col <= value,
    }[cond.op]()


def aggregate(rel: Relation, metric: Metric) -> sa.ColumnElement:
    """The SQL aggregate of a base metric; a metric filter becomes CASE WHEN inside it,
    so metrics with different filters share one scan of the table."""
    value = rel.selectable.c[metric.column] if metric.column else sa.literal(1)
    if metric.filter:
        value = sa.case((sa.and_(*[_condition(rel, c) for c in metric.filter]), value))
    templates = {
        Aggregation.SUM: lambda v: sa.func.sum(v),
        Aggregation.COUNT: lambda v: sa.func.count(v) if metric.filter or metric.column else sa.func.count(),
        Aggregation.COUNT_DISTINCT: lambda v: sa.func.count(sa.distinct(v)),
        Aggregation.AVG: lambda v: sa.func.avg(v),
        Aggregation.MIN: lambda v: sa.func.min(v),
        Aggregation.MAX: lambda v: sa.func.max(v),
    }
    if metric.kind not in templates:  # ratio and derived metrics are not aggregated in SQL
        raise TypeError(f"{metric.kind} is not a base aggregation")
    return templates[metric.kind](value)


# ---------------------------------------------------------------------------------------
# the statement


def compile_tab(catalog: Catalog, rel: Relation, leaves: list[str], time_column: str,
                request: Request) -> CompiledQuery:
    date = date_expression(rel, time_column)
    keys: list[sa.ColumnElement] = []
    if request.grain:
        keys.append(GrainLabel(date, request.grain).label(PERIOD))
    keys += [rel.selectable.c[d].label(d) for d in request.by]
    measures = [aggregate(rel, catalog[leaf]).label(leaf) for leaf in leaves]
    conditions = []
    if request.start:
        conditions.append(date >= sa.bindparam("start", request.start, type_=sa.Date))
    if request.end:
        conditions.append(date <= sa.bindparam("end", request.end, type_=sa.Date))
    for dim, values in request.where:
        conditions.append(rel.selectable.c[dim].in_(sa.bindparam(f"where_{dim}", list(values), expanding=True)))
    statement = sa.select(*keys, *measures).select_from(rel.selectable).where(*conditions)
    if keys:
        # Repeat the expressions (not positions) so every dialect accepts the grouping.
        statement = statement.group_by(*[k.element for k in keys]).order_by(*[k.element for k in keys])
    return CompiledQuery(statement, rel.tab, leaves, describe(catalog, request, leaves), rel.location,
                         rel.engine.dialect)


def describe(catalog: Catalog, request: Request, metrics: list[str] | None = None, lang: str = "en") -> str:
    """A plain sentence for the UI: 'CAC by channel, weekly, 2026-10-01 to 2026-10-31, region 华东 only'."""
    names = [catalog.label(m, lang) for m in (metrics or request.metrics)]
    text = ", ".join(names)
    if request.by:
        text += " by " + " and ".join(request.by)
    if request.grain:
        text += ", " + {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
                        "year": "yearly"}[request.grain]
    if request.start or request.end:
        text += f", {request.start or '…'} to {request.end or '…'}"
    for dim, values in request.where:
        text += f", {dim} {' / '.join(values)} only"
    return text


def check_request(catalog: Catalog, request: Request) -> None:
    """Refuse what cannot be computed, saying what would work."""
    import difflib

    for name in request.metrics:
        if name not in catalog:
            close = difflib.get_close_matches(name, list(catalog.metrics), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise RequestError(f"unknown metric {name!r}{hint}")
    if request.grain and request.grain not in GRAINS:
        raise RequestError(f"unknown grain {request.grain!r}; use one of {', '.join(GRAINS)}")
    wanted = list(request.by) + [d for d, _ in request.where]
    for name in request.metrics:
        allowed = catalog.dimensions(name)
        for dim in wanted:
            if dim not in allowed:
                raise RequestError(f"{name} cannot be split or filtered by {dim!r}; "
                                   f"it can by: {', '.join(sorted(allowed)) or 'nothing'}")
