"""lib/cockpit on a small hand-checked fixture (tests/fixtures/cockpit).

The fixture has one row per channel per week, on Sundays 2026-08-23 .. 2026-10-25
(ISO weeks W34 .. W43): 百度SEM (华东, 数字营销部), 抖音 (华北, 内容运营部) and
线下沙龙 (华东, 活动策划部). Weekly spend:

    week   百度SEM 抖音 线下沙龙  total
    W34..35  500   300   200    1000
    W36      600   300   200    1100
    W37      400   300   200     900
    W38      500   300   200    1000
    W39      700   300   200    1200
    W40      500   300   200    1000
    W41      300   300   200     800
    W42      600   300   200    1100
    W43      900   400   300    1600

New customers are 5 + 3 + 2 = 10 every week (CAC = spend / 10), leads 20 + 15 + 10 = 45,
revenue 3000 + 2000 + 300 = 5300. 百度SEM rows from W36 on belong to campaign C1,
线下沙龙's W41 and W42 rows to C2.
"""
import datetime as dt
import math
import shutil
import textwrap

import pytest

from lib import ROOT
from lib.cockpit import actions, anomalies, budget, campaigns, charts, compare, tiles, why
from lib.cockpit.benchmarks import benchmark_rows
from lib.cockpit.config import BudgetConfig, CampaignConfig, load_cockpit_config
from lib.cockpit.text import short_change, short_value
from lib.config import sources_for_data
from lib.issues import ConfigError
from lib.metrics import load_catalog
from lib.periods import Period
from lib.store import load_store

DATA = ROOT / "tests" / "fixtures" / "cockpit"
W43, W42 = Period.of("2026-W43"), Period.of("2026-W42")
OCTOBER = Period.of("2026-10")


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(DATA)))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def cfg():
    return load_cockpit_config()


def by_key(items):
    return {item.key: item for item in items}


# ---------------------------------------------------------------------------------------
# anomaly band


def test_band_is_median_plus_minus_k_mad():
    # The 8 weeks before W43: sorted 800 900 1000 1000 1000 1100 1100 1200 -> median 1000;
    # deviations 0 0 0 100 100 100 200 200 -> MAD 100; k = 3 -> 700 .. 1300.
    b = anomalies.band([1000, 1100, 900, 1000, 1200, 1000, 800, 1100], k=3, min_weeks=6)
    assert (b.median, b.mad, b.low, b.high, b.weeks) == (1000, 100, 700, 1300, 8)
    assert anomalies.outside(1600, b) == "above" and anomalies.outside(650, b) == "below"
    assert anomalies.outside(1300, b) is None  # on the edge is inside


def test_band_skips_missing_weeks_and_needs_enough_of_them():
    # Odd count: median 10, deviations 0 1 2 5 8 -> MAD 2; k = 2.5 -> 5 .. 15.
    b = anomalies.band([8, None, 10, 18, float("nan"), 5, 11], k=2.5, min_weeks=5)
    assert (b.median, b.mad, b.low, b.high, b.weeks) == (10, 2, 5, 15, 5)
    assert anomalies.band([8, None, 10, 18], k=3, min_weeks=4) is None
    assert anomalies.outside(None, b) is None and anomalies.outside(20, None) is None


def test_a_flat_history_marks_any_change():
    b = anomalies.band([300] * 8, k=3, min_weeks=6)
    assert (b.low, b.high) == (300, 300)
    assert anomalies.outside(300, b) is None and anomalies.outside(400, b) == "above"


