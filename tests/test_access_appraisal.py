"""Nobody reaches another person's appraisal: not through the page, a widget, a crafted
query parameter, the export, the CLI or the cache (the Access table of bad-inputs.md and
issue 7), on the sample data, signed in through the real login form."""
import io
import json
import re

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from google.protobuf import text_format
from streamlit.delta_generator import DeltaGenerator

from lib import ROOT
from lib.access import Viewer
from tests.apptest import run_page, signed_in_app, use_auth

SAMPLE = ROOT / "sample_data" / "csv"
STAFF = pd.read_csv(SAMPLE / "staff.csv", encoding="utf-8-sig", dtype=str)
PAGE = "pages/appraisal.py"


@pytest.fixture
def users(monkeypatch, tmp_path):
    return use_auth(monkeypatch, tmp_path)


def everything_sent(at) -> str:
    """Every text, table cell, chart datum and widget option the page sent to the browser."""
    parts = []

    def walk(node):
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            return
        if getattr(node, "type", "") == "dataframe":
            parts.append(node.value.to_csv())
        else:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for dataset in getattr(proto, "datasets", []):  # Altair charts' rows (Arrow)
            parts.append(pa.ipc.open_stream(dataset.data.data).read_pandas().to_csv())

    walk(at._tree)
    return "\n".join(parts)


def others_in(text: str, own: set[str]) -> list[str]:
    """The employee ids and names of people outside `own` that appear in the text."""
    found = []
    for _, person in STAFF[~STAFF["employee_id"].isin(own)].iterrows():
        if re.search(rf"\b{person['employee_id']}\b", text) or person["name"] in text:
            found.append(f"{person['employee_id']} {person['name']}")
    return found


def department_ids(department: str) -> set[str]:
    return set(STAFF.loc[STAFF["department"] == department, "employee_id"])


def appraisal_page(monkeypatch, username: str, grain: str | None = None):
    at = signed_in_app(monkeypatch, username, SAMPLE)
    at.switch_page(PAGE).run()
    assert not at.exception and at.title[0].value == "Performance appraisal"
    if grain:
        at.button_group(key="ap_grain").set_value(grain).run()
        assert not at.exception
    return at


def team_ids(at) -> set[str]:
    return set(next(d.value for d in at.dataframe if "grade" in d.value)["employee_id"])


# ---- the page ---------------------------------------------------------------------------


@pytest.mark.parametrize("grain", ["month", "quarter", "year"])
def test_staff_see_only_their_own_appraisal_anywhere_on_the_page(monkeypatch, users, grain):
    at = appraisal_page(monkeypatch, "worker21", grain)  # 郑凯, E021, 活动策划部
    assert team_ids(at) == {"E021"}
    assert at.selectbox(key="ap_person").options == ["郑凯 (E021, 活动策划部)"]
    sent = everything_sent(at)
    assert "郑凯" in sent  # the check below looks at real content
    assert others_in(sent, {"E021"}) == []


def test_a_manager_sees_their_department_only(monkeypatch, users):
    at = appraisal_page(monkeypatch, "mgr4", "quarter")  # 刘洋, E004, 活动策划部
    mine = department_ids("活动策划部")
    assert team_ids(at) <= mine and "E021" in team_ids(at)
    assert others_in(everything_sent(at), mine) == []


def test_the_director_sees_everyone(monkeypatch, users):
    at = appraisal_page(monkeypatch, "boss", "quarter")
    assert len(team_ids(at)) >= 25 and {"E002", "E021", "E030"} <= team_ids(at)


def test_crafted_query_parameters_change_nothing(monkeypatch, users):
    at = appraisal_page(monkeypatch, "worker21")
    before = everything_sent(at)
    for key, value in {"employee_id": "E001", "person": "E001", "ap_person": "E001", "viewer": "boss",
                       "role": "admin", "user": "boss", "department": "市场中心"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and team_ids(at) == {"E021"}
    assert others_in(everything_sent(at), {"E021"}) == []
    assert re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "", everything_sent(at)).count("E021") == \
        re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "", before).count("E021")


@pytest.mark.parametrize("forged", ["E001", "王建国 (E001, 市场中心)", "郭鹏 (E016, 内容运营部)"])
def test_a_forged_person_choice_from_the_browser_is_ignored(monkeypatch, users, forged):
    """A hostile browser can send any value for the person picker; Streamlit keeps only options."""
    at = appraisal_page(monkeypatch, "worker21")
    states = at._tree.get_widget_states()
    picker = at.selectbox(key="ap_person").id
    for state in states.widgets:
        if state.id == picker:
            state.string_value = forged
    at._run(states)
    assert not at.exception and at.selectbox(key="ap_person").value == "E021"
    assert others_in(everything_sent(at), {"E021"}) == []


