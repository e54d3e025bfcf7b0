"""What the appraisal engine returns: periods, per-indicator scores, one result per person."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lib.issues import Issue
from lib.metrics.grains import PeriodError, label_of, parse_period

CYCLE_EXPECTED = "a month 2026-07, a quarter 2026-Q3 or a year 2026"


@dataclass(frozen=True)
class AppraisalPeriod:
    """A month, a quarter or a year, with the calendar months inside it."""

    grain: str
    label: str
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, label: str) -> "AppraisalPeriod":
        grain, start, end = parse_period(str(label))
        if grain not in ("month", "quarter", "year"):
            raise PeriodError(f"{label!r} is not an appraisal period; use {CYCLE_EXPECTED}")
        return cls(grain, label_of(start, grain), start, end)

    @property
    def months(self) -> list[str]:
        out, day = [], self.start
        while day <= self.end:
            out.append(f"{day:%Y-%m}")
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out

    @property
    def year(self) -> str:
        return f"{self.start.year}"

    @property
    def quarters(self) -> list[str]:
        return sorted({label_of(dt.date.fromisoformat(m + "-01"), "quarter") for m in self.months})


def months_before(month: str, n: int) -> list[str]:
    """The n calendar months before `month`, oldest first ('2026-01', 2 -> 2025-11, 2025-12)."""
    year, mon = map(int, month.split("-"))
    out = []
    for _ in range(n):
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
        out.append(f"{year:04d}-{mon:02d}")
    return out[::-1]


@dataclass(frozen=True)
class Missing:
    """Why an applicable indicator has no score in a period (the result is then incomplete)."""

    indicator: str
    reason: str  # no_kpi_rows | not_scored | no_ratings | no_counted_ratings


@dataclass(frozen=True)
class Calibrated:
    """A committee decision: it replaces a qualitative score; the original stays visible."""

    original_score: float | None
    calibrated_score: float
    reason: str
    by: str | None
    at: dt.datetime | None


@dataclass(frozen=True)
class IndicatorResult:
    indicator: str
    kind: str
    weight: float
    score: float | None  # what counts: the calibrated score when there is one
    computed: float | None = None  # before calibration (qualitative) / same as score
    sub_scores: dict[str, float] = field(default_factory=dict)  # sub-indicator -> mean monthly score
    rater_means: dict[str, float] = field(default_factory=dict)  # rater_type -> mean, self included
    rater_counts: dict[str, int] = field(default_factory=dict)
    spread: float | None = None  # max - min of the non-self ratings
    calibration: Calibrated | None = None
    # The shorter periods whose scores were averaged, when nobody rated the period itself.
    from_periods: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonScore:
    """Steps 1-5 of the scheme for one person and period, before grades and flags."""

    employee_id: str
    period: str
    score: float | None
    indicators: dict[str, IndicatorResult]
    missing: tuple[Missing, ...] = ()


@dataclass(frozen=True)
class Result:
    employee_id: str
    name: str
    department: str
    level: str | None
    period: str
    score: float | None
    grade: str | None
    bonus_multiplier: float | None
    flags: tuple[str, ...]
    promotion_eligible: bool
    rank: int | None = None  # year only
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    missing: tuple[Missing, ...] = ()
    monthly_scores: int | None = None  # year only: months with a score


@dataclass(frozen=True)
class DataIssue:
    """A row the engine could not use, with whose row it is (issues are personal too)."""

    employee_id: str
    issue: Issue


@dataclass(frozen=True)
class Winner:
    employee_id: str
    name: str
    department: str
    score: float


@dataclass(frozen=True)
class Award:
    """The month's marketing star or the quarter's innovation award (ties all win).

    `winners` holds only the winners the viewer may see; `hidden` counts the others."""

    kind: str  # marketing_star | innovation
    period: str
    winners: tuple[Winner, ...]
    hidden: int = 0


@dataclass(frozen=True)
class DepartmentScore:
    """A department's mean score; mean and rank are None when the group is too small for
    the viewer to see its average (lib.access.may_see_group_averages)."""

    department: str
    people: int
    mean: float | None
    rank: int | None
    top_team: bool = False
    hidden: bool = False


@dataclass(frozen=True)
class CalibrationItem:
    employee_id: str
    name: str
    department: str
    period: str
    dimension: str
    spread: float | None
    rater_means: dict[str, float]
    computed: float | None  # the combined score before calibration
    calibration: Calibrated | None

    @property
    def pending(self) -> bool:
        return self.calibration is None


@dataclass
class Appraisal:
    """One period as one viewer may see it: every list holds only rows of people the
    viewer may see; group numbers are hidden where the group is too small."""

    period: AppraisalPeriod
    results: list[Result]
    issues: list[Issue]
    monthly: dict[str, dict[str, float | None]]  # month -> employee_id -> score (visible people)
    coaching_months: dict[str, list[str]]  # employee_id -> months the coaching plan fired
    compliance: list[dict]  # compliance rows of the period
    departments: list[DepartmentScore]
    cut_score: float | None  # the bottom-20% line; None when hidden or not computable
    cut_group_size: int
    stars: list[Award]
    innovation_awards: list[Award]
    calibration_queue: list[CalibrationItem]
    absent_tabs: tuple[str, ...] = ()

    def result(self, employee_id: str) -> Result | None:
        return next((r for r in self.results if r.employee_id == employee_id), None)
