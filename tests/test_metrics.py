"""The metrics layer on a small hand-checked dataset (tests/fixtures/golden): golden
results, comparisons, targets, status and the explain decomposition.

Hand computation (see the CSV): week 2026-W42 spend 2500, new customers 15, CAC 166.67;
week 2026-W43 spend 3300, new customers 14, CAC 235.71. The budget tab holds October 2026
only: 数字营销部 10,000, 内容运营部 5,000, 活动策划部 2,000.
"""
import datetime as dt
import textwrap

import pandas as pd
import pytest

from lib import ROOT
from lib.config import sources_for_data
from lib.metrics import Request, RequestError, compare, explain, load_catalog, run, status, target_for
from lib.metrics.grains import label_of, parse_period, previous_range, year_ago_range
from lib.metrics.targets import benchmark_for
from lib.store import load_store

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
W42, W43 = (dt.date(2026, 10, 12), dt.date(2026, 10, 18)), (dt.date(2026, 10, 19), dt.date(2026, 10, 25))
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(GOLDEN)))


def q(store, catalog, *metrics, **kw):
    return run(store, catalog, Request(tuple(metrics), **kw)).frame


# ---- golden results ----------------------------------------------------------------------

def test_totals_and_ratios_from_aggregated_inputs(store, catalog):
    row = q(store, catalog, "spend", "new_customers", "cac", "roi", "ctr", "cpm", "roas", start=W43[0],
            end=W43[1]).iloc[0]
    assert row["spend"] == 3300 and row["new_customers"] == 14
    assert row["cac"] == pytest.approx(3300 / 14)
    assert row["roi"] == pytest.approx((20500 - 3300) / 3300)
    assert row["ctr"] == pytest.approx(840 / 58000)  # not the mean of the rows' CTRs
    assert row["cpm"] == pytest.approx(1000 * 3300 / 58000)
    assert row["roas"] == pytest.approx(20500 / 3300)


def test_every_default_metric_on_the_golden_week(store, catalog):
    """W43 by hand: spend 3300, impressions 58000, clicks 840, engagements 1835, leads 62,
    new customers 14, orders 14, revenue 20500."""
    names = ["spend", "impressions", "clicks", "engagements", "leads", "new_customers", "orders", "revenue",
             "ctr", "cpc", "cpm", "cpl", "lead_conversion", "cac", "roi", "roas", "aov", "engagement_rate"]
    row = q(store, catalog, *names, start=W43[0], end=W43[1]).iloc[0]
    expected = {"spend": 3300, "impressions": 58000, "clicks": 840, "engagements": 1835, "leads": 62,
                "new_customers": 14, "orders": 14, "revenue": 20500, "ctr": 840 / 58000, "cpc": 3300 / 840,
                "cpm": 3300 / 58, "cpl": 3300 / 62, "lead_conversion": 14 / 62, "cac": 3300 / 14,
                "roi": 17200 / 3300, "roas": 20500 / 3300, "aov": 20500 / 14, "engagement_rate": 1835 / 58000}
    assert {n: row[n] for n in names} == pytest.approx(expected)


def test_weekly_by_channel_with_division_by_zero_as_null(store, catalog):
    frame = q(store, catalog, "spend", "cac", "ctr", by=("channel",), grain="week")
    got = {(r.period, r.channel): (r.spend, r.cac, r.ctr) for r in frame.itertuples()}
    assert got[("2026-W42", "百度SEM")][:2] == (1600, pytest.approx(1600 / 6))
    assert got[("2026-W43", "抖音")][:2] == (900, 100)
    spend, cac, ctr = got[("2026-W43", "线下沙龙")]
    assert spend == 300 and pd.isna(cac) and pd.isna(ctr)  # 0 customers, 0 impressions: no value, not 0
    assert list(frame.columns) == ["period", "channel", "spend", "cac", "ctr"]
    assert frame[["period", "channel"]].values.tolist() == [  # sorted by period, then channel
        ["2026-W42", "抖音"], ["2026-W42", "百度SEM"], ["2026-W43", "抖音"], ["2026-W43", "百度SEM"],
        ["2026-W43", "线下沙龙"]]


def test_blank_dimension_values_are_a_group_of_their_own_and_sort_last(store, catalog):
    frame = q(store, catalog, "spend", by=("campaign_id",))
    assert frame["campaign_id"].tolist()[:2] == ["C1", "C2"] and pd.isna(frame["campaign_id"].iloc[2])
    assert frame["spend"].tolist() == [2500, 800, 2500]


