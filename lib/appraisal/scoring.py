"""Steps 1-5 of the scheme (docs/appraisal.md, "Scores"), one small function per rule.

1. a kpi_actuals row -> a monthly sub-indicator score (rows that cannot be scored are
   reported by the checks in KPI_ROW_CHECKS and left out, never scored as 0);
2. a quarter's or year's sub-indicator score = mean of its monthly scores;
3. a quantitative indicator = mean of its scored sub-indicators;
4. a qualitative dimension = rater-type means combined by rater weight (self never counts),
   replaced by a calibrated score when the committee recorded one; without ratings for
   the period itself, the mean of its scores in the shorter periods inside it (execution
   is rated monthly: its quarter score is the mean of its monthly scores);
5. the period score = weighted mean over the applicable indicators that have a score.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd

from lib.appraisal.config import AppraisalConfig, RaterWeights
from lib.appraisal.data import Inputs
from lib.appraisal.model import (AppraisalPeriod, Calibrated, DataIssue, IndicatorResult, Missing,
                                 PersonScore)
from lib.issues import Issue
from lib.validate import ROW

# ---------------------------------------------------------------------------------------
# step 1: a kpi_actuals row


def sub_indicator_score(direction: str, target: float, actual: float, cap: float) -> float:
    """higher: 100 * actual / target; lower: 100 * target / actual; clipped to [0, cap]."""
    raw = 100 * actual / target if direction == "higher" else 100 * target / actual
    return min(max(raw, 0.0), cap)


@dataclass(frozen=True)
class RowProblem:
    column: str
    message: str
    expected: str | None = None
    hint: str | None = None


def unknown_sub_indicator(row, cfg: AppraisalConfig) -> RowProblem | None:
    if row.indicator in cfg.sub_indicators:
        return None
    close = difflib.get_close_matches(str(row.indicator), list(cfg.sub_indicators), n=1, cutoff=0.6)
    return RowProblem("indicator", "unknown sub-indicator, the row is left out of the appraisal",
                      expected="one of " + ", ".join(cfg.sub_indicators),
                      hint=f"did you mean {close[0]!r}?" if close else None)


def target_not_positive(row, cfg: AppraisalConfig) -> RowProblem | None:
    if row.target > 0:
        return None
    return RowProblem("target", "a target of 0 or less cannot be scored, the row is left out of the appraisal",
                      expected="a target above 0")


def actual_not_positive_when_lower(row, cfg: AppraisalConfig) -> RowProblem | None:
    if cfg.sub_indicators[row.indicator][1] != "lower" or row.actual > 0:
        return None
    return RowProblem("actual", f"{row.indicator} is lower-is-better, so an actual of 0 or less cannot be "
                                "scored, the row is left out of the appraisal", expected="an actual above 0")


# In order: a later check runs only when the ones before found nothing.
KPI_ROW_CHECKS = (unknown_sub_indicator, target_not_positive, actual_not_positive_when_lower)


def _rows(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """Rows with attribute access, the sheet row number (_row) included."""
    return [SimpleNamespace(**record) for record in frame.to_dict("records")]


def score_kpi_rows(kpi: pd.DataFrame, cfg: AppraisalConfig) -> tuple[pd.DataFrame, list[DataIssue]]:
    """Every kpi_actuals row with its indicator and score (NaN when it cannot be scored)."""
    issues: list[DataIssue] = []
    out = []
    for row in _rows(kpi):
        problem = next((p for check in KPI_ROW_CHECKS if (p := check(row, cfg)) is not None), None)
        parent, direction = cfg.sub_indicators.get(row.indicator, (None, None))
        score = math.nan
        if problem is None:
            score = sub_indicator_score(direction, row.target, row.actual, cfg.score_cap)
        else:
            sheet_row = getattr(row, ROW)
            issues.append(DataIssue(row.employee_id, Issue(
                "warning", problem.message, tab="kpi_actuals", row=None if pd.isna(sheet_row) else int(sheet_row),
                column=problem.column, value=getattr(row, problem.column), expected=problem.expected,
                hint=problem.hint)))
        out.append((row.employee_id, row.month, row.indicator, parent, score))
    frame = pd.DataFrame(out, columns=["employee_id", "month", "sub_indicator", "indicator", "score"])
    return frame.astype({"score": float}), issues


# ---------------------------------------------------------------------------------------
# steps 2-3: quantitative indicators


def mean_or_none(values) -> float | None:
    values = [v for v in values if v is not None and not math.isnan(v)]
    return sum(values) / len(values) if values else None


def quantitative_score(sub_scores: dict[str, float]) -> float | None:
    """Mean of the scored sub-indicators of the indicator."""
    return mean_or_none(sub_scores.values())


def quantitative_results(scored: pd.DataFrame, cfg: AppraisalConfig, period: AppraisalPeriod,
                         indicator: str, employee_ids: list[str]) -> dict[str, tuple[IndicatorResult, Missing | None]]:
    ind = cfg.indicators[indicator]
    rows = scored[(scored["indicator"] == indicator) & scored["month"].isin(period.months)]
    means = rows.dropna(subset=["score"]).groupby(["employee_id", "sub_indicator"])["score"].mean().to_dict()
    with_rows = set(rows["employee_id"])
    out = {}
    for eid in employee_ids:
        subs = {sub: float(means[(eid, sub)]) for sub in ind.sub_indicators if (eid, sub) in means}
        score = quantitative_score(subs)
        missing = None
        if score is None:
            missing = Missing(indicator, "not_scored" if eid in with_rows else "no_kpi_rows")
        out[eid] = (IndicatorResult(indicator, ind.kind, ind.weight, score, score, sub_scores=subs), missing)
    return out


# ---------------------------------------------------------------------------------------
# step 4: qualitative dimensions


def rater_type_means(ratings: pd.DataFrame) -> tuple[dict[str, float], dict[str, int]]:
    """(mean per rater type, ratings per rater type) of one person's ratings."""
    return summarise_raters(list(zip(ratings["rater_type"], ratings["score"])))


