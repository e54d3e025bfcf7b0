"""OKR progress from the tabs, on the hand-checked fixture tests/fixtures/okr.

Quarter 2026-Q3 (92 days) judged at 2026-08-15: expected progress e = 46 / 92 = 0.5.
marketing_daily inside Q3 up to 08-15: spend 20,000 + 15,000 + 10,000 = 45,000 and
new customers 200 + 150 + 100 = 450 (a row on 06-30 is before the quarter, one on
08-20 after the as-of date), so new_customers = 450 and CAC = 45,000 / 450 = 100.
"""
import datetime as dt
import math

import pytest

from lib import ROOT
from lib.config import sources_for_data
from lib.metrics import load_catalog
from lib.okr import (OkrConfig, default_as_of, default_quarter, metric_weekly, okr_report, quarters,
                     reference_date)
from lib.store import MissingTabError, load_store

FIXTURE = ROOT / "tests" / "fixtures" / "okr"
AS_OF = dt.date(2026, 8, 15)


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(FIXTURE)))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def report(store, catalog):
    return okr_report(store, catalog, OkrConfig(), "2026-Q3", AS_OF)


def kr(report, kr_id):
    k = report.key_result(kr_id)
    return k.current, k.progress, k.status


def test_fixture_loads_without_problems(store):
    assert store.errors() == []


def test_expected_progress_at_the_as_of_date(report):
    assert report.expected == 0.5 and (report.start, report.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))


def test_metric_kr_takes_the_metric_over_the_quarter_to_the_as_of_date(report):
    # 450 new customers of 1,000: 45%, gap 0.05 -> on track
    assert kr(report, "KR1") == (450.0, pytest.approx(0.45), "on_track")
    assert report.key_result("KR1").source == "metric"


def test_decreasing_metric_target_with_low_confidence(report):
    # CAC 100 from start 120 to target 80: 50%, gap 0 -> on track, but the latest check-in's
    # confidence is 2 (<= 3): at risk. The check-in value 105 does not replace the metric.
    k = report.key_result("KR3")
    assert (k.current, k.progress, k.status, k.confidence, k.low_confidence) == (100.0, 0.5, "at_risk", 2.0, True)


def test_manual_kr_takes_the_latest_checkin_on_or_before_the_as_of_date(report):
    # 13 on 08-11 (the 19 of 08-20 is after the as-of date): (13 - 10) / (20 - 10) = 0.3, gap 0.2
    assert kr(report, "KR2") == (13.0, pytest.approx(0.3), "at_risk")
    k = report.key_result("KR2")
    assert (k.confidence, k.last_checkin, k.source) == (5.0, dt.date(2026, 8, 11), "checkin")


def test_decreasing_manual_target_beyond_the_target_is_shown_unclipped(report):
    # 26 days from 50 toward 30: (26 - 50) / (30 - 50) = 1.2; the last confidence given is 6
    assert kr(report, "KR4") == (26.0, pytest.approx(1.2), "done")
    assert report.key_result("KR4").confidence == 6.0 and report.key_result("KR4").weight == 1.0


def test_target_equal_to_start(report):
    # two check-ins on 08-01: the later row (100) wins; reached -> 1 -> done
    assert kr(report, "KR5") == (100.0, 1.0, "done")
    # 4 below a flat target of 5 -> 0 -> off track (low confidence 3 cannot make it better)
    assert kr(report, "KR6") == (4.0, 0.0, "off_track")


def test_no_value_yet(report):
    assert kr(report, "KR7") == (None, None, "not_started")
    assert report.objective("O5").status == "not_started" and report.objective("O5").progress == 0.0


def test_objective_progress_weighted_and_clipped(report):
    # O1: KR1 0.45 x 2 + KR2 0.3 x 1 = 1.2 / 3 = 0.4, gap 0.10 -> on track
    assert (report.objective("O1").progress, report.objective("O1").status) == (pytest.approx(0.4), "on_track")
    # O2: KR3 0.5 and KR4 1.2 clipped to 1: 0.75
    assert report.objective("O2").progress == pytest.approx(0.75)
    # O3: 1 and 0: 0.5, gap 0 -> on track
    assert (report.objective("O3").progress, report.objective("O3").status) == (0.5, "on_track")


def test_tree_and_department_roll_up(report):
    assert [o.objective_id for o in report.objectives] == ["O1", "O2", "O3", "O5"]  # O4 is 2026-Q4
    assert report.objective("O1").children == ["O2", "O3"]
    assert [(d, o.objective_id) for d, o in report.walk()] == [(0, "O1"), (1, "O2"), (1, "O3"), (0, "O5")]
    # O3 is owned by E002, who works in 内容运营部; that department also owns O5 (0)
    assert report.objective("O3").department == "内容运营部"
    assert report.departments == {"营销中心": pytest.approx(0.4), "数字营销部": 0.75, "内容运营部": 0.25}
    assert report.company == pytest.approx(0.2)  # top-level objectives O1 (0.4) and O5 (0)


def test_a_later_as_of_date_sees_the_later_checkin_and_metric_rows(store, catalog):
    later = okr_report(store, catalog, OkrConfig(), "2026-Q3", dt.date(2026, 8, 20))
    assert later.key_result("KR2").current == 19.0
    assert later.key_result("KR1").current == 750.0  # + 300 on 08-20
    assert later.key_result("KR3").current == pytest.approx(50000 / 750)  # CAC 66.67: beyond 80 -> 133%