def test_filters_are_bound_parameters_and_sql_injection_is_just_a_value(store, catalog):
    result = run(store, catalog, Request(("spend",), where=(("region", ("华东",)),)))
    assert result.frame["spend"].iloc[0] == 1000 + 500 + 1500 + 500 + 300
    sql = result.queries[0].sql
    assert "华东" not in sql and "where_region" in sql
    evil = run(store, catalog, Request(("spend",), where=(("region", ("华东' OR '1'='1",)),))).frame
    assert pd.isna(evil["spend"].iloc[0])  # no row matches the literal text: no value, and one row
    assert q(store, catalog, "spend")["spend"].iloc[0] == 5800  # and the table is intact


def test_the_same_shape_with_other_values_gives_other_numbers(store, catalog):
    """SQL text is compiled once per shape of request (metrics, keys, which filters); the
    values are bound anew each time."""
    def spend(*regions, start=W42[0], end=W43[1]):
        return q(store, catalog, "spend", start=start, end=end, where=(("region", regions),))["spend"].iloc[0]

    assert spend("华东") == 1000 + 500 + 1500 + 500 + 300
    assert spend("华北") == 600 + 400 + 600 + 400
    assert spend("华北", start=W43[0]) == 600 + 400
    assert spend("华北", "华东") == 5800 and spend("华东", "华北", end=W42[1]) == 2500


def test_date_range_is_inclusive_and_bound(store, catalog):
    result = run(store, catalog, Request(("spend",), start=dt.date(2026, 10, 13), end=dt.date(2026, 10, 14)))
    assert result.frame["spend"].iloc[0] == 500 + 600
    assert result.queries[0].params == {"start": dt.date(2026, 10, 13), "before": dt.date(2026, 10, 15)}


def test_a_compiled_query_says_in_plain_english_what_it_computes(store, catalog):
    result = run(store, catalog, Request(("cac", "budget_utilization"), by=("department",), start=W43[0],
                                         end=W43[1], where=(("channel", ("抖音", "百度SEM")),)))
    assert result.description == ("CAC and Budget utilisation by department, 2026-10-19 to 2026-10-25, "
                                  "channel 抖音 / 百度SEM only")
    assert [q.description for q in result.queries] == [
        result.description + ": Spend and New customers from marketing_daily",
        result.description + ": Budget from budget (monthly amounts spread evenly over their days)",
    ]


def test_metric_across_two_tabs_aggregates_each_and_combines(store, catalog):
    frame = q(store, catalog, "budget_utilization", by=("department",), start=OCTOBER[0], end=OCTOBER[1])
    got = dict(zip(frame["department"], frame["budget_utilization"]))
    assert got == {"内容运营部": pytest.approx(1800 / 5000), "数字营销部": pytest.approx(3700 / 10000),
                   "活动策划部": pytest.approx(300 / 2000)}


def test_monthly_budget_is_spread_over_its_days(store, catalog):
    """A week gets 7/31 of October's budget, not all of it (nor nothing)."""
    frame = q(store, catalog, "spend", "budget", "budget_utilization", by=("department",), start=W43[0], end=W43[1])
    got = {r.department: (r.spend, r.budget, r.budget_utilization) for r in frame.itertuples()}
    assert got["数字营销部"] == pytest.approx((2100, 10000 * 7 / 31, 2100 / (10000 * 7 / 31)))
    assert got["活动策划部"] == pytest.approx((300, 2000 * 7 / 31, 300 / (2000 * 7 / 31)))
    weekly = q(store, catalog, "budget", grain="week", start=OCTOBER[0], end=OCTOBER[1])
    # 2026-10-01 is a Thursday: W40 holds 4 days of October, W44 the last 6.
    assert weekly["period"].tolist() == ["2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44"]
    assert weekly["budget"].tolist() == pytest.approx([17000 * d / 31 for d in (4, 7, 7, 7, 6)])
    assert weekly["budget"].sum() == pytest.approx(17000)
    assert q(store, catalog, "budget", grain="quarter")["budget"].tolist() == pytest.approx([17000])


def test_campaign_metrics_use_their_row_filter(store, catalog):
    row = q(store, catalog, "campaign_spend", "campaign_roi", start=W42[0], end=W42[1]).iloc[0]
    assert row["campaign_spend"] == 1400
    assert row["campaign_roi"] == pytest.approx((12000 - 1400) / 1400)


