"""The typed-cells table of ../shared/spec/bad-inputs.md, case by case, plus properties."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from lib.normalize import (BLANK, parse_bool, parse_date, parse_datetime, parse_month,
                           parse_number, parse_period, parse_quarter, parse_text)


def ok(parsed):
    value, err = parsed
    assert err is None, err
    return value


def bad(parsed):
    value, err = parsed
    assert err is not None, f"expected an error, got {value!r}"
    return err


# ---- numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("cell, expected", [
    ("1,234", 1234.0), ("¥1,234", 1234.0), ("￥1,234", 1234.0), ("1.2E+05", 120000.0),
    ("12%", 0.12), ("12.5 %", 0.125), ("１２３", 123.0), ("１，２３４", 1234.0),
    ("(1,234)", -1234.0), ("  42  ", 42.0), ("1,234,567.89", 1234567.89), ("-¥1,234", -1234.0),
    ("1,234元", 1234.0), (7, 7.0), (2.5, 2.5), ("-3", -3.0), ("\u300042\u3000", 42.0),
])
def test_numbers_read(cell, expected):
    assert ok(parse_number(cell)) == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["", "-", "—", "N/A", "n/a", "null", None, "   "])
def test_blank_tokens_are_blank_not_zero(cell):
    assert ok(parse_number(cell)) is BLANK


@pytest.mark.parametrize("cell, words", [
    ("abc", "not a number"),
    ("12,5", "decimal comma"),
    ("NaN", "not a number"),
    ("inf", "not a number"),
    (float("inf"), "infinity"),
    ("3\u00a0", "non-breaking space"),
    (True, "true/false"),
])
def test_numbers_refused(cell, words):
    err = bad(parse_number(cell))
    assert words in err.message
    assert "a number such as" in err.expected


@pytest.mark.parametrize("formula_error", ["#DIV/0!", "#N/A", "#REF!", "#VALUE!"])
def test_formula_errors_are_named(formula_error):
    err = bad(parse_number(formula_error))
    assert err.message == f"formula error {formula_error} in the cell"


# ---- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["2025/7/1", "2025-07-01", "2025年7月1日", "2025-07-01 10:00",
                                  45839, "45839", dt.date(2025, 7, 1), dt.datetime(2025, 7, 1, 9)])
def test_dates_read(cell):
    assert ok(parse_date(cell)) == dt.date(2025, 7, 1)


def test_datetime_keeps_time_of_day_from_text_and_serial():
    assert ok(parse_datetime("2025-07-01 10:00")) == dt.datetime(2025, 7, 1, 10, 0)
    assert ok(parse_datetime(45839 + 10 / 24)) == dt.datetime(2025, 7, 1, 10, 0)


@pytest.mark.parametrize("cell, words", [
    ("2025-13-45", "no such date"),
    ("7/1/2025", "ambiguous"),
    ("1/7/2025", "ambiguous"),
    ("2025", "not a spreadsheet date"),  # a bare year is not day 2025 of 1900
    ("tomorrow", "not a date"),
])
def test_dates_refused_with_accepted_formats(cell, words):
    err = bad(parse_date(cell if cell != "2025" else 2025))
    assert words in err.message
    assert "2025-07-01, 2025/7/1, 2025年7月1日" in err.expected


# ---- booleans ----------------------------------------------------------------------------

@pytest.mark.parametrize("cell, expected", [
    ("是", True), ("否", False), ("Y", True), ("N", False), ("TRUE", True), ("FALSE", False),
    ("1", True), ("0", False), ("yes", True), ("no", False), (True, True), (0, False),
])
def test_booleans(cell, expected):
    assert ok(parse_bool(cell)) is expected


def test_boolean_refused():
    assert "是/否" in bad(parse_bool("maybe")).expected


# ---- periods -----------------------------------------------------------------------------

@pytest.mark.parametrize("cell, expected", [
    ("2026Q3", "2026-Q3"), ("2026-Q3", "2026-Q3"), ("2026 q3", "2026-Q3"), ("2026年第3季度", "2026-Q3"),
    ("2026年7月", "2026-07"), ("2026-07", "2026-07"), ("2026", "2026"), (2026, "2026"),
    (46204, "2026-07"),  # a month typed into a sheet that became the date 2026-07-01
])
def test_periods_read_when_unambiguous(cell, expected):
    assert ok(parse_period(cell)) == expected


def test_period_2026_3_could_be_march_or_q3():
    err = bad(parse_period("2026-3"))
    assert err.message == "could be a month or a quarter"
    assert err.expected == "a month 2026-07, a quarter 2026-Q3 or a year 2026"


def test_month_column_reads_2026_3_as_march():
    assert ok(parse_month("2026-3")) == "2026-03"
    assert "2026-07" in bad(parse_month("2026-13")).expected
    assert ok(parse_quarter("2026Q3")) == "2026-Q3"
    assert bad(parse_quarter("2026-Q5"))


# ---- text --------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, expected", [
    ("百度SEM ", "百度SEM"), ("  华东", "华东"), ("007", "007"), (7.0, "7"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")'),
])
def test_text_is_trimmed_and_kept_as_typed(cell, expected):
    assert ok(parse_text(cell)) == expected


# ---- properties --------------------------------------------------------------------------

money = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(money)
def test_any_grouped_amount_reads_back(amount):
    text = f"{amount:,.2f}"
    assert ok(parse_number(text)) == pytest.approx(float(amount), abs=1e-6)
    assert ok(parse_number("¥" + text if amount >= 0 else "-¥" + text[1:])) == pytest.approx(float(amount), abs=1e-6)


@given(st.integers(min_value=0, max_value=10**12))
def test_full_width_digits_equal_ascii(n):
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert ok(parse_number(full)) == n


@given(st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda x: round(x, 3)))
def test_percent_is_a_fraction(x):
    assert ok(parse_number(f"{x}%")) == pytest.approx(x / 100)


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_format_gives_the_same_day(day):
    forms = [day.isoformat(), f"{day.year}/{day.month}/{day.day}",
             f"{day.year}年{day.month}月{day.day}日", (day - dt.date(1899, 12, 30)).days]
    assert {ok(parse_date(f)) for f in forms} == {day}
