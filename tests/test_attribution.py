"""Attribution (../shared/spec/attribution.md): every model on hand-computed journeys, the
totals invariant as a property, and the same answer however the touches are batched."""
import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.attribution import (MODELS, AttributionError, ChannelCodes, attribute, markov_shares,
                             markov_transitions, named_transitions)
from lib.cli import main
from lib.config import SourcesConfig, sources_for_data
from lib.store import Store, _land, load_store, new_duckdb, utcnow
from lib.validate import ROW, TabResult
from tests.dbs import any_db_url, duckdb_url, mariadb_url, pg_url, write_tables  # noqa: F401 (fixtures)

# Five journeys over channels A, B, C (sheet order as written):
#   J1  A (01-01 10:00), B (01-03 10:00), C (01-08 10:00)  converted 01-08 12:00, value 300
#   J2  B (01-05 09:00)                                     converted, no converted_at, value 100
#   J3  C and A both at 01-02 08:00 (C first in the sheet)  converted 01-09, value blank (= 1)
#   J4  C, C                                                not converted
#   J5  A (01-01), A (01-03), B (01-08)                     converted, no converted_at, value 50
TOUCHES = """journey_id,ts,channel
J1,2026-01-01 10:00,A
J1,2026-01-03 10:00,B
J1,2026-01-08 10:00,C
J2,2026-01-05 09:00,B
J3,2026-01-02 08:00,C
J3,2026-01-02 08:00,A
J4,2026-01-04 10:00,C
J4,2026-01-06 10:00,C
J5,2026-01-01 00:00,A
J5,2026-01-03 00:00,A
J5,2026-01-08 00:00,B
"""
CONVERSIONS = """journey_id,converted_at,value
J1,2026-01-08 12:00,300
J2,,100
J3,2026-01-09 00:00,
J5,,50
"""


