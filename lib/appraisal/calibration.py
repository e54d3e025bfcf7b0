"""The calibration committee records a calibrated score with a reason.

The row goes to the `calibrations` tab through lib.writeback (validated, all or nothing,
written once per submission token); on the next load it replaces that dimension's
combined score while the original stays visible with who changed it and when. Only the
roles in `calibration.committee_roles` (director and admin by default) may record, and
only for people they may see.
"""
from __future__ import annotations

import datetime as dt

from lib.access import Viewer, visible_employees
from lib.appraisal.config import AppraisalConfig
from lib.appraisal.engine import appraise
from lib.appraisal.model import AppraisalPeriod
from lib.config import SourcesConfig
from lib.store import Store
from lib.writeback import WriteResult, append_row


class CalibrationRefused(Exception):
    """The calibration was not written; the message says why."""


def may_record(viewer: Viewer, cfg: AppraisalConfig) -> bool:
    return viewer.role in cfg.calibration.committee_roles


def record_calibration(sources: SourcesConfig, store: Store, cfg: AppraisalConfig, viewer: Viewer,
                       employee_id: str, period: str, dimension: str, calibrated_score: float | None, reason: str,
                       token: str, now: dt.datetime | None = None) -> WriteResult:
    if not may_record(viewer, cfg):
        raise CalibrationRefused("only the calibration committee ("
                                 + ", ".join(cfg.calibration.committee_roles) + ") may record a calibrated score")
    if employee_id not in visible_employees(viewer, store.read("staff", columns=["employee_id", "department"])):
        raise CalibrationRefused(f"{employee_id} is not among the people you may appraise")
    ap = AppraisalPeriod.of(period)
    if dimension not in cfg.applicable(ap.grain) or cfg.indicators[dimension].quantitative:
        raise CalibrationRefused(f"{dimension} is not a qualitative indicator of a {ap.grain}")
    if calibrated_score is None:
        raise CalibrationRefused("a calibration needs a calibrated score")
    if not str(reason or "").strip():
        raise CalibrationRefused("a calibration needs a reason")
    result = appraise(store, cfg, ap, viewer).result(employee_id)
    original = result.indicators[dimension].computed if result else None
    row = {
        "employee_id": employee_id, "period": ap.label, "dimension": dimension,
        "original_score": original, "calibrated_score": calibrated_score, "reason": str(reason).strip(),
        "by": viewer.username, "at": (now or dt.datetime.now()).replace(microsecond=0),
    }
    return append_row(sources, "calibrations", row, token, store)
