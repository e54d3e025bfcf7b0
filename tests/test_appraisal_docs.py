"""docs/appraisal.md is tested: every config key is documented, the examples are what the code says."""
import json
import re

from pydantic import BaseModel

from lib import ROOT
from lib.access import SYSTEM
from lib.appraisal import FLAGS, appraise, load_appraisal_config, result_json
from lib.appraisal.config import AppraisalConfig
from lib.config import sources_for_data
from lib.store import load_store

DOC = (ROOT / "docs" / "appraisal.md").read_text(encoding="utf-8")


def keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out += keys(annotation, f"{prefix}{name}.")
        else:
            out.append(prefix + name)
    return out


def test_every_config_key_and_flag_is_documented():
    documented = DOC.replace("<name>.", "")
    for key in keys(AppraisalConfig):
        if key == "indicators":  # documented field by field as indicators.<name>.*
            continue
        leaf = key.split(".")[-1]
        assert f"`{key}" in documented or f".{leaf}`" in documented, key
    for field in ("label", "kind", "weight", "cycles", "sub_indicators"):
        assert f"`indicators.<name>.{field}`" in DOC
    for flag in FLAGS:
        assert f"| `{flag}` |" in DOC


def test_the_cli_example_is_what_the_sample_data_gives():
    example = re.search(r"```json\n(.*?)```", DOC, re.S).group(1).strip().splitlines()
    store = load_store(sources_for_data(str(ROOT / "sample_data" / "csv")))
    q3 = appraise(store, load_appraisal_config(), "2026-Q3", SYSTEM)
    for line in example:
        row = json.loads(line)
        assert result_json(q3.result(row["employee_id"]), "quarter") == row


def test_the_config_errors_shown_are_real(tmp_path):
    from tests.test_appraisal_config import problems

    def rename(d):
        d["indicators"]["sales_achievement"]["sub_indicator"] = d["indicators"]["sales_achievement"].pop(
            "sub_indicators")

    def shift(d):
        for name, weight in {"sales_achievement": 20, "customer_growth": 10, "innovation": 35}.items():
            d["indicators"][name]["weight"] = weight

    produced = [line.replace("FILE", "config/appraisal.yaml") for change in (
        lambda d: d["indicators"]["teamwork"].update(weight=5), shift,
        lambda d: d["grades"][1].update(min=95), rename) for line in problems(tmp_path, change)]
    shown = re.findall(r"^error: config/appraisal.yaml, .*$", DOC, re.M)
    assert shown and set(shown) <= set(produced)
