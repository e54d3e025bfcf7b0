"""`python -m lib.cli okr --quarter 2026-Q4 --as-of 2026-10-31`: objectives and their key
results with progress and status, as JSON (../shared/spec/cli.md)."""
from __future__ import annotations

import argparse
import sys

from lib.cli import EXIT_OK, _date, open_store, print_json, report_data_problems


def cmd_okr(args) -> int:
    from lib.metrics import load_catalog
    from lib.okr import load_okr_config, okr_report

    cfg = load_okr_config()
    catalog = load_catalog()
    store = open_store(args)
    report_data_problems(store)
    report = okr_report(store, catalog, cfg, args.quarter, args.as_of)
    for issue in report.issues:  # a KR naming an unknown metric: listed, its KR has no value
        print(issue, file=sys.stderr)
    print_json(report.to_json())
    return EXIT_OK


def _quarter(text: str) -> str:
    from lib.okr import QuarterError, quarter_range

    try:
        quarter_range(text.strip())
    except QuarterError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def _okr_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quarter", type=_quarter, required=True, help="the quarter, e.g. 2026-Q4")
    p.add_argument("--as-of", dest="as_of", type=_date, required=True,
                   help="the date progress is judged at, e.g. 2026-10-31")


COMMANDS = {
    "okr": (cmd_okr, "objectives and their key results: progress and status at a date", _okr_args, "json"),
}
