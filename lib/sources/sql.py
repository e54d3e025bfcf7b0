"""SQL sources: tables or views named like the tabs, left in their database.

Nothing is copied: the metrics layer sends aggregate queries to the database. Each tab is
reflected once per refresh; its columns are matched to the template (case-insensitive),
its column types checked, and `valid_rows` gives a SELECT of the rows that pass the same
rules as a sheet row (required values present, no negative spend, scores within 0-100,
allowed choices), so a bad row in the database is set aside exactly like a bad sheet row.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib.issues import Issue
from lib.schema import TABS, Column, Kind, Tab
from lib.sources.base import SourceError

# Which SQL types can stand for each template type.
_COMPATIBLE: dict[Kind, tuple[type, ...]] = {
    Kind.DATE: (sa.Date, sa.DateTime),
    Kind.DATETIME: (sa.Date, sa.DateTime),
    Kind.NUMBER: (sa.Numeric, sa.Integer, sa.Float),
    Kind.BOOL: (sa.Boolean, sa.Integer),
    Kind.TEXT: (sa.String, sa.Integer, sa.Numeric),
    Kind.MONTH: (sa.String,),
    Kind.QUARTER: (sa.String,),
    Kind.PERIOD: (sa.String, sa.Integer),
}
_SQL_NAME = {
    Kind.DATE: "DATE", Kind.DATETIME: "TIMESTAMP", Kind.NUMBER: "a numeric type",
    Kind.BOOL: "BOOLEAN", Kind.TEXT: "text", Kind.MONTH: "text 'YYYY-MM'",
    Kind.QUARTER: "text 'YYYY-Qn'", Kind.PERIOD: "text",
}
SAMPLE_LIMIT = 20  # bad rows listed per rule; the count says how many there are in all


@dataclass
class LiveTab:
    tab: str
    source: str
    engine: Engine
    table: sa.Table
    columns: dict[str, str]  # template column -> column name in the database

    def column(self, name: str) -> sa.ColumnElement:
        if name in self.columns:
            return self.table.c[self.columns[name]]
        return sa.null()

    def valid_rows(self) -> sa.Subquery:
        """Template columns under their template names, bad rows filtered out."""
        spec = TABS[self.tab]
        cols = [self.column(c.name).label(c.name) for c in spec.columns]
        return sa.select(*cols).where(*self.valid_predicate()).subquery(self.tab)

    def valid_predicate(self) -> list[sa.ColumnElement]:
        return [~rule for _, rule in self.row_rules()]

    def row_rules(self) -> list[tuple[str, sa.ColumnElement]]:
        """(description, condition that makes a row bad) for each rule of the template."""
        rules = []
        for col in TABS[self.tab].columns:
            if col.name not in self.columns:
                continue
            c = self.column(col.name)
            if col.required:
                rules.append((f"{col.name}: required value is missing", c.is_(None)))
            if col.nonnegative:
                rules.append((f"{col.name}: negative {col.name}", sa.and_(c.is_not(None), c < 0)))
            if col.min is not None:
                rules.append((f"{col.name}: outside {col.min:g}-{col.max:g}",
                              sa.and_(c.is_not(None), sa.or_(c < col.min, c > col.max))))
            if col.choices:
                rules.append((f"{col.name}: not one of {' / '.join(col.choices)}",
                              sa.and_(c.is_not(None), c.not_in(col.choices))))
        return rules


class SqlSource:
    kind = "sql"

    def __init__(self, name: str, url: str, db_schema: str | None = None,
                 query_timeout_seconds: float = 30, tables: dict[str, str] | None = None,
                 engine: Engine | None = None):
        self.name, self.url, self.db_schema = name, url, db_schema
        self.timeout = query_timeout_seconds
        self.table_names = tables or {}
        self._engine = engine

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.url, self.timeout)
        return self._engine

    def describe(self) -> str:
        return f"database {sa.engine.make_url(self.url).render_as_string(hide_password=True)}"

    def inspect(self, tabs: list[str]) -> tuple[dict[str, LiveTab], list[Issue]]:
        """Reflect the tables named like the tabs; raise SourceError when the database is down."""
        try:
            existing = _table_names(self.engine, self.db_schema)
        except sa.exc.SQLAlchemyError as exc:
            raise SourceError(f"{self.describe()} cannot be reached: {_first_line(exc)}") from exc
        live, issues = {}, []
        for tab in tabs:
            table_name = self.table_names.get(tab, tab)
            actual = existing.get(table_name.lower())
            if actual is None:
                continue
            with warnings.catch_warnings():  # duckdb-engine cannot reflect indexes; we need none
                warnings.filterwarnings("ignore", message=".*reflection on indices.*")
                table = sa.Table(actual, sa.MetaData(), schema=self.db_schema, autoload_with=self.engine)
            found, problems = _match_columns(TABS[tab], table, self.describe())
            issues.extend(problems)
            if not any(p.level == "error" for p in problems):
                live[tab] = LiveTab(tab, self.name, self.engine, table, found)
        return live, issues

    def check_rows(self, live: LiveTab) -> tuple[list[Issue], int]:
        """Every rule broken by some row: a count and the first rows' values. Returns (issues, bad rows)."""
        issues, key = [], _identifying_columns(live)
        with self.engine.connect() as conn:
            for description, rule in live.row_rules():
                count = conn.execute(sa.select(sa.func.count()).select_from(live.table).where(rule)).scalar()
                if not count:
                    continue
                sample = conn.execute(sa.select(*key).where(rule).limit(SAMPLE_LIMIT)).all()
                shown = "; ".join(", ".join(f"{c.name}={v}" for c, v in zip(key, row)) for row in sample)
                column = description.split(":")[0]
                issues.append(Issue(
                    "error", f"{count} row(s) with {description.split(': ', 1)[1]}; set aside. First: {shown}",
                    tab=live.tab, column=column, source=self.describe(),
                ))
            bad = conn.execute(sa.select(sa.func.count()).select_from(live.table)
                               .where(sa.or_(*[r for _, r in live.row_rules()]) if live.row_rules() else sa.false())).scalar()
        return issues, int(bad or 0)

    def count_rows(self, live: LiveTab) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(live.table)).scalar() or 0)


