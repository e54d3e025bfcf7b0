"""The appraisal of a small team, end to end from CSV tabs, with hand-computed results.

The team (see team_sheet): 品牌部 E01-E04 and 数字营销部 E05-E07 in July 2026.
  E01 mixed rows: sales 95; growth (80 + 120 capped + 100) / 3 = 100;
      efficiency (cac 80 + roi 120 capped + reach 90) / 3 = 96.67;
      execution 0.7 x 80 + 0.3 x 90 = 83 (peer 60 and self 100 do not count)
      month = (30 x 95 + 20 x 100 + 10 x 96.67 + 15 x 83) / 75 = 94.16 -> S; ratings 90 vs 60 -> calibration
  E02 everything 90 -> exactly 90 -> S; a violation in August (not July) -> not promotion eligible in 2026
  E03 June 50, July exactly 60 -> C and no coaching (60 is not below 60)
  E04 June 50, July 55 -> D and coaching_plan
  E05 May 50, no June, July 50 -> D, no coaching: the missing month breaks the streak
  E06 July 80 with a sales target of 0 -> sales not scored, reported; (20 + 10 + 15) x 80 / 45 = 80 -> A, incomplete
  E07 July 70, execution supervisor 70 and peer 40 -> 70 -> B, calibration (peer counts for the spread only)
  E08 inactive without rows and E09 hired in August: not appraised in July.
"""
import pytest

from lib.access import SYSTEM, Viewer
from lib.appraisal import appraise, load_appraisal_config
from lib.appraisal.engine import monthly_trend
from lib.config import sources_for_data
from lib.store import MissingTabError, load_store
from tests.appraisal_sheets import rated, uniform, write_sheet

CFG = load_appraisal_config()
BRAND, DIGITAL = "品牌部", "数字营销部"

E01_JULY = ["E01,2026-07,sales,100,95", "E01,2026-07,new_customers,50,40", "E01,2026-07,lead_conversion,0.2,0.25",
            "E01,2026-07,repurchase_rate,0.3,0.3", "E01,2026-07,cac,200,250", "E01,2026-07,campaign_roi,2,3",
            "E01,2026-07,content_reach,10000,9000"]
E01_SCORE = (30 * 95 + 20 * 100 + 10 * 290 / 3 + 15 * 83) / 75


def team_sheet(folder):
    e06 = [r for r in uniform("E06", "2026-07", 80) if ",sales," not in r] + ["E06,2026-07,sales,0,80"]
    return write_sheet(
        folder,
        staff=[f"E01,Alice,{BRAND},manager,,2019-03-01,yes", f"E02,Bob,{BRAND},specialist,E01,2020-01-01,yes",
               f"E03,Chen,{BRAND},specialist,E01,2021-05-01,yes", f"E04,Dan,{BRAND},specialist,E01,2022-01-01,yes",
               f"E05,Eve,{DIGITAL},manager,,2019-03-01,yes", f"E06,Fei,{DIGITAL},specialist,E05,2023-02-01,yes",
               f"E07,Gao,{DIGITAL},supervisor,E05,2023-09-01,yes", f"E08,Hu,{DIGITAL},specialist,E05,2020-01-01,no",
               f"E09,Ivy,{DIGITAL},specialist,E05,2026-08-01,yes"],
        kpi_actuals=[*E01_JULY, *uniform("E02", "2026-07", 90), *uniform("E03", "2026-06", 50),
                     *uniform("E03", "2026-07", 60), *uniform("E04", "2026-06", 50), *uniform("E04", "2026-07", 55),
                     *uniform("E05", "2026-05", 50), *uniform("E05", "2026-07", 50), *e06,
                     *uniform("E07", "2026-07", 70)],
        ratings=[*rated("E01", "2026-07", "execution", supervisor=80, cross_dept=90, peer=60, self=100),
                 *rated("E02", "2026-07", "execution", supervisor=90),
                 *rated("E03", "2026-06", "execution", supervisor=50), *rated("E03", "2026-07", "execution", supervisor=60),
                 *rated("E04", "2026-06", "execution", supervisor=50), *rated("E04", "2026-07", "execution", supervisor=55),
                 *rated("E05", "2026-05", "execution", supervisor=50), *rated("E05", "2026-07", "execution", supervisor=50),
                 *rated("E06", "2026-07", "execution", supervisor=80),
                 *rated("E07", "2026-07", "execution", supervisor=70, peer=40)],
        compliance=["E02,2026-08,expense claims,yes,late receipts", "E03,2026-07,data privacy,no,"],
    )


