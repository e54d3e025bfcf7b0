"""The weekly review of 2026-W43 on the sample data: each section holds what the metrics layer
and the cockpit, channel, OKR, appraisal and action functions compute for that week, and the
appraisal alerts reach only the roles allowed, each for its own scope."""
import datetime as dt

import pandas as pd
import pytest

from lib import ROOT
from lib.access import SYSTEM, Viewer, may_see_appraisal_alerts
from lib.appraisal import appraise
from lib.appraisal.views import coaching_list
from lib.channels.advice import advise
from lib.channels.table import channel_table
from lib.cockpit.actions import action_list
from lib.config import sources_for_data
from lib.metrics import Request, explain, run
from lib.okr import okr_report
from lib.periods import Period
from lib.store import load_store
from lib.weekly.review import (appraisal_month, build_review, default_week, load_configs, metrics_to_explain,
                               review_day, slides_for, week_choices, week_of)

W43, W42 = Period.of("2026-W43"), Period.of("2026-W42")


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(ROOT / "sample_data" / "csv")))


@pytest.fixture(scope="module")
def configs():
    return load_configs()


@pytest.fixture(scope="module")
def review(store, configs):
    return build_review(store, configs, W43, SYSTEM, "en")


def week_values(store, catalog, metrics, week):
    frame = run(store, catalog, Request(tuple(metrics), start=week.start, end=week.end)).frame
    return {m: float(frame[m].iloc[0]) for m in metrics}


def test_the_default_week_is_the_last_complete_iso_week_of_the_data(store):
    # the sample data ends on Saturday 2026-10-31: W44 is not complete, W43 (10-19 to 10-25) is
    assert default_week(store) == W43
    assert week_choices(store)[0] == W43 and week_choices(store)[1] == W42
    assert review_day(W43) == dt.date(2026, 10, 26)


def test_week_labels_other_than_weeks_are_refused():
    assert week_of(" 2026-W43 ") == W43
    with pytest.raises(ValueError, match=r"^'2026-10' is a month, not a week; use the form 2026-W43$"):
        week_of("2026-10")
    with pytest.raises(ValueError, match=r"^'last week' is not a week; use the form 2026-W43$"):
        week_of("last week")


def test_kpis_are_the_metrics_of_the_week_against_the_week_before_off_target_first(store, configs, review):
    catalog = configs.catalog
    metrics = [t.metric for t in review.kpis.tiles if t.kind == "metric"] + ["engagements"]
    now, before = week_values(store, catalog, metrics, W43), week_values(store, catalog, metrics, W42)
    for tile in review.kpis.tiles:
        if tile.kind == "metric":
            assert tile.value == pytest.approx(now[tile.metric]) and tile.previous == pytest.approx(before[tile.metric])
    tiles = {t.key: t for t in review.kpis.tiles}
    assert tiles["revenue"].value == pytest.approx(2_436_930) and tiles["revenue"].previous == pytest.approx(2_929_730)
    assert tiles["cac"].value == pytest.approx(now["spend"] / now["new_customers"])
    assert tiles["content_reach"].also_value == pytest.approx(now["engagements"])
    # sales against target: revenue / its target for the week (October's target spread over its days)
    target = tiles["sales_vs_target"].target
    assert tiles["sales_vs_target"].value == pytest.approx(now["revenue"] / target)
    # off target first (red, then amber), then on target, then the tiles without a target
    assert [(t.key, t.status) for t in review.kpis.tiles] == [
        ("revenue", "red"), ("cac", "red"), ("sales_vs_target", "red"), ("new_customers", "amber"),
        ("lead_conversion", "amber"), ("campaign_roi", "amber"), ("content_reach", "green"), ("spend", None)]
    assert {a.metric for a in review.kpis.anomalies} == {"spend", "cac", "impressions", "engagements"}
    assert tiles["cac"].anomaly is not None and tiles["revenue"].anomaly is None


