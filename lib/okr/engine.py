"""OKR progress for a quarter at an as-of date, from the objectives, key_results and
checkins tabs and (for key results tied to a metric) the metrics layer.

    report = okr_report(store, catalog, load_okr_config(), "2026-Q4", dt.date(2026, 10, 31))

The tabs are small and read with filters in SQL; metric values come from lib.metrics.run
(one query per tab for all the quarter's metrics), so nothing big is loaded into pandas.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from lib.issues import Issue
from lib.metrics import Request, run
from lib.metrics.grains import PeriodError, label_of, parse_period
from lib.metrics.spec import Catalog
from lib.okr import rules
from lib.okr.config import OkrConfig
from lib.store import MissingTabError, Store
from lib.validate import ROW

NEEDED_TABS = ("objectives", "key_results")
METRIC, CHECKIN = "metric", "checkin"


@dataclass
class KeyResultProgress:
    kr_id: str
    objective_id: str
    title: str
    metric: str | None
    unit: str | None
    start_value: float
    target_value: float
    weight: float
    current: float | None  # None: no value yet
    source: str | None  # "metric" or "checkin": where current came from
    progress: float | None  # unclipped, as a fraction (1.2 = 120%)
    status: str
    confidence: float | None = None  # latest check-in confidence on or before as_of
    low_confidence: bool = False
    last_checkin: dt.date | None = None

    @property
    def clipped(self) -> float | None:
        return rules.clip(self.progress)

    def expected_value(self, expected: float) -> float:
        """Where the straight line from start to target stands at the expected progress."""
        return self.start_value + expected * (self.target_value - self.start_value)


@dataclass
class ObjectiveProgress:
    objective_id: str
    title: str
    owner: str | None
    department: str | None  # the owner's department (an employee's, or the owner itself)
    parent_id: str | None  # as typed; see `parent` for whether it is shown under a parent
    progress: float | None  # clipped, weighted over its KRs
    status: str
    key_results: list[KeyResultProgress] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # objective_ids shown under this one
    parent: str | None = None  # parent_id when that objective is in the same quarter


@dataclass
class OkrReport:
    quarter: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    expected: float
    objectives: list[ObjectiveProgress]  # in sheet order
    departments: dict[str, float | None]  # department -> mean progress of the objectives it owns
    company: float | None  # mean progress of the top-level objectives
    issues: list[Issue] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)  # KR metrics the metrics layer computed

    def objective(self, objective_id: str) -> ObjectiveProgress:
        return next(o for o in self.objectives if o.objective_id == objective_id)

    def roots(self) -> list[ObjectiveProgress]:
        """Objectives not shown under a parent: the top of the tree."""
        return [o for o in self.objectives if o.parent is None]

    def walk(self):
        """(depth, objective) in tree order: each top-level objective, then its children."""
        def visit(o: ObjectiveProgress, depth: int):
            yield depth, o
            for child in o.children:
                yield from visit(self.objective(child), depth + 1)

        for root in self.roots():
            yield from visit(root, 0)

    def key_result(self, kr_id: str) -> KeyResultProgress:
        return next(k for o in self.objectives for k in o.key_results if k.kr_id == kr_id)

    def department_status(self, department: str, cfg: OkrConfig) -> str:
        return rules.status_from_gap(self.departments.get(department), self.expected, cfg)

    def to_json(self) -> dict:
        """The shape of `python -m lib.cli okr` (../shared/spec/cli.md); fractions rounded to
        10 decimals so 0.4 prints as 0.4, not 0.39999999999999997."""
        return {
            "quarter": self.quarter, "as_of": self.as_of.isoformat(), "expected": _round(self.expected),
            "objectives": [{
                "objective_id": o.objective_id, "title": o.title, "owner": o.owner,
                "department": o.department, "parent_id": o.parent,
                "progress": _round(o.progress), "status": o.status,
                "key_results": [{
                    "kr_id": k.kr_id, "title": k.title, "metric": k.metric, "current": _round(k.current),
                    "start_value": k.start_value, "target_value": k.target_value,
                    "progress": _round(k.progress), "status": k.status, "confidence": k.confidence,
                } for k in o.key_results],
            } for o in self.objectives],
            "departments": {d: _round(p) for d, p in self.departments.items()},
            "company": _round(self.company),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 10)


# ---------------------------------------------------------------------------------------
# quarters and dates


class QuarterError(ValueError):
    pass


def quarter_range(quarter: str) -> tuple[dt.date, dt.date]:
    try:
        grain, start, end = parse_period(quarter)
    except PeriodError:
        grain = None
    if grain != "quarter":
        raise QuarterError(f"{quarter!r} is not a quarter; use the form 2026-Q4")
    return start, end


def quarters(store: Store) -> list[str]:
    """Quarters that have objectives, oldest first."""
    if not store.has("objectives"):
        return []
    rel = store.relation("objectives")
    q = rel.selectable.c.quarter
    with rel.engine.connect() as conn:
        found = conn.execute(sa.select(q).distinct().where(q.is_not(None))).scalars().all()
    return sorted(str(x) for x in found)


def data_end(store: Store) -> dt.date | None:
    """The last day the data speaks about: the latest marketing day or check-in."""
    last = []
    for tab in ("marketing_daily", "checkins"):
        if store.has(tab):
            rel = store.relation(tab)
            with rel.engine.connect() as conn:
                value = conn.execute(sa.select(sa.func.max(rel.selectable.c.date))).scalar()
            if value is not None:
                last.append(pd.Timestamp(value).date())
    return max(last) if last else None


def reference_date(store: Store, today: dt.date | None = None) -> dt.date:
    """'Now' for the OKR page: today, or the data's last day when the data ends earlier
    (a sheet filled in up to last month is judged at its last day, not at an empty today)."""
    today = today or dt.date.today()
    end = data_end(store)
    return min(today, end) if end else today


def default_quarter(available: list[str], reference: dt.date) -> str | None:
    """The reference date's quarter when it has objectives, else the latest quarter that has
    begun by then, else the earliest one (all of them lie in the future)."""
    if not available:
        return None
    current = label_of(reference, "quarter")
    if current in available:
        return current
    begun = [q for q in available if quarter_range(q)[0] <= reference]
    return begun[-1] if begun else available[0]


def default_as_of(quarter: str, reference: dt.date) -> dt.date:
    """The reference date within the quarter: a past quarter is shown at its last day."""
    start, end = quarter_range(quarter)
    return min(end, max(start, reference))


# ---------------------------------------------------------------------------------------
# the report


def okr_report(store: Store, catalog: Catalog, cfg: OkrConfig, quarter: str, as_of: dt.date) -> OkrReport:
    missing = store.missing(*NEEDED_TABS)
    if missing:
        raise MissingTabError(missing, ["okr"])
    start, end = quarter_range(quarter)
    expected = rules.expected_progress(start, end, as_of)
    objectives = _read_objectives(store, quarter)
    krs = _read_key_results(store, objectives["objective_id"].tolist())
    checkins = _read_checkins(store, krs["kr_id"].tolist(), as_of)
    issues: list[Issue] = []
    metrics = usable_metrics(store, catalog, krs, issues)
    metric_values = _metric_values(store, catalog, metrics, start, min(end, as_of))
    departments_of = _departments(store)

    by_objective: dict[str, list[KeyResultProgress]] = {}
    for kr in krs.to_dict(orient="records"):
        progress = _key_result(kr, checkins.get(kr["kr_id"], []), metric_values, catalog, expected, cfg)
        by_objective.setdefault(kr["objective_id"], []).append(progress)

    out = []
    ids = set(objectives["objective_id"])
    for o in objectives.to_dict(orient="records"):
        key_results = by_objective.get(o["objective_id"], [])
        out.append(_objective(o, key_results, departments_of, ids, expected, cfg))
    _link_children(out)
    departments = _department_roll_up(out)
    company = rules.mean_progress(o.progress for o in out if o.parent is None)
    return OkrReport(quarter, start, end, as_of, expected, out, departments, company, issues, metrics)


def _key_result(kr: dict, checkins: list[dict], metric_values: dict[str, float | None],
                catalog: Catalog, expected: float, cfg: OkrConfig) -> KeyResultProgress:
    metric = _text(kr.get("metric"))
    if metric:
        current, source = metric_values.get(metric), METRIC
    else:
        latest = checkins[-1] if checkins else None
        current, source = (latest["value"], CHECKIN) if latest else (None, None)
    if rules.missing(current):
        current, source = None, None
    lower = bool(metric and metric in catalog and catalog[metric].direction == "lower_is_better")
    start, target = float(kr["start_value"]), float(kr["target_value"])
    progress = rules.kr_progress(current, start, target, lower)
    confident = [c for c in checkins if not rules.missing(c.get("confidence"))]
    confidence = float(confident[-1]["confidence"]) if confident else None
    status = rules.with_confidence(rules.status_from_gap(rules.clip(progress), expected, cfg), confidence, cfg)
    return KeyResultProgress(
        kr["kr_id"], kr["objective_id"], kr["title"], metric, _text(kr.get("unit")), start, target,
        1.0 if rules.missing(kr.get("weight")) else float(kr["weight"]), current, source, progress, status,
        confidence, rules.low_confidence(confidence, cfg), checkins[-1]["date"] if checkins else None,
    )


def _objective(o: dict, key_results: list[KeyResultProgress], departments_of: dict[str, str],
               ids: set[str], expected: float, cfg: OkrConfig) -> ObjectiveProgress:
    progress = rules.weighted_progress((k.clipped, k.weight) for k in key_results)
    started = any(k.current is not None for k in key_results)
    # With no KR value at all there is nothing to judge yet (as for a KR); once one KR has
    # a value, the others count as 0 and the gap decides.
    status = rules.status_from_gap(progress if started else None, expected, cfg)
    owner = _text(o.get("owner"))
    parent_id = _text(o.get("parent_id"))
    parent = parent_id if parent_id in ids and parent_id != o["objective_id"] else None
    return ObjectiveProgress(o["objective_id"], o["title"], owner, departments_of.get(owner or "", owner),
                             parent_id, progress, status, key_results, parent=parent)


def _link_children(objectives: list[ObjectiveProgress]) -> None:
    """Children under their parent; a parent chain that loops is cut where it closes."""
    by_id = {o.objective_id: o for o in objectives}
    for o in objectives:
        seen, up = {o.objective_id}, o.parent
        while up is not None and up not in seen:
            seen.add(up)
            up = by_id[up].parent
        if up is not None:  # the chain came back to an objective already on it: a loop
            o.parent = None
    for o in objectives:
        if o.parent is not None:
            by_id[o.parent].children.append(o.objective_id)


def _department_roll_up(objectives: list[ObjectiveProgress]) -> dict[str, float | None]:
    owned: dict[str, list[float | None]] = {}
    for o in objectives:
        if o.department:
            owned.setdefault(o.department, []).append(o.progress)
    return {d: rules.mean_progress(values) for d, values in owned.items()}


# ---------------------------------------------------------------------------------------
# reading


def _row(record: dict) -> int | None:
    row = record.get(ROW)
    return None if row is None or pd.isna(row) else int(row)


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _read_in_sheet_order(store: Store, tab: str, key: str, where) -> pd.DataFrame:
    """A small tab's rows with their sheet row number (when the tab was loaded from a sheet),
    in sheet order; a database table has no sheet order and is read by its key."""
    from lib.schema import TABS

    if store.relation(tab).location == "duckdb":
        return store.read(tab, TABS[tab].column_names + [ROW], where=where)
    frame = store.read(tab, where=where, order_by=[key])
    frame[ROW] = None
    return frame


def _read_objectives(store: Store, quarter: str) -> pd.DataFrame:
    return _read_in_sheet_order(store, "objectives", "objective_id",
                                lambda t: [t.c.quarter == sa.bindparam("quarter", quarter)])


def _read_key_results(store: Store, objective_ids: list[str]) -> pd.DataFrame:
    return _read_in_sheet_order(store, "key_results", "kr_id", lambda t: [
        t.c.objective_id.in_(sa.bindparam("objective_ids", objective_ids, expanding=True))
        if objective_ids else sa.false()])


def _read_checkins(store: Store, kr_ids: list[str], as_of: dt.date) -> dict[str, list[dict]]:
    """Check-ins on or before as_of per KR, in the order they were entered (date, then row)."""
    if not kr_ids or not store.has("checkins"):
        return {}
    frame = checkin_rows(store, kr_ids, None, as_of)
    out: dict[str, list[dict]] = {}
    for row in frame.to_dict(orient="records"):
        out.setdefault(row["kr_id"], []).append(row)
    return out


def checkin_rows(store: Store, kr_ids: list[str], since: dt.date | None, until: dt.date) -> pd.DataFrame:
    """The check-ins of some KRs dated since..until (since None: from the beginning), by date
    and then by sheet row, with dates as datetime.date."""
    rel = store.relation("checkins")
    columns = ["kr_id", "date", "value", "confidence", "note", "author_id"]

    def where(t):
        conditions = [t.c.kr_id.in_(sa.bindparam("kr_ids", kr_ids, expanding=True)),
                      t.c.date <= sa.bindparam("until", until, type_=sa.Date)]
        if since is not None:
            conditions.append(t.c.date >= sa.bindparam("since", since, type_=sa.Date))
        return conditions

    order = ["date", ROW] if rel.location == "duckdb" else ["date"]
    frame = store.read("checkins", columns, where=where, order_by=order)
    frame["date"] = [pd.Timestamp(d).date() for d in frame["date"]]
    return frame


def _departments(store: Store) -> dict[str, str]:
    """employee_id -> department, so an objective owned by a person rolls up to their department."""
    if not store.has("staff"):
        return {}
    staff = store.read("staff", ["employee_id", "department"])
    return dict(zip(staff["employee_id"].astype(str), staff["department"].astype(str)))


# ---------------------------------------------------------------------------------------
# metrics


def usable_metrics(store: Store, catalog: Catalog, krs: pd.DataFrame, issues: list[Issue]) -> list[str]:
    """The distinct KR metrics the metrics layer can compute here; an unknown metric or one
    whose tab is not loaded is listed as an issue and its KR has no value (never 0)."""
    usable: list[str] = []
    for kr in krs.to_dict(orient="records"):
        metric = _text(kr.get("metric"))
        if not metric or metric in usable:
            continue
        if metric not in catalog:
            close = difflib.get_close_matches(metric, list(catalog.metrics), n=1)
            issues.append(Issue("error", f"key result {kr['kr_id']} follows metric {metric!r}, which is "
                                         "not in config/metrics.yaml; the KR has no value until it is", tab="key_results",
                                row=_row(kr), column="metric", value=metric,
                                hint=f"did you mean {close[0]!r}?" if close else None))
            continue
        tabs = sorted({catalog[leaf].tab for leaf in catalog.leaves(metric)})
        absent = store.missing(*tabs)
        if absent:
            issues.append(Issue("warning", f"key result {kr['kr_id']} follows metric {metric}, which needs "
                                           f"tab(s) {', '.join(absent)}; it has no value until they are loaded",
                                tab="key_results", row=_row(kr), column="metric", value=metric))
            continue
        usable.append(metric)
    return usable


def _metric_values(store: Store, catalog: Catalog, metrics: list[str], start: dt.date,
                   end: dt.date) -> dict[str, float | None]:
    """Each KR metric over start..end (the quarter up to the as-of date): one run for all."""
    if not metrics or end < start:
        return {}
    frame = run(store, catalog, Request(tuple(metrics), start=start, end=end)).frame
    row = frame.iloc[0] if len(frame) else {}
    return {m: (None if len(frame) == 0 or pd.isna(row[m]) else float(row[m])) for m in metrics}


def metric_weekly(store: Store, catalog: Catalog, metrics: list[str], start: dt.date,
                  as_of: dt.date) -> pd.DataFrame:
    """The quarter-to-date value of each metric at the end of every ISO week up to as_of
    (the last point is as_of itself): the live line of a metric KR's burn-up chart.

    One run per week end, each for all the metrics together. Columns: date, week, then
    one per metric (NaN where the metric has no value yet).
    """
    rows = []
    day = start
    while metrics and day <= as_of:
        week_end = min(as_of, day + dt.timedelta(days=6 - day.weekday()))
        frame = run(store, catalog, Request(tuple(metrics), start=start, end=week_end)).frame
        values = frame.iloc[0].to_dict() if len(frame) else {m: float("nan") for m in metrics}
        rows.append({"date": week_end, "week": label_of(week_end, "week"), **{m: values[m] for m in metrics}})
        day = week_end + dt.timedelta(days=1)
    return pd.DataFrame(rows, columns=["date", "week", *metrics])
