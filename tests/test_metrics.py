"""The metrics layer on a small hand-checked dataset (tests/fixtures/golden), the same
requests on DuckDB, PostgreSQL and MariaDB, and the explain decomposition.

Hand computation (see the CSV): week 2026-W42 spend 2500, new customers 15, CAC 166.67;
week 2026-W43 spend 3300, new customers 14, CAC 235.71.
"""
import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from lib import ROOT
from lib.cli import main
from lib.config import sources_for_data
from lib.metrics import Request, compare, explain, load_catalog, run, status, target_for
from lib.metrics.grains import label_of, parse_period, previous_range, year_ago_range
from lib.metrics.targets import benchmark_for
from lib.sources.files import CsvFolderSource
from lib.store import load_store
from lib.validate import validate_tab
from tests.dbs import any_db_url, duckdb_url, mariadb_url, pg_url, write_tables  # noqa: F401

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
W42, W43 = (dt.date(2026, 10, 12), dt.date(2026, 10, 18)), (dt.date(2026, 10, 19), dt.date(2026, 10, 25))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(GOLDEN)))


def q(store, catalog, *metrics, **kw):
    return run(store, catalog, Request(tuple(metrics), **kw)).frame


# ---- golden results ----------------------------------------------------------------------

def test_totals_and_ratios_from_aggregated_inputs(store, catalog):
    row = q(store, catalog, "spend", "new_customers", "cac", "roi", "ctr", start=W43[0], end=W43[1]).iloc[0]
    assert row["spend"] == 3300 and row["new_customers"] == 14
    assert row["cac"] == pytest.approx(3300 / 14)
    assert row["roi"] == pytest.approx((20500 - 3300) / 3300)
    assert row["ctr"] == pytest.approx(840 / 58000)  # not the mean of the rows' CTRs


def test_weekly_by_channel_with_division_by_zero_as_null(store, catalog):
    frame = q(store, catalog, "spend", "cac", "ctr", by=("channel",), grain="week")
    got = {(r.period, r.channel): (r.spend, r.cac, r.ctr) for r in frame.itertuples()}
    assert got[("2026-W42", "百度SEM")][:2] == (1600, pytest.approx(1600 / 6))
    assert got[("2026-W43", "抖音")][:2] == (900, 100)
    spend, cac, ctr = got[("2026-W43", "线下沙龙")]
    assert spend == 300 and pd.isna(cac) and pd.isna(ctr)
    assert list(frame.columns) == ["period", "channel", "spend", "cac", "ctr"]


def test_filters_are_bound_parameters_and_sql_injection_is_just_a_value(store, catalog):
    result = run(store, catalog, Request(("spend",), where=(("region", ("华东",)),)))
    assert result.frame["spend"].iloc[0] == 1000 + 500 + 1500 + 500 + 300
    sql = result.queries[0].sql
    assert "华东" not in sql and "where_region" in sql
    evil = run(store, catalog, Request(("spend",), where=(("region", ("华东' OR '1'='1",)),))).frame
    assert pd.isna(evil["spend"].iloc[0])  # no row matches the literal text
    assert q(store, catalog, "spend")["spend"].iloc[0] == 5800  # and the table is intact


