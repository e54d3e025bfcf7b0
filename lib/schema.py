"""The shared-sheet data template (../shared/spec/data-template.md) as data.

Everything that reads, validates, stores or documents a tab takes its column list,
types, keys and cross-tab references from here, so the template lives in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """The type of a template column; each has one parser in lib.normalize."""

    DATE = "date"  # ISO, 2025/7/1, 2025年7月1日, spreadsheet serial
    DATETIME = "datetime"  # a date, or a date with a time of day
    MONTH = "month"  # YYYY-MM
    QUARTER = "quarter"  # YYYY-Qn
    PERIOD = "period"  # a month, a quarter or a year (YYYY)
    NUMBER = "number"
    BOOL = "bool"
    TEXT = "text"  # trimmed; ids are text too, so 007 keeps its zeros


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    nonnegative: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    default: object | None = None


@dataclass(frozen=True)
class Tab:
    name: str
    columns: tuple[Column, ...]
    group: str  # "marketing" or "people"
    key: tuple[str, ...] = ()  # a second row with the same key is an error
    refs: tuple[tuple[str, str, str], ...] = ()  # (column, other tab, other column)
    # (smaller, larger): a row where smaller > larger gets a warning but is kept
    not_above: tuple[tuple[str, str], ...] = ()
    description: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def _c(name: str, kind: Kind = Kind.TEXT, **kw) -> Column:
    return Column(name, kind, **kw)


def _req(name: str, kind: Kind = Kind.TEXT, **kw) -> Column:
    return Column(name, kind, required=True, **kw)


N, D = Kind.NUMBER, Kind.DATE

TABS: dict[str, Tab] = {
    t.name: t
    for t in (
        # ---- marketing -------------------------------------------------------
        Tab(
            "marketing_daily",
            (
                _req("date", D), _req("channel"), _c("region"), _c("product_line"),
                _c("department"), _c("campaign_id"), _req("spend", N, nonnegative=True),
                _c("impressions", N, nonnegative=True), _c("clicks", N, nonnegative=True),
                _c("engagements", N, nonnegative=True), _c("leads", N, nonnegative=True),
                _c("new_customers", N, nonnegative=True), _c("orders", N, nonnegative=True),
                _c("revenue", N),
            ),
            "marketing",
            not_above=(("clicks", "impressions"), ("new_customers", "leads")),
            description="Daily spend and results per channel, region, product line.",
        ),
        Tab(
            "campaigns",
            (
                _req("campaign_id"), _c("name"), _c("channel"), _c("department"),
                _c("owner_id"), _c("start_date", D), _c("end_date", D),
                _c("budget", N, nonnegative=True),
            ),
            "marketing",
            key=("campaign_id",),
        ),
        Tab(
            "budget",
            (
                _req("month", Kind.MONTH), _req("department"),
                _req("category", choices=("online_ads", "offline_events", "training", "other")),
                _c("channel"), _req("amount", N, nonnegative=True),
            ),
            "marketing",
        ),
        Tab(
            "touchpoints",
            (_req("journey_id"), _req("ts", Kind.DATETIME), _req("channel")),
            "marketing",
        ),
        Tab(
            "conversions",
            (_req("journey_id"), _c("converted_at", Kind.DATETIME),
             _c("value", N, nonnegative=True, default=1.0)),
            "marketing",
            key=("journey_id",),
            refs=(("journey_id", "touchpoints", "journey_id"),),
        ),
        Tab("benchmarks", (_req("metric"), _req("value", N), _c("source")), "marketing"),
        Tab(
            "targets",
            (
                _req("metric"), _req("period", Kind.PERIOD), _c("department"), _c("channel"),
                _c("region"), _c("product_line"), _req("value", N),
            ),
            "marketing",
            key=("metric", "period", "department", "channel", "region", "product_line"),
        ),
        Tab(
            "customers",
            (
                _req("customer_id"), _req("acquired_at", D), _req("channel"), _c("region"),
                _c("product_line"), _c("segment"),
            ),
            "marketing",
            key=("customer_id",),
        ),
        Tab(
            "orders",
            (_req("order_id"), _req("customer_id"), _req("date", D),
             _req("amount", N, nonnegative=True)),
            "marketing",
            key=("order_id",),
            refs=(("customer_id", "customers", "customer_id"),),
        ),
        Tab(
            "experiments",
            (
                _req("experiment_id"), _req("variant"), _req("users", N, nonnegative=True),
                _req("conversions", N, nonnegative=True), _c("metric"), _c("start_date", D),
                _c("end_date", D),
            ),
            "marketing",
            key=("experiment_id", "variant"),
            not_above=(("conversions", "users"),),
        ),
        Tab(
            "actions",
            (
                _req("action_id"), _req("title"), _c("owner_id"), _c("created", D),
                _c("due", D), _c("status", choices=("open", "doing", "done", "dropped")),
                _c("metric"), _c("expected_lift", N), _c("review_week"),
            ),
            "marketing",
            key=("action_id",),
        ),
        # ---- people and goals -----------------------------------------------
        Tab(
            "staff",
            (
                _req("employee_id"), _req("name"), _req("department"), _c("title"),
                _c("level", choices=("director", "manager", "supervisor", "specialist")),
                _c("manager_id"), _c("hire_date", D), _c("active", Kind.BOOL, default=True),
            ),
            "people",
            key=("employee_id",),
        ),
        Tab(
            "kpi_actuals",
            (
                _req("employee_id"), _req("month", Kind.MONTH), _req("indicator"),
                _req("target", N), _req("actual", N),
            ),
            "people",
            key=("employee_id", "month", "indicator"),
            refs=(("employee_id", "staff", "employee_id"),),
        ),
        Tab(
            "ratings",
            (
                _req("employee_id"), _req("period", Kind.PERIOD), _req("dimension"),
                _req("rater_id"),
                _req("rater_type", choices=("self", "supervisor", "peer", "cross_dept")),
                _req("score", N, min=0, max=100),
            ),
            "people",
            key=("employee_id", "period", "dimension", "rater_id"),
            refs=(("employee_id", "staff", "employee_id"),),
        ),
        Tab(
            "compliance",
            (
                _req("employee_id"), _req("month", Kind.MONTH), _req("item"),
                _req("violation", Kind.BOOL), _c("note"),
            ),
            "people",
            refs=(("employee_id", "staff", "employee_id"),),
        ),
        Tab(
            "calibrations",
            (
                _req("employee_id"), _req("period", Kind.PERIOD), _req("dimension"),
                _c("original_score", N, min=0, max=100),
                _req("calibrated_score", N, min=0, max=100), _req("reason"), _c("by"),
                _c("at", Kind.DATETIME),
            ),
            "people",
            refs=(("employee_id", "staff", "employee_id"),),
        ),
        Tab(
            "objectives",
            (
                _req("objective_id"), _req("quarter", Kind.QUARTER), _req("title"),
                _c("owner"), _c("parent_id"),
            ),
            "people",
            key=("objective_id",),
        ),
        Tab(
            "key_results",
            (
                _req("kr_id"), _req("objective_id"), _req("title"), _c("metric"),
                _req("start_value", N), _req("target_value", N), _c("unit"),
                _c("weight", N, nonnegative=True, default=1.0),
            ),
            "people",
            key=("kr_id",),
            refs=(("objective_id", "objectives", "objective_id"),),
        ),
        Tab(
            "checkins",
            (
                _req("kr_id"), _req("date", D), _req("value", N),
                _c("confidence", N, min=0, max=10), _c("note"), _c("author_id"),
            ),
            "people",
            refs=(("kr_id", "key_results", "kr_id"),),
        ),
    )
}

# Tabs the app writes rows to (check-ins, actions, calibrations): see lib.writeback.
WRITABLE_TABS = ("checkins", "actions", "calibrations")

# Text shown for a missing tab: which columns a page needs.
def describe_tab(name: str) -> str:
    tab = TABS[name]
    cols = ", ".join(f"{c.name}*" if c.required else c.name for c in tab.columns)
    return f"{name} ({cols}; * = required)"


# Make the compact aliases above private to this module.
del N, D
