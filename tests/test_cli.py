"""`python -m lib.cli check` as ../shared/spec/cli.md says: every problem, exit 1 on any error."""
import subprocess
import sys

from lib import ROOT
from lib.cli import main


def write_sheet(folder, **tabs):
    folder.mkdir(exist_ok=True)
    for name, text in tabs.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_check_names_every_broken_row_and_value_and_exits_1(tmp_path, capsys):
    folder = write_sheet(
        tmp_path / "sheet",
        marketing_daily="date,channel,spend\n2025-07-01,EDM,100\n2025-07-02,EDM,#DIV/0!\n7/1/2025,抖音,5\n",
        staff="employee_id,name,department\nE001,张三,品牌部\n",
        kpi_actuals="employee_id,month,indicator,target,actual\nE001,2026-07,sales,100,90\nE999,2026-07,sales,1,1\n",
    )
    assert main(["check", "--data", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert ("error: tab marketing_daily, row 3, column spend: formula error #DIV/0! in the cell: '#DIV/0!' "
            "(expected the formula's result, not an error)") in lines
    assert ("error: tab marketing_daily, row 4, column date: day and month order is ambiguous: '7/1/2025' "
            "(expected a date such as 2025-07-01, 2025/7/1, 2025年7月1日 or a spreadsheet date; "
            "write the year first)") in lines
    assert ("error: tab kpi_actuals, row 3, column employee_id: not in tab staff: 'E999' "
            "(expected a value listed in staff.employee_id)") in lines
    assert lines[-1] == "3 error(s), 1 warning(s)"


def test_check_prints_nothing_and_exits_0_when_all_is_well(tmp_path, capsys):
    from lib.schema import TABS

    folder = tmp_path / "clean"
    folder.mkdir()
    for name, tab in TABS.items():  # every tab present, header only: nothing to complain about
        (folder / f"{name}.csv").write_text(",".join(tab.column_names) + "\n", encoding="utf-8")
    assert main(["check", "--data", str(folder)]) == 0
    assert capsys.readouterr().out == ""


def test_check_json_lists_issues(tmp_path, capsys):
    import json

    folder = write_sheet(tmp_path / "s", staff="employee_id,name,department\nE1,a,b\nE1,c,d\n")
    assert main(["check", "--data", str(folder), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    [dup] = [d for d in doc if d["level"] == "error"]
    assert (dup["tab"], dup["row"], dup["column"], dup["value"]) == ("staff", 3, "employee_id", "E1")


def test_bad_arguments_exit_2():
    done = subprocess.run([sys.executable, "-m", "lib.cli", "check", "--bogus"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "unrecognized arguments: --bogus" in done.stderr


def test_invalid_config_exits_1(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "sources.yaml"
    bad.write_text("default: nowhere\nsources: {}\n", encoding="utf-8")
    import lib.config as config

    monkeypatch.setattr(config, "CONFIG_DIR", tmp_path)
    monkeypatch.setattr("lib.checks.CONFIG_LOADERS", (lambda: config.load_sources(bad),))
    assert main(["check"]) == 1
    assert "default: no source named 'nowhere'" in capsys.readouterr().out