def summarise_raters(pairs: list[tuple[str, float]]) -> tuple[dict[str, float], dict[str, int]]:
    by_type: dict[str, list[float]] = {}
    for rater_type, score in pairs:
        by_type.setdefault(rater_type, []).append(float(score))
    return ({k: sum(v) / len(v) for k, v in by_type.items()}, {k: len(v) for k, v in by_type.items()})


def combine_rater_types(means: dict[str, float], weights: RaterWeights) -> float | None:
    """Weighted over the rater types present with a weight above 0; self has none."""
    counted = {t: weights.of(t) for t in means if t != "self" and weights.of(t) > 0}
    total = sum(counted.values())
    if not total:
        return None
    return sum(w * means[t] for t, w in counted.items()) / total


def non_self_spread(ratings: pd.DataFrame) -> float | None:
    """max - min of the ratings other than self (peers included), for the calibration check."""
    return spread_of(list(zip(ratings["rater_type"], ratings["score"])))


def spread_of(pairs: list[tuple[str, float]]) -> float | None:
    scores = [float(score) for rater_type, score in pairs if rater_type != "self"]
    return max(scores) - min(scores) if len(scores) >= 2 else None


def latest_calibration(rows: pd.DataFrame, computed: float | None) -> Calibrated | None:
    """The newest calibrations row (by `at`, then sheet order) for one person, period, dimension."""
    if rows.empty:
        return None
    ordered = rows.assign(_has_at=rows["at"].notna()).sort_values(["_has_at", "at", ROW], na_position="first",
                                                                  kind="stable")
    last = ordered.iloc[-1]
    original = last["original_score"]
    return Calibrated(
        original_score=computed if pd.isna(original) else float(original),
        calibrated_score=float(last["calibrated_score"]),
        reason=str(last["reason"]),
        by=None if pd.isna(last["by"]) else str(last["by"]),
        at=None if pd.isna(last["at"]) else pd.Timestamp(last["at"]).to_pydatetime(),
    )


def qualitative_results(inputs: Inputs, cfg: AppraisalConfig, period: AppraisalPeriod, indicator: str,
                        employee_ids: list[str]) -> dict[str, tuple[IndicatorResult, Missing | None]]:
    """Ratings whose period is exactly P. A person without any for P, in a dimension that is
    also rated in shorter periods (execution is rated monthly), gets the mean of those
    periods' scores instead: the quarters of a year first, else the months."""
    out = rated_in(inputs, cfg, period, indicator, employee_ids)
    unrated = [eid for eid, (r, _) in out.items() if not r.rater_counts and r.calibration is None]
    for level in shorter_periods(period, cfg.indicators[indicator].cycles):
        if not unrated:
            break
        parts = {p: rated_in(inputs, cfg, AppraisalPeriod.of(p), indicator, unrated) for p in level}
        for eid in list(unrated):
            by_period = [(p, part[eid][0]) for p, part in parts.items()]
            if any(r.score is not None for _, r in by_period):
                out[eid] = (mean_of_periods(cfg, indicator, by_period), None)
                unrated.remove(eid)
    return out


def shorter_periods(period: AppraisalPeriod, cycles: list[str]) -> list[list[str]]:
    levels = {"year": [("quarter", period.quarters), ("month", period.months)],
              "quarter": [("month", period.months)]}.get(period.grain, [])
    return [labels for grain, labels in levels if grain in cycles]


def mean_of_periods(cfg: AppraisalConfig, indicator: str, parts: list[tuple[str, IndicatorResult]]) -> IndicatorResult:
    """The mean of the scores of the shorter periods that have one; the rater-type means are
    over all their ratings."""
    ind = cfg.indicators[indicator]
    scored = [(p, r) for p, r in parts if r.score is not None]
    counts: dict[str, int] = {}
    sums: dict[str, float] = {}
    for _, r in parts:
        for rater_type, n in r.rater_counts.items():
            counts[rater_type] = counts.get(rater_type, 0) + n
            sums[rater_type] = sums.get(rater_type, 0.0) + n * r.rater_means[rater_type]
    score = sum(r.score for _, r in scored) / len(scored)
    return IndicatorResult(indicator, ind.kind, ind.weight, score, score,
                           rater_means={k: sums[k] / counts[k] for k in counts}, rater_counts=counts,
                           from_periods=tuple(p for p, _ in scored))


