"""config/weekly.yaml: validated like every config file, seen by `check`; and the pure rules of
the slides (stepping, auto-advance) and of an action noted in the meeting."""
import datetime as dt
import textwrap

import pytest

from lib.checks import CONFIG_LOADERS
from lib.issues import ConfigError
from lib.metrics import load_catalog
from lib.weekly.config import SLIDES, load_weekly_config
from lib.weekly.new_action import ActionError, action_row, fingerprint, next_action_id
from lib.weekly.slides import STAGE_OF, auto_next, clamp, step

DAY = dt.date(2026, 10, 26)


def problems(tmp_path, text):
    path = tmp_path / "weekly.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_weekly_config(path)
    return [str(i).replace(str(path), "weekly.yaml") for i in caught.value.issues]


def test_shipped_config_is_valid_and_registered():
    cfg = load_weekly_config()
    assert load_weekly_config in CONFIG_LOADERS
    assert cfg.slides == list(SLIDES) and cfg.auto_advance_seconds == 30
    assert (cfg.why.metrics, cfg.why.by, cfg.why.top, cfg.actions.due_within_days) == (3, "channel", 6, 7)
    assert set(STAGE_OF) == set(SLIDES)


def test_every_problem_is_named_with_its_key(tmp_path):
    assert problems(tmp_path, """
        slides: [kpis, wyh, channels, kpis]
        auto_advance_seconds: 2
        why:
          metrics: 0
          by: chanel
          topp: 3
        actions:
          due_within_days: -1
    """) == [
        "error: weekly.yaml, slides[1]: unknown slide 'wyh'; did you mean 'why'?",
        "error: weekly.yaml, slides[3]: slide 'kpis' is listed twice; each slide is shown once; remove one of them",
        "error: weekly.yaml, why.by: unknown dimension 'chanel' of marketing_daily; did you mean 'channel'?",
        "error: weekly.yaml, auto_advance_seconds: Input should be greater than or equal to 5",
        "error: weekly.yaml, why.metrics: Input should be greater than or equal to 1",
        "error: weekly.yaml, why.topp: unknown key 'topp'; did you mean 'top'?",
        "error: weekly.yaml, actions.due_within_days: Input should be greater than or equal to 0",
    ]


def test_auto_advance_has_an_upper_bound_and_slides_cannot_be_empty(tmp_path):
    assert problems(tmp_path, "slides: []\nauto_advance_seconds: 601\n") == [
        "error: weekly.yaml, slides: List should have at least 1 item after validation, not 0",
        "error: weekly.yaml, auto_advance_seconds: Input should be less than or equal to 600",
    ]


def test_check_lists_a_broken_weekly_config(tmp_path, monkeypatch, capsys):
    from lib import cli
    from lib.weekly import config

    path = tmp_path / "weekly.yaml"
    path.write_text("auto_advance_seconds: fast\n", encoding="utf-8")
    monkeypatch.setattr(config, "WEEKLY_FILE", path)
    code = cli.main(["check", "--data", "sample_data/csv"])
    out = capsys.readouterr().out
    assert code == 1
    assert "auto_advance_seconds: Input should be a valid integer, unable to parse string as an integer" in out


# ---- slides ----------------------------------------------------------------------------------


def test_stepping_stops_at_the_first_and_last_slide():
    slides = ["kpis", "why", "notes"]
    assert step(0, slides, -1) == 0 and step(0, slides, 1) == 1 and step(2, slides, 1) == 2
    assert clamp(7, slides) == 2 and clamp(-3, slides) == 0  # a shorter deck after a role or config change


def test_auto_advance_waits_its_seconds_wraps_round_and_never_leaves_the_notes():
    slides = ["kpis", "why", "actions", "notes"]
    assert auto_next(0, slides, 29.0, 30) is None
    assert auto_next(0, slides, 29.6, 30) == 1  # a timed rerun may come half a second early
    assert auto_next(2, slides, 31, 30) == 3
    assert auto_next(3, slides, 300, 30) is None  # people type on the notes slide
    assert auto_next(2, ["kpis", "why", "actions"], 30, 30) == 0  # a kiosk without notes loops


# ---- a new action --------------------------------------------------------------------------------


def row(**typed):
    values = dict(existing_ids=["A-001", "A-018", "B-7", "A-0x"], staff_ids=["E001", "E002"], catalog=load_catalog(),
                  review_day=DAY, title="  Pause 百度SEM brand bidding ", owner_id="E002", due=dt.date(2026, 11, 6),
                  metric="cac", expected_lift_pct=-12.0)
    values.update(typed)
    return action_row(**values)


def test_an_action_row_is_the_actions_tab_row():
    assert row() == {
        "action_id": "A-019", "title": "Pause 百度SEM brand bidding", "owner_id": "E002", "created": DAY,
        "due": dt.date(2026, 11, 6), "status": "open", "metric": "cac", "expected_lift": -0.12,
        "review_week": "2026-W45"}
    assert row(metric=None, expected_lift_pct=None)["metric"] is None
    assert row(expected_lift_pct=None)["expected_lift"] is None


def test_next_action_id():
    assert next_action_id([]) == "A-001"
    assert next_action_id(["A-009", "A-010", " A-002 "]) == "A-011"
    assert next_action_id(["A-999"]) == "A-1000"
    assert next_action_id(["ACT-5", "A-x"]) == "A-001"  # other shapes are left alone


def test_every_problem_of_an_action_is_named():
    with pytest.raises(ActionError) as caught:
        row(title=" ", owner_id=None, due=dt.date(2026, 10, 25), metric="cacc")
    assert str(caught.value) == ("title: write what will be done; owner: choose who owns the action; "
                                 "due: 2026-10-25 is before the review day 2026-10-26; "
                                 "metric: cacc is not in config/metrics.yaml")
    assert [p.key for p in caught.value.problems] == ["title", "owner", "due_past", "metric"]
    with pytest.raises(ActionError, match="^owner: E099 is not in the staff tab; due: choose a due date$"):
        row(owner_id="E099", due=None)
    with pytest.raises(ActionError, match=r"^title: at most 200 characters \(201 typed\)$"):
        row(title="x" * 201)


def test_the_fingerprint_of_an_action_leaves_out_its_id():
    first, again = row(), row(existing_ids=["A-019"])  # after the first write the next id would be A-020
    assert first["action_id"] != again["action_id"]
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(first) != fingerprint(row(title="Another action"))
