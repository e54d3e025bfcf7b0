"""The OKR progress rules of ../shared/spec/okr.md, one small function each.

Everything here is pure (numbers and dates in, numbers and statuses out), so each rule is
tested alone on hand-computed cases; lib.okr.engine reads the tabs and applies them.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Iterable

from lib.okr.config import OkrConfig

DONE, ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED = "done", "on_track", "at_risk", "off_track", "not_started"
STATUSES = (DONE, ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED)

# Gaps are differences of fractions (0.5 - 0.4 = 0.09999999999999998): compare them
# rounded, so a gap of exactly 10 points is "at most 0.10" however the floats fall.
_DIGITS = 9


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def clip(p: float | None) -> float | None:
    """Progress as aggregated and judged: within 0..1 (120% counts as 100%)."""
    return None if missing(p) else min(1.0, max(0.0, p))


def expected_progress(quarter_start: dt.date, quarter_end: dt.date, as_of: dt.date) -> float:
    """Share of the quarter's days elapsed at as_of; the as-of day itself counts as elapsed."""
    days = (quarter_end - quarter_start).days + 1
    elapsed = (as_of - quarter_start).days + 1
    return min(1.0, max(0.0, elapsed / days))


def kr_progress(current: float | None, start: float, target: float,
                lower_is_better: bool = False) -> float | None:
    """(current - start) / (target - start), unclipped; None when there is no value yet.

    Works for decreasing targets (start 120, target 80: current 100 is 50%). When the
    target equals the start the KR is all or nothing: 1 once current has reached the
    target, else 0. "Reached" means at or above it, or at or below it for a metric whose
    direction is lower_is_better (a CAC kept at 80).
    """
    if missing(current):
        return None
    if target == start:
        reached = current <= target if lower_is_better else current >= target
        return 1.0 if reached else 0.0
    return (current - start) / (target - start)


def status_from_gap(clipped: float | None, expected: float, cfg: OkrConfig) -> str:
    """done / on_track / at_risk / off_track from the gap expected - clipped progress."""
    if clipped is None:
        return NOT_STARTED
    if clipped >= 1:
        return DONE
    gap = round(expected - clipped, _DIGITS)
    if gap <= cfg.thresholds.on_track:
        return ON_TRACK
    if gap <= cfg.thresholds.at_risk:
        return AT_RISK
    return OFF_TRACK


def low_confidence(confidence: float | None, cfg: OkrConfig) -> bool:
    return not missing(confidence) and confidence <= cfg.low_confidence


def with_confidence(status: str, confidence: float | None, cfg: OkrConfig) -> str:
    """A low latest confidence makes a KR at least at_risk: on_track and done become
    at_risk (a KR at its target today that the team doubts will hold is a risk, e.g. a CAC
    that is low only because the big invoices have not come in yet); at_risk and off_track
    stay. A KR not started has no progress to judge and stays not_started.
    """
    if status in (ON_TRACK, DONE) and low_confidence(confidence, cfg):
        return AT_RISK
    return status


def weighted_progress(parts: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Objective progress: sum(weight * clipped p) / sum(weight); a KR with no value yet
    counts as 0. A blank weight is 1 (the template's default). None without weight at all."""
    total = weight_sum = 0.0
    for clipped, weight in parts:
        w = 1.0 if missing(weight) else float(weight)
        total += w * (0.0 if clipped is None else clipped)
        weight_sum += w
    return total / weight_sum if weight_sum > 0 else None


def mean_progress(values: Iterable[float | None]) -> float | None:
    """A department's (or the company's) progress: the mean of its objectives' progress.

    An objective without any weighted KR has no progress and is left out of the mean."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def weekly_last(points: Iterable[tuple[dt.date, float]]) -> list[tuple[str, dt.date, float]]:
    """The last value of each ISO week, as (week label, date of that value, value).

    `points` must be in the order they were entered (by date, then sheet row): of two
    check-ins on the same day, the one further down the sheet is the later one.
    """
    last: dict[str, tuple[dt.date, float]] = {}
    for day, value in sorted(points, key=lambda p: p[0]):  # stable: keeps sheet order within a day
        if missing(value):
            continue
        iso = day.isocalendar()
        last[f"{iso.year}-W{iso.week:02d}"] = (day, value)
    return [(week, day, value) for week, (day, value) in sorted(last.items(), key=lambda kv: kv[1][0])]
