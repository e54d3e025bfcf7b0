"""One period's appraisal: scores, grades, bonus multipliers, flags, ranks, team views.

Everything is computed over everyone first (a bottom-20% cut, a team mean or an award
depends on all people), then `appraise` keeps only what the viewer may see: staff their
own rows, managers their department, directors and admins everyone, other roles nothing;
group averages over fewer than 4 people are hidden below director level.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.appraisal.config import AppraisalConfig
from lib.appraisal.data import Inputs, load_inputs, read_staff, require
from lib.appraisal.flags import FlagContext, coaching_streak, flags_of
from lib.appraisal.model import (Appraisal, AppraisalPeriod, Award, CalibrationItem, DataIssue,
                                 DepartmentScore, PersonScore, Result, Winner, months_before)
from lib.appraisal.ranking import YearRanking, bottom_cut, competition_ranks, rank_year, score_key
from lib.appraisal.scoring import qualitative_results, rating_issues, score_kpi_rows, score_period
from lib.issues import Issue
from lib.store import Store
from lib.validate import ROW


def grade_for(cfg: AppraisalConfig, score: float | None, vetoed: bool) -> str | None:
    """The band of the score; a compliance violation overrides it with the veto grade."""
    return cfg.veto_grade if vetoed else cfg.grade_of(score)


def promotion_eligible(eid: str, violations_in_year: set[str]) -> bool:
    """Not in the calendar year of a compliance violation."""
    return eid not in violations_in_year


@dataclass
class Everyone:
    """A period computed for every appraised person; never handed to a page as is."""

    cfg: AppraisalConfig
    period: AppraisalPeriod
    staff: pd.DataFrame  # indexed by employee_id
    results: dict[str, Result]
    scores: dict[str, PersonScore]
    monthly: dict[str, dict[str, float | None]]
    coaching_months: dict[str, list[str]]
    compliance: pd.DataFrame
    issues: list[DataIssue]
    general_issues: list[Issue]
    ranking: YearRanking | None
    innovation: dict[str, dict[str, float | None]]  # quarter -> employee_id -> innovation score


# ---------------------------------------------------------------------------------------
# computing over everyone


def compute(store: Store, cfg: AppraisalConfig, period: AppraisalPeriod) -> Everyone:
    lookback = months_before(period.months[0], cfg.coaching.months_in_a_row - 1)
    months = lookback + period.months
    year = AppraisalPeriod.of(period.year)
    quarter_months = [m for q in period.quarters for m in AppraisalPeriod.of(q).months]
    inputs = load_inputs(store, months, [period.label, *months, *period.quarters, *quarter_months],
                         compliance_months=year.months)
    staff = inputs.staff.drop_duplicates("employee_id").set_index("employee_id")
    people = appraised_people(inputs, staff, period)

    scored, _ = score_kpi_rows(inputs.kpi, cfg)
    scores = score_period(inputs, scored, cfg, period, people)
    monthly = {m: ({eid: s.score for eid, s in scores.items()} if m == period.label else
                   {eid: s.score for eid, s in score_period(inputs, scored, cfg, AppraisalPeriod.of(m), people).items()})
               for m in months}
    coaching = {eid: [m for m in period.months if coaching_streak(monthly, eid, m, cfg.coaching.below,
                                                                  cfg.coaching.months_in_a_row)]
                for eid in people}
    coaching = {eid: ms for eid, ms in coaching.items() if ms}

    violations = inputs.compliance[inputs.compliance["violation"] == True]  # noqa: E712 - a pandas mask
    vetoed = set(violations.loc[violations["month"].isin(period.months), "employee_id"]) & set(people)
    violation_year = set(violations["employee_id"])
    grades = {eid: grade_for(cfg, scores[eid].score, eid in vetoed) for eid in people}
    department = {eid: str(staff.at[eid, "department"]) for eid in people}
    active = {eid: bool(staff.at[eid, "active"]) for eid in people}

    ranking = None
    if period.grain == "year":
        counts = {eid: sum(monthly[m].get(eid) is not None for m in period.months) for eid in people}
        ranking = rank_year({eid: scores[eid].score for eid in people}, counts, active, department,
                            cfg.ranking.min_monthly_scores, cfg.ranking.bottom_share,
                            cfg.ranking.group == "department", cfg.ranking.top_teams)

    ctx = FlagContext(cfg, period, scores, grades, vetoed, monthly, department, active, ranking, coaching)
    flags = flags_of(ctx)
    results = {}
    for eid in people:
        row = staff.loc[eid]
        results[eid] = Result(
            employee_id=eid, name=str(row["name"]), department=department[eid],
            level=None if pd.isna(row["level"]) else str(row["level"]), period=period.label,
            score=scores[eid].score, grade=grades[eid], bonus_multiplier=cfg.bonus_of(grades[eid]),
            flags=flags[eid], promotion_eligible=promotion_eligible(eid, violation_year),
            rank=ranking.rank.get(eid) if ranking else None,
            indicators=scores[eid].indicators, missing=scores[eid].missing,
            monthly_scores=sum(monthly[m].get(eid) is not None for m in period.months) if ranking else None,
        )
    return Everyone(cfg, period, staff, results, scores, monthly, coaching,
                    inputs.compliance[inputs.compliance["month"].isin(period.months)],
                    period_issues(inputs, cfg, period), absent_tab_issues(inputs), ranking,
                    innovation_scores(inputs, cfg, period, scores, people))


def appraised_people(inputs: Inputs, staff: pd.DataFrame, period: AppraisalPeriod) -> list[str]:
    """Active staff hired by the period's end, and anyone else with rows in the period."""
    with_rows = set(inputs.kpi.loc[inputs.kpi["month"].isin(period.months), "employee_id"]) | \
        set(inputs.ratings.loc[inputs.ratings["period"] == period.label, "employee_id"])
    hired = pd.to_datetime(staff["hire_date"], errors="coerce")
    out = []
    for eid in staff.index:
        started = pd.isna(hired[eid]) or hired[eid].date() <= period.end
        if eid in with_rows or (bool(staff.at[eid, "active"]) and started):
            out.append(eid)
    return sorted(out)