def test_the_meeting_room_screen_may_not_open_the_appraisal(monkeypatch, users):
    at = signed_in_app(monkeypatch, "screen", SAMPLE)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)
    at = run_page(monkeypatch, PAGE, SAMPLE, viewer=Viewer("screen", "viewer"))  # reached without the menu
    assert [e.value for e in at.error] == ["Your role may not open this page. Pick a page from the menu."]
    assert not at.dataframe and others_in(everything_sent(at), set()) == []


# ---- the export --------------------------------------------------------------------------


def test_the_export_holds_only_the_staff_members_own_rows(monkeypatch, users):
    downloads = []
    original = DeltaGenerator.download_button

    def keep(self, label, data, *args, **kwargs):
        downloads.append(data)
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", keep)
    appraisal_page(monkeypatch, "worker21", "year")
    book = openpyxl.load_workbook(io.BytesIO(downloads[-1]))
    cells = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "E021" in cells and "郑凯" in cells
    assert others_in(cells, {"E021"}) == []
    appraisal_page(monkeypatch, "boss", "year")  # the director's export has everyone: the check above can fail
    everyone = "\n".join(str(c.value) for sheet in openpyxl.load_workbook(io.BytesIO(downloads[-1]))
                         for row in sheet.iter_rows() for c in row if c.value is not None)
    assert len(others_in(everyone, {"E021"})) >= 25


# ---- the CLI ------------------------------------------------------------------------------


def appraise(capsys, *args: str) -> tuple[int, list[dict], str]:
    from lib.cli import main

    code = main(["appraise", "--data", str(SAMPLE), "--period", "2026-Q3", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else [], err


def test_the_cli_as_a_staff_member_prints_only_their_rows(monkeypatch, users, capsys):
    for name in ("worker21", "E021", "e021"):  # a username, or the employee_id of one user
        code, rows, err = appraise(capsys, "--as", name)
        assert code == 0 and [r["employee_id"] for r in rows] == ["E021"], name
        assert others_in(json.dumps(rows, ensure_ascii=False) + err, {"E021"}) == []


def test_the_cli_as_a_manager_prints_their_department_and_without_as_everyone(monkeypatch, users, capsys):
    code, rows, _ = appraise(capsys, "--as", "mgr4")
    assert code == 0 and {r["employee_id"] for r in rows} <= department_ids("活动策划部") and len(rows) >= 4
    code, everyone, _ = appraise(capsys)  # the server's own user: everyone (see docs/security.md)
    assert code == 0 and len(everyone) > len(rows) and {r["employee_id"] for r in rows} < {
        r["employee_id"] for r in everyone}


def test_the_cli_refuses_an_unknown_user_and_a_roleless_one_gets_nothing(monkeypatch, tmp_path, capsys):
    use_auth(monkeypatch, tmp_path, users={"odd": {"role": "auditor", "employee_id": "E021"},
                                           "twin1": {"role": "staff", "employee_id": "E012"},
                                           "twin2": {"role": "staff", "employee_id": "E012"}})
    code, rows, err = appraise(capsys, "--as", "nobody")
    assert (code, rows) == (2, [])
    assert err == "error: no user 'nobody' in config/auth.yaml (give a username, or the employee_id of one user)\n"
    code, rows, _ = appraise(capsys, "--as", "E012")  # two users share it: ambiguous
    assert code == 2
    code, rows, _ = appraise(capsys, "--as", "odd")
    assert (code, rows) == (0, [])


# ---- the cache ------------------------------------------------------------------------------


def test_manager_x_then_manager_y_never_share_cached_rows(monkeypatch, users):
    from lib.ui import appraisal as ui_appraisal

    ui_appraisal._appraisal.clear()
    x = appraisal_page(monkeypatch, "mgr", "quarter")  # 李静, 数字营销部
    y = appraisal_page(monkeypatch, "mgr4", "quarter")  # 刘洋, 活动策划部: same period, warm cache
    x_again = appraisal_page(monkeypatch, "mgr", "quarter")
    assert team_ids(x) <= department_ids("数字营销部") and team_ids(y) <= department_ids("活动策划部")
    assert team_ids(x) == team_ids(x_again) and not team_ids(x) & team_ids(y)
    assert others_in(everything_sent(y), department_ids("活动策划部")) == []
