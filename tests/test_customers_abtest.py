"""A/B tests: pooled two-proportion z-test, CI, sample size and verdict, by hand and
against scipy's own tests (and statsmodels' when it is installed)."""
import math

import pandas as pd
import pytest
from scipy.stats import chi2_contingency, norm

from lib.config import sources_for_data
from lib.customers.abtest import compare_variants, difference_interval, experiments, users_needed, z_test
from lib.customers.config import AbtestSettings, load_customers_config
from lib.store import MissingTabError, load_store
from tests.customers_fixture import FIXTURE

SETTINGS = load_customers_config().abtest


def test_z_test_by_hand():
    # control 130 / 1000, variant 100 / 1000: pooled p = 230 / 2000 = 0.115
    # z = (0.100 - 0.130) / 0.0142671 = -2.10274; two-sided p = 2 x (1 - Phi(2.10274)) = 0.035488
    z, p = z_test(130, 1000, 100, 1000)
    se = math.sqrt(0.115 * 0.885 * (1 / 1000 + 1 / 1000))  # 0.0142671
    assert z == pytest.approx(-0.03 / se) and z == pytest.approx(-2.10274, abs=1e-5)
    assert p == pytest.approx(0.035488, abs=1e-6)


@pytest.mark.parametrize("c0, n0, c1, n1", [(130, 1000, 100, 1000), (240, 2400, 252, 2400),
                                            (6000, 120_000, 6020, 120_000), (3, 40, 9, 35)])
def test_z_test_p_value_equals_scipys_chi_square_test_without_continuity_correction(c0, n0, c1, n1):
    # For a 2x2 table the pooled z-test and Pearson's chi-square test are the same test (z^2 = chi^2).
    chi2, p_scipy, _, _ = chi2_contingency([[c0, n0 - c0], [c1, n1 - c1]], correction=False)
    z, p = z_test(c0, n0, c1, n1)
    assert p == pytest.approx(p_scipy, rel=1e-9) and z ** 2 == pytest.approx(chi2, rel=1e-9)


def test_confidence_interval_of_the_difference_by_hand():
    low, high = difference_interval(130, 1000, 100, 1000, alpha=0.05)
    se = math.sqrt(0.13 * 0.87 / 1000 + 0.1 * 0.9 / 1000)  # 0.0142513
    assert (low, high) == pytest.approx((-0.03 - 1.959964 * se, -0.03 + 1.959964 * se), abs=1e-6)
    assert (low, high) == pytest.approx((-0.057932, -0.002068), abs=1e-6)


def test_users_needed_by_hand_and_it_reaches_the_power():
    # (1.959964 sqrt(2 x .115 x .885) + 0.841621 sqrt(.13 x .87 + .1 x .9))^2 / .03^2 = 1773.98
    assert users_needed(0.13, 0.10, alpha=0.05, power=0.8) == 1774

    def power(n, p0=0.13, p1=0.10):
        mean = (p0 + p1) / 2
        shift = abs(p1 - p0) * math.sqrt(n) - norm.ppf(0.975) * math.sqrt(2 * mean * (1 - mean))
        return norm.cdf(shift / math.sqrt(p0 * (1 - p0) + p1 * (1 - p1)))

    assert power(1774) >= 0.8 > power(1773)
    assert users_needed(0.10, 0.10, 0.05, 0.8) is None  # no difference: no sample is enough


def test_every_variant_against_the_first_one_in_sheet_order():
    store = load_store(sources_for_data(str(FIXTURE)))
    frame = experiments(store, SETTINGS)
    rows = {(r.experiment_id, r.variant): r for r in frame.itertuples()}
    assert frame[["experiment_id", "variant"]].values.tolist() == [
        ["EXP-CTA", "B"], ["EXP-CTA", "A"], ["EXP-PRICE", "control"], ["EXP-PRICE", "low"],
        ["EXP-PRICE", "high"], ["EXP-MAIL", "old"], ["EXP-MAIL", "new"]]
    control = rows[("EXP-CTA", "B")]  # B comes first in the sheet, so B is the control
    assert control.is_control and control.rate == 0.13 and pd.isna(control.lift) and pd.isna(control.p_value)
    a = rows[("EXP-CTA", "A")]
    assert (a.rate, a.abs_lift) == pytest.approx((0.10, -0.03))
    assert a.lift == pytest.approx(0.10 / 0.13 - 1)
    assert (a.verdict, a.needed_users) == ("significant", 1774)
    assert rows[("EXP-PRICE", "low")].lift == pytest.approx(0.05)
    # CI -1.2 to +2.2 points reaches beyond +/- 20% of 10% (2 points): could still matter
    assert rows[("EXP-PRICE", "low")].verdict == "not_yet"
    assert rows[("EXP-PRICE", "high")].verdict == "not_yet"
    new = rows[("EXP-MAIL", "new")]
    # CI (-0.158, +0.191) points lies within +/- 20% of the 5% control rate (+/- 1 point)
    assert (new.ci_low, new.ci_high) == pytest.approx((-0.001579, 0.001912), abs=1e-6)
    assert new.verdict == "no_effect"


def rows_of(*variants):
    return pd.DataFrame(variants, columns=["experiment_id", "variant", "users", "conversions"])


def test_verdict_follows_the_config():
    rows = rows_of(("E", "A", 1000, 100), ("E", "B", 1000, 130))
    assert compare_variants(rows, SETTINGS)["verdict"].tolist() == [None, "significant"]
    strict = AbtestSettings(alpha=0.01, min_relative_lift=0.05)
    assert compare_variants(rows, strict)["verdict"].tolist() == [None, "not_yet"]
    wide = AbtestSettings(alpha=0.01, min_relative_lift=0.9)  # anything under +/-90% does not matter
    assert compare_variants(rows, wide)["verdict"].tolist() == [None, "no_effect"]


def test_impossible_counts_are_named_and_not_tested():
    frame = compare_variants(rows_of(("E", "A", 100, 10), ("E", "B", 100, 120), ("F", "A", 50, 60),
                                     ("F", "B", 50, 5)), SETTINGS)
    assert frame["problem"].tolist() == [None, "conversions (120) exceed users (100)",
                                         "conversions (60) exceed users (50)",
                                         "the control conversions (60) exceed users (50)"]
    assert frame["p_value"].isna().all() and frame["verdict"].iloc[[1, 3]].isna().all()


def test_nothing_to_test_gives_nulls_not_zeros():
    frame = compare_variants(rows_of(("E", "A", 0, 0), ("E", "B", 100, 3), ("F", "A", 100, 0),
                                     ("F", "B", 100, 0)), SETTINGS)
    assert frame["rate"].tolist()[1:] == [0.03, 0.0, 0.0] and pd.isna(frame["rate"].iloc[0])
    assert frame["p_value"].isna().all()  # no control users; both rates 0
    assert pd.isna(frame["lift"].iloc[3])  # a control rate of 0 has no relative lift
    assert frame["verdict"].tolist() == [None, None, None, "not_yet"]


def test_the_tab_is_required(tmp_path):
    (tmp_path / "orders.csv").write_text("order_id,customer_id,date,amount\n", encoding="utf-8")
    with pytest.raises(MissingTabError, match=r"^tab\(s\) experiments needed by A/B tests"):
        experiments(load_store(sources_for_data(str(tmp_path))), SETTINGS)
