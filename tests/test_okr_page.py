"""AppTest of pages/okr.py on a tmp copy of tests/fixtures/okr (never the committed data):
what the page shows, the burn-up chart's data, and check-ins written from the form."""
import datetime as dt
import shutil

import pandas as pd
import pytest

from lib import ROOT
from lib.access import Viewer
from tests.apptest import run_page
from tests.apptest import texts as raw_texts

FIXTURE = ROOT / "tests" / "fixtures" / "okr"
PAGE = "pages/okr.py"
FORM = "okr.form.2026-Q3."


@pytest.fixture
def data(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "data")
    return tmp_path / "data"


def texts(at) -> str:
    """What the page says, as read on screen: sheet text is escaped for Markdown (\\* for *)."""
    return plain(raw_texts(at))


def plain(markdown: str) -> str:
    return markdown.replace("\\", "")


def charts(at) -> list[list[dict]]:
    """Each Altair chart as the rows of its datasets (Streamlit sends them as Arrow)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    out = []
    for chart in at.get("vega_lite_chart"):
        rows = []
        for dataset in chart.proto.datasets:
            frame = convert_arrow_bytes_to_pandas_df(dataset.data.data)
            rows += frame.to_dict(orient="records")
        out.append(rows)
    return out


def chart_rows(rows: list[dict]) -> list[dict]:
    return rows


def day(value) -> str:
    return pd.Timestamp(value).date().isoformat()


def test_page_defaults_to_the_data_end_and_shows_the_tree(monkeypatch, data):
    at = run_page(monkeypatch, PAGE, data)
    # the data ends 2026-08-20 (before today): 2026-Q3 judged at 2026-08-20, 51 of 92 days
    assert at.selectbox(key="okr.quarter").value == "2026-Q3"
    assert at.selectbox(key="okr.quarter").options == ["2026-Q4", "2026-Q3"]
    assert at.date_input(key="okr.as_of.2026-Q3").value == dt.date(2026, 8, 20)
    assert "Judged at 2026-08-20: 55% of 2026-Q3 has passed (51 of 92 days)." in texts(at)
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    # O1 (KR1 750/1000 x2, KR2 19 -> 90%): 0.8; O5 0 -> company 0.4, 15 points behind 55%
    assert metrics["Company progress"] == ("40%", "-15 pts vs expected")
    assert metrics["Expected by now"][0] == "55%"
    assert metrics["Objectives on track or done"][0] == "3 / 4"
    tree = next(s for s in charts(at) if any("row" in r for r in chart_rows(s)))
    assert [(r["row"], r["label"]) for r in chart_rows(tree) if "row" in r] == [
        ("O1 · Grow the customer base · 营销中心", "80% · On track"),
        ("　　↳ O2 · Lower the cost of acquisition · 数字营销部", "100% · Done"),
        ("　　↳ O3 · Content that converts · 内容运营部", "50% · On track"),
        ("O5 · Launch the partner programme · 内容运营部", "0% · Not started"),
    ]
    departments = next(s for s in charts(at) if any("department" in r for r in chart_rows(s)))
    assert {r["department"]: r["label"] for r in chart_rows(departments) if "department" in r} == {
        "营销中心": "80% · On track", "数字营销部": "100% · Done", "内容运营部": "25% · Off track"}


def test_key_results_show_values_status_and_the_metric_link(monkeypatch, data):
    at = run_page(monkeypatch, PAGE, data)
    shown = texts(at)
    assert "Now 750 · start 0 → target 1,000" in shown  # KR1 from the metric
    assert "Now ¥67 · start ¥120 → target ¥80" in shown  # KR3: CAC 50,000 / 750, money format
    assert "Progress 133% (expected 55%)" in shown  # unclipped on screen
    assert "⚠️ Low confidence (2/10): at least at risk" in shown
    assert "Now — · start 0 partners → target 10 partners" in shown  # no value yet: a dash, not 0
    # the cockpit page is not registered in a one-page AppTest: the link falls back to a caption
    assert "Open New customers on the cockpit" in shown and "Live from the metric CAC, 2026-07-01 to 2026-08-20" in shown
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert ":orange-badge[At risk]" in badges and ":gray-badge[Not started]" in badges


def test_burnup_chart_data(monkeypatch, data):
    at = run_page(monkeypatch, PAGE, data)
    burnups = [s for s in charts(at) if any(r.get("kind") == "ideal" for r in chart_rows(s))]
    assert len(burnups) == 7  # one per KR of the quarter
    kr2 = next(s for s in burnups if any(r.get("kind") == "ideal" and r["value"] == 20 for r in s))  # KR2: 10 -> 20
    rows = [r for r in kr2 if r.get("kind")]
    assert [(day(r["date"]), r["value"]) for r in rows if r["kind"] == "ideal"] == [("2026-07-01", 10), ("2026-09-30", 20)]
    # the last check-in of each ISO week: W27 12 (07-05), W33 13 (08-11), W34 19 (08-20)
    assert [(day(r["date"]), r["value"]) for r in rows if r["kind"] == "checkins"] == [
        ("2026-07-05", 12), ("2026-08-11", 13), ("2026-08-20", 19)]
    [expected] = [r for r in rows if r["kind"] == "expected"]
    assert day(expected["date"]) == "2026-08-20" and expected["value"] == pytest.approx(10 + 10 * 51 / 92)
    confidence = [s for s in charts(at) if any("confidence" in r and "week" in r for r in chart_rows(s))]
    assert [[(r["week"], r["confidence"], r["low"]) for r in chart_rows(s) if "week" in r] for s in confidence][0] == [
        ("2026-W27", 8, False), ("2026-W33", 5, False), ("2026-W34", 9, False)]


def test_sheet_text_is_shown_as_plain_text(monkeypatch, data):
    path = data / "objectives.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Grow the customer base",
                                                             "**Grow** <script>alert(1)</script> [x](javascript:y)"),
                    encoding="utf-8")
    path = data / "key_results.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",points,", ",**pts**,"), encoding="utf-8")
    at = run_page(monkeypatch, PAGE, data)
    [title] = [m.value for m in at.markdown if "O1" in m.value]
    assert title == "**O1 · \\*\\*Grow\\*\\* \\<script\\>alert\\(1\\)\\</script\\> \\[x\\]\\(javascript\\:y\\)**"
    assert "Now 19 \\*\\*pts\\*\\* · start 10 \\*\\*pts\\*\\* → target 20 \\*\\*pts\\*\\*" in raw_texts(at)
    at = fill(at, value="16")
    [saved] = [s.value for s in at.success]
    assert "16 \\*\\*pts\\*\\*" in saved


def test_a_past_quarter_opens_at_its_last_day(monkeypatch, data):
    path = data / "objectives.csv"
    path.write_text(path.read_text(encoding="utf-8") + "O9,2026-Q2,Earlier objective,营销中心,\n", encoding="utf-8")
    at = run_page(monkeypatch, PAGE, data)
    at.selectbox(key="okr.quarter").select("2026-Q2").run()
    assert at.date_input(key="okr.as_of.2026-Q2").value == dt.date(2026, 6, 30)
    assert "Judged at 2026-06-30: 100% of 2026-Q2 has passed (91 of 91 days)." in texts(at)


def fill(at, value="14.5", confidence=6, note="survey wave 3", kr="KR2", day=None):
    at.selectbox(key=FORM + "kr").select(kr)
    if day:
        at.date_input(key=FORM + "date").set_value(day)
    at.text_input(key=FORM + "value").input(value)
    at.number_input(key=FORM + "confidence").set_value(confidence)
    at.text_area(key=FORM + "note").input(note)
    return at.button[0].click().run()


def test_checkin_from_the_form_is_written_and_shown(monkeypatch, data):
    before = (data / "checkins.csv").read_text(encoding="utf-8")
    at = run_page(monkeypatch, PAGE, data, session={"viewer": Viewer("li", "staff", "E002", "内容运营部")})
    assert "The check-in is added as a new row to the checkins tab of data." in texts(at)
    at = fill(at)
    assert not at.exception
    assert (data / "checkins.csv").read_text(encoding="utf-8") == \
        before + "KR2,2026-08-20,14.5,6.0,survey wave 3,E002\n"  # author: the signed-in person
    assert [plain(s.value) for s in at.success] == ["Saved: KR2 = 14.5 points on 2026-08-20 in data."]
    recent = at.dataframe[0].value
    assert recent.iloc[0].tolist() == ["2026-08-20", "KR2 · Net promoter score", "14.5 points", "6", "survey wave 3",
                                       "E002"]
    assert "Now 14.5 points · start 10 points → target 20 points" in texts(at)  # read again: the new value
    assert at.text_input(key=FORM + "value").value == ""  # cleared for the next one


def test_the_same_checkin_sent_twice_is_written_once(monkeypatch, data):
    at = run_page(monkeypatch, PAGE, data)
    at = fill(at, value="15", note="")
    at = fill(at, value="15", note="")  # the same submission again (a double click, a resubmit)
    assert [plain(s.value) for s in at.info] == [
        "This check-in was already saved (KR2 = 15 points on 2026-08-20); it was not written again."]
    lines = (data / "checkins.csv").read_text(encoding="utf-8").splitlines()
    assert lines.count("KR2,2026-08-20,15.0,6.0,,") == 1


def test_a_failed_write_says_why_and_keeps_what_was_typed(monkeypatch, data):
    before = (data / "checkins.csv").read_text(encoding="utf-8")
    at = run_page(monkeypatch, PAGE, data)
    at = fill(at, value="about 15", note="a long note I do not want to type again")
    assert [plain(e.value) for e in at.error] == [
        "The check-in was not saved: value: not a number. What you typed is kept; fix it and save again."]
    assert at.text_input(key=FORM + "value").value == "about 15"
    assert at.text_area(key=FORM + "note").value == "a long note I do not want to type again"
    assert at.number_input(key=FORM + "confidence").value == 6
    assert (data / "checkins.csv").read_text(encoding="utf-8") == before
    at.text_input(key=FORM + "value").input("15")
    at = at.button[0].click().run()
    assert [plain(s.value) for s in at.success] == ["Saved: KR2 = 15 points on 2026-08-20 in data."]


def test_a_checkin_after_the_as_of_date_moves_the_date_so_it_shows(monkeypatch, data):
    at = run_page(monkeypatch, PAGE, data)
    at = fill(at, kr="KR7", value="3", day=dt.date(2026, 9, 2), note="")
    assert at.date_input(key="okr.as_of.2026-Q3").value == dt.date(2026, 9, 2)
    assert "Now 3 partners · start 0 partners → target 10 partners" in texts(at)


def test_the_meeting_room_viewer_cannot_write(monkeypatch, data):
    at = run_page(monkeypatch, PAGE, data, session={"viewer": Viewer("screen", "viewer")})
    assert "Your role can look at OKRs but not add check-ins." in texts(at)
    assert not at.get("form") and not at.text_input and not at.button


def test_page_in_chinese(monkeypatch, data):
    at = run_page(monkeypatch, PAGE, data, lang="zh")
    assert at.title[0].value == "OKR 进展"
    assert {m.label for m in at.metric} >= {"公司整体进度", "当前应达进度"}
    assert "评估日期 2026-08-20：2026-Q3 已过去 55%（92 天中的 51 天）。" in texts(at)
    assert ":orange-badge[有风险]" in [m.value for m in at.markdown]


def test_missing_okr_tabs_say_which(monkeypatch, tmp_path):
    (tmp_path / "staff.csv").write_text("employee_id,name,department\nE1,a,b\n", encoding="utf-8")
    at = run_page(monkeypatch, PAGE, tmp_path)
    assert "This page needs the tab(s) objectives, key_results, which no source provides." in texts(at)


def test_every_okr_string_has_both_languages_and_every_used_key_exists():
    import re

    from lib.i18n import STRINGS
    from lib.strings.okr import STRINGS as OKR

    assert all(k.startswith("okr.") and set(v) == {"en", "zh"} and all(v.values()) for k, v in OKR.items())
    used = set()
    for path in (ROOT / "lib" / "ui" / "okr.py", ROOT / "pages" / "okr.py"):
        used |= set(re.findall(r'\bt\(\s*f?"([a-z_.]+)"', path.read_text(encoding="utf-8")))
    used |= {f"okr.status.{s}" for s in ("done", "on_track", "at_risk", "off_track", "not_started")}
    assert sorted(k for k in used if k not in STRINGS) == []
