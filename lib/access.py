"""Who is looking, and what they may see. Deny by default.

Every function that returns personal rows (appraisal scores, ratings, flags) takes a
Viewer and filters in lib/, not in the page: staff see their own rows, managers their
department, directors and admins everyone; the meeting-room `viewer` role and any
unknown or empty role see no personal rows at all.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ROLES = ("admin", "director", "manager", "staff", "viewer")

# Pages each role may open (keys are page ids, see app.py). Unknown role: nothing.
PAGES_BY_ROLE: dict[str, frozenset[str]] = {
    "admin": frozenset({"home", "cockpit", "channels", "customers", "okr", "appraisal", "weekly", "data_quality"}),
    "director": frozenset({"home", "cockpit", "channels", "customers", "okr", "appraisal", "weekly", "data_quality"}),
    "manager": frozenset({"home", "cockpit", "channels", "customers", "okr", "appraisal", "weekly", "data_quality"}),
    "staff": frozenset({"home", "cockpit", "channels", "customers", "okr", "appraisal", "weekly"}),
    "viewer": frozenset({"cockpit", "channels", "okr", "weekly"}),
}

# Group averages over fewer people than this are hidden below director level, so that
# an average of two cannot reveal one person's score.
MIN_GROUP_FOR_AVERAGES = 4


@dataclass(frozen=True)
class Viewer:
    username: str
    role: str
    employee_id: str | None = None
    department: str | None = None

    @property
    def sees_everyone(self) -> bool:
        return self.role in ("admin", "director")

    @property
    def sees_personal_data(self) -> bool:
        return self.role in ("admin", "director", "manager", "staff")

    def cache_key(self) -> tuple:
        """Part of every cache key for personal rows, so one person's rows never reach another."""
        return (self.username, self.role, self.employee_id, self.department)


# Nobody signed in, or a role that is unknown or empty: sees no page and no personal row.
NOBODY = Viewer("", "")

# The CLI runs on the server by someone who can read the data files anyway.
SYSTEM = Viewer("cli", "admin")


def may_open(viewer: Viewer | None, page: str) -> bool:
    if viewer is None:
        return False
    return page in PAGES_BY_ROLE.get(viewer.role, frozenset())


def visible_employees(viewer: Viewer, staff: pd.DataFrame) -> set[str]:
    """The employee_ids whose personal rows this viewer may see."""
    if viewer.sees_everyone:
        return set(staff["employee_id"].astype(str))
    if viewer.role == "manager" and viewer.department:
        return set(staff.loc[staff["department"] == viewer.department, "employee_id"].astype(str))
    if viewer.role == "staff" and viewer.employee_id:
        return {viewer.employee_id} & set(staff["employee_id"].astype(str))
    return set()


def restrict(viewer: Viewer, frame: pd.DataFrame, staff: pd.DataFrame, column: str = "employee_id") -> pd.DataFrame:
    """Only the rows of `frame` this viewer may see (by its employee_id column)."""
    allowed = visible_employees(viewer, staff)
    return frame[frame[column].astype(str).isin(allowed)].reset_index(drop=True)


def may_see_group_averages(viewer: Viewer, group_size: int) -> bool:
    return viewer.sees_everyone or group_size >= MIN_GROUP_FOR_AVERAGES


# Who sees the appraisal alerts (coaching, calibration) of the weekly review: the people
# who run a team, each for the rows `restrict` gives them. Staff would only ever see their
# own row on a shared meeting screen, and the meeting-room `viewer` sees no personal rows.
APPRAISAL_ALERT_ROLES = frozenset({"admin", "director", "manager"})


def may_see_appraisal_alerts(viewer: Viewer | None) -> bool:
    return viewer is not None and viewer.role in APPRAISAL_ALERT_ROLES and may_open(viewer, "appraisal")
