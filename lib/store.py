"""The validated store: every tab read once per refresh, wherever it lives.

File and sheet tabs are validated and land in an embedded DuckDB database (a named
in-memory database, one per load, shared by all threads of the process). Tabs from a SQL
source stay in their database and are reached through `relation()`. When a source fails,
its tabs from the previous load are carried over and marked stale with their age, so the
last good data stays on screen; with no earlier load the tabs are simply unavailable.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib.config import (CsvSourceConfig, GsheetSourceConfig, SourcesConfig, SqlSourceConfig,
                        XlsxSourceConfig, resolve_path)
from lib.issues import Issue
from lib.schema import TABS, Kind
from lib.sources.base import SourceError
from lib.sources.files import CsvFolderSource, XlsxSource
from lib.sources.sql import LiveTab, SqlSource
from lib.validate import ROW, QuarantinedRow, TabResult, check_references, validate_tab

log = logging.getLogger(__name__)
_generation = itertools.count(1)
_DUCK_TYPES = {
    Kind.DATE: "DATE", Kind.DATETIME: "TIMESTAMP", Kind.NUMBER: "DOUBLE", Kind.BOOL: "BOOLEAN",
    Kind.TEXT: "VARCHAR", Kind.MONTH: "VARCHAR", Kind.QUARTER: "VARCHAR", Kind.PERIOD: "VARCHAR",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class MissingTabError(LookupError):
    """Something needs a tab that no source provides; the message names it and its columns."""

    def __init__(self, tabs: list[str], needed_by: list[str]):
        from lib.schema import describe_tab

        self.tabs = tabs
        super().__init__(f"tab(s) {', '.join(tabs)} needed by {', '.join(needed_by)} are not loaded; "
                         f"expected {'; '.join(describe_tab(t) for t in tabs)}")


@dataclass
class SourceStatus:
    name: str
    description: str
    ok: bool
    loaded_at: dt.datetime | None  # when the data on screen was read
    error: str | None = None

    def age(self, now: dt.datetime | None = None) -> dt.timedelta | None:
        return None if self.loaded_at is None else (now or utcnow()) - self.loaded_at


@dataclass
class TabInfo:
    tab: str
    source: str
    origin: str
    location: str  # "duckdb" or "live"
    rows: int  # good rows available to the pages
    quarantined: int
    loaded_at: dt.datetime | None
    stale: bool = False  # carried over from an earlier load because the source failed


@dataclass
class Relation:
    """Where a tab's valid rows can be queried: an engine and a selectable with template columns."""

    tab: str
    engine: Engine
    selectable: sa.FromClause
    location: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


@dataclass
class Store:
    engine: Engine  # the embedded DuckDB
    generation: int
    loaded_at: dt.datetime
    tabs: dict[str, TabInfo] = field(default_factory=dict)
    statuses: dict[str, SourceStatus] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    quarantine: dict[str, list[QuarantinedRow]] = field(default_factory=dict)
    live: dict[str, LiveTab] = field(default_factory=dict)
    # Small derived tables (targets, benchmarks) computed once per load: a new load is a
    # new Store, so nothing here can go stale.
    memo: dict = field(default_factory=dict)

    # -- asking about tabs ---------------------------------------------------------------
    def has(self, tab: str) -> bool:
        return tab in self.tabs

    def missing(self, *tabs: str) -> list[str]:
        return [t for t in tabs if t not in self.tabs]

    def relation(self, tab: str) -> Relation:
        if tab in self.live:
            live = self.live[tab]
            return Relation(tab, live.engine, live.valid_rows(), "live")
        if tab not in self.tabs:
            raise KeyError(tab)
        cols = [sa.column(c.name) for c in TABS[tab].columns] + [sa.column(ROW)]
        return Relation(tab, self.engine, sa.table(tab, *cols), "duckdb")

    def read(self, tab: str, columns: list[str] | None = None,
             where: Callable[[sa.FromClause], list] | None = None,
             order_by: list[str] | None = None) -> pd.DataFrame:
        """Rows of a small tab (staff, OKRs, ratings ...) as a DataFrame, filtered in SQL."""
        rel = self.relation(tab)
        sel = rel.selectable
        cols = [sel.c[c] for c in (columns or TABS[tab].column_names)]
        query = sa.select(*cols)
        if where:
            query = query.where(*where(sel))
        order = order_by or ([ROW] if rel.location == "duckdb" else [])
        query = query.order_by(*[sel.c[c] for c in order])
        with rel.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]


