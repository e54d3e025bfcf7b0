"""config/customers.yaml: validated like every config file, and seen by `check`."""
import textwrap

import pytest

from lib.checks import CONFIG_LOADERS
from lib.customers.config import load_customers_config
from lib.issues import ConfigError

TIERS = """
  tiers:
    high_value: {label: {en: High value, zh: 高价值客户}, care: {en: a, zh: 甲}}
    potential: {label: {en: Potential, zh: 潜力客户}, care: {en: b, zh: 乙}}
    dormant: {label: {en: Dormant, zh: 沉睡客户}, care: {en: c, zh: 丙}}
"""


def problems(tmp_path, text):
    path = tmp_path / "customers.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_customers_config(path)
    return [str(i).replace(str(path), "customers.yaml") for i in caught.value.issues]


def test_shipped_config_is_valid_and_registered():
    config = load_customers_config()
    assert load_customers_config in CONFIG_LOADERS
    assert (config.rfm.bins, config.rfm.dormant_after_months, config.abtest.alpha, config.abtest.power) == (
        5, 6, 0.05, 0.8)
    assert config.rfm.tiers["dormant"].care.get("zh").startswith("唤醒挽回")


def test_every_problem_is_named_with_its_key(tmp_path):
    assert problems(tmp_path, """
        ltv:
          margn: 0.5
          ratio_horizon: 18
        rfm:
          tiers:
            high_value: {label: {en: High, zh: 高}, care: {en: x, zh: y}}
        abtest:
          alpha: 0.5
        break_even:
          horizon_month: 3
    """) == [
        "error: customers.yaml, ltv.ratio_horizon: Input should be 12 or 24",
        "error: customers.yaml, ltv.margn: unknown key 'margn'; did you mean 'margin'?",
        "error: customers.yaml, rfm.tiers: needs label and care for potential, dormant too",
        "error: customers.yaml, abtest.alpha: Input should be less than 0.5",
        "error: customers.yaml, break_even.horizon_month: unknown key 'horizon_month'; did you mean 'horizon_months'?",
    ]


def test_tier_thresholds_must_fit_the_bins(tmp_path):
    assert problems(tmp_path, "rfm:\n  bins: 3\n  high_value: {recency: 3, frequency: 4, monetary: 5}\n" + TIERS) == [
        "error: customers.yaml, rfm: high_value asks for frequency 4, monetary 5 but scores run from 1 to bins = 3"]


def test_rfm_is_required_and_the_rest_has_defaults(tmp_path):
    assert problems(tmp_path, "cohorts: {max_months: 12}\n") == ["error: customers.yaml, rfm: required key is missing"]
    path = tmp_path / "minimal.yaml"
    path.write_text("rfm:\n" + TIERS, encoding="utf-8")
    config = load_customers_config(path)
    assert (config.ltv.ratio_horizon, config.break_even.horizon_months, config.rfm.high_value.frequency) == (24, 6, 4)
