"""AppTest of pages/appraisal.py on the hand-checked team of tests/test_appraisal_engine.py."""
import csv
import io

import openpyxl
import pytest

from lib.access import Viewer
from lib.appraisal import appraise, load_appraisal_config
from lib.appraisal.views import export_sheets
from lib.config import sources_for_data
from lib.export import xlsx_bytes
from lib.store import load_store
from tests.apptest import run_page, texts
from tests.test_appraisal_engine import BRAND, team_sheet

PAGE = "pages/appraisal.py"


@pytest.fixture
def folder(tmp_path):
    return team_sheet(tmp_path / "team")


def team_frame(at):
    return at.dataframe[0].value


def frame_with(at, *columns):
    """The first table on the page that has these columns."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def lists(column) -> list[list]:
    """List cells come back from Arrow as arrays."""
    return [list(cell) for cell in column]


def test_team_table_tiles_and_badges(monkeypatch, folder):
    at = run_page(monkeypatch, PAGE, folder)
    assert at.title[0].value == "Performance appraisal"
    assert at.selectbox(key="ap_period_month").value == "2026-07"  # the newest month with data
    team = team_frame(at)
    assert team["employee_id"].tolist() == ["E01", "E02", "E06", "E07", "E03", "E04", "E05"]  # best first
    assert lists(team["grade"]) == [["S"], ["S"], ["A"], ["B"], ["C"], ["D"], ["D"]]
    assert lists(team["flags"]) == [["calibration"], [], ["incomplete"], ["calibration"], [], ["coaching_plan"], []]
    assert team["bonus_multiplier"].tolist() == [1.5, 1.5, 1.2, 1.0, 0.8, 0.0, 0.0]
    assert team.loc[2, "missing"] == "Sales achievement: its kpi_actuals rows in 2026-07 could not be scored"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["People appraised"] == "7"
    assert metrics["Average score"] == "71.3"  # (94.16 + 90 + 80 + 70 + 60 + 55 + 50) / 7
    assert (metrics["Incomplete"], metrics["Awaiting calibration"]) == ("1", "2")
    distribution = at.get("vega_lite_chart")[0].proto.spec
    assert '"strokeDash"' in distribution  # the bottom-20% line is drawn for the admin
    assert "Alice · 品牌部" in [e.value for e in at.text]  # the month's marketing star
    departments = frame_with(at, "department", "people", "mean")
    assert departments["department"].tolist() == [BRAND, "数字营销部"] and departments["rank"].tolist() == [1, 2]


def test_period_picker_month_quarter_year(monkeypatch, folder):
    at = run_page(monkeypatch, PAGE, folder)
    at.get("button_group")[0].set_value("quarter").run()
    quarter = at.selectbox(key="ap_period_quarter")
    assert (quarter.options, quarter.value) == (["2026-Q3", "2026-Q2"], "2026-Q2")  # the newest complete one
    quarter.select("2026-Q3").run()
    assert "2026-Q3 is not over yet: scores cover the months so far." in texts(at)
    assert team_frame(at)["employee_id"].tolist()[0] == "E01"
    at.get("button_group")[0].set_value("year").run()
    assert at.selectbox(key="ap_period_year").value == "2026"
    assert "rank" in team_frame(at).columns and "monthly_scores" in team_frame(at).columns
    at.get("button_group")[0].set_value("month").run()
    at.selectbox(key="ap_period_month").select("2026-06").run()
    assert team_frame(at)["employee_id"].tolist()[:2] == ["E03", "E04"]  # 50 each in June


def test_person_breakdown_trend_ratings_and_compliance(monkeypatch, folder):
    at = run_page(monkeypatch, PAGE, folder)
    assert at.selectbox(key="ap_person").value == "E01"
    breakdown = frame_with(at, "indicator", "detail")
    assert breakdown["indicator"].tolist() == ["Sales achievement", "Customer growth", "Marketing efficiency",
                                               "Execution"]
    assert breakdown["score"].round(2).tolist() == [95.0, 100.0, 96.67, 83.0]
    assert breakdown.loc[2, "detail"] == "cac 80.0, campaign_roi 120.0, content_reach 90.0"
    counted = frame_with(at, "rater_type", "weight")
    own = next(d.value for d in at.dataframe if "rater_type" in d.value.columns and "weight" not in d.value.columns)
    assert list(zip(counted["rater_type"], counted["mean"], counted["weight"])) == [
        ("supervisor", 80, 0.7), ("peer", 60, 0.0), ("cross-department", 90, 0.3)]
    assert list(zip(own["rater_type"], own["mean"])) == [("self", 100)]  # shown apart, not counted
    assert len(at.get("vega_lite_chart")) == 2  # distribution and the 12-month trend
    at.selectbox(key="ap_person").select("E03").run()
    items = frame_with(at, "item", "violation")
    assert items[["month", "item", "violation"]].values.tolist() == [["2026-07", "data privacy", False]]


def test_the_committee_records_a_calibrated_score(monkeypatch, folder):
    at = run_page(monkeypatch, PAGE, folder)  # the demo viewer is an admin
    assert frame_with(at, "status", "spread")["status"].tolist() == ["pending", "pending"]
    at.selectbox(key="ap_cal_item").select(1)  # E07 execution
    at.number_input(key="ap_cal_score").set_value(75.0)
    at.text_area(key="ap_cal_reason").input("supervisor and peer agree on 75 after review")
    at.button[0].click().run()
    assert not at.exception
    assert "Calibration recorded; it now counts." in [s.value for s in at.success]
    with open(folder / "calibrations.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["employee_id"], r["dimension"], r["original_score"], r["calibrated_score"], r["by"]) for r in rows] == [
        ("E07", "execution", "70.0", "75.0", "demo")]
    team = team_frame(at).set_index("employee_id")
    assert team.loc["E07", "score"] == 71 and list(team.loc["E07", "flags"]) == []  # (60 x 70 + 15 x 75) / 75
    queue = frame_with(at, "status", "spread")
    settled = queue.set_index("employee_id").loc["E07"]
    assert (settled["status"], settled["original_score"], settled["calibrated_score"], settled["by"]) == (
        "calibrated", 70, 75, "demo")


def test_a_refused_calibration_keeps_what_was_typed(monkeypatch, folder):
    at = run_page(monkeypatch, PAGE, folder)
    at.number_input(key="ap_cal_score").set_value(64.5)
    at.text_area(key="ap_cal_reason").input("   ")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Not recorded; what you typed is kept."]
    assert "a calibration needs a reason" in [e.value for e in at.text]
    assert not (folder / "calibrations.csv").exists()
    assert at.number_input(key="ap_cal_score").value == 64.5  # what was typed stays


@pytest.mark.parametrize("viewer,rows,average", [
    (Viewer("alice", "manager", "E01", BRAND), ["E01", "E02", "E03", "E04"], "74.8"),
    (Viewer("chen", "staff", "E03", BRAND), ["E03"], "—"),  # an average of one is hidden
])
def test_managers_and_staff_see_their_rows_and_no_calibration_form(monkeypatch, folder, viewer, rows, average):
    at = run_page(monkeypatch, PAGE, folder, session={"viewer": viewer})
    assert sorted(team_frame(at)["employee_id"]) == rows
    assert {m.label: m.value for m in at.metric}["Average score"] == average
    assert not at.button  # no calibration form
    departments = frame_with(at, "department", "people", "mean").set_index("department")
    assert departments["mean"].isna().tolist() == [False, True]  # 数字营销部 has 3 people: hidden below director
    assert "Averages of fewer than 4 people are hidden (—)." in texts(at)
    assert '"strokeDash"' not in at.get("vega_lite_chart")[0].proto.spec  # the cut is another person's score


def test_a_viewer_role_sees_no_rows(monkeypatch, folder):
    at = run_page(monkeypatch, PAGE, folder, session={"viewer": Viewer("screen", "viewer")})
    assert texts(at) == "Your role may not open this page. Pick a page from the menu." and not at.dataframe


def test_chinese(monkeypatch, folder):
    at = run_page(monkeypatch, PAGE, folder, lang="zh")
    assert at.title[0].value == "绩效考核"
    assert {m.label for m in at.metric} >= {"考核人数", "平均得分", "数据不完整", "待校准"}
    assert [tab.label for tab in at.tabs] == ["团队", "个人", "校准队列", "辅导名单 · S 级名单"]
    assert team_frame(at).loc[2, "missing"] == "销售达成：2026-07 的 kpi_actuals 数据无法计分"


def test_sheet_text_is_never_markup_and_the_export_neutralises_formulas(monkeypatch, tmp_path):
    folder = team_sheet(tmp_path / "team")
    staff = (folder / "staff.csv").read_text(encoding="utf-8")
    (folder / "staff.csv").write_text(staff.replace("E01,Alice,", 'E01,"=HYPERLINK(""http://x"",""<b>A</b>"")",')
                                      .replace("E02,Bob,", "E02,<script>alert(1)</script>,"), encoding="utf-8")
    at = run_page(monkeypatch, PAGE, folder)
    assert not any("<script>" in str(m.value) or "<b>" in str(m.value) for m in at.markdown)
    cfg = load_appraisal_config()
    july = appraise(load_store(sources_for_data(str(folder))), cfg, "2026-07", Viewer("boss", "director"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export_sheets(july, cfg, "en"))))
    assert book.sheetnames == ["Team", "Indicators", "Calibration queue", "Data problems"]
    team = book["Team"]
    assert [c.value for c in team[1]][:6] == ["ID", "Name", "Department", "Score", "Grade", "Bonus ×"]
    assert team["B2"].value == "'=HYPERLINK(\"http://x\",\"<b>A</b>\")" and team["B2"].data_type == "s"
    assert (team["D2"].value, team["E2"].value, team["G2"].value) == (94.2, "S", "calibration")


# ---- on the sample data (sample_data/csv, the configured source) --------------------------------

def test_sample_data_stories(monkeypatch):
    """The sample's stories show up: a coaching streak, a veto over an S, an S grade, the calibration
    committee's open case and its settled one, the annual bottom 20% with ranks."""
    monkeypatch.delenv("COCKPIT_DATA", raising=False)
    at = run_page(monkeypatch, PAGE, timeout=120)
    team = team_frame(at)
    assert at.selectbox(key="ap_period_month").value == "2026-10" and len(team) >= 25
    assert team["department"].nunique() >= 5
    at.selectbox(key="ap_period_month").select("2026-09").run()
    coaching = frame_with(at, "months", "last_score")
    assert len(coaching) == 1 and (team_frame(at).set_index("employee_id").loc[coaching.loc[0, "employee_id"],
                                                                                "score"] < 60)
    at.get("button_group")[0].set_value("quarter").run()
    quarter = team_frame(at).set_index("employee_id")
    assert at.selectbox(key="ap_period_quarter").value == "2026-Q3"
    vetoed = [e for e, f in quarter["flags"].items() if "veto" in list(f)]
    assert len(vetoed) == 1 and list(quarter.loc[vetoed[0], "grade"]) == ["D"] and quarter.loc[vetoed[0], "score"] >= 90
    assert any("s_grade" in list(f) for f in quarter["flags"])
    assert frame_with(at, "status", "spread")["status"].tolist() == ["pending"]
    at.selectbox(key="ap_period_quarter").select("2026-Q2").run()
    settled = frame_with(at, "status", "spread")
    assert "calibrated" in settled["status"].tolist() and settled["by"].notna().any()
    at.get("button_group")[0].set_value("year").run()
    year = team_frame(at)
    ranked = year.dropna(subset=["rank"])
    assert at.selectbox(key="ap_period_year").value == "2025" and year["rank"].min() == 1
    bottom = [f for f in year["flags"] if "bottom_20" in list(f)]
    assert len(bottom) >= -(-len(ranked) // 5)  # at least k = ceil(n / 5)


def test_the_cache_never_hands_one_managers_rows_to_another(monkeypatch, folder):
    brand = run_page(monkeypatch, PAGE, folder, session={"viewer": Viewer("alice", "manager", "E01", BRAND)})
    assert sorted(team_frame(brand)["employee_id"]) == ["E01", "E02", "E03", "E04"]
    digital = run_page(monkeypatch, PAGE, folder, session={"viewer": Viewer("eve", "manager", "E05", "数字营销部")})
    assert sorted(team_frame(digital)["employee_id"]) == ["E05", "E06", "E07"]
