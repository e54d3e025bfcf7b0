"""Retention cohorts, worked out by hand on tests/fixtures/customers (see tests/customers_fixture.py),
on the embedded DuckDB, on PostgreSQL and MariaDB, and across two sources."""
import datetime as dt

import pandas as pd
import pytest

from lib.config import SourcesConfig, sources_for_data
from lib.customers.cohorts import load_cohorts, pooled_by_month, repeat_rates, retention_curves, retention_matrix
from lib.customers.data import Scope, ScopeError, add_months, customer_tables, default_scope, last_complete_month
from lib.store import MissingTabError, load_store
from tests.customers_fixture import AS_OF, FIXTURE, frames
from tests.dbs import any_db_url, duckdb_url, mariadb_url, pg_url, write_tables  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(FIXTURE)))


def matrix_dict(matrix: pd.DataFrame) -> dict:
    return {cohort: [round(r, 4) for r in rows.sort_values("month")["retention"]]
            for cohort, rows in matrix.groupby("cohort")}


def curves_dict(curves: pd.DataFrame) -> dict:
    return {ch: [(int(r.customers), int(r.active)) for r in rows.sort_values("month").itertuples()]
            for ch, rows in curves.groupby("channel")}


ALL_CHANNELS = {
    "2025-06": [1.0, 0.0, 1.0] + [0.0] * 7,
    "2026-01": [1.0, 0.5, 0.5],  # C01 C02 C03 C05: Feb C01 C05, Mar C01 C02
    "2026-02": [1.0, round(1 / 3, 4)],  # C04 C06 C07: Mar C04
    "2026-03": [0.5],  # C08 ordered, C10 did not
}
CURVES = {  # (customers of the cohorts that reached month k, active in month k)
    "EDM": [(5, 5), (4, 1), (2, 1)] + [(1, 0)] * 7,
    "抖音": [(5, 4), (4, 2), (3, 2)],
}


def test_retention_by_cohort_all_channels(store):
    cohorts = load_cohorts(store, Scope(AS_OF))
    assert cohorts.last_month_label == "2026-03"
    assert matrix_dict(retention_matrix(cohorts)) == ALL_CHANNELS


def test_retention_of_one_channel_and_the_heat_map_width(store):
    cohorts = load_cohorts(store, Scope(AS_OF))
    assert matrix_dict(retention_matrix(cohorts, "抖音")) == {
        "2026-01": [1.0, round(1 / 3, 4), round(2 / 3, 4)], "2026-02": [1.0, 1.0], "2026-03": [0.0]}
    assert matrix_dict(retention_matrix(cohorts, "EDM", max_months=2))["2025-06"] == [1.0, 0.0, 1.0]


def test_channel_curves_pool_only_the_cohorts_that_reached_each_month(store):
    cohorts = load_cohorts(store, Scope(AS_OF))
    curves = retention_curves(cohorts)
    assert curves_dict(curves) == CURVES
    douyin = curves[curves["channel"] == "抖音"]["retention"].round(4).tolist()
    assert douyin == [0.8, 0.5, round(2 / 3, 4)]


def test_repeat_purchase_rate_counts_buyers_with_two_orders_from_acquisition_on(store):
    rates = repeat_rates(load_cohorts(store, Scope(AS_OF))).set_index("channel")
    # 抖音: C01 (3 orders), C02 (2), C04 (3) of buyers C01-C04; C10 never ordered
    assert rates.loc["抖音"].to_dict() == {"customers": 5, "buyers": 4, "repeat_buyers": 3, "repeat_rate": 0.75}
    # EDM: C05 and C09; C06's January order predates its acquisition, C07's April order the as-of date
    assert rates.loc["EDM"].to_dict() == {"customers": 5, "buyers": 5, "repeat_buyers": 2, "repeat_rate": 0.4}


def test_revenue_per_customer_by_month(store):
    pooled = pooled_by_month(load_cohorts(store, Scope(AS_OF)), "抖音")
    assert pooled["revenue"].tolist() == [760.0, 120.0, 140.0]  # 100+200+120+340; 50+70; 60+80
    assert pooled["revenue_per_customer"].round(4).tolist() == [152.0, 30.0, round(140 / 3, 4)]


def test_an_order_before_acquisition_is_reported_not_silently_dropped(store):
    cohorts = load_cohorts(store, Scope(AS_OF))
    assert cohorts.orders_before_acquisition == 1
    assert cohorts.notes == ["1 order(s) are dated in a month before their customer's acquired_at; "
                             "they are left out of the cohorts"]


