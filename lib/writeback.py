"""Writing a row back to wherever its tab comes from: check-ins, actions, calibrations.

The row is validated by the same rules as a row read from the sheet before anything is
written; the write is all or nothing (a temp file moved into place, one Sheets append,
one SQL transaction); and a submission token makes a double submit write once. A failed
write raises WriteError with the reason, so the form can keep what the person typed.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from lib.config import (CsvSourceConfig, GsheetSourceConfig, SourcesConfig, SqlSourceConfig,
                        XlsxSourceConfig, resolve_path)
from lib.issues import Issue
from lib.schema import TABS, WRITABLE_TABS, Kind
from lib.sources.base import SourceError, rows_to_rawtab
from lib.validate import check_references, validate_tab, TabResult


class WriteError(Exception):
    def __init__(self, message: str, issues: list[Issue] | None = None):
        self.issues = issues or []
        super().__init__(message)


@dataclass(frozen=True)
class WriteResult:
    tab: str
    source: str
    row: dict
    duplicate: bool = False  # the token was seen before: nothing was written this time


class _Ledger:
    """Tokens of submissions already written by this process (a double click is two reruns)."""

    def __init__(self):
        self._done: dict[str, WriteResult] = {}
        self._lock = threading.Lock()

    def once(self, token: str, write):
        with self._lock:  # one writer at a time also keeps file appends from interleaving
            if token in self._done:
                first = self._done[token]
                return WriteResult(first.tab, first.source, first.row, duplicate=True)
            result = write()
            self._done[token] = result
            return result


LEDGER = _Ledger()


def append_row(config: SourcesConfig, tab: str, row: dict, token: str, store=None,
               gsheet_credentials: dict | None = None) -> WriteResult:
    if tab not in WRITABLE_TABS:
        raise WriteError(f"the app does not write to tab {tab}")
    clean = validate_row(tab, row, store)
    source_name = config.source_of(tab)
    cfg = config.sources[source_name]
    return LEDGER.once(token, lambda: _write(source_name, cfg, tab, clean, gsheet_credentials))


def validate_row(tab: str, row: dict, store=None) -> dict:
    """The row as the sheet would hold it, or WriteError with every problem."""
    spec = TABS[tab]
    header = spec.column_names
    cells = [_cell(row.get(c)) for c in header]
    result = validate_tab(rows_to_rawtab(tab, [header, cells], "form"))
    if store is not None:
        refs = {tab: result}
        for _, other, _ in spec.refs:
            if store.has(other):
                refs[other] = TabResult(other, "store", store.read(other))
        check_references(refs)
    errors = [i for i in result.issues if i.level == "error"]
    if errors:
        raise WriteError("; ".join(f"{i.column}: {i.message}" for i in errors), errors)
    return {c.name: _plain(result.frame.iloc[0][c.name], c.kind) for c in spec.columns}


def _plain(value, kind: Kind):
    """A validated cell as a plain Python value: what gets written."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind is Kind.DATE:
        return pd.Timestamp(value).date()
    if kind is Kind.DATETIME:
        return pd.Timestamp(value).to_pydatetime()
    if kind is Kind.NUMBER:
        return float(value)
    if kind is Kind.BOOL:
        return bool(value)
    return str(value)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _write(source_name: str, cfg, tab: str, row: dict, gsheet_credentials) -> WriteResult:
    try:
        if isinstance(cfg, CsvSourceConfig):
            _append_csv(resolve_path(cfg.path) / f"{tab}.csv", tab, row)
        elif isinstance(cfg, XlsxSourceConfig):
            _append_xlsx(resolve_path(cfg.path), tab, row)
        elif isinstance(cfg, GsheetSourceConfig):
            _append_gsheet(source_name, cfg, tab, row, gsheet_credentials)
        elif isinstance(cfg, SqlSourceConfig):
            _insert_sql(cfg, tab, row)
        else:  # pragma: no cover - the config model allows no other kind
            raise WriteError(f"cannot write to a {cfg.kind} source")
    except WriteError:
        raise
    except (SourceError, OSError, sa.exc.SQLAlchemyError) as exc:
        raise WriteError(f"could not write to {source_name}: {exc}") from exc
    return WriteResult(tab, source_name, row)


# ---- per source kind -----------------------------------------------------------------


def _ordered(header: list[str], row: dict) -> list:
    """The row's values in the order of the existing header (matched like the reader does)."""
    from lib.validate import header_name

    return [_cell(row.get(header_name(h) or "", "")) for h in header]


def _replace_atomically(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)  # readers see the old file or the new one, never half of it
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _append_csv(path: Path, tab: str, row: dict) -> None:
    if path.exists():
        existing = path.read_bytes()
        text = existing.decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(text)), TABS[tab].column_names)
    else:
        existing, header = b"", TABS[tab].column_names
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not existing:
        writer.writerow(header)
    elif not existing.endswith(b"\n"):
        out.write("\n")
    writer.writerow(_ordered(header, row))

    def write(handle):
        handle.write(existing)
        handle.write(out.getvalue().encode("utf-8"))

    _replace_atomically(path, write)


def _append_xlsx(path: Path, tab: str, row: dict) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    titles = {t.strip().lower(): t for t in book.sheetnames}
    if tab in titles:
        sheet = book[titles[tab]]
        header = [c.value for c in sheet[1]]
    else:
        sheet = book.create_sheet(tab)
        header = TABS[tab].column_names
        sheet.append(header)
    values = _ordered(header, row)
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # typed text stays text: '=1+1' is not a formula

    _replace_atomically(path, lambda handle: book.save(handle))


def _append_gsheet(name: str, cfg: GsheetSourceConfig, tab: str, row: dict, credentials) -> None:
    from lib.store import build_source

    source = build_source(name, cfg, credentials)
    raw = source.read([tab]).get(tab)
    header = [str(h) for h in raw.header] if raw else TABS[tab].column_names
    source.append_rows(tab, [_ordered(header, row)])


def _insert_sql(cfg: SqlSourceConfig, tab: str, row: dict) -> None:
    from lib.sources.sql import SqlSource

    source = SqlSource("write", cfg.url, cfg.db_schema, cfg.query_timeout_seconds, cfg.tables)
    live, issues = source.inspect([tab])
    if tab not in live:
        raise WriteError(f"table {tab} is not usable in {source.describe()}", issues)
    handle = live[tab]
    values = {handle.columns[c]: _sql_value(tab, c, v) for c, v in row.items() if c in handle.columns}
    with source.engine.begin() as conn:  # one transaction: the row is written whole or not at all
        conn.execute(sa.insert(handle.table).values(**values))


def _sql_value(tab: str, column: str, value):
    kind = TABS[tab].column(column).kind
    if value in ("", None):
        return None
    if kind is Kind.DATE and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if kind is Kind.DATETIME and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if kind is Kind.NUMBER:
        return float(value)
    return value
