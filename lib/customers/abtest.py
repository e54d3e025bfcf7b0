"""A/B tests: each variant of an experiment against its control.

The control is the experiment's first variant in sheet order. For every other variant:
- rate = conversions / users; lift = rate / control rate - 1 (relative), abs_lift = the
  difference of the rates;
- p_value: two-sided pooled two-proportion z-test,
  z = (p1 - p0) / sqrt(p (1 - p) (1/n0 + 1/n1)) with p = (c0 + c1) / (n0 + n1);
- ci_low, ci_high: the (1 - alpha) Wald interval of p1 - p0 (unpooled standard error);
- needed_users: users per variant for a two-sided test at alpha with the configured
  power to detect the observed difference:
  n = (z_{1-alpha/2} sqrt(2 pm (1 - pm)) + z_power sqrt(p0 (1 - p0) + p1 (1 - p1)))^2 / (p1 - p0)^2
  with pm = (p0 + p1) / 2;
- verdict: "significant" when p < alpha; "no_effect" when the interval lies within
  +/- min_relative_lift x the control rate (any real lift is too small to matter);
  otherwise "not_yet" (more users are needed to tell).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from scipy.stats import norm

from lib.customers.config import AbtestSettings
from lib.store import Store

VERDICTS = ("significant", "not_yet", "no_effect")
COLUMNS = ["experiment_id", "variant", "users", "conversions", "rate", "lift", "p_value", "abs_lift", "z",
           "ci_low", "ci_high", "needed_users", "verdict", "problem", "is_control", "metric", "start_date",
           "end_date"]


def z_test(c0: float, n0: float, c1: float, n1: float) -> tuple[float | None, float | None]:
    """(z, two-sided p) of the pooled two-proportion z-test; (None, None) when undefined."""
    if n0 <= 0 or n1 <= 0:
        return None, None
    pooled = (c0 + c1) / (n0 + n1)
    variance = pooled * (1 - pooled) * (1 / n0 + 1 / n1)
    if variance <= 0:  # both rates 0 or both 1: nothing to test
        return None, None
    z = (c1 / n1 - c0 / n0) / math.sqrt(variance)
    return z, float(2 * norm.sf(abs(z)))


def difference_interval(c0: float, n0: float, c1: float, n1: float, alpha: float) -> tuple[float, float] | None:
    """The (1 - alpha) Wald confidence interval of rate1 - rate0."""
    if n0 <= 0 or n1 <= 0:
        return None
    p0, p1 = c0 / n0, c1 / n1
    se = math.sqrt(p0 * (1 - p0) / n0 + p1 * (1 - p1) / n1)
    half = norm.ppf(1 - alpha / 2) * se
    return p1 - p0 - half, p1 - p0 + half


def users_needed(p0: float, p1: float, alpha: float, power: float) -> int | None:
    """Users per variant to detect p1 vs p0 (two-sided, alpha, power); None when p1 == p0."""
    if p1 == p0:
        return None
    mean = (p0 + p1) / 2
    top = (norm.ppf(1 - alpha / 2) * math.sqrt(2 * mean * (1 - mean))
           + norm.ppf(power) * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1)))
    return math.ceil(top ** 2 / (p1 - p0) ** 2)


def verdict(p_value: float | None, interval: tuple[float, float] | None, control_rate: float,
            settings: AbtestSettings) -> str:
    if p_value is not None and p_value < settings.alpha:
        return "significant"
    band = settings.min_relative_lift * control_rate
    if interval is not None and band > 0 and -band <= interval[0] and interval[1] <= band:
        return "no_effect"
    return "not_yet"


@dataclass
class _Variant:
    users: float
    conversions: float

    @property
    def problem(self) -> str | None:
        if self.conversions > self.users:
            return f"conversions ({_num(self.conversions)}) exceed users ({_num(self.users)})"
        return None

    @property
    def rate(self) -> float | None:
        return self.conversions / self.users if self.users > 0 and not self.problem else None


def compare_variants(rows: pd.DataFrame, settings: AbtestSettings) -> pd.DataFrame:
    """rows: the experiments tab in sheet order. One row per variant, the control first."""
    out = []
    for experiment_id, group in rows.groupby("experiment_id", sort=False):
        control_row = group.iloc[0]
        control = _Variant(float(control_row["users"]), float(control_row["conversions"]))
        for position, (_, row) in enumerate(group.iterrows()):
            out.append(_compare(experiment_id, row, control, position == 0, settings))
    frame = pd.DataFrame(out, columns=COLUMNS)
    # counts stay whole numbers next to nulls, and a missing verdict stays None (not NaN)
    for name in ("users", "conversions", "needed_users", "verdict", "problem", "metric"):
        frame[name] = pd.Series([r[name] for r in out], dtype=object)
    return frame


def _compare(experiment_id, row, control: _Variant, is_control: bool, settings: AbtestSettings) -> dict:
    this = _Variant(float(row["users"]), float(row["conversions"]))
    result = {
        "experiment_id": experiment_id, "variant": row["variant"], "users": _num(this.users),
        "conversions": _num(this.conversions), "rate": this.rate, "lift": None, "p_value": None,
        "abs_lift": None, "z": None, "ci_low": None, "ci_high": None, "needed_users": None, "verdict": None,
        "problem": this.problem, "is_control": is_control,
        "metric": _text(row.get("metric")), "start_date": row.get("start_date"), "end_date": row.get("end_date"),
    }
    if is_control:
        return result
    if control.problem and not this.problem:
        result["problem"] = f"the control {control.problem}"
    if this.rate is None or control.rate is None:
        return result
    p0, p1 = control.rate, this.rate
    z, p = z_test(control.conversions, control.users, this.conversions, this.users)
    interval = difference_interval(control.conversions, control.users, this.conversions, this.users, settings.alpha)
    result.update(
        lift=p1 / p0 - 1 if p0 > 0 else None, abs_lift=p1 - p0, z=z, p_value=p,
        ci_low=interval[0] if interval else None, ci_high=interval[1] if interval else None,
        needed_users=users_needed(p0, p1, settings.alpha, settings.power),
        verdict=verdict(p, interval, p0, settings),
    )
    return result


def _num(x: float):
    """Counts typed as numbers: 1000.0 -> 1000, 12.5 stays 12.5."""
    return int(x) if float(x).is_integer() else x


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def experiments(store: Store, settings: AbtestSettings) -> pd.DataFrame:
    """Every experiment of the experiments tab, analysed (see compare_variants)."""
    from lib.customers.data import require

    require(store, "experiments", needed_by="A/B tests")
    rows = store.read("experiments")
    return compare_variants(rows, settings)


def rate_interval(conversions: float, users: float, alpha: float) -> tuple[float, float] | None:
    """The (1 - alpha) Wald interval of one conversion rate, clipped to [0, 1] (for charts)."""
    if users <= 0 or conversions > users:
        return None
    rate = conversions / users
    half = norm.ppf(1 - alpha / 2) * math.sqrt(rate * (1 - rate) / users)
    return max(0.0, rate - half), min(1.0, rate + half)
