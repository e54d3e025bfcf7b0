"""The weekly review as sections of cards, tables and bar charts in one language: what the
meeting screen's slides, the .html report and the .xlsx report all show, so the three
cannot disagree.

A cell keeps the number (for the .xlsx, with its Excel number format) and the text people
read (¥ with separators, %, an em dash for a missing value, never 0). Sheet text (action
titles, names, channels) is kept as typed here; each renderer escapes it for its medium.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from lib import fmt
from lib.cockpit import why as why_lib
from lib.cockpit.text import short_change, short_value
from lib.i18n import t
from lib.metrics.explain import SEGMENT_CHANGE
from lib.metrics.format import change as format_change, explain_sentence, value as format_value
from lib.metrics.spec import Catalog
from lib.okr import format as okr_fmt
from lib.weekly.review import Configs, WeeklyReview
from lib.weekly.slides import STAGE_OF

GOOD, BAD, WARN, LEVEL = "good", "bad", "warn", "level"  # tones; None is neutral
STATUS_TONE = {"red": BAD, "amber": WARN, "green": GOOD}
OKR_TONE = {"done": GOOD, "on_track": GOOD, "at_risk": WARN, "off_track": BAD}
VERDICT_TONE = {"better": GOOD, "worse": BAD}
ACTION_TONE = {"scale_up": GOOD, "review": BAD, "no_customers": BAD}


# ---------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class Cell:
    value: object  # what the .xlsx holds: a number, a date, text; None when missing
    text: str  # what people read
    number_format: str | None = None  # Excel's, for numbers and dates
    tone: str | None = None


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    empty: str = ""  # said instead of an empty table

    def numeric(self, column: int) -> bool:
        """Whether a column holds numbers (right-aligned, missing ones too)."""
        return any(isinstance(row[column].value, (int, float)) and not isinstance(row[column].value, bool)
                   for row in self.rows)


@dataclass(frozen=True)
class Bar:
    label: str
    start: float
    end: float
    text: str
    tone: str | None = None


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    waterfall: bool = False  # steps from the start bar to the end bar, not bars from zero
    rule: float | None = None  # a dashed line across the bars (the expected OKR progress)
    rule_label: str = ""


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None  # against the week before
    status: str
    tone: str | None
    direction: str  # the metric's: the colour of the delta follows it
    target: str = ""  # "Target ¥3,064,194", empty without a target
    note: str = ""


@dataclass
class Block:
    title: str | None = None
    lines: list[str] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    chart: Chart | None = None
    table: Table | None = None


@dataclass
class Section:
    key: str  # the slide id
    stage: str  # plan / check / act
    title: str
    lines: list[str]
    blocks: list[Block]


# ---------------------------------------------------------------------------------------
# cells


def _missing(x) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _num(x) -> float | None:
    return None if _missing(x) else float(x)


def excel_format(catalog: Catalog, metric: str, signed: bool = False) -> str:
    m = catalog[metric]
    places = "." + "0" * m.decimals if m.decimals else ""
    base = {"money": f'"¥"#,##0{places}', "percent": f"0{places}%", "integer": "#,##0"}.get(
        m.format, "#,##0." + "0" * (m.decimals or 2))
    return f"+{base};-{base};{base}" if signed else base


def metric_cell(catalog: Catalog, metric: str, x, lang: str, tone: str | None = None) -> Cell:
    return Cell(_num(x), format_value(catalog, metric, x, lang), excel_format(catalog, metric), tone)


def change_cell(catalog: Catalog, metric: str, x, lang: str, tone: str | None = None) -> Cell:
    """A difference in the metric's unit; a rate's difference in percentage points (the
    .xlsx holds the points, e.g. -0.2 for 7.99% -> 7.82%)."""
    if catalog[metric].format == "percent":
        return points_cell(x, lang, max(catalog[metric].decimals, 1), tone)
    return Cell(_num(x), format_change(catalog, metric, x, lang), excel_format(catalog, metric, signed=True), tone)


def points_cell(x, lang: str, decimals: int = 1, tone: str | None = None) -> Cell:
    unit = "个百分点" if lang == "zh" else " pp"
    if _missing(x):
        return Cell(None, fmt.DASH, None, tone)
    places = "." + "0" * decimals if decimals else ""
    excel = f'+0{places}"{unit}";-0{places}"{unit}";0{places}"{unit}"'
    return Cell(float(x) * 100, f"{float(x) * 100:+,.{decimals}f}{unit}", excel, tone)


def pct_cell(x, decimals: int = 1, signed: bool = False, tone: str | None = None) -> Cell:
    places = "." + "0" * decimals if decimals else ""
    excel = f"+0{places}%;-0{places}%;0{places}%" if signed else f"0{places}%"
    return Cell(_num(x), fmt.pct(x, decimals, signed=signed), excel, tone)


def number_cell(x, decimals: int = 0, signed: bool = False, tone: str | None = None) -> Cell:
    places = "." + "0" * decimals if decimals else ""
    excel = f"+#,##0{places};-#,##0{places};0{places}" if signed else f"#,##0{places}"
    return Cell(_num(x), fmt.number(x, decimals, signed=signed), excel, tone)


def text_cell(x, tone: str | None = None) -> Cell:
    if _missing(x) or (isinstance(x, str) and not x.strip()):
        return Cell(None, fmt.DASH, None, tone)
    return Cell(str(x), str(x), None, tone)


def date_cell(d, tone: str | None = None) -> Cell:
    if not isinstance(d, dt.date):
        return Cell(None, fmt.DASH, None, tone)
    return Cell(d, d.isoformat(), "yyyy-mm-dd", tone)


def kr_cell(x, unit, metric, catalog: Catalog, lang: str) -> Cell:
    return Cell(_num(x), okr_fmt.kr_value(x, unit, metric, catalog, lang), None)


# ---------------------------------------------------------------------------------------
# sections


def sections(review: WeeklyReview, configs: Configs) -> list[Section]:
    """One section per slide of the review, in slide order."""
    builders = {"kpis": kpis, "why": why, "channels": channels, "okr": okr, "appraisal": appraisal,
                "actions": actions, "notes": notes}
    return [builders[slide](review, configs) for slide in review.slides]


def section_title(key: str, lang: str) -> str:
    return t(f"weekly.slide.{key}", lang)


def _section(key: str, lang: str, lines: list[str], blocks: list[Block]) -> Section:
    return Section(key, STAGE_OF[key], section_title(key, lang), lines, blocks)


def tile_label(tile, catalog: Catalog, lang: str) -> str:
    if tile.key in ("content_reach", "sales_vs_target"):
        return t(f"cockpit.tile.{tile.key}", lang)
    return catalog.label(tile.metric, lang)


# ---- plan vs actual: KPIs ------------------------------------------------------------------


def kpis(review: WeeklyReview, configs: Configs) -> Section:
    catalog, lang, part = configs.catalog, review.lang, review.kpis
    cards, rows, bars = [], [], []
    for tile in part.tiles:
        label = tile_label(tile, catalog, lang)
        metric = catalog[tile.metric]
        status = t(f"cockpit.status.{tile.status or 'none'}", lang)
        tone = STATUS_TONE.get(tile.status)
        move = VERDICT_TONE.get(part.verdict(tile, catalog))
        notes = [t("weekly.kpi.unusual", lang)] if tile.anomaly is not None else []
        if tile.also:
            notes.append(t("weekly.kpi.also", lang, label=catalog.label(tile.also, lang),
                           value=format_value(catalog, tile.also, tile.also_value, lang),
                           change=fmt.pct(tile.also_change_pct, 1, signed=True)))
        if tile.kind == "attainment":
            value, previous = pct_cell(tile.value), pct_cell(tile.previous)
            change = points_cell(tile.change, lang, tone=move)
            shown, delta = fmt.pct(tile.value, 0), change.text
            notes.append(t("weekly.kpi.attainment", lang, actual=format_value(catalog, tile.metric, tile.actual, lang)))
        else:
            value, previous = metric_cell(catalog, tile.metric, tile.value, lang), \
                metric_cell(catalog, tile.metric, tile.previous, lang)
            change = change_cell(catalog, tile.metric, tile.change, lang, move)
            shown = short_value(catalog, tile.metric, tile.value, lang)
            delta = None if tile.change is None else change.text + (
                f" ({fmt.pct(tile.change_pct, 0, signed=True)})"
                if metric.format != "percent" and tile.change_pct is not None else "")
        note = ("；" if lang == "zh" else "; ").join(notes)
        rows.append([text_cell(label), text_cell(status, tone), value, previous, change,
                     pct_cell(tile.change_pct, signed=True, tone=move),
                     metric_cell(catalog, tile.metric, tile.target, lang), text_cell(note)])
        target = "" if tile.target is None else t("weekly.kpi.target", lang, target=format_value(
            catalog, tile.metric, tile.target, lang))
        cards.append(Card(label, shown, delta, status, tone, metric.direction, target, note))
        if tile.kind == "metric" and tile.change_pct is not None:
            bars.append(Bar(label, 0.0, tile.change_pct, fmt.pct(tile.change_pct, 1, signed=True), move))
    headers = [t(f"weekly.col.{c}", lang) for c in ("kpi", "status", "this_week", "last_week", "change",
                                                      "change_pct", "target", "note")]
    chart = Chart(t("weekly.kpi.chart", lang, vs=part.vs), bars) if bars else None
    lines = [t("weekly.kpi.lead", lang, week=part.week, start=review.week.start.isoformat(),
               end=review.week.end.isoformat(), vs=part.vs)]
    return _section("kpis", lang, lines, [Block(cards=cards, chart=chart, table=Table(headers, rows))])


# ---- check: what moved and why ---------------------------------------------------------------


def why(review: WeeklyReview, configs: Configs) -> Section:
    catalog, lang, part = configs.catalog, review.lang, review.why
    blocks = [_move_block(move, part.by, part.top, catalog, lang) for move in part.moves]
    if not part.moves:
        blocks.append(Block(lines=[t("weekly.why.none", lang)]))
    blocks.append(_anomaly_block(part.anomalies, catalog, lang, review.week.label))
    lines = [t("weekly.why.lead", lang, dim=t(f"dim.{part.by}", lang), vs=review.week.previous().label)]
    return _section("why", lang, lines, blocks)


def _move_block(move, by: str, top: int, catalog: Catalog, lang: str) -> Block:
    result, metric = move.explanation, move.metric
    direction = catalog[metric].direction
    title = f"{catalog.label(metric, lang)} · {t(f'weekly.why.reason.{move.reason}', lang)}"
    lines = [explain_sentence(result, catalog, lang)]
    steps = why_lib.waterfall(result, top, t("cockpit.why.others", lang))
    headers = [t(f"dim.{by}", lang), result.vs, result.period,
               t("weekly.col.part" if result.method != SEGMENT_CHANGE else "weekly.col.change", lang)]
    rows = []
    parts = result.contributions
    shown = parts.iloc[:top]
    for _, r in shown.iterrows():
        amount = r["contribution"] if result.method != SEGMENT_CHANGE else r["change"]
        rows.append([text_cell(r[by]), metric_cell(catalog, metric, r["before"], lang),
                     metric_cell(catalog, metric, r["after"], lang),
                     change_cell(catalog, metric, amount, lang, _move_tone(amount, direction))])
    rest = parts.iloc[top:]
    if len(rest) and result.method != SEGMENT_CHANGE:
        others = rest["contribution"].sum(min_count=1)
        rows.append([text_cell(t("cockpit.why.others", lang, n=len(rest))), text_cell(None), text_cell(None),
                     change_cell(catalog, metric, others, lang, _move_tone(others, direction))])
    rows.append([text_cell(t("weekly.why.total", lang)), metric_cell(catalog, metric, result.before, lang),
                 metric_cell(catalog, metric, result.after, lang),
                 change_cell(catalog, metric, result.total_change, lang, _move_tone(result.total_change, direction))])
    chart = None
    if steps is not None:
        bars = [Bar(str(s["step"]), float(s["base"]), float(s["top"]), _step_text(s, catalog, metric, lang),
                    _step_tone(s["kind"], s["amount"], direction)) for _, s in steps.iterrows()]
        chart = Chart(t("weekly.why.chart", lang, metric=catalog.label(metric, lang), vs=result.vs,
                        period=result.period), bars, waterfall=True)
    else:
        lines.append(t("weekly.why.not_additive", lang))
    return Block(title, lines, chart=chart, table=Table(headers, rows))


def _move_tone(amount, direction: str) -> str | None:
    if _missing(amount) or amount == 0 or direction == "neutral":
        return None
    return GOOD if (amount > 0) == (direction == "higher_is_better") else BAD


def _step_tone(kind: str, amount, direction: str) -> str | None:
    if kind in (why_lib.START, why_lib.END):
        return LEVEL
    if kind == why_lib.OTHERS:
        return None
    return _move_tone(amount, direction)


def _step_text(step, catalog: Catalog, metric: str, lang: str) -> str:
    if step["kind"] in (why_lib.START, why_lib.END):
        return short_value(catalog, metric, step["amount"], lang)
    return short_change(catalog, metric, step["amount"], lang)


def _anomaly_block(found: list, catalog: Catalog, lang: str, week: str) -> Block:
    headers = [t(f"weekly.col.{c}", lang) for c in ("kpi", "this_week", "usual_low", "usual_high", "moved_most",
                                                      "its_part")]
    rows = []
    for a in found:
        tone = _move_tone(a.value - a.band.median, catalog[a.metric].direction)
        rows.append([text_cell(catalog.label(a.metric, lang)), metric_cell(catalog, a.metric, a.value, lang, tone),
                     metric_cell(catalog, a.metric, a.band.low, lang), metric_cell(catalog, a.metric, a.band.high, lang),
                     text_cell(a.segment), change_cell(catalog, a.metric, a.contribution, lang)])
    return Block(t("weekly.why.unusual", lang, week=week), [], table=Table(headers, rows,
                                                                           t("weekly.why.unusual_none", lang)))


# ---- check: channels ---------------------------------------------------------------------------


def channels(review: WeeklyReview, configs: Configs) -> Section:
    catalog, lang, part = configs.catalog, review.lang, review.channels
    rows, bars = [], []

    def verdict(metric, change):
        return _move_tone(change, catalog[metric].direction)

    for r in part.rows.to_dict(orient="records"):
        action = r.get("action") if isinstance(r.get("action"), str) else None
        rows.append([
            text_cell(r["channel"]), metric_cell(catalog, "spend", r["spend"], lang),
            pct_cell(r["spend_pct"], signed=True), metric_cell(catalog, "new_customers", r["new_customers"], lang),
            change_cell(catalog, "new_customers", r["new_customers_change"], lang,
                        verdict("new_customers", r["new_customers_change"])),
            metric_cell(catalog, "cac", r["cac"], lang),
            pct_cell(r["cac_pct"], signed=True, tone=verdict("cac", r["cac_change"])),
            metric_cell(catalog, "roi", r["roi"], lang), pct_cell(r.get("share_of_spend")),
            text_cell(t(f"channels.action.{action}", lang) if action else None, ACTION_TONE.get(action)),
        ])
        if not _missing(r["spend"]) and r["spend"] > 0:
            bars.append(Bar(str(r["channel"]), 0.0, float(r["spend"]),
                            f"{short_value(catalog, 'spend', r['spend'], lang)} ({fmt.pct(r['spend_pct'], 0, signed=True)})",
                            ACTION_TONE.get(action)))
    now, before = part.totals, part.totals_prev

    def pct(metric):
        b = before.get(metric)
        return None if _missing(b) or not b or _missing(now.get(metric)) else (now[metric] - b) / abs(b)

    total_nc_change = None if _missing(now["new_customers"]) or _missing(before["new_customers"]) \
        else now["new_customers"] - before["new_customers"]
    total_cac_change = None if _missing(now["cac"]) or _missing(before["cac"]) else now["cac"] - before["cac"]
    rows.append([text_cell(t("weekly.channels.all", lang)), metric_cell(catalog, "spend", now["spend"], lang),
                 pct_cell(pct("spend"), signed=True), metric_cell(catalog, "new_customers", now["new_customers"], lang),
                 change_cell(catalog, "new_customers", total_nc_change, lang, verdict("new_customers", total_nc_change)),
                 metric_cell(catalog, "cac", now["cac"], lang),
                 pct_cell(pct("cac"), signed=True, tone=verdict("cac", total_cac_change)),
                 metric_cell(catalog, "roi", now["roi"], lang), pct_cell(1.0 if now["spend"] else None), text_cell(None)])
    headers = [t(f"weekly.col.{c}", lang) for c in ("channel", "spend", "spend_change", "new_customers",
                                                      "new_customers_change", "cac", "cac_change", "roi",
                                                      "share_of_spend", "recommendation")]
    lines = [t("weekly.channels.lead", lang, vs=review.week.previous().label)]
    chart = Chart(t("weekly.channels.chart", lang), bars) if bars else None
    return _section("channels", lang, lines, [Block(chart=chart, table=Table(headers, rows,
                                                                             t("weekly.channels.none", lang)))])


# ---- plan vs actual: OKRs ------------------------------------------------------------------------


def okr(review: WeeklyReview, configs: Configs) -> Section:
    catalog, lang, part = configs.catalog, review.lang, review.okr
    if part.report is None:
        key = "weekly.okr.missing" if part.missing else "weekly.okr.none"
        return _section("okr", lang, [t(key, lang, quarter=part.quarter, tabs=", ".join(part.missing))], [])
    rep = part.report
    gap = None if rep.company is None else rep.company - rep.expected
    lines = [t("weekly.okr.lead", lang, quarter=rep.quarter, as_of=rep.as_of.isoformat(),
               expected=fmt.pct(rep.expected, 0), company=okr_fmt.progress(rep.company),
               gap=fmt.DASH if gap is None else f"{gap * 100:+.0f}")]
    objective_rows, bars = [], []
    titles = [o.title for o in rep.objectives]
    for depth, o in rep.walk():
        status = t(f"okr.status.{o.status}", lang)
        name = ("　" * depth + ("↳ " if depth else "")) + f"{o.objective_id} · {o.title}"
        objective_rows.append([text_cell(name), text_cell(_owner(o)), pct_cell(o.progress, 0),
                               text_cell(status, OKR_TONE.get(o.status))])
        if o.progress is not None:
            # a bar is named by the objective's title (the room reads titles, not ids), its id
            # added when two objectives share a title so that each keeps its own bar
            label = o.title if titles.count(o.title) == 1 else f"{o.title} ({o.objective_id})"
            bars.append(Bar(label, 0.0, o.progress, f"{okr_fmt.progress(o.progress)} · {status}",
                            OKR_TONE.get(o.status)))
    headers = [t(f"weekly.col.{c}", lang) for c in ("objective", "owner", "progress", "status")]
    expected = fmt.pct(rep.expected, 0)
    chart = Chart(t("weekly.okr.chart", lang, expected=expected), bars, rule=rep.expected,
                  rule_label=t("weekly.okr.expected_mark", lang, expected=expected)) if bars else None
    objectives = Block(t("weekly.okr.objectives", lang), chart=chart, table=Table(headers, objective_rows))
    kr_rows = []
    for o, k in part.behind:
        kr_rows.append([text_cell(f"{k.kr_id} · {k.title}"), text_cell(f"{o.objective_id} · {o.title}"),
                        text_cell(_owner(o)), kr_cell(k.current, k.unit, k.metric, catalog, lang),
                        kr_cell(k.target_value, k.unit, k.metric, catalog, lang), pct_cell(k.progress, 0),
                        pct_cell(rep.expected, 0), text_cell(t(f"okr.status.{k.status}", lang), OKR_TONE[k.status]),
                        number_cell(k.confidence) if k.confidence is not None else text_cell(None)])
    kr_headers = [t(f"weekly.col.{c}", lang) for c in ("key_result", "objective", "owner", "now", "target",
                                                         "progress", "expected", "status", "confidence")]
    behind = Block(t("weekly.okr.behind", lang), table=Table(kr_headers, kr_rows, t("weekly.okr.none_behind", lang)))
    return _section("okr", lang, lines, [objectives, behind])


def _owner(o) -> str | None:
    if o.owner and o.department and o.department != o.owner:
        return f"{o.owner} · {o.department}"
    return o.owner


# ---- check: appraisal alerts -----------------------------------------------------------------------


def appraisal(review: WeeklyReview, configs: Configs) -> Section:
    lang, part = review.lang, review.appraisal
    if part.month is None:
        key = "weekly.appraisal.missing" if part.missing else "weekly.appraisal.no_month"
        return _section("appraisal", lang, [t(key, lang, tabs=", ".join(part.missing))], [])
    lines = [t("weekly.appraisal.lead", lang, month=part.month, quarter=part.quarter)]
    coaching_rows = [[text_cell(r["employee_id"]), text_cell(r["name"]), text_cell(r["department"]),
                      text_cell(r["months"]), number_cell(r["last_score"], 1, tone=BAD)]
                     for r in part.coaching.to_dict(orient="records")]
    coaching = Block(t("weekly.appraisal.coaching", lang, line=f"{configs.appraisal.coaching.below:g}"),
                     table=Table([t(f"appraisal.col.{c}", lang) for c in ("employee_id", "name", "department",
                                                                          "months", "last_score")],
                                 coaching_rows, t("weekly.appraisal.no_coaching", lang, month=part.month)))
    calibration_rows = [[text_cell(r["employee_id"]), text_cell(r["name"]), text_cell(r["department"]),
                         text_cell(r["period"]), text_cell(r["dimension"]), number_cell(r["spread"], 0, tone=WARN),
                         text_cell(r["ratings"])] for r in part.calibration.to_dict(orient="records")]
    calibration = Block(t("weekly.appraisal.calibration", lang,
                          spread=f"{configs.appraisal.calibration.max_spread:g}"),
                        table=Table([t(f"appraisal.col.{c}", lang) for c in ("employee_id", "name", "department")]
                                    + [t("weekly.col.period", lang)]
                                    + [t(f"appraisal.col.{c}", lang) for c in ("dimension", "spread", "ratings")],
                                    calibration_rows, t("weekly.appraisal.no_calibration", lang)))
    return _section("appraisal", lang, lines, [coaching, calibration])


# ---- act: actions -------------------------------------------------------------------------------------


def _action_status(status, days_overdue, lang: str) -> str:
    text = t(f"cockpit.action.{status}", lang) if isinstance(status, str) else fmt.DASH
    if not _missing(days_overdue):
        text += " · " + t("cockpit.actions.days_overdue", lang, n=int(days_overdue))
    return text


def actions(review: WeeklyReview, configs: Configs) -> Section:
    lang, part = review.lang, review.actions
    if part.missing:
        return _section("actions", lang, [t("weekly.actions.missing", lang)], [])
    lines = [t("weekly.actions.lead", lang, day=part.review_day.isoformat(), open=part.open, overdue=part.overdue,
               days=part.due_within_days, later=part.later)]
    rows = []
    for r in part.listed.to_dict(orient="records"):
        late = BAD if r["overdue"] else None
        rows.append([text_cell(r["action_id"]), text_cell(r["title"]), text_cell(r["owner"]), date_cell(r["due"], late),
                     text_cell(_action_status(r["status"], r["days_overdue"], lang), late),
                     text_cell(r["metric_label"]), text_cell(r["review_week"])])
    headers = [t(f"weekly.col.{c}", lang) for c in ("id", "action", "owner", "due", "status", "kpi", "review_week")]
    return _section("actions", lang, lines, [Block(table=Table(headers, rows, t("weekly.actions.none", lang)))])


def notes(review: WeeklyReview, configs: Configs) -> Section:
    lang, part = review.lang, review.actions
    if part.missing:
        return _section("notes", lang, [t("weekly.actions.missing", lang)], [])
    lines = [t("weekly.notes.lead", lang, week=review.week.label, day=part.review_day.isoformat())]
    rows = [[text_cell(r["action_id"]), text_cell(r["title"]), text_cell(r["owner"]), date_cell(r["due"]),
             text_cell(r["metric_label"]), pct_cell(r["expected_lift"], 0, signed=True), text_cell(r["review_week"])]
            for r in part.noted.to_dict(orient="records")]
    headers = [t(f"weekly.col.{c}", lang) for c in ("id", "action", "owner", "due", "kpi", "expected_lift",
                                                    "review_week")]
    return _section("notes", lang, lines, [Block(table=Table(headers, rows, t("weekly.notes.none", lang)))])
