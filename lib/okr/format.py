"""Key-result values as people read them: in the metric's format when the KR follows a
metric, else by the KR's unit (¥ as money; % after the number, so a KR from 8 to 14 with
unit % reads 8% -> 14%; any other unit after the number with a space). Missing values are an em dash, never 0."""
from __future__ import annotations

from lib import fmt
from lib.metrics.spec import Catalog
from lib.okr.rules import missing

MONEY_UNITS = {"¥", "￥", "元", "rmb", "cny"}
PERCENT_UNITS = {"%", "％"}


def kr_value(value, unit: str | None, metric: str | None, catalog: Catalog | None, lang: str = "en") -> str:
    if missing(value):
        return fmt.DASH
    if metric and catalog is not None and metric in catalog:
        from lib.metrics.format import value as metric_value

        return metric_value(catalog, metric, value, lang)
    kind = _unit_kind(unit)
    if kind == "money":
        return fmt.money(value, 0 if float(value).is_integer() else 2)
    if kind == "percent":  # the KR's numbers are in percent: 8 with unit % is 8%
        return f"{plain_number(value)}%"
    unit = (unit or "").strip()
    text = plain_number(value)
    return f"{text} {unit}" if unit else text


def plain_number(value) -> str:
    """1,234 or 12.5 or 0.25: no trailing zeros, thousands separators."""
    if missing(value):
        return fmt.DASH
    if float(value).is_integer():
        return fmt.number(value, 0)
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def progress(p: float | None) -> str:
    """Unclipped progress as a percentage: 120% is shown as 120%."""
    return fmt.pct(p, 0)


def axis_labels(unit: str | None, metric: str | None, catalog: Catalog | None, lang: str = "en") -> str:
    """A Vega expression for the burn-up chart's value axis that reads like kr_value: ¥ for
    money, % for percentages, thousands separators, and 万 for large numbers in Chinese
    (an axis of 40,000,000 reads ¥4,000万)."""
    kind = _kind(unit, metric, catalog)
    if kind == "fraction":  # a metric in percent: its values are fractions
        return "format(datum.value, '.0%')"
    number = "format(datum.value, ',')"
    if lang == "zh":
        number = f"(abs(datum.value) >= 10000 ? format(datum.value / 10000, ',.4~f') + '万' : {number})"
    if kind == "money":
        return f"'¥' + {number}"
    return f"{number} + '%'" if kind == "percent" else number


def _kind(unit: str | None, metric: str | None, catalog: Catalog | None) -> str:
    """As kr_value decides: the metric's format when the KR follows one, else its unit."""
    if metric and catalog is not None and metric in catalog:
        return {"money": "money", "percent": "fraction"}.get(catalog.metrics[metric].format, "number")
    return _unit_kind(unit)


def _unit_kind(unit: str | None) -> str:
    unit = (unit or "").strip()
    if unit.lower() in MONEY_UNITS:
        return "money"
    return "percent" if unit in PERCENT_UNITS else "number"
