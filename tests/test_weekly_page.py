"""AppTest of pages/weekly.py on the sample data: the slides and stepping through them, the
week picker, the presentation layout, the appraisal alerts only for the roles allowed (each
for its scope), and actions added from the meeting screen to a tmp copy of the data."""
import datetime as dt
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from lib import ROOT
from lib.access import Viewer
from lib.ui.weekly import PRESENTATION_CSS
from tests.apptest import run_page
from tests.apptest import texts as raw_texts

SAMPLE = ROOT / "sample_data" / "csv"
PAGE = "pages/weekly.py"
FORM = "weekly.form.2026-W43."
SLIDES = ["Headline KPIs", "What moved and why", "Channels", "OKRs", "Appraisal alerts", "Actions due",
          "New actions"]
MANAGER = Viewer("li", "manager", "E002", "数字营销部")


def texts(at) -> str:
    """What the page says, as read on screen (sheet text is Markdown-escaped: \\- for -)."""
    return raw_texts(at).replace("\\", "")


def table_rows(at) -> list[list[str]]:
    return [[str(v).replace("\\", "") for v in row] for table in at.table for row in table.value.values.tolist()]


def jump(at, title: str):
    at.segmented_control(key="_w_weekly.slide").set_value(
        next(k for k, v in zip(KEYS, SLIDES) if v == title)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


KEYS = ["kpis", "why", "channels", "okr", "appraisal", "actions", "notes"]


@pytest.fixture
def data(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "data")
    return tmp_path / "data"


def test_opens_at_the_last_complete_week_on_the_kpis_off_target_first(monkeypatch):
    at = run_page(monkeypatch, PAGE, SAMPLE)
    assert at.selectbox(key="_w_weekly.week").value == "2026-W43"
    assert at.selectbox(key="_w_weekly.week").options[:2] == ["2026-W43  (10-19 → 10-25)", "2026-W42  (10-12 → 10-18)"]
    assert [h.value for h in at.header] == ["Headline KPIs · 2026-W43"]
    assert at.segmented_control(key="_w_weekly.slide").options == SLIDES
    metrics = [(m.label, m.value, m.delta) for m in at.metric]
    assert metrics[:2] == [("Revenue", "¥2.44M", "-¥492,800 (-17%)"), ("CAC", "¥3,117", "+¥297 (+11%)")]
    assert [m.label for m in at.metric][-2:] == ["Content reach", "Spend"]  # on target, then no target: last
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges[:3] == [":blue-badge[:material/flag: Plan vs actual]", ":gray-badge[Check]", ":gray-badge[Act]"]
    assert ":red-badge[Off target]" in badges and ":orange-badge[Watch]" in badges
    assert at.button(key="weekly.prev").disabled and not at.button(key="weekly.next").disabled
    assert [d.label for d in at.download_button] == ["Report (.html)", "Report (.xlsx)"]


def test_previous_next_and_jump_step_through_the_slides(monkeypatch):
    at = run_page(monkeypatch, PAGE, SAMPLE)
    at.button(key="weekly.next").click().run()
    assert [h.value for h in at.header] == ["What moved and why · 2026-W43"]
    assert [s.value for s in at.subheader] == ["Revenue · off target", "CAC · off target",
                                               "Impressions · unusual week", "Unusual in 2026\\-W43"]
    assert "Revenue fell ¥492,800 (-17%) against 2026-W42; 线下沙龙 contributed -¥237,500." in texts(at)
    assert at.session_state["_w_weekly.slide"] == "why"  # the jump control follows the buttons
    at.button(key="weekly.prev").click().run()
    assert [h.value for h in at.header] == ["Headline KPIs · 2026-W43"]
    jump(at, "Channels")
    rows = table_rows(at)
    assert rows[0][:3] == ["抖音", "¥210,165", "+10.4%"] and rows[1][-1] == "Review"
    assert rows[-1][0] == "All channels"
    jump(at, "New actions")
    assert at.button(key="weekly.next").disabled
    assert "1 / 7" not in texts(at) and "7 / 7" in texts(at)


def test_each_slide_draws(monkeypatch):
    at = run_page(monkeypatch, PAGE, SAMPLE)
    seen = {}
    for key, title in zip(KEYS, SLIDES):
        jump(at, title)
        seen[key] = texts(at)
        assert f"{title} · 2026-W43" in [h.value for h in at.header]
    assert "2026-Q4 judged at 2026-10-25: 27% of the quarter has passed; company progress 38%" in seen["okr"]
    assert "Coaching plans (two months in a row below 60)" in seen["appraisal"]
    assert ("As of the review day 2026-10-26: 10 open, 3 overdue; listed are the overdue ones and those due within "
            "7 days") in seen["actions"]
    assert "Actions noted at the review of 2026-W43, recorded as created on 2026-10-26." in seen["notes"]


def test_another_week_is_reviewed_and_kept_in_the_address(monkeypatch):
    at = run_page(monkeypatch, PAGE, SAMPLE)
    at.selectbox(key="_w_weekly.week").select("2026-W42").run()
    assert [h.value for h in at.header] == ["Headline KPIs · 2026-W42"]
    assert at.query_params["week"] == "2026-W42"
    assert "2026-W42 (2026-10-12 to 2026-10-18) against 2026-W41; off target first." in texts(at)


def test_presentation_layout_from_the_address(monkeypatch):
    monkeypatch.setenv("COCKPIT_DATA", str(SAMPLE))
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["viewer"] = Viewer("boss", "director", "E001")
    at.query_params["present"] = "1"
    at.query_params["week"] = "2026-W42"
    at.run()
    assert not at.exception
    assert not at.title and not at.download_button and not at.selectbox  # slides only
    [style] = at.get("html")  # the one piece of HTML: the fixed style sheet, nothing from the data
    css = PRESENTATION_CSS.read_text(encoding="utf-8")
    assert style.proto.body == f"<style>{css}</style>"
    assert 'section[data-testid="stSidebar"]' in css and "display: none" in css
    assert [h.value for h in at.header] == ["Headline KPIs · 2026-W42"]
    at.button(key="weekly.exit").click().run()
    assert "present" not in at.query_params and [t.value for t in at.title] == ["Weekly review"]


@pytest.mark.parametrize("viewer", [Viewer("screen", "viewer"), Viewer("wu", "staff", "E021", "活动策划部")])
def test_no_appraisal_alerts_for_the_meeting_room_screen_or_staff(monkeypatch, viewer):
    at = run_page(monkeypatch, PAGE, SAMPLE, session={"viewer": viewer})
    assert at.segmented_control(key="_w_weekly.slide").options == [s for s in SLIDES if s != "Appraisal alerts"]
    for title in at.segmented_control(key="_w_weekly.slide").options:
        jump(at, title)
        shown = texts(at) + str(table_rows(at))
        assert "Coaching plans" not in shown and "Calibrations pending" not in shown and "E018" not in shown


def test_a_manager_sees_the_alerts_of_the_own_department(monkeypatch):
    at = run_page(monkeypatch, PAGE, SAMPLE, session={"viewer": Viewer("luo", "manager", "E016", "内容运营部")})
    jump(at, "Appraisal alerts")
    assert "No one needs a coaching plan in 2026-09." in texts(at)  # E021 is in 活动策划部
    assert table_rows(at) == [["E018", "何雪", "内容运营部", "2026-Q3", "Innovation", "25",
                               "supervisor 91, cross-department 66, peer 80"]]
    at = run_page(monkeypatch, PAGE, SAMPLE)  # the admin: everyone
    jump(at, "Appraisal alerts")
    assert [r[0] for r in table_rows(at)] == ["E021", "E018"]


# ---- adding actions ---------------------------------------------------------------------------


def fill(at, title="Pause 百度SEM brand bidding in 华东", owner="E007", due=dt.date(2026, 11, 6), metric="cac",
         lift=-12.0):
    at.text_input(key=FORM + "title").input(title)
    if owner is not None:
        at.selectbox(key=FORM + "owner").select(owner)
    at.date_input(key=FORM + "due").set_value(due)
    if metric is not None:
        at.selectbox(key=FORM + "metric").select(metric)
    at.number_input(key=FORM + "lift").set_value(lift)
    [submit] = [b for b in at.button if b.label == "Add the action"]
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def notes_page(monkeypatch, data, viewer=MANAGER):
    return jump(run_page(monkeypatch, PAGE, data, session={"viewer": viewer}), "New actions")


def test_an_action_added_in_the_meeting_is_written_and_shown(monkeypatch, data):
    before = (data / "actions.csv").read_text(encoding="utf-8")
    at = notes_page(monkeypatch, data)
    assert ("The action is added as a new row to the actions tab of data. Recorded as created on 2026-10-26 (the "
            "review day of 2026-W43), status open, reviewed in the week it is due.") in texts(at)
    at = fill(at)
    assert (data / "actions.csv").read_text(encoding="utf-8") == before + \
        "A-019,Pause 百度SEM brand bidding in 华东,E007,2026-10-26,2026-11-06,open,cac,-0.12,2026-W45\n"
    assert [s.value.replace("\\", "") for s in at.success] == [
        "Added A-019: Pause 百度SEM brand bidding in 华东 (owner 赵磊, due 2026-11-06) to the actions tab of data."]
    # read again: the new row is among the actions noted at this review, on the same slide
    assert [h.value for h in at.header] == ["New actions · 2026-W43"]
    assert table_rows(at)[-1] == ["A-019", "Pause 百度SEM brand bidding in 华东", "赵磊", "2026-11-06", "CAC", "-12%",
                                  "2026-W45"]
    assert at.text_input(key=FORM + "title").value == ""  # cleared for the next one
    jump(at, "Actions due")  # due within 7 days of the review day? 11-06 is not: it is not listed there
    assert "A-019" not in [r[0] for r in table_rows(at)]


def test_the_same_action_sent_twice_is_written_once(monkeypatch, data):
    at = notes_page(monkeypatch, data)
    at = fill(at, due=dt.date(2026, 10, 30), metric=None, lift=None)
    at = fill(at, due=dt.date(2026, 10, 30), metric=None, lift=None)  # the same submission again
    assert [i.value.replace("\\", "") for i in at.info] == [
        "This action was already added as A-019; it was not written again."]
    lines = (data / "actions.csv").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if "brand bidding" in line] == [
        "A-019,Pause 百度SEM brand bidding in 华东,E007,2026-10-26,2026-10-30,open,,,2026-W44"]
    assert [r[0] for r in table_rows(at)] == ["A-001", "A-002", "A-019"]
    at = fill(at, title="A second action", due=dt.date(2026, 10, 30), metric=None, lift=None)
    assert "A-020,A second action,E007" in (data / "actions.csv").read_text(encoding="utf-8")


