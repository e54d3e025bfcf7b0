"""The hand-checked customer-value fixture (tests/fixtures/customers) as typed frames,
for loading into real databases, and the numbers worked out by hand from it.

As of 2026-03-31 (March complete):
    cohort   channel  customers                 active in month 0, 1, 2 ...
    2025-06  EDM      C09                       1, 0, 1, 0 x 7   (orders Jun, Aug)
    2026-01  抖音     C01 C02 C03               3, 1, 2
    2026-01  EDM      C05                       1, 1, 0
    2026-02  抖音     C04                       1, 1
    2026-02  EDM      C06 C07                   2, 0             (C06's January order is before
                                                                  its acquisition; C07's April
                                                                  order is after the as-of date)
    2026-03  抖音     C10 (no order)            0
    2026-03  EDM      C08                       1
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from lib import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "customers"
AS_OF = dt.date(2026, 3, 31)


def frames() -> dict[str, pd.DataFrame]:
    customers = pd.read_csv(FIXTURE / "customers.csv", dtype=str)
    customers["acquired_at"] = pd.to_datetime(customers["acquired_at"]).dt.date
    orders = pd.read_csv(FIXTURE / "orders.csv", dtype={"order_id": str, "customer_id": str})
    orders["date"] = pd.to_datetime(orders["date"]).dt.date
    orders["amount"] = orders["amount"].astype(float)
    return {"customers": customers, "orders": orders}