def test_a_month_counts_only_when_complete_by_the_as_of_date(store):
    # The last order is on 2026-04-02: April is not complete, so March is the last month.
    scope = default_scope(store)
    assert scope.as_of == dt.date(2026, 4, 2)
    cohorts = load_cohorts(store, scope)
    assert cohorts.last_month_label == "2026-03"
    assert matrix_dict(retention_matrix(cohorts)) == ALL_CHANNELS
    # ...but the April order counts for repeat purchases up to the as-of date: C07 now has two
    assert repeat_rates(cohorts).set_index("channel").loc["EDM", "repeat_buyers"] == 3
    # A month-end as-of date completes its month
    assert last_complete_month(dt.date(2026, 2, 28)) == 2026 * 12 + 2
    assert last_complete_month(dt.date(2026, 2, 27)) == 2026 * 12 + 1


def test_scope_filters_customers_by_acquisition_and_dimensions(store):
    scope = Scope(AS_OF, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31), where=(("region", ("华东",)),))
    cohorts = load_cohorts(store, scope)
    # 华东, acquired in January: C01 C03 (抖音), C05 (EDM)
    assert cohorts.sizes.sort_values("channel")[["channel", "customers"]].values.tolist() == [["EDM", 1], ["抖音", 2]]
    assert matrix_dict(retention_matrix(cohorts)) == {"2026-01": [1.0, round(2 / 3, 4), round(1 / 3, 4)]}


def test_unknown_filter_column_is_refused():
    with pytest.raises(ScopeError, match=r"customers cannot be filtered by 'department'; use one of channel, "
                                         r"region, product_line, segment"):
        Scope(AS_OF, where=(("department", ("品牌部",)),))


def test_missing_tab_names_it_and_its_columns(tmp_path):
    (tmp_path / "customers.csv").write_text((FIXTURE / "customers.csv").read_text(encoding="utf-8"), encoding="utf-8")
    store = load_store(sources_for_data(str(tmp_path)))
    with pytest.raises(MissingTabError) as caught:
        load_cohorts(store, Scope(AS_OF))
    assert str(caught.value) == ("tab(s) orders needed by customer value are not loaded; expected orders "
                                 "(order_id*, customer_id*, date*, amount*; * = required)")


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2026, 8, 31), -6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 31), -6) == dt.date(2025, 9, 30)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_the_same_numbers_where_the_tabs_live_in_a_database(any_db_url):
    write_tables(any_db_url, frames())
    store = load_store(sources_for_data(any_db_url))
    assert store.tabs["orders"].location == "live"
    tables = customer_tables(store, Scope(AS_OF))
    assert not tables.landed and tables.notes == []
    cohorts = load_cohorts(store, Scope(AS_OF))
    assert matrix_dict(retention_matrix(cohorts)) == ALL_CHANNELS
    assert curves_dict(retention_curves(cohorts)) == CURVES
    assert repeat_rates(cohorts)["repeat_buyers"].tolist() == [2, 3]
    assert cohorts.orders_before_acquisition == 1


def test_orders_in_a_database_and_customers_in_the_sheet_are_joined_in_duckdb(tmp_path, duckdb_url):
    sheet = tmp_path / "sheet"
    sheet.mkdir()
    (sheet / "customers.csv").write_text((FIXTURE / "customers.csv").read_text(encoding="utf-8"), encoding="utf-8")
    orders = frames()["orders"]
    stray = pd.DataFrame({"order_id": ["O99"], "customer_id": ["C99"], "date": [dt.date(2026, 3, 3)],
                          "amount": [10.0]})
    write_tables(duckdb_url, {"orders": pd.concat([orders, stray], ignore_index=True)})
    config = SourcesConfig(default="sheet", sources={"sheet": {"kind": "csv", "path": str(sheet)},
                                                     "warehouse": {"kind": "sql", "url": duckdb_url}},
                           tabs={"orders": "warehouse"})
    store = load_store(config)
    tables = customer_tables(store, Scope(AS_OF))
    assert tables.landed and tables.engine is store.engine
    assert tables.notes == ["1 order(s) name a customer_id that is not in tab customers; "
                            "they are left out of every customer figure"]
    cohorts = load_cohorts(store, Scope(AS_OF))
    assert matrix_dict(retention_matrix(cohorts)) == ALL_CHANNELS
    assert curves_dict(retention_curves(cohorts)) == CURVES
    again = customer_tables(store, Scope(AS_OF))  # landed once per load and as-of date
    assert again.activity.name == tables.activity.name


def test_a_database_table_with_a_repeated_customer_id_is_reported(duckdb_url):
    data = frames()
    data["customers"] = pd.concat([data["customers"], data["customers"].iloc[[0]]], ignore_index=True)
    write_tables(duckdb_url, data)
    tables = customer_tables(load_store(sources_for_data(duckdb_url)), Scope(AS_OF))
    assert tables.notes == ["1 customer_id(s) appear more than once in tab customers; "
                            "their customers and orders are counted once per row"]
