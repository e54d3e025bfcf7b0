"""`python -m lib.cli appraise --period P` exactly as cli.md: JSON on stdout, problems on stderr."""
import json
import subprocess
import sys

import pytest

from lib import ROOT
from lib.cli import main
from tests.appraisal_sheets import write_sheet
from tests.test_appraisal_engine import YEAR_TEAM, team_sheet, year_store


def run(capsys, *argv):
    code = main(["appraise", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_appraise_a_month_prints_one_row_per_employee(tmp_path, capsys):
    folder = team_sheet(tmp_path / "team")
    code, out, err = run(capsys, "--period", "2026-07", "--data", str(folder))
    assert code == 0
    rows = json.loads(out)
    assert rows[0] == {
        "employee_id": "E01", "period": "2026-07", "score": 94.155556, "grade": "S", "bonus_multiplier": 1.5,
        "flags": ["calibration"], "promotion_eligible": True, "name": "Alice", "department": "品牌部", "missing": []}
    assert list(rows[0])[:7] == ["employee_id", "period", "score", "grade", "bonus_multiplier", "flags",
                                 "promotion_eligible"]  # the keys of cli.md first
    assert [(r["employee_id"], r["score"], r["grade"], r["flags"]) for r in rows[1:]] == [
        ("E02", 90.0, "S", []), ("E03", 60.0, "C", []), ("E04", 55.0, "D", ["coaching_plan"]),
        ("E05", 50.0, "D", []), ("E06", 80.0, "A", ["incomplete"]), ("E07", 70.0, "B", ["calibration"])]
    assert rows[5]["missing"] == [{"indicator": "sales_achievement", "reason": "not_scored"}]
    assert all("rank" not in r for r in rows)  # only a year has a rank
    assert ("warning: tab kpi_actuals, row 64, column target: a target of 0 or less cannot be scored, the row is "
            "left out of the appraisal: 0.0 (expected a target above 0)") in err.splitlines()


def test_appraise_a_year_adds_the_rank(tmp_path, capsys, monkeypatch):
    import lib.appraisal.config as module

    year_store(tmp_path)  # writes scheme.yaml and the sheet
    monkeypatch.setattr(module, "APPRAISAL_FILE", tmp_path / "scheme.yaml")
    code, out, _ = run(capsys, "--period", "2026", "--data", str(tmp_path / "year"))
    assert code == 0
    rows = {r["employee_id"]: r for r in json.loads(out)}
    assert set(rows) == set(YEAR_TEAM)
    assert (rows["A"]["rank"], rows["C"]["rank"], rows["D"]["rank"]) == (1, 7, None)
    assert rows["J"]["flags"] == ["bottom_20", "top_team"] and rows["J"]["score"] == 50.0


def test_bad_period_is_exit_2_and_missing_tab_exit_1(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["appraise", "--period", "2026-W30", "--data", str(tmp_path)])
    assert exited.value.code == 2
    assert ("argument --period: '2026-W30' is not a month 2026-07, a quarter 2026-Q3 or a year 2026"
            in capsys.readouterr().err)
    folder = write_sheet(tmp_path / "staff-only", staff=["E01,Alice,品牌部,manager,,2019-03-01,yes"])
    code, out, err = run(capsys, "--period", "2026-Q3", "--data", str(folder))
    assert code == 1 and out == ""
    assert "error: tab(s) kpi_actuals needed by the appraisal are not loaded" in err


def test_appraise_runs_as_a_command(tmp_path):
    folder = team_sheet(tmp_path / "team")
    done = subprocess.run([sys.executable, "-m", "lib.cli", "appraise", "--period", "2026-Q3", "--data", str(folder)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["period"] for r in rows] == ["2026-Q3"] * 8  # E09 (hired in August) is in the quarter