def test_a_refused_action_says_why_and_keeps_what_was_typed(monkeypatch, data):
    before = (data / "actions.csv").read_text(encoding="utf-8")
    at = notes_page(monkeypatch, data)
    at = fill(at, title="Call every 展会 lead within 48 hours", owner=None, lift=15.0)
    assert [e.value.replace("\\", "") for e in at.error] == [
        "The action was not added: choose who owns the action. What you typed is kept; fix it and add it again."]
    assert at.text_input(key=FORM + "title").value == "Call every 展会 lead within 48 hours"
    assert at.number_input(key=FORM + "lift").value == 15.0
    assert at.selectbox(key=FORM + "metric").value == "cac"
    assert (data / "actions.csv").read_text(encoding="utf-8") == before
    at.selectbox(key=FORM + "owner").select("E021")
    [submit] = [b for b in at.button if b.label == "Add the action"]
    at = submit.click().run()
    assert [s.value.replace("\\", "") for s in at.success][0].startswith("Added A-019: Call every 展会 lead")


def test_a_failed_write_says_why_and_keeps_what_was_typed(monkeypatch, data):
    at = notes_page(monkeypatch, data)
    (data / "actions.csv").unlink()
    (data / "actions.csv").mkdir()  # the file cannot be written now
    at = fill(at, title="Review the 直播 script")
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert error.startswith("The action was not added: could not write to data: [Errno 21] Is a directory")
    assert error.endswith("What you typed is kept; fix it and add it again.")
    assert at.text_input(key=FORM + "title").value == "Review the 直播 script"
    assert at.selectbox(key=FORM + "owner").value == "E007"


