"""`python -m lib.cli okr --quarter Q --as-of DATE` as ../shared/spec/cli.md says."""
import json
import subprocess
import sys

import pytest

from lib import ROOT
from lib.cli import main

FIXTURE = ROOT / "tests" / "fixtures" / "okr"


def test_okr_prints_objectives_and_key_results_as_json(capsys):
    assert main(["okr", "--data", str(FIXTURE), "--quarter", "2026-Q3", "--as-of", "2026-08-15"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert (doc["quarter"], doc["as_of"], doc["expected"]) == ("2026-Q3", "2026-08-15", 0.5)
    summary = [(o["objective_id"], o["progress"], o["status"],
                [(k["kr_id"], k["current"], k["progress"], k["status"]) for k in o["key_results"]])
               for o in doc["objectives"]]
    assert summary == [
        ("O1", 0.4, "on_track", [("KR1", 450.0, 0.45, "on_track"), ("KR2", 13.0, 0.3, "at_risk")]),
        ("O2", 0.75, "on_track", [("KR3", 100.0, 0.5, "at_risk"), ("KR4", 26.0, 1.2, "done")]),
        ("O3", 0.5, "on_track", [("KR5", 100.0, 1.0, "done"), ("KR6", 4.0, 0.0, "off_track")]),
        ("O5", 0.0, "not_started", [("KR7", None, None, "not_started")]),
    ]
    assert doc["departments"] == {"营销中心": 0.4, "数字营销部": 0.75, "内容运营部": 0.25}
    assert "tab(s) not found" in err  # data problems go to stderr, the JSON stays clean


def test_okr_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "lib.cli", "okr", "--data", str(FIXTURE), "--quarter", "2026-Q4",
                           "--as-of", "2026-10-31"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["expected"] == pytest.approx(31 / 92, abs=1e-9)
    assert [(o["objective_id"], o["status"]) for o in doc["objectives"]] == [("O4", "not_started")]


@pytest.mark.parametrize("args, message", [
    (["--quarter", "2026-13", "--as-of", "2026-08-15"], "argument --quarter: '2026-13' is not a quarter; use the form 2026-Q4"),
    (["--quarter", "2026-08", "--as-of", "2026-08-15"], "argument --quarter: '2026-08' is not a quarter; use the form 2026-Q4"),
    (["--quarter", "2026-Q3", "--as-of", "15/08/2026"], "argument --as-of: '15/08/2026' is not a date like 2026-07-01"),
    (["--quarter", "2026-Q3"], "the following arguments are required: --as-of"),
])
def test_bad_arguments_exit_2(args, message, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["okr", "--data", str(FIXTURE), *args])
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_tab_exits_1_and_names_it(tmp_path, capsys):
    (tmp_path / "objectives.csv").write_text("objective_id,quarter,title\nO1,2026-Q3,x\n", encoding="utf-8")
    assert main(["okr", "--data", str(tmp_path), "--quarter", "2026-Q3", "--as-of", "2026-08-15"]) == 1
    err = capsys.readouterr().err
    assert "error: tab(s) key_results needed by okr are not loaded; expected key_results (kr_id*, objective_id*, " \
           "title*, metric, start_value*, target_value*, unit, weight; * = required)" in err


def test_docs_worked_example_is_what_the_command_prints(capsys):
    import re

    doc = (ROOT / "docs" / "okr.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))
    assert main(["okr", "--data", str(FIXTURE), "--quarter", "2026-Q3", "--as-of", "2026-08-15"]) == 0
    printed = json.loads(capsys.readouterr().out)
    o2 = next(o for o in printed["objectives"] if o["objective_id"] == "O2")
    assert example == {"quarter": printed["quarter"], "as_of": printed["as_of"], "expected": printed["expected"],
                       "objectives": [o2]}
    assert "python -m lib.cli okr --data tests/fixtures/okr --quarter 2026-Q3 --as-of 2026-08-15" in doc
    for key in ("thresholds.on_track", "thresholds.at_risk", "low_confidence"):  # every config key documented
        assert f"| `{key}` |" in doc