def period_issues(inputs: Inputs, cfg: AppraisalConfig, period: AppraisalPeriod) -> list[DataIssue]:
    """Rows of the period the appraisal cannot use: kpi rows that cannot be scored, ratings and
    calibrations of a dimension that is not appraised in this kind of period."""
    _, kpi = score_kpi_rows(inputs.kpi[inputs.kpi["month"].isin(period.months)], cfg)
    return kpi + rating_issues(inputs.ratings, cfg, period) + \
        rating_issues(inputs.calibrations, cfg, period, tab="calibrations")


def absent_tab_issues(inputs: Inputs) -> list[Issue]:
    effects = {"ratings": "qualitative indicators have no score",
               "compliance": "vetoes cannot be checked",
               "calibrations": "no calibrated score is applied"}
    return [Issue("warning", f"not loaded: {effects[tab]}", tab=tab) for tab in inputs.absent]


def innovation_scores(inputs: Inputs, cfg: AppraisalConfig, period: AppraisalPeriod,
                      scores: dict[str, PersonScore], people: list[str]) -> dict[str, dict[str, float | None]]:
    """The award indicator's score in each quarter the period touches."""
    indicator = cfg.awards.innovation
    out = {}
    for quarter in period.quarters:
        if quarter == period.label:
            out[quarter] = {eid: s.indicators[indicator].score for eid, s in scores.items()}
        else:
            results = qualitative_results(inputs, cfg, AppraisalPeriod.of(quarter), indicator, people)
            out[quarter] = {eid: r.score for eid, (r, _) in results.items()}
    return out


# ---------------------------------------------------------------------------------------
# what one viewer sees


def appraise(store: Store, cfg: AppraisalConfig, period: AppraisalPeriod | str, viewer: Viewer) -> Appraisal:
    period = AppraisalPeriod.of(period) if isinstance(period, str) else period
    return scope(compute(store, cfg, period), viewer)


def scope(every: Everyone, viewer: Viewer) -> Appraisal:
    visible = access.visible_employees(viewer, every.staff.reset_index())
    results = [r for eid, r in sorted(every.results.items()) if eid in visible]
    mine = set(r.employee_id for r in results)
    cut, group_size = cut_line(every, mine, visible)
    return Appraisal(
        period=every.period,
        results=results,
        issues=[d.issue for d in every.issues if d.employee_id in visible] + every.general_issues,
        monthly={m: {eid: s for eid, s in scores.items() if eid in mine} for m, scores in every.monthly.items()},
        coaching_months={eid: ms for eid, ms in every.coaching_months.items() if eid in mine},
        compliance=[_plain_row(r) for r in every.compliance.to_dict("records") if r["employee_id"] in mine],
        departments=department_ranking(every, viewer),
        cut_score=cut,
        cut_group_size=group_size,
        stars=[award("marketing_star", m, every.monthly[m], every, mine) for m in every.period.months],
        innovation_awards=[award("innovation", q, every.innovation[q], every, mine) for q in every.period.quarters],
        calibration_queue=calibration_queue(every, mine),
        absent_tabs=tuple(i.tab for i in every.general_issues),
    )


