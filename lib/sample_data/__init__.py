"""Seeded sample data for every tab of the data template (../shared/spec/data-template.md).

    python -m lib.sample_data --out DIR [--rows N] [--xlsx FILE] [--with-mistakes] [--seed S]

Eighteen months (2025-05-01 to 2026-10-31) of a fictional B2B marketing centre: 12
channels, 6 regions, 3 product lines, 5 departments, 30 people. The same seed gives the
same files, so tests can rely on them. `--rows` sets roughly how many marketing_daily
rows there are (by splitting each channel-day over regions and product lines); the other
tabs do not depend on it. `--with-mistakes` plants typing mistakes (lib.sample_data.mistakes).
The story the numbers tell is told in lib/sample_data/world.py, people.py and goals.py.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from lib.schema import TABS

DEFAULT_ROWS = 30_000
DEFAULT_SEED = 20261031


def generate(seed: int = DEFAULT_SEED, rows: int = DEFAULT_ROWS) -> dict[str, pd.DataFrame]:
    """Every tab as a DataFrame with the template's columns, in template order."""
    from lib.sample_data import goals, marketing, people

    rng = np.random.default_rng(seed)
    daily = marketing.marketing_daily(rng, rows)
    daily, customers, orders = marketing.customers_and_orders(daily, rng)
    staff = people.staff()
    owners = {dept: eid for eid, _, dept, _, level, *_ in people.STAFF if level == "supervisor"}
    touchpoints, conversions = marketing.journeys(rng)
    ratings = people.ratings(rng)
    objectives, key_results, checkins = goals.okrs(daily, staff, rng)
    tabs = {
        "marketing_daily": daily,
        "campaigns": marketing.campaigns(daily, owners, rng),
        "budget": marketing.budget(daily, rng),
        "touchpoints": touchpoints,
        "conversions": conversions,
        "benchmarks": marketing.benchmarks(),
        "targets": marketing.targets(daily, rng),
        "customers": customers,
        "orders": orders,
        "experiments": marketing.experiments(),
        "actions": goals.actions(),
        "staff": staff,
        "kpi_actuals": people.kpi_actuals(rng),
        "ratings": ratings,
        "compliance": people.compliance(),
        "calibrations": people.calibrations(ratings),
        "objectives": objectives,
        "key_results": key_results,
        "checkins": checkins,
    }
    return {name: tabs[name].reindex(columns=TABS[name].column_names) for name in TABS}


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(tabs: dict[str, pd.DataFrame], folder: Path) -> None:
    """One `<tab>.csv` per tab, UTF-8 with a BOM so Excel shows the Chinese text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tabs.items():
        text = frame.map(_cell_text) if len(frame) else frame
        text.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")


def _xlsx_value(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_xlsx(tabs: dict[str, pd.DataFrame], path: Path) -> None:
    """The workbook a team copies into Google Sheets: a sheet per tab, header bold and frozen.
    Text that starts with '=' is stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, frame in tabs.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns):
            width = max([len(column)] + [len(_cell_text(v)) * 2 for v in frame[column].head(50)])
            sheet.column_dimensions[chr(ord("A") + i)].width = min(max(10, width + 2), 48)
        header = []
        for column in frame.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in frame.itertuples(index=False):
            cells = []
            for value in row:
                value = _xlsx_value(value)
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
