"""AppTest of the app frame, the home page and the Data quality page."""
from lib import ROOT
from tests.apptest import run_page, signed_in_app, texts, use_auth

BROKEN = ROOT / "tests" / "fixtures" / "broken_sheet"


def test_home_shows_what_is_loaded(monkeypatch):
    at = run_page(monkeypatch, "pages/home.py", BROKEN)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tabs loaded"] == "3 / 19"
    assert metrics["Good rows"] == "5"  # 2 marketing rows + 2 staff + 1 kpi row
    assert metrics["Quarantined rows"] == "4"
    table = at.dataframe[0].value
    row = table[table["Tab"] == "marketing_daily"].iloc[0]
    assert (row["Rows"], row["Quarantined"], row["Source"]) == (2, 3, "data")
    assert table[table["Tab"] == "budget"].iloc[0]["Freshness"] == "Not loaded"


def test_home_in_chinese(monkeypatch):
    at = run_page(monkeypatch, "pages/home.py", BROKEN, lang="zh")
    assert {m.label for m in at.metric} >= {"已加载数据表", "有效行", "隔离行"}
    assert "营销驾驶舱" in texts(at)


def test_data_quality_lists_every_quarantined_row_and_filters_by_tab(monkeypatch):
    at = run_page(monkeypatch, "pages/data_quality.py", BROKEN)
    frame = at.dataframe[0].value
    assert list(zip(frame["Tab"], frame["Sheet row"], frame["Column"], frame["Value"])) == [
        ("Daily marketing", 3, "spend", "#DIV/0!"), ("Daily marketing", 4, "date", "7/1/2025"),
        ("Daily marketing", 5, "spend", "-50"), ("KPI actuals", 3, "employee_id", "E999")]
    assert "4 quarantined row(s) in 2 tab(s)" in texts(at)
    at.selectbox[0].select("kpi_actuals").run()
    frame = at.dataframe[0].value
    assert frame["Sheet row"].tolist() == [3] and frame["Problem"].tolist() == ["not in tab staff"]


def test_html_in_a_cell_stays_text(monkeypatch):
    at = run_page(monkeypatch, "pages/data_quality.py", BROKEN)
    assert not any("<script>" in str(m.value) for m in at.markdown)  # never rendered as markup


def test_app_frame_navigation_and_language_switch(monkeypatch, tmp_path):
    use_auth(monkeypatch, tmp_path)
    at = signed_in_app(monkeypatch, "boss", BROKEN)
    assert at.title[0].value == "Marketing Cockpit"
    at.radio(key="_lang_widget").set_value("zh").run()
    assert at.title[0].value == "营销驾驶舱"
    at.switch_page("pages/data_quality.py").run()
    assert at.title[0].value == "数据质量"


def test_refresh_button_reloads(monkeypatch, tmp_path):
    use_auth(monkeypatch, tmp_path)
    at = signed_in_app(monkeypatch, "boss", BROKEN)
    before = at.session_state["lang"]
    next(b for b in at.button if b.label == "Refresh now").click().run()
    assert not at.exception and at.session_state["lang"] == before


def test_broken_workbook_home_keeps_the_good_rows_and_quality_lists_each_mistake(monkeypatch):
    broken = ROOT / "sample_data" / "broken.xlsx"
    at = run_page(monkeypatch, "pages/home.py", broken)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tabs loaded"] == "19 / 19" and metrics["Quarantined rows"] == "18"
    at = run_page(monkeypatch, "pages/data_quality.py", broken)
    frame = at.dataframe[0].value
    assert len(frame) == 18
    assert ("Daily marketing", 6, "spend", "abc") in set(zip(frame["Tab"], frame["Sheet row"], frame["Column"],
                                                               frame["Value"]))