def test_detect_marks_spend_and_cac_with_the_segment_that_moved(store, catalog, cfg):
    found = {a.metric: a for a in anomalies.detect(store, catalog, cfg, W43, ())}
    assert set(found) == {"spend", "cac"}  # revenue, leads, customers, reach are flat
    spend, cac = found["spend"], found["cac"]
    assert (spend.value, spend.band.median, spend.band.mad, spend.band.low, spend.band.high) == (1600, 1000, 100, 700, 1300)
    assert (cac.value, cac.band.median, cac.band.mad) == (160, 100, 10)
    # W43 against W42 by channel: 百度SEM +300 of +500; in CAC terms +30 of +50.
    assert (spend.dimension, spend.segment, spend.contribution, spend.vs) == ("channel", "百度SEM", 300, "2026-W42")
    assert (cac.segment, cac.contribution) == ("百度SEM", pytest.approx(30))
    assert anomalies.reason(spend, catalog, "en") == (
        "Spend: ¥1,600 in 2026-W43, above its usual range ¥700 – ¥1,300 of the previous 8 weeks. "
        "百度SEM moved most: +¥300 against 2026-W42.")
    assert anomalies.reason(cac, catalog, "zh") == (
        "获客成本：2026-W43 为 ¥160，高于前 8 周的常规区间 ¥70 – ¥130。变化最大的是 百度SEM：较 2026-W42 +¥30。")


def test_detect_uses_the_last_complete_week_of_a_month_and_the_filters(store, catalog, cfg):
    assert anomalies.anomaly_week(OCTOBER).label == "2026-W43"  # W44 ends on 1 November
    # 华北 is 抖音 only: 300 for 8 weeks (MAD 0), then 400. The region is fixed, so the
    # segment is looked for by channel.
    found = anomalies.detect(store, catalog, cfg, OCTOBER, (("region", ("华北",)),))
    spend = next(a for a in found if a.metric == "spend")
    assert (spend.band.low, spend.band.high, spend.value, spend.segment) == (300, 300, 400, "抖音")
    # With the channel fixed too, the next open dimension is product_line.
    found = anomalies.detect(store, catalog, cfg, W43, (("region", ("华北",)), ("channel", ("抖音",))))
    assert next(a for a in found if a.metric == "spend").dimension == "product_line"


# ---------------------------------------------------------------------------------------
# tiles


def test_tiles_value_change_target_and_status(store, catalog, cfg):
    got = by_key(tiles.build_tiles(store, catalog, cfg, W43, ()))
    spend, cac, revenue = got["spend"], got["cac"], got["revenue"]
    assert (spend.value, spend.previous, spend.change, spend.status) == (1600, 1100, 500, None)
    assert spend.change_pct == pytest.approx(500 / 1100)
    # CAC target 120 (targets tab, 2026-10): 160 > 1.1 x 120 -> red.
    assert (cac.value, cac.previous, cac.target, cac.status) == (160, 110, 120, "red")
    # Revenue target 31,000 for October over the 7 days of W43: 7,000.
    assert (revenue.value, revenue.target, revenue.status) == (5300, pytest.approx(7000), "red")
    assert (got["lead_conversion"].value, got["lead_conversion"].target, got["lead_conversion"].status) == \
        (pytest.approx(10 / 45), 0.083, "green")  # the catalogue's target
    assert got["campaign_roi"].value == pytest.approx((3000 - 900) / 900)  # only C1's row is a campaign day
    reach = got["content_reach"]
    assert (reach.metric, reach.value, reach.also, reach.also_value) == ("impressions", 30500, "engagements", 970)
    sales = got["sales_vs_target"]
    assert (sales.kind, sales.actual, sales.value, sales.status) == ("attainment", 5300, pytest.approx(5300 / 7000), "red")


def test_sparkline_covers_12_weeks_and_missing_weeks_stay_missing(store, catalog, cfg):
    spend = by_key(tiles.build_tiles(store, catalog, cfg, W43, ()))["spend"]
    assert list(spend.series["period"]) == [f"2026-W{w}" for w in range(32, 44)]
    values = list(spend.series["value"])
    assert math.isnan(values[0]) and math.isnan(values[1])  # no rows before W34: missing, not 0
    assert values[2:] == [1000, 1000, 1100, 900, 1000, 1200, 1000, 800, 1100, 1600]