def sheet(folder, touches=TOUCHES, conversions=CONVERSIONS):
    folder.mkdir(exist_ok=True)
    (folder / "touchpoints.csv").write_text(touches, encoding="utf-8")
    (folder / "conversions.csv").write_text(conversions, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return attribute(load_store(sources_for_data(str(sheet(tmp_path_factory.mktemp("journeys"))))), 7.0)


def credit(result, model):
    return {r["channel"]: (r["conversions"], r["value"]) for r in result.for_model(model)}


def close(got, expected):
    assert got.keys() == expected.keys()
    for channel, (conversions, value) in expected.items():
        assert got[channel][0] == pytest.approx(conversions, rel=1e-12, abs=1e-12), channel
        assert got[channel][1] == pytest.approx(value, rel=1e-12, abs=1e-12), channel


def test_totals_count_converted_journeys_and_their_value(result):
    assert (result.journeys, result.converted, result.total_value, result.touches) == (5, 4, 451.0, 11)


def test_first_touch_takes_the_sheet_order_of_a_tie(result):
    # J3's C and A share a timestamp: C is first in the sheet, so C is the first touch.
    close(credit(result, "first_touch"), {"A": (2, 350), "B": (1, 100), "C": (1, 1)})


def test_last_touch(result):
    close(credit(result, "last_touch"), {"A": (1, 1), "B": (2, 150), "C": (1, 300)})


def test_linear_credits_a_repeated_channel_once_per_touch(result):
    # J5: A twice and B once -> A gets 2/3, B 1/3.
    close(credit(result, "linear"), {
        "A": (1 / 3 + 1 / 2 + 2 / 3, 100 + 0.5 + 50 * 2 / 3),
        "B": (1 / 3 + 1 + 1 / 3, 100 + 100 + 50 / 3),
        "C": (1 / 3 + 1 / 2, 100 + 0.5),
    })


def test_position_based_one_two_and_three_touches(result):
    # J1 (3 touches): 0.4 / 0.2 / 0.4; J2 (1): all; J3 (2): half each; J5: A 0.4 + 0.2, B 0.4.
    close(credit(result, "position_based"), {
        "A": (0.4 + 0.5 + 0.6, 120 + 0.5 + 30),
        "B": (0.2 + 1 + 0.4, 60 + 100 + 20),
        "C": (0.4 + 0.5, 120 + 0.5),
    })


def test_time_decay_uses_converted_at_or_else_the_last_touch(result):
    h = 7.0
    # J1: T = 01-08 12:00; ages 170 h, 122 h, 2 h.
    w1 = [2 ** (-(170 / 24) / h), 2 ** (-(122 / 24) / h), 2 ** (-(2 / 24) / h)]
    j1 = [w / sum(w1) for w in w1]
    # J3: a tie, equal weights. J2: one touch. J5: no converted_at, T = its last touch (01-08):
    # ages 7 days, 5 days, 0.
    w5 = [2 ** -1, 2 ** (-5 / 7), 1.0]
    j5 = [w / sum(w5) for w in w5]
    close(credit(result, "time_decay"), {
        "A": (j1[0] + 0.5 + j5[0] + j5[1], 300 * j1[0] + 0.5 + 50 * (j5[0] + j5[1])),
        "B": (j1[1] + 1 + j5[2], 300 * j1[1] + 100 + 50 * j5[2]),
        "C": (j1[2] + 0.5, 300 * j1[2] + 0.5),
    })


def test_markov_removal_effects_by_hand(result):
    # Paths (repeats collapsed): J1 s>A>B>C>conv, J2 s>B>conv, J3 s>C>A>conv, J4 s>C>null,
    # J5 s>A>B>conv. P(conv) = 0.8; without A 13/45, without B 14/45, without C 4/9, so
    # RE = 23/36, 22/36, 16/36 and the shares are 23/61, 22/61, 16/61.
    shares = {"A": 23 / 61, "B": 22 / 61, "C": 16 / 61}
    close(credit(result, "markov"), {c: (4 * s, 451 * s) for c, s in shares.items()})


def test_markov_small_example_from_the_docs():
    # start>A>B>conv, start>A>null, start>B>conv (docs/channels.md): P(conv) = 2/3,
    # without A 1/3 (RE 1/2), without B 0 (RE 1) -> A 1/3, B 2/3.
    codes = ChannelCodes()
    channel = codes.of(["A", "B", "A", "B"])
    transitions = named_transitions(markov_transitions(np.array([1, 1, 2, 3]), channel,
                                                       np.array([True, True, False, True])), codes.names)
    assert dict(transitions) == {("(start)", "A"): 2, ("A", "B"): 1, ("B", "(conversion)"): 2,
                                 ("A", "(null)"): 1, ("(start)", "B"): 1}
    assert markov_shares(transitions) == pytest.approx({"A": 1 / 3, "B": 2 / 3}, rel=1e-12)


def test_one_touch_journeys_give_everything_to_that_touch_in_every_model(tmp_path):
    store = load_store(sources_for_data(str(sheet(
        tmp_path, "journey_id,ts,channel\nX,2026-02-01,抖音\nY,2026-02-02,EDM\n",
        "journey_id,converted_at,value\nX,2026-02-03,80\nY,2026-02-02,20\n"))))
    result = attribute(store)
    for model in MODELS[:-1]:
        close(credit(result, model), {"抖音": (1, 80), "EDM": (1, 20)})
    # Markov shares the totals by removal effect: removing either channel loses its only
    # path (RE 1 each), so each gets half of the 2 conversions and half of the ¥100.
    close(credit(result, "markov"), {"抖音": (1, 50), "EDM": (1, 50)})


def test_channels_without_credit_are_listed_with_zero(result):
    assert credit(result, "first_touch")["C"] == (1.0, 1.0)
    only_unconverted = credit(result, "last_touch")
    assert set(only_unconverted) == {"A", "B", "C"}


def test_journeys_are_chosen_by_the_day_they_ended(tmp_path):
    store = load_store(sources_for_data(str(sheet(tmp_path))))
    # Ending 01-08: J1 (converted 01-08), J5 (no converted_at, last touch 01-08).
    week = attribute(store, start=dt.date(2026, 1, 8), end=dt.date(2026, 1, 8))
    assert (week.journeys, week.converted, week.total_value) == (2, 2, 350.0)
    # J4 ended (unconverted) at its last touch, 01-06; J2 at 01-05.
    early = attribute(store, start=dt.date(2026, 1, 5), end=dt.date(2026, 1, 6))
    assert (early.journeys, early.converted, early.total_value) == (2, 1, 100.0)


def test_time_decay_survives_touches_decades_before_the_conversion(tmp_path):
    store = load_store(sources_for_data(str(sheet(
        tmp_path, "journey_id,ts,channel\nJ,1990-01-01,A\nJ,1991-01-01,B\n",
        "journey_id,converted_at,value\nJ,2026-01-01,10\n"))))
    got = credit(attribute(store), "time_decay")
    # 2^(-365/7) of B's weight: A's share is tiny but the shares are still finite and sum to 1.
    share_a = 2 ** (-365 / 7) / (1 + 2 ** (-365 / 7))
    assert got["A"][0] == pytest.approx(share_a, rel=1e-9) and got["B"][0] == pytest.approx(1 - share_a)


def test_touchpoints_and_conversions_must_share_a_source(tmp_path):
    folder = sheet(tmp_path / "csv")
    db = tmp_path / "conv.duckdb"
    import sqlalchemy as sa

    engine = sa.create_engine(f"duckdb:///{db}")
    pd.DataFrame({"journey_id": ["J1"], "converted_at": [pd.Timestamp("2026-01-08")], "value": [1.0]}).to_sql(
        "conversions", engine, index=False)
    engine.dispose()
    config = SourcesConfig(default="csv", sources={"csv": {"kind": "csv", "path": str(folder)},
                                                   "db": {"kind": "sql", "url": f"duckdb:///{db}"}},
                           tabs={"conversions": "db"})
    with pytest.raises(AttributionError) as caught:
        attribute(load_store(config))
    assert str(caught.value) == ("attribution needs the touchpoints and conversions tabs from the same source; "
                                 "map both to one source in config/sources.yaml")


# ---------------------------------------------------------------------------------------
# the totals invariant, and batching


def duck_store(touches: list[tuple[str, dt.datetime, str]], conversions: list[tuple]) -> Store:
    """Touches and conversions landed in DuckDB exactly as a loaded sheet would be."""
    engine, generation = new_duckdb()
    store = Store(engine, generation, utcnow())
    frames = {
        "touchpoints": pd.DataFrame(touches, columns=["journey_id", "ts", "channel"]),
        "conversions": pd.DataFrame(conversions, columns=["journey_id", "converted_at", "value"]),
    }
    for tab, frame in frames.items():
        frame[ROW] = range(2, len(frame) + 2)
        for column in ("ts", "converted_at"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])
        _land(store, TabResult(tab, "test", frame, rows_read=len(frame)), "test")
    return store


