"""config/metrics.yaml: the default catalogue, and each kind of bad config reported with
the file, the key path, the problem and the closest valid name (exact text)."""
import textwrap

import pytest

from lib import ROOT
from lib.config import sources_for_data
from lib.issues import ConfigError
from lib.metrics import Request, run
from lib.metrics.spec import load_catalog
from lib.store import load_store

BASE = """
metrics:
  spend: {label: {en: Spend, zh: 花费}, description: {en: s, zh: s}, kind: sum, tab: marketing_daily,
          column: spend, owner: x}
  new_customers: {label: {en: N, zh: N}, description: {en: n, zh: n}, kind: sum, tab: marketing_daily,
                  column: new_customers, owner: x}
"""
SPEC_CATALOGUE = ["spend", "impressions", "clicks", "engagements", "leads", "new_customers", "orders", "revenue",
                  "ctr", "cpc", "cpm", "cpl", "lead_conversion", "cac", "roi", "roas", "aov", "engagement_rate",
                  "budget_utilization"]
# ../shared/spec/metrics.md, "Default catalogue", as (numerator, denominator) of base metrics
SPEC_FORMULAS = {"ctr": ("clicks", "impressions"), "cpc": ("spend", "clicks"), "cpm": ("spend", "impressions"),
                 "cpl": ("spend", "leads"), "lead_conversion": ("new_customers", "leads"),
                 "cac": ("spend", "new_customers"), "roas": ("revenue", "spend"), "aov": ("revenue", "orders"),
                 "engagement_rate": ("engagements", "impressions"), "budget_utilization": ("spend", "budget")}


