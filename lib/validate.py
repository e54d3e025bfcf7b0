"""Validation and normalisation of raw tabs against the data template.

`validate_tab` turns a RawTab into typed good rows plus a quarantine: every row with a
bad cell is set aside with all of its problems (tab, spreadsheet row, column, value,
what was expected), and the good rows go on. `check_references` then quarantines rows
whose ids refer to nothing in another tab. Nothing is dropped without a trace and
nothing becomes zero.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from lib.issues import Issue
from lib.normalize import BLANK, PARSERS, is_blank, parse_choice
from lib.schema import TABS, Column, Kind, Tab
from lib.sources.base import RawTab

ROW = "_row"  # column holding the spreadsheet row number (header = row 1)


@dataclass
class QuarantinedRow:
    tab: str
    row: int
    values: dict[str, object]  # the cells as typed, by column name
    issues: list[Issue]

    @property
    def reason(self) -> str:
        return "; ".join(f"{i.column}: {i.message}" if i.column else i.message for i in self.issues)


@dataclass
class TabResult:
    tab: str
    origin: str
    frame: pd.DataFrame | None  # typed good rows; None when the tab itself is unusable
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0  # non-blank data rows
    extra_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.frame is not None

    @property
    def good_rows(self) -> int:
        return 0 if self.frame is None else len(self.frame)


# ---------------------------------------------------------------------------------------
# header


def header_name(cell: object) -> str | None:
    """` Spend ` -> `spend`, `Product Line` -> `product_line`; blank -> None."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return None
    text = str(cell).strip(" \t\r\n\u3000\u00a0\ufeff").lower()
    text = re.sub(r"[\s\-]+", "_", text)
    return text or None


def _header_issue(tab: Tab, raw: RawTab, names: list[str | None]) -> Issue | None:
    found = [n for n in names if n]
    missing = [c for c in tab.required if c not in found]
    if not missing:
        return None
    shown = ", ".join(str(n) for n in found) or "nothing"
    second = {header_name(c) for c in raw.second_row}
    gaps = any(n is None for n in names[: max((i for i, n in enumerate(names) if n), default=0)])
    if second & set(missing) or (gaps and found):
        return Issue(
            "error",
            "row 1 must hold the column names; this tab looks like it has a merged or "
            f"two-row header (row 1 has: {shown})",
            tab=tab.name, row=1, source=raw.origin,
            expected="one header row with " + ", ".join(tab.required),
        )
    return Issue(
        "error",
        f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; found: {shown}",
        tab=tab.name, row=1, source=raw.origin,
        expected="columns " + ", ".join(tab.column_names),
    )


# ---------------------------------------------------------------------------------------
# cells


def _parse_column(col: Column, cells: pd.Series) -> tuple[list[object], list[tuple[str, str] | None]]:
    """Parse a column once per distinct value; returns values and (message, expected) or None."""
    parser = PARSERS[col.kind]
    cache: dict[tuple[type, object], tuple[object, tuple[str, str] | None]] = {}
    values, errors = [], []
    for cell in cells:
        key = (type(cell), cell)
        if key not in cache:
            cache[key] = _parse_cell(col, parser, cell)
        value, err = cache[key]
        values.append(value)
        errors.append(err)
    return values, errors


def _parse_cell(col: Column, parser, cell: object):
    if col.choices:
        value, err = parse_choice(cell, col.choices)
    else:
        value, err = parser(cell)
    if err:
        return None, (err.message, err.expected)
    if value is BLANK:
        if col.required:
            return None, ("required value is missing", _expected_for(col))
        return col.default, None
    if col.nonnegative and value < 0:
        return None, (f"negative {col.name}", "0 or more")
    if col.min is not None and value < col.min or col.max is not None and value > col.max:
        return None, (f"outside {col.min:g}-{col.max:g}", f"a number from {col.min:g} to {col.max:g}")
    return value, None


