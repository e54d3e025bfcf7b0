"""The metrics layer on real databases, and its SQL per dialect.

- The same requests give the same numbers on DuckDB, PostgreSQL and MariaDB (the real
  servers on 127.0.0.1), as from the CSV folder: golden data, every grain, ISO weeks
  across the turn of the year, days stored as timestamps, blanks.
- A request whose tabs live in two sources is aggregated in each and combined.
- The compiled SQL per dialect (DuckDB, PostgreSQL, MySQL, MariaDB, Trino) is compared
  with snapshots in tests/snapshots/metrics. After a deliberate change to the compiler,
  rewrite them with `COCKPIT_UPDATE_SNAPSHOTS=1 pytest tests/test_metrics_sql.py` and
  review the diff.
"""
import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.config import SourcesConfig, sources_for_data
from lib.metrics import Request, compare, explain, load_catalog, run
from lib.metrics.engine import compile_request
from lib.schema import TABS, Kind
from lib.sources.sql import LiveTab
from lib.store import Relation, load_store
from lib.validate import ROW
from tests.dbs import any_db_url, duckdb_url, mariadb_url, pg_url, write_tables  # noqa: F401 (fixtures)
from tests.golden import GOLDEN, golden_frames

SNAPSHOTS = Path(__file__).parent / "snapshots" / "metrics"
W43 = (dt.date(2026, 10, 19), dt.date(2026, 10, 25))
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
COUNTS = ("impressions", "clicks", "engagements", "leads", "new_customers", "orders")
ALL_DEFAULT = ("spend", "impressions", "clicks", "engagements", "leads", "new_customers", "orders", "revenue", "ctr",
               "cpc", "cpm", "cpl", "lead_conversion", "cac", "roi", "roas", "aov", "engagement_rate")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def csv_store():
    return load_store(sources_for_data(str(GOLDEN)))


def sql_frames() -> dict[str, pd.DataFrame]:
    """The golden tabs as a database would hold them: counts as integers (so sums come
    back as integers or decimals, depending on the database), money as floats."""
    frames = golden_frames()
    frames["marketing_daily"] = frames["marketing_daily"].astype({c: "int64" for c in COUNTS})
    return frames


REQUESTS = [
    Request(("spend", "cac", "ctr", "roi"), by=("channel",), grain="week"),
    Request(("leads", "cvr", "cpm"), by=("region", "department"), grain="month"),
    Request(("budget_utilization", "budget"), by=("department",), start=OCTOBER[0], end=OCTOBER[1]),
    Request(("budget_utilization",), by=("department",), start=W43[0], end=W43[1]),
    Request(("budget",), grain="week", start=OCTOBER[0], end=OCTOBER[1]),
    Request(("revenue", "aov"), grain="day", where=(("channel", ("抖音", "线下沙龙")),),
            start=dt.date(2026, 10, 13), end=dt.date(2026, 10, 21)),
    Request(("new_customers", "campaign_roi"), grain="quarter"),
    Request(("spend", "roas"), by=("campaign_id",), grain="year"),  # a blank group: sorted last everywhere
    Request(ALL_DEFAULT, start=W43[0], end=W43[1]),
]


def test_same_numbers_on_every_database(any_db_url, csv_store, catalog):
    write_tables(any_db_url, sql_frames())
    db_store = load_store(sources_for_data(any_db_url))
    assert db_store.tabs["marketing_daily"].location == "live"
    for request in REQUESTS:
        expected = run(csv_store, catalog, request).frame
        got = run(db_store, catalog, request).frame
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-12)
    comparison = Request(("spend", "cac"), by=("channel",), start=W43[0], end=W43[1])
    pd.testing.assert_frame_equal(compare(db_store, catalog, comparison), compare(csv_store, catalog, comparison),
                                  check_dtype=False, rtol=1e-12)
    for metric, by in (("cac", "region"), ("spend", "channel"), ("budget_utilization", "department")):
        got = explain(db_store, catalog, metric, by, "2026-W43", "2026-W42").to_json()
        assert_same(got, explain(csv_store, catalog, metric, by, "2026-W43", "2026-W42").to_json())


def assert_same(got, expected):
    """Equal JSON documents, numbers to 12 digits (sums of floats in another order)."""
    if isinstance(expected, dict):
        assert list(got) == list(expected)
        for key in expected:
            assert_same(got[key], expected[key])
    elif isinstance(expected, list):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_same(g, e)
    elif isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)
    else:
        assert got == expected


