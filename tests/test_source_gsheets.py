"""Google Sheets source through gspread's real HTTP path, against tests/fake_sheets.py.

The token exchange (a signed JWT), the metadata and batchGet calls and the retry policy
all run for real over HTTP on 127.0.0.1; only `sleep` is injected so back-offs are instant.
"""
import json
import time

import pytest

from lib.sources.base import SourceError
from lib.sources.gsheets import GoogleSheetSource, SheetSettings, a1_quote, load_credentials_info
from lib.validate import validate_tab
from tests.fake_sheets import CLIENT_EMAIL, Fault, rsa_key

SHEET = "1AbCdEfGhIjKlMnOpQrStUv"
MARKETING = [
    ["Date", "Channel", "Spend", "Clicks"],
    [45839, "百度SEM", 1234.5, 10],  # a date as its serial number, as UNFORMATTED_VALUE gives it
    [45840, "抖音", 2000, None],
]
STAFF = [["employee_id", "name", "department", "active"], ["007", "李四", "品牌部", True]]


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def book(fake_sheets):
    fake_sheets.sheets[SHEET] = {
        " Marketing_Daily ": [list(r) for r in MARKETING],
        "STAFF": [list(r) for r in STAFF],
        " Checkins": [["kr_id", "date", "value", "note"]],
        "notes": [["anything"]],
    }
    return fake_sheets.sheets[SHEET]


def make_source(fake, sleeps, sheet=SHEET, info=None, **settings):
    settings = {"timeout_seconds": 2.0, "max_attempts": 4, "total_seconds": 30.0, **settings}
    return GoogleSheetSource("sheet", SheetSettings(sheet, api_base=fake.base_url, **settings),
                             credentials_info=info or fake.service_account_info(), sleep=sleeps.append)


