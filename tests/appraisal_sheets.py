"""Small hand-checkable people sheets for the appraisal tests, written as CSV folders.

`uniform(eid, month, score)` gives kpi_actuals rows whose every sub-indicator scores exactly
`score` (higher-is-better: target 100, actual = score; lower-is-better cac: target = score,
actual 100), so every quantitative indicator of that month is `score` too.
"""
from __future__ import annotations

from pathlib import Path

SUBS = {"sales": "higher", "new_customers": "higher", "lead_conversion": "higher", "repurchase_rate": "higher",
        "cac": "lower", "campaign_roi": "higher", "content_reach": "higher"}

HEADERS = {
    "staff": "employee_id,name,department,level,manager_id,hire_date,active",
    "kpi_actuals": "employee_id,month,indicator,target,actual",
    "ratings": "employee_id,period,dimension,rater_id,rater_type,score",
    "compliance": "employee_id,month,item,violation,note",
    "calibrations": "employee_id,period,dimension,original_score,calibrated_score,reason,by,at",
}


def uniform(eid: str, month: str, score: float, subs: dict[str, str] = SUBS) -> list[str]:
    rows = []
    for sub, direction in subs.items():
        target, actual = (100, score) if direction == "higher" else (score, 100)
        rows.append(f"{eid},{month},{sub},{target:g},{actual:g}")
    return rows


def rated(eid: str, period: str, dimension: str, **by_type: float) -> list[str]:
    """One rating per rater type, e.g. rated('E01', '2026-07', 'execution', supervisor=80)."""
    return [f"{eid},{period},{dimension},{eid}-{kind},{kind},{score:g}" for kind, score in by_type.items()]


def write_sheet(folder: Path, **tabs: list[str]) -> Path:
    """Write <tab>.csv for every tab given (a list of data lines under the template header)."""
    folder.mkdir(parents=True, exist_ok=True)
    for tab, lines in tabs.items():
        (folder / f"{tab}.csv").write_text("\n".join([HEADERS[tab], *lines]) + "\n", encoding="utf-8")
    return folder