def test_tiles_targets_follow_single_value_filters(store, catalog, cfg):
    got = by_key(tiles.build_tiles(store, catalog, cfg, W43, (("department", ("数字营销部",)),)))
    # 数字营销部's revenue target is 18,600 for October: 4,200 for W43; its revenue 3,000.
    assert (got["revenue"].value, got["revenue"].target) == (3000, pytest.approx(4200))
    assert got["sales_vs_target"].value == pytest.approx(3000 / 4200)
    # Two departments at once: no target applies, so no status (never a made-up one).
    got = by_key(tiles.build_tiles(store, catalog, cfg, W43, (("department", ("数字营销部", "内容运营部")),)))
    assert (got["revenue"].target, got["revenue"].status, got["sales_vs_target"].value) == (None, None, None)


# ---------------------------------------------------------------------------------------
# why did this move, breakdown, week over week


def test_waterfall_steps_add_up_from_last_week_to_this_week(store, catalog):
    result = why.why(store, catalog, "cac", "channel", W43, ())
    steps = why.waterfall(result, top=2, others_label="Other {n}")
    assert list(steps["step"]) == ["2026-W42", "百度SEM", "抖音", "Other 1", "2026-W43"]
    assert list(steps["kind"]) == ["start", "up", "up", "others", "end"]
    assert list(steps["amount"].round(6)) == [110, 30, 10, 10, 160]
    assert list(steps["base"].round(6)) == [0, 110, 140, 150, 0]
    assert list(steps["top"].round(6)) == [110, 140, 150, 160, 160]
    assert list(steps["segment"].fillna("")) == ["", "百度SEM", "抖音", "", ""]


def test_no_waterfall_without_data_in_both_periods(store, catalog):
    result = why.why(store, catalog, "spend", "channel", Period.of("2026-W30"), ())
    assert result.total_change is None and why.waterfall(result, 8, "Other {n}") is None


def test_breakdown_largest_first_with_the_period_before(store, catalog):
    parts, left_out = why.breakdown(store, catalog, "cac", "channel", W43, ())
    assert list(parts["channel"]) == ["百度SEM", "线下沙龙", "抖音"] and left_out == 0
    assert list(parts["value"].round(4)) == [180, 150, 133.3333]  # 900/5, 300/2, 400/3
    assert list(parts["previous"]) == [120, 100, 100]
    parts, left_out = why.breakdown(store, catalog, "spend", "channel", W43, (), limit=2)
    assert list(parts["channel"]) == ["百度SEM", "抖音"] and left_out == 1


def test_week_over_week_and_month_over_month(store, catalog):
    frame = compare.period_over_period(store, catalog, ("spend", "cac", "revenue"), W43.end, ())
    rows = {(r.basis, r.metric): r for r in frame.itertuples()}
    wow = rows[("wow", "spend")]
    assert (wow.period, wow.vs, wow.value, wow.previous, wow.change) == ("2026-W43", "2026-W42", 1600, 1100, 500)
    assert rows[("wow", "cac")].verdict == "worse" and rows[("wow", "revenue")].verdict == "flat"
    assert rows[("wow", "spend")].verdict is None  # spend is neither good nor bad
    # October is not complete on 2026-10-25: September (4 Sundays) against August (2).
    mom = rows[("mom", "spend")]
    assert (mom.period, mom.vs, mom.value, mom.previous, mom.change_pct) == ("2026-09", "2026-08", 4200, 2000, 1.1)
    assert rows[("mom", "revenue")].verdict == "better"


def test_verdict_follows_the_direction():
    assert compare.verdict(5, "higher_is_better") == "better"
    assert compare.verdict(5, "lower_is_better") == "worse"
    assert compare.verdict(-5, "lower_is_better") == "better"
    assert compare.verdict(0, "lower_is_better") == "flat"
    assert compare.verdict(5, "neutral") is None and compare.verdict(float("nan"), "higher_is_better") is None


# ---------------------------------------------------------------------------------------
# budget


def lines_of(view):
    return {(r.department, r.category): r for r in view.lines.itertuples()}


