"""The action list of the `actions` tab: owner, due date, status, overdue, linked metric.

An action is overdue when it is still open or in progress and its due date is before
the day the page looks from: the end of the selected period, or the data's last day
when that is earlier (a period picked today must not call tomorrow's deadline missed).
Actions created after that day are not shown; done and dropped ones come last.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from lib.metrics.spec import Catalog
from lib.store import Store

OPEN = ("open", "doing")
_ORDER = {"open": 0, "doing": 0, None: 1, "done": 2, "dropped": 3}


def as_of_day(period_end: dt.date, data_end: dt.date | None) -> dt.date:
    return min(period_end, data_end) if data_end else period_end


def on_the_list(frame: pd.DataFrame, period_start: dt.date) -> pd.DataFrame:
    """What the meeting goes through: every open action, and those closed (done or
    dropped) whose due date falls in the period."""
    live = frame["status"].isin(OPEN) | frame["status"].isna()
    closed_now = [d is not None and d >= period_start for d in frame["due"]]
    return frame[live | pd.Series(closed_now, index=frame.index)].reset_index(drop=True)


def action_list(store: Store, catalog: Catalog, as_of: dt.date, lang: str = "en") -> pd.DataFrame:
    """action_id, title, owner_id, owner, created, due, status, metric, metric_label,
    expected_lift, review_week, overdue, days_overdue; overdue first, then by due date."""
    frame = store.read("actions", where=lambda a: [sa.or_(a.c.created.is_(None), a.c.created <= as_of)])
    for col in ("created", "due"):
        frame[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame[col]]
    frame["status"] = frame["status"].where(frame["status"].notna(), None)
    frame["owner"] = frame["owner_id"].map(_owner_names(store, frame["owner_id"].dropna().unique()))
    frame["owner"] = frame["owner"].where(frame["owner"].notna(), frame["owner_id"])
    frame["metric_label"] = [catalog.label(m, lang) if isinstance(m, str) else None for m in frame["metric"]]
    is_open = frame["status"].isin(OPEN) | frame["status"].isna()
    frame["overdue"] = [bool(o and d is not None and d < as_of) for o, d in zip(is_open, frame["due"])]
    frame["days_overdue"] = pd.array([(as_of - d).days if late else None
                                      for late, d in zip(frame["overdue"], frame["due"])], dtype="Int64")
    frame["_rank"] = [0 if late else 1 + _ORDER.get(s, 1) for late, s in zip(frame["overdue"], frame["status"])]
    frame["_due"] = [d or dt.date.max for d in frame["due"]]
    return (frame.sort_values(["_rank", "_due", "action_id"], kind="stable")
            .drop(columns=["_rank", "_due"]).reset_index(drop=True))


def _owner_names(store: Store, ids) -> dict[str, str]:
    """employee_id -> name from the staff tab (an owner not in staff keeps their id)."""
    if not store.has("staff") or not len(ids):
        return {}
    staff = store.read("staff", ["employee_id", "name"],
                       where=lambda s: [s.c.employee_id.in_(sa.bindparam("ids", [str(i) for i in ids], expanding=True))])
    return dict(zip(staff["employee_id"], staff["name"]))
