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


def touch_batches(store: Store, start: dt.date | None = None, end: dt.date | None = None,
                  batch_rows: int = 200_000) -> Iterator[pd.DataFrame]:
    """Touches with their journey's conversion, ordered by journey_id, ts and sheet order.

    Columns: journey_id, ts, channel, converted (bool), converted_at (NaT when missing),
    value (a conversion's value, 1 when blank). With start/end only journeys that ended in
    [start, end] are read; a journey ends when it converted (converted_at), or at its last
    touch when converted_at is missing or it did not convert.
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
        t.c.journey_id, t.c.ts, t.c.channel, c.c.journey_id.is_not(None).label("converted"),
        c.c.converted_at, sa.func.coalesce(c.c.value, 1.0).label("value"),
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
        yield from _duckdb_batches(touches.engine, query, batch_rows)
        return
    with touches.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(query)
        names = list(result.keys())
        for rows in result.partitions(batch_rows):
            yield _typed(pd.DataFrame(dict(zip(names, zip(*rows)))))


def _duckdb_batches(engine: sa.Engine, query: sa.Select, batch_rows: int) -> Iterator[pd.DataFrame]:
    """DuckDB hands over Arrow record batches: no Python object per cell on the way."""
    compiled = query.compile(dialect=engine.dialect)
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    with engine.connect() as conn, warnings.catch_warnings():
        # execute() rather than the relation API: it also works on a pooled connection that an
        # earlier query left with a partly read result. DuckDB notes that this path copies
        # the rows once more, which costs little next to a Python object per cell.
        warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)
        reader = conn.connection.driver_connection.execute(compiled.string, params).to_arrow_reader(batch_rows)
        for batch in reader:
            yield _typed(batch.to_pandas())


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "journey_id": frame["journey_id"].astype(str).to_numpy(dtype=object),
        "ts": pd.to_datetime(frame["ts"]).astype("datetime64[ns]"),
        "channel": frame["channel"].astype(str).to_numpy(dtype=object),
        "converted": frame["converted"].astype(bool),
        "converted_at": pd.to_datetime(frame["converted_at"]).astype("datetime64[ns]"),
        "value": frame["value"].astype("float64"),
    })


def whole_journeys(batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Re-cut ordered batches so that no journey is split between two of them."""
    carry: pd.DataFrame | None = None
    for batch in batches:
        if carry is not None:
            batch = pd.concat([carry, batch], ignore_index=True)
        if batch.empty:
            carry = batch
            continue
        ids = batch["journey_id"].to_numpy()
        last_start = len(ids) - int(np.argmax(ids[::-1] != ids[-1])) if (ids != ids[-1]).any() else 0
        carry = batch.iloc[last_start:].reset_index(drop=True)
        if last_start:
            yield batch.iloc[:last_start].reset_index(drop=True)
    if carry is not None and not carry.empty:
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


def rule_shares(batch: pd.DataFrame, half_life_days: float) -> dict[str, np.ndarray]:
    """Each touch's share of its journey's credit under each rule-based model."""
    j = _Journeys.of(batch["journey_id"].to_numpy())
    pos, n = j.position, j.n
    first, last = pos == 0, pos == n - 1
    middle = np.where((n >= 3) & ~first & ~last, 0.2 / np.maximum(n - 2, 1), 0.0)
    position_based = np.select([n == 1, n == 2], [1.0, 0.5], default=np.where(first | last, 0.4, middle))
    return {
        "first_touch": first.astype(float),
        "last_touch": last.astype(float),
        "linear": 1.0 / n,
        "position_based": position_based,
        "time_decay": _time_decay(batch, j, half_life_days),
    }


def _time_decay(batch: pd.DataFrame, j: _Journeys, half_life_days: float) -> np.ndarray:
    """2^(-(T - ts)/H) normalised over the journey; T = converted_at, else the last touch.

    The exponent is shifted by its journey maximum before exp2, which leaves the normalised
    weights unchanged and keeps touches years before the conversion from underflowing to 0/0.
    """
    ts = batch["ts"].to_numpy().astype("int64")
    converted_at = batch["converted_at"].to_numpy()
    last_ts = ts[j.ends][j.journey]
    t_end = np.where(np.isnat(converted_at), last_ts, converted_at.astype("int64"))
    exponent = -((t_end - ts) / _NS_PER_DAY) / half_life_days
    shifted = exponent - np.maximum.reduceat(exponent, j.starts)[j.journey]
    weight = np.exp2(shifted)
    return weight / np.add.reduceat(weight, j.starts)[j.journey]