def test_what_moved_is_the_explain_decomposition_off_target_first(store, configs, review):
    catalog = configs.catalog
    assert [(m.metric, m.reason) for m in review.why.moves] == [
        ("revenue", "off_target"), ("cac", "off_target"), ("impressions", "unusual")]
    for move in review.why.moves:
        direct = explain(store, catalog, move.metric, "channel", "2026-W43", "2026-W42")
        assert move.explanation.total_change == pytest.approx(direct.total_change)
        pd.testing.assert_frame_equal(move.explanation.contributions, direct.contributions)
        # the parts add up to the change (additive revenue and the rate/mix split of CAC alike)
        assert move.explanation.contributions["contribution"].sum() == pytest.approx(direct.total_change)
    revenue = review.why.moves[0].explanation
    assert revenue.total_change == pytest.approx(2_436_930 - 2_929_730)


def test_the_choice_of_kpis_to_explain(review, configs):
    catalog = configs.catalog
    # with five KPIs: the red ones (sales against target is revenue again), then the unusual ones
    # by the size of their move (+6.1%, +6.1%), then the biggest other move (campaign ROI +4.8%)
    assert metrics_to_explain(review.kpis, catalog, "channel", 5) == [
        ("revenue", "off_target"), ("cac", "off_target"), ("impressions", "unusual"), ("spend", "unusual"),
        ("campaign_roi", "moved")]
    assert [m for m, _ in metrics_to_explain(review.kpis, catalog, "channel", 8)][-2:] == [
        "new_customers", "lead_conversion"]  # then the next biggest moves: -4.1%, -2.1%


def test_channels_are_the_channel_page_table_with_the_week_over_week_change(store, configs, review):
    catalog = configs.catalog
    rows = review.channels.rows.set_index("channel")
    table = channel_table(store, catalog, W43.start, W43.end)
    advised = advise(table.rows, table.blended_cac, configs.channels.recommendations).set_index("channel")
    before = run(store, catalog, Request(("spend", "cac"), by=("channel",), start=W42.start, end=W42.end)) \
        .frame.set_index("channel")
    assert set(rows.index) == set(advised.index)
    for channel, row in rows.iterrows():
        assert row["spend"] == pytest.approx(advised.at[channel, "spend"])
        assert row["spend_prev"] == pytest.approx(before.at[channel, "spend"])
        assert row["cac_change"] == pytest.approx(advised.at[channel, "cac"] - before.at[channel, "cac"])
        assert row["action"] == advised.at[channel, "action"]
    assert list(rows.index[:2]) == ["抖音", "百度SEM"]  # by spend
    assert rows.at["百度SEM", "action"] == "review" and rows.at["知乎信息流", "action"] == "scale_up"
    assert review.channels.totals["spend"] == pytest.approx(table.totals["spend"])
    assert review.channels.totals_prev["cac"] == pytest.approx(week_values(store, catalog, ["cac"], W42)["cac"])


def test_okrs_are_the_quarter_of_the_week_judged_at_its_last_day(store, configs, review):
    expected = okr_report(store, configs.catalog, configs.okr, "2026-Q4", dt.date(2026, 10, 25))
    assert review.okr.quarter == "2026-Q4" and review.okr.as_of == dt.date(2026, 10, 25)
    assert review.okr.report.to_json() == expected.to_json()
    assert [(o.objective_id, k.kr_id, k.status) for o, k in review.okr.behind] == [
        ("O-2026Q4-04", "KR-2026Q4-04-1", "at_risk"), ("O-2026Q4-04", "KR-2026Q4-04-2", "at_risk"),
        ("O-2026Q4-05", "KR-2026Q4-05-1", "at_risk")]  # off track first, then at risk by progress


