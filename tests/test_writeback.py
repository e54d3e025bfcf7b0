"""Check-ins written back to every kind of source: a CSV folder, an .xlsx workbook, a Google
Sheet (tests/fake_sheets.py through gspread) and a database (DuckDB file, PostgreSQL for real).

The write-back rows of ../shared/spec/bad-inputs.md: a double submit writes one row; a
failed write writes nothing and says why.
"""
import datetime as dt
import shutil
import uuid

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from lib import ROOT
from lib.config import SourcesConfig, sources_for_data
from lib.store import load_store
from lib.writeback import WriteError, append_row
from tests.dbs import duckdb_url, pg_url, write_tables  # noqa: F401 (fixtures)
from tests.fake_sheets import Fault

FIXTURE = ROOT / "tests" / "fixtures" / "okr"
ROW = {"kr_id": "KR2", "date": dt.date(2026, 8, 21), "value": "14.5", "confidence": 6, "note": "survey wave 3",
       "author_id": "E001"}


def token() -> str:
    return uuid.uuid4().hex  # the ledger lives for the process: each test its own submissions


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "data")
    return tmp_path / "data"


def checkins_of(config) -> pd.DataFrame:
    return load_store(config).read("checkins")


# ---- CSV folder ------------------------------------------------------------------------


def test_csv_append_is_read_back_like_any_row(folder):
    config = sources_for_data(str(folder))
    before = (folder / "checkins.csv").read_bytes()
    result = append_row(config, "checkins", ROW, token(), store=load_store(config))
    assert (result.source, result.duplicate, result.dropped) == ("data", False, ())
    assert result.row == {"kr_id": "KR2", "date": dt.date(2026, 8, 21), "value": 14.5, "confidence": 6.0,
                          "note": "survey wave 3", "author_id": "E001"}
    assert (folder / "checkins.csv").read_bytes() == before + "KR2,2026-08-21,14.5,6.0,survey wave 3,E001\n".encode()
    last = checkins_of(config).iloc[-1]
    assert (last["kr_id"], pd.Timestamp(last["date"]).date(), last["value"], last["confidence"]) == (
        "KR2", dt.date(2026, 8, 21), 14.5, 6.0)


def test_double_submit_writes_one_row(folder):
    config = sources_for_data(str(folder))
    submission = token()
    first = append_row(config, "checkins", ROW, submission)
    second = append_row(config, "checkins", ROW, submission)
    assert not first.duplicate and second.duplicate and second.row == first.row
    assert (checkins_of(config)["value"] == 14.5).sum() == 1
    append_row(config, "checkins", {**ROW, "value": "15"}, token())  # a new submission is a new row
    assert checkins_of(config)["value"].tolist()[-2:] == [14.5, 15.0]


@pytest.mark.parametrize("change, message", [
    ({"value": "abc"}, "value: not a number"),
    ({"value": ""}, "value: required value is missing"),
    ({"confidence": 11}, "confidence: outside 0-10"),
    ({"value": "#DIV/0!"}, "value: formula error #DIV/0! in the cell"),
    ({"kr_id": "KR99"}, "kr_id: not in tab key_results"),
])
def test_a_bad_row_writes_nothing_and_says_why(folder, change, message):
    config = sources_for_data(str(folder))
    before = (folder / "checkins.csv").read_bytes()
    with pytest.raises(WriteError) as caught:
        append_row(config, "checkins", {**ROW, **change}, token(), store=load_store(config))
    assert str(caught.value) == message
    assert (folder / "checkins.csv").read_bytes() == before


def test_numbers_as_typed_in_the_sheet_are_accepted(folder):
    config = sources_for_data(str(folder))
    result = append_row(config, "checkins", {**ROW, "value": "１，２３４", "confidence": None}, token())
    assert (result.row["value"], result.row["confidence"]) == (1234.0, None)


def test_unknown_column_is_refused(folder):
    with pytest.raises(WriteError, match="tab checkins has no column\\(s\\) comment"):
        append_row(sources_for_data(str(folder)), "checkins", {**ROW, "comment": "x"}, token())


def test_gb18030_file_with_crlf_stays_gb18030_with_crlf(folder):
    path = folder / "checkins.csv"
    path.write_bytes("kr_id,date,value,confidence,note,author_id\r\nKR2,2026-07-02,11,8,首次调研,E001\r\n"
                     .encode("gb18030"))
    append_row(sources_for_data(str(folder)), "checkins", {**ROW, "note": "第三轮调研"}, token())
    assert path.read_bytes().decode("gb18030").splitlines(keepends=True)[-1] == \
        "KR2,2026-08-21,14.5,6.0,第三轮调研,E001\r\n"
    assert checkins_of(sources_for_data(str(folder)))["note"].tolist() == ["首次调研", "第三轮调研"]


