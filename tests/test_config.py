"""config/sources.yaml: every problem listed at once, with file, key path and a fix."""
import textwrap

import pytest

from lib.config import load_sources, sources_for_data
from lib.issues import ConfigError


def problems(tmp_path, text):
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    return [str(i).replace(str(path), "sources.yaml") for i in caught.value.issues]


def test_default_config_is_valid_and_points_at_the_sample_data():
    cfg = load_sources()
    assert cfg.default == "sample" and cfg.sources["sample"].kind == "csv"
    assert cfg.source_of("marketing_daily") == "sample"


def test_every_problem_is_listed_with_a_suggestion(tmp_path):
    assert problems(tmp_path, """
        default: sampel
        sources:
          sample: {kind: csv, pth: x}
        tabs: {marketing_dialy: sample, staff: warehous}
    """) == [
        "error: sources.yaml, default: no source named 'sampel'; did you mean 'sample'?",
        "error: sources.yaml, tabs.marketing_dialy: unknown tab 'marketing_dialy'; did you mean 'marketing_daily'?",
        "error: sources.yaml, tabs.staff: no source named 'warehous'; known: sample",
        "error: sources.yaml, sources.sample.path: required key is missing",
        "error: sources.yaml, sources.sample.pth: unknown key 'pth'; did you mean 'path'?",
    ]


def test_unknown_kind_and_bad_values(tmp_path):
    assert problems(tmp_path, """
        refresh_minutes: 0
        default: s
        sources:
          s: {kind: csvv, path: x}
          db: {kind: sql, url: "not a url", timeout: 3}
    """) == [
        "error: sources.yaml, refresh_minutes: Input should be greater than 0",
        "error: sources.yaml, sources.s.kind: kind 'csvv' is not one of csv, xlsx, gsheet, sql; did you mean 'csv'?",
        "error: sources.yaml, sources.db.url: 'not a url' is not a SQLAlchemy URL such as "
        "postgresql+psycopg://user@host/db",
        "error: sources.yaml, sources.db.timeout: unknown key 'timeout'; allowed keys: db_schema, kind, "
        "query_timeout_seconds, tables, url",
    ]


def test_environment_variables_fill_secrets_and_a_missing_one_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("COCKPIT_SHEET", raising=False)
    text = """
        default: g
        sources:
          g:
            kind: gsheet
            spreadsheet_id: ${COCKPIT_SHEET}
    """
    assert problems(tmp_path, text) == [
        "error: sources.yaml, sources.g.spreadsheet_id: environment variable COCKPIT_SHEET is not set; "
        "set COCKPIT_SHEET before starting (export COCKPIT_SHEET=...)"]
    monkeypatch.setenv("COCKPIT_SHEET", "1AbCdEfGhIjKlMnOp")
    path = tmp_path / "sources.yaml"
    assert load_sources(path).sources["g"].spreadsheet_id == "1AbCdEfGhIjKlMnOp"


def test_yaml_syntax_error_names_the_line(tmp_path):
    assert problems(tmp_path, "default: s\nsources: [unclosed\n") == [
        "error: sources.yaml: not valid YAML at line 3: expected ',' or ']', but got '<stream end>'"]


@pytest.mark.parametrize("data, kind", [("sample_data/csv", "csv"), ("team.XLSX", "xlsx"),
                                        ("postgresql+psycopg://u@h/db", "sql")])
def test_data_option_picks_the_source_kind(data, kind):
    assert sources_for_data(data).sources["data"].kind == kind
