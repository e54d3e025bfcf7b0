"""Cell parsers: one per template type (lib.schema.Kind).

Each parser takes one raw cell exactly as a source delivered it (str from CSV, or
int/float/bool/datetime from .xlsx and Google Sheets' unformatted values) and returns
`(value, None)` or `(None, CellError)`. Blank cells return `(BLANK, None)` so the caller
decides: null in an optional column, an error in a required one. Nothing is coerced to
zero and nothing is guessed: an ambiguous cell is an error that says what to type.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Callable

from lib.schema import Kind


class _Blank:
    def __repr__(self) -> str:  # pragma: no cover - debug aid
        return "BLANK"


BLANK = _Blank()


@dataclass(frozen=True)
class CellError:
    message: str
    expected: str


Parsed = tuple[object, CellError | None]

# ---------------------------------------------------------------------------------------
# shared text clean-up

# Full-width forms typed with a Chinese input method, mapped to their ASCII twins.
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９，．％－＋（）：／　ＥｅＱｑＹｙＮｎ",
    "0123456789,.%-+():/ EeQqYyNn",
)
# Surrounding spaces people type; the non-breaking space is deliberately not here:
# it usually comes from a web page copy and hides that a "number" is really text.
_SPACES = " \t\r\n\u3000"
_BLANK_TOKENS = {"", "-", "—", "–", "n/a", "null", "none"}
FORMULA_ERRORS = (
    "#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!",
    "#SPILL!", "#CALC!", "#GETTING_DATA",
)


def _clean(text: str) -> str:
    return text.translate(_FULL_WIDTH).strip(_SPACES)


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True  # pandas' own missing marker from an empty .xlsx cell
    if isinstance(value, str):
        return _clean(value).lower() in _BLANK_TOKENS
    return False


def _formula_error(text: str) -> CellError | None:
    upper = text.strip().upper()
    for err in FORMULA_ERRORS:
        if upper == err:
            return CellError(f"formula error {err} in the cell", "the formula's result, not an error")
    return None


# ---------------------------------------------------------------------------------------
# numbers

NUMBER_EXPECTED = "a number such as 1234.5, 1,234, ¥1,234 or 12%"
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def parse_number(value: object) -> Parsed:
    if isinstance(value, bool):
        return None, CellError(f"{value} is a true/false value, not a number", NUMBER_EXPECTED)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isinf(value):
            return None, CellError("infinity is not a number", NUMBER_EXPECTED)
        if isinstance(value, float) and math.isnan(value):
            return BLANK, None
        return float(value), None
    if isinstance(value, (dt.date, dt.datetime)):
        return None, CellError("a date is not a number", NUMBER_EXPECTED)
    if value is None:
        return BLANK, None
    text = str(value)
    if "\u00a0" in text:
        return None, CellError("a non-breaking space hides in the cell", NUMBER_EXPECTED)
    text = _clean(text)
    if text.lower() in _BLANK_TOKENS:
        return BLANK, None
    err = _formula_error(text)
    if err:
        return None, err
    number = _number_from_text(text)
    if number is None:
        if re.fullmatch(r"[+-]?\d+,\d{1,2}", text):
            return None, CellError("looks like a decimal comma", NUMBER_EXPECTED + " (use a point for decimals)")
        return None, CellError("not a number", NUMBER_EXPECTED)
    return number, None


def _number_from_text(text: str) -> float | None:
    negative = False
    if text.startswith("(") and text.endswith(")"):  # accounting negative (1,234)
        negative, text = True, text[1:-1].strip()
    for prefix in ("¥", "￥", "RMB", "CNY"):
        if text.upper().startswith(prefix):
            text = text[len(prefix):].strip()
    if text.endswith("元"):
        text = text[:-1].strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    if text[:1] in "¥￥":  # -¥1,234
        text = text[1:]
    if text[:2] in ("-¥", "+¥", "-￥", "+￥"):
        text = text[0] + text[2:]
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    elif not _PLAIN.fullmatch(text):
        return None
    number = float(text)
    if math.isinf(number) or math.isnan(number):
        return None
    if percent:
        number /= 100.0
    return -number if negative else number


# ---------------------------------------------------------------------------------------
# dates

DATE_EXPECTED = "a date such as 2025-07-01, 2025/7/1, 2025年7月1日 or a spreadsheet date"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Spreadsheet serials from 1927 to 2119: wide enough for hire dates and plans, narrow
# enough that a year typed alone (2025) is not taken for a day in 1905.
_SERIAL_MIN, _SERIAL_MAX = 10_000, 80_000
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?")
_CN_YMD = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DMY_OR_MDY = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}.*")


def _from_serial(number: float) -> dt.datetime | None:
    if not (_SERIAL_MIN <= number <= _SERIAL_MAX):
        return None
    # Round to the second: serials carry float noise (0.41666666 for 10:00).
    return _EXCEL_EPOCH + dt.timedelta(seconds=round(number * 86400))


def parse_datetime(value: object) -> Parsed:
    """A date or a date-time, returned as datetime.datetime."""
    if isinstance(value, bool):
        return None, CellError("a true/false value is not a date", DATE_EXPECTED)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None), None
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return BLANK, None
        stamp = _from_serial(float(value))
        if stamp is None:
            return None, CellError("number is not a spreadsheet date", DATE_EXPECTED)
        return stamp, None
    if value is None:
        return BLANK, None
    text = _clean(str(value))
    if text.lower() in _BLANK_TOKENS:
        return BLANK, None
    err = _formula_error(text)
    if err:
        return None, err
    return _datetime_from_text(text)


def _datetime_from_text(text: str) -> Parsed:
    match = _YMD.fullmatch(text) or _CN_YMD.fullmatch(text)
    if match:
        y, m, d, hh, mm, ss = (int(g) if g else 0 for g in match.groups())
        try:
            return dt.datetime(y, m, d, hh, mm, ss), None
        except ValueError:
            return None, CellError("no such date", DATE_EXPECTED)
    if _DMY_OR_MDY.fullmatch(text):
        return None, CellError("day and month order is ambiguous", DATE_EXPECTED + "; write the year first")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        stamp = _from_serial(float(text))
        if stamp is not None:
            return stamp, None
    return None, CellError("not a date", DATE_EXPECTED)


def parse_date(value: object) -> Parsed:
    stamp, err = parse_datetime(value)
    if err or stamp is BLANK:
        return stamp, err
    return stamp.date(), None


# ---------------------------------------------------------------------------------------
# months, quarters, periods

MONTH_EXPECTED = "a month such as 2026-07"
QUARTER_EXPECTED = "a quarter such as 2026-Q3"
PERIOD_EXPECTED = "a month 2026-07, a quarter 2026-Q3 or a year 2026"
_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?")
_QUARTER = re.compile(r"(\d{4})\s*(?:[-/ ]?\s*[Qq]|年\s*第?\s*[Qq]?)\s*([1-4])\s*(?:季度)?")
_YEAR = re.compile(r"(\d{4})\s*年?")


def _month_label(y: int, m: int) -> str | None:
    return f"{y:04d}-{m:02d}" if 1 <= m <= 12 and 1900 <= y <= 2200 else None


def _date_like_month(value: object) -> Parsed | None:
    """A month typed into Google Sheets or Excel often becomes a date: take its month."""
    if isinstance(value, (dt.date, dt.datetime)) or (
        isinstance(value, (int, float)) and not isinstance(value, bool) and value >= _SERIAL_MIN
    ):
        stamp, err = parse_datetime(value)
        if err:
            return None, err
        return f"{stamp.year:04d}-{stamp.month:02d}", None
    return None


def parse_month(value: object) -> Parsed:
    if is_blank(value):
        return BLANK, None
    as_date = _date_like_month(value)
    if as_date:
        return as_date
    text = _clean(str(value))
    err = _formula_error(text)
    if err:
        return None, err
    match = _MONTH.fullmatch(text)
    label = match and _month_label(int(match[1]), int(match[2]))
    if label:
        return label, None
    return None, CellError("not a month", MONTH_EXPECTED)


def parse_quarter(value: object) -> Parsed:
    if is_blank(value):
        return BLANK, None
    text = _clean(str(value))
    err = _formula_error(text)
    if err:
        return None, err
    match = _QUARTER.fullmatch(text)
    if match:
        return f"{int(match[1]):04d}-Q{match[2]}", None
    return None, CellError("not a quarter", QUARTER_EXPECTED)


def parse_period(value: object) -> Parsed:
    """A month, a quarter or a year; `2026-3` is refused because it could mean March or Q3."""
    if is_blank(value):
        return BLANK, None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        if 1900 <= value <= 2200:
            return f"{int(value)}", None
    as_date = _date_like_month(value)
    if as_date:
        return as_date
    text = _clean(str(value))
    err = _formula_error(text)
    if err:
        return None, err
    quarter, _ = parse_quarter(text)
    if isinstance(quarter, str):
        return quarter, None
    if re.fullmatch(r"\d{4}\s*[-/.]\s*\d", text):
        return None, CellError("could be a month or a quarter", PERIOD_EXPECTED)
    month, _ = parse_month(text)
    if isinstance(month, str):
        return month, None
    match = _YEAR.fullmatch(text)
    if match and 1900 <= int(match[1]) <= 2200:
        return match[1], None
    return None, CellError("not a period", PERIOD_EXPECTED)


def period_kind(label: str) -> str:
    """'month', 'quarter' or 'year' for a normalised period label."""
    if "-Q" in label:
        return "quarter"
    return "month" if "-" in label else "year"


# ---------------------------------------------------------------------------------------
# booleans and text

BOOL_EXPECTED = "yes/no, y/n, true/false, 1/0 or 是/否"
_TRUE = {"yes", "y", "true", "1", "是", "t", "1.0"}
_FALSE = {"no", "n", "false", "0", "否", "f", "0.0"}


def parse_bool(value: object) -> Parsed:
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value), None
    if is_blank(value):
        return BLANK, None
    text = _clean(str(value)).lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    err = _formula_error(text)
    return None, err or CellError("not a yes/no value", BOOL_EXPECTED)


def parse_text(value: object) -> Parsed:
    if value is None or is_blank(value) and not isinstance(value, str):
        return BLANK, None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))  # an id typed as 7 in a sheet comes back as 7.0
    elif isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    else:
        text = str(value)
    text = text.strip(_SPACES + "\u00a0")
    if text == "":
        return BLANK, None
    err = _formula_error(text)
    if err:
        return None, err
    return text, None


# Chinese words people type for the English codes of choice columns.
CHOICE_SYNONYMS = {
    "线上广告": "online_ads", "线下活动": "offline_events", "培训": "training", "其他": "other",
    "自评": "self", "上级": "supervisor", "同事": "peer", "跨部门": "cross_dept",
    "总监": "director", "经理": "manager", "主管": "supervisor", "专员": "specialist",
    "待办": "open", "进行中": "doing", "已完成": "done", "已放弃": "dropped",
}


def parse_choice(value: object, choices: tuple[str, ...]) -> Parsed:
    text, err = parse_text(value)
    if err or text is BLANK:
        return text, err
    key = text.lower().replace(" ", "_").replace("-", "_")
    key = CHOICE_SYNONYMS.get(text, key)
    if key in choices:
        return key, None
    return None, CellError("not one of the allowed values", " / ".join(choices))


PARSERS: dict[Kind, Callable[[object], Parsed]] = {
    Kind.DATE: parse_date,
    Kind.DATETIME: parse_datetime,
    Kind.MONTH: parse_month,
    Kind.QUARTER: parse_quarter,
    Kind.PERIOD: parse_period,
    Kind.NUMBER: parse_number,
    Kind.BOOL: parse_bool,
    Kind.TEXT: parse_text,
}
