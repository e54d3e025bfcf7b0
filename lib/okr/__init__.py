"""OKR progress (../shared/spec/okr.md): objectives, key results tied to live metrics or
to check-ins, statuses, department roll-up. Pure rules in lib.okr.rules, tab reading and
the metrics layer in lib.okr.engine, thresholds in config/okr.yaml (lib.okr.config)."""
from lib.okr.config import OkrConfig, load_okr_config  # noqa: F401
from lib.okr.engine import (KeyResultProgress, ObjectiveProgress, OkrReport, QuarterError,  # noqa: F401
                            checkin_rows, data_end, default_as_of, default_quarter, metric_weekly,
                            okr_report, quarter_range, quarters, reference_date)
from lib.okr.rules import STATUSES  # noqa: F401
