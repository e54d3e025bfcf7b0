"""The channel comparison's numbers on a hand-checked sheet (tests/fixtures/channels).

Week 2026-W43 (10-19 .. 10-25), per channel:
    channel   spend  impr.    clicks leads new  revenue
    抖音       2,000  160,000  3,000  150   20   12,000   (two rows: 华东 1,000 + 华北 1,000)
    百度SEM    3,000   50,000  2,500  200   10    9,000
    线下沙龙    4,000  (none)  (none)  40    8   20,000
    EDM         500   20,000    400   10    0        0
    老客推荐     200  (none)  (none)    5    2    6,000
    私域社群     150  (none)  (none)   20    3    3,000
    all        9,850                        43   50,000   blended CAC 9,850 / 43
Week 2026-W42: 抖音 1,500 / 15 new, 百度SEM 3,000 / 12 new, 知乎信息流 800 / 2 new.
"""
import datetime as dt
import textwrap

import numpy as np
import pytest

from lib import ROOT
from lib.channels.advice import advise, quality_scores, recommendations
from lib.channels.compare import better, comparison_period, period_comparison
from lib.channels.config import QualityConfig, RecommendationConfig, load_channels_config
from lib.channels.table import channel_table, funnel
from lib.config import sources_for_data
from lib.issues import ConfigError
from lib.metrics import load_catalog
from lib.periods import Period
from lib.store import load_store

FIXTURE = ROOT / "tests" / "fixtures" / "channels"
W43 = (dt.date(2026, 10, 19), dt.date(2026, 10, 25))


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(FIXTURE)))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def week(store, catalog):
    return channel_table(store, catalog, *W43)


def row(table, channel):
    return table.rows.set_index("channel").loc[channel]


def test_one_row_per_channel_by_spend(week):
    assert week.rows["channel"].tolist() == ["线下沙龙", "百度SEM", "抖音", "EDM", "老客推荐", "私域社群"]


def test_douyin_row_by_hand(week):
    r = row(week, "抖音")
    expected = {
        "spend": 2000, "impressions": 160_000, "clicks": 3000, "ctr": 3000 / 160_000, "cpc": 2000 / 3000,
        "cpm": 1000 * 2000 / 160_000, "leads": 150, "cpl": 2000 / 150, "new_customers": 20, "cvr": 150 / 3000,
        "lead_conversion": 20 / 150, "cac": 100, "revenue": 12_000, "roi": (12_000 - 2000) / 2000, "roas": 6,
        "share_of_spend": 2000 / 9850, "share_of_new_customers": 20 / 43,
    }
    assert {k: r[k] for k in expected} == pytest.approx(expected, rel=1e-12)


def test_missing_ratios_stay_missing(week):
    salon = row(week, "线下沙龙")  # an offline channel: no impressions, no clicks
    assert np.isnan(salon["impressions"]) and np.isnan(salon["ctr"]) and np.isnan(salon["cpc"])
    assert salon["cac"] == 500 and salon["roi"] == 4
    edm = row(week, "EDM")  # spend but no new customer: CAC is no value, not 0
    assert np.isnan(edm["cac"]) and edm["new_customers"] == 0 and edm["share_of_new_customers"] == 0


def test_totals_are_blended_from_the_sums(week):
    assert week.totals["spend"] == 9850 and week.totals["new_customers"] == 43
    assert week.blended_cac == pytest.approx(9850 / 43)
    assert week.rows["share_of_spend"].sum() == pytest.approx(1.0)


def test_a_filter_narrows_rows_and_shares(store, catalog):
    north = channel_table(store, catalog, *W43, where=(("region", ("华北",)),))
    assert north.rows["channel"].tolist() == ["抖音", "EDM"]
    assert row(north, "抖音")["spend"] == 1000 and row(north, "抖音")["share_of_spend"] == pytest.approx(1000 / 1500)


def test_an_empty_period_has_no_rows_and_missing_totals(store, catalog):
    empty = channel_table(store, catalog, dt.date(2026, 1, 1), dt.date(2026, 1, 7))
    assert empty.rows.empty and np.isnan(empty.blended_cac)