def _expected_for(col: Column) -> str:
    if col.choices:
        return " / ".join(col.choices)
    return {
        Kind.NUMBER: "a number", Kind.DATE: "a date", Kind.DATETIME: "a date or date-time",
        Kind.MONTH: "a month such as 2026-07", Kind.QUARTER: "a quarter such as 2026-Q3",
        Kind.PERIOD: "a period such as 2026-07, 2026-Q3 or 2026", Kind.BOOL: "yes or no",
        Kind.TEXT: "a value",
    }[col.kind]


# ---------------------------------------------------------------------------------------
# the tab


def validate_tab(raw: RawTab) -> TabResult:
    tab = TABS[raw.tab]
    names = [header_name(h) for h in raw.header]
    issue = _header_issue(tab, raw, names)
    if issue:
        return TabResult(tab.name, raw.origin, None, issues=[issue])

    data = raw.data
    first_pos = _first_positions(names)
    blank = _blank_rows(data)
    body = data.loc[~blank]
    sheet_rows = (body.index.to_numpy() + 2).tolist()
    result = TabResult(tab.name, raw.origin, None, rows_read=len(body))

    typed: dict[str, list[object]] = {}
    row_errors: dict[int, list[Issue]] = {}
    for col in tab.columns:
        pos = first_pos.get(col.name)
        if pos is None:
            typed[col.name] = [col.default] * len(body)
            continue
        cells = body[pos]
        values, errors = _parse_column(col, cells)
        typed[col.name] = values
        for i, err in enumerate(errors):
            if err:
                row_errors.setdefault(i, []).append(Issue(
                    "error", err[0], tab=tab.name, row=sheet_rows[i], column=col.name,
                    value=cells.iloc[i], expected=err[1], source=raw.origin,
                ))

    extras = [n for n, p in first_pos.items() if n not in tab.column_names]
    result.extra_columns = extras
    frame = pd.DataFrame(typed)
    for name in extras:
        frame[name] = [None if is_blank(v) else str(v).strip() for v in body[first_pos[name]]]
    frame[ROW] = sheet_rows
    frame = _coerce_types(tab, frame)

    _key_errors(tab, frame, row_errors, raw.origin)
    bad = sorted(row_errors)
    result.quarantine = [
        QuarantinedRow(tab.name, sheet_rows[i], _raw_values(raw, names, body.iloc[i]), row_errors[i])
        for i in bad
    ]
    for q in result.quarantine:
        result.issues.extend(q.issues)
    good = frame.drop(index=bad).reset_index(drop=True)
    result.issues.extend(_duplicate_warnings(tab, body, sheet_rows, raw.origin))
    result.issues.extend(_order_warnings(tab, good, raw.origin))
    result.frame = good
    return result


