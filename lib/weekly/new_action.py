"""An action noted in the weekly meeting, as the row lib.writeback.append_row writes to the
actions tab.

The meeting checks what the sheet cannot (a title, an owner from the staff tab, a due date
not before the review day, a metric of the catalogue) and names every problem at once;
writeback then checks the row against the tab's own rules. The action is recorded as
created on the review day (the Monday after the week), so the review of that week lists
it under "noted at this review"; it is `open`, and reviewed in the ISO week it is due.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lib.metrics.grains import label_of
from lib.metrics.spec import Catalog

_NUMBERED = re.compile(r"^A-(\d+)$")
TITLE_LIMIT = 200


@dataclass(frozen=True)
class Problem:
    key: str  # the string key (weekly.form.problem.<key>) the form shows it with
    message: str  # the same in English, for logs and the CLI
    values: tuple[tuple[str, str], ...] = ()


class ActionError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def next_action_id(existing: Iterable[str]) -> str:
    """A-019 after A-018: one more than the highest A-<number> id (at least three digits);
    ids of another shape are left alone."""
    numbers = [int(m.group(1)) for m in (_NUMBERED.match(str(i).strip()) for i in existing) if m]
    return f"A-{(max(numbers) if numbers else 0) + 1:03d}"


def action_row(*, existing_ids: Iterable[str], staff_ids: Iterable[str], catalog: Catalog, review_day: dt.date,
               title: str | None, owner_id: str | None, due: dt.date | None, metric: str | None = None,
               expected_lift_pct: float | None = None) -> dict:
    """The row for the actions tab, or ActionError naming every problem."""
    title = " ".join((title or "").split())
    problems = []
    if not title:
        problems.append(Problem("title", "title: write what will be done"))
    elif len(title) > TITLE_LIMIT:
        problems.append(Problem("title_long", f"title: at most {TITLE_LIMIT} characters ({len(title)} typed)",
                                (("limit", str(TITLE_LIMIT)), ("n", str(len(title))))))
    if not owner_id:
        problems.append(Problem("owner", "owner: choose who owns the action"))
    elif owner_id not in set(staff_ids):
        problems.append(Problem("owner_unknown", f"owner: {owner_id} is not in the staff tab", (("owner", owner_id),)))
    if due is None:
        problems.append(Problem("due", "due: choose a due date"))
    elif due < review_day:
        problems.append(Problem("due_past", f"due: {due} is before the review day {review_day}",
                                (("due", due.isoformat()), ("day", review_day.isoformat()))))
    if metric and metric not in catalog:
        problems.append(Problem("metric", f"metric: {metric} is not in config/metrics.yaml", (("metric", metric),)))
    if problems:
        raise ActionError(problems)
    return {
        "action_id": next_action_id(existing_ids), "title": title, "owner_id": owner_id, "created": review_day,
        "due": due, "status": "open", "metric": metric or None,
        "expected_lift": None if expected_lift_pct is None else expected_lift_pct / 100,
        "review_week": label_of(due, "week"),
    }


def fingerprint(row: dict) -> str:
    """What makes two submissions the same action: everything typed, not the id (a second
    click after the first write would otherwise get the next id and be written again)."""
    return "|".join(f"{k}={row[k]}" for k in sorted(row) if k != "action_id")