def test_budget_against_spend_by_department_and_category(store, catalog, cfg):
    view = budget.budget_view(store, catalog, cfg.budget, OCTOBER, ())
    lines = lines_of(view)
    # October spend (Sundays 4, 11, 18, 25): 百度SEM 500+300+600+900, 抖音 300+300+300+400,
    # 线下沙龙 200+200+200+300.
    digital = lines[("数字营销部", "online_ads")]
    assert (digital.budget, digital.actual, digital.flag, digital.status) == (1500, 2300, "over", "red")
    assert digital.utilisation == pytest.approx(2300 / 1500)
    content = lines[("内容运营部", "online_ads")]
    assert (content.actual, content.flag, content.status) == (1300, None, "green")
    assert (lines[("活动策划部", "offline_events")].actual, lines[("活动策划部", "offline_events")].utilisation) == (900, 0.3)
    training = lines[("市场中心", "training")]
    assert training.budget == 1000 and math.isnan(training.actual)  # no channel is training: unknown, not 0
    growth = lines[("客户增长部", "other")]
    # 客户增长部 runs no channel at all in marketing_daily: its money is spent elsewhere
    # (like a centre's brand and PR budget), so its actual is unknown, not 0.
    assert math.isnan(growth.actual) and math.isnan(growth.utilisation)
    assert list(view.over["department"]) == ["数字营销部"]
    assert (view.total_budget, view.total_actual) == (10000, 4500)


def test_a_department_that_runs_the_channel_but_spent_nothing_this_period_shows_0(catalog, cfg, tmp_path):
    import shutil

    shutil.copytree(DATA, tmp_path / "data")
    with open(tmp_path / "data" / "marketing_daily.csv", "a", encoding="utf-8") as f:
        f.write("2026-09-02,EDM,华东,企业版,客户增长部,,200,5000,50,,5,1,1,900\n")  # September only
    view = budget.budget_view(load_store(sources_for_data(str(tmp_path / "data"))), catalog, cfg.budget, OCTOBER, ())
    growth = lines_of(view)[("客户增长部", "other")]
    assert (growth.actual, growth.utilisation) == (0, 0)  # tracked category, nothing spent in October


def test_budget_of_a_week_is_the_share_of_its_days(store, catalog, cfg):
    assert budget.share_of_month("2026-09", dt.date(2026, 9, 28), dt.date(2026, 10, 4)) == pytest.approx(3 / 30)
    assert budget.share_of_month("2026-10", dt.date(2026, 9, 28), dt.date(2026, 10, 4)) == pytest.approx(4 / 31)
    lines = lines_of(budget.budget_view(store, catalog, cfg.budget, Period.of("2026-W40"), ()))
    assert lines[("数字营销部", "online_ads")].budget == pytest.approx(1500 * 3 / 30 + 1500 * 4 / 31)
    assert lines[("数字营销部", "online_ads")].actual == 500


def test_plan_split_check(store, catalog, cfg):
    split = budget.budget_view(store, catalog, cfg.budget, OCTOBER, ()).categories.set_index("category")
    assert list(split["budget_share"]) == [0.3, 0.3, 0.1, 0.3]
    assert list(split["plan_share"]) == [0.3, 0.2, 0.1, pytest.approx(0.4)]
    assert list(split["off_plan"]) == [False, True, False, True]  # offline +10 points, other -10
    assert split.loc["online_ads", "actual_share"] == pytest.approx(3600 / 4500)
    assert math.isnan(split.loc["training", "actual_share"])


def test_budget_filters_and_unmapped_channels(store, catalog, cfg):
    view = budget.budget_view(store, catalog, cfg.budget, OCTOBER, (("department", ("数字营销部",)),
                                                                    ("region", ("华东",))))
    assert list(view.lines["department"]) == ["数字营销部"] and view.ignored_filters == ["region"]
    assert view.lines["actual"].tolist() == [2300]  # all regions: budgets have no region
    no_douyin = BudgetConfig(channel_categories={"online_ads": ["百度SEM"], "offline_events": ["线下沙龙"]},
                             plan_split={"online_ads": 0.3})
    view = budget.budget_view(store, catalog, no_douyin, OCTOBER, ())
    assert view.unmapped == ["抖音"]
    stray = lines_of(view)[("内容运营部", "other")]
    assert math.isnan(stray.budget) and (stray.actual, stray.flag) == (1300, "no_budget")  # no such budget line


