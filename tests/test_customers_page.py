"""AppTest of the Customer value page on the hand-checked fixture and on the sample data."""
import datetime as dt

import pytest

from lib import ROOT
from lib.access import Viewer
from tests.apptest import run_page, texts
from tests.customers_fixture import FIXTURE

PAGE = "pages/customers.py"
SAMPLE = ROOT / "sample_data" / "csv"


def open_tab(at, label: str):
    """Click a tab: only the open tab is computed and drawn."""
    at.session_state["cv_tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def frames_with(at, column):
    return [d.value for d in at.dataframe if column in d.value.columns]


@pytest.fixture
def fixture_page(monkeypatch):
    at = run_page(monkeypatch, PAGE, FIXTURE)
    at.date_input(key="cv_as_of").set_value(dt.date(2026, 3, 31)).run()
    assert not at.exception
    return at


def test_retention_tab(fixture_page):
    at = fixture_page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Customers"] == "10"
    assert metrics["Repeat-purchase rate"] == "55.6%"  # 5 repeat buyers of 9 with an order
    # C01, C05 and C04 of the 8 customers whose cohorts (2025-06, 2026-01, 2026-02) reached month 1
    assert metrics["Still ordering in month 1"] == "37.5%"
    repeat = frame_with(at, "Repeat-purchase rate")
    assert repeat.set_index("Channel")["Repeat-purchase rate"].to_dict() == {"EDM": "40.0%", "抖音": "75.0%"}
    assert "1 order(s) are dated in a month before their customer's acquired_at" in texts(at)


def test_only_the_open_tab_is_drawn(fixture_page):
    assert "Retention by acquisition month" in texts(fixture_page)
    assert not frames_with(fixture_page, "LTV 24 months") and not frames_with(fixture_page, "Control")


def test_lifetime_value_tab(fixture_page):
    open_tab(fixture_page, "Lifetime value")
    ltv = frame_with(fixture_page, "LTV 24 months").set_index("Channel")
    assert ltv.loc["抖音", "CAC"] == "¥420" and ltv.loc["EDM", "CAC"] == "¥150"
    assert ltv.loc["抖音", "First month"] == "¥152"
    assert ltv.loc["抖音", "LTV 24 months"] == "—"  # too few customers to fit: missing, not 0
    assert "two months with at least 20 customers each are needed" in texts(fixture_page)


def test_rfm_tab_and_tier_lists(fixture_page):
    at = open_tab(fixture_page, "RFM tiers")
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["High value"], metrics["Potential"], metrics["Dormant"]) == ("1", "8", "1")
    assert "10.0% of customers · 19.2% of revenue" in texts(at)  # 410 of 2,130
    assert "Dormant: no order since 2025-09-30" in texts(at)
    assert frame_with(at, "R · F · M")["Customer"].tolist() == ["C04"]
    at.radio(key="cv_tier").set_value("dormant").run()
    listed = frame_with(at, "R · F · M")
    assert listed.iloc[0].to_dict() == {
        "Customer": "C09", "Channel": "EDM", "Region": "华东", "Segment": "SMB", "Acquired": dt.date(2025, 6, 10),
        "Last order": "2025-08-01", "Orders": 2, "Revenue": "¥260", "R · F · M": "1 · 3 · 4"}
    assert [b.label for b in at.get("download_button")] == ["Download the list (.csv)", "Download the list (.xlsx)"]


def test_a_meeting_room_viewer_gets_no_customer_list(monkeypatch):
    """The meeting-room screen may not open this page at all (lib.access.PAGES_BY_ROLE)."""
    at = run_page(monkeypatch, PAGE, FIXTURE, session={"viewer": Viewer("screen", "viewer"), "cv_tab": "RFM tiers"})
    assert texts(at) == "Your role may not open this page. Pick a page from the menu."
    assert not frames_with(at, "R · F · M") and not at.get("download_button")


