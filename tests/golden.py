"""The golden dataset (tests/fixtures/golden) in the other shapes a source can take: typed
frames for SQL tables, and an .xlsx workbook with one sheet per tab."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd

from lib import ROOT
from lib.sources.files import CsvFolderSource
from lib.validate import ROW, validate_tab

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
TABS = ("marketing_daily", "budget", "targets", "benchmarks")


def golden_frames(folder: Path = GOLDEN, tabs=TABS) -> dict[str, pd.DataFrame]:
    """The CSVs validated and typed (dates as dates, numbers as floats), ready for to_sql."""
    raws = CsvFolderSource("golden", folder).read(list(tabs))
    frames = {}
    for tab, raw in raws.items():
        frame = validate_tab(raw).frame.drop(columns=[ROW])
        for col in frame.columns:
            if str(frame[col].dtype).startswith("datetime"):
                frame[col] = frame[col].dt.date
            elif str(frame[col].dtype) == "Float64":
                frame[col] = frame[col].astype("float64")
            else:
                frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
        frames[tab] = frame
    return frames


def golden_workbook(path: Path, folder: Path = GOLDEN) -> Path:
    """An .xlsx with a sheet per CSV, cells typed as a person would type them in Excel:
    numbers as numbers, days as dates, months and names as text."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for csv_path in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(csv_path.stem)
        with csv_path.open(encoding="utf-8") as f:
            for i, row in enumerate(csv.reader(f)):
                sheet.append(row if i == 0 else [_typed(cell) for cell in row])
    book.save(path)
    return path


def _typed(cell: str):
    if cell == "":
        return None
    try:
        return dt.date.fromisoformat(cell) if len(cell) == 10 and cell[4] == "-" else float(cell)
    except ValueError:
        return cell