# ---------------------------------------------------------------------------------------
# campaigns


def campaign_rows(view):
    return view.frame.set_index("campaign_id")


def test_campaign_overspend_and_under_delivery(store, catalog, cfg):
    view = campaigns.campaign_view(store, catalog, cfg.campaigns, dt.date(2026, 10, 25), ())
    rows = campaign_rows(view)
    assert list(rows.index) == ["C1", "C2", "C3"] and view.window == (dt.date(2026, 4, 1), dt.date(2026, 12, 31))
    c1 = rows.loc["C1"]  # 百度SEM W36..W43: 600+400+500+700+500+300+600+900
    assert (c1.spend, c1.budget, c1.overspent, c1.under_delivered) == (4500, 4000, True, False)
    assert (c1.leads, c1.new_customers, c1.revenue) == (160, 40, 24000)
    assert c1.roi == pytest.approx((24000 - 4500) / 4500) and c1.elapsed == pytest.approx(55 / 61)
    c2 = rows.loc["C2"]  # two salons: spend 400, revenue 600 -> ROI 50% against the catalogue's 250%
    assert (c2.spend, c2.roi, c2.roi_target, c2.roi_status) == (400, 0.5, 2.5, "red")
    assert (c2.overspent, c2.under_delivered) == (False, True)
    c3 = rows.loc["C3"]  # starts in November: nothing spent yet is missing, and not judged
    assert math.isnan(c3.spend) and c3.elapsed == 0 and not c3.overspent and not c3.under_delivered
    assert list(view.flagged["campaign_id"]) == ["C1", "C2"]


def test_campaigns_as_of_an_earlier_day_and_tolerances(store, catalog):
    strict = CampaignConfig(judge_after=0.5)
    rows = campaign_rows(campaigns.campaign_view(store, catalog, strict, dt.date(2026, 10, 11), ()))
    assert rows.loc["C1"].spend == 3000 and not rows.loc["C1"].overspent  # up to 11 October only
    assert rows.loc["C2"].elapsed == pytest.approx(11 / 20) and rows.loc["C2"].under_delivered
    patient = CampaignConfig(judge_after=0.6, overspend_tolerance=0.2)
    rows = campaign_rows(campaigns.campaign_view(store, catalog, patient, dt.date(2026, 10, 11), ()))
    assert not rows.loc["C2"].under_delivered  # 55% of its days: too early to judge
    rows = campaign_rows(campaigns.campaign_view(store, catalog, patient, dt.date(2026, 10, 25), ()))
    assert not rows.loc["C1"].overspent  # 4,500 <= 4,000 x 1.2


def test_campaign_filters(store, catalog, cfg):
    view = campaigns.campaign_view(store, catalog, cfg.campaigns, dt.date(2026, 10, 25),
                                   (("channel", ("抖音",)), ("region", ("华东",))))
    assert list(view.frame["campaign_id"]) == ["C3"] and view.ignored_filters == ["region"]


# ---------------------------------------------------------------------------------------
# actions and benchmarks


def test_actions_overdue_relative_to_the_day_looked_from(store, catalog):
    frame = actions.action_list(store, catalog, dt.date(2026, 10, 25))
    assert list(frame["action_id"]) == ["A1", "A4", "A2", "A3", "A5"]  # A6 is created in November
    first = frame.iloc[0]
    assert (first.owner, first.overdue, first.days_overdue, first.metric_label) == ("张伟", True, 10, "CAC")
    assert list(frame["overdue"]) == [True, False, False, False, False]  # A4 is due that very day
    assert frame.set_index("action_id").loc["A4", "owner"] == "E03"  # not in staff: the id stays
    frame = actions.action_list(store, catalog, dt.date(2026, 10, 16), "zh")
    assert list(frame.loc[frame["overdue"], "action_id"]) == ["A1"] and frame.iloc[0]["days_overdue"] == 1
    assert frame.set_index("action_id").loc["A2", "metric_label"] == "新客户数"
    assert list(actions.on_the_list(actions.action_list(store, catalog, W43.end), W43.start)["action_id"]) == \
        ["A1", "A4", "A2"]  # done and dropped ones from before the week are off the list
    assert actions.as_of_day(dt.date(2026, 10, 31), dt.date(2026, 10, 25)) == dt.date(2026, 10, 25)


