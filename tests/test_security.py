"""Hardening beyond sign-in: sheet text never becomes HTML, exports never become formulas,
filter values never become SQL, personal rows are cached per viewer, server settings."""
import csv
import importlib
import io
import re
import subprocess
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lib import ROOT
from lib.config import sources_for_data
from lib.export import csv_bytes, xlsx_bytes
from lib.metrics import Request, load_catalog, run
from lib.store import load_store
from tests.apptest import run_page, signed_in_app, use_auth

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
MARKDOWN = "**bold** [click](javascript:alert(3)) :red[red] <b>b</b>"
# The library's own hiding of its zero-height cookie iframes (a constant, not data).
LIBRARY_CSS = re.compile(r"^\s*<style>\s*\.element-container:has\(iframe\[height=\"0\"\]\) \{ display: none; \}\s*</style>\s*$")


# ---- sheet text is shown as text ---------------------------------------------------------


@pytest.fixture
def hostile_sheet(tmp_path):
    folder = tmp_path / "sheet"
    folder.mkdir()
    (folder / "staff.csv").write_text(
        "employee_id,name,department,level\n"
        f'E001,"{XSS.replace(chr(34), chr(34) * 2)}",{MARKDOWN},director\n'
        "E002,李四,数字营销部,manager\n", encoding="utf-8")
    (folder / "marketing_daily.csv").write_text(
        "date,channel,region,spend\n"
        "2026-10-19,抖音,华东,100\n"
        f'2026-10-20,"{XSS.replace(chr(34), chr(34) * 2)}",{MARKDOWN},abc\n', encoding="utf-8")
    return folder


def markdown_elements(at):
    for kind in ("markdown", "caption"):  # (titles and headers cannot allow HTML at all)
        yield from getattr(at, kind)


def test_html_and_markdown_in_sheet_cells_stay_plain_text(monkeypatch, tmp_path, hostile_sheet):
    at = run_page(monkeypatch, "pages/data_quality.py", hostile_sheet)
    row_values = next(d.value for d in at.dataframe if "channel" in d.value)  # "The row as typed"
    assert list(row_values["channel"]) == [XSS] and list(row_values["region"]) == [MARKDOWN]
    for element in markdown_elements(at):
        assert not element.allow_html, element.value

    use_auth(monkeypatch, tmp_path)
    at = signed_in_app(monkeypatch, "boss", hostile_sheet)  # E001, whose name is the payload
    caption = next(c.value for c in at.caption if c.value.startswith("Signed in as"))
    # Every Markdown character is escaped: the browser shows the name exactly as typed.
    assert caption == ("Signed in as \\<img src\\=x onerror\\=\"alert\\(1\\)\"\\>\\<script\\>alert\\(2\\)\\</script\\> "
                       "· Director")
    for element in markdown_elements(at):
        assert not element.allow_html or LIBRARY_CSS.match(element.value), element.value


def test_no_code_of_ours_renders_html():
    """unsafe_allow_html and components.html are never used in app.py, pages/ or lib/, and
    st.html only ever gets a module constant that is the Path of a .css file of the repo."""
    offenders, style_sheets = [], []
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("lib/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        for pattern in ("unsafe_allow_html", "components.html(", "components.v1.html"):
            if pattern in text:
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
        for argument in re.findall(r"st\.html\(([^)]*)\)", text):
            if not re.fullmatch(r"[A-Z_]+", argument):
                offenders.append(f"{path.relative_to(ROOT)}: st.html({argument})")
                continue
            module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
            style_sheets.append(getattr(module, argument))
    assert offenders == []
    for sheet in style_sheets:
        assert isinstance(sheet, Path) and sheet.suffix == ".css" and sheet.is_relative_to(ROOT), sheet
        assert "<" not in sheet.read_text(encoding="utf-8"), f"{sheet} holds markup, not only CSS"
    assert [s.name for s in style_sheets] == ["presentation.css"]


# ---- exports: formulas neutralised -------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "=1+1"]


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "name": PAYLOADS,
        "score": [-3, 1.5, -0.25, 0, 10, -100, 7],  # real numbers: stay numbers
        "=cmd|' /C calc'!A0": ["ok"] * len(PAYLOADS),  # a formula in a column name too
    })


