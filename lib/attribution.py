"""Attribution: which channels get the credit for converted journeys (../shared/spec/attribution.md).

Touches are read from the database ordered by journey, time and sheet order, in batches
of whole journeys, and every model is computed on a batch with array arithmetic: one pass
over the touches, memory bounded by the batch, no per-journey Python loop and nothing
quadratic. The rule-based models add each touch's share of its journey to its channel;
the Markov model counts transitions between channels over all journeys and solves the
absorbing chain once per channel at the end (a channels x channels system).

    result = attribute(store, half_life_days=7)
    result.for_model("markov")  # [{"channel": ..., "conversions": ..., "value": ...}]
"""
from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np
import pandas as pd
import sqlalchemy as sa

from lib.store import MissingTabError, Store
from lib.validate import ROW

MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay", "markov")
RULE_MODELS = MODELS[:-1]
START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
_NS_PER_DAY = 86_400 * 10**9


class AttributionError(ValueError):
    """The tabs cannot be combined as asked (for example they live in different sources)."""


@dataclass
class Attribution:
    """Credited conversions and value per channel and model, and the totals they add up to."""

    credits: pd.DataFrame  # channel, model, conversions, value (every channel touched, every model)
    journeys: int  # all journeys considered (converted or not)
    converted: int  # converted journeys
    total_value: float  # the value of the converted journeys
    touches: int

    def for_model(self, model: str) -> list[dict]:
        """The CLI's shape: [{"channel", "conversions", "value"}], most credited first."""
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r}; use one of {', '.join(MODELS)}")
        rows = self.credits[self.credits["model"] == model]
        return [{"channel": r.channel, "conversions": float(r.conversions), "value": float(r.value)}
                for r in rows.itertuples(index=False)]

    def wide(self, measure: str = "conversions") -> pd.DataFrame:
        """One row per channel, one column per model (for the side-by-side table)."""
        table = self.credits.pivot(index="channel", columns="model", values=measure)
        table = table.reindex(columns=list(MODELS))
        order = table.sum(axis=1).sort_values(ascending=False, kind="stable").index
        return table.loc[order].reset_index()


# ---------------------------------------------------------------------------------------
# reading the touches

NAT = np.iinfo(np.int64).min  # a missing converted_at (NaT as int64 nanoseconds)


