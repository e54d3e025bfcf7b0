"""Each rule of the appraisal scheme alone, on hand-computed numbers (docs/appraisal.md)."""
import math

import pandas as pd
import pytest

from lib.appraisal.config import RaterWeights, load_appraisal_config
from lib.appraisal.engine import grade_for, promotion_eligible
from lib.appraisal.flags import FLAG_RULES, FLAGS, coaching_streak
from lib.appraisal.model import AppraisalPeriod, IndicatorResult, months_before
from lib.appraisal.ranking import bottom_count, bottom_cut, competition_ranks, in_bottom, rank_year, top_groups
from lib.appraisal.scoring import (KPI_ROW_CHECKS, combine_rater_types, non_self_spread, period_score,
                                   quantitative_score, score_kpi_rows, sub_indicator_score)
from lib.metrics.grains import PeriodError

CFG = load_appraisal_config()


# ---- step 1: a kpi_actuals row --------------------------------------------------------

def test_sub_indicator_score_higher_and_lower_is_better():
    assert sub_indicator_score("higher", 100, 95, 120) == 95
    assert sub_indicator_score("lower", 200, 250, 120) == 80  # CAC 250 against a target of 200
    assert sub_indicator_score("higher", 2, 3, 120) == 120  # 150 clipped to the cap
    assert sub_indicator_score("higher", 100, -5, 120) == 0  # clipped at 0


def test_a_zero_target_is_reported_and_not_scored_as_zero():
    kpi = pd.DataFrame([
        {"employee_id": "E1", "month": "2026-07", "indicator": "sales", "target": 0.0, "actual": 90.0, "_row": 2},
        {"employee_id": "E1", "month": "2026-07", "indicator": "cac", "target": 200.0, "actual": 0.0, "_row": 3},
        {"employee_id": "E1", "month": "2026-07", "indicator": "salse", "target": 1.0, "actual": 1.0, "_row": 4},
        {"employee_id": "E1", "month": "2026-07", "indicator": "new_customers", "target": -5.0, "actual": 1.0,
         "_row": 5},
    ])
    scored, issues = score_kpi_rows(kpi, CFG)
    assert scored["score"].isna().all()  # missing, never 0
    assert [str(d.issue) for d in issues] == [
        "warning: tab kpi_actuals, row 2, column target: a target of 0 or less cannot be scored, the row is left "
        "out of the appraisal: 0.0 (expected a target above 0)",
        "warning: tab kpi_actuals, row 3, column actual: cac is lower-is-better, so an actual of 0 or less cannot "
        "be scored, the row is left out of the appraisal: 0.0 (expected an actual above 0)",
        "warning: tab kpi_actuals, row 4, column indicator: unknown sub-indicator, the row is left out of the "
        "appraisal: 'salse' (expected one of sales, new_customers, lead_conversion, repurchase_rate, cac, "
        "campaign_roi, content_reach); did you mean 'sales'?",
        "warning: tab kpi_actuals, row 5, column target: a target of 0 or less cannot be scored, the row is left "
        "out of the appraisal: -5.0 (expected a target above 0)",
    ]
    assert [d.employee_id for d in issues] == ["E1"] * 4
    assert [c.__name__ for c in KPI_ROW_CHECKS] == [
        "unknown_sub_indicator", "target_not_positive", "actual_not_positive_when_lower"]


def test_a_negative_actual_of_a_higher_is_better_row_is_scored_zero_not_reported():
    kpi = pd.DataFrame([{"employee_id": "E1", "month": "2026-07", "indicator": "sales", "target": 100.0,
                         "actual": -10.0, "_row": 2}])
    scored, issues = score_kpi_rows(kpi, CFG)
    assert scored["score"].tolist() == [0.0] and issues == []


# ---- steps 2-5 ------------------------------------------------------------------------

def test_quantitative_score_is_the_mean_of_the_scored_sub_indicators():
    assert quantitative_score({"new_customers": 80, "lead_conversion": 120, "repurchase_rate": 100}) == 100
    assert quantitative_score({"cac": 80}) == 80  # the other two have no score: left out, not 0
    assert quantitative_score({}) is None


def test_rater_types_combine_supervisor_70_cross_dept_30_and_self_never_counts():
    w = RaterWeights()
    assert combine_rater_types({"supervisor": 80, "cross_dept": 90, "peer": 60, "self": 100}, w) == pytest.approx(83)
    assert combine_rater_types({"cross_dept": 70, "self": 100}, w) == 70  # renormalised over the types present
    assert combine_rater_types({"peer": 50, "self": 95}, w) is None  # nothing that counts


def test_a_peer_rating_counts_for_calibration_but_not_for_the_score():
    ratings = pd.DataFrame({"rater_type": ["supervisor", "peer", "self"], "score": [80.0, 50.0, 100.0]})
    assert combine_rater_types({"supervisor": 80, "peer": 50, "self": 100}, RaterWeights()) == 80
    assert non_self_spread(ratings) == 30  # 80 - 50: the peer counts here, the self 100 does not


def test_spread_needs_two_non_self_ratings():
    assert non_self_spread(pd.DataFrame({"rater_type": ["supervisor", "self"], "score": [60.0, 100.0]})) is None


