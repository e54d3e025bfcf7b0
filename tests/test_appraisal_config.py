"""config/appraisal.yaml is validated: every problem with the file, the key and what to do."""
import copy

import pytest
import yaml

from lib.appraisal.config import APPRAISAL_FILE, CONFIG_RULES, load_appraisal_config
from lib.checks import CONFIG_LOADERS
from lib.cli import config_issues
from lib.issues import ConfigError

BASE = yaml.safe_load(APPRAISAL_FILE.read_text(encoding="utf-8"))


def problems(tmp_path, change) -> list[str]:
    data = copy.deepcopy(BASE)
    change(data)
    path = tmp_path / "appraisal.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_appraisal_config(path)
    return [str(i).replace(str(path), "FILE") for i in caught.value.issues]


def test_the_shipped_config_is_the_spec_default():
    cfg = load_appraisal_config()
    assert {n: (i.kind, i.weight, tuple(i.cycles)) for n, i in cfg.indicators.items()} == {
        "sales_achievement": ("quantitative", 30, ("month", "quarter", "year")),
        "customer_growth": ("quantitative", 20, ("month", "quarter", "year")),
        "marketing_efficiency": ("quantitative", 10, ("month", "quarter")),
        "innovation": ("qualitative", 15, ("quarter", "year")),
        "teamwork": ("qualitative", 10, ("quarter", "year")),
        "execution": ("qualitative", 15, ("month", "quarter")),
    }
    assert cfg.sub_indicators["cac"] == ("marketing_efficiency", "lower")
    assert [(b.grade, b.min, b.bonus_multiplier) for b in cfg.grades] == [
        ("S", 90, 1.5), ("A", 80, 1.2), ("B", 70, 1.0), ("C", 60, 0.8), ("D", None, 0.0)]
    assert (cfg.coaching.below, cfg.calibration.max_spread, cfg.ranking.bottom_share,
            cfg.ranking.min_monthly_scores) == (60, 20, 0.2, 6)
    assert load_appraisal_config in CONFIG_LOADERS and not config_issues(include_sources=False)


def test_weights_of_the_scheme_must_add_up_to_100(tmp_path):
    assert problems(tmp_path, lambda d: d["indicators"]["teamwork"].update(weight=5)) == [
        "error: FILE, indicators: the weights add up to 95, not 100; weights are shares of the whole scheme; "
        "each period renormalises over its cycle"]


def test_every_cycle_keeps_a_quantitative_share_of_60(tmp_path):
    def shift(d):
        for name, weight in {"sales_achievement": 20, "customer_growth": 10, "marketing_efficiency": 10,
                             "innovation": 25, "teamwork": 20, "execution": 15}.items():
            d["indicators"][name]["weight"] = weight

    # month: 40 of 55 quantitative (72.7%) is fine; quarter 40 of 100 and year 30 of 75 are not
    assert problems(tmp_path, shift) == [
        "error: FILE, indicators: the quantitative share of a quarter is 40.0%, below min_quantitative_share 60%; "
        "raise the weights of quantitative indicators scored per quarter",
        "error: FILE, indicators: the quantitative share of a year is 40.0%, below min_quantitative_share 60%; "
        "raise the weights of quantitative indicators scored per year"]
    assert problems(tmp_path, lambda d: d.update(min_quantitative_share=50)) == [
        "error: FILE, min_quantitative_share: Input should be greater than or equal to 60"]


def test_grade_bands_must_be_in_descending_order(tmp_path):
    assert problems(tmp_path, lambda d: d["grades"][1].update(min=95)) == [
        "error: FILE, grades[1].min: min 95 must be below the min 90 of grade S; list the bands from the best "
        "grade down"]
    assert problems(tmp_path, lambda d: d["grades"][4].update(min=0)) == [
        "error: FILE, grades[4].min: the last band must have no min; it takes every score below the band before it"]
    assert problems(tmp_path, lambda d: d["grades"][2].update(bonus_multiplier=1.3)) == [
        "error: FILE, grades[2].bonus_multiplier: bonus_multiplier 1.3 is above the 1.2 of the better grade A"]
    assert problems(tmp_path, lambda d: d.update(veto_grade="E")) == [
        "error: FILE, veto_grade: veto_grade 'E' is not one of the grades; grades: S, A, B, C, D"]


