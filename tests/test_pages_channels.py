"""AppTest of the channel comparison page on the hand-checked sheet (see tests/test_channels.py)."""
from lib import ROOT
from lib.i18n import t
from lib.ui.channels import TAB_KEY
from tests.apptest import run_page, texts

FIXTURE = ROOT / "tests" / "fixtures" / "channels"
PAGE = "pages/channels.py"


def open_tab(at, section, lang="en"):
    """What a click on a tab does: only the open tab is computed."""
    at.session_state[TAB_KEY] = t(f"channels.tab.{section}", lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at, column):
    """The first table on the page that has this column."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with a {column!r} column")


def test_headline_table_and_advice_in_english(monkeypatch):
    at = run_page(monkeypatch, PAGE, FIXTURE)
    assert at.title[0].value == "Channel comparison"
    assert "2026-W43 (2026-10-19 → 2026-10-25) · changes against 2026-W42" in texts(at)
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles == {"Spend": ("¥9,850", "+¥4,550"), "New customers": ("43", "+14"),
                     "Blended CAC": ("¥229", "+¥46"), "ROI": ("408%", "+120.8 pp")}
    table = frame_with(at, "share_of_spend")
    assert table["channel"].tolist() == ["线下沙龙", "百度SEM", "抖音", "EDM", "老客推荐", "私域社群"]
    assert table.columns.tolist()[:3] == ["channel", "spend", "share_of_spend"]
    douyin = table.set_index("channel").loc["抖音"]
    assert (douyin["cac"], douyin["roi"], douyin["new_customers"]) == (100, 5, 20)
    assert not at.success and len(at.dataframe) == 1  # the other tabs are not computed until opened
    open_tab(at, "efficiency")
    assert [e.value for e in at.success] == [
        "**Scale up 私域社群**: CAC ¥50 is 22% of the blended ¥229, and it brings only 7.0% of the new customers."]
    assert [e.value for e in at.error] == [
        "**Review 线下沙龙**: CAC ¥500 is 218% of the blended ¥229, on 18.6% of the new customers; it pushes the "
        "blended CAC up.",
        "**Review 百度SEM**: CAC ¥300 is 131% of the blended ¥229, on 23.3% of the new customers; it pushes the "
        "blended CAC up.",
        "**Review EDM**: ¥500 spent without a single new customer."]
    open_tab(at, "quality")
    quality = frame_with(at, "grade")
    assert quality["channel"].tolist()[0] == "老客推荐" and quality["rank"].tolist() == [1, 2, 3, 4, 5, 6]


def test_attribution_and_week_over_week_sections(monkeypatch):
    at = open_tab(run_page(monkeypatch, PAGE, FIXTURE), "attribution")
    assert "4 of 5 journeys converted, worth ¥8,800." in texts(at)  # every journey by default
    at.radio(key="channels_attr_scope").set_value("period").run()
    credit = frame_with(at, "markov").set_index("channel")
    # Journeys ending in W43: J1 (抖音, 百度SEM, 抖音), J2 (EDM, not converted), J3 (线下沙龙), J4 (百度SEM, 抖音).
    assert credit.loc["抖音", "last_touch"] == 2 and credit.loc["百度SEM", "first_touch"] == 1
    assert credit.loc["抖音", "linear"] == 2 / 3 + 1 / 2
    assert credit["first_touch"].sum() == 3 and abs(credit["markov"].sum() - 3) < 1e-9
    assert "3 of 4 journeys converted, worth ¥8,000." in texts(at)
    open_tab(at, "changes")
    changes = frame_with(at, "Spend Δ").set_index("Channel")
    assert changes.loc["抖音", "Spend Δ"] == "▲ +¥500 (+33%)"
    assert changes.loc["知乎信息流", "Spend"] == "¥0" and changes.loc["知乎信息流", "CAC"] == "—"
    assert changes.loc["百度SEM", "CAC Δ"] == "▲ +¥50 (+20%)"
    at.radio(key="channels_compare_grain").set_value("month").run()
    assert "2026-09 against 2026-08" in texts(at)
    assert "No channel has data for this selection." in [e.value for e in at.info]


def test_chinese(monkeypatch):
    at = run_page(monkeypatch, PAGE, FIXTURE, lang="zh")
    assert at.title[0].value == "渠道对比"
    assert {m.label for m in at.metric} == {"花费", "新客户数", "综合获客成本", "投资回报率"}
    assert [tab.label for tab in at.tabs] == [
        ":material/table_chart: 渠道明细", ":material/filter_alt: 转化漏斗", ":material/target: 效率与建议",
        ":material/military_tech: 渠道质量分", ":material/alt_route: 归因分析", ":material/compare_arrows: 周环比 / 月环比"]
    open_tab(at, "efficiency", "zh")
    assert at.success[0].value == "**加大投入 私域社群**：获客成本 ¥50，仅为综合获客成本 ¥229 的 22%，但只带来 7.0% 的新客户。"
    open_tab(at, "attribution", "zh")
    assert "每一列合计都是 4" in texts(at)
    open_tab(at, "changes", "zh")
    assert frame_with(at, "花费 Δ").set_index("渠道").loc["抖音", "花费 Δ"] == "▲ +¥500 (+33%)"
    assert "2026-W43 对比 2026-W42" in texts(at)


def test_a_sidebar_filter_drives_every_section(monkeypatch):
    at = run_page(monkeypatch, PAGE, FIXTURE)
    at.multiselect(key="_w_f_region").select("华北").run()
    assert not at.exception
    assert "2026-W43 (2026-10-19 → 2026-10-25) · Region: 华北 · changes against 2026-W42" in texts(at)
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Spend"] == "¥1,500" and tiles["New customers"] == "10"
    assert frame_with(at, "share_of_spend")["channel"].tolist() == ["抖音", "EDM"]
    open_tab(at, "efficiency")
    assert [e.value for e in at.error] == ["**Review EDM**: ¥500 spent without a single new customer."]


def test_drill_into_a_channel_and_step_back(monkeypatch):
    # What a click on a bubble does (lib.ui.filters.drill): the channel filter and the drill path.
    at = run_page(monkeypatch, PAGE, FIXTURE, session={"f_channel": ["抖音"], "f_drill": [("channel", "抖音")]})
    assert frame_with(at, "share_of_spend")["channel"].tolist() == ["抖音"]
    assert "Inside 抖音: by region" in texts(at)
    regions = frame_with(at, "region")
    assert regions["region"].tolist() == ["华东", "华北"] and regions["spend"].tolist() == [1000, 1000]
    at.button(key="channels_undrill_0").click().run()
    assert at.session_state["f_drill"] == [] and at.session_state["f_channel"] == []
    assert len(frame_with(at, "share_of_spend")) == 6
    assert "Inside" not in texts(at)


def test_without_journeys_the_rest_of_the_page_works(monkeypatch):
    at = run_page(monkeypatch, PAGE, ROOT / "tests" / "fixtures" / "golden")
    assert frame_with(at, "share_of_spend")["channel"].tolist()
    open_tab(at, "attribution")
    assert any("touchpoints, conversions" in e.value for e in at.info)


def test_ltv_against_cac_on_the_sample_data(monkeypatch):
    """LTV/CAC per channel over the trailing year (lib.customers.ltv), next to CAC, with the
    same numbers as the customers layer gives for that window."""
    import datetime as dt

    from lib.config import sources_for_data
    from lib.customers.ltv import ltv_by_channel
    from lib.metrics import load_catalog
    from lib.store import load_store

    at = run_page(monkeypatch, PAGE, ROOT / "sample_data" / "csv")
    table = frame_with(at, "ltv_cac").set_index("channel")
    columns = table.columns.tolist()
    assert columns[columns.index("cac") + 1:columns.index("cac") + 4] == ["ltv_12", "ltv_cac", "payback_months"]
    store = load_store(sources_for_data(str(ROOT / "sample_data" / "csv")))
    expected = ltv_by_channel(store, load_catalog(), as_of=dt.date(2026, 10, 25), start=dt.date(2025, 10, 26),
                              end=dt.date(2026, 10, 25)).set_index("channel")
    assert table.loc["老客推荐", "ltv_cac"] == expected.loc["老客推荐", "ltv_cac"]
    # referred customers stay and cost little; search customers are worth much but cost more
    assert table.loc["老客推荐", "ltv_cac"] > 5 * table.loc["百度SEM", "ltv_cac"]


def test_no_ltv_columns_without_customers(monkeypatch):
    at = run_page(monkeypatch, PAGE, FIXTURE)
    assert "ltv_cac" not in frame_with(at, "share_of_spend").columns
