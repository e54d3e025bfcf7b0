"""The rules of ../shared/spec/okr.md, each alone, on hand-computed cases."""
import datetime as dt
import textwrap

import pytest

from lib.issues import ConfigError
from lib.okr import load_okr_config
from lib.okr import rules
from lib.okr.config import OkrConfig

CFG = OkrConfig()  # the defaults: 0.10 / 0.25, low confidence 3
Q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))  # 92 days


def test_the_shipped_config_holds_the_spec_defaults():
    cfg = load_okr_config()
    assert (cfg.thresholds.on_track, cfg.thresholds.at_risk, cfg.low_confidence) == (0.10, 0.25, 3)


@pytest.mark.parametrize("as_of, expected", [
    (dt.date(2026, 7, 1), 1 / 92),  # the as-of day itself counts as elapsed
    (dt.date(2026, 8, 15), 46 / 92),  # 31 July days + 15 = half the quarter
    (dt.date(2026, 9, 30), 1.0),
    (dt.date(2026, 10, 5), 1.0),  # after the quarter: clipped
    (dt.date(2026, 6, 20), 0.0),  # before it: clipped
])
def test_expected_progress_counts_days(as_of, expected):
    assert rules.expected_progress(*Q3, as_of) == pytest.approx(expected)


@pytest.mark.parametrize("current, start, target, progress", [
    (450, 0, 1000, 0.45),
    (100, 120, 80, 0.5),  # decreasing target: 120 -> 80, now 100 is half way
    (26, 50, 30, 1.2),  # beyond a decreasing target: 120%, unclipped
    (130, 120, 80, -0.25),  # worse than the start: negative, unclipped
    (1300, 0, 1000, 1.3),
])
def test_kr_progress_unclipped_both_directions(current, start, target, progress):
    assert rules.kr_progress(current, start, target) == pytest.approx(progress)


def test_target_equal_to_start_is_all_or_nothing():
    assert rules.kr_progress(100, 100, 100) == 1.0  # reached
    assert rules.kr_progress(104, 100, 100) == 1.0  # beyond counts as reached
    assert rules.kr_progress(99, 100, 100) == 0.0
    # a metric where lower is better (CAC kept at 80) is reached at or below the target
    assert rules.kr_progress(78, 80, 80, lower_is_better=True) == 1.0
    assert rules.kr_progress(81, 80, 80, lower_is_better=True) == 0.0


def test_no_value_yet_has_no_progress_and_is_not_started():
    assert rules.kr_progress(None, 0, 10) is None
    assert rules.kr_progress(float("nan"), 0, 10) is None
    assert rules.status_from_gap(rules.clip(None), 0.5, CFG) == "not_started"


def test_clip_is_for_judging_and_aggregating():
    assert (rules.clip(1.2), rules.clip(-0.25), rules.clip(0.4), rules.clip(None)) == (1.0, 0.0, 0.4, None)


@pytest.mark.parametrize("clipped, expected, status", [
    (1.0, 0.2, "done"),
    (0.4, 0.5, "on_track"),  # gap exactly 0.10 (0.09999999999999998 in floats)
    (0.3, 0.4, "on_track"),  # gap exactly 0.10 (0.10000000000000003 in floats)
    (0.39, 0.5, "at_risk"),  # 0.11
    (0.25, 0.5, "at_risk"),  # exactly 0.25
    (0.24, 0.5, "off_track"),
    (0.0, 0.5, "off_track"),
    (0.9, 0.5, "on_track"),  # ahead of the calendar
])
def test_status_from_the_gap(clipped, expected, status):
    assert rules.status_from_gap(clipped, expected, CFG) == status


def test_low_confidence_makes_a_kr_at_least_at_risk():
    assert rules.with_confidence("on_track", 3, CFG) == "at_risk"  # at the level counts
    assert rules.with_confidence("on_track", 4, CFG) == "on_track"
    assert rules.with_confidence("done", 2, CFG) == "at_risk"
    assert rules.with_confidence("off_track", 1, CFG) == "off_track"  # already worse: stays
    assert rules.with_confidence("at_risk", 0, CFG) == "at_risk"
    assert rules.with_confidence("not_started", 1, CFG) == "not_started"
    assert rules.with_confidence("on_track", None, CFG) == "on_track"  # no confidence given


def test_objective_progress_is_weighted_over_clipped_krs():
    # KR1 45% weight 2, KR2 30% weight 1: (0.9 + 0.3) / 3 = 0.4
    assert rules.weighted_progress([(0.45, 2), (0.3, 1)]) == pytest.approx(0.4)
    # 120% counts as 100%; a KR with no value yet counts as 0; a blank weight is 1
    assert rules.weighted_progress([(1.0, None), (None, 1), (0.5, float("nan"))]) == pytest.approx(0.5)
    assert rules.weighted_progress([]) is None
    assert rules.weighted_progress([(0.5, 0)]) is None


