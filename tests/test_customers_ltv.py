"""Lifetime value: the decay fit, the projection, payback and LTV/CAC, worked out by hand."""
import math

import numpy as np
import pandas as pd
import pytest

from lib.config import sources_for_data
from lib.customers.cohorts import load_cohorts
from lib.customers.config import LtvSettings, load_customers_config
from lib.customers.data import Scope
from lib.customers.ltv import (LTV_BY_CHANNEL_COLUMNS, DecayFit, channel_values, fit_decay, ltv_by_channel,
                               payback_months, projected_cumulative, value_per_active_month)
from lib.metrics import load_catalog
from lib.store import MissingTabError, load_store
from tests.customers_fixture import AS_OF, FIXTURE


def pooled(customers, active, revenue):
    frame = pd.DataFrame({"month": range(len(customers)), "customers": customers, "active": active,
                          "revenue": revenue})
    frame["retention"] = frame["active"] / frame["customers"]
    frame["revenue_per_customer"] = frame["revenue"] / frame["customers"]
    return frame


# The worked example of docs/customers.md
EXAMPLE = pooled([200, 200, 160, 100], [200, 80, 40, 10], [60_000, 12_000, 6_400, 1_500])


def test_an_exact_geometric_curve_is_recovered():
    fit = fit_decay(pooled([100, 100, 80, 50], [100, 40, 16, 5], [0, 0, 0, 0]), min_customers=1)
    assert fit.first == pytest.approx(0.4) and fit.ratio == pytest.approx(0.5) and fit.points == 3


def test_weighted_fit_by_hand_and_against_numpy():
    fit = fit_decay(EXAMPLE, min_customers=20)
    # By hand: x = 0, 1, 2; y = ln .4, ln .25, ln .1; w = 200, 160, 100 (weighted means, slope
    # = Sxy / Sxx = -0.66525, intercept = -0.86052)
    assert fit.ratio == pytest.approx(0.51414, abs=1e-5)
    assert fit.first == pytest.approx(0.42295, abs=1e-5)
    slope, intercept = np.polyfit([0, 1, 2], np.log([0.4, 0.25, 0.1]), 1, w=np.sqrt([200, 160, 100]))
    assert (fit.ratio, fit.first) == pytest.approx((math.exp(slope), math.exp(intercept)))


def test_projection_payback_of_the_worked_example():
    fit = fit_decay(EXAMPLE, min_customers=20)
    v = value_per_active_month(EXAMPLE)
    assert v == pytest.approx(19_900 / 130)  # revenue over active customer-months, months 1-3
    cumulative = projected_cumulative(300.0, v, fit, 24)
    q, r1 = fit.ratio, fit.first
    assert cumulative[11] == pytest.approx(300 + v * r1 * (1 - q ** 11) / (1 - q))
    assert cumulative[23] == pytest.approx(300 + v * r1 * (1 - q ** 23) / (1 - q))
    assert cumulative[11] == pytest.approx(433.17, abs=0.01)
    assert payback_months(cumulative, 400.0) == 4  # 300, 364.74, 398.03, 415.15
    assert math.isnan(payback_months(cumulative, 450.0))  # never within 24 months


def test_a_rising_curve_is_held_flat():
    # 抖音 of the fixture: month 1 has 2 of 4 customers active, month 2 has 2 of 3
    fit = fit_decay(pooled([5, 4, 3], [4, 2, 2], [760, 120, 140]), min_customers=1)
    assert fit.ratio == 1.0
    assert fit.first == pytest.approx(math.exp((4 * math.log(1 / 2) + 3 * math.log(2 / 3)) / 7))


def test_thin_and_empty_months_are_left_out_of_the_fit():
    curve = pooled([100, 100, 90, 5, 80], [100, 40, 18, 5, 0], [0] * 5)
    fit = fit_decay(curve, min_customers=20)
    # month 3 rests on 5 customers, month 4 has no order: the fit uses months 1 and 2 only
    assert fit.points == 2 and fit.first == pytest.approx(0.4) and fit.ratio == pytest.approx(0.5)