def test_sub_indicators_are_known_once_with_a_direction(tmp_path):
    assert problems(tmp_path, lambda d: d["indicators"]["marketing_efficiency"]["sub_indicators"].update(
        sales="higher")) == [
        "error: FILE, indicators.marketing_efficiency.sub_indicators.sales: sub-indicator 'sales' is already part "
        "of sales_achievement; a kpi_actuals row can count for one indicator only"]
    assert problems(tmp_path, lambda d: d["indicators"]["sales_achievement"].update(
        sub_indicators={"sales": "higer"})) == [
        "error: FILE, indicators.sales_achievement.sub_indicators.sales: Input should be 'higher' or 'lower'"]
    assert problems(tmp_path, lambda d: d["indicators"]["sales_achievement"].update(sub_indicators={})) == [
        "error: FILE, indicators.sales_achievement.sub_indicators: a quantitative indicator needs at least one "
        "sub-indicator; name the kpi_actuals indicators it is scored on, e.g. sales: higher"]
    assert problems(tmp_path, lambda d: d["indicators"]["teamwork"].update(sub_indicators={"nps": "higher"})) == [
        "error: FILE, indicators.teamwork.sub_indicators: a qualitative indicator is scored from ratings and has "
        "no sub-indicators"]


def test_mistyped_keys_and_names_get_a_suggestion(tmp_path):
    def rename(d):
        d["indicators"]["sales_achievement"]["sub_indicator"] = d["indicators"]["sales_achievement"].pop(
            "sub_indicators")

    assert problems(tmp_path, rename) == [
        "error: FILE, indicators.sales_achievement.sub_indicator: unknown key 'sub_indicator'; "
        "did you mean 'sub_indicators'?"]
    assert problems(tmp_path, lambda d: d["awards"].update(innovation="inovation")) == [
        "error: FILE, awards.innovation: unknown indicator 'inovation'; did you mean 'innovation'?"]
    assert problems(tmp_path, lambda d: d["calibration"].update(committee_roles=["director", "admn"])) == [
        "error: FILE, calibration.committee_roles[1]: unknown role 'admn'; did you mean 'admin'?"]
    assert problems(tmp_path, lambda d: d["indicators"]["innovation"].update(cycles=["quartr"])) == [
        "error: FILE, indicators.innovation.cycles.0: Input should be 'month', 'quarter' or 'year'"]
    assert problems(tmp_path, lambda d: d["rater_weights"].update(self=0.1)) == [
        "error: FILE, rater_weights.self: unknown key 'self'; allowed keys: cross_dept, peer, supervisor"]


def test_some_rating_must_count(tmp_path):
    assert problems(tmp_path, lambda d: d["rater_weights"].update(supervisor=0, cross_dept=0)) == [
        "error: FILE, rater_weights: every rater weight is 0, so no rating would count; "
        "e.g. supervisor: 0.7, cross_dept: 0.3"]


def test_all_problems_are_reported_together(tmp_path):
    def many(d):
        d["indicators"]["teamwork"]["weight"] = 5
        d["veto_grade"] = "F"
        d["awards"]["innovation"] = "sales_achievement"

    assert problems(tmp_path, many) == [
        "error: FILE, indicators: the weights add up to 95, not 100; weights are shares of the whole scheme; "
        "each period renormalises over its cycle",
        "error: FILE, veto_grade: veto_grade 'F' is not one of the grades; grades: S, A, B, C, D",
        "error: FILE, awards.innovation: sales_achievement is not a qualitative indicator scored per quarter, so "
        "it cannot give the quarter's award; name one, e.g. innovation",
    ]
    assert len(CONFIG_RULES) == 6


def test_check_lists_appraisal_config_problems(tmp_path, monkeypatch, capsys):
    """`python -m lib.cli check` sees this file through lib.checks.CONFIG_LOADERS."""
    import lib.appraisal.config as module
    from lib.cli import main

    broken = tmp_path / "appraisal.yaml"
    broken.write_text(APPRAISAL_FILE.read_text(encoding="utf-8").replace("weight: 10\n", "weight: 11\n", 1),
                      encoding="utf-8")
    monkeypatch.setattr(module, "APPRAISAL_FILE", broken)
    folder = tmp_path / "empty"
    folder.mkdir()
    assert main(["check", "--data", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"error: {broken}, indicators: the weights add up to 101, not 100" in out
