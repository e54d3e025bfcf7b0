"""config/customers.yaml: how cohorts, lifetime value, RFM tiers, A/B tests and break-even
are judged. Validated through lib.config.load_yaml_model (file, key path, problem, "did
you mean"), and listed in lib.checks.CONFIG_LOADERS so `python -m lib.cli check` sees it."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lib.config import CONFIG_DIR, load_yaml_model

CUSTOMERS_FILE = CONFIG_DIR / "customers.yaml"
TIERS = ("high_value", "potential", "dormant")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class CohortSettings(Strict):
    max_months: int = Field(24, ge=1, le=120, description="months since acquisition shown in the heat-map")


class LtvSettings(Strict):
    margin: float = Field(1.0, gt=0, le=1, description="share of revenue counted as value; 1 = LTV on revenue")
    ratio_horizon: Literal[12, 24] = Field(24, description="which LTV is set against CAC")
    min_customers_per_point: int = Field(
        20, ge=1, description="a month of the retention curve rests on at least this many customers to enter the fit")
    payback_max_months: int = Field(60, ge=1, le=240, description="payback later than this is reported as not reached")


class MinScores(Strict):
    """Lowest R, F and M score (1 = any) a customer needs for the tier."""

    recency: int = Field(1, ge=1)
    frequency: int = Field(1, ge=1)
    monetary: int = Field(1, ge=1)


class TierText(Strict):
    label: Text
    care: Text


class RfmSettings(Strict):
    bins: int = Field(5, ge=2, le=10, description="quantile bins per score: scores run from 1 to bins")
    dormant_after_months: int = Field(6, ge=1, le=60, description="no order for this long: dormant")
    high_value: MinScores = MinScores(recency=3, frequency=4, monetary=4)
    tiers: dict[Literal["high_value", "potential", "dormant"], TierText]

    @field_validator("tiers")
    @classmethod
    def _every_tier(cls, tiers: dict) -> dict:
        missing = [t for t in TIERS if t not in tiers]
        if missing:
            raise ValueError(f"needs label and care for {', '.join(missing)} too")
        return tiers

    @model_validator(mode="after")
    def _scores_within_bins(self):
        too_high = [f"{name} {getattr(self.high_value, name)}" for name in ("recency", "frequency", "monetary")
                    if getattr(self.high_value, name) > self.bins]
        if too_high:
            raise ValueError(f"high_value asks for {', '.join(too_high)} but scores run from 1 to bins = {self.bins}")
        return self


class AbtestSettings(Strict):
    alpha: float = Field(0.05, gt=0, lt=0.5, description="significant when the two-sided p-value is below this")
    power: float = Field(0.8, gt=0.5, lt=1, description="power for the sample size needed")
    min_relative_lift: float = Field(
        0.2, gt=0, lt=1,
        description="smaller lifts do not matter: a CI within +/- this share of the control rate means no effect")


class BreakEvenSettings(Strict):
    horizon_months: int = Field(6, ge=1, le=60, description="spend should be paid back within this many months")
    cohort_window_months: int = Field(
        6, ge=1, le=60, description="channels are judged on the customers acquired in this many latest judged months")


class CustomersConfig(Strict):
    cohorts: CohortSettings = CohortSettings()
    ltv: LtvSettings = LtvSettings()
    rfm: RfmSettings
    abtest: AbtestSettings = AbtestSettings()
    break_even: BreakEvenSettings = BreakEvenSettings()


def load_customers_config(path: Path | None = None) -> CustomersConfig:
    return load_yaml_model(path or CUSTOMERS_FILE, CustomersConfig)

