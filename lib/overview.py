"""What is loaded, for the home page and `check`: per tab, where from, how many rows, how fresh."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lib.issues import Issue
from lib.schema import TABS
from lib.store import Store, utcnow
from lib.validate import QuarantinedRow


@dataclass(frozen=True)
class TabSummary:
    tab: str
    source: str | None
    origin: str | None
    rows: int | None  # None: not loaded
    quarantined: int
    age_seconds: float | None
    stale: bool
    live: bool


def tab_summaries(store: Store, now: dt.datetime | None = None) -> list[TabSummary]:
    now = now or utcnow()
    out = []
    for tab in TABS:
        info = store.tabs.get(tab)
        if info is None:
            out.append(TabSummary(tab, None, None, None, len(store.quarantine.get(tab, [])), None, False, False))
            continue
        age = (now - info.loaded_at).total_seconds() if info.loaded_at else None
        out.append(TabSummary(tab, info.source, info.origin, info.rows, info.quarantined, age,
                              info.stale, info.location == "live"))
    return out


def data_period(store: Store) -> tuple[dt.date, dt.date] | None:
    """First and last day of marketing_daily, computed where the tab lives."""
    from lib.dimensions import date_span

    return date_span(store)


def months_covered(first: dt.date, last: dt.date) -> int:
    """Calendar months touched by the data, counting both ends (May 2025 - Oct 2026: 18)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def quarantine_rows(store: Store, tab: str | None = None) -> list[QuarantinedRow]:
    rows = [q for name, qs in store.quarantine.items() if tab in (None, name) for q in qs]
    return sorted(rows, key=lambda q: (list(TABS).index(q.tab), q.row))


def quarantine_issues(store: Store, tab: str | None = None) -> list[Issue]:
    """One line per problem cell of a quarantined row (a row can have several)."""
    return [i for q in quarantine_rows(store, tab) for i in q.issues]


def warnings(store: Store, tab: str | None = None) -> list[Issue]:
    return [i for i in store.issues if i.level == "warning" and i.tab and tab in (None, i.tab)]


def tab_and_source_problems(store: Store) -> list[Issue]:
    """Problems that are not about one row: a missing column, a failed source, a missing tab."""
    return [i for i in store.issues if i.row in (None, 1) and not (i.level == "warning" and i.tab)]