def test_the_meeting_room_screen_cannot_add_actions(monkeypatch, data):
    at = notes_page(monkeypatch, data, Viewer("screen", "viewer"))
    assert "Your role can look at the review but not add actions." in texts(at)
    assert not at.text_input and not [b for b in at.button if b.label == "Add the action"]


def test_page_in_chinese(monkeypatch):
    at = run_page(monkeypatch, PAGE, SAMPLE, lang="zh")
    assert [t.value for t in at.title] == ["周例会复盘"]
    assert [h.value for h in at.header] == ["核心指标 · 2026-W43"]
    assert at.segmented_control(key="_w_weekly.slide").options == [
        "核心指标", "变化及原因", "渠道", "OKR 进展", "考核提醒", "到期行动", "新增行动"]
    assert [(m.label, m.value) for m in at.metric][:2] == [("销售额", "¥243.7万"), ("获客成本", "¥3,117")]
    jump(at, "Actions due")
    assert table_rows(at)[0][:5] == ["A-003", "朋友圈广告素材全面更新，解决点击率下滑", "马丽娜", "2026-10-16", "进行中 · 逾期 10 天"]


def test_a_deck_with_no_slide_for_the_role_says_so(monkeypatch, tmp_path):
    from lib.weekly import config

    path = tmp_path / "weekly.yaml"
    path.write_text("slides: [appraisal]\n", encoding="utf-8")
    monkeypatch.setattr(config, "WEEKLY_FILE", path)
    at = run_page(monkeypatch, PAGE, SAMPLE, session={"viewer": Viewer("screen", "viewer")})
    assert "None of the slides of config/weekly.yaml is for your role." in texts(at)
    at = run_page(monkeypatch, PAGE, SAMPLE)  # the admin gets the one slide
    assert at.segmented_control(key="_w_weekly.slide").options == ["Appraisal alerts"]