# Days around the turn of the year, with their ISO weeks written out by hand.
YEAR_END = {
    dt.date(2024, 12, 29): "2024-W52",  # a Sunday
    dt.date(2024, 12, 30): "2025-W01",  # Monday: already week 1 of 2025
    dt.date(2025, 12, 28): "2025-W52",
    dt.date(2025, 12, 29): "2026-W01",  # the spec's example
    dt.date(2026, 1, 1): "2026-W01",
    dt.date(2026, 12, 31): "2026-W53",  # 2026 has 53 weeks
    dt.date(2027, 1, 3): "2026-W53",  # a Sunday of January in the previous ISO year
    dt.date(2027, 1, 4): "2027-W01",
}


def year_end_frame(times: bool = False) -> pd.DataFrame:
    days = list(YEAR_END)
    stamps = [dt.datetime.combine(d, dt.time(18, 30)) for d in days] if times else days
    return pd.DataFrame({"date": stamps, "channel": ["EDM"] * len(days),
                         "spend": [float(2 ** i) for i in range(len(days))]})  # each day's spend is one bit


@pytest.mark.parametrize("grain, expected", [
    ("week", {"2024-W52": 1, "2025-W01": 2, "2025-W52": 4, "2026-W01": 8 + 16, "2026-W53": 32 + 64, "2027-W01": 128}),
    ("day", {"2024-12-29": 1, "2024-12-30": 2, "2025-12-28": 4, "2025-12-29": 8, "2026-01-01": 16,
             "2026-12-31": 32, "2027-01-03": 64, "2027-01-04": 128}),
    ("month", {"2024-12": 3, "2025-12": 12, "2026-01": 16, "2026-12": 32, "2027-01": 192}),
    ("quarter", {"2024-Q4": 3, "2025-Q4": 12, "2026-Q1": 16, "2026-Q4": 32, "2027-Q1": 192}),
    ("year", {"2024": 3, "2025": 12, "2026": 48, "2027": 192}),
])
@pytest.mark.parametrize("times", [False, True], ids=["dates", "timestamps"])
def test_period_labels_on_every_database(any_db_url, catalog, grain, expected, times):
    """Labels computed by each database's own date functions; a day stored as a timestamp
    (18:30) counts on its day, also on the last day of a range."""
    write_tables(any_db_url, {"marketing_daily": year_end_frame(times)})
    store = load_store(sources_for_data(any_db_url))
    frame = run(store, catalog, Request(("spend",), grain=grain)).frame
    assert dict(zip(frame["period"], frame["spend"])) == expected
    week = run(store, catalog, Request(("spend",), start=dt.date(2025, 12, 29), end=dt.date(2026, 1, 1))).frame
    assert week["spend"].tolist() == [8 + 16]


def test_year_end_labels_from_a_sheet_too(tmp_path, catalog):
    (tmp_path / "marketing_daily.csv").write_text(year_end_frame().to_csv(index=False), encoding="utf-8")
    store = load_store(sources_for_data(str(tmp_path)))
    frame = run(store, catalog, Request(("spend",), grain="week")).frame
    assert frame["period"].tolist() == ["2024-W52", "2025-W01", "2025-W52", "2026-W01", "2026-W53", "2027-W01"]


def test_tabs_in_two_sources_are_aggregated_where_they_live(any_db_url, csv_store, catalog):
    """Spend in the database, the budget in the sheet: each is summed where it is and the
    small results are joined by department."""
    write_tables(any_db_url, {"marketing_daily": sql_frames()["marketing_daily"]})
    config = SourcesConfig(default="sheet", tabs={"marketing_daily": "warehouse"}, sources={
        "warehouse": {"kind": "sql", "url": any_db_url}, "sheet": {"kind": "csv", "path": str(GOLDEN)}})
    mixed = load_store(config)
    assert (mixed.tabs["marketing_daily"].location, mixed.tabs["budget"].location) == ("live", "duckdb")
    request = Request(("budget_utilization", "cac"), by=("department",), start=W43[0], end=W43[1])
    result = run(mixed, catalog, request)
    assert [(q.tab, q.location) for q in result.queries] == [("marketing_daily", "live"), ("budget", "duckdb")]
    assert result.queries[0].dialect.name == sa.engine.make_url(any_db_url).get_dialect().name
    pd.testing.assert_frame_equal(result.frame, run(csv_store, catalog, request).frame, check_dtype=False,
                                  rtol=1e-12)
    got = dict(zip(result.frame["department"], result.frame["budget_utilization"]))
    assert got["数字营销部"] == pytest.approx(2100 / (10000 * 7 / 31))


# ---- compiled SQL per dialect ------------------------------------------------------------------