def test_metric_across_two_tabs_aggregates_each_and_combines(store, catalog):
    frame = q(store, catalog, "budget_utilization", by=("department",),
              start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    got = dict(zip(frame["department"], frame["budget_utilization"]))
    assert got == {"内容运营部": pytest.approx(0.36), "数字营销部": pytest.approx(0.37),
                   "活动策划部": pytest.approx(0.15)}


def test_campaign_metrics_use_their_row_filter(store, catalog):
    row = q(store, catalog, "campaign_spend", "campaign_roi", start=W42[0], end=W42[1]).iloc[0]
    assert row["campaign_spend"] == 1400
    assert row["campaign_roi"] == pytest.approx((12000 - 1400) / 1400)


@pytest.mark.parametrize("grain, labels", [
    ("day", ["2026-10-12", "2026-10-13"]), ("week", ["2026-W42", "2026-W43"]),
    ("month", ["2026-10"]), ("quarter", ["2026-Q4"]), ("year", ["2026"]),
])
def test_grain_labels(store, catalog, grain, labels):
    assert q(store, catalog, "spend", grain=grain)["period"].tolist()[:2] == labels


def test_iso_week_labels_cross_the_year():
    assert label_of(dt.date(2025, 12, 29), "week") == "2026-W01"
    assert parse_period("2026-W01")[1:] == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert previous_range(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert year_ago_range(*W43) == (dt.date(2025, 10, 20), dt.date(2025, 10, 26))  # 2025-W43


# ---- comparisons, targets, status ----------------------------------------------------------

def test_compare_with_previous_period(store, catalog):
    row = compare(store, catalog, Request(("spend", "cac"), start=W43[0], end=W43[1])).iloc[0]
    assert row["spend_prev"] == 2500 and row["spend_prev_change"] == 800
    assert row["spend_prev_pct"] == pytest.approx(0.32)
    assert row["cac_prev_change"] == pytest.approx(3300 / 14 - 2500 / 15)
    assert pd.isna(row["spend_yoy"])  # no data a year before: no number, not zero


def test_targets_prorated_from_month_and_quarter_rows(store, catalog):
    assert target_for(store, catalog, "revenue", *W43) == pytest.approx(62000 * 7 / 31)
    assert target_for(store, catalog, "cac", *W43) == 200  # a level is not pro-rated
    assert target_for(store, catalog, "leads", dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == pytest.approx(
        9200 * 31 / 92)
    assert target_for(store, catalog, "revenue", *W43, dims={"department": "数字营销部"}) == pytest.approx(
        30000 * 7 / 31)
    assert target_for(store, catalog, "revenue", *W43, dims={"department": "品牌部"}) is None
    # no row for 2026-11: the config target (per month, pro-rated) applies
    assert target_for(store, catalog, "revenue", dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == pytest.approx(9e6)


def test_status_follows_direction_and_thresholds(catalog):
    higher, lower = catalog.thresholds_for("revenue"), catalog.thresholds_for("cac")
    assert [status(v, 100, "higher_is_better", higher) for v in (100, 90, 89.99)] == ["green", "amber", "red"]
    assert [status(v, 100, "lower_is_better", lower) for v in (100, 110, 110.01)] == ["green", "amber", "red"]
    assert status(None, 100, "higher_is_better", higher) is None
    assert status(3300 / 14, 200, "lower_is_better", lower) == "red"


def test_benchmark_from_the_tab_overrides_config(store, catalog):
    assert benchmark_for(store, catalog, "ctr") == (0.015, "行业报告 2026")
    assert benchmark_for(store, catalog, "cac") == (None, None)


# ---- explain ---------------------------------------------------------------------------------

def test_explain_additive_parts_sum_exactly(store, catalog):
    result = explain(store, catalog, "spend", "channel", "2026-W43", "2026-W42")
    parts = dict(zip(result.contributions["channel"], result.contributions["contribution"]))
    assert parts == {"百度SEM": 500, "线下沙龙": 300, "抖音": 0}
    assert result.total_change == 800 == sum(parts.values())


def test_explain_ratio_rate_and_mix_by_hand(store, catalog):
    result = explain(store, catalog, "cac", "region", "2026-W43", "2026-W42")
    assert result.method == "rate_mix"
    assert result.before == pytest.approx(2500 / 15) and result.after == pytest.approx(3300 / 14)
    east = result.contributions.set_index("region").loc["华东"]
    north = result.contributions.set_index("region").loc["华北"]
    # 华东: (2300/14 - 1500/15) - R0 (8/14 - 9/15); 华北 changed nothing
    assert east["contribution"] == pytest.approx(2300 / 14 - 100 - (2500 / 15) * (8 / 14 - 0.6))
    assert north["contribution"] == pytest.approx(0, abs=1e-9)
    assert east["rate_effect"] == pytest.approx((0.6 + 8 / 14) / 2 * (2300 / 8 - 1500 / 9))
    assert east["rate_effect"] + east["mix_effect"] == pytest.approx(east["contribution"])
    assert result.contributions["contribution"].sum() == pytest.approx(result.total_change, rel=1e-12)


def test_explain_sentence(store, catalog):
    from lib.metrics.format import explain_sentence

    result = explain(store, catalog, "cac", "region", "2026-W43", "2026-W42")
    assert explain_sentence(result, catalog, "en") == "CAC rose ¥69 (+41%) against 2026-W42; 华东 contributed +¥69."
    assert explain_sentence(result, catalog, "zh") == "获客成本较 2026-W42 上升 ¥69 (+41%)；其中 华东 贡献 +¥69。"


def test_explain_roi_and_cpm_are_ratio_shaped(store, catalog):
    for metric in ("roi", "cpm", "ctr", "cvr"):
        result = explain(store, catalog, metric, "channel", "2026-W43", "2026-W42")
        assert result.method == "rate_mix"
        assert result.contributions["contribution"].sum() == pytest.approx(result.total_change, rel=1e-9, abs=1e-12)


# ---- CLI -------------------------------------------------------------------------------------

def test_cli_query_csv_and_json(capsys):
    assert main(["query", "--data", str(GOLDEN), "--metrics", "spend,cac", "--by", "channel", "--grain", "week",
                 "--where", "region=华东|华北", "--start", "2026-10-19", "--end", "2026-10-25"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "period,channel,spend,cac"
    assert "2026-W43,线下沙龙,300," in lines
    assert main(["query", "--data", str(GOLDEN), "--metrics", "cac", "--by", "channel", "--format", "json",
                 "--start", "2026-10-19", "--end", "2026-10-25"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"channel": "线下沙龙", "cac": None} in doc


def test_cli_explain_json_shape(capsys):
    assert main(["explain", "--data", str(GOLDEN), "--metric", "spend", "--by", "region",
                 "--period", "2026-W43", "--vs", "2026-W42"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["metric"], doc["before"], doc["after"], doc["total_change"]) == ("spend", 2500, 3300, 800)
    assert sum(c["change"] for c in doc["contributions"]) == 800
    assert {"region": "华东", "before": 1500, "after": 2300, "change": 800, "contribution": 800} in doc["contributions"]


@pytest.mark.parametrize("argv, words", [
    (["query", "--metrics", "cack"], "unknown metric 'cack'; did you mean 'cac'?"),
    (["query", "--metrics", "budget", "--by", "region"], "budget cannot be split or filtered by 'region'"),
    (["explain", "--metric", "cac", "--by", "region", "--period", "2026-W99", "--vs", "2026-W42"], "not a real week"),
])
def test_cli_bad_requests_exit_2(capsys, argv, words):
    assert main(argv[:1] + ["--data", str(GOLDEN)] + argv[1:]) == 2
    assert words in capsys.readouterr().err


def test_cli_missing_tab_exits_1(tmp_path, capsys):
    (tmp_path / "staff.csv").write_text("employee_id,name,department\nE1,a,b\n", encoding="utf-8")
    assert main(["query", "--data", str(tmp_path), "--metrics", "spend"]) == 1
    assert "tab(s) marketing_daily needed by spend are not loaded" in capsys.readouterr().err


# ---- the same numbers on DuckDB, PostgreSQL and MariaDB ---------------------------------------

def golden_frames() -> dict[str, pd.DataFrame]:
    """The golden CSVs validated and typed, ready to become SQL tables."""
    raws = CsvFolderSource("g", GOLDEN).read(["marketing_daily", "budget", "targets", "benchmarks"])
    frames = {}
    for tab, raw in raws.items():
        frame = validate_tab(raw).frame.drop(columns=["_row"])
        for col in frame.columns:
            if str(frame[col].dtype).startswith("datetime"):
                frame[col] = frame[col].dt.date
            elif str(frame[col].dtype) == "Float64":
                frame[col] = frame[col].astype("float64")
            elif str(frame[col].dtype) == "string":
                frame[col] = frame[col].astype(object)
        frames[tab] = frame
    return frames


REQUESTS = [
    Request(("spend", "cac", "ctr", "roi"), by=("channel",), grain="week"),
    Request(("leads", "cvr", "cpm"), by=("region", "department"), grain="month"),
    Request(("budget_utilization",), by=("department",), start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)),
    Request(("revenue", "aov"), grain="day", where=(("channel", ("抖音", "线下沙龙")),),
            start=dt.date(2026, 10, 13), end=dt.date(2026, 10, 21)),
    Request(("new_customers",), grain="quarter"),
]


def test_same_numbers_on_every_database(any_db_url, store, catalog):
    write_tables(any_db_url, golden_frames())
    db_store = load_store(sources_for_data(any_db_url))
    assert db_store.tabs["marketing_daily"].location == "live"
    for request in REQUESTS:
        expected = run(store, catalog, request).frame
        got = run(db_store, catalog, request).frame
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-9)
    db_explain = explain(db_store, catalog, "cac", "region", "2026-W43", "2026-W42").to_json()
    assert db_explain == explain(store, catalog, "cac", "region", "2026-W43", "2026-W42").to_json()


def test_compiled_sql_for_trino_and_bigquery_style_dialects(store, catalog):
    """The compiler targets any SQLAlchemy dialect: Trino's installs from the registry."""
    from trino.sqlalchemy.dialect import TrinoDialect

    from lib.metrics.compiler import compile_tab
    from lib.store import Relation

    rel = store.relation("marketing_daily")
    trino_rel = Relation(rel.tab, type("E", (), {"dialect": TrinoDialect()})(), rel.selectable, "live")
    compiled = compile_tab(catalog, trino_rel, ["spend", "new_customers"], "date",
                           Request(("cac",), by=("channel",), grain="week", start=W43[0], end=W43[1]))
    sql = " ".join(compiled.sql.split())
    assert "date_format(marketing_daily.date, '%x-W%v') AS period" in sql
    assert "GROUP BY date_format(marketing_daily.date, '%x-W%v'), marketing_daily.channel" in sql
    assert compiled.params == {"start": W43[0], "end": W43[1]}


# ---- property: an additive metric summed over a dimension equals its total --------------------

@settings(max_examples=25, deadline=None)
@given(metric=st.sampled_from(["spend", "leads", "revenue", "clicks"]),
       dim=st.sampled_from(["channel", "region", "department", "product_line", "campaign_id"]),
       start=st.dates(dt.date(2026, 10, 10), dt.date(2026, 10, 26)), days=st.integers(0, 14))
def test_additive_metric_over_a_dimension_sums_to_the_total(store, catalog, metric, dim, start, days):
    end = start + dt.timedelta(days=days)
    total = q(store, catalog, metric, start=start, end=end)[metric].iloc[0]
    split = q(store, catalog, metric, by=(dim,), start=start, end=end)[metric]
    assert split.sum() == pytest.approx(0 if pd.isna(total) else total)