def test_funnel_steps(week):
    f = funnel(week.rows, ["抖音", "线下沙龙"]).set_index(["channel", "metric"])
    assert f.loc[("抖音", "clicks"), "step"] == pytest.approx(3000 / 160_000)
    assert f.loc[("抖音", "new_customers"), "step"] == pytest.approx(20 / 150)
    assert np.isnan(f.loc[("抖音", "impressions"), "step"])
    assert np.isnan(f.loc[("线下沙龙", "impressions"), "value"]) and np.isnan(f.loc[("线下沙龙", "leads"), "step"])
    assert f.loc[("线下沙龙", "new_customers"), "step"] == pytest.approx(8 / 40)


# ---------------------------------------------------------------------------------------
# recommendations and the quality score


def test_recommendations_by_hand(week):
    advised = advise(week.rows, week.blended_cac, RecommendationConfig()).set_index("channel")
    # blended 229.07: 私域社群 CAC 50 (22%) on 3/43 = 7.0% -> scale up; 百度SEM 300 (131%) on 23.3% and
    # 线下沙龙 500 (218%) on 18.6% -> review; 抖音 is cheap but already large -> hold; EDM spent
    # without a customer; 老客推荐 has 2 new customers, fewer than 3 -> too few to judge.
    assert advised["action"].to_dict() == {"线下沙龙": "review", "百度SEM": "review", "抖音": "hold",
                                           "EDM": "no_customers", "老客推荐": "too_few", "私域社群": "scale_up"}
    assert advised.loc["私域社群", "cac_vs_blended"] == pytest.approx(50 / (9850 / 43))
    listed = recommendations(advised.reset_index())
    assert list(zip(listed["channel"], listed["action"])) == [
        ("私域社群", "scale_up"), ("线下沙龙", "review"), ("百度SEM", "review"), ("EDM", "no_customers")]


def test_thresholds_come_from_config(week):
    strict = RecommendationConfig(low_cac=0.1, high_cac=3.0, small_share=0.01, large_share=0.5)
    advised = advise(week.rows, week.blended_cac, strict)
    assert set(advised["action"]) == {"hold", "no_customers", "too_few"}