# ---------------------------------------------------------------------------------------
# loading


def new_duckdb() -> tuple[Engine, int]:
    gen = next(_generation)
    # A named in-memory database: every thread's connection sees the same data
    # (plain :memory: would give each Streamlit session thread an empty database).
    return sa.create_engine(f"duckdb:///:memory:cockpit_{os.getpid()}_{gen}"), gen


def build_source(name: str, cfg, gsheet_credentials: dict | None = None):
    if isinstance(cfg, CsvSourceConfig):
        return CsvFolderSource(name, resolve_path(cfg.path))
    if isinstance(cfg, XlsxSourceConfig):
        return XlsxSource(name, resolve_path(cfg.path))
    if isinstance(cfg, SqlSourceConfig):
        return SqlSource(name, _resolve_duckdb_url(cfg.url), cfg.db_schema, cfg.query_timeout_seconds, cfg.tables)
    if isinstance(cfg, GsheetSourceConfig):
        from lib.sources.gsheets import GoogleSheetSource, SheetSettings, load_credentials_info

        settings = SheetSettings(cfg.spreadsheet_id, cfg.timeout_seconds, cfg.max_attempts,
                                 cfg.total_seconds, cfg.backoff_seconds, api_base=cfg.api_base)
        return GoogleSheetSource(name, settings, credentials_info=gsheet_credentials or load_credentials_info())
    raise TypeError(f"unknown source config {cfg!r}")


def _resolve_duckdb_url(url: str) -> str:
    """duckdb:///data/x.duckdb is relative to the project folder, like every path in config."""
    prefix = "duckdb:///"
    rest = url[len(prefix):]
    if not url.startswith(prefix) or rest.startswith("/") or rest.startswith(":memory:"):
        return url
    return prefix + str(resolve_path(Path(rest)))


def load_store(config: SourcesConfig, previous: Store | None = None,
               gsheet_credentials: dict | None = None, check_sql_rows: bool = True) -> Store:
    engine, gen = new_duckdb()
    store = Store(engine, gen, utcnow())
    results: dict[str, TabResult] = {}
    origins: dict[str, str] = {}
    for source_name, tabs in _tabs_by_source(config).items():
        cfg = config.sources[source_name]
        try:
            source = build_source(source_name, cfg, gsheet_credentials)
            description = source.describe()
        except SourceError as exc:
            source, description = None, source_name
            _source_failed(store, previous, source_name, description, str(exc), tabs)
            continue
        try:
            if isinstance(source, SqlSource):
                _load_live(store, source, tabs, check_sql_rows)
            else:
                raws = source.read(tabs)
                for tab, raw in raws.items():
                    results[tab] = validate_tab(raw)
                    origins[tab] = source_name
                _note_missing(store, source_name, description, [t for t in tabs if t not in raws])
            store.statuses[source_name] = SourceStatus(source_name, description, True, store.loaded_at)
        except SourceError as exc:
            _source_failed(store, previous, source_name, description, str(exc), tabs)
        except Exception as exc:  # a driver or library error must not take the app down
            log.exception("source %s failed", source_name)
            _source_failed(store, previous, source_name, description, f"{type(exc).__name__}: {exc}", tabs)
    check_references(results)
    for tab, result in results.items():
        _land(store, result, origins[tab])
    return store


def _tabs_by_source(config: SourcesConfig) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for tab in TABS:
        grouped.setdefault(config.source_of(tab), []).append(tab)
    return grouped


def _note_missing(store: Store, source: str, description: str, tabs: list[str]) -> None:
    if not tabs:
        return
    store.issues.append(Issue(
        "warning", f"{len(tabs)} tab(s) not found in {description}: {', '.join(tabs)}; "
                   "the pages that need them say which columns they need, the rest work",
        source=source,
    ))


