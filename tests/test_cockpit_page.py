"""AppTest of pages/cockpit.py on the hand-checked fixture (see tests/test_cockpit.py for
its numbers): tiles, sections, a drill-down by clicking chart bars, the breadcrumb, a
period change, the ?metric= focus and Chinese."""
import json
import re
import shutil

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from lib import ROOT
from tests.apptest import ADMIN, run_page, signed_in_app, texts, use_auth

DATA = ROOT / "tests" / "fixtures" / "cockpit"
PAGE = "pages/cockpit.py"
FOCUS = ":material/center_focus_strong: "


def plain(text: str) -> str:
    """Page text without the markdown escapes put around sheet text."""
    return text.replace("\\", "")


def tiles(at) -> dict[str, tuple[str, str]]:
    return {m.label.removeprefix(FOCUS): (m.value, m.delta) for m in at.metric}


def crumbs(at) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("crumb_")]


def click_chart(at, key: str, field: str, value: str) -> AppTest:
    """What the browser sends when a bar of an on_select chart is clicked: the chart's
    selection state, with the other widgets' values, and a rerun."""
    def nodes(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from nodes(child)

    chart = next(n for n in nodes(at._tree) if key in str(getattr(getattr(n, "proto", None), "id", "")))
    states = at._tree.get_widget_states()
    state = WidgetState(id=chart.proto.id, string_value=json.dumps({"selection": {"pick": [{field: value}]}}))
    states.widgets.append(state)
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_week_at_a_glance(monkeypatch):
    at = run_page(monkeypatch, PAGE, DATA)
    assert at.title[0].value == "Marketing cockpit"
    body = plain(texts(at))
    assert "Week 2026-W43 (2026-10-19 → 2026-10-25) against 2026-W42" in body
    got = tiles(at)
    assert got["Spend"] == ("¥1,600", "+¥500 (+45%)")
    assert got["CAC"] == ("¥160", "+¥50 (+45%)")
    assert got["Revenue"] == ("¥5,300", "+¥0 (+0%)")
    assert got["Lead conversion"] == ("22.2%", "+0.0 pp")
    assert got["Content reach"] == ("30.5K", "+0 (+0%)")
    assert got["Sales against target"] == ("76%", "+0 pp")
    assert "Target ¥120 · 1 open action(s)" in body  # CAC: the targets tab and action A1
    assert "¥5,300 of ¥7,000 target" in body and "Engagements 970 (+0%)" in body
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    # revenue, new customers, CAC, sales, and content reach (30.5K against 7/31 of the
    # catalogue's 80M impressions a month)
    assert badges.count(":red-badge[Off target]") == 5
    assert sum("Unusual" in b for b in badges) == 2  # spend and CAC
    assert "Spend: ¥1,600 in 2026-W43, above its usual range ¥700 – ¥1,300 of the previous 8 weeks. " \
           "百度SEM moved most: +¥300 against 2026-W42." in body
    assert "Spend rose ¥500 (+45%) against 2026-W42; 百度SEM contributed +¥300." in body
    assert "Week over week: 2026-W43 against 2026-W42" in body and "Month over month: 2026-09 against 2026-08" in body


def test_budget_campaigns_benchmarks_and_actions(monkeypatch):
    at = run_page(monkeypatch, PAGE, DATA)
    errors = [plain(e.value) for e in at.error]
    # W43 has 7 of October's 31 days: ¥1,500 x 7/31 = ¥339 for each online-ads line.
    assert errors == ["内容运营部 · Online ads: spent ¥400 of a ¥339 budget (118%).  \n"
                      "数字营销部 · Online ads: spent ¥900 of a ¥339 budget (266%)."]
    warnings = [plain(w.value) for w in at.warning]
    assert "Offline events is 30% of the budget; the plan says 20% (± 5 points)." in warnings[0]
    assert warnings[1] == ("**C1 · 秋季搜索冲刺**: overspent: ¥4,500 against a ¥4,000 budget (112%)  \n"
                           "**C2 · 十月客户沙龙**: under-delivering: ROI 50% against a 250% target")
    campaigns = at.dataframe[0].value
    assert list(campaigns["Status"]) == ["Overspent", "Under-delivering", "Not started"]
    assert list(campaigns["Spent to date"]) == ["¥4,500", "¥400", "—"]
    actions = at.dataframe[1].value
    assert list(actions["Action"]) == ["Cut 百度SEM bids on weak keywords", "Refresh 抖音 creatives",
                                       "Plan the November salon"]
    assert list(actions["Owner"]) == ["张伟", "E03", "李娜"]
    assert list(actions["Status"]) == ["Open · 10 days overdue", "Open", "Doing"]
    assert ":red-badge[:material/alarm: 1 overdue]" in [m.value for m in at.markdown]


def test_drill_down_by_clicking_bars_and_back_with_the_breadcrumb(monkeypatch):
    at = run_page(monkeypatch, PAGE, DATA)
    assert crumbs(at) == [] and at.segmented_control[0].value == "channel"
    click_chart(at, "cockpit_breakdown-channel-0", "channel", "百度SEM")
    assert tiles(at)["Spend"] == ("¥900", "+¥300 (+50%)")
    assert crumbs(at) == ["All data", "Channel: 百度SEM"]
    assert at.sidebar.multiselect[3].value == ["百度SEM"]  # the sidebar filter follows the drill
    assert at.segmented_control[0].value == "region"  # the split moves on to the next open dimension
    assert "Channel: 百度SEM" in plain(texts(at))
    click_chart(at, "cockpit_waterfall-region-1", "region", "华东")
    assert crumbs(at) == ["All data", "Channel: 百度SEM", "Region: 华东"]
    at.button(key="crumb_1").click().run()  # one step back
    assert crumbs(at) == ["All data", "Channel: 百度SEM"] and at.sidebar.multiselect[2].value == []
    at.button(key="crumb_0").click().run()  # all data again
    assert crumbs(at) == [] and tiles(at)["Spend"] == ("¥1,600", "+¥500 (+45%)")


def test_period_change_recomputes_every_section(monkeypatch):
    at = run_page(monkeypatch, PAGE, DATA)
    at.sidebar.selectbox[0].select_index(1).run()  # 2026-W42
    assert tiles(at)["Spend"] == ("¥1,100", "+¥300 (+38%)")
    assert "Week 2026-W42 (2026-10-12 → 2026-10-18) against 2026-W41" in plain(texts(at))
    at.sidebar.radio[0].set_value("month").run()
    body = plain(texts(at))
    assert "Month 2026-09 (2026-09-01 → 2026-09-30) against 2026-08" in body
    assert tiles(at)["Spend"] == ("¥4,200", "+¥2,200 (+110%)")
    # As of 30 September: A1 (created 1 October) is not on the list yet; A3 (done) and A5
    # (dropped) were due in September, so the month's review still shows them.
    actions = at.dataframe[1].value
    assert list(actions["Action"]) == ["Fix lead tracking on the landing page", "Try a radio spot"]
    assert list(actions["Status"]) == ["Done", "Dropped"]


def test_focus_from_the_okr_page_link(monkeypatch):
    monkeypatch.setenv("COCKPIT_DATA", str(DATA))
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["viewer"] = ADMIN  # signed in (a page run on its own has no sign-in)
    at.query_params["metric"] = "cac"
    at.run()
    assert not at.exception
    assert at.selectbox(key="_w_cockpit_metric").value == "cac"
    assert any(m.label == FOCUS + "CAC" for m in at.metric)
    assert "CAC rose ¥50 (+45%) against 2026-W42; 百度SEM contributed +¥30." in plain(texts(at))
    at.selectbox(key="_w_cockpit_metric").select("revenue").run()  # a choice on the page wins afterwards
    assert "Revenue was flat ¥0 (+0%) against 2026-W42." in plain(texts(at))
    assert any(m.label == FOCUS + "Revenue" for m in at.metric) and any(m.label == "CAC" for m in at.metric)
    assert "metric" not in at.query_params  # taken once, so the same link works again
    at.query_params["metric"] = "cac"
    at.run()
    assert at.selectbox(key="_w_cockpit_metric").value == "cac"


def test_a_linked_kpi_the_filters_cannot_split(monkeypatch):
    monkeypatch.setenv("COCKPIT_DATA", str(DATA))
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["viewer"] = ADMIN  # signed in (a page run on its own has no sign-in)
    at.session_state["f_region"] = ["华东"]
    at.query_params["metric"] = "budget_utilization"  # budgets have no region
    at.run()
    assert not at.exception
    assert "Budget utilisation is not recorded by Region: clear that filter to see it." in plain(texts(at))
    assert tiles(at)["Spend"][0] == "¥1,200"  # the rest of the page is there: 百度SEM + 线下沙龙 in 华东


def test_chinese(monkeypatch):
    at = run_page(monkeypatch, PAGE, DATA, lang="zh")
    assert at.title[0].value == "营销驾驶舱"
    got = tiles(at)
    assert got["花费"] == ("¥1,600", "+¥500 (+45%)") and got["销售目标达成"][0] == "76%"
    body = plain(texts(at))
    assert "周 2026-W43（2026-10-19 → 2026-10-25），对比 2026-W42" in body
    assert "花费：2026-W43 为 ¥1,600，高于前 8 周的常规区间 ¥700 – ¥1,300。变化最大的是 百度SEM：较 2026-W42 +¥300。" in body
    assert "花费较 2026-W42 上升 ¥500 (+45%)；其中 百度SEM 贡献 +¥300。" in body
    assert list(at.dataframe[1].value.columns)[:3] == ["行动", "负责人", "截止日期"]


def test_a_sheet_with_only_daily_marketing(monkeypatch, tmp_path):
    shutil.copy(DATA / "marketing_daily.csv", tmp_path / "marketing_daily.csv")
    at = run_page(monkeypatch, PAGE, tmp_path)
    body = plain(texts(at))
    assert tiles(at)["Spend"] == ("¥1,600", "+¥500 (+45%)")
    for tab in ("budget", "campaigns", "actions"):
        assert f"The {tab} tab is not loaded, so this section is empty." in body
    assert "Target ¥2,670" in body  # CAC: the catalogue's target when there is no targets tab


def test_the_app_lists_the_cockpit_first_under_marketing(monkeypatch, tmp_path):
    use_auth(monkeypatch, tmp_path)
    at = signed_in_app(monkeypatch, "boss", DATA)
    at.switch_page("pages/cockpit.py").run()
    assert not at.exception and at.title[0].value == "Marketing cockpit"
    frame = (ROOT / "app.py").read_text(encoding="utf-8")
    marketing = re.search(r'"nav.marketing": \[\s*(.*?)\]', frame, re.S).group(1)
    assert marketing.startswith('("pages/cockpit.py", "cockpit.page"')


def test_break_even_warning_on_the_sample_data(monkeypatch):
    """The 2026-03 western trade show has not paid back six months later (lib.customers)."""
    at = run_page(monkeypatch, PAGE, ROOT / "sample_data" / "csv")
    warning = plain(" ".join(w.value for w in at.warning))
    assert "Not paid back by the payback horizon" in warning
    assert "CMP-2603-02 · 西南培训展: revenue covers 95% of its spend since 2026-03-25, short by ¥32,058" in warning


def test_no_break_even_warning_without_orders(monkeypatch):
    at = run_page(monkeypatch, PAGE, DATA)
    assert "Not paid back" not in " ".join(w.value for w in at.warning)
