"""The sample data: reproducible, complete, clean, and telling the story pages rely on."""
import datetime as dt
import json

import pandas as pd
import pytest

from lib import ROOT
from lib.cli import main
from lib.config import sources_for_data
from lib.sample_data import generate, write_csv
from lib.sample_data.__main__ import main as generator_main
from lib.sample_data.mistakes import BAD_CELLS, plant
from lib.schema import TABS
from lib.store import load_store

CSV = ROOT / "sample_data" / "csv"
WORKBOOK = ROOT / "sample_data" / "workbook.xlsx"
BROKEN = ROOT / "sample_data" / "broken.xlsx"


@pytest.fixture(scope="module")
def tabs():
    return generate()


@pytest.fixture(scope="module")
def store():
    return load_store(sources_for_data(str(CSV)))


def test_committed_csv_is_exactly_what_the_seeded_generator_writes(tabs, tmp_path):
    write_csv(tabs, tmp_path)
    for tab in TABS:
        assert (tmp_path / f"{tab}.csv").read_bytes() == (CSV / f"{tab}.csv").read_bytes(), tab


def test_every_tab_is_filled_and_loads_without_a_single_problem(store):
    assert set(store.tabs) == set(TABS)
    assert all(info.rows > 0 and info.quarantined == 0 for info in store.tabs.values())
    assert store.issues == []


def test_the_workbook_holds_the_same_rows_as_the_csv_folder(store):
    book = load_store(sources_for_data(str(WORKBOOK)))
    assert book.issues == []
    assert {t: i.rows for t, i in book.tabs.items()} == {t: i.rows for t, i in store.tabs.items()}
    cols = ["date", "channel", "spend", "new_customers"]
    assert book.read("marketing_daily", cols).head(200).equals(store.read("marketing_daily", cols).head(200))


def test_eighteen_months_of_daily_rows_for_every_required_channel(tabs):
    daily = tabs["marketing_daily"]
    assert daily["date"].min() == dt.date(2025, 5, 1) and daily["date"].max() == dt.date(2026, 10, 31)
    months = pd.to_datetime(daily["date"]).dt.strftime("%Y-%m")
    per_channel = daily.assign(month=months).groupby("channel")["month"].nunique()
    required = ["百度SEM", "朋友圈广告", "知乎信息流", "抖音", "小红书", "B站", "线下沙龙", "老客推荐", "直播",
                "EDM", "私域社群"]
    assert all(per_channel[c] == 18 for c in required), per_channel
    assert per_channel["行业展会"] == 6  # trade shows: six three-day shows
    assert daily["region"].nunique() >= 6 and daily["product_line"].nunique() >= 3
    assert daily["department"].nunique() == 5


def test_people_cover_four_levels_and_everyone_has_monthly_kpis(tabs):
    staff = tabs["staff"]
    assert len(staff) >= 25 and set(staff["level"]) == {"director", "manager", "supervisor", "specialist"}
    assert set(tabs["kpi_actuals"]["employee_id"]) == set(staff["employee_id"])
    assert set(tabs["ratings"]["rater_type"]) == {"self", "supervisor", "peer", "cross_dept"}
    assert tabs["kpi_actuals"]["indicator"].nunique() == 7


def test_customers_and_first_orders_agree_with_the_daily_rows(tabs):
    daily, customers, orders = tabs["marketing_daily"], tabs["customers"], tabs["orders"]
    assert len(customers) == daily["new_customers"].sum()
    first = orders.groupby("customer_id")["date"].min()
    acquired = customers.set_index("customer_id")["acquired_at"]
    assert (first.reindex(acquired.index) == acquired).all()
    assert orders.groupby("customer_id").size().mean() > 1.5  # repeat orders exist
    first_revenue = orders.sort_values("date", kind="stable").groupby("customer_id")["amount"].first().sum()
    assert first_revenue == pytest.approx(daily["revenue"].sum(), rel=1e-9)


def _query(*args):
    return main(["query", "--data", str(CSV), "--format", "json", *args])


def test_the_story_referrals_cheap_but_small_sem_costly(store, capsys):
    assert _query("--metrics", "spend,new_customers,cac", "--by", "channel") == 0
    rows = {r["channel"]: r for r in json.loads(capsys.readouterr().out)}
    total_new = sum(r["new_customers"] for r in rows.values())
    total_cac = sum(r["spend"] for r in rows.values()) / total_new
    assert rows["老客推荐"]["cac"] < 0.5 * total_cac and rows["老客推荐"]["new_customers"] < 0.07 * total_new
    assert rows["百度SEM"]["cac"] > 1.4 * total_cac
    assert max(rows.values(), key=lambda r: r["spend"])["channel"] == "百度SEM"


def test_the_story_cac_jumps_in_the_last_complete_week_because_of_east_china(capsys):
    assert main(["explain", "--data", str(CSV), "--metric", "cac", "--by", "region",
                 "--period", "2026-W43", "--vs", "2026-W42"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total_change"] > 0.08 * result["before"]
    top = max(result["contributions"], key=lambda c: c["contribution"])
    assert top["region"] == "华东"


def test_the_story_a_campaign_overspent_and_one_under_delivered(tabs):
    spend = tabs["marketing_daily"].groupby("campaign_id")[["spend", "new_customers"]].sum()
    budget = tabs["campaigns"].set_index("campaign_id")["budget"]
    assert spend.loc["CMP-2610-01", "spend"] > 1.2 * budget["CMP-2610-01"]
    others = spend.drop("CMP-2610-01")
    assert (others["spend"] <= 1.02 * budget[others.index]).all()
    cac = spend["spend"] / spend["new_customers"]
    assert cac["CMP-2604-01"] > 2 * cac.median()


def test_the_story_a_person_on_a_coaching_streak(tabs):
    kpi = tabs["kpi_actuals"]
    e021 = kpi[(kpi["employee_id"] == "E021") & (kpi["indicator"] == "sales")].set_index("month")
    share = e021["actual"] / e021["target"]
    assert (share[["2026-08", "2026-09", "2026-10"]] < 0.6).all() and share["2026-05"] > 0.6
    assert tabs["compliance"]["violation"].eq("是").sum() == 2


def test_generator_cli_writes_a_folder_and_rows_sets_the_grain(tmp_path, capsys):
    assert generator_main(["--out", str(tmp_path / "small"), "--rows", "5000"]) == 0
    small = pd.read_csv(tmp_path / "small" / "marketing_daily.csv")
    assert 4_000 < len(small) < 12_000
    assert set(small["channel"]) == set(generate()["marketing_daily"]["channel"])
    with pytest.raises(SystemExit):
        generator_main(["--out", str(tmp_path), "--rows", "0"])


def test_broken_workbook_names_every_planted_mistake_and_keeps_the_good_rows(capsys):
    assert main(["check", "--data", str(BROKEN), "--format", "json"]) == 1
    reported = {(i["tab"], i["row"], i["column"]) for i in json.loads(capsys.readouterr().out)}
    planted = plant(generate())
    assert len(planted) == len(BAD_CELLS) + 3
    for p in planted:
        if p.column:
            assert (p.tab, p.row, p.column) in reported, p
    store = load_store(sources_for_data(str(BROKEN)))
    clean = generate()
    errors_in_daily = sum(1 for tab, *_rest, level in BAD_CELLS if tab == "marketing_daily" and level == "error")
    # one extra row is the planted double entry, which is kept
    assert store.tabs["marketing_daily"].rows == len(clean["marketing_daily"]) + 1 - errors_in_daily
    assert store.tabs["marketing_daily"].quarantined == errors_in_daily