def test_department_progress_is_the_mean_of_its_objectives():
    assert rules.mean_progress([0.5, 0.0]) == 0.25
    assert rules.mean_progress([None, 0.6]) == 0.6  # an objective without KRs has no progress
    assert rules.mean_progress([]) is None


def test_weekly_series_keeps_the_last_value_of_each_iso_week():
    points = [(dt.date(2026, 7, 2), 11), (dt.date(2026, 7, 5), 12),  # W27: Thursday, Sunday
              (dt.date(2026, 8, 10), 12.5), (dt.date(2026, 8, 11), 13),  # W33
              (dt.date(2026, 8, 1), 90), (dt.date(2026, 8, 1), 100),  # same day: the later row wins
              (dt.date(2026, 8, 3), float("nan"))]  # no value: skipped
    assert rules.weekly_last(points) == [
        ("2026-W27", dt.date(2026, 7, 5), 12), ("2026-W31", dt.date(2026, 8, 1), 100),
        ("2026-W33", dt.date(2026, 8, 11), 13)]


def test_iso_weeks_across_the_new_year():
    # 2026-12-31 (Thursday) is in 2026-W53; 2027-01-03 (Sunday) too; 2027-01-04 starts 2027-W01
    points = [(dt.date(2026, 12, 31), 1), (dt.date(2027, 1, 3), 2), (dt.date(2027, 1, 4), 3)]
    assert [w for w, _, _ in rules.weekly_last(points)] == ["2026-W53", "2027-W01"]


def problems(tmp_path, text):
    path = tmp_path / "okr.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_okr_config(path)
    return [str(i).replace(str(path), "okr.yaml") for i in caught.value.issues]


def test_config_errors_name_the_key_and_the_fix(tmp_path):
    assert problems(tmp_path, """
        thresholds: {on_track: 0.3, at_risk: 0.2}
        low_confidence: 11
        low_confidense: 2
    """) == [
        "error: okr.yaml, thresholds: at_risk (0.2) must be at least on_track (0.3), e.g. on_track: 0.10, at_risk: 0.25",
        "error: okr.yaml, low_confidence: Input should be less than or equal to 10",
        "error: okr.yaml, low_confidense: unknown key 'low_confidense'; did you mean 'low_confidence'?",
    ]


def test_config_is_checked_by_the_check_command(tmp_path, monkeypatch):
    from lib import checks
    from lib.cli import config_issues

    bad = tmp_path / "okr.yaml"
    bad.write_text("thresholds: {on_track: 2}\n", encoding="utf-8")
    monkeypatch.setattr(checks, "CONFIG_LOADERS", tuple(
        (lambda: load_okr_config(bad)) if loader is load_okr_config else loader for loader in checks.CONFIG_LOADERS))
    assert [i.key for i in config_issues()] == ["thresholds.on_track"]


def test_kr_values_are_shown_in_their_unit():
    from lib.metrics import load_catalog
    from lib.okr.format import kr_value, progress

    catalog = load_catalog()
    assert kr_value(2790.34, "¥", "cac", catalog) == "¥2,790"  # a metric KR: the metric's format
    assert kr_value(12461490.0, "¥", None, None) == "¥12,461,490"
    assert kr_value(360.7, "¥", None, None) == "¥360.70"
    assert kr_value(9.9, "%", None, None) == "9.9%"  # 8 -> 14 with unit %: the numbers are percent
    assert kr_value(1341.9, "人", None, None) == "1,341.9 人"
    assert kr_value(12, None, None, None) == "12"
    assert kr_value(None, "人", None, None) == "—"  # no value: a dash, never 0
    assert (progress(1.333), progress(None)) == ("133%", "—")


def test_the_burn_up_axis_reads_like_the_values():
    """The Vega label expression per kind of key result (drawn by the OKR browser test)."""
    from lib.metrics import load_catalog
    from lib.okr.format import axis_labels

    catalog = load_catalog()
    zh_wan = "(abs(datum.value) >= 10000 ? format(datum.value / 10000, ',.4~f') + '万' : format(datum.value, ','))"
    assert axis_labels("¥", None, None, "zh") == f"'¥' + {zh_wan}"  # 39,200,000 reads ¥3,920万
    assert axis_labels("元", None, None, "en") == "'¥' + format(datum.value, ',')"
    assert axis_labels("¥", "cac", catalog, "en") == "'¥' + format(datum.value, ',')"  # the metric decides
    assert axis_labels(None, "lead_conversion", catalog, "zh") == "format(datum.value, '.0%')"  # fractions
    assert axis_labels("%", None, None, "en") == "format(datum.value, ',') + '%'"  # 8 -> 14 with unit %
    assert axis_labels("人", "new_customers", catalog, "zh") == zh_wan
    assert axis_labels("人", None, None, "en") == "format(datum.value, ',')"
