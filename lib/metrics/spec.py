"""config/metrics.yaml: the metric catalogue as pydantic models, validated as a whole.

A metric is declared once with everything people ask of a KPI (labels, description,
unit and format, direction, owner, target, thresholds, benchmark). Structure is checked
by pydantic; the rules in RULES check what spans metrics (unknown columns, missing
references, cycles, threshold order) and every problem is reported with the file, the
key path and the closest valid name.
"""
from __future__ import annotations

from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from lib.config import CONFIG_DIR, load_yaml_model, suggest
from lib.issues import ConfigError, Issue
from lib.metrics.expr import Expr, ExprError, parse
from lib.schema import TABS, Kind

METRICS_FILE = CONFIG_DIR / "metrics.yaml"


class Aggregation(str, Enum):
    SUM = "sum"
    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    AVG = "avg"
    MIN = "min"
    MAX = "max"
    RATIO = "ratio"
    DERIVED = "derived"

    @property
    def is_base(self) -> bool:
        return self not in (Aggregation.RATIO, Aggregation.DERIVED)

    @property
    def additive(self) -> bool:
        """Sums over disjoint segments add up to the total."""
        return self in (Aggregation.SUM, Aggregation.COUNT)


# The date column a tab's metrics are counted on, unless a metric names another one.
TIME_COLUMNS = {
    "marketing_daily": "date", "budget": "month", "orders": "date", "customers": "acquired_at",
    "conversions": "converted_at", "touchpoints": "ts", "experiments": "start_date",
    "campaigns": "start_date", "checkins": "date", "kpi_actuals": "month", "actions": "created",
}
_TIME_KINDS = (Kind.DATE, Kind.DATETIME, Kind.MONTH)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    en: str
    zh: str


class Condition(Strict):
    """A row filter of a metric: `{column: campaign_id, op: not_null}`."""

    column: str
    op: Literal["eq", "ne", "in", "not_null", "gt", "ge", "lt", "le"] = "eq"
    value: str | float | list[str] | list[float] | None = None


class Target(Strict):
    value: float
    # month: an amount per month, pro-rated to the period (revenue, spend);
    # period: a level that holds for any period (CAC, ROI).
    per: Literal["month", "period"] = "period"


class Thresholds(Strict):
    """Share of target: higher-is-better green >= green, amber >= amber, red below;
    lower-is-better green <= green, amber <= amber, red above."""

    green: float = Field(1.0, gt=0)
    amber: float = Field(gt=0)


Direction = Literal["higher_is_better", "lower_is_better", "neutral"]
Format = Literal["money", "percent", "integer", "decimal"]


class Metric(Strict):
    label: Text
    description: Text
    kind: Aggregation
    tab: str | None = None
    column: str | None = None
    time: str | None = None
    filter: list[Condition] = Field(default_factory=list)
    numerator: str | None = None
    denominator: str | None = None
    expr: str | None = None
    format: Format = "decimal"
    decimals: int = Field(0, ge=0, le=6)
    direction: Direction = "neutral"
    owner: str
    target: Target | None = None
    thresholds: Thresholds | None = None
    benchmark: float | None = None

    @property
    def time_column(self) -> str | None:
        return self.time or TIME_COLUMNS.get(self.tab or "")

    @cached_property
    def formula(self) -> Expr | None:
        if self.kind is Aggregation.RATIO and self.numerator and self.denominator:
            return parse(f"{self.numerator} / {self.denominator}")
        if self.kind is Aggregation.DERIVED and self.expr:
            return parse(self.expr)
        return None

    @property
    def inputs(self) -> list[str]:
        return self.formula.names if self.formula else []


class DefaultThresholds(Strict):
    higher_is_better: Thresholds = Thresholds(green=1.0, amber=0.9)
    lower_is_better: Thresholds = Thresholds(green=1.0, amber=1.1)


