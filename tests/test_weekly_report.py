"""`python -m lib.cli report --week 2026-W43 --out FILE` on the sample data: the .html holds
every section with the numbers of the metrics layer and the page libs, opens offline (it
refers to nothing outside itself) and escapes sheet text; the .xlsx has one formatted sheet
per section, numbers as numbers, and a formula-looking cell neutralised."""
import datetime as dt
import json
import shutil
from html.parser import HTMLParser

import openpyxl
import pytest

from lib import ROOT, cli, fmt
from lib.access import SYSTEM
from lib.appraisal import appraise, load_appraisal_config
from lib.appraisal.views import coaching_list
from lib.cockpit.actions import action_list
from lib.config import sources_for_data
from lib.metrics import Request, explain, load_catalog, run
from lib.metrics.format import change as format_change, value as format_value
from lib.okr import load_okr_config, okr_report
from lib.periods import Period
from lib.store import load_store

SAMPLE = ROOT / "sample_data" / "csv"
W43, W42 = Period.of("2026-W43"), Period.of("2026-W42")
SECTIONS = ["kpis", "why", "channels", "okr", "appraisal", "actions", "notes"]


class Page(HTMLParser):
    """The parts of the report a test reads: tags with their attributes, text, the style
    sheet, and each section's tables as rows of cell texts."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.style, self.section, self.sections = "", None, {}
        self._cell, self._row, self._in_style = None, None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self.section = attrs["id"]
            self.sections[self.section] = []
        elif tag == "style":
            self._in_style = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self.section:
            self.sections[self.section].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        elif self._cell is not None:
            self._cell += data

    def row(self, section: str, first: str) -> list[str]:
        [found] = [r for r in self.sections[section] if r and r[0] == first]
        return found


def run_cli(capsys, *args):
    code = cli.main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(SAMPLE)))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def html_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "review.html"
    assert cli.main(["report", "--week", "2026-W43", "--out", str(out), "--data", str(SAMPLE), "--appraisal"]) == 0
    return Page(out.read_text(encoding="utf-8"))


def week(store, catalog, metrics, period, by=()):
    return run(store, catalog, Request(tuple(metrics), by=tuple(by), start=period.start, end=period.end)).frame


def test_cli_prints_what_it_wrote(capsys, tmp_path):
    out = tmp_path / "r.html"
    code, printed, _ = run_cli(capsys, "--week", "2026-W43", "--out", str(out), "--data", str(SAMPLE))
    assert code == 0
    # without --appraisal the file carries no personal rows: it usually goes to the whole meeting
    assert json.loads(printed) == {"week": "2026-W43", "out": str(out),
                                   "sections": ["kpis", "why", "channels", "okr", "actions", "notes"]}
    assert 'id="appraisal"' not in out.read_text(encoding="utf-8")


def test_cli_defaults_to_the_last_complete_week(capsys, tmp_path):
    code, printed, _ = run_cli(capsys, "--out", str(tmp_path / "r.xlsx"), "--data", str(SAMPLE))
    assert code == 0 and json.loads(printed)["week"] == "2026-W43"


@pytest.mark.parametrize("args, message", [
    (["--week", "2026-10", "--out", "r.html"],
     "argument --week: '2026-10' is a month, not a week; use the form 2026-W43"),
    (["--week", "2026-W43", "--out", "r.pdf"], "argument --out: 'r.pdf': the report is written as .html or .xlsx"),
    (["--week", "2026-W43", "--out", "no/such/folder/r.html"],
     "argument --out: 'no/such/folder/r.html': folder no/such/folder does not exist"),
])
def test_cli_bad_arguments(capsys, args, message):
    with pytest.raises(SystemExit) as caught:
        cli.main(["report", *args])
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_html_has_every_section_in_slide_order(html_report):
    assert list(html_report.sections) == SECTIONS
    assert [a["href"] for t, a in html_report.tags if t == "a"] == [f"#{s}" for s in SECTIONS]
    assert sum(t == "svg" for t, _ in html_report.tags) == 6  # KPI changes, three waterfalls, channels, OKRs


def test_html_opens_offline(html_report):
    """Nothing to fetch: no script, stylesheet link, image, frame or font; no address in any
    attribute but the report's own anchors; no url() or @import in the style sheet; and a
    Content-Security-Policy that would block a fetch anyway."""
    fetching = {"script", "link", "img", "iframe", "frame", "object", "embed", "source", "video", "audio", "image",
                "use", "base", "form"}
    assert not [t for t, _ in html_report.tags if t in fetching]
    for tag, attrs in html_report.tags:
        for name, value in attrs.items():
            assert "://" not in (value or "") and not (value or "").startswith("//"), (tag, name, value)
            assert not name.startswith("on"), (tag, name)  # no inline script either
    assert "url(" not in html_report.style and "@import" not in html_report.style
    [csp] = [a["content"] for t, a in html_report.tags if t == "meta" and a.get("http-equiv")]
    assert csp.startswith("default-src 'none';")


def test_html_kpis_are_the_metrics_of_the_week(html_report, store, catalog):
    now = week(store, catalog, ["revenue", "cac", "new_customers"], W43).iloc[0]
    before = week(store, catalog, ["revenue", "cac", "new_customers"], W42).iloc[0]
    header = html_report.sections["kpis"][0]
    assert header == ["KPI", "Status", "This week", "Last week", "Change", "Change %", "Target", "Note"]
    for metric, label in (("revenue", "Revenue"), ("cac", "CAC"), ("new_customers", "New customers")):
        row = html_report.row("kpis", label)
        assert row[2] == format_value(catalog, metric, now[metric])
        assert row[3] == format_value(catalog, metric, before[metric])
        assert row[4] == format_change(catalog, metric, now[metric] - before[metric])
        assert row[5] == fmt.pct((now[metric] - before[metric]) / before[metric], 1, signed=True)
    assert html_report.row("kpis", "Revenue")[:6] == ["Revenue", "Off target", "¥2,436,930", "¥2,929,730",
                                                      "-¥492,800", "-16.8%"]
    # off target first
    statuses = [r[1] for r in html_report.sections["kpis"][1:]]
    assert statuses == ["Off target"] * 3 + ["Watch"] * 3 + ["On target", "No target"]


def test_html_why_is_the_explain_decomposition(html_report, store, catalog):
    revenue = explain(store, catalog, "revenue", "channel", "2026-W43", "2026-W42")
    cac = explain(store, catalog, "cac", "channel", "2026-W43", "2026-W42")
    rows = html_report.sections["why"]
    totals = [r for r in rows if r and r[0] == "Total"]
    assert totals[0] == ["Total", "¥2,929,730", "¥2,436,930", format_change(catalog, "revenue", revenue.total_change)]
    assert totals[1][3] == format_change(catalog, "cac", cac.total_change)
    top = revenue.contributions.iloc[0]
    assert [r for r in rows if r and r[0] == top["channel"]][0] == [
        top["channel"], format_value(catalog, "revenue", top["before"]), format_value(catalog, "revenue", top["after"]),
        format_change(catalog, "revenue", top["contribution"])]
    # six segments, then the other five summed
    others = [r for r in rows if r and r[0].startswith("Other ")][0]
    assert others == ["Other 5", "—", "—", format_change(catalog, "revenue", revenue.contributions["contribution"]
                                                          .iloc[6:].sum())]
    assert html_report.row("why", "Spend")[1:4] == ["¥663,859", "¥415,779", "¥649,069"]  # the unusual week


def test_html_channels_are_the_channel_table(html_report, store, catalog):
    spend = week(store, catalog, ["spend", "new_customers"], W43, ["channel"]).set_index("channel")
    for channel, row in spend.iterrows():
        shown = html_report.row("channels", channel)
        assert shown[1] == fmt.money(row["spend"]) and shown[3] == fmt.number(row["new_customers"])
    assert html_report.row("channels", "百度SEM")[-1] == "Review"
    assert html_report.row("channels", "All channels")[1] == fmt.money(spend["spend"].sum())


def test_html_okrs_and_the_key_results_behind(html_report, store, catalog):
    rep = okr_report(store, catalog, load_okr_config(), "2026-Q4", dt.date(2026, 10, 25))
    objectives = {r[0].split(" · ")[0].strip("　↳ "): r for r in html_report.sections["okr"] if r and "O-" in r[0]}
    for o in rep.objectives:
        assert objectives[o.objective_id][2] == fmt.pct(o.progress, 0)
    behind = [r for r in html_report.sections["okr"] if r and r[0].startswith("KR-")]
    assert [(r[0].split(" · ")[0], r[7]) for r in behind] == [
        ("KR-2026Q4-04-1", "At risk"), ("KR-2026Q4-04-2", "At risk"), ("KR-2026Q4-05-1", "At risk")]
    assert behind[0][3:6] == ["1,076.7 人", "8,000 人", "13%"]


def test_html_appraisal_alerts_and_actions(html_report, store, catalog):
    coaching = coaching_list(appraise(store, load_appraisal_config(), "2026-09", SYSTEM))
    assert html_report.row("appraisal", "E021")[:4] == ["E021", "郑凯", "活动策划部", "2026-09"]
    assert html_report.row("appraisal", "E021")[4] == fmt.number(coaching["last_score"].iloc[0], 1)
    assert html_report.row("appraisal", "E018")[3:6] == ["2026-Q3", "Innovation", "25"]
    listed = action_list(store, catalog, dt.date(2026, 10, 26), "en")
    ids = [r[0] for r in html_report.sections["actions"][1:]]
    assert ids == ["A-003", "A-013", "A-008", "A-015", "A-002", "A-004"]
    assert html_report.row("actions", "A-003")[4] == "Doing · 10 days overdue"
    assert html_report.row("actions", "A-008")[2] == listed.set_index("action_id").at["A-008", "owner"]
    assert [r[0] for r in html_report.sections["notes"][1:]] == ["A-001", "A-002"]


# ---- sheet text in the files ---------------------------------------------------------------------


EVIL = '<script>alert(1)</script> & =HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def evil_data(tmp_path_factory):
    """The sample data with an action noted at the W43 review whose title is markup and a formula."""
    data = tmp_path_factory.mktemp("evil") / "data"
    shutil.copytree(SAMPLE, data)
    with (data / "actions.csv").open("a", encoding="utf-8") as handle:
        handle.write(f'A-019,"{EVIL.replace(chr(34), chr(34) * 2)}",E002,2026-10-26,2026-10-30,open,,,2026-W44\n')
    return data


def test_html_escapes_sheet_text(evil_data, tmp_path):
    out = tmp_path / "r.html"
    assert cli.main(["report", "--week", "2026-W43", "--out", str(out), "--data", str(evil_data)]) == 0
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert not [t for t, _ in page.tags if t == "script"]
    assert page.row("notes", "A-019")[1] == EVIL  # shown exactly as typed
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; =HYPERLINK(&quot;http://evil.example&quot;" in text


def test_xlsx_has_one_formatted_sheet_per_section(capsys, tmp_path, evil_data, store, catalog):
    out = tmp_path / "r.xlsx"
    assert cli.main(["report", "--week", "2026-W43", "--out", str(out), "--data", str(evil_data), "--appraisal"]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Headline KPIs", "What moved and why", "Channels", "OKRs", "Appraisal alerts",
                               "Actions due", "New actions"]
    kpis = book["Headline KPIs"]
    assert kpis["A1"].value == "Plan vs actual · Headline KPIs" and kpis["A1"].font.bold
    rows = {r[0].value: r for r in kpis.iter_rows() if r[0].value}
    now = week(store, catalog, ["revenue", "lead_conversion"], W43).iloc[0]
    before = week(store, catalog, ["revenue", "lead_conversion"], W42).iloc[0]
    revenue = rows["Revenue"]
    assert revenue[2].value == pytest.approx(now["revenue"]) and revenue[2].number_format == '"¥"#,##0'
    assert revenue[4].value == pytest.approx(now["revenue"] - before["revenue"])
    assert revenue[4].number_format == '+"¥"#,##0;-"¥"#,##0;"¥"#,##0'
    assert revenue[1].value == "Off target" and revenue[1].font.color.rgb.endswith("C62828")
    conversion = rows["Lead conversion"]
    assert conversion[2].value == pytest.approx(now["lead_conversion"]) and conversion[2].number_format == "0.0%"
    assert conversion[4].value == pytest.approx((now["lead_conversion"] - before["lead_conversion"]) * 100)  # points
    assert rows["Spend"][6].value == fmt.DASH  # no target: missing, not 0
    header = [c.value for c in kpis[rows["Revenue"][0].row - 1]]
    assert header[:3] == ["KPI", "Status", "This week"] and kpis.cell(rows["Revenue"][0].row - 1, 1).font.bold
    # sheet text arrives as typed, as text (a formula only starts a cell: see the next test)
    notes = book["New actions"]
    [cell] = [c for r in notes.iter_rows() for c in r if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cell.value == EVIL and cell.data_type == "s"
    due = [r for r in notes.iter_rows() if r[0].value == "A-019"][0][3]
    assert due.value == dt.datetime(2026, 10, 30) and due.number_format == "yyyy-mm-dd"


def test_a_formula_at_the_start_of_a_cell_is_neutralised(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    with (data / "actions.csv").open("a", encoding="utf-8") as handle:
        handle.write('A-019,"=1+2",E002,2026-10-26,2026-10-30,open,,,2026-W44\n')
    out = tmp_path / "r.xlsx"
    assert cli.main(["report", "--week", "2026-W43", "--out", str(out), "--data", str(data)]) == 0
    notes = openpyxl.load_workbook(out)["New actions"]
    [title] = [r[1] for r in notes.iter_rows() if r[0].value == "A-019"]
    assert title.value == "'=1+2" and title.data_type == "s"


def test_reports_in_chinese(capsys, tmp_path):
    out = tmp_path / "r.xlsx"
    assert cli.main(["report", "--week", "2026-W43", "--out", str(out), "--data", str(SAMPLE), "--lang", "zh"]) == 0
    assert openpyxl.load_workbook(out).sheetnames == ["核心指标", "变化及原因", "渠道", "OKR 进展", "到期行动", "新增行动"]
    html = tmp_path / "r.html"
    assert cli.main(["report", "--week", "2026-W43", "--out", str(html), "--data", str(SAMPLE), "--lang", "zh"]) == 0
    page = Page(html.read_text(encoding="utf-8"))
    assert page.row("kpis", "销售额")[:3] == ["销售额", "未达标", "¥2,436,930"]
    assert ('html', {'lang': 'zh-CN'}) in page.tags


def test_svg_charts_escape_their_text_and_zoom_in_on_small_steps():
    from lib.weekly.content import BAD, GOOD, LEVEL, Bar, Chart
    from lib.weekly.svg import bars_svg, domain

    chart = Chart('<b>"title"</b>', [Bar("<script>x</script> 很长很长很长很长很长很长的渠道名称", 0.0, 10.0, "¥10 & up", GOOD)])
    svg = bars_svg(chart)
    page = Page(svg)
    assert [t for t, _ in page.tags] == ["svg", "title", "text", "title", "rect", "text"]  # no markup from the data
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg and "¥10 &amp; up" in svg
    assert "…" in svg  # the long label is cut to its room; the whole name is in its <title>
    assert domain(chart) == (0.0, 10.0)
    assert domain(Chart("", [Bar("a", 0, -5, "", BAD), Bar("b", 0, 3, "", GOOD)])) == (-5, 3)
    # CAC 2,819 -> 3,117 in steps of a few hundred: the axis starts near the steps, not at 0
    cac = Chart("", [Bar("W42", 0, 2819, "", LEVEL), Bar("x", 2819, 3186, "", BAD), Bar("y", 3186, 3117, "", GOOD),
                     Bar("W43", 0, 3117, "", LEVEL)], waterfall=True)
    assert domain(cac) == (pytest.approx(2819 - 1.5 * (3186 - 2819)), 3186)
