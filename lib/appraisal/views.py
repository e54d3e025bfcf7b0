"""Team views of one Appraisal as tables: the team table, the lists of the page, one
person's breakdown, the export and the CLI's JSON.

Every function here works on an Appraisal made by `appraise(..., viewer)`, which already
holds only the rows that viewer may see; nothing here reads the store.
"""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from lib.appraisal.config import RATER_TYPES, AppraisalConfig
from lib.appraisal.model import Appraisal, AppraisalPeriod, Missing, Result
from lib.i18n import t
from lib.store import Store

PERIOD_GRAINS = ("month", "quarter", "year")


def result_json(r: Result, grain: str) -> dict:
    """One row of `python -m lib.cli appraise` (cli.md), plus name, department and missing."""
    doc = {
        "employee_id": r.employee_id, "period": r.period,
        "score": None if r.score is None else round(r.score, 6),
        "grade": r.grade, "bonus_multiplier": r.bonus_multiplier, "flags": list(r.flags),
        "promotion_eligible": r.promotion_eligible,
    }
    if grain == "year":
        doc["rank"] = r.rank
    doc.update(name=r.name, department=r.department,
               missing=[{"indicator": m.indicator, "reason": m.reason} for m in r.missing])
    return doc


def missing_text(m: Missing, cfg: AppraisalConfig, period: str, lang: str) -> str:
    return t(f"appraisal.missing.{m.reason}", lang, indicator=cfg.label(m.indicator, lang), period=period)


def team_table(app: Appraisal, cfg: AppraisalConfig, lang: str) -> pd.DataFrame:
    """One row per person, best score first; people without a score last."""
    rows = [{
        "employee_id": r.employee_id, "name": r.name, "department": r.department,
        "score": r.score, "grade": [r.grade] if r.grade else [], "bonus_multiplier": r.bonus_multiplier,
        "flags": list(r.flags), "rank": r.rank, "monthly_scores": r.monthly_scores,
        "promotion_eligible": r.promotion_eligible,
        "missing": "; ".join(missing_text(m, cfg, r.period, lang) for m in r.missing),
    } for r in app.results]
    frame = pd.DataFrame(rows, columns=["employee_id", "name", "department", "score", "grade", "bonus_multiplier",
                                        "flags", "rank", "monthly_scores", "promotion_eligible", "missing"])
    frame = frame.sort_values(["score", "employee_id"], ascending=[False, True], na_position="last", kind="stable")
    if app.period.grain != "year":
        frame = frame.drop(columns=["rank", "monthly_scores"])
    return frame.reset_index(drop=True)


def coaching_list(app: Appraisal) -> pd.DataFrame:
    """People whose coaching plan fired in a month of the period, with those months."""
    rows = []
    for eid, months in sorted(app.coaching_months.items()):
        r = app.result(eid)
        last = months[-1]
        rows.append({"employee_id": eid, "name": r.name, "department": r.department, "months": ", ".join(months),
                     "last_score": app.monthly.get(last, {}).get(eid)})
    return pd.DataFrame(rows, columns=["employee_id", "name", "department", "months", "last_score"])


def s_grade_list(app: Appraisal, cfg: AppraisalConfig) -> pd.DataFrame:
    """People graded S in the period (a quarter's S is the s_grade flag: bonus 150%, first in
    line for external training and summits)."""
    rows = [{"employee_id": r.employee_id, "name": r.name, "department": r.department, "score": r.score,
             "bonus_multiplier": r.bonus_multiplier}
            for r in app.results if r.grade == cfg.top_grade]
    frame = pd.DataFrame(rows, columns=["employee_id", "name", "department", "score", "bonus_multiplier"])
    return frame.sort_values("score", ascending=False).reset_index(drop=True)


def department_table(app: Appraisal) -> pd.DataFrame:
    return pd.DataFrame([{"rank": d.rank, "department": d.department, "people": d.people, "mean": d.mean,
                          "top_team": d.top_team, "hidden": d.hidden} for d in app.departments],
                        columns=["rank", "department", "people", "mean", "top_team", "hidden"])


def distribution(app: Appraisal) -> pd.DataFrame:
    """The scores the viewer may see, for the histogram."""
    return pd.DataFrame([{"employee_id": r.employee_id, "name": r.name, "score": r.score,
                          "below_cut": app.cut_score is not None and r.score <= app.cut_score + 1e-9}
                         for r in app.results if r.score is not None],
                        columns=["employee_id", "name", "score", "below_cut"])


def breakdown(r: Result, cfg: AppraisalConfig, lang: str) -> pd.DataFrame:
    """Per indicator: kind, weight, score (with the sub-indicators), why it is missing,
    and a calibration with the original score, who and when."""
    missing = {m.indicator: m for m in r.missing}
    rows = []
    for name, ind in r.indicators.items():
        cal = ind.calibration
        rows.append({
            "indicator": cfg.label(name, lang), "kind": t(f"appraisal.kind.{ind.kind}", lang),
            "weight": ind.weight, "score": ind.score,
            "detail": _detail(ind, lang),
            "missing": missing_text(missing[name], cfg, r.period, lang) if name in missing else "",
            "original_score": cal.original_score if cal else None,
            "calibrated": (t("appraisal.calibrated_by", lang, by=cal.by or "?",
                             at=f"{cal.at:%Y-%m-%d %H:%M}" if cal.at else "?", reason=cal.reason) if cal else ""),
        })
    return pd.DataFrame(rows, columns=["indicator", "kind", "weight", "score", "detail", "missing",
                                       "original_score", "calibrated"])


