"""RFM scores and tiers, worked out by hand on tests/fixtures/customers as of 2026-03-31.

    customer  last activity  orders  revenue   R  F  M   tier
    C09       2025-08-01     2       260       1  3  4   dormant (no order since 2025-09-30)
    C03       2026-01-31     1       120       1  1  2
    C05       2026-02-01     2       120       2  3  2
    C06       2026-02-03     2       170       2  3  3
    C07       2026-02-28     1        60       3  1  1   (the April order is after the as-of date)
    C04       2026-03-01     3       410       3  5  5   high value (R >= 3, F >= 4, M >= 4)
    C01       2026-03-02     3       210       4  5  3
    C02       2026-03-15     2       280       4  3  4
    C08       2026-03-15     1       500       4  1  5
    C10       2026-03-20*    0         0       5  1  1   (*no order: acquisition day)

score = 1 + floor(5 (rank - 1) / 9), rank ascending with ties sharing the lower rank:
e.g. frequency 2 has rank 5 -> 1 + floor(20 / 9) = 3; the two 2026-03-15 share rank 8 -> 4.
"""
import io

import openpyxl
import pandas as pd
import pytest

from lib.access import SYSTEM, Viewer
from lib.config import sources_for_data
from lib.customers.config import MinScores, load_customers_config
from lib.customers.data import Scope
from lib.customers.rfm import LIST_COLUMNS, dormant_cutoff, tier_customers, tier_summary
from lib.export import csv_bytes, xlsx_bytes
from lib.store import load_store
from tests.customers_fixture import AS_OF, FIXTURE, frames
from tests.dbs import any_db_url, duckdb_url, mariadb_url, pg_url, write_tables  # noqa: F401 (fixtures)

SCORES = {
    "C09": (1, 3, 4, "dormant"), "C03": (1, 1, 2, "potential"), "C05": (2, 3, 2, "potential"),
    "C06": (2, 3, 3, "potential"), "C07": (3, 1, 1, "potential"), "C04": (3, 5, 5, "high_value"),
    "C01": (4, 5, 3, "potential"), "C02": (4, 3, 4, "potential"), "C08": (4, 1, 5, "potential"),
    "C10": (5, 1, 1, "potential"),
}
SETTINGS = load_customers_config().rfm


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(FIXTURE)))


def scores(frame: pd.DataFrame) -> dict:
    return {r.customer_id: (r.recency, r.frequency, r.monetary, r.tier) for r in frame.itertuples()}


def test_scores_and_tiers_by_hand(store):
    frame = tier_customers(store, Scope(AS_OF), SETTINGS, SYSTEM)
    assert scores(frame) == SCORES
    assert frame["customer_id"].tolist()[:3] == ["C08", "C04", "C02"]  # highest revenue first
    c10 = frame.set_index("customer_id").loc["C10"]
    assert (c10["orders"], c10["revenue"], c10["last_order"]) == (0, 0.0, None)


def test_dormant_means_no_order_in_six_months():
    assert dormant_cutoff(Scope(AS_OF), SETTINGS).isoformat() == "2025-09-30"


def test_tier_summary_counts_and_revenue_share(store):
    summary = tier_summary(store, Scope(AS_OF), SETTINGS).frame
    assert summary[["tier", "customers", "revenue"]].values.tolist() == [
        ["high_value", 1, 410.0], ["potential", 8, 1460.0], ["dormant", 1, 260.0]]
    assert summary["revenue_share"].tolist() == pytest.approx([410 / 2130, 1460 / 2130, 260 / 2130])
    assert summary["customer_share"].tolist() == pytest.approx([0.1, 0.8, 0.1])


def test_one_tier_list_and_thresholds_from_config(store):
    lenient = SETTINGS.model_copy(update={"high_value": MinScores(recency=1, frequency=3, monetary=4)})
    frame = tier_customers(store, Scope(AS_OF), lenient, SYSTEM, "high_value")
    assert frame["customer_id"].tolist() == ["C04", "C02"]  # C09 would qualify but is dormant
    assert list(frame.columns) == LIST_COLUMNS


def test_quantile_bins_follow_the_configured_number_of_bins(store):
    three = SETTINGS.model_copy(update={"bins": 3, "high_value": MinScores(recency=1, frequency=1, monetary=3)})
    frame = tier_customers(store, Scope(AS_OF), three, SYSTEM)
    # monetary ranks 1..10 -> 1 + floor(3 (rank - 1) / 9): 1,1,1,2,2,2,3,3,3,3 (ties share the lower rank)
    monetary = frame.set_index("customer_id")["monetary"].to_dict()
    assert monetary == {"C10": 1, "C07": 1, "C03": 1, "C05": 1, "C06": 2, "C01": 2, "C09": 3, "C02": 3,
                        "C04": 3, "C08": 3}


def test_a_viewer_without_access_to_personal_rows_gets_no_list(store):
    screen = Viewer("meeting-room", "viewer")
    assert tier_customers(store, Scope(AS_OF), SETTINGS, screen).empty
    assert len(tier_customers(store, Scope(AS_OF), SETTINGS, Viewer("li", "staff", "E001", "品牌部"))) == 10


def test_unknown_tier_is_refused(store):
    with pytest.raises(ValueError, match="unknown tier 'vip'; use one of high_value, potential, dormant"):
        tier_customers(store, Scope(AS_OF), SETTINGS, SYSTEM, "vip")


def test_downloads_neutralise_formula_text(store):
    frame = tier_customers(store, Scope(AS_OF), SETTINGS, SYSTEM, "potential")
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'@risk" in text and ",@risk" not in text  # C08's segment as typed in the sheet
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"potential": frame}))).active
    assert "'@risk" in [c.value for c in sheet["E"]]


def test_the_same_scores_in_every_database(any_db_url):
    write_tables(any_db_url, frames())
    store = load_store(sources_for_data(any_db_url))
    assert scores(tier_customers(store, Scope(AS_OF), SETTINGS, SYSTEM)) == SCORES
    summary = tier_summary(store, Scope(AS_OF), SETTINGS).frame
    assert summary["customers"].tolist() == [1, 8, 1]