def test_a_tab_without_a_filled_in_column_reports_what_it_could_not_write(folder):
    path = folder / "checkins.csv"
    path.write_text("KR_ID, Date ,Value,confidence\nKR2,2026-07-02,11,8", encoding="utf-8")  # no newline at end
    result = append_row(sources_for_data(str(folder)), "checkins", ROW, token())
    assert result.dropped == ("note", "author_id")
    assert path.read_text(encoding="utf-8") == "KR_ID, Date ,Value,confidence\nKR2,2026-07-02,11,8\n" \
                                               "KR2,2026-08-21,14.5,6.0\n"


def test_a_missing_checkins_file_is_created_with_the_template_header(folder):
    (folder / "checkins.csv").unlink()
    append_row(sources_for_data(str(folder)), "checkins", ROW, token())
    assert (folder / "checkins.csv").read_text(encoding="utf-8") == (
        "kr_id,date,value,confidence,note,author_id\nKR2,2026-08-21,14.5,6.0,survey wave 3,E001\n")


def test_a_failed_file_write_says_why_and_a_retry_can_write(folder):
    path = folder / "checkins.csv"
    original = path.read_bytes()
    path.unlink()
    path.mkdir()  # something in the way: the file cannot be read or replaced
    submission = token()
    with pytest.raises(WriteError, match="^could not write to data: \\[Errno 21\\] Is a directory"):
        append_row(sources_for_data(str(folder)), "checkins", ROW, submission)
    path.rmdir()
    path.write_bytes(original)
    append_row(sources_for_data(str(folder)), "checkins", ROW, submission)  # not remembered as written
    assert path.read_bytes().endswith(b"KR2,2026-08-21,14.5,6.0,survey wave 3,E001\n")


def test_formula_text_is_written_as_text(folder):
    append_row(sources_for_data(str(folder)), "checkins", {**ROW, "note": "=HYPERLINK(\"http://x\",\"y\")"}, token())
    assert checkins_of(sources_for_data(str(folder)))["note"].iloc[-1] == '=HYPERLINK("http://x","y")'


# ---- .xlsx workbook --------------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path, folder):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for csv in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(csv.stem)
        for line in csv.read_text(encoding="utf-8").splitlines():
            sheet.append(line.split(","))
    path = tmp_path / "team.xlsx"
    book.save(path)
    return path


def test_xlsx_append_keeps_types_and_formulas_as_text(workbook):
    config = sources_for_data(str(workbook))
    result = append_row(config, "checkins", {**ROW, "note": "=1+1"}, token(), store=load_store(config))
    assert not result.duplicate
    sheet = openpyxl.load_workbook(workbook)["checkins"]
    cells = [c for c in sheet[sheet.max_row]]
    assert [c.value for c in cells] == ["KR2", dt.datetime(2026, 8, 21), 14.5, 6.0, "=1+1", "E001"]
    assert cells[1].is_date and cells[4].data_type == "s"  # a real date; the note is not a formula
    last = checkins_of(config).iloc[-1]
    assert (pd.Timestamp(last["date"]).date(), last["value"], last["note"]) == (dt.date(2026, 8, 21), 14.5, "=1+1")


def test_xlsx_double_submit_and_damaged_workbook(workbook, tmp_path):
    config = sources_for_data(str(workbook))
    submission = token()
    append_row(config, "checkins", ROW, submission)
    assert append_row(config, "checkins", ROW, submission).duplicate
    assert (checkins_of(config)["value"] == 14.5).sum() == 1
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(WriteError, match=f"^workbook {broken} cannot be opened .*; nothing was written$"):
        append_row(sources_for_data(str(broken)), "checkins", ROW, token())
    assert broken.read_bytes() == b"not a zip"


# ---- Google Sheets (fake server, real gspread) -----------------------------------------

SHEET = "1AbCdEfGhIjKlMnOpQrStUv"


