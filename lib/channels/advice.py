"""What to do with each channel: scale up or review (efficiency against share), and the
channel quality score. Thresholds and weights come from config/channels.yaml.

Efficiency: a channel's CAC is compared with the blended CAC of the selection, its size
with its share of the selection's new customers.
- scale_up: CAC <= low_cac x blended and share < small_share (cheap, and room to grow);
- review: CAC >= high_cac x blended and share >= large_share (expensive, and big enough
  to move the blended CAC); no_customers: spend but not one new customer;
- too_few: fewer new customers than min_new_customers (its CAC is noise); hold: the rest.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.channels.config import QualityConfig, RecommendationConfig
from lib.metrics.spec import Catalog

ACTIONS = ("scale_up", "review", "no_customers", "hold", "too_few")
LISTED = ("scale_up", "review", "no_customers")  # the actions shown in the recommendation list


def advise(rows: pd.DataFrame, blended_cac: float, cfg: RecommendationConfig) -> pd.DataFrame:
    """The channel rows with `action` and `cac_vs_blended` (CAC / blended CAC) added."""
    out = rows.copy()
    ratio = out["cac"] / blended_cac if blended_cac and not np.isnan(blended_cac) else np.nan
    out["cac_vs_blended"] = ratio
    out["action"] = [_action(r, cfg) for r in out.assign(cac_vs_blended=ratio).to_dict(orient="records")]
    return out


def _action(row: dict, cfg: RecommendationConfig) -> str:
    spend, customers = row["spend"], row["new_customers"]
    if _missing(customers) or customers == 0:
        return "no_customers" if not _missing(spend) and spend > 0 else "too_few"
    if customers < cfg.min_new_customers:
        return "too_few"
    ratio, share = row["cac_vs_blended"], row["share_of_new_customers"]
    if _missing(ratio) or _missing(share):
        return "hold"
    if ratio <= cfg.low_cac and share < cfg.small_share:
        return "scale_up"
    if ratio >= cfg.high_cac and share >= cfg.large_share:
        return "review"
    return "hold"


def recommendations(advised: pd.DataFrame) -> pd.DataFrame:
    """The channels to act on: scale-ups by CAC (cheapest first), then reviews by spend."""
    listed = advised[advised["action"].isin(LISTED)].copy()
    listed["_order"] = listed["action"].map({a: i for i, a in enumerate(LISTED)})
    listed["_key"] = np.where(listed["action"] == "scale_up", listed["cac"], -listed["spend"].fillna(0))
    return listed.sort_values(["_order", "_key", "channel"], kind="stable").drop(columns=["_order", "_key"]) \
        .reset_index(drop=True)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and np.isnan(x))


# ---------------------------------------------------------------------------------------
# quality score


def quality_scores(rows: pd.DataFrame, catalog: Catalog, cfg: QualityConfig) -> pd.DataFrame:
    """channel, one `norm_<metric>` column per weighted metric (0 worst - 1 best), score
    (0-100), coverage (share of the weight the channel has data for), rank (1 = best) and
    grade; best first.

    Each metric is min-max normalised over the channels that have it, in the direction of
    the metric (for CAC the lowest is best). When every channel has the same value they all
    get 1: none is worse. A channel missing a metric (no impressions offline: no CTR) is
    scored on the weights it has; coverage says how much of the weight that is.
    """
    out = pd.DataFrame({"channel": rows["channel"].to_numpy()})
    weighted = np.zeros(len(rows))
    available = np.zeros(len(rows))
    for metric, weight in cfg.weights.items():
        norm = _normalise(rows[metric].to_numpy(dtype="float64"), catalog[metric].direction)
        out[f"norm_{metric}"] = norm
        has = ~np.isnan(norm)
        weighted += np.where(has, weight * np.nan_to_num(norm), 0.0)
        available += np.where(has, weight, 0.0)
    total = sum(cfg.weights.values())
    with np.errstate(invalid="ignore", divide="ignore"):
        out["score"] = np.where(available > 0, 100 * weighted / available, np.nan)
    out["coverage"] = available / total
    out["rank"] = out["score"].rank(ascending=False, method="min")
    out["grade"] = [cfg.grade_of(s) for s in out["score"]]
    return out.sort_values(["score", "channel"], ascending=[False, True], na_position="last", kind="stable") \
        .reset_index(drop=True)


def _normalise(values: np.ndarray, direction: str) -> np.ndarray:
    present = ~np.isnan(values)
    if not present.any():
        return np.full(values.shape, np.nan)
    low, high = values[present].min(), values[present].max()
    if high == low:
        return np.where(present, 1.0, np.nan)
    scaled = (values - low) / (high - low)
    return 1.0 - scaled if direction == "lower_is_better" else scaled