def test_period_score_is_weighted_over_the_indicators_with_a_score():
    def part(weight, score):
        return IndicatorResult("x", "quantitative", weight, score)

    # a month: sales 30 x 95, growth 20 x 100, efficiency 10 x 96.67, execution 15 x 83
    score = period_score([part(30, 95), part(20, 100), part(10, 290 / 3), part(15, 83)])
    assert score == pytest.approx((30 * 95 + 20 * 100 + 10 * 290 / 3 + 15 * 83) / 75)
    assert period_score([part(30, 90), part(15, None)]) == 90  # left out of both sums
    assert period_score([part(30, None)]) is None


# ---- grades and bonus -----------------------------------------------------------------

@pytest.mark.parametrize("score,grade,bonus", [
    (90, "S", 1.5), (89.99, "A", 1.2), (80, "A", 1.2), (79.999, "B", 1.0), (70, "B", 1.0),
    (60, "C", 0.8), (59.999, "D", 0.0), (0, "D", 0.0),
])
def test_grade_bands_boundaries(score, grade, bonus):
    assert CFG.grade_of(score) == grade and CFG.bonus_of(grade) == bonus


def test_a_veto_overrides_an_s_and_blocks_promotion_that_year():
    assert grade_for(CFG, 96.0, vetoed=True) == "D" and CFG.bonus_of("D") == 0.0
    assert grade_for(CFG, None, vetoed=True) == "D"  # a violation is graded even without a score
    assert grade_for(CFG, 96.0, vetoed=False) == "S"
    assert promotion_eligible("E1", {"E1"}) is False and promotion_eligible("E2", {"E1"}) is True


# ---- flags ----------------------------------------------------------------------------

def test_flag_rules_are_registered_once_in_order():
    assert FLAGS == ("s_grade", "coaching_plan", "veto", "calibration", "bottom_20", "top_team", "incomplete",
                     "insufficient_data")
    assert len(FLAG_RULES) == len(set(FLAG_RULES))


def test_coaching_streak_needs_this_month_and_the_calendar_month_before_below_60():
    monthly = {"2026-05": {"A": 50, "B": 50, "C": 59.9},
               "2026-06": {"A": 55, "C": 60},
               "2026-07": {"A": 59, "B": 40, "C": 40}}
    assert coaching_streak(monthly, "A", "2026-06", 60, 2) and coaching_streak(monthly, "A", "2026-07", 60, 2)
    assert not coaching_streak(monthly, "A", "2026-05", 60, 2)  # April has no score
    assert not coaching_streak(monthly, "B", "2026-07", 60, 2)  # June missing: the streak is broken
    assert not coaching_streak(monthly, "C", "2026-07", 60, 2)  # exactly 60 in June is not below 60
    assert coaching_streak(monthly, "C", "2026-07", 61, 2)


def test_calendar_months_before_cross_the_year():
    assert months_before("2026-01", 2) == ["2025-11", "2025-12"]
    assert months_before("2026-07", 0) == []


# ---- the annual ranking ---------------------------------------------------------------

def test_bottom_20_count_is_ceil_of_a_fifth():
    assert [bottom_count(n, 0.2) for n in (1, 4, 5, 6, 10, 11, 15)] == [1, 1, 1, 2, 2, 3, 3]


def test_ties_at_the_bottom_cut_are_all_flagged():
    scores = [50.0, 60.0, 60.0, 70.0, 75.0, 80.0, 80.0, 90.0, 100.0, 95.0]  # n=10: k=2, 2nd lowest = 60
    cut = bottom_cut(scores, 0.2)
    assert cut == 60
    assert [s for s in scores if in_bottom(s, cut)] == [50, 60, 60]  # three people, though k is 2


def test_ranks_share_the_best_rank_on_ties():
    assert competition_ranks({"A": 90, "B": 80, "C": 80, "D": 70}) == {"A": 1, "B": 2, "C": 2, "D": 4}
    # floating-point noise is not a difference: 0.1 + 0.2 and 0.3 tie
    assert competition_ranks({"A": 0.1 + 0.2, "B": 0.3}) == {"A": 1, "B": 1}


def test_top_teams_include_a_tie_with_the_third():
    means = {"brand": 80, "content": 75, "digital": 70, "events": 70, "pr": 65}
    assert top_groups(means, 3) == {"brand", "content", "digital", "events"}
    assert top_groups({"brand": 80, "content": 75}, 3) == {"brand", "content"}


def test_fewer_than_6_monthly_scores_is_insufficient_data_and_not_ranked():
    annual = {"A": 90.0, "B": 70.0, "C": 95.0, "D": 50.0}
    counts = {"A": 12, "B": 6, "C": 5, "D": 12}
    ranking = rank_year(annual, counts, {"A": True, "B": True, "C": True, "D": False},
                        {"A": "x", "B": "x", "C": "x", "D": "x"}, 6, 0.2, False, 3)
    assert ranking.insufficient == {"C"}  # inactive D is simply not ranked
    assert ranking.rank == {"A": 1, "B": 2}
    assert ranking.bottom() == {"B"}  # n=2: k=1


def test_periods_are_months_quarters_or_years():
    q = AppraisalPeriod.of("2026-Q3")
    assert (q.grain, q.months, q.quarters) == ("quarter", ["2026-07", "2026-08", "2026-09"], ["2026-Q3"])
    assert AppraisalPeriod.of("2026").months[0] == "2026-01" and len(AppraisalPeriod.of("2026").quarters) == 4
    with pytest.raises(PeriodError, match="is not an appraisal period"):
        AppraisalPeriod.of("2026-W30")
    assert math.isclose(CFG.rater_weights.of("self"), 0.0)