class ChannelCodes:
    """Channel names as small integers, the same across all batches of one run."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._index: dict[str, int] = {}

    def lookup(self, names) -> np.ndarray:
        """The code of each name (new names get the next codes)."""
        out = np.empty(len(names), dtype=np.int64)
        for i, name in enumerate(names):
            name = str(name)
            if name not in self._index:
                self._index[name] = len(self.names)
                self.names.append(name)
            out[i] = self._index[name]
        return out

    def of(self, values) -> np.ndarray:
        """Codes of a column of names: each distinct name is looked up once."""
        positions, uniques = pd.factorize(np.asarray(values, dtype=object))
        return self.lookup(list(uniques))[positions] if len(uniques) else np.empty(0, dtype=np.int64)


@dataclass
class Touches:
    """Touches as arrays, ordered by journey, time and sheet order (one batch or a slice)."""

    journey: np.ndarray  # int64: equal for the touches of a journey, increasing with journey_id
    ts: np.ndarray  # int64 nanoseconds
    channel: np.ndarray  # int64 code (ChannelCodes)
    converted: np.ndarray  # bool: the journey converted
    converted_at: np.ndarray  # int64 nanoseconds, NAT when missing
    value: np.ndarray  # float64: the conversion's value (1 when blank)

    def __len__(self) -> int:
        return len(self.journey)

    def rows(self, selector) -> "Touches":
        return Touches(*(getattr(self, f)[selector] for f in _FIELDS))

    @staticmethod
    def join(a: "Touches", b: "Touches") -> "Touches":
        return Touches(*(np.concatenate([getattr(a, f), getattr(b, f)]) for f in _FIELDS))


_FIELDS = ("journey", "ts", "channel", "converted", "converted_at", "value")


def touch_batches(store: Store, codes: ChannelCodes, start: dt.date | None = None, end: dt.date | None = None,
                  batch_rows: int = 200_000) -> Iterator[Touches]:
    """Touches with their journey's conversion, ordered by journey_id, ts and sheet order.

    With start/end only journeys that ended in [start, end] are read; a journey ends when it
    converted (converted_at), or at its last touch when converted_at is missing or it did
    not convert. The journey_id becomes its dense rank, so that no journey id string ever
    reaches Python.
    """
    missing = store.missing("touchpoints", "conversions")
    if missing:
        raise MissingTabError(missing, ["attribution"])
    touches, conversions = store.relation("touchpoints"), store.relation("conversions")
    if str(touches.engine.url) != str(conversions.engine.url):
        raise AttributionError("attribution needs the touchpoints and conversions tabs from the same source; "
                               "map both to one source in config/sources.yaml")
    t, c = touches.selectable, conversions.selectable
    joined = t.outerjoin(c, c.c.journey_id == t.c.journey_id)
    query = sa.select(
        sa.func.dense_rank().over(order_by=t.c.journey_id).label("journey"), t.c.ts, t.c.channel,
        c.c.journey_id.is_not(None).label("converted"), c.c.converted_at,
        sa.func.coalesce(c.c.value, 1.0).label("value"),
    ).select_from(joined)
    if start is not None or end is not None:
        ends = (sa.select(t.c.journey_id, sa.func.coalesce(sa.func.max(c.c.converted_at), sa.func.max(t.c.ts))
                          .label("ended_at"))
                .select_from(joined).group_by(t.c.journey_id).subquery("journey_ends"))
        query = query.join(ends, ends.c.journey_id == t.c.journey_id)
        if start is not None:
            query = query.where(ends.c.ended_at >= dt.datetime.combine(start, dt.time()))
        if end is not None:
            query = query.where(ends.c.ended_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    # Ties in time keep sheet order; a database table has no sheet order, so its ties go
    # by channel name to stay reproducible.
    tie = t.c[ROW] if touches.location == "duckdb" else t.c.channel
    query = query.order_by(t.c.journey_id, t.c.ts, tie)
    if touches.dialect == "duckdb":
        yield from _duckdb_batches(touches.engine, query, batch_rows, codes)
        return
    with touches.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(query)
        for rows in result.partitions(batch_rows):
            journey, ts, channel, converted, converted_at, value = zip(*rows)
            yield Touches(np.asarray(journey, dtype=np.int64), _nanoseconds(pd.to_datetime(pd.Series(ts))),
                          codes.of(channel), np.asarray(converted, dtype=bool),
                          _nanoseconds(pd.to_datetime(pd.Series(converted_at))), np.asarray(value, dtype=float))


def _nanoseconds(times: pd.Series) -> np.ndarray:
    return times.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _duckdb_batches(engine: sa.Engine, query: sa.Select, batch_rows: int, codes: ChannelCodes) -> Iterator[Touches]:
    """DuckDB hands over Arrow record batches: columns become arrays without a Python object
    per cell, and each batch's channels are dictionary-encoded (a dozen names to look up)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def ns(column) -> np.ndarray:
        times = column.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
        return times.astype("datetime64[ns]").view(np.int64)

    compiled = query.compile(dialect=engine.dialect)
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    with engine.connect() as conn, warnings.catch_warnings():
        # execute() rather than the relation API: it also works on a pooled connection that an
        # earlier query left with a partly read result. DuckDB notes that this path copies
        # the rows once more, which costs little next to a Python object per cell.
        warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)
        reader = conn.connection.driver_connection.execute(compiled.string, params).to_arrow_reader(batch_rows)
        for batch in reader:
            channel = pc.dictionary_encode(batch.column("channel"))
            yield Touches(
                batch.column("journey").to_numpy(zero_copy_only=False).astype(np.int64),
                ns(batch.column("ts")),
                codes.lookup(channel.dictionary.to_pylist())[channel.indices.to_numpy(zero_copy_only=False)],
                batch.column("converted").to_numpy(zero_copy_only=False).astype(bool),
                ns(batch.column("converted_at")),
                batch.column("value").to_numpy(zero_copy_only=False).astype(np.float64),
            )


def whole_journeys(batches: Iterable[Touches]) -> Iterator[Touches]:
    """Re-cut ordered batches so that no journey is split between two of them."""
    carry: Touches | None = None
    for batch in batches:
        if carry is not None:
            batch = Touches.join(carry, batch)
        if not len(batch):
            carry = batch
            continue
        last_start = int(np.argmax(batch.journey == batch.journey[-1]))  # the last journey's rows are contiguous
        carry = batch.rows(slice(last_start, None))
        if last_start:
            yield batch.rows(slice(0, last_start))
    if carry is not None and len(carry):
        yield carry


# ---------------------------------------------------------------------------------------
# one batch of whole journeys