def test_ab_tab(fixture_page):
    at = open_tab(fixture_page, "A/B tests")
    summary = frame_with(at, "Control")
    assert summary[["Experiment", "Variant", "Control", "Verdict"]].values.tolist() == [
        ["EXP-CTA", "A", "B", "significant"], ["EXP-PRICE", "low", "control", "not yet"],
        ["EXP-PRICE", "high", "control", "not yet"], ["EXP-MAIL", "new", "old", "no effect"]]
    cta = next(f for f in frames_with(at, "95% CI of the difference") if "A" in f["Variant"].tolist())
    assert cta.iloc[1][["Conversion rate", "Lift", "p-value", "95% CI of the difference", "Users needed"]].tolist() == [
        "10.00%", "-23.1%", "0.0355", "-5.79% … -0.21%", "1,774"]
    assert cta.iloc[0]["Verdict"] == "control"


def test_break_even_tab(fixture_page):
    at = open_tab(fixture_page, "Break-even")
    assert "2 not paid back after 6 months" in [e.value for e in at.error]
    table = frame_with(at, "Shortfall")
    assert table[["Kind", "Name", "Spend", "Revenue", "Paid back", "Status"]].values.tolist()[:2] == [
        ["campaign", "老客唤醒邮件", "¥300", "¥200", "67%", "not paid back"],
        ["channel", "EDM", "¥300", "¥260", "87%", "not paid back"]]


def test_filters_narrow_the_customers(fixture_page):
    at = fixture_page
    at.multiselect(key="cv_channel").set_value(["抖音"]).run()
    assert {m.label: m.value for m in at.metric}["Customers"] == "5"
    assert frame_with(at, "Repeat-purchase rate")["Channel"].tolist() == ["抖音"]


def test_in_chinese(monkeypatch):
    at = run_page(monkeypatch, PAGE, FIXTURE, lang="zh")
    assert at.title[0].value == "客户价值"
    assert {"客户数", "复购率"} <= {m.label for m in at.metric}
    open_tab(at, "RFM 分层")
    assert {"高价值客户", "沉睡客户"} <= {m.label for m in at.metric}
    assert "重点维护" in texts(at)
    open_tab(at, "A/B 实验")
    assert frame_with(at, "结论")["结论"].tolist()[:2] == ["显著"] + ["尚无定论"]


def test_a_missing_tab_is_named_and_the_rest_of_the_page_works(monkeypatch, tmp_path):
    (tmp_path / "experiments.csv").write_text((FIXTURE / "experiments.csv").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    at = run_page(monkeypatch, PAGE, tmp_path)
    assert [i.value for i in at.info][0].startswith("This part needs the tab(s) customers, orders")
    open_tab(at, "Break-even")
    assert [i.value for i in at.info][0].startswith("This part needs the tab(s) marketing_daily")
    open_tab(at, "A/B tests")
    assert frame_with(at, "Control")["Verdict"].tolist()[0] == "significant"


def test_sample_data(monkeypatch):
    at = run_page(monkeypatch, PAGE, SAMPLE, timeout=120)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Customers"].replace(",", "")) > 3000
    ltv = frame_with(open_tab(at, "Lifetime value"), "LTV 24 months")
    assert len(ltv) >= 8 and (ltv["LTV 24 months"] != "—").all() and (ltv["CAC"] != "—").all()
    verdicts = set(frame_with(open_tab(at, "A/B tests"), "Control")["Verdict"])
    assert verdicts == {"significant", "not yet", "no effect"}


def test_sheet_text_in_headings_stays_text(monkeypatch, tmp_path):
    (tmp_path / "experiments.csv").write_text(
        "experiment_id,variant,users,conversions,metric\n"
        "[EXP](https://x.example) **1**,A,100,10,<b>signup</b>\n[EXP](https://x.example) **1**,B,100,12,<b>signup</b>\n",
        encoding="utf-8")
    at = open_tab(run_page(monkeypatch, PAGE, tmp_path), "A/B tests")
    assert [h.value for h in at.subheader][-1] == r"\[EXP\]\(https://x\.example\) \*\*1\*\*"
    assert any(c.value.startswith(r"\<b\>signup\</b\> · ") for c in at.caption)
