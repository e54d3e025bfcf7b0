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
from dataclasses import dataclass, replace
from pathlib import Path

import sqlalchemy as sa

from lib.config import (CsvSourceConfig, GsheetSourceConfig, SourcesConfig, SqlSourceConfig,
                        XlsxSourceConfig, resolve_path)
from lib.issues import Issue
from lib.schema import TABS, WRITABLE_TABS, Kind
from lib.sources.base import SourceError, WriteOutcomeUnknown, rows_to_rawtab
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
    # Filled-in columns the tab's header lacks (e.g. an older sheet without author_id):
    # they could not be written, and the form says so instead of dropping them silently.
    dropped: tuple[str, ...] = ()


class _Ledger:
    """Tokens of submissions already written by this process (a double click is two reruns).

    A write whose outcome is unknown (a Google Sheets append that timed out: it may have
    landed) is remembered as uncertain; the next submit with the same token first looks
    whether the row is in the tab before it writes (`written_already`).
    """

    def __init__(self):
        self._done: dict[str, WriteResult] = {}
        self._uncertain: set[str] = set()
        self._lock = threading.Lock()

    def once(self, token: str, write, written_already=None):
        with self._lock:  # one writer at a time also keeps file appends from interleaving
            if token in self._done:
                first = self._done[token]
                return replace(first, duplicate=True)
            found = written_already() if token in self._uncertain and written_already else None
            if found is not None:
                self._done[token] = found
                self._uncertain.discard(token)
                return replace(found, duplicate=True)
            try:
                result = write()
            except _UnknownOutcome as exc:
                self._uncertain.add(token)
                raise WriteError(str(exc)) from exc
            self._done[token] = result
            self._uncertain.discard(token)
            return result


class _UnknownOutcome(Exception):
    """The write may or may not have happened (no answer from the sheet in time)."""


LEDGER = _Ledger()


def append_row(config: SourcesConfig, tab: str, row: dict, token: str, store=None,
               gsheet_credentials: dict | None = None) -> WriteResult:
    if tab not in WRITABLE_TABS:
        raise WriteError(f"the app does not write to tab {tab}")
    unknown = sorted(set(row) - set(TABS[tab].column_names))
    if unknown:  # a caller's typo must not lose a value
        raise WriteError(f"tab {tab} has no column(s) {', '.join(unknown)}")
    clean = validate_row(tab, row, store)
    source_name = config.source_of(tab)
    cfg = config.sources[source_name]
    check = None
    if isinstance(cfg, GsheetSourceConfig):
        def check():
            return _found_in_gsheet(source_name, cfg, tab, clean, gsheet_credentials)
    return LEDGER.once(token, lambda: _write(source_name, cfg, tab, clean, gsheet_credentials), check)


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
    """Write the row; returns the columns the tab has, so missing ones can be reported."""
    try:
        if isinstance(cfg, CsvSourceConfig):
            columns = _append_csv(resolve_path(cfg.path) / f"{tab}.csv", tab, row)
        elif isinstance(cfg, XlsxSourceConfig):
            columns = _append_xlsx(resolve_path(cfg.path), tab, row)
        elif isinstance(cfg, GsheetSourceConfig):
            columns = _append_gsheet(source_name, cfg, tab, row, gsheet_credentials)
        elif isinstance(cfg, SqlSourceConfig):
            columns = _insert_sql(source_name, cfg, tab, row)
        else:  # pragma: no cover - the config model allows no other kind
            raise WriteError(f"cannot write to a {cfg.kind} source")
    except (WriteError, _UnknownOutcome):
        raise
    except (SourceError, OSError, UnicodeError, sa.exc.SQLAlchemyError) as exc:
        raise WriteError(f"could not write to {source_name}: {_first_line(exc)}") from exc
    return WriteResult(tab, source_name, row, dropped=_dropped(row, columns))


def _dropped(row: dict, columns: set[str]) -> tuple[str, ...]:
    return tuple(c for c, v in row.items() if v is not None and c not in columns)


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:400] if lines else type(exc).__name__


# ---- per source kind -----------------------------------------------------------------


def _ordered(header: list, row: dict, as_text: bool = True) -> list:
    """The row's values in the order of the existing header (matched like the reader does);
    a column of the header the row does not have stays empty. `as_text`: dates as ISO text
    (CSV, Sheets); otherwise dates stay dates (real date cells in .xlsx)."""
    from lib.validate import header_name

    values = [row.get(header_name(h) or "") for h in header]
    return [_cell(v) if as_text else ("" if v is None else v) for v in values]


def _columns(header: list) -> set[str]:
    from lib.validate import header_name

    return {n for n in (header_name(h) for h in header) if n}


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


