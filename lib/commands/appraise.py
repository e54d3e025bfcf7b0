"""`python -m lib.cli appraise --period P`: one row per employee for a month, quarter or year.

    python -m lib.cli appraise --period 2026-Q3 --data sample_data/csv

Prints the JSON of cli.md on stdout (a year adds "rank"); data problems, including rows the
appraisal cannot score, go to stderr. Runs as lib.access.SYSTEM: whoever runs it on the
server can read the data files anyway.
"""
from __future__ import annotations

import argparse
import sys

from lib.cli import EXIT_OK, open_store, print_json, report_data_problems


def _period(text: str) -> str:
    from lib.appraisal.model import CYCLE_EXPECTED, AppraisalPeriod
    from lib.metrics.grains import PeriodError

    try:
        return AppraisalPeriod.of(text).label
    except PeriodError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {CYCLE_EXPECTED}") from None


def cmd_appraise(args) -> int:
    from lib.access import SYSTEM
    from lib.appraisal import appraise, load_appraisal_config, result_json

    cfg = load_appraisal_config()
    store = open_store(args)
    report_data_problems(store)
    appraisal = appraise(store, cfg, args.period, SYSTEM)
    for issue in appraisal.issues:
        print(issue, file=sys.stderr)
    print_json([result_json(r, appraisal.period.grain) for r in appraisal.results])
    return EXIT_OK


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, type=_period, help="a month 2026-07, a quarter 2026-Q3 or a year 2026")


COMMANDS = {
    "appraise": (cmd_appraise, "one row per employee for a month, quarter or year", _arguments, "json"),
}
