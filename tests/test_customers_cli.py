"""`python -m lib.cli abtest` exactly as ../shared/spec/cli.md, and cohorts, ltv, rfm,
breakeven as docs/customers.md describes them."""
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from lib import ROOT
from lib.cli import main
from tests.customers_fixture import FIXTURE

DATA = ["--data", str(FIXTURE)]


def run_json(capsys, *argv):
    assert main([*argv, *DATA]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_abtest_prints_the_spec_shape(capsys):
    doc, _ = run_json(capsys, "abtest")
    spec_keys = ["experiment_id", "variant", "users", "conversions", "rate", "lift", "p_value"]
    assert [{k: row[k] for k in spec_keys} for row in doc[:2]] == [
        {"experiment_id": "EXP-CTA", "variant": "B", "users": 1000, "conversions": 130, "rate": 0.13,
         "lift": None, "p_value": None},
        {"experiment_id": "EXP-CTA", "variant": "A", "users": 1000, "conversions": 100, "rate": 0.1,
         "lift": pytest.approx(0.1 / 0.13 - 1), "p_value": pytest.approx(0.035488, abs=1e-6)},
    ]
    assert [(r["variant"], r["verdict"]) for r in doc] == [
        ("B", None), ("A", "significant"), ("control", None), ("low", "not_yet"), ("high", "not_yet"),
        ("old", None), ("new", "no_effect")]
    assert doc[1]["needed_users"] == 1774 and doc[1]["ci_low"] == pytest.approx(-0.057932, abs=1e-6)


def test_cohorts_json(capsys):
    doc, err = run_json(capsys, "cohorts", "--as-of", "2026-03-31")
    assert (doc["as_of"], doc["last_complete_month"]) == ("2026-03-31", "2026-03")
    assert doc["cohorts"][:3] == [
        {"cohort": "2025-06", "channel": "EDM", "customers": 1, "retention": [1.0, 0.0, 1.0] + [0.0] * 7},
        {"cohort": "2026-01", "channel": "EDM", "customers": 1, "retention": [1.0, 1.0, 0.0]},
        {"cohort": "2026-01", "channel": "抖音", "customers": 3, "retention": [1.0, pytest.approx(1 / 3),
                                                                               pytest.approx(2 / 3)]},
    ]
    douyin = doc["channels"][1]
    assert douyin == {"channel": "抖音", "customers": 5, "buyers": 4, "repeat_buyers": 3, "repeat_rate": 0.75,
                      "retention": [0.8, 0.5, pytest.approx(2 / 3)]}
    assert "warning: 1 order(s) are dated in a month before their customer's acquired_at" in err


def test_cohorts_filtered(capsys):
    doc, _ = run_json(capsys, "cohorts", "--as-of", "2026-03-31", "--where", "channel=抖音",
                      "--start", "2026-02-01")
    assert [(c["cohort"], c["customers"]) for c in doc["cohorts"]] == [("2026-02", 1), ("2026-03", 1)]


def test_ltv_json(capsys):
    doc, _ = run_json(capsys, "ltv", "--as-of", "2026-03-31")
    assert (doc["margin"], doc["ratio_horizon"]) == (1.0, 24)
    douyin = doc["channels"][1]
    assert (douyin["channel"], douyin["customers"], douyin["month0_value"], douyin["value_per_active"]) == (
        "抖音", 5, 152.0, 65.0)
    assert (douyin["cac"], douyin["ltv_24"], douyin["payback_months"]) == (420.0, None, None)  # too few customers
    assert douyin["observed_cumulative"] == [152.0, 182.0, pytest.approx(182 + 140 / 3)]


def test_rfm_summary_and_a_tier_list(capsys, tmp_path):
    doc, _ = run_json(capsys, "rfm", "--as-of", "2026-03-31")
    assert (doc["dormant_cutoff"], doc["bins"]) == ("2025-09-30", 5)
    assert [(t["tier"], t["customers"], t["revenue"], t["label"]) for t in doc["tiers"]] == [
        ("high_value", 1, 410.0, "High value"), ("potential", 8, 1460.0, "Potential"), ("dormant", 1, 260.0, "Dormant")]
    assert doc["tiers"][2]["care"].startswith("Win them back")
    listed, _ = run_json(capsys, "rfm", "--as-of", "2026-03-31", "--tier", "dormant")
    assert listed == [{"customer_id": "C09", "channel": "EDM", "region": "华东", "product_line": "专业版",
                       "segment": "SMB", "acquired_at": "2025-06-10", "last_order": "2025-08-01", "orders": 2,
                       "revenue": 260.0, "recency": 1, "frequency": 3, "monetary": 4, "tier": "dormant"}]
    out = tmp_path / "potential.xlsx"
    assert main(["rfm", "--as-of", "2026-03-31", "--tier", "potential", "--out", str(out), *DATA]) == 0
    assert "8 customer(s) of tier potential written to" in capsys.readouterr().err
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["potential"]
    assert sheet["A1"].value == "customer_id" and sheet.max_row == 9


def test_rfm_out_must_be_csv_or_xlsx(capsys, tmp_path):
    assert main(["rfm", "--tier", "dormant", "--out", str(tmp_path / "x.json"), *DATA]) == 2
    assert f"error: --out {tmp_path / 'x.json'} must end in .csv or .xlsx" in capsys.readouterr().err


def test_breakeven_flagged(capsys):
    doc, _ = run_json(capsys, "breakeven", "--as-of", "2026-03-31", "--flagged")
    assert doc["horizon_months"] == 6
    assert [(r["kind"], r["id"], r["spend"], r["revenue"], r["status"]) for r in doc["rows"]] == [
        ("campaign", "CP3", 300.0, 200.0, "not_covered"), ("channel", "EDM", 300.0, 260.0, "not_covered")]
    assert doc["rows"][0]["horizon_end"] == "2025-12-01"


def test_unknown_filter_exits_2(capsys):
    assert main(["cohorts", "--where", "department=品牌部", *DATA]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "error: customers cannot be filtered by 'department'; use one of channel, region, product_line, segment")


def test_missing_tab_exits_1(tmp_path, capsys):
    (tmp_path / "customers.csv").write_text((FIXTURE / "customers.csv").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["rfm", "--data", str(tmp_path)]) == 1
    assert "error: tab(s) orders needed by customer value are not loaded" in capsys.readouterr().err


def test_commands_are_listed_in_help():
    done = subprocess.run([sys.executable, "-m", "lib.cli", "--help"], cwd=ROOT, capture_output=True, text=True)
    for name in ("abtest", "cohorts", "ltv", "rfm", "breakeven"):
        assert name in done.stdout
