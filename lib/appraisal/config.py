"""config/appraisal.yaml as pydantic models, and the rules that span its keys.

Structure (types, unknown keys, allowed values) is checked by pydantic; the rules in
CONFIG_RULES check what spans keys (weights of the scheme, the quantitative share of each
cycle, the order of the grade bands, sub-indicator names). Every problem is reported at
once with the file, the key path and what to do.
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field

from lib.access import ROLES
from lib.config import CONFIG_DIR, Strict, display_path, load_yaml_model, suggest
from lib.issues import ConfigError, Issue

APPRAISAL_FILE = CONFIG_DIR / "appraisal.yaml"

Cycle = Literal["month", "quarter", "year"]
CYCLES: tuple[str, ...] = ("month", "quarter", "year")
RATER_TYPES = ("self", "supervisor", "peer", "cross_dept")


class Text(Strict):
    en: str
    zh: str


class Indicator(Strict):
    label: Text
    kind: Literal["quantitative", "qualitative"]
    weight: float = Field(gt=0, description="share of the whole scheme, in points of 100")
    cycles: list[Cycle] = Field(min_length=1)
    # sub-indicator (the kpi_actuals `indicator` column) -> direction
    sub_indicators: dict[str, Literal["higher", "lower"]] = Field(default_factory=dict)

    @property
    def quantitative(self) -> bool:
        return self.kind == "quantitative"


class RaterWeights(Strict):
    """Self ratings never count, so `self` is not a key here."""

    supervisor: float = Field(0.7, ge=0)
    cross_dept: float = Field(0.3, ge=0)
    peer: float = Field(0.0, ge=0)

    def of(self, rater_type: str) -> float:
        return getattr(self, rater_type, 0.0)


class GradeBand(Strict):
    grade: str = Field(min_length=1)
    min: float | None = Field(None, description="lowest score of the band; none for the last band")
    bonus_multiplier: float = Field(ge=0)


class Coaching(Strict):
    below: float = 60
    months_in_a_row: int = Field(2, ge=1, le=12)


class Calibration(Strict):
    max_spread: float = Field(20, ge=0)
    committee_roles: list[str] = Field(default_factory=lambda: ["director", "admin"])


class Ranking(Strict):
    bottom_share: float = Field(0.2, gt=0, le=1)
    min_monthly_scores: int = Field(6, ge=1, le=12)
    group: Literal["center", "department"] = "center"
    top_teams: int = Field(3, ge=0)


class Awards(Strict):
    innovation: str = "innovation"


class AppraisalConfig(Strict):
    indicators: dict[str, Indicator]
    min_quantitative_share: float = Field(60, ge=60, le=100)
    score_cap: float = Field(120, gt=0)
    rater_weights: RaterWeights = RaterWeights()
    grades: list[GradeBand] = Field(min_length=1)
    veto_grade: str = "D"
    coaching: Coaching = Coaching()
    calibration: Calibration = Calibration()
    ranking: Ranking = Ranking()
    awards: Awards = Awards()

    def applicable(self, cycle: str) -> dict[str, Indicator]:
        """The indicators a period of this kind (month, quarter, year) is scored on."""
        return {name: ind for name, ind in self.indicators.items() if cycle in ind.cycles}

    @cached_property
    def sub_indicators(self) -> dict[str, tuple[str, str]]:
        """sub-indicator -> (its indicator, direction)."""
        return {sub: (name, direction) for name, ind in self.indicators.items()
                for sub, direction in ind.sub_indicators.items()}

    @property
    def qualitative(self) -> list[str]:
        return [name for name, ind in self.indicators.items() if not ind.quantitative]

    def grade_of(self, score: float | None) -> str | None:
        if score is None:
            return None
        for band in self.grades:
            if band.min is None or score >= band.min:
                return band.grade
        return None  # pragma: no cover - validation makes the last band take everything

    def bonus_of(self, grade: str | None) -> float | None:
        for band in self.grades:
            if band.grade == grade:
                return band.bonus_multiplier
        return None

    @property
    def top_grade(self) -> str:
        return self.grades[0].grade

    def label(self, indicator: str, lang: str) -> str:
        ind = self.indicators.get(indicator)
        return getattr(ind.label, lang, indicator) if ind else indicator


# ---------------------------------------------------------------------------------------
# rules across keys: each takes the validated model and returns issues (key without file)



def rule_weights_add_up_to_100(cfg: AppraisalConfig) -> list[Issue]:
    total = sum(ind.weight for ind in cfg.indicators.values())
    if abs(total - 100) > 1e-9:
        return [Issue("error", f"the weights add up to {total:g}, not 100", key="indicators",
                      hint="weights are shares of the whole scheme; each period renormalises over its cycle")]
    return []


def rule_quantitative_share_per_cycle(cfg: AppraisalConfig) -> list[Issue]:
    issues = []
    for cycle in CYCLES:
        applicable = cfg.applicable(cycle)
        if not applicable:
            issues.append(Issue("error", f"no indicator is appraised per {cycle}", key="indicators",
                                hint=f"add {cycle} to the cycles of at least one indicator"))
            continue
        total = sum(i.weight for i in applicable.values())
        quantitative = sum(i.weight for i in applicable.values() if i.quantitative)
        share = 100 * quantitative / total
        if share < cfg.min_quantitative_share - 1e-9:
            issues.append(Issue(
                "error", f"the quantitative share of a {cycle} is {share:.1f}%, below "
                         f"min_quantitative_share {cfg.min_quantitative_share:g}%", key="indicators",
                hint=f"raise the weights of quantitative indicators scored per {cycle}"))
    return issues


def rule_grade_bands_in_order(cfg: AppraisalConfig) -> list[Issue]:
    issues = []
    bands = cfg.grades
    seen: set[str] = set()
    for i, band in enumerate(bands):
        key = f"grades[{i}]"
        if band.grade in seen:
            issues.append(Issue("error", f"grade {band.grade!r} is listed twice", key=f"{key}.grade"))
        seen.add(band.grade)
        last = i == len(bands) - 1
        if last and band.min is not None:
            issues.append(Issue("error", "the last band must have no min", key=f"{key}.min",
                                hint="it takes every score below the band before it"))
        if not last and band.min is None:
            issues.append(Issue("error", "only the last band may have no min", key=f"{key}.min"))
        if i and band.min is not None and bands[i - 1].min is not None and band.min >= bands[i - 1].min:
            issues.append(Issue("error", f"min {band.min:g} must be below the min {bands[i - 1].min:g} of "
                                         f"grade {bands[i - 1].grade}", key=f"{key}.min",
                                hint="list the bands from the best grade down"))
        if i and band.bonus_multiplier > bands[i - 1].bonus_multiplier:
            issues.append(Issue("error", f"bonus_multiplier {band.bonus_multiplier:g} is above the "
                                         f"{bands[i - 1].bonus_multiplier:g} of the better grade "
                                         f"{bands[i - 1].grade}", key=f"{key}.bonus_multiplier"))
    if cfg.veto_grade not in seen:
        issues.append(Issue("error", f"veto_grade {cfg.veto_grade!r} is not one of the grades", key="veto_grade",
                            hint=suggest(cfg.veto_grade, seen) or "grades: " + ", ".join(b.grade for b in bands)))
    return issues


def rule_sub_indicators_known(cfg: AppraisalConfig) -> list[Issue]:
    issues = []
    owner: dict[str, str] = {}
    for name, ind in cfg.indicators.items():
        key = f"indicators.{name}.sub_indicators"
        if ind.quantitative and not ind.sub_indicators:
            issues.append(Issue("error", "a quantitative indicator needs at least one sub-indicator", key=key,
                                hint="name the kpi_actuals indicators it is scored on, e.g. sales: higher"))
        if not ind.quantitative and ind.sub_indicators:
            issues.append(Issue("error", "a qualitative indicator is scored from ratings and has no "
                                         "sub-indicators", key=key))
        for sub in ind.sub_indicators:
            if sub in owner:
                issues.append(Issue("error", f"sub-indicator {sub!r} is already part of {owner[sub]}",
                                    key=f"{key}.{sub}", hint="a kpi_actuals row can count for one indicator only"))
            owner.setdefault(sub, name)
    return issues


def rule_raters_count(cfg: AppraisalConfig) -> list[Issue]:
    w = cfg.rater_weights
    if w.supervisor + w.cross_dept + w.peer <= 0:
        return [Issue("error", "every rater weight is 0, so no rating would count", key="rater_weights",
                      hint="e.g. supervisor: 0.7, cross_dept: 0.3")]
    return []


def rule_names_refer_to_known_things(cfg: AppraisalConfig) -> list[Issue]:
    issues = []
    for i, role in enumerate(cfg.calibration.committee_roles):
        if role not in ROLES:
            issues.append(Issue("error", f"unknown role {role!r}", key=f"calibration.committee_roles[{i}]",
                                hint=suggest(role, ROLES) or "roles: " + ", ".join(ROLES)))
    award = cfg.awards.innovation
    if award not in cfg.indicators:
        issues.append(Issue("error", f"unknown indicator {award!r}", key="awards.innovation",
                            hint=suggest(award, cfg.indicators) or "indicators: " + ", ".join(cfg.indicators)))
    elif cfg.indicators[award].quantitative or "quarter" not in cfg.indicators[award].cycles:
        issues.append(Issue("error", f"{award} is not a qualitative indicator scored per quarter, so it cannot "
                                     "give the quarter's award", key="awards.innovation",
                            hint="name one, e.g. innovation"))
    return issues


CONFIG_RULES = (
    rule_weights_add_up_to_100,
    rule_quantitative_share_per_cycle,
    rule_grade_bands_in_order,
    rule_sub_indicators_known,
    rule_raters_count,
    rule_names_refer_to_known_things,
)


def validate_config(cfg: AppraisalConfig, file: str) -> list[Issue]:
    return [Issue(i.level, i.message, source=file, key=i.key, hint=i.hint)
            for rule in CONFIG_RULES for i in rule(cfg)]


def load_appraisal_config(path: Path | None = None) -> AppraisalConfig:
    path = path or APPRAISAL_FILE
    cfg = load_yaml_model(path, AppraisalConfig)
    issues = validate_config(cfg, display_path(path))
    if issues:
        raise ConfigError(issues)
    return cfg