def _land(store: Store, result: TabResult, source: str) -> None:
    store.issues.extend(result.issues)
    store.quarantine[result.tab] = result.quarantine
    if not result.ok:
        return
    spec = TABS[result.tab]
    frame = result.frame
    columns = [f'"{c.name}" {_DUCK_TYPES[c.kind]}' for c in spec.columns]
    columns += [f'"{name}" VARCHAR' for name in result.extra_columns] + [f'"{ROW}" INTEGER']
    with store.engine.begin() as conn:
        duck = conn.connection.driver_connection
        duck.register("incoming", frame)
        conn.exec_driver_sql(f'CREATE TABLE "{result.tab}" ({", ".join(columns)})')
        names = ", ".join(f'"{c}"' for c in [*spec.column_names, *result.extra_columns, ROW])
        conn.exec_driver_sql(f'INSERT INTO "{result.tab}" ({names}) SELECT {names} FROM incoming')
        duck.unregister("incoming")
    store.tabs[result.tab] = TabInfo(result.tab, source, result.origin, "duckdb", len(frame),
                                     len(result.quarantine), store.loaded_at)


def _load_live(store: Store, source: SqlSource, tabs: list[str], check_rows: bool) -> None:
    live, issues = source.inspect(tabs)
    store.issues.extend(issues)
    found_with_problems = {i.tab for i in issues}
    _note_missing(store, source.name, source.describe(),
                  [t for t in tabs if t not in live and t not in found_with_problems])
    for tab, handle in live.items():
        bad = 0
        if check_rows:
            row_issues, bad = source.check_rows(handle)
            store.issues.extend(row_issues)
        total = source.count_rows(handle)
        store.live[tab] = handle
        store.tabs[tab] = TabInfo(tab, source.name, source.describe(), "live", total - bad, bad, store.loaded_at)


def _source_failed(store: Store, previous: Store | None, name: str, description: str,
                   error: str, tabs: list[str]) -> None:
    """Keep the previous load's tabs of this source on screen, marked stale."""
    loaded_at = None
    if previous is not None:
        prev_status = previous.statuses.get(name)
        loaded_at = prev_status.loaded_at if prev_status else None
        for tab in tabs:
            info = previous.tabs.get(tab)
            if info is None or info.source != name:
                continue
            _carry_over(store, previous, info)
    store.statuses[name] = SourceStatus(name, description, False, loaded_at, error)
    store.issues.append(Issue("error", f"source could not be read: {error}", source=name))


def _carry_over(store: Store, previous: Store, info: TabInfo) -> None:
    tab = info.tab
    if tab in previous.live:
        store.live[tab] = previous.live[tab]
    else:
        with previous.engine.connect() as old:
            table = old.connection.driver_connection.sql(f'SELECT * FROM "{tab}"').to_arrow_table()
        with store.engine.begin() as conn:
            duck = conn.connection.driver_connection
            duck.register("carried", table)
            conn.exec_driver_sql(f'CREATE TABLE "{tab}" AS SELECT * FROM carried')
            duck.unregister("carried")
    store.quarantine[tab] = previous.quarantine.get(tab, [])
    store.tabs[tab] = TabInfo(tab, info.source, info.origin, info.location, info.rows, info.quarantined,
                              info.loaded_at, stale=True)


class StoreHolder:
    """Keeps the current Store for a process and reloads it when it is older than the TTL.

    The Streamlit layer keeps one holder in st.cache_resource; the reload keeps the last
    good data of any source that fails.
    """

    def __init__(self, config: SourcesConfig, gsheet_credentials: dict | None = None):
        self.config = config
        self.gsheet_credentials = gsheet_credentials
        self._store: Store | None = None
        self._lock = threading.Lock()

    def get(self, force: bool = False) -> Store:
        with self._lock:
            ttl = dt.timedelta(minutes=self.config.refresh_minutes)
            if force or self._store is None or utcnow() - self._store.loaded_at > ttl:
                # The old store is not disposed: a session still drawing with it keeps
                # working, and its in-memory database is freed once nothing refers to it.
                self._store = load_store(self.config, self._store, self.gsheet_credentials)
            return self._store
