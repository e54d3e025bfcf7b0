"""`python -m lib.cli query` and `explain` as ../shared/spec/cli.md says, on every kind of
`--data`: a CSV folder, an .xlsx workbook and a SQLAlchemy URL (DuckDB file, and the real
PostgreSQL and MariaDB servers) give the same output, byte for byte."""
import json
import subprocess
import sys

import pytest

from lib import ROOT
from lib.cli import main
from tests.dbs import any_db_url, duckdb_url, mariadb_url, pg_url, write_tables  # noqa: F401 (fixtures)
from tests.golden import GOLDEN, golden_frames, golden_workbook

QUERY = ["query", "--metrics", "spend,cac", "--by", "channel", "--grain", "week", "--where", "region=华东|华北",
         "--start", "2026-10-19", "--end", "2026-10-25"]
# by hand from tests/fixtures/golden/marketing_daily.csv (W43): 百度SEM 1500 + 600 spend, 3 + 2
# customers; 抖音 500 + 400, 5 + 4; 线下沙龙 300 and no customer (no CAC, not 0)
QUERY_CSV = "period,channel,spend,cac\n2026-W43,抖音,900,100\n2026-W43,百度SEM,2100,420\n2026-W43,线下沙龙,300,\n"
EXPLAIN = ["explain", "--metric", "cac", "--by", "region", "--period", "2026-W43", "--vs", "2026-W42"]


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return golden_workbook(tmp_path_factory.mktemp("xlsx") / "golden.xlsx")


# ---- query ------------------------------------------------------------------------------------

def test_query_csv_from_a_folder(capsys):
    code, out, err = cli(capsys, *QUERY, "--data", str(GOLDEN))
    assert (code, out) == (0, QUERY_CSV)


def test_query_json_has_the_specs_shape(capsys):
    code, out, _ = cli(capsys, *QUERY, "--data", str(GOLDEN), "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {"period": "2026-W43", "channel": "抖音", "spend": 900, "cac": 100},
        {"period": "2026-W43", "channel": "百度SEM", "spend": 2100, "cac": 420},
        {"period": "2026-W43", "channel": "线下沙龙", "spend": 300, "cac": None},
    ]
    code, out, _ = cli(capsys, "query", "--data", str(GOLDEN), "--metrics", "roi", "--format", "json")
    assert json.loads(out) == [{"roi": pytest.approx((41500 - 5800) / 5800)}]  # no period without --grain


def test_query_from_an_xlsx_workbook(capsys, workbook):
    code, out, err = cli(capsys, *QUERY, "--data", str(workbook))
    assert (code, out) == (0, QUERY_CSV)


def test_query_from_a_sqlalchemy_url(capsys, any_db_url):
    """duckdb:///file, postgresql+psycopg://… and mysql+pymysql://… (MariaDB)."""
    write_tables(any_db_url, golden_frames())
    code, out, err = cli(capsys, *QUERY, "--data", any_db_url)
    assert (code, out) == (0, QUERY_CSV)
    code, out_json, _ = cli(capsys, *EXPLAIN, "--data", any_db_url)
    _, from_folder, _ = cli(capsys, *EXPLAIN, "--data", str(GOLDEN))
    assert json.loads(out_json) == json.loads(from_folder)


def test_query_csv_keeps_every_digit_of_large_numbers(tmp_path, capsys):
    """A revenue of ¥12,345,678,901.23 is not printed as 1.23456789e+10."""
    (tmp_path / "marketing_daily.csv").write_text(
        "date,channel,spend,revenue\n2026-10-01,EDM,0.1,12345678901.23\n2026-10-02,EDM,0.2,0\n", encoding="utf-8")
    code, out, _ = cli(capsys, "query", "--data", str(tmp_path), "--metrics", "revenue,spend,roas")
    assert (code, out) == (0, "revenue,spend,roas\n12345678901.23,0.3,41152263004.1\n")


def test_query_lists_data_problems_on_stderr_and_goes_on(tmp_path, capsys):
    (tmp_path / "marketing_daily.csv").write_text(
        "date,channel,spend\n2026-10-01,EDM,100\n2026-10-02,EDM,abc\n", encoding="utf-8")
    code, out, err = cli(capsys, "query", "--data", str(tmp_path), "--metrics", "spend")
    assert (code, out) == (0, "spend\n100\n")
    assert "error: tab marketing_daily, row 3, column spend: " in err


