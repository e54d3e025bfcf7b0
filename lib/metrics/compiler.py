"""From a request to SQLAlchemy Core that runs where the tab lives.

One SELECT per (tab, time column) aggregates the base metrics the request needs, grouped
by the period label and the dimensions; filter values and dates are bound parameters,
identifiers come only from the validated catalogue and the template. The result of
ratio and derived metrics is computed afterwards from these aggregated inputs (see
lib.metrics.engine), never from row-level ratios.

Monthly amounts (the budget tab: one row per month) are the one exception to "group by
the period label in SQL": their SELECT groups by the month, and the engine spreads each
month's amount evenly over its days, so a week or a date range gets its share of the
month's budget instead of all of it or nothing.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import sqlalchemy as sa

from lib.metrics.grains import GRAINS, TRUNCATING_DIALECTS, GrainLabel, MonthStart, PeriodStart
from lib.metrics.spec import Aggregation, Catalog, Condition, Metric
from lib.schema import TABS, Kind
from lib.store import Relation

PERIOD = "period"
MONTH = "_month"  # key column of a spread query: the row's month, 'YYYY-MM'
_GRAIN_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly", "year": "yearly"}


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
    """One SELECT of a request: the statement, its bound parameters, and a sentence saying
    what it computes, for the UI and for people reading logs.

    The SQLAlchemy statement is built when first asked for: on the embedded DuckDB the
    engine runs SQL text it compiled once for the query's `shape` (everything but the
    values), so a repeated request does not rebuild the same statement.
    """

    tab: str
    leaves: list[str]
    description: str
    location: str
    dialect: sa.engine.Dialect = field(repr=False)
    spread_months: bool  # rows are per month; the engine spreads them over days
    shape: tuple  # what the SQL text depends on: the same shape gives the same SQL
    values: dict  # the request's bound values by parameter name (IN lists as lists)
    build: Callable[[], sa.Select] = field(repr=False)

    @cached_property
    def statement(self) -> sa.Select:
        return self.build()

    @property
    def sql(self) -> str:
        return str(self.statement.compile(dialect=self.dialect))

    @property
    def params(self) -> dict:
        return self.statement.compile(dialect=self.dialect).params


# ---------------------------------------------------------------------------------------
# expressions


def is_monthly(tab: str, time_column: str) -> bool:
    return TABS[tab].column(time_column).kind is Kind.MONTH


def spreads_over_days(metric: Metric) -> bool:
    """A sum over a monthly tab is an amount for the whole month (a budget): spread it."""
    return metric.kind is Aggregation.SUM and is_monthly(metric.tab, metric.time_column)


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


# One template per base aggregation; ratio and derived metrics are never aggregated in SQL.
_TEMPLATES = {
    Aggregation.SUM: lambda v, counts_rows: sa.func.sum(v),
    Aggregation.COUNT: lambda v, counts_rows: sa.func.count() if counts_rows else sa.func.count(v),
    Aggregation.COUNT_DISTINCT: lambda v, counts_rows: sa.func.count(sa.distinct(v)),
    Aggregation.AVG: lambda v, counts_rows: sa.func.avg(v),
    Aggregation.MIN: lambda v, counts_rows: sa.func.min(v),
    Aggregation.MAX: lambda v, counts_rows: sa.func.max(v),
}


def aggregate(rel: Relation, metric: Metric) -> sa.ColumnElement:
    """The SQL aggregate of a base metric; a metric filter becomes CASE WHEN inside it,
    so metrics with different filters share one scan of the table."""
    if metric.kind not in _TEMPLATES:
        raise TypeError(f"{metric.kind} is not a base aggregation")
    value = rel.selectable.c[metric.column] if metric.column else sa.literal(1)
    if metric.filter:
        value = sa.case((sa.and_(*[_condition(rel, c) for c in metric.filter]), value))
    counts_rows = metric.column is None and not metric.filter
    return _TEMPLATES[metric.kind](value, counts_rows)


def _as_day(rel: Relation, column: str, date: sa.ColumnElement) -> sa.ColumnElement:
    """The day of a time column for its period label: date-times (touchpoints, or a SQL
    source storing days as timestamps) become DATEs, which every dialect can format."""
    kind = TABS[rel.tab].column(column).kind
    if kind is Kind.DATETIME or isinstance(rel.selectable.c[column].type, sa.DateTime):
        return sa.cast(date, sa.Date)
    return date


def bound_values(request: Request) -> dict:
    """The values a request binds, by parameter name. Dates: start <= day <= end becomes
    the half-open [start, before), so a DATE and a TIMESTAMP column (a SQL source may
    store days as timestamps) select the same rows and the column stays bare for the
    database's indexes and min/max pruning. Months that overlap the range: 'YYYY-MM' text
    sorts like the months."""
    values: dict = {}
    if request.start:
        values["start"], values["start_month"] = request.start, f"{request.start:%Y-%m}"
    if request.end:
        values["before"], values["end_month"] = request.end + dt.timedelta(days=1), f"{request.end:%Y-%m}"
    for dim, allowed in request.where:
        values[f"where_{dim}"] = list(allowed)
    return values


def _date_conditions(col: sa.ColumnElement, values: dict) -> list[sa.ColumnElement]:
    conditions = []
    if "start" in values:
        conditions.append(col >= sa.bindparam("start", values["start"], type_=sa.Date))
    if "before" in values:
        conditions.append(col < sa.bindparam("before", values["before"], type_=sa.Date))
    return conditions


def _month_conditions(col: sa.ColumnElement, values: dict) -> list[sa.ColumnElement]:
    conditions = []
    if "start_month" in values:
        conditions.append(col >= sa.bindparam("start_month", values["start_month"], type_=sa.String))
    if "end_month" in values:
        conditions.append(col <= sa.bindparam("end_month", values["end_month"], type_=sa.String))
    return conditions


# ---------------------------------------------------------------------------------------
# the statement


def compile_tab(catalog: Catalog, rel: Relation, leaves: list[str], time_column: str,
                request: Request, spread_months: bool = False) -> CompiledQuery:
    values = bound_values(request)
    description = f"{describe(catalog, request)}: {_join([catalog.label(m, 'en') for m in leaves])} from {rel.tab}"
    if spread_months:
        description += " (monthly amounts spread evenly over their days)"
    shape = (rel.tab, rel.location, rel.engine.dialect.name, tuple(leaves), time_column, spread_months, request.by,
             request.grain, request.start is not None, request.end is not None,
             tuple((dim, len(allowed)) for dim, allowed in request.where))
    return CompiledQuery(rel.tab, leaves, description, rel.location, rel.engine.dialect, spread_months, shape, values,
                         lambda: _statement(catalog, rel, leaves, time_column, request, spread_months, values))


def _statement(catalog: Catalog, rel: Relation, leaves: list[str], time_column: str, request: Request,
               spread_months: bool, values: dict) -> sa.Select:
    time_col = rel.selectable.c[time_column]
    truncate = False
    keys: list[sa.ColumnElement] = []
    if spread_months:
        keys.append(time_col.label(MONTH))
        conditions = _month_conditions(time_col, values)
    else:
        monthly = is_monthly(rel.tab, time_column)
        date = MonthStart(time_col) if monthly else time_col
        if request.grain:
            day = _as_day(rel, time_column, date)
            truncate = rel.engine.dialect.name in TRUNCATING_DIALECTS
            period = PeriodStart(day, request.grain) if truncate else GrainLabel(day, request.grain)
            keys.append(period.label(PERIOD))
        conditions = _date_conditions(date, values)
    keys += [rel.selectable.c[d].label(d) for d in request.by]
    measures = [aggregate(rel, catalog[leaf]).label(leaf) for leaf in leaves]
    for dim, _ in request.where:
        conditions.append(rel.selectable.c[dim].in_(
            sa.bindparam(f"where_{dim}", values[f"where_{dim}"], expanding=True)))
    statement = sa.select(*keys, *measures).select_from(rel.selectable).where(*conditions)
    if keys:
        # Repeat the expressions (not positions) so every dialect accepts the grouping.
        # No ORDER BY: the engine sorts the small result itself, the same way for every
        # database (collations and NULL ordering differ between them).
        statement = statement.group_by(*[k.element for k in keys])
    if truncate:  # grouped by each period's first day: label the groups, not the rows
        groups = statement.subquery("by_period")
        statement = sa.select(GrainLabel(groups.c[PERIOD], request.grain).label(PERIOD),
                              *[c for c in groups.c if c.name != PERIOD])
    return statement


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe(catalog: Catalog, request: Request, metrics: list[str] | None = None, lang: str = "en") -> str:
    """A plain sentence for the UI: 'CAC by channel, weekly, 2026-10-01 to 2026-10-31, region 华东 only'."""
    text = _join([catalog.label(m, lang) for m in (metrics or request.metrics)])
    if request.by:
        text += " by " + " and ".join(request.by)
    if request.grain:
        text += ", " + _GRAIN_WORDS[request.grain]
    if request.start or request.end:
        text += f", {request.start or '…'} to {request.end or '…'}"
    for dim, values in request.where:
        text += f", {dim} {' / '.join(values)} only"
    return text


def check_request(catalog: Catalog, request: Request) -> None:
    """Refuse what cannot be computed, saying what would work."""
    if not request.metrics:
        raise RequestError("no metric asked for; name one or more, e.g. spend,cac")
    for name in request.metrics:
        check_metric(catalog, name)
    if request.grain and request.grain not in GRAINS:
        raise RequestError(f"unknown grain {request.grain!r}; use one of {', '.join(GRAINS)}")
    if request.start and request.end and request.start > request.end:
        raise RequestError(f"the start {request.start} is after the end {request.end}")
    repeated = sorted({d for d in request.by if request.by.count(d) > 1})
    if repeated:
        raise RequestError(f"dimension {', '.join(repeated)} is asked for twice")
    wanted = list(request.by) + [d for d, _ in request.where]
    for name in request.metrics:
        allowed = catalog.dimensions(name)
        for dim in wanted:
            if dim not in allowed:
                raise RequestError(f"{name} cannot be split or filtered by {dim!r}; "
                                   f"it can by: {', '.join(sorted(allowed)) or 'nothing'}")


def check_metric(catalog: Catalog, name: str) -> None:
    if name not in catalog:
        close = difflib.get_close_matches(name, list(catalog.metrics), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise RequestError(f"unknown metric {name!r}{hint}")