def test_reads_all_tabs_in_one_metadata_and_one_batchget_unformatted(fake_sheets, book, sleeps):
    raws = make_source(fake_sheets, sleeps).read(["marketing_daily", "staff", "budget"])

    assert sorted(raws) == ["marketing_daily", "staff"]  # budget is not in the sheet: simply absent
    assert fake_sheets.kinds() == ["token", "metadata", "batchGet"]
    meta, batch = fake_sheets.api_requests()
    assert meta.query["fields"] == ["sheets.properties.title"]
    assert batch.query["ranges"] == ["' Marketing_Daily '!A:ZZ", "'STAFF'!A:ZZ"]
    assert batch.query["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert batch.query["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    assert all(r.auth.startswith("Bearer ya29.fake-") for r in (meta, batch))

    md = raws["marketing_daily"]
    assert md.header == ["Date", "Channel", "Spend", "Clicks"]
    assert md.data.values.tolist() == [[45839, "百度SEM", 1234.5, 10], [45840, "抖音", 2000, None]]
    assert md.origin == f"Google Sheet {SHEET} /  Marketing_Daily "
    staff = raws["staff"].data.iloc[0].tolist()
    assert staff == ["007", "李四", "品牌部", True] and type(staff[3]) is bool
    # and validation reads them as the template says
    assert validate_tab(md).frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-07-01", "2025-07-02"]
    assert validate_tab(raws["staff"]).frame["employee_id"].tolist() == ["007"]


def test_titles_are_quoted_in_a1_ranges(fake_sheets, sleeps):
    assert a1_quote("it's") == "'it''s'"
    fake_sheets.sheets[SHEET] = {"it's a tab": [["a"], [1]]}
    raws = make_source(fake_sheets, sleeps).read(["IT'S A TAB "])
    assert raws["IT'S A TAB "].data.values.tolist() == [[1]]
    assert fake_sheets.api_requests("batchGet")[0].query["ranges"] == ["'it''s a tab'!A:ZZ"]


def test_no_wanted_tab_in_the_sheet_needs_no_batchget(fake_sheets, book, sleeps):
    assert make_source(fake_sheets, sleeps).read(["budget", "orders"]) == {}
    assert fake_sheets.kinds() == ["token", "metadata"]


def test_429_then_success_honours_retry_after(fake_sheets, book, sleeps):
    fake_sheets.faults = [Fault(429, headers={"Retry-After": "7"})]
    raws = make_source(fake_sheets, sleeps).read(["staff"])
    assert raws["staff"].data.iloc[0, 0] == "007"
    assert sleeps == [7.0]
    assert [r.status for r in fake_sheets.api_requests()] == [429, 200, 200]


def test_retry_after_beyond_the_time_limit_gives_up_at_once(fake_sheets, book, sleeps):
    fake_sheets.faults = [Fault(429, headers={"Retry-After": "120"})]
    with pytest.raises(SourceError, match=r"429.*1 attempt.*asked to wait 120"):
        make_source(fake_sheets, sleeps, total_seconds=30).read(["staff"])
    assert sleeps == []


def test_an_html_proxy_page_is_retried(fake_sheets, book, sleeps):
    fake_sheets.faults = [Fault.html(200, kind="batchGet")]
    raws = make_source(fake_sheets, sleeps, backoff_seconds=1.0).read(["staff"])
    assert raws["staff"].header[0] == "employee_id"
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1.0  # first back-off, with jitter
    assert [r.kind for r in fake_sheets.api_requests()] == ["metadata", "batchGet", "batchGet"]


def test_a_persistent_500_stops_after_max_attempts(fake_sheets, book, sleeps):
    fake_sheets.faults = [500] * 10
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        make_source(fake_sheets, sleeps, max_attempts=4, backoff_seconds=1.0).read(["staff"])
    assert len(fake_sheets.api_requests()) == 4
    assert "500" in str(err.value) and "4 attempt(s)" in str(err.value)
    assert len(sleeps) == 3
    for n, wait in enumerate(sleeps):  # doubles each time, jitter within [half, full]
        assert 2 ** n / 2 <= wait <= 2 ** n
    assert sum(sleeps) + (time.monotonic() - started) < 30


def test_the_total_time_limit_stops_retries_before_max_attempts(fake_sheets, book, sleeps):
    fake_sheets.faults = [503] * 10
    with pytest.raises(SourceError, match="total limit of 5 s"):
        make_source(fake_sheets, sleeps, max_attempts=10, total_seconds=5, backoff_seconds=1.0).read(["staff"])
    assert 2 <= len(fake_sheets.api_requests()) < 10
    assert sum(sleeps) < 5


def test_a_slow_answer_counts_as_a_failed_attempt(fake_sheets, book, sleeps):
    fake_sheets.faults = [Fault.slow(3.0)]
    started = time.monotonic()
    raws = make_source(fake_sheets, sleeps, timeout_seconds=0.3).read(["staff"])
    assert raws["staff"].data.iloc[0, 0] == "007"
    assert len(sleeps) == 1 and time.monotonic() - started < 2
    assert [r.kind for r in fake_sheets.api_requests()] == ["metadata", "metadata", "batchGet"]


def test_always_slow_gives_up_saying_so(fake_sheets, book, sleeps):
    fake_sheets.faults = [Fault.slow(3.0), Fault.slow(3.0)]
    with pytest.raises(SourceError, match=r"did not answer within 0.2 s; gave up after 2 attempt"):
        make_source(fake_sheets, sleeps, timeout_seconds=0.2, max_attempts=2).read(["staff"])


def test_403_is_not_retried_and_names_the_service_account(fake_sheets, book, sleeps):
    fake_sheets.faults = [403]
    with pytest.raises(SourceError) as err:
        make_source(fake_sheets, sleeps).read(["staff"])
    assert f"Share the sheet with {CLIENT_EMAIL} as Viewer (Editor for check-ins)" in str(err.value)
    assert len(fake_sheets.api_requests()) == 1 and sleeps == []


def test_404_is_not_retried_and_names_the_sheet_id(fake_sheets, book, sleeps):
    with pytest.raises(SourceError, match="Google Sheet 1NoSuchSheet0000 was not found"):
        make_source(fake_sheets, sleeps, sheet="1NoSuchSheet0000").read(["staff"])
    assert [r.status for r in fake_sheets.api_requests()] == [404] and sleeps == []


def test_a_key_that_does_not_match_is_refused_with_the_fix(fake_sheets, book, sleeps):
    info = fake_sheets.service_account_info(key=rsa_key("stale"))
    with pytest.raises(SourceError) as err:
        make_source(fake_sheets, sleeps, info=info).read(["staff"])
    text = str(err.value)
    assert "refused the service-account credentials" in text and CLIENT_EMAIL in text
    assert "gcp_service_account" in text and "GOOGLE_SERVICE_ACCOUNT_JSON" in text
    assert fake_sheets.kinds() == ["token"] and sleeps == []


@pytest.mark.parametrize("change, expected", [
    (None, "No Google service-account credentials are set"),
    ({"private_key": ""}, "lack private_key"),
    ({"private_key": "not a key"}, "private_key cannot be read"),
    ({"type": "authorized_user"}, "not 'service_account'"),
])
def test_missing_or_malformed_credentials_say_how_to_fix(fake_sheets, change, expected):
    info = None if change is None else {**fake_sheets.service_account_info(), **change}
    with pytest.raises(SourceError, match=expected) as err:
        GoogleSheetSource("sheet", SheetSettings(SHEET, api_base=fake_sheets.base_url), credentials_info=info)
    assert "gcp_service_account" in str(err.value) and "client_email" in str(err.value)


def test_credentials_from_the_environment(fake_sheets, tmp_path):
    info = fake_sheets.service_account_info()
    assert load_credentials_info({}) is None
    assert load_credentials_info({"GOOGLE_SERVICE_ACCOUNT_JSON": json.dumps(info)}) == info
    path = tmp_path / "sa.json"
    path.write_text(json.dumps(info))
    assert load_credentials_info({"GOOGLE_APPLICATION_CREDENTIALS": str(path)}) == info
    with pytest.raises(SourceError, match="GOOGLE_SERVICE_ACCOUNT_JSON is not valid JSON"):
        load_credentials_info({"GOOGLE_SERVICE_ACCOUNT_JSON": "{oops"})
    with pytest.raises(SourceError, match="cannot be read"):
        load_credentials_info({"GOOGLE_APPLICATION_CREDENTIALS": str(tmp_path / "missing.json")})


def test_append_rows_writes_raw_values(fake_sheets, book, sleeps):
    row = ["KR1", "2025-07-01", 5, '=HYPERLINK("http://x","y")']
    make_source(fake_sheets, sleeps).append_rows("checkins", [row])
    [append] = fake_sheets.api_requests("append")
    assert append.query["valueInputOption"] == ["RAW"] and append.query["insertDataOption"] == ["INSERT_ROWS"]
    assert append.path.endswith("/values/' Checkins'!A1:append")
    assert book[" Checkins"][-1] == row  # the formula text is stored as typed


def test_append_is_not_repeated_when_its_outcome_is_unknown(fake_sheets, book, sleeps):
    fake_sheets.faults = [Fault(500, kind="append")]
    with pytest.raises(SourceError, match="whether the rows were written is unknown"):
        make_source(fake_sheets, sleeps).append_rows("checkins", [["KR1", "2025-07-01", 5]])
    assert len(fake_sheets.api_requests("append")) == 1 and sleeps == []


def test_append_refused_by_rate_limit_is_retried_once_and_written_once(fake_sheets, book, sleeps):
    fake_sheets.faults = [Fault(429, kind="append", headers={"Retry-After": "1"})]
    make_source(fake_sheets, sleeps).append_rows("checkins", [["KR1", "2025-07-01", 5]])
    assert len(fake_sheets.api_requests("append")) == 2 and sleeps == [1.0]
    assert book[" Checkins"][1:] == [["KR1", "2025-07-01", 5]]


def test_append_to_a_missing_tab_says_so(fake_sheets, book, sleeps):
    with pytest.raises(SourceError, match="has no tab 'actions'"):
        make_source(fake_sheets, sleeps).append_rows("actions", [["A1", "t"]])
    assert fake_sheets.api_requests("append") == []


# ---- the store and write-back on top of the Sheets source ---------------------------------

def sheet_config(fake, **extra):
    from lib.config import SourcesConfig

    source = {"kind": "gsheet", "spreadsheet_id": SHEET, "api_base": fake.base_url, "timeout_seconds": 1,
              "max_attempts": 2, "total_seconds": 5, "backoff_seconds": 0.01, **extra}
    return SourcesConfig(default="team", sources={"team": source})


def test_a_500_keeps_the_last_good_data_on_screen(fake_sheets, book):
    from lib.store import load_store

    config, info = sheet_config(fake_sheets), fake_sheets.service_account_info()
    first = load_store(config, gsheet_credentials=info)
    assert first.statuses["team"].ok and first.tabs["marketing_daily"].rows == 2
    fake_sheets.faults[:] = [Fault(500, kind="batchGet")] * 5
    second = load_store(config, previous=first, gsheet_credentials=info)
    status = second.statuses["team"]
    assert not status.ok and "500" in status.error
    assert status.loaded_at == first.statuses["team"].loaded_at  # the banner shows the old data's age
    assert second.tabs["marketing_daily"].stale
    assert second.read("marketing_daily", ["channel"])["channel"].tolist() == ["百度SEM", "抖音"]


def test_down_with_no_earlier_data_is_unavailable_not_zero(fake_sheets, book):
    from lib.store import load_store

    fake_sheets.faults[:] = [Fault(500, kind="metadata")] * 5
    store = load_store(sheet_config(fake_sheets), gsheet_credentials=fake_sheets.service_account_info())
    assert not store.statuses["team"].ok and store.statuses["team"].loaded_at is None
    assert not store.has("marketing_daily")


def test_checkin_write_back_through_gspread_is_validated_raw_and_once(fake_sheets, book):
    from lib.writeback import WriteError, append_row

    config, info = sheet_config(fake_sheets), fake_sheets.service_account_info()
    row = {"kr_id": "KR1", "date": "2026-10-30", "value": "=1+1", "note": "=HYPERLINK(\"http://x\",\"y\")"}
    with pytest.raises(WriteError, match="value: not a number"):
        append_row(config, "checkins", row, token="t0", gsheet_credentials=info)
    assert fake_sheets.api_requests("append") == []  # nothing partial was written
    row["value"] = "42"
    first = append_row(config, "checkins", row, token="t1", gsheet_credentials=info)
    again = append_row(config, "checkins", row, token="t1", gsheet_credentials=info)
    assert not first.duplicate and again.duplicate
    [append] = fake_sheets.api_requests("append")
    assert append.query["valueInputOption"] == ["RAW"]
    assert book[" Checkins"][-1] == ["KR1", "2026-10-30", 42.0, '=HYPERLINK("http://x","y")']