def markov_transitions(batch: pd.DataFrame) -> Counter:
    """Transition counts of the batch's journeys, consecutive repeats of a channel collapsed."""
    j = _Journeys.of(batch["journey_id"].to_numpy())
    channel = batch["channel"].to_numpy()
    previous = np.r_[np.array([None], dtype=object), channel[:-1]]
    kept = (j.position == 0) | (channel != previous)
    to_state = channel[kept]
    from_state = np.r_[np.array([None], dtype=object), to_state[:-1]]
    from_state[j.position[kept] == 0] = START
    ends = j.ends
    outcome = np.where(batch["converted"].to_numpy()[ends], CONVERSION, NULL)
    pairs = pd.DataFrame({"a": np.r_[from_state, channel[ends]], "b": np.r_[to_state, outcome]})
    return Counter(pairs.value_counts(sort=False).to_dict())


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
    def __init__(self, half_life_days: float):
        self.half_life_days = half_life_days
        self.credit: pd.DataFrame | None = None  # channel x (model_conversions, model_value)
        self.transitions: Counter = Counter()
        self.channels: set[str] = set()
        self.journeys = self.converted = self.touches = 0
        self.total_value = 0.0

    def add(self, batch: pd.DataFrame) -> None:
        j = _Journeys.of(batch["journey_id"].to_numpy())
        converted = batch["converted"].to_numpy()
        value = batch["value"].to_numpy()
        self.journeys += len(j.starts)
        self.touches += len(batch)
        self.converted += int(converted[j.starts].sum())
        self.total_value += float(value[j.starts][converted[j.starts]].sum())
        self.channels.update(pd.unique(batch["channel"]))
        self.transitions.update(markov_transitions(batch))
        won = batch.loc[converted]
        if won.empty:
            return
        shares = rule_shares(won.reset_index(drop=True), self.half_life_days)
        won_value = won["value"].to_numpy()
        parts = {f"{m}|conversions": s for m, s in shares.items()}
        parts.update({f"{m}|value": s * won_value for m, s in shares.items()})
        credit = pd.DataFrame(parts).groupby(won["channel"].to_numpy()).sum()
        self.credit = credit if self.credit is None else self.credit.add(credit, fill_value=0.0)

    def result(self) -> Attribution:
        rows = []
        channels = sorted(self.channels)
        for model in RULE_MODELS:
            for c in channels:
                has = self.credit is not None and c in self.credit.index
                rows.append((c, model, self.credit.at[c, f"{model}|conversions"] if has else 0.0,
                             self.credit.at[c, f"{model}|value"] if has else 0.0))
        shares = markov_shares(self.transitions) if self.converted else {}
        for c in channels:
            share = shares.get(c, 0.0)
            rows.append((c, "markov", share * self.converted, share * self.total_value))
        credits = pd.DataFrame(rows, columns=["channel", "model", "conversions", "value"])
        credits["model"] = pd.Categorical(credits["model"], categories=list(MODELS), ordered=True)
        # Most credited first; credits equal but for float noise (1 vs 0.9999999999) count as
        # ties, so the order does not depend on how the touches were batched.
        credits["_order"] = credits["conversions"].round(9)
        credits = credits.sort_values(["model", "_order", "channel"], ascending=[True, False, True],
                                      kind="stable").drop(columns="_order").reset_index(drop=True)
        credits["model"] = credits["model"].astype(str)
        return Attribution(credits, self.journeys, self.converted, self.total_value, self.touches)


def attribute_batches(batches: Iterable[pd.DataFrame], half_life_days: float = 7.0) -> Attribution:
    """Every model over ordered touch batches (see touch_batches for the columns)."""
    totals = _Totals(half_life_days)
    for batch in whole_journeys(batches):
        totals.add(batch)
    return totals.result()


def attribute(store: Store, half_life_days: float = 7.0, start: dt.date | None = None,
              end: dt.date | None = None, batch_rows: int = 200_000) -> Attribution:
    """Every model of attribution.md over the journeys that ended in [start, end] (all when None)."""
    return attribute_batches(touch_batches(store, start, end, batch_rows), half_life_days)
