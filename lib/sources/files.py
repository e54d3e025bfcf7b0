"""File sources: a folder of `<tab>.csv` files, or one .xlsx workbook with a sheet per tab.

Cells are handed over as typed: CSV cells as text, .xlsx cells as openpyxl gives them
(numbers, dates, booleans, text; formulas as their last computed value).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from lib.config import display_path
from lib.sources.base import RawTab, SourceError, rows_to_rawtab


def _match(names: list[str], wanted: list[str]) -> dict[str, str]:
    """Map wanted tab names to the names present, ignoring case and surrounding spaces."""
    by_key = {n.strip().lower(): n for n in names}
    return {t: by_key[t] for t in wanted if t in by_key}


class CsvFolderSource:
    kind = "csv"

    def __init__(self, name: str, path: Path):
        self.name, self.path = name, Path(path)

    def read(self, tabs: list[str]) -> dict[str, RawTab]:
        if not self.path.is_dir():
            raise SourceError(f"folder {self.path} does not exist")
        files = {p.stem: p for p in self.path.glob("*.csv")}
        return {
            tab: rows_to_rawtab(tab, _read_csv(files[stem]), str(files[stem]))
            for tab, stem in _match(list(files), tabs).items()
        }

    def describe(self) -> str:
        return f"CSV folder {display_path(self.path)}"


def _read_csv(path: Path) -> list[list[object]]:
    raw = path.read_bytes()
    # Excel on Chinese Windows saves CSV as GB18030; everything else is UTF-8 (maybe with BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SourceError(f"{path} is neither UTF-8 nor GB18030 text")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


class XlsxSource:
    kind = "xlsx"

    def __init__(self, name: str, path: Path):
        self.name, self.path = name, Path(path)

    def read(self, tabs: list[str]) -> dict[str, RawTab]:
        import openpyxl

        if not self.path.is_file():
            raise SourceError(f"workbook {self.path} does not exist")
        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # zip or XML damage: say so instead of a traceback
            raise SourceError(f"workbook {self.path} cannot be opened: {exc}") from exc
        try:
            out = {}
            for tab, title in _match(book.sheetnames, tabs).items():
                rows = [list(r) for r in book[title].iter_rows(values_only=True)]
                out[tab] = rows_to_rawtab(tab, rows, f"{self.path} / {title}")
            return out
        finally:
            book.close()

    def describe(self) -> str:
        return f"workbook {display_path(self.path)}"
