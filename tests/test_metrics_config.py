"""config/metrics.yaml validation: each kind of bad config, with file, key path and a suggestion."""
import textwrap

import pytest

from lib.issues import ConfigError
from lib.metrics.spec import load_catalog

BASE = """
metrics:
  spend: {label: {en: Spend, zh: 花费}, description: {en: s, zh: s}, kind: sum, tab: marketing_daily,
          column: spend, owner: x}
  new_customers: {label: {en: N, zh: N}, description: {en: n, zh: n}, kind: sum, tab: marketing_daily,
                  column: new_customers, owner: x}
"""


def problems(tmp_path, extra: str) -> list[str]:
    path = tmp_path / "metrics.yaml"
    path.write_text(textwrap.dedent(BASE) + textwrap.indent(textwrap.dedent(extra), "  "), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalog(path)
    return [str(i).replace(str(path), "metrics.yaml") for i in caught.value.issues]


def metric(body: str, name: str = "m") -> str:
    return f"{name}: {{label: {{en: M, zh: M}}, description: {{en: d, zh: d}}, owner: x, {body}}}\n"


def test_default_catalogue_is_valid_and_complete():
    catalog = load_catalog()
    spec_list = ["spend", "impressions", "clicks", "engagements", "leads", "new_customers", "orders", "revenue",
                 "ctr", "cpc", "cpm", "cpl", "lead_conversion", "cac", "roi", "roas", "aov", "engagement_rate",
                 "budget_utilization"]
    assert set(spec_list) <= set(catalog.metrics)
    for name, m in catalog.metrics.items():  # every metric documented and owned
        assert m.description.en and m.description.zh and m.owner and m.label.zh, name


def test_unknown_column_suggests_the_closest(tmp_path):
    assert problems(tmp_path, metric("kind: sum, tab: marketing_daily, column: spnd")) == [
        "error: metrics.yaml, metrics.m.column: unknown column 'spnd' in tab marketing_daily; did you mean 'spend'?"]


def test_unknown_tab(tmp_path):
    assert problems(tmp_path, metric("kind: sum, tab: marketing_day, column: spend")) == [
        "error: metrics.yaml, metrics.m.tab: unknown tab 'marketing_day'; did you mean 'marketing_daily'?"]


def test_reference_to_a_missing_metric(tmp_path):
    assert problems(tmp_path, metric("kind: ratio, numerator: spend, denominator: new_customer")) == [
        "error: metrics.yaml, metrics.m.denominator: refers to missing metric 'new_customer'; "
        "did you mean 'new_customers'?"]
    assert problems(tmp_path, metric("kind: derived, expr: (revenu - spend) / spend")) == [
        "error: metrics.yaml, metrics.m.expr: refers to missing metric 'revenu'"]


def test_cycle_between_derived_metrics(tmp_path):
    text = metric("kind: derived, expr: b + spend", "a") + metric("kind: derived, expr: a * 2", "b")
    assert problems(tmp_path, text) == [
        "error: metrics.yaml, metrics.a: cycle between derived metrics: a -> b -> a; "
        "one of them must be computed from base metrics"]


def test_threshold_order(tmp_path):
    assert problems(tmp_path, metric("kind: ratio, numerator: spend, denominator: new_customers, "
                                     "direction: lower_is_better, thresholds: {green: 1.0, amber: 0.9}")) == [
        "error: metrics.yaml, metrics.m.thresholds: amber (0.9) must be at least green (1) when lower is better; "
        "e.g. green: 1.0, amber: 1.1"]


def test_formula_cannot_run_code(tmp_path):
    assert problems(tmp_path, metric("kind: derived, expr: __import__('os').getcwd()")) == [
        "error: metrics.yaml, metrics.m.expr: formula \"__import__('os').getcwd()\" may only use metric names, "
        "numbers and + - * / ( )"]


def test_structure_errors_name_the_key(tmp_path):
    assert problems(tmp_path, "m: {label: {en: M}, description: {en: d, zh: d}, owner: x, kind: summ}\n") == [
        "error: metrics.yaml, metrics.m.label.zh: required key is missing",
        "error: metrics.yaml, metrics.m.kind: Input should be 'sum', 'count', 'count_distinct', 'avg', 'min', "
        "'max', 'ratio' or 'derived'",
    ]


def test_a_new_metric_is_one_yaml_entry(tmp_path):
    path = tmp_path / "metrics.yaml"
    path.write_text(textwrap.dedent(BASE) + "  " + metric(
        "kind: derived, expr: spend / new_customers * 2, format: money, direction: lower_is_better", "double_cac"),
        encoding="utf-8")
    catalog = load_catalog(path)
    assert catalog.leaves("double_cac") == ["new_customers", "spend"]
    from lib import ROOT
    from lib.config import sources_for_data
    from lib.metrics import Request, run
    from lib.store import load_store

    store = load_store(sources_for_data(str(ROOT / "tests" / "fixtures" / "golden")))
    value = run(store, catalog, Request(("double_cac",))).frame["double_cac"].iloc[0]
    assert value == pytest.approx(2 * 5800 / 29)