def test_actions_are_the_action_list_as_of_the_review_day(store, configs, review):
    full = action_list(store, configs.catalog, dt.date(2026, 10, 26), "en")
    section = review.actions
    assert section.review_day == dt.date(2026, 10, 26)
    # overdue (still open, due before the review day), then due within 7 days (by 2026-11-02)
    assert list(section.listed["action_id"]) == ["A-003", "A-013", "A-008", "A-015", "A-002", "A-004"]
    assert list(section.listed["overdue"]) == [True, True, True, False, False, False]
    assert list(section.listed["days_overdue"][:3]) == [10, 10, 3]
    live = full["status"].isin(["open", "doing"])
    assert (section.open, section.overdue, section.later) == (int(live.sum()), 3, int(live.sum()) - 6)
    assert list(section.listed["owner"][:3]) == ["马丽娜", "郑凯", "李静"]  # names from the staff tab
    # were noted at the W43 review (created on its review day)
    assert list(section.noted["action_id"]) == ["A-001", "A-002"]


def test_appraisal_alerts_for_the_roles_allowed_each_for_its_scope(store, configs):
    month, quarter = "2026-09", "2026-Q3"  # the last month complete by 2026-10-25, and its quarter
    everyone = build_review(store, configs, W43, SYSTEM, "en").appraisal
    assert (everyone.month, everyone.quarter) == (month, quarter)
    expected = coaching_list(appraise(store, configs.appraisal, month, SYSTEM))
    pd.testing.assert_frame_equal(everyone.coaching, expected)
    assert list(everyone.coaching["employee_id"]) == ["E021"]
    assert everyone.calibration[["employee_id", "period", "spread"]].values.tolist() == [["E018", "2026-Q3", 25.0]]
    # a manager sees the alerts of the own department only: E021 is in 活动策划部, E018 in 内容运营部
    events = build_review(store, configs, W43, Viewer("m", "manager", "E020", "活动策划部"), "en").appraisal
    assert events.allowed and list(events.coaching["employee_id"]) == ["E021"] and events.calibration.empty
    content = build_review(store, configs, W43, Viewer("m", "manager", "E016", "内容运营部"), "en").appraisal
    assert content.coaching.empty and list(content.calibration["employee_id"]) == ["E018"]
    for who in (Viewer("screen", "viewer"), Viewer("w", "staff", "E021", "活动策划部"), Viewer("x", "")):
        assert not may_see_appraisal_alerts(who)
        review = build_review(store, configs, W43, who, "en")
        assert "appraisal" not in review.slides and review.appraisal is None


def test_slides_follow_the_config_and_the_role(configs):
    cfg = configs.weekly
    assert slides_for(cfg, SYSTEM) == ["kpis", "why", "channels", "okr", "appraisal", "actions", "notes"]
    assert slides_for(cfg, Viewer("screen", "viewer")) == ["kpis", "why", "channels", "okr", "actions", "notes"]
    short = cfg.model_copy(update={"slides": ["actions", "kpis"]})
    assert slides_for(short, SYSTEM) == ["actions", "kpis"]


def test_the_appraisal_month_is_the_last_complete_month_with_kpi_actuals():
    assert appraisal_month(["2026-08", "2026-09", "2026-10"], W43) == "2026-09"
    assert appraisal_month(["2026-07", "2026-08"], W43) == "2026-08"  # September not entered yet
    assert appraisal_month(["2026-11"], W43) is None
    assert appraisal_month(["2026-09", "2026-10"], Period.of("2026-W44")) == "2026-10"  # W44 ends on 11-01


def test_a_missing_tab_leaves_its_section_empty_and_says_so(tmp_path, configs):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "sample_data" / "csv", data)
    for tab in ("actions", "objectives"):
        (data / f"{tab}.csv").unlink()
    store = load_store(sources_for_data(str(data)))
    review = build_review(store, configs, W43, SYSTEM, "en")
    assert review.actions.missing == ("actions",) and review.actions.listed.empty
    assert review.okr.report is None and review.okr.missing == ("objectives",)
    assert review.kpis.tiles  # the rest is there


