"""The reporting periods people pick: a week, a month or a quarter, and the ones before it.

The default is the last *complete* period of the data (the last complete ISO week for the
weekly meeting), judged against the data's last day rather than the calendar, so a sheet
whose numbers stop on Saturday never shows a half week as if it were a bad week.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lib.metrics.grains import label_of, parse_period, previous_range, year_ago_range

PICKABLE_GRAINS = ("week", "month", "quarter")


@dataclass(frozen=True)
class Period:
    grain: str
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, label: str) -> "Period":
        grain, start, end = parse_period(label)
        return cls(grain, start, end)

    @property
    def label(self) -> str:
        return label_of(self.start, self.grain)

    def previous(self) -> "Period":
        return Period(self.grain, *previous_range(self.start, self.end))

    def year_ago(self) -> "Period":
        return Period(self.grain, *year_ago_range(self.start, self.end))

    def back(self, n: int) -> list["Period"]:
        """This period and the n-1 before it, oldest first (for sparklines and trends)."""
        out = [self]
        while len(out) < n:
            out.append(out[-1].previous())
        return out[::-1]


def last_complete(grain: str, data_end: dt.date) -> Period:
    """The newest period of this grain that ends on or before the data's last day."""
    current = Period.of(label_of(data_end, grain))
    return current if current.end <= data_end else current.previous()


def choices(grain: str, data_start: dt.date, data_end: dt.date) -> list[Period]:
    """Complete periods covered by the data, newest first (the picker's options)."""
    out, period = [], last_complete(grain, data_end)
    while period.start >= data_start:
        out.append(period)
        period = period.previous()
    return out