@dataclass
class _Journeys:
    """Positions of the touches of a batch within their journeys."""

    starts: np.ndarray  # first row of each journey
    lengths: np.ndarray
    journey: np.ndarray  # journey number of each row
    position: np.ndarray  # 0 for the first touch of its journey
    n: np.ndarray  # touches in the row's journey

    @classmethod
    def of(cls, ids: np.ndarray) -> "_Journeys":
        rows = len(ids)
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        lengths = np.diff(np.r_[starts, rows])
        journey = np.repeat(np.arange(len(starts)), lengths)
        return cls(starts, lengths, journey, np.arange(rows) - starts[journey], lengths[journey])

    @property
    def ends(self) -> np.ndarray:
        return self.starts + self.lengths - 1


def rule_shares(touches: Touches, half_life_days: float) -> dict[str, np.ndarray]:
    """Each touch's share of its journey's credit under each rule-based model."""
    j = _Journeys.of(touches.journey)
    pos, n = j.position, j.n
    first, last = pos == 0, pos == n - 1
    middle = np.where((n >= 3) & ~first & ~last, 0.2 / np.maximum(n - 2, 1), 0.0)
    position_based = np.select([n == 1, n == 2], [1.0, 0.5], default=np.where(first | last, 0.4, middle))
    return {
        "first_touch": first.astype(float),
        "last_touch": last.astype(float),
        "linear": 1.0 / n,
        "position_based": position_based,
        "time_decay": _time_decay(touches, j, half_life_days),
    }


def _time_decay(touches: Touches, j: _Journeys, half_life_days: float) -> np.ndarray:
    """2^(-(T - ts)/H) normalised over the journey; T = converted_at, else the last touch.

    The exponent is shifted by its journey maximum before exp2, which leaves the normalised
    weights unchanged and keeps touches years before the conversion from underflowing to 0/0.
    """
    ts = touches.ts
    t_end = np.where(touches.converted_at == NAT, ts[j.ends][j.journey], touches.converted_at)
    exponent = -((t_end - ts) / _NS_PER_DAY) / half_life_days
    shifted = exponent - np.maximum.reduceat(exponent, j.starts)[j.journey]
    weight = np.exp2(shifted)
    return weight / np.add.reduceat(weight, j.starts)[j.journey]


_START, _CONVERSION, _NULL = -1, -2, -3  # states of the Markov chain that are not channels
_PAIR = np.int64(1 << 32)