@pytest.fixture
def team(tmp_path):
    return load_store(sources_for_data(str(team_sheet(tmp_path / "team"))))


def by_id(appraisal):
    return {r.employee_id: r for r in appraisal.results}


def test_month_scores_grades_bonus_and_flags_by_hand(team):
    july = appraise(team, CFG, "2026-07", SYSTEM)
    r = by_id(july)
    assert list(r) == ["E01", "E02", "E03", "E04", "E05", "E06", "E07"]  # E08 inactive, E09 not hired yet
    summary = {eid: (x.grade, x.bonus_multiplier, x.flags, x.promotion_eligible) for eid, x in r.items()}
    assert summary == {
        "E01": ("S", 1.5, ("calibration",), True),
        "E02": ("S", 1.5, (), False),
        "E03": ("C", 0.8, (), True),
        "E04": ("D", 0.0, ("coaching_plan",), True),
        "E05": ("D", 0.0, (), True),
        "E06": ("A", 1.2, ("incomplete",), True),
        "E07": ("B", 1.0, ("calibration",), True),
    }
    assert r["E01"].score == pytest.approx(E01_SCORE) and round(r["E01"].score, 1) == 94.2
    assert r["E02"].score == 90 and r["E03"].score == 60 and r["E04"].score == 55
    assert r["E06"].score == 80 and r["E07"].score == 70
    assert r["E01"].indicators["marketing_efficiency"].score == pytest.approx(290 / 3)
    assert r["E01"].indicators["execution"].rater_means == {"cross_dept": 90, "peer": 60, "self": 100,
                                                            "supervisor": 80}


def test_a_zero_target_is_a_data_issue_and_makes_the_result_incomplete(team):
    july = appraise(team, CFG, "2026-07", SYSTEM)
    e06 = july.result("E06")
    assert e06.indicators["sales_achievement"].score is None
    assert [(m.indicator, m.reason) for m in e06.missing] == [("sales_achievement", "not_scored")]
    assert [str(i) for i in july.issues] == [
        "warning: tab kpi_actuals, row 64, column target: a target of 0 or less cannot be scored, the row is left "
        "out of the appraisal: 0.0 (expected a target above 0)",
        "warning: tab calibrations: not loaded: no calibrated score is applied",
    ]


def test_a_missing_month_breaks_the_coaching_streak(team):
    july = appraise(team, CFG, "2026-07", SYSTEM)
    assert july.coaching_months == {"E04": ["2026-07"]}
    assert july.monthly["2026-06"]["E05"] is None and july.monthly["2026-07"]["E05"] == 50
    june = appraise(team, CFG, "2026-06", SYSTEM)
    assert "coaching_plan" not in june.result("E04").flags  # May has no score for E04


def test_a_person_with_no_rows_is_incomplete_with_null_score_and_grade(team):
    august = appraise(team, CFG, "2026-08", SYSTEM)
    e09 = august.result("E09")  # hired 1 August, nothing entered yet
    assert (e09.score, e09.grade, e09.bonus_multiplier, e09.flags) == (None, None, None, ("incomplete",))
    assert [(m.indicator, m.reason) for m in e09.missing] == [
        ("sales_achievement", "no_kpi_rows"), ("customer_growth", "no_kpi_rows"),
        ("marketing_efficiency", "no_kpi_rows"), ("execution", "no_ratings")]
    # E02's violation is in August: vetoed there whatever the (missing) score
    e02 = august.result("E02")
    assert (e02.grade, e02.bonus_multiplier, e02.flags) == ("D", 0.0, ("veto", "incomplete"))


