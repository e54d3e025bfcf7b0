"""Docs are tested: docs/explain.md and docs/metrics.md show what the code computes and accepts;
the README lists every page and command."""
import re
import textwrap

import pytest

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


def _table_rows(heading: str) -> list[list[str]]:
    """Cells of the first table after a heading, without the header and rule rows."""
    lines = DOC.split(heading, 1)[1].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = [line for line in lines[first:] if line.startswith("|") or not line][:]
    table = table[:table.index("")] if "" in table else table
    return [[c.strip().strip("*") for c in line.strip("|").split("|")] for line in table[2:]]


def _number(cell: str) -> float:
    return float(cell.replace("¥", "").replace(",", "").replace("+", "").replace("−", "-"))


def test_explain_doc_tables_are_the_golden_data():
    """The inputs in the doc's tables are what the metrics layer reads from the fixture."""
    from lib.metrics import Request, run

    store = load_store(sources_for_data(str(ROOT / "tests" / "fixtures" / "golden")))
    catalog = load_catalog()
    weeks = {"W42": ("2026-10-12", "2026-10-18"), "W43": ("2026-10-19", "2026-10-25")}

    def by(dim, metrics, week):
        import datetime as dt

        start, end = (dt.date.fromisoformat(d) for d in weeks[week])
        frame = run(store, catalog, Request(metrics, (dim,), None, start, end)).frame.fillna(0)
        return frame.set_index(dim)

    spend42, spend43 = by("channel", ("spend",), "W42"), by("channel", ("spend",), "W43")
    rows = _table_rows("## Amounts")
    assert [r[0] for r in rows] == ["百度SEM", "线下沙龙", "抖音", "total"]
    for name, before, after, part in rows[:-1]:
        b, a = spend42["spend"].get(name, 0), spend43["spend"].get(name, 0)
        assert (_number(before), _number(after), _number(part)) == (b, a, a - b)
    assert [_number(c) for c in rows[-1][1:]] == [spend42["spend"].sum(), spend43["spend"].sum(), 800]

    cac42 = by("region", ("spend", "new_customers"), "W42")
    cac43 = by("region", ("spend", "new_customers"), "W43")
    rows = _table_rows("### Worked example")
    assert [r[0] for r in rows] == ["华东", "华北", "total"]
    for region, s0, c0, s1, c1 in rows[:-1]:
        assert [_number(x) for x in (s0, c0, s1, c1)] == [
            cac42.loc[region, "spend"], cac42.loc[region, "new_customers"],
            cac43.loc[region, "spend"], cac43.loc[region, "new_customers"]]
    assert [_number(x) for x in rows[-1][1:]] == [
        cac42["spend"].sum(), cac42["new_customers"].sum(), cac43["spend"].sum(), cac43["new_customers"].sum()]


def test_explain_doc_segment_without_customers():
    store = load_store(sources_for_data(str(ROOT / "tests" / "fixtures" / "golden")))
    result = explain(store, load_catalog(), "cac", "channel", "2026-W43", "2026-W42")
    salon = result.contributions.set_index("channel").loc["线下沙龙"]
    assert salon["rate_effect"] == 0 and salon["mix_effect"] == salon["contribution"]
    assert f"**¥{salon['contribution']:.2f}**, all of it mix" in DOC


# ---- docs/metrics.md ---------------------------------------------------------------------------

METRICS_DOC = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")


def test_metrics_doc_explains_every_key():
    from lib.metrics.spec import Metric

    keys_table = METRICS_DOC.split("### Keys", 1)[1].split("###", 1)[0]
    documented = {k.strip("` ") for line in keys_table.splitlines() if line.startswith("| `")
                  for k in line.split("|")[1].split(",")}
    assert set(Metric.model_fields) == documented