def markov_transitions(journey: np.ndarray, channel: np.ndarray, converted: np.ndarray) -> Counter:
    """Transition counts {(from, to): n} of whole journeys, consecutive repeats collapsed.

    States are channel codes, or -1 start, -2 conversion, -3 null (see named_transitions)."""
    j = _Journeys.of(journey)
    previous = np.r_[-4, channel[:-1]]
    kept = (j.position == 0) | (channel != previous)
    to_state = channel[kept]
    from_state = np.r_[_START, to_state[:-1]]
    from_state[j.position[kept] == 0] = _START
    outcome = np.where(converted[j.ends], _CONVERSION, _NULL)
    pairs = (np.r_[from_state, channel[j.ends]] + 3) * _PAIR + (np.r_[to_state, outcome] + 3)
    keys, counts = np.unique(pairs, return_counts=True)
    return Counter({(int(k // _PAIR) - 3, int(k % _PAIR) - 3): int(n) for k, n in zip(keys, counts)})


def named_transitions(transitions: Counter, names: list[str]) -> Counter:
    """The counts with channel names and START / CONVERSION / NULL for the other states."""
    label = {_START: START, _CONVERSION: CONVERSION, _NULL: NULL}
    return Counter({(label.get(a) or names[a], label.get(b) or names[b]): n for (a, b), n in transitions.items()})


def markov_shares(transitions: Counter) -> dict[str, float]:
    """Removal-effect shares: RE(c) = 1 - P_without_c(conv) / P(conv), normalised to sum 1.

    The chain's transient states are start and the channels; conversion and null absorb.
    P(conv from each state) solves (I - Q) p = r, with Q the transient-to-transient
    probabilities and r the probabilities of stepping into conversion. Removing c sends
    every transition into c to null: column c of Q becomes 0.
    """
    channels = sorted({s for pair in transitions for s in pair} - {START, CONVERSION, NULL})
    if not channels:
        return {}
    states = [START, *channels]
    index = {s: i for i, s in enumerate(states)}
    counts = np.zeros((len(states), len(states) + 2))  # + conversion, null
    for (a, b), k in transitions.items():
        column = len(states) if b == CONVERSION else len(states) + 1 if b == NULL else index[b]
        counts[index[a], column] += k
    outgoing = counts.sum(axis=1, keepdims=True)
    probabilities = np.divide(counts, outgoing, out=np.zeros_like(counts), where=outgoing > 0)
    q, r = probabilities[:, :len(states)], probabilities[:, len(states)]
    eye = np.eye(len(states))
    p_conv = np.linalg.solve(eye - q, r)[0]
    if p_conv <= 0:
        return {c: 0.0 for c in channels}
    effects = {}
    for c in channels:
        removed = q.copy()
        removed[:, index[c]] = 0.0
        effects[c] = max(0.0, 1.0 - np.linalg.solve(eye - removed, r)[0] / p_conv)
    total = sum(effects.values())
    return {c: e / total for c, e in effects.items()}


# ---------------------------------------------------------------------------------------
# all batches


class _Totals:
    def __init__(self, half_life_days: float, codes: ChannelCodes):
        self.half_life_days = half_life_days
        self.codes = codes
        self.credit = np.zeros((len(RULE_MODELS), 2, 0))  # model x (conversions, value) x channel
        self.touched = np.zeros(0, dtype=bool)
        self.transitions: Counter = Counter()
        self.journeys = self.converted = self.touches = 0
        self.total_value = 0.0

    def add(self, batch: Touches) -> None:
        size = len(self.codes.names)
        if self.credit.shape[2] < size:
            grow = size - self.credit.shape[2]
            self.credit = np.concatenate([self.credit, np.zeros((len(RULE_MODELS), 2, grow))], axis=2)
            self.touched = np.r_[self.touched, np.zeros(grow, dtype=bool)]
        j = _Journeys.of(batch.journey)
        won_journey = batch.converted[j.starts]
        self.journeys += len(j.starts)
        self.touches += len(batch)
        self.converted += int(won_journey.sum())
        self.total_value += float(batch.value[j.starts][won_journey].sum())
        self.touched[np.unique(batch.channel)] = True
        self.transitions.update(markov_transitions(batch.journey, batch.channel, batch.converted))
        won = batch.rows(batch.converted)
        if not len(won):
            return
        for m, share in enumerate(rule_shares(won, self.half_life_days).values()):
            self.credit[m, 0] += np.bincount(won.channel, weights=share, minlength=size)
            self.credit[m, 1] += np.bincount(won.channel, weights=share * won.value, minlength=size)

    def result(self) -> Attribution:
        names = self.codes.names
        touched = sorted(np.flatnonzero(self.touched), key=lambda code: names[code])
        rows = [(names[c], model, float(self.credit[m, 0, c]), float(self.credit[m, 1, c]))
                for m, model in enumerate(RULE_MODELS) for c in touched]
        shares = markov_shares(named_transitions(self.transitions, names)) if self.converted else {}
        for c in touched:
            share = shares.get(names[c], 0.0)
            rows.append((names[c], "markov", share * self.converted, share * self.total_value))
        credits = pd.DataFrame(rows, columns=["channel", "model", "conversions", "value"])
        credits["model"] = pd.Categorical(credits["model"], categories=list(MODELS), ordered=True)
        # Most credited first; credits equal but for float noise (1 vs 0.9999999999) count as
        # ties, so the order does not depend on how the touches were batched.
        credits["_order"] = credits["conversions"].round(9)
        credits = credits.sort_values(["model", "_order", "channel"], ascending=[True, False, True],
                                      kind="stable").drop(columns="_order").reset_index(drop=True)
        credits["model"] = credits["model"].astype(str)
        return Attribution(credits, self.journeys, self.converted, self.total_value, self.touches)


def attribute_batches(batches: Iterable[Touches], codes: ChannelCodes, half_life_days: float = 7.0) -> Attribution:
    """Every model over ordered touch batches whose channels were coded by `codes`."""
    totals = _Totals(half_life_days, codes)
    for batch in whole_journeys(batches):
        totals.add(batch)
    return totals.result()


def attribute(store: Store, half_life_days: float = 7.0, start: dt.date | None = None,
              end: dt.date | None = None, batch_rows: int = 200_000) -> Attribution:
    """Every model of attribution.md over the journeys that ended in [start, end] (all when None)."""
    codes = ChannelCodes()
    return attribute_batches(touch_batches(store, codes, start, end, batch_rows), codes, half_life_days)