def test_csv_export_neutralises_formulas_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(csv_bytes(hostile_frame()).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "score", "'=cmd|' /C calc'!A0"]
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS]
    assert [r[1] for r in rows[1:]] == ["-3.0", "1.5", "-0.25", "0.0", "10.0", "-100.0", "7.0"]


def test_xlsx_export_neutralises_formulas_and_keeps_numbers():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"scores": hostile_frame()})))
    sheet = book["scores"]
    assert sheet.cell(1, 3).value == "'=cmd|' /C calc'!A0"
    for row, payload in enumerate(PAYLOADS, start=2):
        cell = sheet.cell(row, 1)
        # (XML turns a stored carriage return into a line feed when the file is read)
        assert (cell.value, cell.data_type) == ("'" + payload.replace("\r", "\n"), "s")
        assert sheet.cell(row, 2).data_type == "n"
    assert [sheet.cell(r, 2).value for r in range(2, 9)] == [-3, 1.5, -0.25, 0, 10, -100, 7]
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


# ---- filter values are bound parameters ----------------------------------------------------

INJECTIONS = ["华东' OR '1'='1", "x'); DROP TABLE marketing_daily; --", "华东\" OR 1=1 --", "华%"]


@pytest.fixture(scope="module")
def golden_store():
    return load_store(sources_for_data(str(GOLDEN)))


@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_in_a_filter_value_is_only_a_value(golden_store, value):
    catalog = load_catalog()
    before = run(golden_store, catalog, Request(("spend",), ("region",))).frame
    result = run(golden_store, catalog, Request(("spend",), ("region",), where=(("region", (value,)),)))
    assert result.frame.empty  # no region is called that: nothing matches, nothing else runs
    for query in result.queries:
        assert value not in query.sql and [value] in query.params.values()  # sent as a bound parameter
    after = run(golden_store, catalog, Request(("spend",), ("region",))).frame
    pd.testing.assert_frame_equal(before, after)  # the table is still there, unchanged


def test_sql_in_a_cli_filter_changes_nothing(capsys):
    from lib.cli import main

    assert main(["query", "--data", str(GOLDEN), "--metrics", "spend", "--by", "region",
                 "--where", "region=华东' OR '1'='1"]) == 0
    assert capsys.readouterr().out == "region,spend\n"
    assert main(["query", "--data", str(GOLDEN), "--metrics", "spend", "--where", "region;DROP TABLE x=1"]) == 2
    assert "region;DROP TABLE x" in capsys.readouterr().err


def test_a_staff_lookup_binds_the_employee_id(golden_store, hostile_sheet):
    from lib.auth import department_of

    store = load_store(sources_for_data(str(hostile_sheet)))
    assert department_of(store, "E002") == "数字营销部"
    assert department_of(store, "E002' OR '1'='1") is None


# ---- server settings -----------------------------------------------------------------------


def test_server_settings_are_hardened():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["enableXsrfProtection"] is True
    assert settings["server"]["enableCORS"] is True  # Streamlit's CORS *protection*: no cross-origin access
    assert settings["server"]["enableStaticServing"] is False
    assert settings["client"]["showErrorDetails"] == "none"
    assert settings["client"]["toolbarMode"] == "viewer"
    assert settings["client"]["disableDataExport"] is True  # downloads only through lib/export.py
    from streamlit import config

    config.get_config_options(force_reparse=True)  # Streamlit reads them as meant (no typo'd key)
    assert config.get_option("client.showErrorDetails") == "none"
    assert config.get_option("client.toolbarMode") == "viewer"
    assert config.get_option("client.disableDataExport") is True
    assert config.get_option("server.enableStaticServing") is False


def test_secrets_are_ignored_by_git():
    assert subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT).returncode == 0
    tracked = subprocess.run(["git", "ls-files", ".streamlit"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "secrets.toml\n" not in tracked.replace("secrets.toml.example\n", "")