_SQL_TYPES = {Kind.DATE: sa.Date, Kind.DATETIME: sa.DateTime, Kind.NUMBER: sa.Float, Kind.BOOL: sa.Boolean}
DIALECTS = {
    "duckdb": "duckdb:///:memory:",
    "postgresql": "postgresql+psycopg://reader@warehouse/marketing",
    "mysql": "mysql+pymysql://reader@warehouse/marketing",
    "mariadb": "mariadb+pymysql://reader@warehouse/marketing",
    "trino": "trino://reader@warehouse:8080/hive/marketing",
}
CASES = {
    "cac_by_channel_weekly": Request(("cac",), by=("channel",), grain="week", start=W43[0], end=W43[1],
                                     where=(("region", ("华东", "华北")),)),
    "budget_utilization_by_department": Request(("budget_utilization",), by=("department",), start=W43[0],
                                                end=W43[1]),
    "campaign_roi_quarterly": Request(("campaign_roi", "roas"), grain="quarter"),
    "budget_monthly": Request(("budget",), grain="month", start=OCTOBER[0], end=OCTOBER[1]),
}


def relation_for(dialect: str):
    """Where a tab lives for that dialect: DuckDB's embedded table, or a warehouse table
    seen through its valid-rows filter (as lib.sources.sql reflects it). Nothing connects."""
    engine = sa.create_engine(DIALECTS[dialect])

    def relation(tab: str) -> Relation:
        if dialect == "duckdb":
            return Relation(tab, engine, sa.table(tab, *[sa.column(c) for c in TABS[tab].column_names + [ROW]]),
                            "duckdb")
        columns = [sa.Column(c.name, _SQL_TYPES.get(c.kind, sa.String)) for c in TABS[tab].columns]
        table = sa.Table(tab, sa.MetaData(), *columns)
        live = LiveTab(tab, "warehouse", engine, table, {c.name: c.name for c in TABS[tab].columns})
        return Relation(tab, engine, live.valid_rows(), "live")

    return relation


def snapshot_text(catalog, request: Request, dialect: str) -> str:
    parts = []
    for query in compile_request(catalog, request, relation_for(dialect)):
        params = ", ".join(f"{k}={v!r}" for k, v in sorted(query.params.items())) or "none"
        sql = "\n".join(line.rstrip() for line in query.sql.strip().splitlines())
        parts.append(f"-- {query.description}\n-- params: {params}\n{sql};\n")
    return "\n".join(parts)


@pytest.mark.parametrize("dialect", list(DIALECTS))
@pytest.mark.parametrize("case", list(CASES))
def test_compiled_sql_snapshot(catalog, case, dialect):
    path = SNAPSHOTS / f"{case}.{dialect}.sql"
    text = snapshot_text(catalog, CASES[case], dialect)
    if os.environ.get("COCKPIT_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no snapshot {path.name}: run with COCKPIT_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("dialect, grouped_by, week_label", [
    # DuckDB, PostgreSQL, Trino: group by the week's Monday, then label the few groups
    ("duckdb", "date_trunc('week', marketing_daily.date)", "strftime(by_period.period, '%G-W%V')"),
    ("postgresql", "date_trunc('week', marketing_daily.date)", """to_char(by_period.period, 'IYYY-"W"IW')"""),
    ("trino", "date_trunc('week', marketing_daily.date)", "date_format(by_period.period, '%x-W%v')"),
    # MySQL and MariaDB have no date_trunc: group by the label (% doubled for pymysql)
    ("mysql", "date_format(marketing_daily.date, '%%x-W%%v')", "date_format(marketing_daily.date, '%%x-W%%v')"),
    ("mariadb", "date_format(marketing_daily.date, '%%x-W%%v')", "date_format(marketing_daily.date, '%%x-W%%v')"),
])
def test_each_dialect_labels_iso_weeks_with_its_own_function(catalog, dialect, grouped_by, week_label):
    [query] = compile_request(catalog, CASES["cac_by_channel_weekly"], relation_for(dialect))
    sql = " ".join(query.sql.split())
    period = query.dialect.identifier_preparer.quote("period")  # MariaDB reserves the word
    assert sql.startswith(f"SELECT {week_label} AS {period}")
    assert f"GROUP BY {grouped_by}, marketing_daily.channel" in sql
    assert "华东" not in sql and "2026-10" not in sql  # values only as parameters
    assert query.params["where_region"] == ["华东", "华北"]
    assert (query.params["start"], query.params["before"]) == (W43[0], dt.date(2026, 10, 26))


def test_a_dialect_without_period_labels_is_named_instead_of_getting_duckdb_sql():
    from sqlalchemy.dialects import sqlite

    from lib.metrics.grains import GrainLabel
    label = GrainLabel(sa.column("date"), "month")
    assert "strftime" in str(label.compile(dialect=sa.create_engine("duckdb:///:memory:").dialect))
    with pytest.raises(sa.exc.CompileError, match="not written for the sqlite dialect yet.*lib/metrics/grains.py"):
        label.compile(dialect=sqlite.dialect())
