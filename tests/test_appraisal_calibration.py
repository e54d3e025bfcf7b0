"""The calibration committee records a calibrated score: written to the calibrations tab, it
replaces the combined score, clears the calibration flag, and keeps the original visible."""
import csv
import datetime as dt

import pytest

from lib.access import SYSTEM, Viewer
from lib.appraisal import CalibrationRefused, appraise, load_appraisal_config, may_record, record_calibration
from lib.config import sources_for_data
from lib.store import load_store
from tests.appraisal_sheets import write_sheet
from tests.test_appraisal_engine import team_sheet

CFG = load_appraisal_config()
DIRECTOR = Viewer("boss", "director")
AT = dt.datetime(2026, 8, 3, 10, 30)


@pytest.fixture
def folder(tmp_path):
    return team_sheet(tmp_path / "team")


def record(folder, viewer, score=75, reason="project delivered late, supervisor agrees", token="first", **kw):
    sources = sources_for_data(str(folder))
    store = load_store(sources)
    args = dict(employee_id="E07", period="2026-07", dimension="execution")
    args.update(kw)
    # the submission ledger is per process: a token is unique to its folder, as a form's is to its session
    return record_calibration(sources, store, CFG, viewer, calibrated_score=score, reason=reason,
                              token=f"{folder}:{token}",
                              now=AT, **args)


def test_a_calibration_is_written_and_replaces_the_combined_score(folder):
    result = record(folder, DIRECTOR)
    assert not result.duplicate
    with open(folder / "calibrations.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows == [{"employee_id": "E07", "period": "2026-07", "dimension": "execution", "original_score": "70.0",
                     "calibrated_score": "75.0", "reason": "project delivered late, supervisor agrees", "by": "boss",
                     "at": "2026-08-03 10:30:00"}]
    july = appraise(load_store(sources_for_data(str(folder))), CFG, "2026-07", SYSTEM)
    e07 = july.result("E07")
    execution = e07.indicators["execution"]
    assert (execution.score, execution.computed) == (75, 70)  # the original stays visible
    assert (execution.calibration.by, execution.calibration.at, execution.calibration.original_score) == (
        "boss", AT, 70)
    # (30 + 20 + 10) x 70 + 15 x 75 = 5325 over 75 = 71
    assert e07.score == 71 and e07.flags == ()  # settled: the calibration flag is cleared
    item = next(c for c in july.calibration_queue if c.employee_id == "E07")
    assert not item.pending and item.calibration.calibrated_score == 75


def test_a_double_submit_writes_one_row(folder):
    record(folder, DIRECTOR, token="same")
    again = record(folder, DIRECTOR, token="same")
    assert again.duplicate
    assert len((folder / "calibrations.csv").read_text(encoding="utf-8").splitlines()) == 2  # header + 1


def test_the_newest_calibration_wins(tmp_path):
    folder = team_sheet(tmp_path / "team")
    write_sheet(folder, calibrations=[
        "E07,2026-07,execution,70,80,first view,boss,2026-08-03 09:00",
        "E07,2026-07,execution,70,65,second view,hr,2026-08-04 09:00",
        "E07,2026-07,execution,70,90,undated,hr,",
    ])
    e07 = appraise(load_store(sources_for_data(str(folder))), CFG, "2026-07", SYSTEM).result("E07")
    assert e07.indicators["execution"].score == 65 and e07.indicators["execution"].calibration.by == "hr"


@pytest.mark.parametrize("viewer,kw,message", [
    (Viewer("alice", "manager", "E01", "品牌部"), {},
     "only the calibration committee (director, admin) may record a calibrated score"),
    (Viewer("gao", "staff", "E07", "数字营销部"), {},
     "only the calibration committee (director, admin) may record a calibrated score"),
    (DIRECTOR, {"dimension": "sales_achievement"}, "sales_achievement is not a qualitative indicator of a month"),
    (DIRECTOR, {"dimension": "innovation"}, "innovation is not a qualitative indicator of a month"),
    (DIRECTOR, {"reason": "  "}, "a calibration needs a reason"),
    (DIRECTOR, {"score": None}, "a calibration needs a calibrated score"),
])
def test_who_and_what_may_be_calibrated(folder, viewer, kw, message):
    with pytest.raises(CalibrationRefused) as refused:
        record(folder, viewer, **kw)
    assert str(refused.value) == message
    assert not (folder / "calibrations.csv").exists()


def test_a_score_outside_0_100_is_refused_by_the_sheet_rules(folder):
    from lib.writeback import WriteError

    with pytest.raises(WriteError, match="calibrated_score"):
        record(folder, DIRECTOR, score=120)
    assert not (folder / "calibrations.csv").exists()


def test_the_committee_is_director_and_admin():
    assert [r for r in ("admin", "director", "manager", "staff", "viewer", "hr")
            if may_record(Viewer("x", r), CFG)] == ["admin", "director"]