class Catalog(Strict):
    thresholds: DefaultThresholds = DefaultThresholds()
    metrics: dict[str, Metric]
    # leaves() and dimensions() are asked on every query: remember their answers.
    _memo: dict = PrivateAttr(default_factory=dict)

    def __getitem__(self, name: str) -> Metric:
        return self.metrics[name]

    def __contains__(self, name: str) -> bool:
        return name in self.metrics

    def thresholds_for(self, name: str) -> Thresholds | None:
        metric = self.metrics[name]
        if metric.direction == "neutral":
            return None
        return metric.thresholds or getattr(self.thresholds, metric.direction)

    def remember(self, key, compute):
        """compute() once per catalogue, for answers that depend on the catalogue alone (a
        reloaded catalogue is a new object and starts afresh)."""
        memo = self._memo  # one lookup: pydantic's private attributes are slow to reach
        try:
            return memo[key]
        except KeyError:
            memo[key] = value = compute()
            return value

    def leaves(self, name: str) -> list[str]:
        """The base (aggregated) metrics a metric is computed from, in a stable order."""
        return self.remember(("leaves", name), lambda: self._leaves(name))

    def _leaves(self, name: str) -> list[str]:
        metric = self.metrics[name]
        if metric.kind.is_base:
            return [name]
        out: list[str] = []
        for ref in metric.inputs:
            out += [leaf for leaf in self.leaves(ref) if leaf not in out]
        return out

    def additive(self, name: str) -> bool:
        """Values over disjoint segments add up to the total: sums and counts, and derived
        metrics that only add, subtract and scale them (profit = revenue - spend)."""
        return self.remember(("additive", name), lambda: self._additive(name, ()))

    def _additive(self, name: str, seen: tuple[str, ...]) -> bool:
        metric = self.metrics.get(name)
        if metric is None or name in seen:  # a missing metric or a cycle: reported by the rules
            return False
        if metric.kind.is_base:
            return metric.kind.additive
        if metric.kind is not Aggregation.DERIVED:
            return False
        try:
            formula = metric.formula
        except ExprError:
            return False
        return formula is not None and formula.is_linear() and all(
            self._additive(ref, seen + (name,)) for ref in formula.names)

    def dimensions(self, name: str) -> set[str]:
        """Columns a metric can be grouped and filtered by: text columns its tabs all have."""
        def compute():
            tabs = {self.metrics[leaf].tab for leaf in self.leaves(name)}
            sets = [{c.name for c in TABS[t].columns if c.kind is Kind.TEXT} for t in tabs if t in TABS]
            return set.intersection(*sets) if sets else set()

        return self.remember(("dimensions", name), compute)

    def label(self, name: str, lang: str) -> str:
        return getattr(self.metrics[name].label, lang, name) if name in self.metrics else name


# ---------------------------------------------------------------------------------------
# rules across metrics: each returns issues (key path without the file)



def rule_base_metrics_name_tab_and_column(cat: Catalog) -> list[Issue]:
    issues = []
    for name, m in cat.metrics.items():
        key = f"metrics.{name}"
        if not m.kind.is_base:
            continue
        if m.tab not in TABS:
            issues.append(Issue("error", f"unknown tab {m.tab!r}", key=f"{key}.tab", hint=suggest(m.tab, TABS)))
            continue
        columns = TABS[m.tab].column_names
        needs_column = m.kind is not Aggregation.COUNT
        if needs_column and m.column not in columns:
            issues.append(Issue("error", f"unknown column {m.column!r} in tab {m.tab}", key=f"{key}.column",
                                hint=suggest(m.column, columns)))
        elif needs_column and m.kind in (Aggregation.SUM, Aggregation.AVG) and \
                TABS[m.tab].column(m.column).kind is not Kind.NUMBER:
            issues.append(Issue("error", f"{m.kind.value} needs a number column; {m.column} is not",
                                key=f"{key}.column"))
        time = m.time_column
        if time not in columns or TABS[m.tab].column(time).kind not in _TIME_KINDS:
            dates = [c.name for c in TABS[m.tab].columns if c.kind in _TIME_KINDS]
            issues.append(Issue("error", f"time column {time!r} is not a date column of tab {m.tab}",
                                key=f"{key}.time", hint=suggest(time, dates) or f"date columns: {', '.join(dates) or 'none'}"))
        for i, cond in enumerate(m.filter):
            if cond.column not in columns:
                issues.append(Issue("error", f"unknown column {cond.column!r} in tab {m.tab}",
                                    key=f"{key}.filter[{i}].column", hint=suggest(cond.column, columns)))
    return issues


