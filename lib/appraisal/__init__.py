"""Performance appraisal (docs/appraisal.md): the scheme of config/appraisal.yaml applied to
the people tabs - monthly, quarterly and annual scores, grades, bonus multipliers, flags,
ranks, and the team views of the appraisal page.

    cfg = load_appraisal_config()
    appraisal = appraise(store, cfg, "2026-Q3", viewer)   # only the rows the viewer may see
"""
from lib.appraisal.calibration import CalibrationRefused, may_record, record_calibration
from lib.appraisal.config import AppraisalConfig, load_appraisal_config
from lib.appraisal.engine import appraise
from lib.appraisal.flags import FLAG_RULES, FLAGS
from lib.appraisal.model import Appraisal, AppraisalPeriod, Result
from lib.appraisal.views import result_json

__all__ = ["Appraisal", "AppraisalConfig", "AppraisalPeriod", "CalibrationRefused", "FLAGS", "FLAG_RULES",
           "Result", "appraise", "load_appraisal_config", "may_record", "record_calibration", "result_json"]