def _detail(ind, lang: str) -> str:
    """What an indicator's score is made of: sub-indicators, rater types, or shorter periods."""
    if ind.from_periods:
        return t("appraisal.mean_of", lang, periods=", ".join(ind.from_periods))
    if ind.sub_scores:
        return ", ".join(f"{sub} {score:.1f}" for sub, score in ind.sub_scores.items())
    return ", ".join(f"{t(f'appraisal.rater.{k}', lang)} {v:.1f}" for k, v in ind.rater_means.items() if k != "self")


def ratings_table(r: Result, cfg: AppraisalConfig, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counted rater types per dimension with their weight, self ratings apart)."""
    counted, own = [], []
    for name, ind in r.indicators.items():
        if ind.kind != "qualitative":
            continue
        for rater in RATER_TYPES:
            if rater not in ind.rater_means:
                continue
            row = {"dimension": cfg.label(name, lang), "rater_type": t(f"appraisal.rater.{rater}", lang),
                   "mean": ind.rater_means[rater], "ratings": ind.rater_counts.get(rater, 0)}
            if rater == "self":
                own.append(row)
            else:
                counted.append({**row, "weight": cfg.rater_weights.of(rater)})
    return (pd.DataFrame(counted, columns=["dimension", "rater_type", "mean", "ratings", "weight"]),
            pd.DataFrame(own, columns=["dimension", "rater_type", "mean", "ratings"]))


def compliance_items(app: Appraisal, employee_id: str) -> pd.DataFrame:
    rows = [{"month": c["month"], "item": c["item"], "violation": bool(c["violation"]), "note": c.get("note")}
            for c in app.compliance if c["employee_id"] == employee_id]
    return pd.DataFrame(rows, columns=["month", "item", "violation", "note"]).sort_values("month", kind="stable")


def calibration_table(app: Appraisal, cfg: AppraisalConfig, lang: str) -> pd.DataFrame:
    rows = []
    for item in app.calibration_queue:
        cal = item.calibration
        rows.append({
            "employee_id": item.employee_id, "name": item.name, "department": item.department,
            "dimension": cfg.label(item.dimension, lang),
            "status": t("appraisal.queue.pending" if item.pending else "appraisal.queue.settled", lang),
            "spread": item.spread,
            "ratings": ", ".join(f"{t(f'appraisal.rater.{k}', lang)} {v:.0f}" for k, v in item.rater_means.items()
                                 if k != "self"),  # the spread is of these; self never counts
            "original_score": cal.original_score if cal else item.computed,
            "calibrated_score": cal.calibrated_score if cal else None,
            "by": cal.by if cal else None, "at": cal.at if cal else None, "reason": cal.reason if cal else None,
        })
    return pd.DataFrame(rows, columns=["employee_id", "name", "department", "dimension", "status", "spread", "ratings",
                                       "original_score", "calibrated_score", "by", "at", "reason"])


def export_sheets(app: Appraisal, cfg: AppraisalConfig, lang: str) -> dict[str, pd.DataFrame]:
    """The page's tables for .xlsx (lib.export neutralises formula-like text)."""
    team = team_table(app, cfg, lang)
    team["grade"] = team["grade"].map(lambda g: g[0] if g else None)
    team["flags"] = team["flags"].map(lambda fs: ", ".join(t(f"appraisal.flag.{f}", lang) for f in fs))
    team["score"] = team["score"].round(1)
    per_indicator = pd.DataFrame([
        {"employee_id": r.employee_id, "name": r.name, "indicator": cfg.label(n, lang),
         "weight": ind.weight, "score": None if ind.score is None else round(ind.score, 1)}
        for r in app.results for n, ind in r.indicators.items()
    ], columns=["employee_id", "name", "indicator", "weight", "score"])
    sheets = {
        t("appraisal.team", lang): _headed(team, lang),
        t("appraisal.breakdown", lang): _headed(per_indicator, lang),
        t("appraisal.queue", lang): _headed(calibration_table(app, cfg, lang), lang),
    }
    issues = pd.DataFrame([{"problem": str(i)} for i in app.issues], columns=["problem"])
    if not issues.empty:
        sheets[t("appraisal.issues", lang)] = _headed(issues, lang)
    return sheets


def _headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns={c: t(f"appraisal.col.{c}", lang) for c in frame.columns})


def kpi_months(store: Store) -> list[str]:
    """The months that have kpi_actuals rows, oldest first (DISTINCT in SQL)."""
    if not store.has("kpi_actuals"):
        return []
    rel = store.relation("kpi_actuals")
    query = sa.select(rel.selectable.c.month).distinct()
    with rel.engine.connect() as conn:
        return sorted(str(m) for (m,) in conn.execute(query) if m is not None)


def period_choices(months: list[str], grain: str) -> list[str]:
    """Months, quarters or years that have kpi_actuals rows, newest first."""
    return sorted({AppraisalPeriod.of(_of(m, grain)).label for m in months}, reverse=True)


def default_period(months: list[str], grain: str) -> str | None:
    """The newest period whose last month has data (a quarter or year still running is
    offered but not preselected, except the year when no whole year exists)."""
    if not months:
        return None
    last = months[-1]
    complete = [p for p in period_choices(months, grain) if AppraisalPeriod.of(p).months[-1] <= last]
    return complete[0] if complete else period_choices(months, grain)[0]


def _of(month: str, grain: str) -> str:
    year, mon = month.split("-")
    return {"month": month, "quarter": f"{year}-Q{(int(mon) - 1) // 3 + 1}", "year": year}[grain]
