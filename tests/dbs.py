"""Real databases for the SQL-source tests: DuckDB always, PostgreSQL and MariaDB when a
server answers on 127.0.0.1 (as on every developer and CI machine); otherwise those tests
skip and say why. Each test session gets its own database, dropped at the end."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

PG_ADMIN = os.environ.get("COCKPIT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MY_ADMIN = os.environ.get("COCKPIT_TEST_MYSQL", "mysql+pymysql://root@127.0.0.1:3306/")


def _server_or_skip(url: str, what: str) -> sa.Engine:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # no server here: a user's machine
        pytest.skip(f"{what} is not running at {engine.url.render_as_string(hide_password=True)} "
                    f"({type(exc).__name__}); the SQL-source tests for it need a real server")
    return engine


@pytest.fixture(scope="session")
def pg_url():
    admin = _server_or_skip(PG_ADMIN, "PostgreSQL")
    name = f"cockpit_test_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def mariadb_url():
    admin = _server_or_skip(MY_ADMIN, "MariaDB/MySQL")
    name = f"cockpit_test_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    yield admin.url.set(database=name).render_as_string(hide_password=False) + "?charset=utf8mb4"
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
    admin.dispose()


@pytest.fixture
def duckdb_url(tmp_path):
    return f"duckdb:///{tmp_path / 'marketing.duckdb'}"


@pytest.fixture(params=["duckdb", "postgresql", "mariadb"])
def any_db_url(request):
    """The same test on DuckDB, PostgreSQL and MariaDB."""
    return request.getfixturevalue({"duckdb": "duckdb_url", "postgresql": "pg_url",
                                    "mariadb": "mariadb_url"}[request.param])


def write_tables(url: str, frames: dict, replace: bool = True) -> None:
    """Create tables named like the tabs from pandas frames (typed columns)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for name, frame in frames.items():
            frame.to_sql(name, conn, if_exists="replace" if replace else "append", index=False)
    engine.dispose()
