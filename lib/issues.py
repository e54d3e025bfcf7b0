"""One shape for every problem the app finds: in config, in a tab, in a cell, at a source.

Validation collects issues instead of stopping at the first, so a person fixing the
shared sheet sees everything at once. `str(issue)` is the sentence shown in the CLI and
the UI; tests check that text exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    level: Level
    message: str  # what is wrong, in plain words
    tab: str | None = None
    row: int | None = None  # spreadsheet row; the header is row 1
    column: str | None = None
    value: object | None = None  # the raw cell as the person typed it
    expected: str | None = None  # what would have been accepted / how to fix it
    source: str | None = None  # source name from config/sources.yaml, or a file
    key: str | None = None  # config key path, e.g. sources.sheet.kind
    rows: tuple[int, ...] = field(default=())  # other rows involved (duplicates)
    hint: str | None = None  # what to do, e.g. "did you mean 'path'?"

    @property
    def blocking(self) -> bool:
        return self.level == "error"

    def where(self) -> str:
        parts = []
        if self.source and not self.tab:
            parts.append(self.source)
        if self.key:
            parts.append(self.key)
        if self.tab:
            parts.append(f"tab {self.tab}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        if self.value is not None and self.column:
            text = f"{text}: {self.value!r}" if not _mentions(self.message, self.value) else text
        if self.expected:
            text = f"{text} (expected {self.expected})"
        if self.hint:
            text = f"{text}; {self.hint}"
        where = self.where()
        return f"{self.level}: {where}: {text}" if where else f"{self.level}: {text}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rows"] = list(self.rows)
        if d["value"] is not None:
            d["value"] = str(d["value"])
        d["text"] = str(self)
        return d


def _mentions(message: str, value: object) -> bool:
    return repr(value) in message


class ConfigError(Exception):
    """Raised when a config file is invalid; carries every issue found."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))