def test_team_views_of_the_month(team):
    july = appraise(team, CFG, "2026-07", SYSTEM)
    assert [(d.department, d.people, round(d.mean, 4), d.rank) for d in july.departments] == [
        (BRAND, 4, round((E01_SCORE + 90 + 60 + 55) / 4, 4), 1), (DIGITAL, 3, round(200 / 3, 4), 2)]
    assert july.cut_score == 55 and july.cut_group_size == 7  # k = ceil(1.4) = 2: the 2nd lowest of 7
    assert [(a.period, [w.employee_id for w in a.winners]) for a in july.stars] == [("2026-07", ["E01"])]
    assert [(a.period, a.winners) for a in july.innovation_awards] == [("2026-Q3", ())]  # no quarter ratings yet
    queue = [(c.employee_id, c.dimension, c.spread, c.pending) for c in july.calibration_queue]
    assert queue == [("E01", "execution", 30.0, True), ("E07", "execution", 30.0, True)]
    assert july.compliance == [{"employee_id": "E03", "month": "2026-07", "item": "data privacy",
                                "violation": False, "note": None}]


# ---- quarter: a veto overrides an S ------------------------------------------------------

def quarter_sheet(folder):
    team_sheet(folder)
    extra_kpi = [*uniform("E02", "2026-08", 90), *uniform("E02", "2026-09", 90)]
    extra_ratings = [*rated("E02", "2026-Q3", "innovation", supervisor=95),
                     *rated("E02", "2026-Q3", "teamwork", supervisor=95),
                     *rated("E02", "2026-Q3", "execution", supervisor=95),
                     *rated("E01", "2026-Q3", "innovation", supervisor=100, cross_dept=100),
                     *rated("E01", "2026-Q3", "teamwork", supervisor=90)]
    for tab, lines in (("kpi_actuals", extra_kpi), ("ratings", extra_ratings)):
        with open(folder / f"{tab}.csv", "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return folder


def test_a_veto_overrides_an_s_in_the_quarter(tmp_path):
    store = load_store(sources_for_data(str(quarter_sheet(tmp_path / "q"))))
    q3 = appraise(store, CFG, "2026-Q3", SYSTEM)
    e02 = q3.result("E02")
    # (30 + 20 + 10) x 90 + (15 + 10 + 15) x 95 = 9200 over 100 = 92: an S without the violation
    assert e02.score == 92
    assert (e02.grade, e02.bonus_multiplier, e02.flags, e02.promotion_eligible) == ("D", 0.0, ("veto",), False)
    # E01: July's quantitative scores, innovation 100, teamwork 90; nobody rated execution for the quarter,
    # so it is the mean of its monthly execution scores (July's 83):
    # (30 x 95 + 20 x 100 + 10 x 96.67 + 15 x 83 + 15 x 100 + 10 x 90) / 100 = 94.62 -> S, flagged s_grade
    e01 = q3.result("E01")
    assert e01.score == pytest.approx((30 * 95 + 20 * 100 + 10 * 290 / 3 + 15 * 83 + 15 * 100 + 10 * 90) / 100)
    assert (e01.grade, e01.flags) == ("S", ("s_grade",))
    assert (e01.indicators["execution"].score, e01.indicators["execution"].from_periods) == (83, ("2026-07",))
    assert e02.indicators["execution"].from_periods == ()  # rated for the quarter itself: 95, not July's 90
    e03 = q3.result("E03")
    assert [(m.indicator, m.reason) for m in e03.missing] == [("innovation", "no_ratings"), ("teamwork", "no_ratings")]
    assert e03.flags == ("incomplete",) and e03.score == 60
    assert [(a.period, [w.employee_id for w in a.winners]) for a in q3.innovation_awards] == [("2026-Q3", ["E01"])]
    assert [a.period for a in q3.stars] == ["2026-07", "2026-08", "2026-09"]
    assert [w.employee_id for w in q3.stars[1].winners] == ["E02"]  # the only score of August


# ---- a year, with a small scheme: sales (monthly) 60 + innovation (quarterly) 40 -------------

YEAR_SCHEME = """
indicators:
  sales_achievement:
    label: {en: Sales, zh: 销售}
    kind: quantitative
    weight: 60
    cycles: [month, quarter, year]
    sub_indicators: {sales: higher}
  innovation:
    label: {en: Innovation, zh: 创新}
    kind: qualitative
    weight: 40
    cycles: [quarter]
grades:
  - {grade: S, min: 90, bonus_multiplier: 1.5}
  - {grade: A, min: 80, bonus_multiplier: 1.2}
  - {grade: B, min: 70, bonus_multiplier: 1.0}
  - {grade: C, min: 60, bonus_multiplier: 0.8}
  - {grade: D, bonus_multiplier: 0.0}
ranking: {group: %s}
"""

# employee: (department, active, annual sales score, months with a score)
YEAR_TEAM = {"A": ("D1", True, 100, 12), "B": ("D1", True, 80, 12), "C": ("D1", True, 60, 12),
             "D": ("D1", True, 90, 5), "H": ("D1", False, 50, 12),
             "E": ("D2", True, 60, 6), "F": ("D2", True, 70, 12), "G": ("D2", True, 80, 12),
             "I": ("D3", True, 75, 12), "J": ("D4", True, 50, 12), "K": ("D4", True, 90, 12)}


def year_store(tmp_path, group="center"):
    from lib.appraisal.config import load_appraisal_config as load

    (tmp_path / "scheme.yaml").write_text(YEAR_SCHEME % group, encoding="utf-8")
    staff, kpi = [], []
    for eid, (dept, active, score, months) in YEAR_TEAM.items():
        staff.append(f"{eid},{eid},{dept},specialist,,2020-01-01,{'yes' if active else 'no'}")
        kpi += [f"{eid},2026-{m:02d},sales,100,{score}" for m in range(1, months + 1)]
    folder = write_sheet(tmp_path / "year", staff=staff, kpi_actuals=kpi, ratings=[], compliance=[])
    return load_store(sources_for_data(str(folder))), load(tmp_path / "scheme.yaml")


def test_year_ranks_bottom_20_with_ties_top_teams_and_insufficient_data(tmp_path):
    store, cfg = year_store(tmp_path)
    year = by_id(appraise(store, cfg, "2026", SYSTEM))
    # ranked: A100 K90 B80 G80 I75 F70 C60 E60 J50 -> n = 9, k = ceil(1.8) = 2, 2nd lowest = 60
    assert {eid: r.rank for eid, r in year.items()} == {
        "A": 1, "K": 2, "B": 3, "G": 3, "I": 5, "F": 6, "C": 7, "E": 7, "J": 9, "D": None, "H": None}
    assert sorted(e for e, r in year.items() if "bottom_20" in r.flags) == ["C", "E", "J"]  # 3 > k: the tie at 60
    assert year["E"].monthly_scores == 6 and "insufficient_data" not in year["E"].flags  # exactly 6 is enough
    assert year["D"].monthly_scores == 5 and year["D"].flags == ("top_team", "insufficient_data")
    assert year["H"].flags == ()  # inactive: not ranked, nothing to flag
    # departments by the mean of ranked members: D1 80, D3 75, D2 70, D4 70 (tied with the third)
    assert sorted(e for e, r in year.items() if "top_team" in r.flags) == ["A", "B", "C", "D", "E", "F", "G", "I",
                                                                           "J", "K"]


def test_year_ranking_per_department(tmp_path):
    store, cfg = year_store(tmp_path, group="department")
    year = by_id(appraise(store, cfg, "2026", SYSTEM))
    assert sorted(e for e, r in year.items() if "bottom_20" in r.flags) == ["C", "E", "I", "J"]  # one per group
    assert (year["A"].rank, year["K"].rank, year["J"].rank, year["I"].rank) == (1, 1, 2, 1)


def test_year_view_of_a_department_manager(tmp_path):
    store, cfg = year_store(tmp_path, group="department")
    manager = Viewer("d1-lead", "manager", "A", "D1")
    year = appraise(store, cfg, "2026", manager)
    assert [r.employee_id for r in year.results] == ["A", "B", "C", "D", "H"]
    assert year.cut_score == 60 and year.cut_group_size == 3  # their own ranking group, all of it visible
    # every department has fewer than 4 ranked people: no average is shown to a manager
    assert {d.department: (d.mean, d.hidden) for d in year.departments} == {
        "D1": (None, True), "D2": (None, True), "D3": (None, True), "D4": (None, True)}
    assert [d.top_team for d in year.departments] == [True] * 4


# ---- who sees what ---------------------------------------------------------------------------

@pytest.mark.parametrize("viewer,expected", [
    (Viewer("chen", "staff", "E03", BRAND), ["E03"]),
    (Viewer("alice", "manager", "E01", BRAND), ["E01", "E02", "E03", "E04"]),
    (Viewer("eve", "manager", "E05", DIGITAL), ["E05", "E06", "E07"]),
    (Viewer("boss", "director"), ["E01", "E02", "E03", "E04", "E05", "E06", "E07"]),
    (Viewer("hr", "admin"), ["E01", "E02", "E03", "E04", "E05", "E06", "E07"]),
    (Viewer("screen", "viewer"), []),
    (Viewer("who", "auditor", "E01", BRAND), []),  # unknown role: nothing
    (Viewer("nobody", "staff"), []),  # staff without an employee_id
    (Viewer("lost", "manager"), []),  # manager without a department
])
def test_rows_are_filtered_in_lib_by_role(team, viewer, expected):
    july = appraise(team, CFG, "2026-07", viewer)
    assert [r.employee_id for r in july.results] == expected
    assert set(july.monthly["2026-06"]) == set(expected)
    assert {c.employee_id for c in july.calibration_queue} <= set(expected)
    assert {w.employee_id for a in july.stars for w in a.winners} <= set(expected)


def test_small_group_averages_and_the_cut_are_hidden_below_director(team):
    staff = appraise(team, CFG, "2026-07", Viewer("chen", "staff", "E03", BRAND))
    assert [(d.department, d.hidden, d.mean is None) for d in staff.departments] == [
        (BRAND, False, False), (DIGITAL, True, True)]  # 4 people shown, 3 hidden
    assert staff.cut_score is None  # the cut is another person's score
    assert staff.stars[0].winners == () and staff.stars[0].hidden == 1
    assert staff.issues == [i for i in staff.issues if i.tab == "calibrations"]  # E06's row is not theirs
    director = appraise(team, CFG, "2026-07", Viewer("boss", "director"))
    assert [d.hidden for d in director.departments] == [False, False]
    assert director.cut_score == 55


def test_a_trend_is_only_given_for_people_the_viewer_may_see(team):
    chen = Viewer("chen", "staff", "E03", BRAND)
    assert monthly_trend(team, CFG, "E01", "2026-07", chen) == []
    trend = monthly_trend(team, CFG, "E03", "2026-07", chen, months=3)
    assert trend == [("2026-05", None), ("2026-06", 50), ("2026-07", 60)]


def test_staff_and_kpi_actuals_are_needed(tmp_path):
    folder = write_sheet(tmp_path / "no-kpi", staff=[f"E01,Alice,{BRAND},manager,,2019-03-01,yes"])
    store = load_store(sources_for_data(str(folder)))
    with pytest.raises(MissingTabError, match="kpi_actuals"):
        appraise(store, CFG, "2026-07", SYSTEM)


def test_a_year_without_a_year_rating_uses_the_mean_of_its_quarters(tmp_path):
    folder = team_sheet(tmp_path / "team")
    with open(folder / "ratings.csv", "a", encoding="utf-8") as f:
        f.write("\n".join([*rated("E02", "2026-Q1", "innovation", supervisor=80),
                           *rated("E02", "2026-Q2", "innovation", supervisor=90),
                           *rated("E03", "2026-Q1", "innovation", supervisor=70),
                           *rated("E03", "2026", "innovation", supervisor=40, self=95)]) + "\n")
    year = appraise(load_store(sources_for_data(str(folder))), CFG, "2026", SYSTEM)
    e02, e03 = year.result("E02").indicators["innovation"], year.result("E03").indicators["innovation"]
    assert (e02.score, e02.from_periods) == (85, ("2026-Q1", "2026-Q2"))
    assert (e03.score, e03.from_periods) == (40, ())  # rated for the year itself: that counts, Q1 does not
    assert year.result("E03").indicators["innovation"].rater_means == {"self": 95, "supervisor": 40}
