"""Tab-level and row-level rules of the data template and bad-inputs.md."""
import pytest

from lib.sources.base import rows_to_rawtab
from lib.validate import check_references, validate_tab

MD_HEADER = ["date", "channel", "spend", "impressions", "clicks", "leads", "new_customers"]


def run(tab, rows):
    return validate_tab(rows_to_rawtab(tab, rows, f"test/{tab}"))


def errors(result):
    return [i for i in result.issues if i.level == "error"]


def warnings(result):
    return [i for i in result.issues if i.level == "warning"]


def test_header_is_trimmed_and_case_insensitive_and_extra_columns_are_kept():
    result = run("marketing_daily", [[" Date ", "CHANNEL", " Spend ", "My Note"],
                                     ["2025-07-01", "百度SEM ", "1,200", "hello"]])
    assert result.ok and not result.issues
    row = result.frame.iloc[0]
    assert row["channel"] == "百度SEM" and row["spend"] == 1200 and row["my_note"] == "hello"


def test_missing_required_column_is_a_tab_error_listing_what_was_found():
    result = run("marketing_daily", [["date", "channel", "cost"], ["2025-07-01", "EDM", "1"]])
    assert not result.ok
    [issue] = result.issues
    assert str(issue) == ("error: tab marketing_daily, row 1: missing required column spend; "
                          "found: date, channel, cost (expected columns date, channel, region, product_line, "
                          "department, campaign_id, spend, impressions, clicks, engagements, leads, "
                          "new_customers, orders, revenue)")


def test_two_row_header_is_explained():
    result = run("marketing_daily", [["Marketing", "", "Money"], ["date", "channel", "spend"],
                                     ["2025-07-01", "EDM", "1"]])
    assert not result.ok
    assert "row 1 must hold the column names" in result.issues[0].message
    assert "two-row header" in result.issues[0].message


def test_merged_header_cells_are_explained():
    # A merged cell over two columns reads as a name followed by an empty cell.
    result = run("staff", [["employee_id", None, "department"], ["E001", "张三", "品牌部"]])
    assert not result.ok
    assert "merged or two-row header" in result.issues[0].message


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet():
    result = run("marketing_daily", [MD_HEADER[:3], ["2025-07-01", "EDM", "1"], ["", "", ""],
                                     [None, None, None], ["2025-07-02", "EDM", "abc"], ["", " ", ""]])
    assert result.rows_read == 2 and result.good_rows == 1
    [issue] = errors(result)
    assert (issue.row, issue.column, issue.value) == (5, "spend", "abc")


def test_bad_row_is_quarantined_with_every_problem_and_others_go_on():
    result = run("marketing_daily", [MD_HEADER, ["7/1/2025", "EDM", "-5", "10", "1", "1", "0"],
                                     ["2025-07-02", "EDM", "5", "10", "1", "1", "0"]])
    assert result.good_rows == 1
    [quarantined] = result.quarantine
    assert quarantined.row == 2
    assert [(i.column, i.message) for i in quarantined.issues] == [
        ("date", "day and month order is ambiguous"), ("spend", "negative spend")]
    assert quarantined.values["spend"] == "-5"
    assert str(quarantined.issues[1]) == ("error: tab marketing_daily, row 2, column spend: negative spend: '-5' "
                                          "(expected 0 or more)")


def test_required_blank_is_an_error_optional_blank_is_null_not_zero():
    result = run("marketing_daily", [MD_HEADER, ["2025-07-01", "EDM", "N/A", "", "", "", ""],
                                     ["2025-07-01", "EDM", "5", "-", "", "", ""]])
    [issue] = errors(result)
    assert (issue.row, issue.column, issue.message) == (2, "spend", "required value is missing")
    assert result.frame["impressions"].isna().all()


@pytest.mark.parametrize("column", ["spend", "impressions", "clicks", "leads"])
def test_negative_counts_and_spend_are_row_errors(column):
    row = dict(zip(MD_HEADER, ["2025-07-01", "EDM", "5", "10", "1", "1", "0"]))
    row[column] = "-1"
    result = run("marketing_daily", [MD_HEADER, list(row.values())])
    assert [i.column for i in errors(result)] == [column]


def test_negative_users_is_a_row_error_and_conversions_over_users_a_warning():
    header = ["experiment_id", "variant", "users", "conversions"]
    result = run("experiments", [header, ["X", "control", "-1", "0"], ["X", "b", "10", "12"]])
    assert [(i.row, i.column) for i in errors(result)] == [(2, "users")]
    [warn] = warnings(result)
    assert warn.row == 3 and "conversions (12) is more than users (10)" in warn.message
    assert result.good_rows == 1