def test_quality_score_by_hand(week, catalog):
    cfg = QualityConfig(weights={"cac": 3, "ctr": 1}, grades=[{"grade": "A", "min": 80}, {"grade": "B", "min": 60},
                                                              {"grade": "C", "min": 40}, {"grade": "D", "min": 0}])
    scores = quality_scores(week.rows, catalog, cfg).set_index("channel")
    # CAC (lower is better) over 50..500: 私域社群 1, 抖音 and 老客推荐 (500-100)/450, 百度SEM 200/450,
    # 线下沙龙 0, EDM none. CTR over 0.01875..0.05: 百度SEM 1, 抖音 0, EDM 0.00125/0.03125.
    cac = {"私域社群": 1.0, "抖音": 400 / 450, "老客推荐": 400 / 450, "百度SEM": 200 / 450, "线下沙龙": 0.0}
    ctr_edm = (0.02 - 0.01875) / 0.03125
    expected = {
        "私域社群": 100.0, "老客推荐": 100 * 400 / 450, "抖音": 100 * 3 * cac["抖音"] / 4,
        "百度SEM": 100 * (3 * cac["百度SEM"] + 1) / 4, "EDM": 100 * ctr_edm, "线下沙龙": 0.0,
    }
    assert scores["score"].to_dict() == pytest.approx(expected)
    assert scores.index.tolist() == ["私域社群", "老客推荐", "抖音", "百度SEM", "EDM", "线下沙龙"]
    assert scores["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    assert scores["grade"].tolist() == ["A", "A", "B", "C", "D", "D"]
    assert scores.loc["EDM", "coverage"] == 0.25 and scores.loc["抖音", "coverage"] == 1.0


def test_equal_values_score_as_best_and_ties_share_a_rank(week, catalog):
    cfg = QualityConfig(weights={"cac": 1}, grades=[{"grade": "A", "min": 50}, {"grade": "B", "min": 0}])
    same = week.rows.assign(cac=100.0)
    scores = quality_scores(same, catalog, cfg)
    assert set(scores["score"]) == {100.0} and set(scores["rank"]) == {1.0}


# ---------------------------------------------------------------------------------------
# week over week, month over month


def test_week_over_week_keeps_channels_that_stopped(store, catalog):
    frame = period_comparison(store, catalog, Period.of("2026-W43")).set_index("channel")
    douyin = frame.loc["抖音"]
    assert (douyin["spend"], douyin["spend_prev"], douyin["spend_change"]) == (2000, 1500, 500)
    assert douyin["spend_pct"] == pytest.approx(1 / 3) and douyin["cac_change"] == 0
    zhihu = frame.loc["知乎信息流"]  # spent only in W42: its sums fell to 0, its CAC is no value now
    assert (zhihu["spend"], zhihu["spend_prev"], zhihu["spend_change"], zhihu["spend_pct"]) == (0, 800, -800, -1)
    assert np.isnan(zhihu["cac"]) and zhihu["cac_prev"] == 400
    salon = frame.loc["线下沙龙"]  # new this week: no previous spend, so no percentage
    assert salon["spend_prev"] == 0 and salon["spend_change"] == 4000 and np.isnan(salon["spend_pct"])
    assert frame.index.tolist()[-1] == "知乎信息流"


def test_comparison_period():
    week = Period.of("2026-W43")
    assert comparison_period(week, "week") == week
    assert comparison_period(week, "month").label == "2026-09"  # October is not complete on 10-25
    assert comparison_period(Period.of("2026-10"), "week").label == "2026-W43"  # W44 ends 11-01, after 10-31
    assert comparison_period(Period.of("2026-Q3"), "month").label == "2026-09"


def test_good_news_follows_the_metric_direction(catalog):
    assert better(catalog, "cac", -10) is True and better(catalog, "cac", 10) is False
    assert better(catalog, "new_customers", 1) is True and better(catalog, "spend", 100) is None
    assert better(catalog, "roi", 0) is None


# ---------------------------------------------------------------------------------------
# config/channels.yaml


def problems(tmp_path, text):
    path = tmp_path / "channels.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_channels_config(path)
    return [str(i).replace(str(path), "channels.yaml") for i in caught.value.issues]


def test_shipped_config_is_valid():
    cfg = load_channels_config()
    assert cfg.attribution.half_life_days == 7 and cfg.quality.grade_of(80) == "A"
    assert cfg.quality.grade_of(79.99) == "B" and cfg.quality.grade_of(float("nan")) is None


def test_config_problems_are_all_listed(tmp_path):
    assert problems(tmp_path, """
        attribution: {half_life_days: 0}
        recommendations: {low_cac: 1.5, high_cac: 1.2, small_shre: 0.1}
        quality:
          weights: {cac: 1, roii: 1, spend: 1}
          grades: [{grade: A, min: 50}, {grade: B, min: 60}]
    """) == [
        "error: channels.yaml, quality.weights.roii: unknown metric 'roii'; did you mean 'roi'?",
        "error: channels.yaml, quality.weights.spend: metric 'spend' has no direction, so neither more nor less "
        "is better; give it a direction in config/metrics.yaml or drop it",
        "error: channels.yaml, attribution.half_life_days: Input should be greater than 0",
        "error: channels.yaml, recommendations.small_shre: unknown key 'small_shre'; did you mean 'small_share'?",
        "error: channels.yaml, quality: grades must go from the highest min to the lowest, each min different",
    ]


def test_threshold_order_and_last_grade(tmp_path):
    assert problems(tmp_path, """
        recommendations: {low_cac: 1.5, high_cac: 1.2}
        quality:
          weights: {cac: 1}
          grades: [{grade: A, min: 50}, {grade: B, min: 10}]
    """) == [
        "error: channels.yaml, recommendations: low_cac (1.5) must be below high_cac (1.2)",
        "error: channels.yaml, quality: the last grade needs min: 0 so every score gets a grade (it has 10)",
    ]


def test_check_lists_channels_config_problems(monkeypatch, tmp_path, capsys):
    from lib import checks
    from lib.cli import main

    bad = tmp_path / "channels.yaml"
    bad.write_text("quality: {weights: {cac: -1}, grades: [{grade: A, min: 0}]}\n", encoding="utf-8")
    original = load_channels_config
    monkeypatch.setattr(checks, "CONFIG_LOADERS", tuple(
        (lambda: original(bad)) if loader is load_channels_config else loader for loader in checks.CONFIG_LOADERS))
    assert main(["check", "--data", str(FIXTURE)]) == 1
    out = capsys.readouterr().out
    assert f"error: {bad}, quality: weights must not be negative: cac" in out