CHANNELS = ["百度SEM", "抖音", "EDM", "线下沙龙"]
journey = st.tuples(
    st.lists(st.tuples(st.integers(0, 20), st.sampled_from(CHANNELS)), min_size=1, max_size=6),  # (day, channel)
    st.one_of(st.none(), st.tuples(st.one_of(st.none(), st.integers(0, 25)),  # converted_at day or missing
                                   st.floats(0, 1e6, allow_nan=False))),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys=st.lists(journey, min_size=1, max_size=25), half_life=st.floats(0.5, 30),
       batch_rows=st.integers(1, 9))
def test_every_model_credits_exactly_the_converted_journeys(journeys, half_life, batch_rows):
    base = dt.datetime(2026, 3, 1)
    touches, conversions = [], []
    for i, (steps, conversion) in enumerate(journeys):
        touches += [(f"J{i:03d}", base + dt.timedelta(days=day), channel) for day, channel in steps]
        if conversion is not None:
            day, value = conversion
            conversions.append((f"J{i:03d}", None if day is None else base + dt.timedelta(days=day), value))
    store = duck_store(touches, conversions)
    whole = attribute(store, half_life, batch_rows=100_000)
    total_value = sum(v for _, _, v in conversions)
    assert whole.converted == len(conversions)
    for model in MODELS:
        rows = whole.for_model(model)
        assert math.isclose(sum(r["conversions"] for r in rows), len(conversions), rel_tol=1e-9, abs_tol=1e-9), model
        assert math.isclose(sum(r["value"] for r in rows), total_value, rel_tol=1e-9, abs_tol=1e-6), model
        assert all(r["conversions"] >= -1e-12 for r in rows), model
    # Reading the touches in tiny batches (journeys cut across batches) changes nothing.
    batched = attribute(store, half_life, batch_rows=batch_rows)
    by_name = lambda r: r.credits.sort_values(["model", "channel"]).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(by_name(batched), by_name(whole), rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------------------------
# the command line


def test_cli_attribute_prints_the_model_as_json(tmp_path, capsys):
    folder = sheet(tmp_path / "s")
    assert main(["attribute", "--model", "position_based", "--data", str(folder)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [row["channel"] for row in doc] == ["B", "A", "C"]
    assert doc[0] == {"channel": "B", "conversions": pytest.approx(1.6), "value": pytest.approx(180.0)}
    assert set(doc[1]) == {"channel", "conversions", "value"}


def test_cli_attribute_with_a_date_range(tmp_path, capsys):
    folder = sheet(tmp_path / "s")
    assert main(["attribute", "--model", "first_touch", "--data", str(folder), "--start", "2026-01-08",
                 "--end", "2026-01-08"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc == [{"channel": "A", "conversions": 2.0, "value": 350.0},
                   {"channel": "B", "conversions": 0.0, "value": 0.0},
                   {"channel": "C", "conversions": 0.0, "value": 0.0}]


def test_cli_attribute_errors(tmp_path, capsys):
    folder = sheet(tmp_path / "s")
    assert main(["attribute", "--model", "linear", "--data", str(folder), "--start", "2026-02-01",
                 "--end", "2026-01-01"]) == 2
    assert capsys.readouterr().err.strip() == "error: --start 2026-02-01 is after --end 2026-01-01"
    (folder / "conversions.csv").unlink()
    assert main(["attribute", "--model", "linear", "--data", str(folder)]) == 1
    err = capsys.readouterr().err
    assert ("error: tab(s) conversions needed by attribution are not loaded; expected conversions "
            "(journey_id*, converted_at, value; * = required)") in err
    with pytest.raises(SystemExit) as caught:
        main(["attribute", "--model", "shapley", "--data", str(folder)])
    assert caught.value.code == 2
    assert "invalid choice: 'shapley'" in capsys.readouterr().err


def test_a_database_source_gives_the_same_credit(any_db_url, tmp_path):
    """Touches streamed from DuckDB, PostgreSQL or MariaDB in batches, like the sheet's.
    A database has no sheet order, so its ties go by channel name: J3 is written A, C here."""
    touches = TOUCHES.replace("J3,2026-01-02 08:00,C\nJ3,2026-01-02 08:00,A\n",
                              "J3,2026-01-02 08:00,A\nJ3,2026-01-02 08:00,C\n")
    from_sheet = attribute(load_store(sources_for_data(str(sheet(tmp_path / "csv", touches)))))
    frames = {
        "touchpoints": pd.read_csv(pd.io.common.StringIO(touches), parse_dates=["ts"]),
        "conversions": pd.read_csv(pd.io.common.StringIO(CONVERSIONS), parse_dates=["converted_at"]),
    }
    write_tables(any_db_url, frames)
    store = load_store(sources_for_data(any_db_url))
    assert store.tabs["touchpoints"].location == "live"
    from_db = attribute(store, batch_rows=2)
    assert (from_db.journeys, from_db.converted, from_db.total_value) == (5, 4, 451.0)
    by_name = lambda r: r.credits.sort_values(["model", "channel"]).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(by_name(from_db), by_name(from_sheet), rtol=1e-12, atol=1e-12)