def test_before_the_quarter_starts_nothing_has_a_value(store, catalog):
    early = okr_report(store, catalog, OkrConfig(), "2026-Q3", dt.date(2026, 6, 30))
    assert early.expected == 0.0
    # the 06-30 marketing row is outside the quarter; no check-in exists before 07-02
    assert {k.status for o in early.objectives for k in o.key_results} == {"not_started"}


def test_thresholds_come_from_the_config(store, catalog):
    strict = OkrConfig(thresholds={"on_track": 0.0, "at_risk": 0.04})
    rep = okr_report(store, catalog, strict, "2026-Q3", AS_OF)
    assert rep.key_result("KR1").status == "off_track"  # gap 0.05 > 0.04
    assert OkrConfig(low_confidence=1).low_confidence == 1
    relaxed = okr_report(store, catalog, OkrConfig(low_confidence=1), "2026-Q3", AS_OF)
    assert relaxed.key_result("KR3").status == "on_track"  # confidence 2 is no longer low


def test_cli_json_shape(report):
    doc = report.to_json()
    assert (doc["quarter"], doc["as_of"], doc["expected"]) == ("2026-Q3", "2026-08-15", 0.5)
    o1 = doc["objectives"][0]
    assert (o1["objective_id"], o1["progress"], o1["status"]) == ("O1", 0.4, "on_track")  # rounded for print
    assert o1["key_results"][0] == {
        "kr_id": "KR1", "title": "New customers this quarter", "metric": "new_customers", "current": 450.0,
        "start_value": 0.0, "target_value": 1000.0, "progress": 0.45, "status": "on_track", "confidence": None}


def test_unknown_metric_is_reported_and_its_kr_has_no_value(tmp_path, catalog):
    import shutil

    shutil.copytree(FIXTURE, tmp_path / "data")
    path = tmp_path / "data" / "key_results.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("KR1,O1,New customers this quarter,new_customers",
                                                             "KR1,O1,New customers this quarter,new_customer"),
                    encoding="utf-8")
    rep = okr_report(load_store(sources_for_data(str(tmp_path / "data"))), catalog, OkrConfig(), "2026-Q3", AS_OF)
    assert kr(rep, "KR1") == (None, None, "not_started")
    assert [str(i) for i in rep.issues] == [
        "error: tab key_results, row 2, column metric: key result KR1 follows metric 'new_customer', which is "
        "not in config/metrics.yaml; the KR has no value until it is; did you mean 'new_customers'?"]
    assert rep.key_result("KR3").current == 100.0  # the other metric KR still works


def test_missing_okr_tab_names_the_tab(tmp_path, catalog):
    (tmp_path / "staff.csv").write_text("employee_id,name,department\nE1,a,b\n", encoding="utf-8")
    with pytest.raises(MissingTabError, match="tab\\(s\\) objectives, key_results needed by okr"):
        okr_report(load_store(sources_for_data(str(tmp_path))), catalog, OkrConfig(), "2026-Q3", AS_OF)


def test_default_quarter_and_as_of(store):
    assert quarters(store) == ["2026-Q3", "2026-Q4"]
    # the data ends 2026-08-20 (marketing row and check-in): earlier than today, so it is "now"
    assert reference_date(store, today=dt.date(2026, 11, 23)) == dt.date(2026, 8, 20)
    assert reference_date(store, today=dt.date(2026, 8, 1)) == dt.date(2026, 8, 1)  # data in the future
    assert default_quarter(["2026-Q3", "2026-Q4"], dt.date(2026, 8, 20)) == "2026-Q3"
    assert default_quarter(["2026-Q1", "2026-Q2"], dt.date(2026, 8, 20)) == "2026-Q2"  # latest begun
    assert default_quarter(["2027-Q1", "2027-Q2"], dt.date(2026, 8, 20)) == "2027-Q1"  # all ahead
    assert default_quarter([], dt.date(2026, 8, 20)) is None
    assert default_as_of("2026-Q3", dt.date(2026, 8, 20)) == dt.date(2026, 8, 20)
    assert default_as_of("2026-Q2", dt.date(2026, 8, 20)) == dt.date(2026, 6, 30)  # a past quarter: its end
    assert default_as_of("2026-Q4", dt.date(2026, 8, 20)) == dt.date(2026, 10, 1)  # ahead: its first day


def test_weekly_metric_series_is_quarter_to_date_at_each_week_end(store, catalog):
    frame = metric_weekly(store, catalog, ["new_customers", "cac"], dt.date(2026, 7, 1), AS_OF)
    dates = frame["date"].tolist()
    assert dates[0] == dt.date(2026, 7, 5) and dates[-1] == AS_OF and len(dates) == 7  # W27 .. W33
    by_date = frame.set_index("date")
    assert math.isnan(by_date.loc[dt.date(2026, 7, 5), "new_customers"])  # nothing yet: no value, not 0
    assert by_date.loc[dt.date(2026, 7, 12), "new_customers"] == 200
    assert by_date.loc[dt.date(2026, 8, 9), "new_customers"] == 350
    assert by_date.loc[AS_OF, "cac"] == 100
    assert frame["week"].tolist()[-1] == "2026-W33"
