"""Time grains: period labels in SQL for each dialect, and labels back to date ranges.

Labels are the output format of the spec: day 2025-07-01, week 2025-W27 (ISO year and
week, Monday start), month 2025-07, quarter 2025-Q3, year 2025. In SQL each dialect has
its own formatting function; `GrainLabel` compiles to it, with the format string inlined
as a constant so that GROUP BY repeats exactly the SELECT expression.
"""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

GRAINS = ("day", "week", "month", "quarter", "year")


class GrainLabel(ColumnElement):
    """The period label of a date expression at a grain."""

    # The grain is not part of a SQLAlchemy cache key: never cache (a week's SQL must not
    # be reused for a month).
    inherit_cache = False
    type = sa.String()

    def __init__(self, date_expr: ColumnElement, grain: str):
        if grain not in GRAINS:
            raise ValueError(f"unknown grain {grain!r}; use one of {', '.join(GRAINS)}")
        self.date_expr = date_expr
        self.grain = grain


# Databases whose date_trunc gives the first day of a week (Monday), month, quarter or
# year. There, rows are grouped by that day (a number) and only the few groups get their
# text label: formatting an ISO week for every row costs more than the whole sum.
TRUNCATING_DIALECTS = ("duckdb", "postgresql", "trino")


class PeriodStart(ColumnElement):
    """The first day of the period a date falls in (the date itself for a day)."""

    inherit_cache = False
    type = sa.Date()

    def __init__(self, date_expr: ColumnElement, grain: str):
        self.date_expr = date_expr
        self.grain = grain


@compiles(PeriodStart)
def _period_start(element, compiler, **kw):
    d = compiler.process(element.date_expr, **kw)
    return d if element.grain == "day" else f"date_trunc({_lit(compiler, element.grain)}, {d})"


def _lit(compiler, text: str) -> str:
    return compiler.render_literal_value(text, sa.String())


_STRFTIME = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "year": "%Y"}


@compiles(GrainLabel)
@compiles(GrainLabel, "duckdb")
def _duckdb(element, compiler, **kw):
    # strftime with %G-W%V is DuckDB's own; another database would fail on it at run time
    # with a less helpful message, so say here what is missing.
    if compiler.dialect.name not in ("duckdb", "default"):
        raise sa.exc.CompileError(
            f"time grains are not written for the {compiler.dialect.name} dialect yet; add its "
            "period-label function in lib/metrics/grains.py (see the PostgreSQL and MySQL forms)")
    d = compiler.process(element.date_expr, **kw)
    if element.grain == "quarter":
        return f"(strftime({d}, '%Y') || '-Q' || CAST(quarter({d}) AS VARCHAR))"
    return f"strftime({d}, {_lit(compiler, _STRFTIME[element.grain])})"


_TO_CHAR = {"day": 'YYYY-MM-DD', "week": 'IYYY-"W"IW', "month": 'YYYY-MM', "quarter": 'YYYY-"Q"Q', "year": 'YYYY'}


@compiles(GrainLabel, "postgresql")
def _postgresql(element, compiler, **kw):
    d = compiler.process(element.date_expr, **kw)
    return f"to_char({d}, {_lit(compiler, _TO_CHAR[element.grain])})"


_DATE_FORMAT = {"day": "%Y-%m-%d", "week": "%x-W%v", "month": "%Y-%m", "year": "%Y"}


@compiles(GrainLabel, "mysql")
@compiles(GrainLabel, "mariadb")
@compiles(GrainLabel, "trino")
def _mysql_family(element, compiler, **kw):
    # Trino's date_format follows MySQL's: %x-W%v is the ISO year and week there too.
    d = compiler.process(element.date_expr, **kw)
    if element.grain == "quarter":
        cast = "VARCHAR" if compiler.dialect.name == "trino" else "CHAR"
        return f"concat(CAST(year({d}) AS {cast}), '-Q', CAST(quarter({d}) AS {cast}))"
    return f"date_format({d}, {_lit(compiler, _DATE_FORMAT[element.grain])})"