def _plain_row(row: dict) -> dict:
    return {k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else v) for k, v in row.items() if k != ROW}


def cut_groups(every: Everyone) -> dict[str, dict[str, float]]:
    """Ranking group -> scores that decide its bottom-20% cut (the ranked people of a year;
    in a month or quarter, for orientation only, everyone with a score)."""
    if every.ranking:
        groups: dict[str, dict[str, float]] = {}
        for eid, score in every.ranking.annual.items():
            groups.setdefault(every.ranking.group_of[eid], {})[eid] = score
        return groups
    by_dept = every.cfg.ranking.group == "department"
    groups = {}
    for eid, r in every.results.items():
        if r.score is not None:
            groups.setdefault(r.department if by_dept else "center", {})[eid] = r.score
    return groups


def cut_line(every: Everyone, mine: set[str], visible: set[str]) -> tuple[float | None, int]:
    """The cut of the one ranking group that holds the viewer's scored people, shown only
    when the viewer may see every member of that group (the cut is one person's score)."""
    holding = [members for members in cut_groups(every).values() if mine & set(members)]
    if len(holding) != 1 or not set(holding[0]) <= visible:
        return None, 0
    return bottom_cut(list(holding[0].values()), every.cfg.ranking.bottom_share), len(holding[0])


def department_ranking(every: Everyone, viewer: Viewer) -> list[DepartmentScore]:
    """Departments by mean score (a year: of their ranked members), best first."""
    if every.ranking:
        means = dict(every.ranking.team_means)
        tops = every.ranking.top_teams
    else:
        grouped: dict[str, list[float]] = {}
        for r in every.results.values():
            if r.score is not None:
                grouped.setdefault(r.department, []).append(r.score)
        means = {d: (sum(v) / len(v), len(v)) for d, v in grouped.items()}
        tops = set()
    ranks = competition_ranks({d: m for d, (m, _) in means.items()})
    out = []
    for dept, (mean, n) in means.items():
        shown = access.may_see_group_averages(viewer, n)
        out.append(DepartmentScore(dept, n, mean if shown else None, ranks[dept] if shown else None,
                                   dept in tops, hidden=not shown))
    return sorted(out, key=lambda d: (d.rank is None, d.rank or 0, d.department))


def award(kind: str, period: str, scores: dict[str, float | None], every: Everyone, mine: set[str]) -> Award:
    """The highest score wins (ties all win); winners outside the viewer's rows are only counted."""
    scored = {eid: s for eid, s in scores.items() if s is not None}
    if not scored:
        return Award(kind, period, ())
    best = max(score_key(s) for s in scored.values())
    winners = sorted(eid for eid, s in scored.items() if score_key(s) == best)
    shown = tuple(Winner(eid, every.results[eid].name, every.results[eid].department, scored[eid])
                  for eid in winners if eid in mine)
    return Award(kind, period, shown, hidden=len(winners) - len(shown))


def calibration_queue(every: Everyone, mine: set[str]) -> list[CalibrationItem]:
    """Dimensions whose non-self ratings are too far apart (pending), and those the committee
    has settled, for the people the viewer sees."""
    limit = every.cfg.calibration.max_spread
    out = []
    for eid in sorted(mine):
        result = every.results[eid]
        for name, ind in result.indicators.items():
            too_far = ind.spread is not None and ind.spread > limit
            if ind.kind == "qualitative" and (too_far or ind.calibration is not None):
                out.append(CalibrationItem(eid, result.name, result.department, result.period, name, ind.spread,
                                           ind.rater_means, ind.computed, ind.calibration))
    return out


def monthly_trend(store: Store, cfg: AppraisalConfig, employee_id: str, end_month: str, viewer: Viewer,
                  months: int = 12) -> list[tuple[str, float | None]]:
    """(month, monthly score) for the `months` months up to end_month; empty when the
    viewer may not see this person."""
    require(store)
    if employee_id not in access.visible_employees(viewer, read_staff(store)):
        return []
    span = [*months_before(end_month, months - 1), end_month]
    inputs = load_inputs(store, span, span).only({employee_id})
    scored, _ = score_kpi_rows(inputs.kpi, cfg)
    return [(m, score_period(inputs, scored, cfg, AppraisalPeriod.of(m), [employee_id])[employee_id].score)
            for m in span]