def test_metrics_doc_lists_the_default_catalogue_as_it_is():
    catalog = load_catalog()
    table = METRICS_DOC.split("### The default catalogue", 1)[1].split("\n\n", 2)[1]
    rows = {line.split("|")[1].strip(" `"): [c.strip() for c in line.split("|")[2:-1]]
            for line in table.splitlines()[2:]}
    assert list(rows) == list(catalog.metrics)
    for name, (label, formula, fmt, direction, owner, target, benchmark) in rows.items():
        m = catalog[name]
        assert label == f"{m.label.en} · {m.label.zh}" and (fmt, owner) == (m.format, m.owner), name
        per_month = " / month" if m.target and m.target.per == "month" else ""
        assert target == (_doc_number(m, m.target.value) + per_month if m.target else ""), name
        assert benchmark == (_doc_number(m, m.benchmark) if m.benchmark is not None else ""), name
        assert direction.split()[0] == m.direction.split("_")[0], name
        if m.kind.value == "ratio":
            assert formula == f"{m.numerator} / {m.denominator}", name
        elif m.kind.value == "derived":
            assert formula == m.expr, name
        else:
            assert f"{m.tab}.{m.column}" in formula or "campaign_id" in formula, name


def _doc_number(metric, value: float) -> str:
    """¥1.76, 8.3%, 80,000,000: as the catalogue table writes targets and benchmarks."""
    scaled = value * 100 if metric.format == "percent" else value
    text = f"{scaled:,.2f}".rstrip("0").rstrip(".")
    return {"money": "¥" + text, "percent": text + "%"}.get(metric.format, text)


def test_metrics_doc_cli_examples_print_what_is_shown(capsys):
    from lib.cli import main

    blocks = METRICS_DOC.split("## Command line", 1)[1].split("```")
    commands = [b.strip().removeprefix("bash\n") for b in blocks[1::2] if b.startswith("bash")]
    outputs = [b.strip("\n") for b in blocks[1::2] if not b.startswith("bash")]
    for command, output in zip(commands, outputs[:len(commands)]):
        argv = command.split()[3:]  # after "python -m lib.cli"
        assert main(argv) == 0
        assert capsys.readouterr().out.strip("\n") == output


def test_metrics_doc_error_examples_are_the_real_messages(tmp_path):
    """The doc's example errors: the default catalogue with four mistakes added."""
    import textwrap

    from lib.issues import ConfigError

    lines = [line for line in METRICS_DOC.split("closest valid name when there is one:", 1)[1]
             .split("```")[1].splitlines() if line.startswith("error:")]
    base = (ROOT / "config" / "metrics.yaml").read_text(encoding="utf-8")
    cac_thresholds = "    target: {value: 2670}\n    thresholds: {green: 1.0, amber: 1.1}\n"
    assert base.count(cac_thresholds) == 1
    bad = base.replace(cac_thresholds, "    target: {value: 2670}\n    thresholds: {green: 1.0, amber: 0.9}\n")
    bad += textwrap.indent(textwrap.dedent("""\
        cost_per_order: {label: {en: C, zh: C}, description: {en: c, zh: c}, owner: x, kind: ratio,
                         numerator: spend, denominator: order}
        spend_on_ads: {label: {en: S, zh: S}, description: {en: s, zh: s}, owner: x, kind: sum,
                       tab: marketing_daily, column: spnd}
        a: {label: {en: A, zh: A}, description: {en: a, zh: a}, owner: x, kind: derived, expr: b + 1}
        b: {label: {en: B, zh: B}, description: {en: b, zh: b}, owner: x, kind: derived, expr: a * 2}
    """), "  ")
    path = tmp_path / "metrics.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalog(path)
    got = [str(i).replace(str(path), "config/metrics.yaml") for i in caught.value.issues]
    assert sorted(lines) == sorted(got)


# ---- README.md ---------------------------------------------------------------------------------

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


def test_readme_yaml_examples_are_valid_sources_files(tmp_path, monkeypatch):
    """Each ```yaml block of the README that declares sources parses and validates (with its
    ${NAME} variables set), so a team can copy it."""
    from lib.config import load_sources
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "sources:" in b]
    assert blocks, "the README shows how to declare sources"
    for i, block in enumerate(blocks):
        for name in re.findall(r"\$\{(\w+)\}", block):
            monkeypatch.setenv(name, "duckdb:///x.duckdb" if "URL" in name else "1AbCdEfGhIjKlMnOpQrStUvWxYz")
        path = tmp_path / f"sources{i}.yaml"
        path.write_text(textwrap.dedent(block), encoding="utf-8")
        config = load_sources(path)
        assert config.sources, block