def test_clicks_over_impressions_and_customers_over_leads_warn_but_keep_the_row():
    result = run("marketing_daily", [MD_HEADER, ["2025-07-01", "EDM", "5", "10", "20", "1", "3"]])
    assert result.good_rows == 1
    assert sorted(w.column for w in warnings(result)) == ["clicks", "new_customers"]


def test_rating_score_outside_0_100():
    header = ["employee_id", "period", "dimension", "rater_id", "rater_type", "score"]
    result = run("ratings", [header, ["E1", "2026-Q3", "teamwork", "E2", "supervisor", "120"],
                             ["E1", "2026-Q3", "teamwork", "E3", "自评", "80"]])
    [issue] = errors(result)
    assert (issue.row, issue.column, issue.message) == (2, "score", "outside 0-100")
    assert result.frame["rater_type"].tolist() == ["self"]


def test_exact_duplicate_rows_are_both_kept_and_reported_with_both_row_numbers():
    row = ["2025-07-01", "EDM", "5", "10", "1", "1", "0"]
    result = run("marketing_daily", [MD_HEADER, row, ["2025-07-02", "EDM", "5", "10", "1", "1", "0"], row])
    assert result.good_rows == 3
    [warn] = warnings(result)
    assert warn.rows == (2, 4) and "likely double entry" in warn.message


@pytest.mark.parametrize("tab, header, row", [
    ("key_results", ["kr_id", "objective_id", "title", "start_value", "target_value"], ["KR1", "O1", "t", "0", "1"]),
    ("objectives", ["objective_id", "quarter", "title"], ["O1", "2026-Q3", "t"]),
    ("staff", ["employee_id", "name", "department"], ["E001", "张三", "品牌部"]),
    ("actions", ["action_id", "title"], ["A1", "t"]),
    ("kpi_actuals", ["employee_id", "month", "indicator", "target", "actual"], ["E1", "2026-07", "sales", "1", "1"]),
    ("ratings", ["employee_id", "period", "dimension", "rater_id", "rater_type", "score"],
     ["E1", "2026-Q3", "teamwork", "E2", "peer", "80"]),
])
def test_duplicate_keys_error_on_the_later_row_and_count_once(tab, header, row):
    result = run(tab, [header, row, list(row)])
    assert result.good_rows == 1
    [issue] = errors(result)
    assert issue.row == 3 and issue.rows == (2,) and "duplicate of row 2" in issue.message


def test_unknown_id_is_a_row_error_when_the_other_tab_is_loaded():
    staff = run("staff", [["employee_id", "name", "department"], ["E001", "张三", "品牌部"]])
    kpi = run("kpi_actuals", [["employee_id", "month", "indicator", "target", "actual"],
                              ["E001", "2026-07", "sales", "100", "90"], ["E999", "2026-07", "sales", "100", "90"]])
    results = {"staff": staff, "kpi_actuals": kpi}
    check_references(results)
    assert kpi.good_rows == 1
    [issue] = errors(kpi)
    assert str(issue) == ("error: tab kpi_actuals, row 3, column employee_id: not in tab staff: 'E999' "
                          "(expected a value listed in staff.employee_id)")
    assert [q.row for q in kpi.quarantine] == [3]


def test_ids_keep_leading_zeros_and_html_stays_plain_text():
    result = run("staff", [["employee_id", "name", "department"], ["007", "<script>alert(1)</script>", "品牌部"]])
    assert result.frame["employee_id"].tolist() == ["007"]
    assert result.frame["name"].tolist() == ["<script>alert(1)</script>"]


def test_nothing_is_lost_every_row_is_good_or_quarantined():
    rows = [MD_HEADER] + [["2025-07-01", "EDM", str(v), "10", "1", "1", "0"] for v in ["1", "x", "-1", "2", "", "3"]]
    result = run("marketing_daily", rows)
    assert result.good_rows + len(result.quarantine) == result.rows_read == 6


def test_defaults_fill_optional_columns():
    result = run("conversions", [["journey_id", "value"], ["J1", ""], ["J2", "300"]])
    assert result.frame["value"].tolist() == [1.0, 300.0]


def test_choices_accept_chinese_words_and_refuse_others():
    header = ["month", "department", "category", "amount"]
    result = run("budget", [header, ["2026-07", "品牌部", "线上广告", "100"], ["2026-07", "品牌部", "ads", "100"]])
    assert result.frame["category"].tolist() == ["online_ads"]
    assert errors(result)[0].expected == "online_ads / offline_events / training / other"