def make_engine(url: str, timeout_seconds: float) -> Engine:
    """An engine whose queries the database itself cancels at the time limit.

    The limit is set per connection, so a cancelled query leaves the connection usable.
    """
    family = sa.engine.make_url(url).get_backend_name()
    engine = sa.create_engine(url, pool_pre_ping=True, connect_args=_timeout_connect_args(family, timeout_seconds))

    @sa.event.listens_for(engine, "connect")
    def _limit(dbapi_conn, _record):
        for statement in _timeout_statements(family, timeout_seconds):
            cur = dbapi_conn.cursor()
            try:
                cur.execute(statement)
                break
            except Exception:  # MariaDB and MySQL each know only their own variable
                continue
            finally:
                cur.close()
        if family == "postgresql":
            dbapi_conn.commit()  # SET runs in psycopg's implicit transaction

    return engine


def _timeout_connect_args(family: str, seconds: float) -> dict:
    # Trino takes session properties with the connection, not as a statement.
    if family == "trino":
        return {"session_properties": {"query_max_execution_time": f"{max(1, round(seconds))}s"}}
    return {}


def _timeout_statements(family: str, seconds: float) -> list[str]:
    if family == "postgresql":
        return [f"SET statement_timeout = {int(seconds * 1000)}"]
    if family in ("mysql", "mariadb"):
        return [f"SET SESSION max_statement_time = {seconds:g}",
                f"SET SESSION max_execution_time = {int(seconds * 1000)}"]
    if family == "snowflake":
        return [f"ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = {max(1, round(seconds))}"]
    # DuckDB runs in-process: no server-side limit. BigQuery has no session limit; cap its
    # cost with the URL's maximum_bytes_billed (README, "Scaling out").
    return []


def _table_names(engine: Engine, schema: str | None) -> dict[str, str]:
    insp = sa.inspect(engine)
    names = insp.get_table_names(schema=schema) + insp.get_view_names(schema=schema)
    return {n.lower(): n for n in names}


def _match_columns(tab: Tab, table: sa.Table, where: str) -> tuple[dict[str, str], list[Issue]]:
    by_lower = {c.name.strip().lower(): c.name for c in table.columns}
    found = {c.name: by_lower[c.name] for c in tab.columns if c.name in by_lower}
    issues = []
    missing = [c for c in tab.required if c not in found]
    if missing:
        issues.append(Issue("error", f"missing required column{'s' if len(missing) > 1 else ''} "
                                     f"{', '.join(missing)}; found: {', '.join(by_lower)}",
                            tab=tab.name, source=where, expected="columns " + ", ".join(tab.column_names)))
    for name, actual in found.items():
        col: Column = tab.column(name)
        sql_type = table.c[actual].type
        if not isinstance(sql_type, _COMPATIBLE[col.kind]):
            issues.append(Issue("error", f"column type {sql_type} does not fit", tab=tab.name, column=name,
                                source=where, expected=f"{_SQL_NAME[col.kind]} (or a view that casts it)"))
    return found, issues


def _identifying_columns(live: LiveTab) -> list[sa.ColumnElement]:
    spec = TABS[live.tab]
    names = list(spec.key) or [c for c in spec.required][:3]
    return [live.column(n).label(n) for n in names if n in live.columns]


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]