def problems(tmp_path, extra: str, base: str = BASE) -> list[str]:
    path = tmp_path / "metrics.yaml"
    path.write_text(textwrap.dedent(base) + textwrap.indent(textwrap.dedent(extra), "  "), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalog(path)
    # the file is named by its path; tmp_path is outside the project, so it is absolute
    assert all(i.source == str(path) for i in caught.value.issues)
    return [str(i).replace(str(path), "metrics.yaml") for i in caught.value.issues]


def metric(body: str, name: str = "m") -> str:
    return f"{name}: {{label: {{en: M, zh: M}}, description: {{en: d, zh: d}}, owner: x, {body}}}\n"


# ---- the default catalogue ----------------------------------------------------------------

def test_default_catalogue_has_the_spec_metrics_with_everything_a_kpi_needs():
    catalog = load_catalog()
    assert set(SPEC_CATALOGUE) <= set(catalog.metrics)
    for name, m in catalog.metrics.items():
        assert m.label.en and m.label.zh and m.description.en and m.description.zh and m.owner, name
        if m.direction == "neutral":  # plans (spend, budget): no target, no colour
            assert m.target is None and catalog.thresholds_for(name) is None, name
        else:  # a target and a colour; thresholds written on the metric itself
            assert m.target is not None and m.thresholds is not None, name
    for name in SPEC_FORMULAS:  # every rate of the spec but budget utilisation has a benchmark
        assert (catalog[name].benchmark is not None) == (name != "budget_utilization"), name
    assert [catalog[n].format for n in ("spend", "leads", "ctr", "cac", "roas")] == [
        "money", "integer", "percent", "money", "decimal"]
    assert [catalog[n].direction for n in ("cac", "cpl", "roi", "budget_utilization")] == [
        "lower_is_better", "lower_is_better", "higher_is_better", "lower_is_better"]


def test_default_catalogue_formulas_are_the_specs():
    catalog = load_catalog()
    for name, (numerator, denominator) in SPEC_FORMULAS.items():
        if name == "cpm":
            assert catalog[name].expr == "1000 * spend / impressions"
        else:
            assert (catalog[name].numerator, catalog[name].denominator) == (numerator, denominator), name
    assert catalog["roi"].expr == "(revenue - spend) / spend"
    base = {n: (catalog[n].kind.value, catalog[n].tab, catalog[n].column) for n in SPEC_CATALOGUE[:8]}
    assert base == {n: ("sum", "marketing_daily", n) for n in SPEC_CATALOGUE[:8]}


def test_the_plan_in_the_catalogue_adds_up():
    """The header comment says the targets form one monthly plan; check its arithmetic
    (the rates are rounded to two or three digits)."""
    catalog = load_catalog()
    t = {n: catalog[n].target.value for n in catalog.metrics if catalog[n].target}
    spend = 2_400_000  # the plan's spend, stated in the comment (spend itself has no target)
    close = dict(rel=0.01)
    assert t["ctr"] == pytest.approx(t["clicks"] / t["impressions"], **close)
    assert t["cpc"] == pytest.approx(spend / t["clicks"], **close)
    assert t["cpm"] == pytest.approx(1000 * spend / t["impressions"], **close)
    assert t["cvr"] == pytest.approx(t["leads"] / t["clicks"], **close)
    assert t["cpl"] == pytest.approx(spend / t["leads"], **close)
    assert t["lead_conversion"] == pytest.approx(t["new_customers"] / t["leads"], **close)
    assert t["cac"] == pytest.approx(spend / t["new_customers"], **close)
    assert t["aov"] == pytest.approx(t["revenue"] / t["orders"], **close)
    assert t["roi"] == pytest.approx((t["revenue"] - spend) / spend, **close)
    assert t["roas"] == pytest.approx(t["revenue"] / spend, **close) == t["roi"] + 1
    assert t["engagement_rate"] == pytest.approx(t["engagements"] / t["impressions"], **close)


def test_benchmarks_are_the_sample_reports():
    """The catalogue's benchmarks are the sample data's benchmark report, metric by metric."""
    import csv

    from lib import ROOT

    with (ROOT / "sample_data" / "csv" / "benchmarks.csv").open(encoding="utf-8-sig") as f:
        report = {row["metric"]: float(row["value"]) for row in csv.DictReader(f)}
    catalog = load_catalog()
    assert {n: m.benchmark for n, m in catalog.metrics.items() if m.benchmark is not None} == report


# ---- each kind of bad config ----------------------------------------------------------------

def test_unknown_column_suggests_the_closest(tmp_path):
    assert problems(tmp_path, metric("kind: sum, tab: marketing_daily, column: spnd")) == [
        "error: metrics.yaml, metrics.m.column: unknown column 'spnd' in tab marketing_daily; did you mean 'spend'?"]


def test_unknown_column_in_a_filter_or_as_time(tmp_path):
    assert problems(tmp_path, metric("kind: sum, tab: marketing_daily, column: spend, "
                                     "filter: [{column: campain_id, op: not_null}]")) == [
        "error: metrics.yaml, metrics.m.filter[0].column: unknown column 'campain_id' in tab marketing_daily; "
        "did you mean 'campaign_id'?"]
    assert problems(tmp_path, metric("kind: sum, tab: marketing_daily, column: spend, time: dat")) == [
        "error: metrics.yaml, metrics.m.time: time column 'dat' is not a date column of tab marketing_daily; "
        "did you mean 'date'?"]


def test_a_sum_of_a_text_column(tmp_path):
    assert problems(tmp_path, metric("kind: sum, tab: marketing_daily, column: channel")) == [
        "error: metrics.yaml, metrics.m.column: sum needs a number column; channel is not"]


def test_unknown_tab(tmp_path):
    assert problems(tmp_path, metric("kind: sum, tab: marketing_day, column: spend")) == [
        "error: metrics.yaml, metrics.m.tab: unknown tab 'marketing_day'; did you mean 'marketing_daily'?"]


def test_reference_to_a_missing_metric(tmp_path):
    assert problems(tmp_path, metric("kind: ratio, numerator: spend, denominator: new_customer")) == [
        "error: metrics.yaml, metrics.m.denominator: refers to missing metric 'new_customer'; "
        "did you mean 'new_customers'?"]
    assert problems(tmp_path, metric("kind: derived, expr: (revenue - spnd) / spnd")) == [
        "error: metrics.yaml, metrics.m.expr: refers to missing metric 'revenue'",
        "error: metrics.yaml, metrics.m.expr: refers to missing metric 'spnd'; did you mean 'spend'?"]
    assert problems(tmp_path, metric("kind: ratio, numerator: spend")) == [
        "error: metrics.yaml, metrics.m.denominator: a ratio needs a denominator"]


def test_cycle_between_derived_metrics(tmp_path):
    text = metric("kind: derived, expr: b + spend", "a") + metric("kind: derived, expr: a * 2", "b")
    assert problems(tmp_path, text) == [
        "error: metrics.yaml, metrics.a: cycle between metrics: a -> b -> a; "
        "one of them must be computed from base metrics"]


def test_cycle_through_a_ratio_and_onto_itself(tmp_path):
    text = (metric("kind: derived, expr: a + spend", "b") + metric("kind: derived, expr: c * 2", "a")
            + metric("kind: ratio, numerator: b, denominator: spend", "c"))
    assert problems(tmp_path, text) == [
        "error: metrics.yaml, metrics.b: cycle between metrics: b -> a -> c -> b; "
        "one of them must be computed from base metrics"]
    assert problems(tmp_path, metric("kind: derived, expr: m + 1")) == [
        "error: metrics.yaml, metrics.m: cycle between metrics: m -> m; one of them must be computed from base metrics"]


def test_threshold_order(tmp_path):
    assert problems(tmp_path, metric("kind: ratio, numerator: spend, denominator: new_customers, "
                                     "direction: lower_is_better, thresholds: {green: 1.0, amber: 0.9}")) == [
        "error: metrics.yaml, metrics.m.thresholds: amber (0.9) must be at least green (1) when lower is better; "
        "e.g. green: 1.0, amber: 1.1"]
    assert problems(tmp_path, metric("kind: ratio, numerator: spend, denominator: new_customers, "
                                     "direction: higher_is_better, thresholds: {green: 1.0, amber: 1.2}")) == [
        "error: metrics.yaml, metrics.m.thresholds: amber (1.2) must be at most green (1) when higher is better; "
        "e.g. green: 1.0, amber: 0.9"]


def test_threshold_order_of_the_file_defaults(tmp_path):
    base = BASE + "thresholds:\n  higher_is_better: {green: 1.0, amber: 1.2}\n"
    assert problems(tmp_path, "", base=base) == [
        "error: metrics.yaml, thresholds.higher_is_better: amber (1.2) must be at most green (1) when higher is "
        "better; e.g. green: 1.0, amber: 0.9"]


def test_thresholds_need_a_direction(tmp_path):
    assert problems(tmp_path, metric("kind: sum, tab: marketing_daily, column: spend, "
                                     "thresholds: {green: 1.0, amber: 0.9}")) == [
        "error: metrics.yaml, metrics.m.thresholds: thresholds need a direction (higher_is_better or lower_is_better)"]


def test_a_per_month_target_on_a_level(tmp_path):
    assert problems(tmp_path, metric("kind: ratio, numerator: spend, denominator: new_customers, "
                                     "target: {value: 1500, per: month}")) == [
        "error: metrics.yaml, metrics.m.target.per: a per-month target only fits an amount (a sum, a count, or sums "
        "added and subtracted); use per: period for a level such as CAC"]


def test_formula_cannot_run_code(tmp_path):
    assert problems(tmp_path, metric("kind: derived, expr: __import__('os').getcwd()")) == [
        "error: metrics.yaml, metrics.m.expr: formula \"__import__('os').getcwd()\" may only use metric names, "
        "numbers and + - * / ( )"]
    assert problems(tmp_path, metric("kind: derived, expr: 'spend /'")) == [
        "error: metrics.yaml, metrics.m.expr: cannot read formula 'spend /': invalid syntax"]


def test_structure_errors_name_the_key_and_suggest(tmp_path):
    assert problems(tmp_path, "m: {label: {en: M}, description: {en: d, zh: d}, owner: x, kind: summ}\n") == [
        "error: metrics.yaml, metrics.m.label.zh: required key is missing",
        "error: metrics.yaml, metrics.m.kind: Input should be 'sum', 'count', 'count_distinct', 'avg', 'min', "
        "'max', 'ratio' or 'derived'",
    ]
    assert problems(tmp_path, metric("kind: ratio, numerator: spend, denomnator: new_customers")) == [
        "error: metrics.yaml, metrics.m.denomnator: unknown key 'denomnator'; did you mean 'denominator'?"]
    assert problems(tmp_path, metric("kind: sum, tab: marketing_daily, column: spend, format: moneys")) == [
        "error: metrics.yaml, metrics.m.format: Input should be 'money', 'percent', 'integer' or 'decimal'"]


def test_every_problem_is_listed_at_once(tmp_path):
    text = (metric("kind: sum, tab: marketing_daily, column: spnd", "a")
            + metric("kind: ratio, numerator: a, denominator: new_customer", "b"))
    assert problems(tmp_path, text) == [
        "error: metrics.yaml, metrics.a.column: unknown column 'spnd' in tab marketing_daily; did you mean 'spend'?",
        "error: metrics.yaml, metrics.b.denominator: refers to missing metric 'new_customer'; "
        "did you mean 'new_customers'?"]


def test_check_reports_the_catalogue(tmp_path, monkeypatch, capsys):
    """`python -m lib.cli check` lists the catalogue's problems and exits 1."""
    from lib.cli import main

    bad = tmp_path / "metrics.yaml"
    bad.write_text(textwrap.dedent(BASE) + "  " + metric("kind: sum, tab: marketing_daily, column: spnd"),
                   encoding="utf-8")
    monkeypatch.setattr("lib.checks.CONFIG_LOADERS", (lambda: load_catalog(bad),))
    assert main(["check", "--data", str(ROOT / "tests" / "fixtures" / "golden")]) == 1
    assert (f"error: {bad}, metrics.m.column: unknown column 'spnd' in tab marketing_daily; did you mean 'spend'?"
            in capsys.readouterr().out.splitlines())


# ---- a new metric is one YAML entry ----------------------------------------------------------

def test_a_new_metric_is_one_yaml_entry(tmp_path):
    path = tmp_path / "metrics.yaml"
    path.write_text(textwrap.dedent(BASE) + "  " + metric(
        "kind: derived, expr: spend / new_customers * 2, format: money, direction: lower_is_better", "double_cac"),
        encoding="utf-8")
    catalog = load_catalog(path)
    assert catalog.leaves("double_cac") == ["spend", "new_customers"]
    store = load_store(sources_for_data(str(ROOT / "tests" / "fixtures" / "golden")))
    value = run(store, catalog, Request(("double_cac",))).frame["double_cac"].iloc[0]
    assert value == pytest.approx(2 * 5800 / 29)