@compiles(GrainLabel, "bigquery")
def _bigquery(element, compiler, **kw):
    d = compiler.process(element.date_expr, **kw)
    fmt = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "quarter": "%Y-Q%Q", "year": "%Y"}
    return f"FORMAT_DATE({_lit(compiler, fmt[element.grain])}, {d})"


class MonthStart(ColumnElement):
    """The first day of a 'YYYY-MM' text column, as a DATE (budget and kpi months)."""

    inherit_cache = False
    type = sa.Date()

    def __init__(self, month_expr: ColumnElement):
        self.month_expr = month_expr


@compiles(MonthStart)
def _month_start(element, compiler, **kw):
    m = compiler.process(element.month_expr, **kw)
    return f"CAST(concat({m}, '-01') AS DATE)"


@compiles(MonthStart, "mysql")
@compiles(MonthStart, "mariadb")
def _month_start_mysql(element, compiler, **kw):
    m = compiler.process(element.month_expr, **kw)
    return f"CAST(concat({m}, '-01') AS DATE)"


# ---------------------------------------------------------------------------------------
# labels <-> date ranges (Python side)

_PATTERNS = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "day"),
    (re.compile(r"(\d{4})-W(\d{1,2})"), "week"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})"), "year"),
]


class PeriodError(ValueError):
    pass


def parse_period(label: str) -> tuple[str, dt.date, dt.date]:
    """'2026-W43' -> ('week', Monday, Sunday); also days, months, quarters and years."""
    text = label.strip()
    for pattern, grain in _PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        try:
            start, end = _range(grain, *map(int, m.groups()))
        except ValueError as exc:
            raise PeriodError(f"{label!r} is not a real {grain}: {exc}") from None
        return grain, start, end
    raise PeriodError(f"{label!r} is not a period; use 2026-10-19, 2026-W43, 2026-10, 2026-Q4 or 2026")


def _range(grain: str, year: int, a: int = 1, b: int = 1) -> tuple[dt.date, dt.date]:
    if grain == "day":
        day = dt.date(year, a, b)
        return day, day
    if grain == "week":
        start = dt.date.fromisocalendar(year, a, 1)
        return start, start + dt.timedelta(days=6)
    if grain == "month":
        return dt.date(year, a, 1), _month_end(year, a)
    if grain == "quarter":
        first = 3 * (a - 1) + 1
        return dt.date(year, first, 1), _month_end(year, first + 2)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def label_of(day: dt.date, grain: str) -> str:
    if grain == "day":
        return day.isoformat()
    if grain == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if grain == "month":
        return f"{day:%Y-%m}"
    if grain == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}"


def previous_range(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period before: the previous week, month, quarter or year when the range is one
    (so October compares with September, not with 31 days back); otherwise the same number
    of days just before."""
    grain = whole_period(start, end)
    if grain in ("month", "quarter", "year"):
        before = start - dt.timedelta(days=1)
        return parse_period(label_of(before, grain))[1:]
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def year_ago_range(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The same period a year before: the same ISO week number for a week, else the same dates."""
    if whole_period(start, end) == "week":
        iso = start.isocalendar()
        try:
            first = dt.date.fromisocalendar(iso.year - 1, iso.week, 1)
        except ValueError:  # week 53 has no twin: use week 52
            first = dt.date.fromisocalendar(iso.year - 1, 52, 1)
        return first, first + dt.timedelta(days=6)
    return _minus_year(start), _minus_year(end)


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def whole_period(start: dt.date, end: dt.date) -> str | None:
    """The grain for which [start, end] is exactly one period, if any."""
    for grain in ("week", "month", "quarter", "year"):
        if parse_period(label_of(start, grain))[1:] == (start, end):
            return grain
    return "day" if start == end else None
