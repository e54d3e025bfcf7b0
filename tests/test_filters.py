"""AppTest of the shared sidebar filters (lib/ui/filters.py): period picker, dimension
filters, drill-down and the breadcrumb, on the cockpit fixture (data ends Sunday 2026-10-25)."""
import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from lib import ROOT
from lib.ui.widgets import plain

DATA = ROOT / "tests" / "fixtures" / "cockpit"

SCRIPT = textwrap.dedent("""
    import streamlit as st
    from lib.ui import filters, state

    lang = state.lang()
    store = state.store_or_stop()
    sel = filters.sidebar(store, lang)
    if sel is None:
        st.text("period=none")
        st.stop()
    st.text(f"period={sel.period.label}")
    st.text(f"where={dict(sel.where)}")
    st.text(f"fixed={sel.fixed}")
    filters.breadcrumb(lang)
    st.button("drill region", key="drill_region", on_click=filters.drill, args=("region", "华北"))
    st.button("drill channel", key="drill_channel", on_click=filters.drill, args=("channel", "抖音"))
""")


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setenv("COCKPIT_DATA", str(DATA))
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at) -> dict[str, str]:
    return dict(t.value.split("=", 1) for t in at.text)


def crumbs(at) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("crumb_")]


def test_defaults_to_the_last_complete_week_and_no_filters(app):
    assert shown(app) == {"period": "2026-W43", "where": "{}", "fixed": "{}"}
    assert app.sidebar.selectbox[0].options[:2] == ["2026-W43  (10-19 → 10-25)", "2026-W42  (10-12 → 10-18)"]
    assert [m.label for m in app.sidebar.multiselect] == ["Department", "Product line", "Region", "Channel"]
    assert crumbs(app) == []


def test_grain_and_period_change(app):
    app.sidebar.selectbox[0].select_index(2).run()
    assert shown(app)["period"] == "2026-W41"
    app.sidebar.radio[0].set_value("month").run()
    # 2026-10 is not complete on 2026-10-25 and August is only partly covered (data
    # starts 2026-08-23): September is the only complete month.
    assert shown(app)["period"] == "2026-09" and app.sidebar.selectbox[0].options == ["2026-09"]
    app.sidebar.radio[0].set_value("quarter").run()
    assert shown(app)["period"] == "none"
    assert "No complete quarter in the data yet" in app.sidebar.info[0].value
    app.sidebar.radio[0].set_value("week").run()
    assert shown(app)["period"] == "2026-W41"  # the week picked before is remembered


def test_multiselect_filters_and_drill_path(app):
    app.sidebar.multiselect[3].select("百度SEM").select("抖音").run()
    assert shown(app)["where"] == "{'channel': ('百度SEM', '抖音')}" and shown(app)["fixed"] == "{}"
    app.button(key="drill_region").click().run()  # drill region
    assert shown(app)["where"] == "{'region': ('华北',), 'channel': ('百度SEM', '抖音')}"
    assert app.sidebar.multiselect[2].value == ["华北"]  # the sidebar shows the drill
    app.button(key="drill_channel").click().run()  # drill channel: replaces the two channels by one
    assert shown(app)["fixed"] == "{'region': '华北', 'channel': '抖音'}"
    assert app.sidebar.multiselect[3].value == ["抖音"]
    assert crumbs(app) == ["All data", "Region: 华北", "Channel: 抖音"]
    assert app.button(key="crumb_2").disabled  # the current step


def test_breadcrumb_steps_back(app):
    app.button(key="drill_region").click().run()
    app.button(key="drill_channel").click().run()
    app.button(key="crumb_1").click().run()  # back to the region step
    assert shown(app)["where"] == "{'region': ('华北',)}"
    assert app.sidebar.multiselect[3].value == [] and crumbs(app) == ["All data", "Region: 华北"]
    app.button(key="crumb_0").click().run()  # back to all data
    assert shown(app)["where"] == "{}" and app.sidebar.multiselect[2].value == [] and crumbs(app) == []


def test_changing_a_drilled_filter_by_hand_leaves_the_drill_path(app):
    app.button(key="drill_region").click().run()
    app.button(key="drill_channel").click().run()
    app.sidebar.multiselect[2].select("华东").run()  # region: 华北 and 华东 now
    assert crumbs(app) == []  # the path broke at its first step
    assert shown(app)["where"] == "{'region': ('华北', '华东'), 'channel': ('抖音',)}"


def test_chinese_labels(monkeypatch):
    monkeypatch.setenv("COCKPIT_DATA", str(DATA))
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.session_state["lang"] = "zh"
    at.run()
    at.button(key="drill_region").click().run()
    assert [m.label for m in at.sidebar.multiselect] == ["部门", "产品线", "区域", "渠道"]
    assert crumbs(at) == ["全部数据", "区域: 华北"]


def test_sheet_text_in_markdown_is_escaped():
    assert plain("**bold** [x](y) <b>") == r"\*\*bold\*\* \[x\]\(y\) \<b\>"
    assert plain("华东") == "华东"
