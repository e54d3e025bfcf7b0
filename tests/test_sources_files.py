"""CSV folder and .xlsx sources, and the store's behaviour when a source fails."""
import datetime as dt
import shutil

import openpyxl

from lib.config import sources_for_data
from lib.store import StoreHolder, load_store
from lib.sources.files import CsvFolderSource, XlsxSource
from lib.validate import validate_tab

STAFF = "employee_id,name,department\nE001,张三,品牌部\n007,李四,内容运营部\n"


def test_csv_utf8_with_bom_and_gb18030_from_chinese_excel(tmp_path):
    (tmp_path / "Staff.csv").write_bytes(STAFF.encode("utf-8-sig"))
    (tmp_path / "actions.csv").write_bytes("action_id,title\nA1,优化落地页\n".encode("gb18030"))
    raws = CsvFolderSource("s", tmp_path).read(["staff", "actions", "budget"])
    assert sorted(raws) == ["actions", "staff"]  # budget is simply absent
    staff = validate_tab(raws["staff"]).frame
    assert staff["employee_id"].tolist() == ["E001", "007"] and staff["name"].tolist() == ["张三", "李四"]
    assert validate_tab(raws["actions"]).frame["title"].tolist() == ["优化落地页"]


def make_workbook(path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = " Marketing_Daily "
    ws.append(["Date", "Channel", "Spend", "Clicks", "Impressions"])
    ws.append([dt.datetime(2025, 7, 1), "百度SEM", 1234.5, 10, 100])
    ws.append([45840, "抖音", "¥2,000", 5, 50])  # a date typed as a serial number, money as text
    ws.append(["2025-07-03", "EDM", "#DIV/0!", 1, 10])  # the cached result of a broken formula
    staff = book.create_sheet("staff")
    staff.append(["Employee", None, "department"])
    staff.merge_cells("A1:B1")
    staff.append(["employee_id", "name", "department"])
    staff.append(["E001", "张三", "品牌部"])
    book.save(path)


def test_xlsx_typed_cells_and_a_merged_header(tmp_path):
    path = tmp_path / "team.xlsx"
    make_workbook(path)
    raws = XlsxSource("x", path).read(["marketing_daily", "staff"])
    md = validate_tab(raws["marketing_daily"])
    assert md.frame["date"].dt.date.tolist() == [dt.date(2025, 7, 1), dt.date(2025, 7, 2)]
    assert md.frame["spend"].tolist() == [1234.5, 2000.0]
    [issue] = [i for i in md.issues if i.level == "error"]
    assert (issue.row, issue.column, issue.message) == (4, "spend", "formula error #DIV/0! in the cell")
    staff = validate_tab(raws["staff"])
    assert not staff.ok and "row 1 must hold the column names" in staff.issues[0].message


def test_a_broken_workbook_is_a_source_error_not_a_crash(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    store = load_store(sources_for_data(str(path)))
    status = store.statuses["data"]
    assert not status.ok and "cannot be opened" in status.error and status.loaded_at is None
    assert store.tabs == {}


def test_failed_source_keeps_last_good_data_with_its_age(tmp_path):
    folder = tmp_path / "sheet"
    folder.mkdir()
    (folder / "staff.csv").write_text(STAFF, encoding="utf-8")
    config = sources_for_data(str(folder))
    first = load_store(config)
    shutil.rmtree(folder)  # the shared drive is gone
    second = load_store(config, previous=first)
    status = second.statuses["data"]
    assert not status.ok and "does not exist" in status.error
    assert status.loaded_at == first.statuses["data"].loaded_at  # the age is that of the old data
    assert second.tabs["staff"].stale
    assert second.read("staff")["employee_id"].tolist() == ["E001", "007"]


def test_holder_reuses_data_within_the_ttl_and_reloads_on_demand(tmp_path):
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    holder = StoreHolder(sources_for_data(str(tmp_path)))
    first = holder.get()
    assert holder.get() is first
    (tmp_path / "staff.csv").write_text(STAFF + "E003,王五,品牌部\n", encoding="utf-8")
    refreshed = holder.get(force=True)
    assert refreshed is not first and len(refreshed.read("staff")) == 3
    assert len(first.read("staff")) == 2  # a session still holding the old store keeps working


def test_sessions_in_other_threads_see_the_same_database(tmp_path):
    import threading

    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    store = load_store(sources_for_data(str(tmp_path)))
    counts = []
    threads = [threading.Thread(target=lambda: counts.append(len(store.read("staff")))) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert counts == [2, 2, 2, 2]
