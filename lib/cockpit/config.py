"""config/cockpit.yaml: tiles, anomaly band, budget categories and plan split, campaign flags.

Structure is checked by pydantic; what refers to other files (metric names in
config/metrics.yaml, dimensions of marketing_daily, budget categories of the template)
is checked on the raw YAML so every problem is listed at once with a "did you mean".
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lib.config import CONFIG_DIR, load_yaml_model, suggest
from lib.issues import ConfigError, Issue
from lib.schema import TABS

COCKPIT_FILE = CONFIG_DIR / "cockpit.yaml"
CATEGORIES: tuple[str, ...] = TABS["budget"].column("category").choices
PICKABLE = ("week", "month", "quarter")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TileSpec(Strict):
    metric: str
    id: str | None = None
    also: str | None = None  # a second number under the first (engagements under impressions)
    kind: Literal["metric", "attainment"] = "metric"

    @property
    def key(self) -> str:
        return self.id or (self.metric if self.kind == "metric" else f"{self.metric}_{self.kind}")


class AnomalyConfig(Strict):
    window_weeks: int = Field(8, ge=8, le=12)
    k: float = Field(3.0, gt=0)
    min_weeks: int = Field(6, ge=3)
    explain_by: list[str] = Field(default_factory=lambda: ["channel", "region", "product_line", "department"],
                                  min_length=1)

    @model_validator(mode="after")
    def _enough_weeks(self):
        if self.min_weeks > self.window_weeks:
            raise ValueError(f"min_weeks ({self.min_weeks}) cannot be more than window_weeks ({self.window_weeks})")
        return self


class WhyConfig(Strict):
    dimensions: list[str] = Field(default_factory=lambda: ["channel", "region", "product_line", "department"],
                                  min_length=1)
    top: int = Field(8, ge=2, le=20)


class BudgetConfig(Strict):
    channel_categories: dict[Literal["online_ads", "offline_events", "training", "other"], list[str]]
    plan_split: dict[Literal["online_ads", "offline_events", "training", "other"], float]
    split_tolerance: float = Field(0.05, ge=0, le=1)

    @field_validator("plan_split")
    @classmethod
    def _split_is_a_split(cls, split: dict[str, float]) -> dict[str, float]:
        total = sum(split.values())
        if any(v < 0 for v in split.values()) or total > 1 + 1e-9:
            raise ValueError(f"shares must be between 0 and 1 and add up to at most 1 (they add up to {total:g})")
        return split

    def category_of(self, channel: str | None) -> str:
        for category, channels in self.channel_categories.items():
            if channel in channels:
                return category
        return "other"

    def tracked(self, category: str) -> bool:
        """Whether any spend can land in this category (other always can: unmapped channels)."""
        return category == "other" or bool(self.channel_categories.get(category))

    def planned_share(self, category: str) -> float | None:
        """The plan's share; `other` gets what the named categories leave."""
        if category in self.plan_split:
            return self.plan_split[category]
        if category == "other":
            return max(0.0, 1 - sum(self.plan_split.values()))
        return None


class CampaignConfig(Strict):
    overspend_tolerance: float = Field(0.0, ge=0)
    judge_after: float = Field(0.5, ge=0, le=1)
    months_before: int = Field(6, ge=0, le=36)
    months_after: int = Field(2, ge=0, le=36)


class CockpitConfig(Strict):
    tiles: list[TileSpec] = Field(min_length=1)
    sparkline_periods: dict[Literal["week", "month", "quarter"], int] = Field(
        default_factory=lambda: {"week": 12, "month": 12, "quarter": 6})
    anomalies: AnomalyConfig = AnomalyConfig()
    why: WhyConfig = WhyConfig()
    budget: BudgetConfig
    campaigns: CampaignConfig = CampaignConfig()

    def tile(self, key: str) -> TileSpec | None:
        return next((t for t in self.tiles if t.key == key), None)

    def sparkline(self, grain: str) -> int:
        return max(2, self.sparkline_periods.get(grain, 12))


# ---------------------------------------------------------------------------------------
# checks against the other config files, on the raw YAML



def _cross_checks(data, file: str) -> list[Issue]:
    if not isinstance(data, dict):
        return []
    from lib.metrics.spec import load_catalog

    try:
        catalog = load_catalog()
    except ConfigError:  # metrics.yaml's own problems are reported by its own loader
        return []
    issues = []
    dims = set(catalog.dimensions("spend"))
    for i, tile in enumerate(data.get("tiles") or []):
        if not isinstance(tile, dict):
            continue
        for part in ("metric", "also"):
            name = tile.get(part)
            if name is not None and name not in catalog:
                issues.append(Issue("error", f"unknown metric {name!r}", source=file, key=f"tiles[{i}].{part}",
                                    hint=suggest(name, catalog.metrics) or "see config/metrics.yaml"))
        if tile.get("kind") == "attainment" and tile.get("metric") in catalog and \
                catalog[tile["metric"]].direction == "neutral":
            issues.append(Issue("error", f"{tile['metric']} has no direction, so it has no status against a target",
                                source=file, key=f"tiles[{i}].metric"))
    keys = [TileSpec(**t).key for t in data.get("tiles") or [] if isinstance(t, dict) and "metric" in t]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        issues.append(Issue("error", f"two tiles have the id {key!r}", source=file, key="tiles",
                            hint="give one of them another id"))
    for section, field in (("anomalies", "explain_by"), ("why", "dimensions")):
        for i, dim in enumerate((data.get(section) or {}).get(field) or []):
            if dim not in dims:
                issues.append(Issue("error", f"unknown dimension {dim!r} of marketing_daily", source=file,
                                    key=f"{section}.{field}[{i}]", hint=suggest(dim, dims) or
                                    "dimensions: " + ", ".join(sorted(dims))))
    issues += _channel_checks((data.get("budget") or {}).get("channel_categories"), file)
    return issues


def _channel_checks(mapping, file: str) -> list[Issue]:
    if not isinstance(mapping, dict):
        return []
    seen: dict[str, str] = {}
    issues = []
    for category, channels in mapping.items():
        for channel in channels or []:
            if channel in seen and seen[channel] != category:
                issues.append(Issue("error", f"channel {channel!r} is in both {seen[channel]} and {category}",
                                    source=file, key=f"budget.channel_categories.{category}",
                                    hint="a channel's spend counts against one category"))
            seen.setdefault(channel, category)
    return issues


def load_cockpit_config(path: Path | None = None) -> CockpitConfig:
    path = path or COCKPIT_FILE
    return load_yaml_model(path, CockpitConfig, extra_checks=_cross_checks)