def _first_positions(names: list[str | None]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for pos, name in enumerate(names):
        if name and name not in positions:
            positions[name] = pos
    return positions


def _blank_rows(data: pd.DataFrame) -> pd.Series:
    if data.empty:
        return pd.Series([], dtype=bool)
    return data.apply(lambda col: col.map(is_blank)).all(axis=1)


def _raw_values(raw: RawTab, names: list[str | None], row: pd.Series) -> dict[str, object]:
    out = {}
    for pos, name in enumerate(names):
        label = name or f"column {pos + 1}"
        cell = row.iloc[pos]
        out[label] = None if cell is None or (isinstance(cell, float) and pd.isna(cell)) else cell
    return out


_DTYPES = {
    Kind.NUMBER: "Float64", Kind.BOOL: "boolean", Kind.TEXT: "string", Kind.MONTH: "string",
    Kind.QUARTER: "string", Kind.PERIOD: "string",
}


def _coerce_types(tab: Tab, frame: pd.DataFrame) -> pd.DataFrame:
    for col in tab.columns:
        if col.kind in (Kind.DATE, Kind.DATETIME):
            frame[col.name] = pd.to_datetime(frame[col.name], errors="coerce")
            if col.kind is Kind.DATE:
                frame[col.name] = frame[col.name].dt.normalize()
        else:
            frame[col.name] = frame[col.name].astype(_DTYPES[col.kind])
    frame[ROW] = frame[ROW].astype("int64")
    return frame


def _key_errors(tab: Tab, frame: pd.DataFrame, row_errors: dict[int, list[Issue]], origin: str) -> None:
    """A second row with the same key is an error on the later row; the first one counts."""
    if not tab.key:
        return
    seen: dict[tuple, int] = {}
    keys = frame[list(tab.key)].astype(object).where(frame[list(tab.key)].notna(), None)
    for i, key in enumerate(keys.itertuples(index=False, name=None)):
        if i in row_errors:
            continue
        if key in seen:
            first = int(frame[ROW].iloc[seen[key]])
            label = ", ".join(f"{k}={v}" for k, v in zip(tab.key, key) if v is not None)
            row_errors[i] = [Issue(
                "error", f"duplicate of row {first} ({label}); only the first one counts",
                tab=tab.name, row=int(frame[ROW].iloc[i]), column=tab.key[0],
                value=key[0], expected="one row per " + " + ".join(tab.key), source=origin,
                rows=(first,),
            )]
        else:
            seen[key] = i


def _duplicate_warnings(tab: Tab, body: pd.DataFrame, sheet_rows: list[int], origin: str) -> list[Issue]:
    """Identical rows are kept (two equal purchases happen) but flagged as a likely double entry."""
    if tab.key or body.empty:
        return []
    as_text = body.astype(str)
    dup = as_text.duplicated(keep=False)
    groups: dict[tuple, list[int]] = {}
    for i in dup[dup].index:
        groups.setdefault(tuple(as_text.loc[i]), []).append(sheet_rows[body.index.get_loc(i)])
    return [
        Issue("warning", f"rows {', '.join(map(str, rows))} are identical: a likely double entry; both are kept",
              tab=tab.name, row=rows[-1], source=origin, rows=tuple(rows))
        for rows in groups.values()
    ]


def _order_warnings(tab: Tab, good: pd.DataFrame, origin: str) -> list[Issue]:
    issues = []
    for small, large in tab.not_above:
        over = good[(good[small] > good[large]).fillna(False)]
        for _, r in over.iterrows():
            issues.append(Issue(
                "warning", f"{small} ({r[small]:g}) is more than {large} ({r[large]:g}); the row is kept",
                tab=tab.name, row=int(r[ROW]), column=small, source=origin,
            ))
    return issues


# ---------------------------------------------------------------------------------------
# across tabs


def check_references(results: dict[str, TabResult]) -> None:
    """Quarantine rows whose id refers to nothing (kpi_actuals.employee_id not in staff ...).

    A reference is only checked when the tab it points to was loaded: a workbook without
    a staff tab is reported as missing a tab, not as thousands of bad ids.
    """
    for name, result in results.items():
        if not result.ok:
            continue
        for column, other, other_col in TABS[name].refs:
            target = results.get(other)
            if target is None or not target.ok:
                continue
            known = set(target.frame[other_col].dropna().astype(str))
            values = result.frame[column].astype(object)
            dangling = values.notna() & ~values.astype(str).isin(known)
            if dangling.any():
                _quarantine_rows(result, dangling, column, other, other_col)


def _quarantine_rows(result: TabResult, mask: pd.Series, column: str, other: str, other_col: str) -> None:
    for _, r in result.frame[mask].iterrows():
        issue = Issue(
            "error", f"not in tab {other}", tab=result.tab, row=int(r[ROW]),
            column=column, value=r[column], expected=f"a value listed in {other}.{other_col}",
            source=result.origin,
        )
        values = {k: (None if pd.isna(v) else v) for k, v in r.items() if k != ROW}
        result.quarantine.append(QuarantinedRow(result.tab, int(r[ROW]), values, [issue]))
        result.issues.append(issue)
    result.frame = result.frame[~mask].reset_index(drop=True)
    result.quarantine.sort(key=lambda q: q.row)
