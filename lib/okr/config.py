"""config/okr.yaml: the thresholds of the OKR status rules, validated with pydantic."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lib.config import CONFIG_DIR, load_yaml_model

OKR_FILE = CONFIG_DIR / "okr.yaml"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(Strict):
    """Largest gap (expected minus clipped progress) for each status, as fractions."""

    on_track: float = Field(0.10, ge=0, le=1)
    at_risk: float = Field(0.25, ge=0, le=1)

    @model_validator(mode="after")
    def _in_order(self) -> "Thresholds":
        if self.at_risk < self.on_track:
            raise ValueError(f"at_risk ({self.at_risk:g}) must be at least on_track ({self.on_track:g}), "
                             "e.g. on_track: 0.10, at_risk: 0.25")
        return self


class OkrConfig(Strict):
    thresholds: Thresholds = Thresholds()
    low_confidence: float = Field(3, ge=0, le=10, description="confidence at or below this: at least at_risk")


def load_okr_config(path: Path | None = None) -> OkrConfig:
    return load_yaml_model(path or OKR_FILE, OkrConfig)