def test_benchmarks_with_the_gap(store, catalog):
    rows, unknown = benchmark_rows(store, catalog, W43, ())
    rows = rows.set_index("metric")
    # the benchmarks tab's three first, then the catalogue's for the other rates
    assert list(rows.index) == ["cac", "ctr", "lead_conversion", "cpc", "cpm", "cpl", "roi", "roas", "aov",
                                "engagement_rate"] and unknown == []
    assert (rows.loc["cpc", "benchmark"], rows.loc["cpc", "source"]) == (6.5, "config/metrics.yaml")
    assert (rows.loc["cac", "actual"], rows.loc["cac", "benchmark"], rows.loc["cac", "gap"]) == (160, 120, 40)
    assert (rows.loc["cac", "verdict"], rows.loc["cac", "source"]) == ("worse", "行业报告 2026")
    assert rows.loc["ctr", "actual"] == pytest.approx(550 / 30500) and rows.loc["ctr", "benchmark"] == 0.015
    assert rows.loc["ctr", "verdict"] == "better" and rows.loc["lead_conversion", "gap_pct"] == pytest.approx(1 / 9)


def test_unknown_benchmark_names_are_reported(tmp_path, catalog):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    with open(data / "benchmarks.csv", "a", encoding="utf-8") as f:
        f.write("cost_per_smile,3,someone\n")
    rows, unknown = benchmark_rows(load_store(sources_for_data(str(data))), catalog, W43, ())
    assert unknown == ["cost_per_smile"] and "cost_per_smile" not in set(rows["metric"])


# ---------------------------------------------------------------------------------------
# charts and compact numbers


def test_clickable_charts_carry_the_drill_selection(store, catalog):
    parts, _ = why.breakdown(store, catalog, "spend", "region", W43, ())
    spec = charts.breakdown_chart(parts, "region", catalog, "spend", "en").to_dict()
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    assert params[0]["name"] == charts.PICK and params[0]["select"]["fields"] == ["region"]
    steps = why.waterfall(why.why(store, catalog, "spend", "region", W43, ()), 8, "Other {n}")
    spec = charts.waterfall_chart(steps, "region", catalog, "spend", "zh").to_dict()
    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    assert params[0]["select"]["fields"] == ["region"]


def test_compact_numbers(catalog):
    assert short_value(catalog, "spend", 663859, "en") == "¥663.9K"
    assert short_value(catalog, "spend", 663859, "zh") == "¥66.4万"
    assert short_value(catalog, "impressions", 27163982, "en") == "27.16M"
    assert short_value(catalog, "spend", 9999, "en") == "¥9,999"
    assert short_change(catalog, "spend", -40378, "en") == "-¥40.4K"
    assert short_change(catalog, "lead_conversion", 0.003, "en") == "+0.3 pp"
    assert short_value(catalog, "cac", float("nan"), "en") == "—"


# ---------------------------------------------------------------------------------------
# config/cockpit.yaml


def problems(tmp_path, text):
    path = tmp_path / "cockpit.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_cockpit_config(path)
    return [str(i).replace(str(path), "cockpit.yaml") for i in caught.value.issues]


def test_shipped_config_is_valid(cfg):
    assert [t.key for t in cfg.tiles] == ["spend", "revenue", "new_customers", "cac", "lead_conversion",
                                          "content_reach", "campaign_roi", "sales_vs_target"]
    assert cfg.anomalies.window_weeks == 8 and cfg.anomalies.k == 3
    assert cfg.budget.planned_share("other") == pytest.approx(0.4)
    assert cfg.budget.category_of("线下沙龙") == "offline_events" and cfg.budget.category_of("新渠道") == "other"