@pytest.mark.parametrize("argv, message", [
    (["query", "--metrics", "cack"], "error: unknown metric 'cack'; did you mean 'cac'?\n"),
    (["query", "--metrics", "budget", "--by", "region"],
     "error: budget cannot be split or filtered by 'region'; it can by: category, channel, department\n"),
    (["query", "--metrics", "spend", "--start", "2026-10-25", "--end", "2026-10-19"],
     "error: the start 2026-10-25 is after the end 2026-10-19\n"),
    (["query", "--metrics", ","], "error: no metric asked for; name one or more, e.g. spend,cac\n"),
    (["explain", "--metric", "cac", "--by", "region", "--period", "2026-W99", "--vs", "2026-W42"],
     "error: '2026-W99' is not a real week: Invalid week: 99\n"),
    (["explain", "--metric", "roii", "--by", "region", "--period", "2026-W43", "--vs", "2026-W42"],
     "error: unknown metric 'roii'; did you mean 'roi'?\n"),
])
def test_bad_requests_exit_2_saying_why(capsys, argv, message):
    code, out, err = cli(capsys, *argv[:1], "--data", str(GOLDEN), *argv[1:])
    assert (code, out, err) == (2, "", message)


def test_bad_arguments_exit_2():
    for argv in (["query"], ["query", "--metrics", "spend", "--grain", "fortnight"],
                 ["query", "--metrics", "spend", "--start", "1/10/2026"], ["query", "--metrics", "spend", "--where", "x"],
                 ["explain", "--metric", "cac"]):
        done = subprocess.run([sys.executable, "-m", "lib.cli", *argv], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 2 and done.stdout == "", argv


def test_missing_tab_exits_1(tmp_path, capsys):
    (tmp_path / "staff.csv").write_text("employee_id,name,department\nE1,a,b\n", encoding="utf-8")
    code, out, err = cli(capsys, "query", "--data", str(tmp_path), "--metrics", "spend")
    assert code == 1 and out == ""
    assert "error: tab(s) marketing_daily needed by spend are not loaded" in err


# ---- explain ---------------------------------------------------------------------------------

def test_explain_json_has_the_specs_shape(capsys):
    code, out, _ = cli(capsys, "explain", "--data", str(GOLDEN), "--metric", "spend", "--by", "region",
                       "--period", "2026-W43", "--vs", "2026-W42")
    doc = json.loads(out)
    assert code == 0
    assert (doc["metric"], doc["before"], doc["after"], doc["total_change"]) == ("spend", 2500, 3300, 800)
    assert doc["contributions"] == [  # biggest part first
        {"region": "华东", "before": 1500, "after": 2300, "change": 800, "contribution": 800},
        {"region": "华北", "before": 1000, "after": 1000, "change": 0, "contribution": 0},
    ]
    assert sum(c["change"] for c in doc["contributions"]) == doc["total_change"]


def test_explain_json_of_a_ratio_has_rate_and_mix(capsys):
    code, out, _ = cli(capsys, *EXPLAIN, "--data", str(GOLDEN))
    doc = json.loads(out)
    assert (code, doc["method"], doc["before"], doc["after"]) == (0, "rate_mix", pytest.approx(2500 / 15),
                                                                 pytest.approx(3300 / 14))
    east, north = doc["contributions"]
    assert (east["region"], east["before"], east["after"]) == ("华东", pytest.approx(1500 / 9), 287.5)
    assert east["rate_effect"] + east["mix_effect"] == pytest.approx(east["contribution"])
    assert east["contribution"] + north["contribution"] == pytest.approx(doc["total_change"])


# ---- check: rows that refer to the catalogue ---------------------------------------------------

def test_check_lists_targets_and_benchmarks_that_name_no_metric(tmp_path, capsys):
    """Such rows would never be used: a KPI would silently have no target. `check` says so."""
    for name in ("marketing_daily", "budget"):
        (tmp_path / f"{name}.csv").write_bytes((GOLDEN / f"{name}.csv").read_bytes())
    (tmp_path / "targets.csv").write_text(
        "metric,period,department,channel,region,product_line,value\n"
        "cac,2026-10,,,,,200\n"
        "cak,2026-10,,,,,200\n"
        "budget_utilization,2026-10,,,华东,,1\n", encoding="utf-8")
    (tmp_path / "benchmarks.csv").write_text("metric,value,source\nctr,0.015,行业报告\nwhatever,1,\n",
                                             encoding="utf-8")
    code, out, _ = cli(capsys, "check", "--data", str(tmp_path))
    lines = out.splitlines()
    assert code == 1
    assert ("error: tab targets, row 3, column metric: unknown metric; this row is not used: 'cak'; "
            "did you mean 'cac'?") in lines
    assert ("error: tab targets, row 4, column region: budget_utilization cannot be split by region; this row is "
            "not used: '华东' (expected a target by channel, department)") in lines
    assert "error: tab benchmarks, row 3, column metric: unknown metric; this row is not used: 'whatever'" in lines
    assert not [line for line in lines if "row 2" in line]  # the good rows are not mentioned
