"""Which periods the pickers offer and which one they start on."""
import datetime as dt

from lib.periods import Period, choices, last_complete

END = dt.date(2026, 10, 31)  # a Saturday: the week of 26 Oct is not complete


def test_last_complete_week_skips_the_half_week():
    p = last_complete("week", END)
    assert (p.label, p.start, p.end) == ("2026-W43", dt.date(2026, 10, 19), dt.date(2026, 10, 25))
    assert last_complete("week", dt.date(2026, 10, 25)).label == "2026-W43"  # ends on a Sunday


def test_last_complete_month_and_quarter():
    assert last_complete("month", END).label == "2026-10"
    assert last_complete("month", dt.date(2026, 10, 30)).label == "2026-09"
    assert last_complete("quarter", END).label == "2026-Q3"


def test_previous_year_ago_and_back():
    w = Period.of("2026-W01")
    assert w.previous().label == "2025-W52" and w.previous().end == dt.date(2025, 12, 28)
    assert w.year_ago().label == "2025-W01"
    assert Period.of("2026-03").previous().label == "2026-02"
    assert [p.label for p in Period.of("2026-Q1").back(3)] == ["2025-Q3", "2025-Q4", "2026-Q1"]


def test_choices_newest_first_and_only_complete_periods():
    got = [p.label for p in choices("month", dt.date(2025, 5, 1), END)]
    assert got[0] == "2026-10" and got[-1] == "2025-05" and len(got) == 18
    weeks = choices("week", dt.date(2025, 5, 1), END)
    assert weeks[-1].start >= dt.date(2025, 5, 1) and weeks[0].label == "2026-W43"