def test_config_problems_are_listed_together(tmp_path):
    assert problems(tmp_path, """
        tiles:
          - {metric: revenu}
          - {metric: spend, also: engagement}
          - {metric: spend}
        anomalies: {window_weeks: 7, k: 3, explain_by: [chanel]}
        budget:
          channel_categories: {online_ads: [抖音], offline_events: [抖音], events: []}
          plan_split: {online_ads: 0.7, offline_events: 0.5}
    """) == [
        "error: cockpit.yaml, tiles[0].metric: unknown metric 'revenu'; did you mean 'revenue'?",
        "error: cockpit.yaml, tiles[1].also: unknown metric 'engagement'; did you mean 'engagements'?",
        "error: cockpit.yaml, tiles: two tiles have the id 'spend'; give one of them another id",
        "error: cockpit.yaml, anomalies.explain_by[0]: unknown dimension 'chanel' of marketing_daily; "
        "did you mean 'channel'?",
        "error: cockpit.yaml, budget.channel_categories.offline_events: channel '抖音' is in both online_ads and "
        "offline_events; a channel's spend counts against one category",
        "error: cockpit.yaml, anomalies.window_weeks: Input should be greater than or equal to 8",
        "error: cockpit.yaml, budget.channel_categories.events.[key]: Input should be 'online_ads', "
        "'offline_events', 'training' or 'other'",
        "error: cockpit.yaml, budget.plan_split: shares must be between 0 and 1 and add up to at most 1 "
        "(they add up to 1.2)",
    ]


# ---------------------------------------------------------------------------------------
# command line and `check`


def run_cli(capsys, *argv):
    import json

    from lib.cli import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip().startswith(("{", "[")) else out.out), out.err


def test_cli_prints_the_page_numbers(capsys):
    code, doc, _ = run_cli(capsys, "cockpit", "--data", str(DATA))
    assert code == 0 and (doc["period"], doc["vs"], doc["as_of"]) == ("2026-W43", "2026-W42", "2026-10-25")
    tiles_ = {t["key"]: t for t in doc["tiles"]}
    assert (tiles_["spend"]["value"], tiles_["spend"]["change"], tiles_["spend"]["anomaly"]) == (1600, 500, True)
    assert tiles_["spend"]["series"][0] == {"period": "2026-W32", "value": None}  # missing, not 0
    assert (tiles_["cac"]["target"], tiles_["cac"]["status"]) == (120, "red")
    assert [(a["metric"], a["low"], a["high"], a["segment"]) for a in doc["anomalies"]] == [
        ("spend", 700, 1300, "百度SEM"), ("cac", 70, 130, "百度SEM")]
    assert [(c["campaign_id"], c["overspent"], c["under_delivered"]) for c in doc["campaigns"]] == [
        ("C1", True, False), ("C2", False, True), ("C3", False, False)]
    assert [(a["action_id"], a["overdue"], a["days_overdue"]) for a in doc["actions"]] == [
        ("A1", True, 10), ("A4", False, None), ("A2", False, None)]
    assert [c["off_plan"] for c in doc["budget"]["categories"]] == [False, True, False, True]
    assert {(r["basis"], r["metric"]): r["value"] for r in doc["period_over_period"]}[("mom", "spend")] == 4200


def test_cli_period_filters_and_language(capsys):
    code, doc, _ = run_cli(capsys, "cockpit", "--data", str(DATA), "--period", "2026-10", "--where", "region=华北",
                           "--lang", "zh")
    assert code == 0 and doc["filters"] == {"region": ["华北"]} and doc["as_of"] == "2026-10-25"
    assert {t["key"]: t["value"] for t in doc["tiles"]}["spend"] == 1300  # 抖音 in October
    assert doc["anomalies"][0]["reason"].startswith("花费：2026-W43 为 ¥400，高于前 8 周的常规区间 ¥300 – ¥300。")
    assert doc["budget"]["ignored_filters"] == ["region"]
    code, _, err = run_cli(capsys, "cockpit", "--data", str(DATA), "--where", "regio=华北")
    assert code == 2 and "cannot be split or filtered by 'regio'" in err