def test_an_unknown_role_is_refused(monkeypatch):
    at = run_page(monkeypatch, PAGE, SAMPLE, session={"viewer": Viewer("nobody", "")})
    assert [e.value for e in at.error] == ["Your role may not open this page. Pick a page from the menu."]
    assert not at.header and not at.button and not at.table


def test_auto_advance_moves_on_after_its_seconds_but_not_from_the_notes(monkeypatch):
    """A timed rerun runs the deck again: here a rerun with the slide shown long enough."""
    import time

    at = run_page(monkeypatch, PAGE, SAMPLE)
    at.toggle(key="weekly.auto").set_value(True).run()
    assert [h.value for h in at.header] == ["Headline KPIs · 2026-W43"]  # the clock starts when switched on
    at.session_state["weekly.shown_at"] = time.monotonic() - 10
    at.run()
    assert [h.value for h in at.header] == ["Headline KPIs · 2026-W43"]  # 10 of 30 seconds
    at.session_state["weekly.shown_at"] = time.monotonic() - 31
    at.run()
    assert [h.value for h in at.header] == ["What moved and why · 2026-W43"]
    jump(at, "New actions")
    at.session_state["weekly.shown_at"] = time.monotonic() - 300
    at.run()
    assert [h.value for h in at.header] == ["New actions · 2026-W43"]  # people type here


def test_auto_advance_from_the_address(monkeypatch):
    monkeypatch.setenv("COCKPIT_DATA", str(SAMPLE))
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["viewer"] = Viewer("boss", "director", "E001")
    at.query_params["auto"] = "1"
    at.run()
    assert at.toggle(key="weekly.auto").value is True
    assert "Auto-advance every 30 s" == at.toggle(key="weekly.auto").label