def rule_formulas_refer_to_metrics(cat: Catalog) -> list[Issue]:
    issues = []
    for name, m in cat.metrics.items():
        key = f"metrics.{name}"
        if m.kind is Aggregation.RATIO:
            for part in ("numerator", "denominator"):
                ref = getattr(m, part)
                if ref is None:
                    issues.append(Issue("error", f"a ratio needs a {part}", key=f"{key}.{part}"))
                elif ref not in cat.metrics:
                    issues.append(Issue("error", f"refers to missing metric {ref!r}", key=f"{key}.{part}",
                                        hint=suggest(ref, cat.metrics)))
        elif m.kind is Aggregation.DERIVED:
            if not m.expr:
                issues.append(Issue("error", "a derived metric needs an expr", key=f"{key}.expr"))
                continue
            try:
                refs = parse(m.expr).names
            except ExprError as exc:
                issues.append(Issue("error", str(exc), key=f"{key}.expr"))
                continue
            for ref in refs:
                if ref not in cat.metrics:
                    issues.append(Issue("error", f"refers to missing metric {ref!r}", key=f"{key}.expr",
                                        hint=suggest(ref, cat.metrics)))
    return issues


def rule_no_cycles(cat: Catalog) -> list[Issue]:
    issues, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = path[path.index(name):] + [name]
            if name not in done:
                issues.append(Issue("error", "cycle between metrics: " + " -> ".join(cycle),
                                    key=f"metrics.{name}", hint="one of them must be computed from base metrics"))
                done.update(cycle)
            return
        metric = cat.metrics.get(name)
        if metric is None:
            return
        try:
            refs = metric.inputs
        except ExprError:
            return
        for ref in refs:
            visit(ref, path + [name])

    for name in cat.metrics:
        visit(name, [])
    return issues


def rule_thresholds_in_order(cat: Catalog) -> list[Issue]:
    issues = []
    checks = [(f"metrics.{n}.thresholds", m.direction, m.thresholds) for n, m in cat.metrics.items() if m.thresholds]
    checks += [("thresholds.higher_is_better", "higher_is_better", cat.thresholds.higher_is_better),
               ("thresholds.lower_is_better", "lower_is_better", cat.thresholds.lower_is_better)]
    for key, direction, th in checks:
        if direction == "higher_is_better" and not th.amber <= th.green:
            issues.append(Issue("error", f"amber ({th.amber:g}) must be at most green ({th.green:g}) when higher "
                                         "is better", key=key, hint="e.g. green: 1.0, amber: 0.9"))
        if direction == "lower_is_better" and not th.amber >= th.green:
            issues.append(Issue("error", f"amber ({th.amber:g}) must be at least green ({th.green:g}) when lower "
                                         "is better", key=key, hint="e.g. green: 1.0, amber: 1.1"))
        if direction == "neutral":
            issues.append(Issue("error", "thresholds need a direction (higher_is_better or lower_is_better)",
                                key=key))
    return issues


def rule_targets_fit_the_metric(cat: Catalog) -> list[Issue]:
    issues = []
    for name, m in cat.metrics.items():
        if m.target and m.target.per == "month" and not cat._additive(name, ()):
            issues.append(Issue("error", "a per-month target only fits an amount (a sum, a count, or sums "
                                         "added and subtracted)", key=f"metrics.{name}.target.per",
                                hint="use per: period for a level such as CAC"))
    return issues


RULES = (
    rule_base_metrics_name_tab_and_column,
    rule_formulas_refer_to_metrics,
    rule_no_cycles,
    rule_thresholds_in_order,
    rule_targets_fit_the_metric,
)


def validate_catalog(cat: Catalog, file: str) -> list[Issue]:
    issues = [i for rule in RULES for i in rule(cat)]
    return [Issue(i.level, i.message, source=file, key=i.key, hint=i.hint) for i in issues]


def load_catalog(path: Path | None = None) -> Catalog:
    path = path or METRICS_FILE
    catalog = load_yaml_model(path, Catalog)
    from lib.config import display_path as _rel

    issues = validate_catalog(catalog, _rel(path))
    if issues:
        raise ConfigError(issues)
    return catalog