def test_check_reads_config_cockpit_yaml(capsys, tmp_path, monkeypatch):
    broken = tmp_path / "cockpit.yaml"
    broken.write_text((ROOT / "config" / "cockpit.yaml").read_text(encoding="utf-8")
                      .replace("{metric: cac}", "{metric: cacc}"), encoding="utf-8")
    monkeypatch.setattr("lib.cockpit.config.COCKPIT_FILE", broken)
    code, out, _ = run_cli(capsys, "check", "--data", str(DATA))
    assert code == 1 and f"error: {broken}, tiles[3].metric: unknown metric 'cacc'; did you mean 'cac'?" in out


def test_every_chart_is_valid_vega_lite(store, catalog, cfg):
    """The page skips Altair's schema validation for speed (lib/ui/cockpit._spec): every
    chart builder is validated here, in both languages, on real data."""
    view = campaigns.campaign_view(store, catalog, cfg.campaigns, W43.end, ())
    money = budget.budget_view(store, catalog, cfg.budget, OCTOBER, ())
    pop = compare.period_over_period(store, catalog, ("spend", "cac"), W43.end, ())
    for lang in ("en", "zh"):
        tile = by_key(tiles.build_tiles(store, catalog, cfg, W43, ()))["cac"]
        charts.sparkline(tile.series, catalog, "cac", lang, tile.status).to_dict()
        steps = why.waterfall(why.why(store, catalog, "cac", "channel", W43, ()), 8, "Other {n}")
        charts.waterfall_chart(steps, "channel", catalog, "cac", lang).to_dict()
        charts.breakdown_chart(why.breakdown(store, catalog, "cac", "channel", W43, ())[0], "channel", catalog,
                               "cac", lang).to_dict()
        charts.change_bars(pop.assign(text="x"), catalog, lang, "change_pct", {"text": "t"}).to_dict()
        charts.budget_chart(money.lines[money.lines["actual"].notna()], lang).to_dict()
        charts.split_chart(money.categories, lang).to_dict()
        charts.gantt(view.frame, W43.end, view.window, lang).to_dict()


# ---------------------------------------------------------------------------------------
# docs/cockpit.md is what the code does


DOC = (ROOT / "docs" / "cockpit.md").read_text(encoding="utf-8")


def test_docs_worked_anomaly_example_matches_the_code(store, catalog, cfg):
    spend = next(a for a in anomalies.detect(store, catalog, cfg, W43, ()) if a.metric == "spend")
    assert f"median is **¥{spend.band.median:,.0f}**" in DOC and f"MAD); with k = {cfg.anomalies.k:g} the usual" in DOC
    assert f"**¥{spend.band.low:,.0f} – ¥{spend.band.high:,.0f}**" in DOC
    assert f'"{anomalies.reason(spend, catalog, "en")}"' in DOC


def test_docs_list_every_config_key(cfg):
    from pydantic import BaseModel

    def keys(model: type[BaseModel], prefix: str = ""):
        for name, field in model.model_fields.items():
            inner = field.annotation
            inner = getattr(inner, "__args__", [inner])[0] if name == "tiles" else inner
            path = f"{prefix}{name}{'[]' if name == 'tiles' else ''}"
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                yield from keys(inner, path + ".")
            else:
                yield path

    missing = [k for k in keys(type(cfg)) if f"`{k}`" not in DOC]
    assert missing == []


def test_docs_cli_example_is_the_sample_data_output(capsys):
    code, doc, _ = run_cli(capsys, "cockpit", "--data", str(ROOT / "sample_data" / "csv"), "--period", "2026-W43")
    spend = next(a for a in doc["anomalies"] if a["metric"] == "spend")
    assert code == 0 and f'"reason": "{spend["reason"]}"' in DOC and f'"median": {spend["median"]}' in DOC
