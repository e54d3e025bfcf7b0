"""config/channels.yaml: attribution half-life, recommendation thresholds, quality weights.

Validated like every config file (lib.config.load_yaml_model): all problems at once, with
the file, the key path and the closest valid name. The quality weights must name metrics
of config/metrics.yaml that have a direction (higher or lower is better) and can be split
by channel; that cross-file rule runs here too.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator

from lib.config import CONFIG_DIR, Strict, _did_you_mean, load_yaml_model
from lib.issues import ConfigError, Issue

CHANNELS_FILE = CONFIG_DIR / "channels.yaml"


class AttributionConfig(Strict):
    half_life_days: float = Field(7.0, gt=0, description="time decay: a touch H days before the conversion counts half")
    chunk_rows: int = Field(200_000, ge=1000, description="touchpoint rows read per batch")


class RecommendationConfig(Strict):
    low_cac: float = Field(0.8, gt=0, description="CAC at most this share of the blended CAC is cheap")
    high_cac: float = Field(1.2, gt=0, description="CAC at least this share of the blended CAC is expensive")
    small_share: float = Field(0.08, ge=0, le=1, description="share of new customers below this is small")
    large_share: float = Field(0.08, ge=0, le=1, description="share of new customers from this is large")
    min_new_customers: float = Field(3, ge=0, description="fewer new customers: too few to judge")

    @model_validator(mode="after")
    def _in_order(self):
        if self.low_cac >= self.high_cac:
            raise ValueError(f"low_cac ({self.low_cac:g}) must be below high_cac ({self.high_cac:g})")
        if self.small_share > self.large_share:
            raise ValueError(f"small_share ({self.small_share:g}) must be at most large_share ({self.large_share:g})")
        return self


class Grade(Strict):
    grade: str = Field(min_length=1)
    min: float = Field(ge=0, le=100)


class QualityConfig(Strict):
    weights: dict[str, float] = Field(min_length=1, description="metric -> relative weight")
    grades: list[Grade] = Field(min_length=1, description="best first; the first whose min is reached")

    @model_validator(mode="after")
    def _sensible(self):
        negative = [m for m, w in self.weights.items() if w < 0]
        if negative:
            raise ValueError(f"weights must not be negative: {', '.join(negative)}")
        if sum(self.weights.values()) <= 0:
            raise ValueError("at least one weight must be above 0")
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("grades must go from the highest min to the lowest, each min different")
        if mins[-1] != 0:
            raise ValueError(f"the last grade needs min: 0 so every score gets a grade (it has {mins[-1]:g})")
        return self

    def grade_of(self, score: float) -> str | None:
        if score is None or score != score:  # NaN: no metric to score the channel on
            return None
        return next(g.grade for g in self.grades if score >= g.min)


class ChannelsConfig(Strict):
    attribution: AttributionConfig = AttributionConfig()
    recommendations: RecommendationConfig = RecommendationConfig()
    quality: QualityConfig


def _check_quality_metrics(data, file: str) -> list[Issue]:
    """Weights name metrics of metrics.yaml with a direction that can be split by channel."""
    quality = data.get("quality") if isinstance(data, dict) else None
    weights = quality.get("weights") if isinstance(quality, dict) else None
    if not isinstance(weights, dict):
        return []
    from lib.metrics.spec import load_catalog

    try:
        catalog = load_catalog()
    except ConfigError:
        return []  # metrics.yaml's own problems are reported by its loader
    issues = []
    for name in weights:
        key = f"quality.weights.{name}"
        if name not in catalog:
            hint = _did_you_mean(str(name), catalog.metrics).removeprefix("; ") or None
            issues.append(Issue("error", f"unknown metric {name!r}", source=file, key=key, hint=hint))
        elif catalog[name].direction == "neutral":
            issues.append(Issue("error", f"metric {name!r} has no direction, so neither more nor less is better",
                                source=file, key=key, hint="give it a direction in config/metrics.yaml or drop it"))
        elif "channel" not in catalog.dimensions(name):
            issues.append(Issue("error", f"metric {name!r} cannot be split by channel", source=file, key=key))
    return issues


def load_channels_config(path: Path | None = None) -> ChannelsConfig:
    return load_yaml_model(path or CHANNELS_FILE, ChannelsConfig, extra_checks=_check_quality_metrics)
