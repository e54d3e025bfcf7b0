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
