"""Docs are tested: the worked example in docs/explain.md is what the code computes."""
import re

from lib import ROOT
from lib.config import sources_for_data
from lib.metrics import explain, load_catalog
from lib.metrics.format import explain_sentence
from lib.store import load_store

DOC = (ROOT / "docs" / "explain.md").read_text(encoding="utf-8")


def test_explain_worked_example_matches_the_code():
    store = load_store(sources_for_data(str(ROOT / "tests" / "fixtures" / "golden")))
    catalog = load_catalog()
    result = explain(store, catalog, "cac", "region", "2026-W43", "2026-W42")
    east = result.contributions.set_index("region").loc["华东"]
    assert f"**+¥{east['rate_effect']:.2f}**" in DOC
    assert f"**−¥{abs(east['mix_effect']):.2f}**" in DOC
    assert f"part = **+¥{east['contribution']:.2f}**" in DOC
    assert f"CAC rose ¥{result.total_change:.2f}" in DOC
    assert f'"{explain_sentence(result, catalog, "en")}"' in DOC
    spend = explain(store, catalog, "spend", "channel", "2026-W43", "2026-W42")
    assert f"**+¥{spend.total_change:,.0f}**" in DOC


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_page_in_the_navigation_is_in_the_readme():
    from lib.i18n import t

    frame = (ROOT / "app.py").read_text(encoding="utf-8")
    for path, title_key in re.findall(r'\("(pages/\w+\.py)", "([\w.]+)"', frame):
        assert f"| {t(title_key, 'en')} |" in README, (path, t(title_key, "en"))


def test_every_cli_command_is_in_the_readme():
    from lib.cli import COMMANDS, build_parser

    build_parser()  # loads the engines' commands
    for name in COMMANDS:
        assert f"`{name}" in README, name
