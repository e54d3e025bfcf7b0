"""Budget against actual spend, by category and department, and the plan's default split.

The budget tab plans money per month, department and category (online_ads,
offline_events, training, other). Spend is tracked per channel in marketing_daily, and
config/cockpit.yaml (budget.channel_categories) says which category each channel's spend
counts against; a channel listed nowhere counts as `other` and is named. A category no
channel maps to (training, usually paid outside the ad platforms) has no tracked spend:
its actual is missing, not zero.

A selected week or quarter gets the budget of the days it covers: each month's amount
spread evenly over the month's days. Budget rows only carry a department (and maybe a
channel), so only the department filter applies here; the page says so when other
filters are set.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from lib.cockpit.config import CATEGORIES, BudgetConfig
from lib.metrics import Request, run, status, target_for
from lib.metrics.grains import label_of, parse_period
from lib.metrics.spec import Catalog
from lib.periods import Period
from lib.store import Store

Where = tuple[tuple[str, tuple[str, ...]], ...]
APPLIES = ("department",)


@dataclass
class BudgetView:
    lines: pd.DataFrame  # department, category, budget, actual, utilisation, status, flag
    categories: pd.DataFrame  # category, budget, actual, utilisation, budget_share, actual_share, plan_share, gap, off_plan
    unmapped: list[str] = field(default_factory=list)  # channels with spend counted as other
    ignored_filters: list[str] = field(default_factory=list)  # filters that do not apply to budgets

    @property
    def total_budget(self) -> float:
        return float(self.lines["budget"].sum())

    @property
    def total_actual(self) -> float | None:
        tracked = self.lines["actual"].dropna()
        return float(tracked.sum()) if len(tracked) else None

    @property
    def over(self) -> pd.DataFrame:
        return self.lines[self.lines["flag"].isin(["over", "no_budget"])]


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(label_of(day, "month"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def share_of_month(month: str, start: dt.date, end: dt.date) -> float:
    """The share of a month's days that fall in [start, end]."""
    _, first, last = parse_period(month)
    overlap = (min(last, end) - max(first, start)).days + 1
    return max(0, overlap) / ((last - first).days + 1)


def planned(store: Store, period: Period, departments: tuple[str, ...] | None) -> pd.DataFrame:
    """Budget per department and category for the period's days (aggregated in SQL by month)."""
    rel = store.relation("budget")
    b = rel.selectable
    months = _months(period.start, period.end)
    conditions = [b.c.month.in_(sa.bindparam("months", months, expanding=True))]
    if departments:
        conditions.append(b.c.department.in_(sa.bindparam("departments", list(departments), expanding=True)))
    query = (sa.select(b.c.month, b.c.department, b.c.category, sa.func.sum(b.c.amount).label("amount"))
             .where(*conditions).group_by(b.c.month, b.c.department, b.c.category))
    with rel.engine.connect() as conn:
        rows = pd.DataFrame(conn.execute(query).fetchall(), columns=["month", "department", "category", "amount"])
    if rows.empty:
        return pd.DataFrame(columns=["department", "category", "budget"])
    rows["budget"] = [float(a) * share_of_month(m, period.start, period.end) for m, a in zip(rows["month"], rows["amount"])]
    return rows.groupby(["department", "category"], as_index=False)["budget"].sum()


def spent(store: Store, catalog: Catalog, cfg: BudgetConfig, period: Period,
          departments: tuple[str, ...] | None) -> tuple[pd.DataFrame, list[str]]:
    """Spend per department and category (channels mapped by config), and unmapped channels."""
    where = (("department", departments),) if departments else ()
    frame = run(store, catalog, Request(("spend",), ("department", "channel"), None, period.start, period.end,
                                        where)).frame
    known = {c for channels in cfg.channel_categories.values() for c in channels}
    unmapped = sorted({str(c) for c in frame["channel"].dropna() if c not in known})
    frame["category"] = [cfg.category_of(c) for c in frame["channel"]]
    frame["department"] = frame["department"].fillna("—")
    return frame.groupby(["department", "category"], as_index=False)["spend"].sum(), unmapped