@pytest.fixture
def sheet(fake_sheets, folder):
    def rows(name):
        return [line.split(",") for line in (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()]

    fake_sheets.sheets[SHEET] = {"objectives": rows("objectives"), "key_results": rows("key_results"),
                                 "Checkins": rows("checkins")}
    return fake_sheets.sheets[SHEET]


def sheet_config(fake, **extra) -> SourcesConfig:
    source = {"kind": "gsheet", "spreadsheet_id": SHEET, "api_base": fake.base_url, "timeout_seconds": 1,
              "max_attempts": 2, "total_seconds": 5, "backoff_seconds": 0.01, **extra}
    return SourcesConfig(default="team", sources={"team": source})


def test_gsheet_append_through_gspread(fake_sheets, sheet):
    config, info = sheet_config(fake_sheets), fake_sheets.service_account_info()
    store = load_store(config, gsheet_credentials=info)
    result = append_row(config, "checkins", ROW, token(), store=store, gsheet_credentials=info)
    assert (result.source, result.duplicate) == ("team", False)
    [append] = fake_sheets.api_requests("append")
    assert append.query["valueInputOption"] == ["RAW"] and append.path.endswith("/values/'Checkins'!A1:append")
    assert sheet["Checkins"][-1] == ["KR2", "2026-08-21", 14.5, 6.0, "survey wave 3", "E001"]
    reread = load_store(config, gsheet_credentials=info).read("checkins")
    assert reread.iloc[-1]["value"] == 14.5 and len(reread) == len(store.read("checkins")) + 1


def test_gsheet_timeout_then_resubmit_finds_the_row_and_does_not_write_twice(fake_sheets, sheet):
    config, info = sheet_config(fake_sheets), fake_sheets.service_account_info()
    fake_sheets.faults = [Fault.slow(1.5, kind="append")]  # lands after the client gave up
    submission = token()
    with pytest.raises(WriteError, match="did not answer within 1 s during a write, so whether the rows were "
                                         "written is unknown"):
        append_row(config, "checkins", ROW, submission, gsheet_credentials=info)
    deadline = 50
    while not any(r.kind == "append" and r.status for r in fake_sheets.requests) and deadline:
        fake_sheets.pause(0.1)  # wait until the slow append has really landed
        deadline -= 1
    again = append_row(config, "checkins", ROW, submission, gsheet_credentials=info)
    assert again.duplicate
    assert len(fake_sheets.api_requests("append")) == 1
    assert [r[0] for r in sheet["Checkins"]].count("KR2") == 6  # 5 before + the one that landed


def test_gsheet_failed_append_then_resubmit_writes_once(fake_sheets, sheet):
    config, info = sheet_config(fake_sheets), fake_sheets.service_account_info()
    fake_sheets.faults = [Fault(500, kind="append")]  # the server failed: the row did not land
    submission = token()
    with pytest.raises(WriteError, match="^could not write to team: Writing to Google Sheet .*answered 500"):
        append_row(config, "checkins", ROW, submission, gsheet_credentials=info)
    assert sheet["Checkins"][-1][0] == "KR6"
    result = append_row(config, "checkins", ROW, submission, gsheet_credentials=info)
    assert not result.duplicate and sheet["Checkins"][-1][:3] == ["KR2", "2026-08-21", 14.5]
    assert len(fake_sheets.api_requests("append")) == 2


def test_gsheet_403_names_the_service_account(fake_sheets, sheet):
    config, info = sheet_config(fake_sheets), fake_sheets.service_account_info()
    fake_sheets.faults = [Fault(403, kind="append")]
    with pytest.raises(WriteError, match="Share the sheet with cockpit-reader@test-project.iam.gserviceaccount.com "
                                         "as Viewer \\(Editor for check-ins\\)"):
        append_row(config, "checkins", ROW, token(), gsheet_credentials=info)


# ---- databases -------------------------------------------------------------------------


def okr_tables(folder) -> dict[str, pd.DataFrame]:
    frames = {name: pd.read_csv(folder / f"{name}.csv", dtype=str) for name in ("objectives", "key_results", "checkins")}
    frames["key_results"][["start_value", "target_value", "weight"]] = \
        frames["key_results"][["start_value", "target_value", "weight"]].astype(float)
    checkins = frames["checkins"]
    checkins["date"] = pd.to_datetime(checkins["date"]).dt.date
    checkins[["value", "confidence"]] = checkins[["value", "confidence"]].astype(float)
    return frames


def _insert_and_read_back(url: str, folder) -> None:
    write_tables(url, okr_tables(folder))
    config = sources_for_data(url)
    store = load_store(config)
    submission = token()
    result = append_row(config, "checkins", ROW, submission, store=store)
    assert append_row(config, "checkins", ROW, submission, store=store).duplicate
    assert result.dropped == ()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT kr_id, date, value, confidence, note, author_id FROM checkins "
                                    "WHERE note = :note"), {"note": "survey wave 3"}).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("KR2", dt.date(2026, 8, 21), 14.5, 6.0, "survey wave 3", "E001")]
    assert load_store(config).read("checkins", order_by=["date"]).iloc[-1]["value"] == 14.5


def test_duckdb_file_insert(duckdb_url, folder):
    _insert_and_read_back(duckdb_url, folder)


@pytest.mark.postgres
def test_postgresql_insert_for_real(pg_url, folder):
    _insert_and_read_back(pg_url, folder)


@pytest.mark.postgres
def test_postgresql_rejected_insert_writes_nothing_and_says_why(pg_url, folder):
    frames = okr_tables(folder)
    write_tables(pg_url, frames)
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:  # the database itself refuses what the template would accept
        conn.execute(sa.text("ALTER TABLE checkins ADD CONSTRAINT small CHECK (value < 1000)"))
    config = sources_for_data(pg_url)
    with pytest.raises(WriteError, match="^could not write to data: .*violates check constraint \"small\""):
        append_row(config, "checkins", {**ROW, "value": "1500"}, token())
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM checkins")).scalar() == len(frames["checkins"])
        conn.execute(sa.text("ALTER TABLE checkins DROP CONSTRAINT small"))
        conn.commit()
    engine.dispose()


@pytest.mark.postgres
def test_postgresql_missing_table_is_named(pg_url, folder):
    write_tables(pg_url, okr_tables(folder))
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE checkins"))
    engine.dispose()
    with pytest.raises(WriteError, match="^table checkins is not usable in database postgresql"):
        append_row(sources_for_data(pg_url), "checkins", ROW, token())
