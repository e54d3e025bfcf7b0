"""The weekly review of one ISO week, computed without Streamlit: one function per section,
each calling the lib function the page it comes from calls, so the meeting screen and the
exported report show what the cockpit, channel, OKR and appraisal pages show.

    configs = load_configs()
    review = build_review(store, configs, Period.of("2026-W43"), viewer, "en")

The review is of the whole marketing centre (no dimension filters). It is held on the
*review day*, the Monday after the week: actions are listed as of that day, and new
actions noted in the meeting are recorded as created on it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from lib.access import Viewer, may_see_appraisal_alerts
from lib.appraisal.config import AppraisalConfig, load_appraisal_config
from lib.channels.advice import advise
from lib.channels.compare import COMPARE_METRICS, period_comparison
from lib.channels.config import ChannelsConfig, load_channels_config
from lib.channels.table import channel_table
from lib.cockpit import actions as cockpit_actions, anomalies as cockpit_anomalies
from lib.cockpit.anomalies import Anomaly
from lib.cockpit.compare import verdict
from lib.cockpit.config import CockpitConfig, load_cockpit_config
from lib.cockpit.tiles import Tile, build_tiles
from lib.dimensions import date_span
from lib.i18n import t
from lib.issues import ConfigError
from lib.metrics import Explanation, Request, explain, load_catalog, run
from lib.metrics.grains import PeriodError, label_of
from lib.metrics.spec import Catalog
from lib.okr import OkrConfig, OkrReport, load_okr_config, okr_report, quarters
from lib.okr.engine import KeyResultProgress, ObjectiveProgress
from lib.periods import Period, choices, last_complete
from lib.store import MissingTabError, Store
from lib.weekly.config import WeeklyConfig, load_weekly_config

STATUS_ORDER = {"red": 0, "amber": 1, "green": 2, None: 3}
BEHIND = ("off_track", "at_risk")  # OKR statuses the meeting talks about, worst first


# ---------------------------------------------------------------------------------------
# weeks and configs


def review_day(week: Period) -> dt.date:
    """The day the week is reviewed: the Monday after it."""
    return week.end + dt.timedelta(days=1)


def week_of(text: str) -> Period:
    """A week label (2026-W43) as a Period; ValueError for anything else."""
    try:
        period = Period.of(text.strip())
    except PeriodError as exc:
        raise ValueError(f"{text!r} is not a week; use the form 2026-W43") from exc
    if period.grain != "week":
        raise ValueError(f"{text!r} is a {period.grain}, not a week; use the form 2026-W43")
    return period


def week_choices(store: Store) -> list[Period]:
    """The complete ISO weeks of the marketing data, newest first (the default is the first)."""
    span = date_span(store)
    return choices("week", *span) if span else []


def default_week(store: Store) -> Period | None:
    span = date_span(store)
    return last_complete("week", span[1]) if span else None


@dataclass(frozen=True)
class Configs:
    catalog: Catalog
    cockpit: CockpitConfig
    channels: ChannelsConfig
    okr: OkrConfig
    appraisal: AppraisalConfig
    weekly: WeeklyConfig


def load_configs() -> Configs:
    """Every config file the review reads; ConfigError with the problems of all of them."""
    loaders = (load_catalog, load_cockpit_config, load_channels_config, load_okr_config, load_appraisal_config,
               load_weekly_config)
    loaded, issues = [], []
    for loader in loaders:
        try:
            loaded.append(loader())
        except ConfigError as exc:
            issues += exc.issues
    if issues:
        raise ConfigError(issues)
    return Configs(*loaded)


def slides_for(cfg: WeeklyConfig, viewer: Viewer) -> list[str]:
    """The configured slides this viewer gets: the appraisal alerts only for the roles allowed."""
    return [s for s in cfg.slides if s != "appraisal" or may_see_appraisal_alerts(viewer)]


# ---------------------------------------------------------------------------------------
# plan vs actual: the headline KPIs


@dataclass
class KpiSection:
    week: str
    vs: str
    tiles: list[Tile]  # off target first, then watch, on target, no target; the cockpit's order within
    anomalies: list[Anomaly]

    def verdict(self, tile: Tile, catalog: Catalog) -> str | None:
        """better / worse / flat against the week before, None for a metric without a direction."""
        return verdict(tile.change, catalog[tile.metric].direction)


def kpi_section(store: Store, configs: Configs, week: Period) -> KpiSection:
    catalog, cfg = configs.catalog, configs.cockpit
    tiles = build_tiles(store, catalog, cfg, week, ())
    found = cockpit_anomalies.detect(store, catalog, cfg, week, ())
    marked = {a.metric: a for a in found}
    for tile in tiles:
        if tile.kind == "metric":
            tile.anomaly = marked.get(tile.metric) or (marked.get(tile.also) if tile.also else None)
    tiles = sorted(tiles, key=lambda tile: STATUS_ORDER.get(tile.status, 3))  # stable: tile order within
    return KpiSection(week.label, week.previous().label, tiles, found)


# ---------------------------------------------------------------------------------------
# check: what moved and why


@dataclass
class Move:
    metric: str
    reason: str  # off_target / unusual / moved: why the meeting looks at it
    explanation: Explanation


@dataclass
class WhySection:
    by: str
    top: int
    moves: list[Move]
    anomalies: list[Anomaly]


def metrics_to_explain(kpis: KpiSection, catalog: Catalog, by: str, n: int) -> list[tuple[str, str]]:
    """(metric, reason) of the KPIs to explain: off target first, then unusual weeks, then the
    biggest relative moves; each metric once, only those that can be split by `by`."""
    ranked = []
    for order, tile in enumerate(kpis.tiles):
        if tile.kind != "metric" or by not in catalog.dimensions(tile.metric):
            continue
        reason = "off_target" if tile.status == "red" else "unusual" if tile.anomaly is not None else "moved"
        size = abs(tile.change_pct) if tile.change_pct is not None else -1.0
        ranked.append(({"off_target": 0, "unusual": 1, "moved": 2}[reason], -size, order, tile.metric, reason))
    out: list[tuple[str, str]] = []
    for *_, metric, reason in sorted(ranked):
        if metric not in [m for m, _ in out]:
            out.append((metric, reason))
    return out[:n]


def why_section(store: Store, configs: Configs, week: Period, kpis: KpiSection) -> WhySection:
    cfg = configs.weekly.why
    moves = [Move(metric, reason, explain(store, configs.catalog, metric, cfg.by, week.label,
                                          week.previous().label))
             for metric, reason in metrics_to_explain(kpis, configs.catalog, cfg.by, cfg.metrics)]
    return WhySection(cfg.by, cfg.top, moves, kpis.anomalies)


# ---------------------------------------------------------------------------------------
# check: channels


@dataclass
class ChannelSection:
    # channel; for spend, leads, new_customers, cac, revenue, roi: m, m_prev, m_change, m_pct
    # (lib.channels.compare); share_of_spend and action (lib.channels.advice) of this week
    rows: pd.DataFrame
    totals: dict[str, float]  # COMPARE_METRICS over all channels, this week
    totals_prev: dict[str, float]  # and the week before


def channel_section(store: Store, configs: Configs, week: Period) -> ChannelSection:
    catalog = configs.catalog
    table = channel_table(store, catalog, week.start, week.end)
    advised = advise(table.rows, table.blended_cac, configs.channels.recommendations)
    rows = period_comparison(store, catalog, week)
    rows = rows.merge(advised[["channel", "share_of_spend", "action"]], on="channel", how="left")
    before = week.previous()
    prev = run(store, catalog, Request(COMPARE_METRICS, start=before.start, end=before.end)).frame
    totals_prev = {m: (float(prev[m].iloc[0]) if len(prev) else float("nan")) for m in COMPARE_METRICS}
    return ChannelSection(rows, {m: table.totals[m] for m in COMPARE_METRICS}, totals_prev)


# ---------------------------------------------------------------------------------------
# plan vs actual: OKRs


@dataclass
class OkrSection:
    quarter: str
    as_of: dt.date
    report: OkrReport | None  # None: the tabs are missing or the quarter has no objectives
    behind: list[tuple[ObjectiveProgress, KeyResultProgress]] = field(default_factory=list)
    missing: tuple[str, ...] = ()


def okr_section(store: Store, configs: Configs, week: Period) -> OkrSection:
    """The objectives of the quarter the week ends in, judged at the week's last day (as the
    OKR page does at that date), and its key results off track or at risk, worst first."""
    quarter, as_of = label_of(week.end, "quarter"), week.end
    missing = tuple(store.missing("objectives", "key_results"))
    if missing or quarter not in quarters(store):
        return OkrSection(quarter, as_of, None, missing=missing)
    report = okr_report(store, configs.catalog, configs.okr, quarter, as_of)
    behind = [(o, k) for _, o in report.walk() for k in o.key_results if k.status in BEHIND]
    behind.sort(key=lambda pair: (BEHIND.index(pair[1].status), pair[1].clipped or 0.0))
    return OkrSection(quarter, as_of, report, behind)


# ---------------------------------------------------------------------------------------
# check: appraisal alerts


@dataclass
class AppraisalSection:
    allowed: bool
    month: str | None = None  # the last complete month of the week that has KPI actuals
    quarter: str | None = None
    coaching: pd.DataFrame | None = None  # lib.appraisal.views.coaching_list of the month
    calibration: pd.DataFrame | None = None  # pending items of the month and its quarter
    missing: tuple[str, ...] = ()


CALIBRATION_COLUMNS = ["employee_id", "name", "department", "period", "dimension", "spread", "ratings"]


def appraisal_month(available: list[str], week: Period) -> str | None:
    """The last month complete by the week's end that has KPI actuals (the latest earlier one
    when that month has none yet)."""
    month = last_complete("month", week.end).label
    earlier = [m for m in available if m <= month]
    return earlier[-1] if earlier else None


def appraisal_section(store: Store, configs: Configs, week: Period, viewer: Viewer, lang: str) -> AppraisalSection:
    """Coaching plans (two months in a row below the line) and calibrations the committee has
    not settled yet, for the rows `appraise(..., viewer)` lets this viewer see; nothing at
    all for a role that may not see appraisal alerts."""
    from lib.appraisal import appraise
    from lib.appraisal.model import AppraisalPeriod
    from lib.appraisal.views import coaching_list, kpi_months

    if not may_see_appraisal_alerts(viewer):
        return AppraisalSection(False)
    missing = tuple(store.missing("staff", "kpi_actuals"))
    month = None if missing else appraisal_month(kpi_months(store), week)
    if month is None:
        return AppraisalSection(True, missing=missing)
    cfg = configs.appraisal
    quarter = AppraisalPeriod.of(month).quarters[0]
    by_month, by_quarter = appraise(store, cfg, month, viewer), appraise(store, cfg, quarter, viewer)
    pending = [item for item in by_month.calibration_queue + by_quarter.calibration_queue if item.pending]
    calibration = pd.DataFrame([{
        "employee_id": item.employee_id, "name": item.name, "department": item.department, "period": item.period,
        "dimension": cfg.label(item.dimension, lang), "spread": item.spread,
        # the spread is of these ratings; a self rating never counts (as on the appraisal page)
        "ratings": ", ".join(f"{t(f'appraisal.rater.{k}', lang)} {v:.0f}" for k, v in item.rater_means.items()
                             if k != "self"),
    } for item in pending], columns=CALIBRATION_COLUMNS)
    return AppraisalSection(True, month, quarter, coaching_list(by_month), calibration)


# ---------------------------------------------------------------------------------------
# act: actions


@dataclass
class ActionSection:
    review_day: dt.date
    due_within_days: int
    listed: pd.DataFrame  # open actions overdue or due soon (lib.cockpit.actions.action_list columns)
    noted: pd.DataFrame  # actions noted at this review (created on the review day)
    open: int = 0
    overdue: int = 0
    later: int = 0  # open actions due later than the window, or without a due date
    missing: tuple[str, ...] = ()


def actions_section(store: Store, configs: Configs, week: Period, lang: str) -> ActionSection:
    """The action list of the cockpit (lib.cockpit.actions) as of the review day."""
    day, within = review_day(week), configs.weekly.actions.due_within_days
    if not store.has("actions"):
        empty = pd.DataFrame()
        return ActionSection(day, within, empty, empty, missing=("actions",))
    frame = cockpit_actions.action_list(store, configs.catalog, day, lang)
    live = frame["status"].isin(cockpit_actions.OPEN) | frame["status"].isna()
    horizon = day + dt.timedelta(days=within)
    soon = pd.Series([d is not None and d <= horizon for d in frame["due"]], index=frame.index, dtype=bool)
    listed = frame[live & (frame["overdue"] | soon)].reset_index(drop=True)
    noted = frame[[c == day for c in frame["created"]]].sort_values("action_id", kind="stable").reset_index(drop=True)
    return ActionSection(day, within, listed, noted, open=int(live.sum()), overdue=int(frame["overdue"].sum()),
                         later=int(live.sum()) - len(listed))


# ---------------------------------------------------------------------------------------
# the whole review


@dataclass
class WeeklyReview:
    week: Period
    review_day: dt.date
    lang: str
    slides: list[str]
    kpis: KpiSection | None = None
    why: WhySection | None = None
    channels: ChannelSection | None = None
    okr: OkrSection | None = None
    appraisal: AppraisalSection | None = None
    actions: ActionSection | None = None


def build_review(store: Store, configs: Configs, week: Period, viewer: Viewer, lang: str = "en") -> WeeklyReview:
    """Every section the viewer's slides need (all of them for the report)."""
    if store.missing("marketing_daily"):
        raise MissingTabError(["marketing_daily"], ["the weekly review"])
    slides = slides_for(configs.weekly, viewer)
    review = WeeklyReview(week, review_day(week), lang, slides)
    if "kpis" in slides or "why" in slides:
        review.kpis = kpi_section(store, configs, week)
    if "why" in slides:
        review.why = why_section(store, configs, week, review.kpis)
    if "channels" in slides:
        review.channels = channel_section(store, configs, week)
    if "okr" in slides:
        review.okr = okr_section(store, configs, week)
    if "appraisal" in slides:
        review.appraisal = appraisal_section(store, configs, week, viewer, lang)
    if "actions" in slides or "notes" in slides:
        review.actions = actions_section(store, configs, week, lang)
    return review
