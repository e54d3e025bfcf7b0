"""Break-even flags for the cockpit, worked out by hand on tests/fixtures/customers.

Campaigns (marketing_daily rows with a campaign_id; start from the campaigns tab):
    CP1 抖音 from 2026-01-10: spend 1200 + 500, revenue 420 + 340
    CP2 EDM  from 2026-02-01: spend 200, revenue 210
    CP3 EDM  from 2025-06-01: spend 300, revenue 200
Channels (customers acquired in the judged months, their order revenue to March 2026,
against the channel's spend in those months).
"""
import datetime as dt

import pytest

from lib.config import sources_for_data
from lib.customers.break_even import COLUMNS, break_even_flags, break_even_status
from lib.customers.config import BreakEvenSettings, load_customers_config
from lib.store import MissingTabError, load_store
from tests.customers_fixture import AS_OF, FIXTURE


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(FIXTURE)))


def horizon(months: int, window: int = 6):
    config = load_customers_config()
    return config.model_copy(update={"break_even": BreakEvenSettings(horizon_months=months,
                                                                     cohort_window_months=window)})


def table(frame):
    return [(r.kind, r.id, r.spend, r.revenue, r.status) for r in frame.itertuples()]


def test_six_month_horizon(store):
    result = break_even_status(store, AS_OF)
    assert table(result.frame) == [
        ("campaign", "CP3", 300.0, 200.0, "not_covered"),  # started 2025-06-01, horizon passed 2025-12-01
        # EDM customers acquired May-Oct 2025 (only C09: 200 + 60) against EDM spend then (300)
        ("channel", "EDM", 300.0, 260.0, "not_covered"),
        ("campaign", "CP1", 1700.0, 760.0, "pending"),  # horizon ends 2026-07-10
        ("campaign", "CP2", 200.0, 210.0, "pending"),
    ]
    cp3 = result.frame.iloc[0]
    assert (cp3["name"], cp3["channel"], cp3["since"], cp3["horizon_end"]) == (
        "老客唤醒邮件", "EDM", dt.date(2025, 6, 1), dt.date(2025, 12, 1))
    assert cp3["coverage"] == pytest.approx(2 / 3) and cp3["shortfall"] == 100.0
    edm = result.frame.iloc[1]
    assert (edm["since"], edm["until"], edm["horizon_end"]) == (dt.date(2025, 5, 1), dt.date(2025, 10, 31),
                                                                dt.date(2026, 3, 31))


def test_two_month_horizon_judges_more(store):
    frame = break_even_status(store, AS_OF, config=horizon(2)).frame
    assert table(frame) == [
        ("campaign", "CP1", 1700.0, 760.0, "not_covered"),
        ("campaign", "CP3", 300.0, 200.0, "not_covered"),
        # 抖音 customers of Jan-Feb 2026: C01 210 + C02 280 + C03 120 + C04 410 against 1200 + 500
        ("channel", "抖音", 1700.0, 1020.0, "not_covered"),
        # EDM of Jan-Feb: C05 120 + C06 150 (its January order predates acquisition) + C07 60 vs 100 + 200
        ("channel", "EDM", 300.0, 330.0, "covered"),
        ("campaign", "CP2", 200.0, 210.0, "pending"),
    ]


def test_flags_for_the_cockpit_are_only_what_is_not_paid_back(store):
    flags = break_even_flags(store, AS_OF, config=horizon(2, window=1))
    assert list(flags.columns) == COLUMNS
    # a one-month window judges only the February cohorts: 抖音 C04 410 vs 500, EDM C06 + C07 210 vs 200
    assert table(flags) == [("campaign", "CP1", 1700.0, 760.0, "not_covered"),
                            ("campaign", "CP3", 300.0, 200.0, "not_covered"),
                            ("channel", "抖音", 500.0, 410.0, "not_covered")]


def test_without_customers_only_campaigns_are_judged_and_it_says_so(tmp_path):
    for name in ("marketing_daily", "campaigns"):
        (tmp_path / f"{name}.csv").write_text((FIXTURE / f"{name}.csv").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    result = break_even_status(load_store(sources_for_data(str(tmp_path))), AS_OF)
    assert result.notes == ["channels are not judged: tab(s) customers, orders needed"]
    assert set(result.frame["kind"]) == {"campaign"}


def test_campaign_start_falls_back_to_its_first_day_of_spend(tmp_path):
    (tmp_path / "marketing_daily.csv").write_text((FIXTURE / "marketing_daily.csv").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    frame = break_even_status(load_store(sources_for_data(str(tmp_path))), AS_OF).frame.set_index("id")
    assert frame.loc["CP1", "since"] == dt.date(2026, 1, 15) and frame.loc["CP1", "name"] == "CP1"


def test_marketing_daily_is_required(tmp_path):
    (tmp_path / "orders.csv").write_text("order_id,customer_id,date,amount\n", encoding="utf-8")
    with pytest.raises(MissingTabError, match=r"^tab\(s\) marketing_daily needed by break-even"):
        break_even_flags(load_store(sources_for_data(str(tmp_path))), AS_OF)