def test_a_hand_checked_week(configs):
    """tests/fixtures/golden: nine rows, W42 (10-12..18) and W43 (10-19..25), checked by hand."""
    store = load_store(sources_for_data(str(ROOT / "tests" / "fixtures" / "golden")))
    review = build_review(store, configs, W43, SYSTEM, "en")
    tiles = {t.key: t for t in review.kpis.tiles}
    # spend 1500+500+300+600+400 = 3,300 (W42: 1000+500+600+400 = 2,500); new customers 3+5+0+2+4 = 14 (W42: 15)
    assert (tiles["spend"].value, tiles["spend"].previous) == (3300, 2500)
    assert (tiles["new_customers"].value, tiles["new_customers"].previous) == (14, 15)
    assert tiles["cac"].value == pytest.approx(3300 / 14) and tiles["cac"].previous == pytest.approx(2500 / 15)
    # revenue 7000+6500+0+2800+4200 = 20,500 against October's 62,000 spread over its days: 62,000 x 7/31 = 14,000
    assert tiles["revenue"].value == 20500 and tiles["revenue"].target == pytest.approx(14000)
    # off target first: new customers (14 < 90% of 900 x 7/31 = 203.2), CAC (235.71 > 110% of 200)
    # and content reach (58,000 impressions < 90% of 80,000,000 x 7/31); then revenue, on target
    assert [(t.key, t.status) for t in review.kpis.tiles][:4] == [
        ("new_customers", "red"), ("cac", "red"), ("content_reach", "red"), ("revenue", "green")]
    # CAC moved most among those off target (+41%, new customers -7%); its parts by channel:
    # 百度SEM 2100/14 - 1600/15 - (2500/15)(5/14 - 6/15) = +50.48, 线下沙龙 300/14 = +21.43 (spend, no
    # customer), 抖音 900/14 - 900/15 - (2500/15)(9/14 - 9/15) = -2.86; together 3300/14 - 2500/15 = +69.05
    assert [(m.metric, m.reason) for m in review.why.moves] == [
        ("cac", "off_target"), ("impressions", "off_target"), ("new_customers", "off_target")]
    parts = review.why.moves[0].explanation.contributions.set_index("channel")["contribution"]
    assert parts.to_dict() == pytest.approx({"百度SEM": 50.476190, "线下沙龙": 21.428571, "抖音": -2.857143}, abs=1e-6)
    rows = review.channels.rows.set_index("channel")
    assert rows.loc["百度SEM", ["spend", "spend_prev", "cac"]].tolist() == pytest.approx([2100, 1600, 420])
    assert rows.at["百度SEM", "action"] == "review" and rows.at["线下沙龙", "action"] == "no_customers"
    assert pd.isna(rows.at["线下沙龙", "cac"])  # 300 spent, no customer: no CAC, never 0
    # the fixture has no OKR, people or action tabs: those sections say so
    assert review.okr.missing == ("objectives", "key_results") and review.actions.missing == ("actions",)
    assert review.appraisal.missing == ("staff", "kpi_actuals")


def test_the_hand_checked_week_in_the_report(configs):
    from lib.weekly.content import sections

    store = load_store(sources_for_data(str(ROOT / "tests" / "fixtures" / "golden")))
    parts = {s.key: s for s in sections(build_review(store, configs, W43, SYSTEM, "en"), configs)}
    channels = {row[0].text: [c.text for c in row] for row in parts["channels"].blocks[0].table.rows}
    assert channels["线下沙龙"][1:6] == ["¥300", "—", "0", "+0", "—"]  # spend from nothing: no % change, no CAC
    assert channels["百度SEM"][1:7] == ["¥2,100", "+31.2%", "5", "-1", "¥420", "+57.5%"]
    assert parts["okr"].lines == ["The tab(s) objectives, key_results are missing, so there are no OKRs to show."]
    assert parts["actions"].lines == ["There is no actions tab in the data."]
    assert parts["appraisal"].lines == [
        "The tab(s) staff, kpi_actuals are missing, so there are no appraisal alerts."]
