"""The rows the appraisal needs, read from the store for the months and periods asked.

The people tabs are small (a row per person, month and sub-indicator), so they are read
into pandas filtered in SQL by month or period; nothing big is loaded.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.schema import TABS
from lib.store import MissingTabError, Store
from lib.validate import ROW

NEEDED = ("staff", "kpi_actuals")
OPTIONAL = ("ratings", "compliance", "calibrations")


@dataclass
class Inputs:
    staff: pd.DataFrame
    kpi: pd.DataFrame  # kpi_actuals rows of the months asked
    ratings: pd.DataFrame  # ratings rows of the periods asked
    compliance: pd.DataFrame
    calibrations: pd.DataFrame
    absent: tuple[str, ...] = ()  # optional tabs no source provides

    def only(self, employee_ids: set[str]) -> "Inputs":
        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["employee_id"].isin(employee_ids)].reset_index(drop=True)

        return Inputs(keep(self.staff), keep(self.kpi), keep(self.ratings), keep(self.compliance),
                      keep(self.calibrations), self.absent)


def require(store: Store) -> None:
    missing = store.missing(*NEEDED)
    if missing:
        raise MissingTabError(missing, ["the appraisal"])


def load_inputs(store: Store, months: list[str], periods: list[str],
                compliance_months: list[str] | None = None) -> Inputs:
    """kpi_actuals of `months`; ratings and calibrations of `periods`; compliance of
    `compliance_months` (default: `months`)."""
    require(store)
    return Inputs(
        staff=read_staff(store),
        kpi=_rows(store, "kpi_actuals", "month", months),
        ratings=_rows(store, "ratings", "period", periods),
        compliance=_rows(store, "compliance", "month", compliance_months or months),
        calibrations=_rows(store, "calibrations", "period", periods),
        absent=tuple(store.missing(*OPTIONAL)),
    )


def read_staff(store: Store) -> pd.DataFrame:
    staff = store.read("staff")
    staff["employee_id"] = staff["employee_id"].astype(str)
    staff["active"] = staff["active"].map(lambda v: True if pd.isna(v) else bool(v))
    return staff


def _rows(store: Store, tab: str, column: str, values: list[str]) -> pd.DataFrame:
    names = TABS[tab].column_names
    if not store.has(tab) or not values:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*names, ROW]})
    with_row = store.relation(tab).location == "duckdb"  # a live SQL table has no sheet rows
    frame = store.read(tab, columns=[*names, ROW] if with_row else names,
                       where=lambda t: [t.c[column].in_(sorted(set(values)))])
    if not with_row:
        frame[ROW] = None
    frame["employee_id"] = frame["employee_id"].astype(str)
    return frame