def _owned_categories(store: Store, cfg: BudgetConfig) -> set[tuple[str, str]]:
    """(department, category) pairs for which marketing_daily has spend rows at all."""
    rel = store.relation("marketing_daily")
    m = rel.selectable
    with rel.engine.connect() as conn:
        pairs = conn.execute(sa.select(m.c.department, m.c.channel).distinct()).fetchall()
    return {(str(d) if d is not None else "—", cfg.category_of(c)) for d, c in pairs}


def budget_view(store: Store, catalog: Catalog, cfg: BudgetConfig, period: Period, where: Where) -> BudgetView:
    departments = dict(where).get("department")
    plan = planned(store, period, departments)
    actual, unmapped = spent(store, catalog, cfg, period, departments)
    lines = plan.merge(actual, on=["department", "category"], how="outer")
    # A tracked category with no spend rows spent nothing; an untracked one is unknown, and
    # so is a line of a department that runs no channel of that category at all (the
    # centre's brand and PR budget): its money is spent outside marketing_daily.
    owned = _owned_categories(store, cfg)
    tracked = pd.Series([bool(cfg.tracked(c)) and (d, c) in owned for d, c in zip(lines["department"], lines["category"])],
                        index=lines.index)
    lines["actual"] = lines["spend"].where(lines["spend"].notna(), 0.0).where(tracked)
    lines = lines.drop(columns="spend")
    lines["budget"] = lines["budget"].astype(float)
    lines["utilisation"] = lines["actual"] / lines["budget"].where(lines["budget"] > 0)
    target = target_for(store, catalog, "budget_utilization", period.start, period.end)
    thresholds = catalog.thresholds_for("budget_utilization")
    direction = catalog["budget_utilization"].direction
    lines["status"] = [status(u, target, direction, thresholds) for u in lines["utilisation"]]
    lines["status"] = pd.Series(list(lines["status"]), dtype=object, index=lines.index)  # None stays None
    lines["flag"] = pd.Series([_flag(b, a) for b, a in zip(lines["budget"], lines["actual"])], dtype=object,
                              index=lines.index)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    lines = lines.sort_values(["category", "department"], key=lambda s: s.map(order) if s.name == "category" else s,
                              kind="stable").reset_index(drop=True)
    return BudgetView(lines, split_check(lines, cfg), unmapped,
                      [dim for dim, _ in where if dim not in APPLIES])


def _flag(budget, actual) -> str | None:
    if pd.isna(actual):
        return None
    if pd.isna(budget) or budget == 0:
        return "no_budget" if actual > 0 else None
    return "over" if actual > budget else None


def split_check(lines: pd.DataFrame, cfg: BudgetConfig) -> pd.DataFrame:
    """Per category: budget and spend, their shares, the plan's share and whether the
    budget's share strays from the plan by more than the tolerance."""
    rows = []
    total_budget = lines["budget"].sum()
    total_actual = lines["actual"].sum()  # NaN (untracked) are skipped
    for category in CATEGORIES:
        part = lines[lines["category"] == category]
        budget = float(part["budget"].sum())
        actual = float(part["actual"].sum()) if cfg.tracked(category) else float("nan")
        plan = cfg.planned_share(category)
        budget_share = budget / total_budget if total_budget else float("nan")
        gap = budget_share - plan if plan is not None and not pd.isna(budget_share) else float("nan")
        rows.append({
            "category": category, "budget": budget, "actual": actual,
            "utilisation": actual / budget if budget and not pd.isna(actual) else float("nan"),
            "budget_share": budget_share,
            "actual_share": actual / total_actual if total_actual and not pd.isna(actual) else float("nan"),
            "plan_share": float("nan") if plan is None else plan,
            "gap": gap,
            "off_plan": bool(not pd.isna(gap) and abs(gap) > cfg.split_tolerance + 1e-9),
        })
    return pd.DataFrame(rows)
