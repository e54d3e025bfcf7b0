"""The flags of the scheme (docs/appraisal.md, "Flags"), one small rule each.

Every rule takes the FlagContext of one period (computed over everyone, before any viewer
filter, because a cut or a team mean depends on everyone) and returns the employee_ids it
flags. FLAG_RULES is the one place they are registered; the rule's name is the flag.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lib.appraisal.config import AppraisalConfig
from lib.appraisal.model import AppraisalPeriod, PersonScore, months_before
from lib.appraisal.ranking import YearRanking


@dataclass
class FlagContext:
    cfg: AppraisalConfig
    period: AppraisalPeriod
    scores: dict[str, PersonScore]  # the period's scores of everyone appraised
    grades: dict[str, str | None]  # after the veto
    vetoed: set[str]  # a violation inside the period
    monthly: dict[str, dict[str, float | None]]  # month -> employee_id -> monthly score
    department: dict[str, str]
    active: dict[str, bool]
    ranking: YearRanking | None = None  # years only
    # The months in which coaching_plan fires (any period, for the coaching list).
    coaching_months: dict[str, list[str]] = field(default_factory=dict)


def coaching_streak(monthly: dict[str, dict[str, float | None]], eid: str, month: str, below: float,
                    months_in_a_row: int) -> bool:
    """The scores of `month` and the calendar months before it all exist and are below the line.
    A month without a score breaks the streak."""
    for m in [*months_before(month, months_in_a_row - 1), month]:
        score = monthly.get(m, {}).get(eid)
        if score is None or not score < below:
            return False
    return True


def s_grade(ctx: FlagContext) -> set[str]:
    """A quarter graded S (bonus 150%, first in line for external training and summits)."""
    if ctx.period.grain != "quarter":
        return set()
    return {eid for eid, grade in ctx.grades.items() if grade == ctx.cfg.top_grade}


def coaching_plan(ctx: FlagContext) -> set[str]:
    """This month and the month before both scored below 60."""
    if ctx.period.grain != "month":
        return set()
    return {eid for eid, months in ctx.coaching_months.items() if ctx.period.label in months}


def veto(ctx: FlagContext) -> set[str]:
    """A compliance violation in the period: grade D and no bonus, whatever the score."""
    return set(ctx.vetoed)


def calibration(ctx: FlagContext) -> set[str]:
    """A qualitative dimension whose non-self ratings are more than 20 points apart, and no
    calibration recorded for it yet."""
    limit = ctx.cfg.calibration.max_spread
    return {eid for eid, ps in ctx.scores.items()
            if any(r.spread is not None and r.spread > limit and r.calibration is None
                   for r in ps.indicators.values())}


def bottom_20(ctx: FlagContext) -> set[str]:
    """Annual: at or below the k-th lowest annual score of the ranking group."""
    return ctx.ranking.bottom() if ctx.ranking else set()


def top_team(ctx: FlagContext) -> set[str]:
    """Annual: every active member of one of the top departments by mean annual score."""
    if not ctx.ranking:
        return set()
    return {eid for eid in ctx.scores if ctx.active[eid] and ctx.department[eid] in ctx.ranking.top_teams}


def incomplete(ctx: FlagContext) -> set[str]:
    """An applicable indicator has no score, or the person has no score at all."""
    return {eid for eid, ps in ctx.scores.items() if ps.score is None or ps.missing}


def insufficient_data(ctx: FlagContext) -> set[str]:
    """Annual: active, but too few monthly scores (or no annual score) to be ranked."""
    return set(ctx.ranking.insufficient) if ctx.ranking else set()


FLAG_RULES = (s_grade, coaching_plan, veto, calibration, bottom_20, top_team, incomplete, insufficient_data)
FLAGS = tuple(rule.__name__ for rule in FLAG_RULES)


def flags_of(ctx: FlagContext) -> dict[str, tuple[str, ...]]:
    """employee_id -> its flags, in the order of FLAG_RULES."""
    fired = {rule.__name__: rule(ctx) for rule in FLAG_RULES}
    return {eid: tuple(name for name in FLAGS if eid in fired[name]) for eid in ctx.scores}