def _append_csv(path: Path, tab: str, row: dict) -> set[str]:
    """Append in the file's own encoding (UTF-8, or GB18030 as Excel on Chinese Windows
    saves it) and line ending, so the file stays readable by whoever keeps it."""
    existing, encoding, header = b"", "utf-8", TABS[tab].column_names
    if path.exists():
        existing = path.read_bytes()
        text, encoding = _decode(existing, path)
        header = next(csv.reader(io.StringIO(text, newline="")), None) or header
    newline = "\r\n" if b"\r\n" in existing else "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    if not existing.strip():
        existing = b""
        writer.writerow(header)
    elif not existing.endswith(b"\n"):
        out.write(newline)
    writer.writerow(_ordered(header, row))
    data = out.getvalue().encode(encoding)  # gb18030 encodes every character: no loss

    def write(handle):
        handle.write(existing)
        handle.write(data)

    _replace_atomically(path, write)
    return _columns(header)


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "gb18030"):  # the same two the reader accepts
        try:
            return raw.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise WriteError(f"{path} is neither UTF-8 nor GB18030 text; nothing was written")


def _append_xlsx(path: Path, tab: str, row: dict) -> set[str]:
    """Load, append, save to a temp file, move into place. openpyxl rewrites the whole
    workbook, so this takes a few seconds on a big one (the page shows a spinner)."""
    import openpyxl

    if not path.is_file():
        raise WriteError(f"workbook {path} does not exist; nothing was written")
    try:
        book = openpyxl.load_workbook(path)
    except Exception as exc:  # zip or XML damage, like the reader says
        raise WriteError(f"workbook {path} cannot be opened ({_first_line(exc)}); nothing was written") from exc
    titles = {t.strip().lower(): t for t in book.sheetnames}
    if tab in titles:
        sheet = book[titles[tab]]
        header = [c.value for c in sheet[1]]
    else:
        sheet = book.create_sheet(tab)
        header = TABS[tab].column_names
        sheet.append(header)
    sheet.append(_ordered(header, row, as_text=False))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # typed text stays text: '=1+1' is not a formula
        elif isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd"

    _replace_atomically(path, lambda handle: book.save(handle))
    return _columns(header)


def _sheet_header(source, tab: str) -> tuple[list, list[list]]:
    raw = source.read([tab]).get(tab)
    if raw is None:
        return TABS[tab].column_names, []
    header = ["" if h is None else str(h) for h in raw.header]
    return header, raw.data.values.tolist()


def _append_gsheet(name: str, cfg: GsheetSourceConfig, tab: str, row: dict, credentials) -> set[str]:
    from lib.store import build_source

    source = build_source(name, cfg, credentials)
    header, _ = _sheet_header(source, tab)
    try:
        source.append_rows(tab, [_ordered(header, row)])
    except WriteOutcomeUnknown as exc:  # sent, no answer: it may have landed (see append_rows)
        raise _UnknownOutcome(f"could not write to {name}: {_first_line(exc)}") from exc
    return _columns(header)


def _found_in_gsheet(name: str, cfg: GsheetSourceConfig, tab: str, row: dict, credentials) -> WriteResult | None:
    """After a write with an unknown outcome: is the row in the sheet now? Then it landed."""
    from lib.store import build_source

    try:
        source = build_source(name, cfg, credentials)
        header, rows = _sheet_header(source, tab)
    except SourceError:
        return None  # cannot tell: the write is tried again and reports its own error
    wanted = _ordered(header, row)
    if any(_same_cells(wanted, existing) for existing in reversed(rows)):
        return WriteResult(tab, name, row, dropped=_dropped(row, _columns(header)))
    return None


def _same_cells(wanted: list, existing: list) -> bool:
    """Cells equal as the sheet gives them back (42.0 written comes back as 42)."""
    existing = list(existing) + [None] * (len(wanted) - len(existing))
    for a, b in zip(wanted, existing):
        a = "" if a is None else a
        b = "" if b is None else b
        try:
            if float(a) == float(b):
                continue
        except (TypeError, ValueError):
            pass
        if str(a).strip() != str(b).strip():
            return False
    return True


def _insert_sql(name: str, cfg: SqlSourceConfig, tab: str, row: dict) -> set[str]:
    from lib.store import build_source

    source = build_source(name, cfg)  # resolves a relative duckdb:/// path like the reader
    try:
        live, issues = source.inspect([tab])
        if tab not in live:
            found = "; ".join(str(i) for i in issues) or f"there is no table {source.table_names.get(tab, tab)}"
            raise WriteError(f"table {tab} is not usable in {source.describe()}: {found}", issues)
        handle = live[tab]
        values = {handle.columns[c]: _sql_value(tab, c, v) for c, v in row.items() if c in handle.columns}
        with source.engine.begin() as conn:  # one transaction: the row is written whole or not at all
            conn.execute(sa.insert(handle.table).values(**values))
        return set(handle.columns)
    finally:
        source.engine.dispose()  # one engine per write: do not leave its pool open


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