def test_no_repeat_orders_at_all_means_ltv_is_the_first_month():
    fit = fit_decay(pooled([50, 50, 40], [50, 0, 0], [5_000, 0, 0]), min_customers=20)
    assert fit == DecayFit(0.0, 0.0, 2)
    assert projected_cumulative(100.0, math.nan, fit, 12).tolist() == [100.0] * 12


def test_too_little_history_gives_missing_ltv_not_zero():
    assert fit_decay(pooled([50, 50], [50, 10], [0, 0]), min_customers=20) is None
    assert np.isnan(projected_cumulative(100.0, 30.0, None, 12)).all()


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(FIXTURE)))


def config_with(**ltv):
    config = load_customers_config()
    return config.model_copy(update={"ltv": LtvSettings(**{"min_customers_per_point": 1, **ltv})})


def test_ltv_by_channel_for_the_channel_page(store):
    table = ltv_by_channel(store, load_catalog(), as_of=AS_OF, config=config_with()).set_index("channel")
    assert list(table.reset_index().columns) == LTV_BY_CHANNEL_COLUMNS
    # 抖音: m0 = 760 / 5 = 152; v = (120 + 140) / (2 + 2) = 65; flat fit r = exp((4 ln 1/2 + 3 ln 2/3) / 7)
    r = math.exp((4 * math.log(1 / 2) + 3 * math.log(2 / 3)) / 7)
    douyin = table.loc["抖音"]
    assert douyin["ltv_12"] == pytest.approx(152 + 65 * r * 11)
    assert douyin["ltv_24"] == pytest.approx(152 + 65 * r * 23)
    assert douyin["cac"] == pytest.approx(2100 / 5)  # spend 1200 + 500 + 400, 5 new customers
    assert douyin["ltv_cac"] == pytest.approx((152 + 65 * r * 23) / 420)
    assert douyin["payback_months"] == math.ceil((420 - 152) / (65 * r)) + 1  # 152 + 65 r (n - 1) >= 420
    # EDM: m0 = 1000 / 5 = 200 already covers CAC 750 / 5 = 150
    edm = table.loc["EDM"]
    assert (edm["cac"], edm["payback_months"]) == (150.0, 1.0)
    r_edm = math.exp((4 * math.log(1 / 4) + 2 * math.log(1 / 2)) / 6)
    assert edm["ltv_24"] == pytest.approx(200 + 45 * r_edm * 23)


def test_margin_scales_value_and_ratio_uses_the_configured_horizon(store):
    full = ltv_by_channel(store, load_catalog(), as_of=AS_OF, config=config_with()).set_index("channel")
    part = ltv_by_channel(store, load_catalog(), as_of=AS_OF,
                          config=config_with(margin=0.4, ratio_horizon=12)).set_index("channel")
    assert part["ltv_24"].tolist() == pytest.approx((0.4 * full["ltv_24"]).tolist())
    assert part["ltv_cac"].tolist() == pytest.approx((part["ltv_12"] / part["cac"]).tolist())


def test_default_settings_need_twenty_customers_per_month_so_the_tiny_fixture_has_no_projection(store):
    table = ltv_by_channel(store, load_catalog(), as_of=AS_OF).set_index("channel")
    assert table["ltv_12"].isna().all() and table["payback_months"].isna().all()
    assert table["cac"].tolist() == [150.0, 420.0]  # CAC is still there


def test_observed_cumulative_value(store):
    values = {v.channel: v for v in channel_values(load_cohorts(store, Scope(AS_OF)), LtvSettings())}
    assert values["抖音"].observed["cumulative"].round(2).tolist() == [152.0, 182.0, round(182 + 140 / 3, 2)]


def test_ltv_by_channel_needs_marketing_daily_for_cac(tmp_path):
    for name in ("customers", "orders"):
        (tmp_path / f"{name}.csv").write_text((FIXTURE / f"{name}.csv").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    store = load_store(sources_for_data(str(tmp_path)))
    with pytest.raises(MissingTabError, match=r"^tab\(s\) marketing_daily needed by LTV/CAC are not loaded"):
        ltv_by_channel(store, load_catalog(), as_of=AS_OF)
