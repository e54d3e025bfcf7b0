"""docs/weekly.md is what the code does: every config key, the command and what it prints."""
import json
import re

from lib import ROOT, cli
from lib.commands.report import COMMANDS
from lib.weekly.config import SLIDES, WeeklyConfig

DOC = (ROOT / "docs" / "weekly.md").read_text(encoding="utf-8")


def config_keys(model, prefix=""):
    from pydantic import BaseModel

    keys = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += config_keys(annotation, f"{prefix}{name}.")
        else:
            keys.append(f"{prefix}{name}")
    return keys


def test_every_config_key_and_slide_is_documented():
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", DOC, re.M))
    assert set(config_keys(WeeklyConfig)) - documented == set()
    [slides_row] = [line for line in DOC.splitlines() if line.startswith("| `slides` |")]
    assert all(s in slides_row for s in SLIDES)
    assert (ROOT / "docs" / "screenshots" / "weekly_en.png").is_file()


def test_the_command_and_its_output_are_as_documented(capsys, tmp_path):
    for command in COMMANDS:
        assert f"python -m lib.cli {command} --week 2026-W43 --out review.html" in DOC
    out = tmp_path / "review.html"
    assert cli.main(["report", "--week", "2026-W43", "--out", str(out), "--data",
                     str(ROOT / "sample_data" / "csv")]) == 0
    printed = json.loads(capsys.readouterr().out)
    [example] = re.findall(r"```json\n(.*?)```", DOC, re.S)
    assert json.loads(example) == {**printed, "out": "review.html"}
    assert "'2026-10' is a month, not a week; use the form 2026-W43" in DOC
