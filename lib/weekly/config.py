"""config/weekly.yaml: the slides of the weekly review, auto-advance, what "why" explains.

Structure is checked by pydantic; slide names and the split dimension (a dimension of
marketing_daily in config/metrics.yaml) are checked on the raw YAML, so every problem is
listed at once with its key path and a "did you mean".
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field

from lib.config import CONFIG_DIR, Strict, load_yaml_model, suggest
from lib.issues import ConfigError, Issue

WEEKLY_FILE = CONFIG_DIR / "weekly.yaml"

# Every slide the review knows, in the default order (PDCA: plan vs actual, check, act).
SLIDES = ("kpis", "why", "channels", "okr", "appraisal", "actions", "notes")


class WhyConfig(Strict):
    metrics: int = Field(3, ge=1, le=8, description="how many KPIs 'what moved and why' explains")
    by: str = Field("channel", description="the dimension of marketing_daily a change is split over")
    top: int = Field(6, ge=2, le=20, description="segments per waterfall; the rest are summed")


class ActionsConfig(Strict):
    due_within_days: int = Field(7, ge=0, le=90, description="open actions due this soon after the review day")


class WeeklyConfig(Strict):
    slides: list[str] = Field(default_factory=lambda: list(SLIDES), min_length=1)
    auto_advance_seconds: int = Field(30, ge=5, le=600, description="seconds per slide with auto-advance on")
    why: WhyConfig = WhyConfig()
    actions: ActionsConfig = ActionsConfig()



def _cross_checks(data, file: str) -> list[Issue]:
    if not isinstance(data, dict):
        return []
    issues = []
    slides = data.get("slides")
    if isinstance(slides, list):
        seen = set()
        for i, name in enumerate(slides):
            if name not in SLIDES:
                issues.append(Issue("error", f"unknown slide {name!r}", source=file, key=f"slides[{i}]",
                                    hint=suggest(name, SLIDES) or "slides: " + ", ".join(SLIDES)))
            elif name in seen:
                issues.append(Issue("error", f"slide {name!r} is listed twice", source=file, key=f"slides[{i}]",
                                    hint="each slide is shown once; remove one of them"))
            seen.add(name)
    by = (data.get("why") or {}).get("by") if isinstance(data.get("why"), dict) else None
    if by is not None:
        issues += _dimension_check(by, file)
    return issues


def _dimension_check(by, file: str) -> list[Issue]:
    from lib.metrics.spec import load_catalog

    try:
        catalog = load_catalog()
    except ConfigError:  # metrics.yaml's own problems are reported by its own loader
        return []
    dims = set(catalog.dimensions("spend"))
    if by in dims:
        return []
    return [Issue("error", f"unknown dimension {by!r} of marketing_daily", source=file, key="why.by",
                  hint=suggest(by, dims) or "dimensions: " + ", ".join(sorted(dims)))]


def load_weekly_config(path: Path | None = None) -> WeeklyConfig:
    return load_yaml_model(path or WEEKLY_FILE, WeeklyConfig, extra_checks=_cross_checks)
