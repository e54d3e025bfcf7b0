"""Typing mistakes a real team makes, planted into a copy of the sample data.

`plant(tabs)` changes the frames in place and returns what `check` must report for each
planted cell: (tab, spreadsheet row, column, value as typed). A second group of cells is
typed oddly but correctly (¥, %, full-width digits, Chinese dates, 是/否) and must load
without a complaint; `ODD_BUT_FINE` lists them.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Planted:
    tab: str
    row: int  # spreadsheet row: the header is row 1, so frame index i is row i + 2
    column: str
    value: str
    level: str = "error"


# (tab, frame index, column, typed value, level)
BAD_CELLS = (
    ("marketing_daily", 4, "spend", "abc", "error"),
    ("marketing_daily", 7, "spend", "#DIV/0!", "error"),
    ("marketing_daily", 11, "date", "7/1/2025", "error"),
    ("marketing_daily", 14, "clicks", "-30", "error"),
    ("marketing_daily", 19, "spend", "12,5", "error"),
    ("marketing_daily", 24, "impressions", "NaN", "error"),
    ("marketing_daily", 29, "date", "2025-13-45", "error"),
    ("marketing_daily", 32, "channel", "", "error"),
    ("kpi_actuals", 2, "employee_id", "E999", "error"),
    ("ratings", 3, "score", "120", "error"),
    ("checkins", 5, "confidence", "11", "error"),
    ("orders", 9, "customer_id", "C999999", "error"),
    ("actions", 2, "status", "finished", "error"),
    ("compliance", 6, "violation", "maybe", "error"),
    ("touchpoints", 3, "ts", "yesterday", "error"),
    ("budget", 1, "category", "marketing", "error"),
    ("experiments", 1, "conversions", "9000", "warning"),  # more conversions than users
)

# Oddly typed but valid: these must load as the value in the comment.
ODD_BUT_FINE = (
    ("marketing_daily", 40, "spend", "¥1,234"),  # 1234
    ("marketing_daily", 41, "spend", "１２３"),  # full-width 123
    ("marketing_daily", 42, "date", "2025年5月2日"),
    ("marketing_daily", 43, "channel", " 百度SEM "),  # trimmed
    ("kpi_actuals", 10, "actual", "12%"),  # 0.12
    ("compliance", 8, "violation", "否"),
)

# Text that must stay inert text on every page and in every export.
HOSTILE_TEXT = (
    ("actions", 5, "title", "<script>alert(1)</script> 复盘"),
    ("actions", 6, "title", '=HYPERLINK("http://example.com","点我")'),
    ("checkins", 7, "note", "@SUM(A1) 本周进度"),
)


def plant(tabs: dict[str, pd.DataFrame]) -> list[Planted]:
    planted: list[Planted] = []
    for group in (BAD_CELLS, ODD_BUT_FINE, HOSTILE_TEXT):
        for entry in group:
            tab, index, column, value = entry[:4]
            frame = tabs[tab]
            if frame[column].dtype != object:
                frame[column] = frame[column].astype(object)
            frame.at[index, column] = value
            if group is BAD_CELLS:
                planted.append(Planted(tab, index + 2, column, value, entry[4]))
    planted += _duplicates(tabs)
    return planted


def _duplicates(tabs: dict[str, pd.DataFrame]) -> list[Planted]:
    """A second row with an existing key (an error on the later row) and an exact double
    entry (kept, with a warning naming both rows)."""
    out = []
    staff = tabs["staff"]
    copy = staff.iloc[[4]].copy()
    copy["name"] = "陈晨（重复）"
    tabs["staff"] = pd.concat([staff, copy], ignore_index=True)
    out.append(Planted("staff", len(tabs["staff"]) + 1, "employee_id", str(copy.iloc[0]["employee_id"])))
    krs = tabs["key_results"]
    dup = krs.iloc[[0]].copy()
    dup["title"] = "重复录入的关键结果"
    tabs["key_results"] = pd.concat([krs, dup], ignore_index=True)
    out.append(Planted("key_results", len(tabs["key_results"]) + 1, "kr_id", str(dup.iloc[0]["kr_id"])))
    daily = tabs["marketing_daily"]
    tabs["marketing_daily"] = pd.concat([daily, daily.iloc[[50]]], ignore_index=True)
    out.append(Planted("marketing_daily", len(tabs["marketing_daily"]) + 1, "", "", "warning"))
    return out
