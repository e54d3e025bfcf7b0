"""SQL sources, for real: a DuckDB file, PostgreSQL and MariaDB on 127.0.0.1.

Tables named like the tabs stay in their database; bad rows are set aside by the same
rules as sheet rows; the store's relation gives only the good rows.
"""
import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.cli import main
from lib.config import sources_for_data
from lib.sources.sql import make_engine
from lib.store import load_store
from tests.dbs import any_db_url, duckdb_url, mariadb_url, pg_url, write_tables  # noqa: F401 (fixtures)


def marketing_frame():
    day = dt.date(2025, 7, 1)
    return pd.DataFrame({
        "Date": [day, day, day + dt.timedelta(days=1), day],
        "Channel": ["百度SEM", "抖音", "EDM", None],  # the last row misses a required value
        "Spend": [1000.0, 500.0, -20.0, 30.0],  # a negative spend is a bad row
        "Clicks": [100, 80, 5, 1],
        "New_Customers": [2, 1, 0, 0],
    })


def staff_frame():
    return pd.DataFrame({"employee_id": ["E001", "E002"], "name": ["张三", "李四"],
                         "department": ["品牌部", "内容运营部"]})


def test_tabs_stay_in_the_database_and_only_good_rows_are_counted(any_db_url):
    write_tables(any_db_url, {"marketing_daily": marketing_frame(), "staff": staff_frame()})
    store = load_store(sources_for_data(any_db_url))
    info = store.tabs["marketing_daily"]
    assert info.location == "live" and (info.rows, info.quarantined) == (2, 2)
    rel = store.relation("marketing_daily")
    sel = rel.selectable
    with rel.engine.connect() as conn:
        spend = conn.execute(sa.select(sa.func.sum(sel.c.spend))).scalar()
        customers = conn.execute(sa.select(sa.func.sum(sel.c.new_customers))).scalar()
    assert float(spend) == 1500.0 and float(customers) == 3
    messages = sorted(i.message.split(";")[0] for i in store.errors())
    assert messages == ["1 row(s) with negative spend", "1 row(s) with required value is missing"]
    staff = store.read("staff", order_by=["employee_id"])
    assert staff["name"].tolist() == ["张三", "李四"]


def test_missing_column_and_wrong_type_are_tab_errors(any_db_url):
    bad_types = marketing_frame().assign(Date=lambda f: f["Date"].astype(str))
    write_tables(any_db_url, {"marketing_daily": bad_types, "staff": staff_frame().drop(columns=["name"])})
    store = load_store(sources_for_data(any_db_url))
    assert not store.has("marketing_daily") and not store.has("staff")
    texts = sorted(str(i) for i in store.errors())
    assert any("tab marketing_daily, column date: column type" in t and "DATE (or a view that casts it)" in t
               for t in texts)
    assert any("tab staff: missing required column name; found: employee_id, department" in t for t in texts)


def test_check_on_a_database_names_the_bad_rows_and_exits_1(duckdb_url, capsys):
    write_tables(duckdb_url, {"marketing_daily": marketing_frame()})
    assert main(["check", "--data", duckdb_url]) == 1
    out = capsys.readouterr().out
    assert "tab marketing_daily, column spend: 1 row(s) with negative spend; set aside. First: date=2025-07-02, channel=EDM, spend=-20.0" in out


def test_database_down_leaves_last_good_data(duckdb_url, tmp_path):
    write_tables(duckdb_url, {"marketing_daily": marketing_frame()})
    config = sources_for_data(duckdb_url)
    first = load_store(config)
    bad = sources_for_data("postgresql+psycopg://nobody@127.0.0.1:1/none")
    second = load_store(bad.model_copy(update={"sources": {"data": bad.sources["data"]}}), previous=first)
    status = second.statuses["data"]
    assert not status.ok and "cannot be reached" in status.error
    assert status.loaded_at == first.statuses["data"].loaded_at
    assert second.tabs["marketing_daily"].stale


def test_query_over_the_time_limit_is_cancelled_and_the_connection_stays_usable(pg_url):
    engine = make_engine(pg_url, timeout_seconds=0.5)
    with engine.connect() as conn:
        with pytest.raises(sa.exc.OperationalError, match="statement timeout"):
            conn.execute(sa.text("SELECT pg_sleep(3)"))
        conn.rollback()
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1


def test_mariadb_query_over_the_time_limit_is_cancelled(mariadb_url):
    engine = make_engine(mariadb_url, timeout_seconds=0.5)
    with engine.connect() as conn:
        started = dt.datetime.now()
        try:
            result = conn.execute(sa.text("SELECT SLEEP(3)")).scalar()
            assert result == 1  # MySQL's SLEEP returns 1 when interrupted
        except sa.exc.OperationalError as exc:
            assert "max_statement_time" in str(exc) or "interrupted" in str(exc)
        assert (dt.datetime.now() - started).total_seconds() < 2.5
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1


def test_trino_connections_carry_the_time_limit_as_a_session_property(monkeypatch):
    """No Trino server here: the dialect's real connect path runs up to trino.dbapi.connect,
    which records what the app asks for."""
    trino_dbapi = pytest.importorskip("trino.dbapi", reason="the trino dialect is in requirements-dev.txt")
    asked = {}

    def fake_connect(*args, **kwargs):
        asked.update(kwargs)
        raise ConnectionRefusedError("no Trino here")

    monkeypatch.setattr(trino_dbapi, "connect", fake_connect)
    engine = make_engine("trino://analyst@127.0.0.1:1/hive/marketing", timeout_seconds=60)
    with pytest.raises(ConnectionRefusedError):
        engine.connect()
    assert asked["session_properties"] == {"query_max_execution_time": "60s"}
    assert asked["user"] == "analyst" and asked["catalog"] == "hive" and asked["schema"] == "marketing"