def rated_in(inputs: Inputs, cfg: AppraisalConfig, period: AppraisalPeriod, indicator: str,
             employee_ids: list[str]) -> dict[str, tuple[IndicatorResult, Missing | None]]:
    """Step 4 on the ratings whose period is exactly P, with the committee's calibration."""
    ind = cfg.indicators[indicator]
    ratings = inputs.ratings[(inputs.ratings["period"] == period.label) & (inputs.ratings["dimension"] == indicator)]
    calibrations = inputs.calibrations[(inputs.calibrations["period"] == period.label)
                                       & (inputs.calibrations["dimension"] == indicator)]
    # Plain Python grouping: a pandas groupby per person costs more than the arithmetic.
    by_person: dict[str, list[tuple[str, float]]] = {}
    for eid, rater_type, score in zip(ratings["employee_id"], ratings["rater_type"], ratings["score"]):
        by_person.setdefault(eid, []).append((rater_type, score))
    calibrated_by_person = dict(tuple(calibrations.groupby("employee_id"))) if len(calibrations) else {}
    out = {}
    for eid in employee_ids:
        pairs = by_person.get(eid, [])
        means, counts = summarise_raters(pairs)
        computed = combine_rater_types(means, cfg.rater_weights)
        calibration = latest_calibration(calibrated_by_person.get(eid, calibrations.iloc[0:0]), computed)
        score = calibration.calibrated_score if calibration else computed
        missing = None
        if score is None:
            missing = Missing(indicator, "no_counted_ratings" if pairs else "no_ratings")
        out[eid] = (IndicatorResult(indicator, ind.kind, ind.weight, score, computed, rater_means=means,
                                    rater_counts=counts, spread=spread_of(pairs), calibration=calibration),
                    missing)
    return out


def unused_rating(row, cfg: AppraisalConfig, grain: str) -> RowProblem | None:
    """A rating of a dimension that is not a qualitative indicator of this kind of period."""
    if row.dimension not in cfg.qualitative:
        close = difflib.get_close_matches(str(row.dimension), cfg.qualitative, n=1, cutoff=0.6)
        return RowProblem("dimension", "unknown dimension, the rating is not used",
                          expected="one of " + ", ".join(cfg.qualitative),
                          hint=f"did you mean {close[0]!r}?" if close else None)
    if grain not in cfg.indicators[row.dimension].cycles:
        cycles = " or a ".join(cfg.indicators[row.dimension].cycles)
        return RowProblem("period", f"{row.dimension} is not appraised per {grain}, the rating is not used",
                          expected=f"a {cycles}")
    return None


def rating_issues(ratings: pd.DataFrame, cfg: AppraisalConfig, period: AppraisalPeriod,
                  tab: str = "ratings") -> list[DataIssue]:
    """Ratings (or calibrations) of the period that cannot count, each named by its sheet row."""
    issues = []
    for row in _rows(ratings[ratings["period"] == period.label]):
        problem = unused_rating(row, cfg, period.grain)
        if problem:
            sheet_row = getattr(row, ROW)
            issues.append(DataIssue(row.employee_id, Issue(
                "warning", problem.message, tab=tab, row=None if pd.isna(sheet_row) else int(sheet_row),
                column=problem.column, value=getattr(row, problem.column), expected=problem.expected,
                hint=problem.hint)))
    return issues


# ---------------------------------------------------------------------------------------
# step 5: the period score


def period_score(parts: list[IndicatorResult]) -> float | None:
    """sum(weight * score) / sum(weight) over the indicators that have a score."""
    scored = [p for p in parts if p.score is not None]
    total = sum(p.weight for p in scored)
    return sum(p.weight * p.score for p in scored) / total if total else None


def score_period(inputs: Inputs, scored: pd.DataFrame, cfg: AppraisalConfig, period: AppraisalPeriod,
                 employee_ids: list[str]) -> dict[str, PersonScore]:
    per_indicator = {}
    for name, ind in cfg.applicable(period.grain).items():
        if ind.quantitative:
            per_indicator[name] = quantitative_results(scored, cfg, period, name, employee_ids)
        else:
            per_indicator[name] = qualitative_results(inputs, cfg, period, name, employee_ids)
    out = {}
    for eid in employee_ids:
        parts = {name: results[eid][0] for name, results in per_indicator.items()}
        missing = tuple(results[eid][1] for results in per_indicator.values() if results[eid][1] is not None)
        out[eid] = PersonScore(eid, period.label, period_score(list(parts.values())), parts, missing)
    return out