@pytest.mark.parametrize("grain, labels", [
    ("day", ["2026-10-12", "2026-10-13"]), ("week", ["2026-W42", "2026-W43"]),
    ("month", ["2026-10"]), ("quarter", ["2026-Q4"]), ("year", ["2026"]),
])
def test_grain_labels(store, catalog, grain, labels):
    assert q(store, catalog, "spend", grain=grain)["period"].tolist()[:2] == labels


def test_iso_week_labels_cross_the_year():
    assert label_of(dt.date(2025, 12, 29), "week") == "2026-W01"
    assert label_of(dt.date(2027, 1, 1), "week") == "2026-W53"
    assert parse_period("2026-W01")[1:] == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert previous_range(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert year_ago_range(*W43) == (dt.date(2025, 10, 20), dt.date(2025, 10, 26))  # 2025-W43


@pytest.mark.parametrize("request_, message", [
    (Request(("cack",)), "unknown metric 'cack'; did you mean 'cac'?"),
    (Request(()), "no metric asked for; name one or more, e.g. spend,cac"),
    (Request(("spend",), grain="fortnight"), "unknown grain 'fortnight'; use one of day, week, month, quarter, year"),
    (Request(("spend",), start=W43[1], end=W43[0]), "the start 2026-10-25 is after the end 2026-10-19"),
    (Request(("spend",), by=("channel", "channel")), "dimension channel is asked for twice"),
    (Request(("budget_utilization",), by=("region",)),
     "budget_utilization cannot be split or filtered by 'region'; it can by: channel, department"),
])
def test_requests_that_cannot_be_answered_say_why(store, catalog, request_, message):
    with pytest.raises(RequestError) as caught:
        run(store, catalog, request_)
    assert str(caught.value) == message


# ---- comparisons, targets, status ----------------------------------------------------------

def test_compare_with_previous_period(store, catalog):
    row = compare(store, catalog, Request(("spend", "cac"), start=W43[0], end=W43[1])).iloc[0]
    assert row["spend_prev"] == 2500 and row["spend_prev_change"] == 800
    assert row["spend_prev_pct"] == pytest.approx(0.32)
    assert row["cac_prev_change"] == pytest.approx(3300 / 14 - 2500 / 15)
    assert row["cac_prev_pct"] == pytest.approx((3300 / 14 - 2500 / 15) / (2500 / 15))
    assert pd.isna(row["spend_yoy"]) and pd.isna(row["spend_yoy_pct"])  # no data a year before: no number, not 0


def test_compare_with_the_same_period_a_year_before(tmp_path, catalog):
    folder = tmp_path / "two_years"
    folder.mkdir()
    (folder / "marketing_daily.csv").write_text(textwrap.dedent("""\
        date,channel,spend,new_customers
        2025-10-21,抖音,400,2
        2025-10-27,抖音,999,9
        2026-10-20,抖音,500,5
        2026-10-21,百度SEM,700,0
    """), encoding="utf-8")
    two_years = load_store(sources_for_data(str(folder)))
    frame = compare(two_years, catalog, Request(("spend", "cac"), by=("channel",), start=W43[0], end=W43[1]))
    douyin = frame.set_index("channel").loc["抖音"]
    # 2026-W43 against 2025-W43 (2025-10-20 .. 10-26): 2025-10-27 is in the next week
    assert (douyin["spend_yoy"], douyin["spend_yoy_change"], douyin["spend_yoy_pct"]) == (400, 100, 0.25)
    assert douyin["cac_yoy"] == 200 and douyin["cac"] == 100 and douyin["cac_yoy_pct"] == -0.5
    baidu = frame.set_index("channel").loc["百度SEM"]
    assert baidu["spend"] == 700 and pd.isna(baidu["cac"]) and pd.isna(baidu["spend_yoy"])


def test_compare_keeps_a_segment_that_stopped(store, catalog):
    """线下沙龙 spent in W43 only: against W44 it keeps its row, its W44 value missing, not 0."""
    frame = compare(store, catalog, Request(("spend",), by=("channel",), start=dt.date(2026, 10, 26),
                                            end=dt.date(2026, 11, 1)))
    assert frame["channel"].tolist() == ["抖音", "百度SEM", "线下沙龙"]
    assert frame["spend"].isna().all() and frame["spend_prev"].tolist() == [900, 2100, 300]


def test_compare_needs_one_period(store, catalog):
    with pytest.raises(RequestError, match="a comparison is of one period"):
        compare(store, catalog, Request(("spend",), grain="week", start=W43[0], end=W43[1]))


def test_targets_prorated_from_month_and_quarter_rows(store, catalog):
    assert target_for(store, catalog, "revenue", *W43) == pytest.approx(62000 * 7 / 31)
    assert target_for(store, catalog, "cac", *W43) == 200  # a level is not pro-rated
    assert target_for(store, catalog, "leads", *OCTOBER) == pytest.approx(9200 * 31 / 92)
    assert target_for(store, catalog, "revenue", *W43, dims={"department": "数字营销部"}) == pytest.approx(
        30000 * 7 / 31)
    assert target_for(store, catalog, "revenue", *W43, dims={"department": "品牌部"}) is None
    # no row for 2026-11: the config target (per month, pro-rated) applies
    assert target_for(store, catalog, "revenue", dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == pytest.approx(12e6)
    assert target_for(store, catalog, "revenue", dt.date(2026, 11, 1), dt.date(2026, 11, 7)) == pytest.approx(
        12e6 * 7 / 30)
    assert target_for(store, catalog, "roi", *W43) == 4.0  # a level from config
    assert target_for(store, catalog, "spend", *W43) is None  # neutral plans have none: no status, never 0


def test_status_follows_direction_and_thresholds(catalog):
    higher, lower = catalog.thresholds_for("revenue"), catalog.thresholds_for("cac")
    assert [status(v, 100, "higher_is_better", higher) for v in (100, 90, 89.99)] == ["green", "amber", "red"]
    assert [status(v, 100, "lower_is_better", lower) for v in (100, 110, 110.01)] == ["green", "amber", "red"]
    assert status(None, 100, "higher_is_better", higher) is None
    assert status(float("nan"), 100, "higher_is_better", higher) is None
    assert status(120, None, "higher_is_better", higher) is None
    assert status(3300 / 14, 200, "lower_is_better", lower) == "red"
    # the catalogue's own thresholds: budget utilisation turns red beyond 105%, impressions below 85%
    budget = catalog.thresholds_for("budget_utilization")
    assert [status(v, 1.0, "lower_is_better", budget) for v in (0.7, 1.05, 1.06)] == ["green", "amber", "red"]
    reach = catalog.thresholds_for("impressions")
    assert [status(v, 100, "higher_is_better", reach) for v in (85, 84)] == ["amber", "red"]
    assert catalog.thresholds_for("spend") is None  # neutral: no colour


def test_benchmark_from_the_tab_overrides_config(store, catalog):
    assert benchmark_for(store, catalog, "ctr") == (0.015, "行业报告 2026")
    assert benchmark_for(store, catalog, "cac") == (3600, "config/metrics.yaml")
    assert benchmark_for(store, catalog, "spend") == (None, None)


# ---- explain ---------------------------------------------------------------------------------

def test_explain_additive_parts_sum_exactly(store, catalog):
    result = explain(store, catalog, "spend", "channel", "2026-W43", "2026-W42")
    parts = dict(zip(result.contributions["channel"], result.contributions["contribution"]))
    assert parts == {"百度SEM": 500, "线下沙龙": 300, "抖音": 0}
    assert result.total_change == 800 == sum(parts.values())


def test_explain_ratio_rate_and_mix_by_hand(store, catalog):
    result = explain(store, catalog, "cac", "region", "2026-W43", "2026-W42")
    assert result.method == "rate_mix"
    assert result.before == pytest.approx(2500 / 15) and result.after == pytest.approx(3300 / 14)
    east = result.contributions.set_index("region").loc["华东"]
    north = result.contributions.set_index("region").loc["华北"]
    # 华东: (2300/14 - 1500/15) - R0 (8/14 - 9/15); 华北 changed nothing
    assert east["contribution"] == pytest.approx(2300 / 14 - 100 - (2500 / 15) * (8 / 14 - 0.6))
    assert north["contribution"] == pytest.approx(0, abs=1e-9)
    assert east["rate_effect"] == pytest.approx((0.6 + 8 / 14) / 2 * (2300 / 8 - 1500 / 9))
    assert east["mix_effect"] == pytest.approx(((1500 / 9 + 2300 / 8) / 2 - 2500 / 15) * (8 / 14 - 0.6))
    assert east["rate_effect"] + east["mix_effect"] == pytest.approx(east["contribution"])
    assert result.contributions["contribution"].sum() == pytest.approx(result.total_change, rel=1e-12)
    parts = result.contributions
    assert (parts["rate_effect"] + parts["mix_effect"]).sum() == pytest.approx(result.total_change, rel=1e-12)


def test_explain_a_segment_without_customers(store, catalog):
    """线下沙龙 spent ¥300 in W43 and won no customer: its spend raises CAC by 300/14 and it
    has no rate of its own, so all of it is a mix effect."""
    result = explain(store, catalog, "cac", "channel", "2026-W43", "2026-W42")
    salon = result.contributions.set_index("channel").loc["线下沙龙"]
    assert salon["contribution"] == pytest.approx(300 / 14)
    assert (salon["rate_effect"], salon["mix_effect"]) == (0, pytest.approx(300 / 14))
    assert pd.isna(salon["before"]) and pd.isna(salon["after"])
    assert result.contributions["contribution"].sum() == pytest.approx(3300 / 14 - 2500 / 15, rel=1e-12)


def test_explain_sentence(store, catalog):
    from lib.metrics.format import explain_sentence

    result = explain(store, catalog, "cac", "region", "2026-W43", "2026-W42")
    assert explain_sentence(result, catalog, "en") == "CAC rose ¥69 (+41%) against 2026-W42; 华东 contributed +¥69."
    assert explain_sentence(result, catalog, "zh") == "获客成本较 2026-W42 上升 ¥69 (+41%)；其中 华东 贡献 +¥69。"


@pytest.mark.parametrize("metric", ["roi", "cpm", "ctr", "cvr", "aov", "roas", "lead_conversion", "budget_utilization"])
def test_explain_every_ratio_of_sums_splits_into_rate_and_mix(store, catalog, metric):
    by = "department" if metric == "budget_utilization" else "channel"
    result = explain(store, catalog, metric, by, "2026-W43", "2026-W42")
    assert result.method == "rate_mix"
    parts = result.contributions
    assert parts["contribution"].sum() == pytest.approx(result.total_change, rel=1e-9, abs=1e-12)
    assert (parts["rate_effect"] + parts["mix_effect"]).to_numpy() == pytest.approx(parts["contribution"].to_numpy())
    total = q(store, catalog, metric, start=W43[0], end=W43[1])[metric].iloc[0]
    assert result.after == pytest.approx(total)  # the same number as a query gives


def test_explain_derived_sums_are_additive(tmp_path, store):
    path = tmp_path / "metrics.yaml"
    extra = textwrap.dedent("""\
        profit:
          label: {en: Profit, zh: 利润}
          description: {en: "Revenue minus spend.", zh: "销售额减花费。"}
          kind: derived
          expr: revenue - spend
          format: money
          direction: higher_is_better
          owner: 客户增长部
          target: {value: 6900000, per: month}
        double_cac:
          label: {en: Double CAC, zh: 双倍获客成本}
          description: {en: "Twice the CAC.", zh: "获客成本的两倍。"}
          kind: derived
          expr: spend / new_customers * 2
          owner: 客户增长部
    """)
    default = (ROOT / "config" / "metrics.yaml").read_text(encoding="utf-8")
    path.write_text(default + textwrap.indent(extra, "  "), encoding="utf-8")
    catalog = load_catalog(path)
    assert catalog.additive("profit") and not catalog.additive("double_cac")
    result = explain(store, catalog, "profit", "channel", "2026-W43", "2026-W42")
    assert result.method == "additive"
    assert result.total_change == (20500 - 3300) - (21000 - 2500)
    assert result.contributions["contribution"].sum() == pytest.approx(result.total_change)
    assert target_for(store, catalog, "profit", *W43) == pytest.approx(6.9e6 * 7 / 31)  # an amount: pro-rated
    doubled = explain(store, catalog, "double_cac", "region", "2026-W43", "2026-W42")
    assert doubled.method == "rate_mix" and doubled.total_change == pytest.approx(2 * (3300 / 14 - 2500 / 15))


def test_explain_unknown_metric_suggests_one(store, catalog):
    with pytest.raises(RequestError, match=r"^unknown metric 'roii'; did you mean 'roi'\?$"):
        explain(store, catalog, "roii", "channel", "2026-W43", "2026-W42")
