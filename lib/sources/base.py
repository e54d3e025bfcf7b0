"""What every source hands to validation: raw tabs, exactly as the cells were typed.

A file or sheet source reads each tab into a `RawTab`: the header row as typed and the
data rows as raw cell values (str, int, float, bool, datetime, date or None). Nothing is
parsed or coerced here; lib.validate does that once, the same way for every source, so a
cell gives the same result whether it came from CSV, .xlsx or Google Sheets.

A SQL source is different: its tables stay in the database (see lib.sources.sql).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd


class SourceError(Exception):
    """A source could not be read. The message says what to do about it."""


class WriteOutcomeUnknown(SourceError):
    """A write was sent but no answer came: the rows may or may not have been written."""


@dataclass
class RawTab:
    tab: str  # template name the tab was matched to (lower case)
    header: list[object]  # row 1 as typed
    data: pd.DataFrame  # object dtype, positional columns 0..n-1; row i is sheet row i + 2
    origin: str  # where it came from, for messages: file path or "sheet <id> / tab"
    # Rows as typed in row 2, used to spot a two-row header.
    second_row: list[object] = field(default_factory=list)


class FileSource(Protocol):
    name: str

    def read(self, tabs: list[str]) -> dict[str, RawTab]:
        """Read the requested tabs that exist; raise SourceError when the source is down."""
        ...


def rows_to_rawtab(tab: str, rows: list[list[object]], origin: str) -> RawTab:
    """Build a RawTab from a list of rows (row 0 is the header); ragged rows are padded."""
    header = list(rows[0]) if rows else []
    body = rows[1:]
    width = max([len(header)] + [len(r) for r in body]) if rows else 0
    header = header + [None] * (width - len(header))
    padded = [list(r) + [None] * (width - len(r)) for r in body]
    frame = pd.DataFrame(padded, columns=range(width), dtype=object)
    return RawTab(tab, header, frame, origin, second_row=padded[0] if padded else [])
