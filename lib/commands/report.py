"""`python -m lib.cli report --week W --out FILE`: the weekly review as one file.

    python -m lib.cli report --week 2026-W43 --out review.html --data sample_data/csv
    python -m lib.cli report --week 2026-W43 --out review.xlsx --lang zh
    python -m lib.cli report --out review.html            # the last complete week of the data

.html is one self-contained file with its charts (readable offline); .xlsx has one
formatted sheet per section. The appraisal alerts (personal rows) are left out unless
--appraisal is given: the file usually goes to the whole meeting. Prints
{"week": ..., "out": ..., "sections": [...]} on stdout.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from lib.cli import EXIT_OK, print_json, open_store, report_data_problems


def _week(text: str):
    from lib.weekly.review import week_of

    try:
        return week_of(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _out(text: str) -> Path:
    from lib.weekly.report import FORMATS

    path = Path(text)
    if path.suffix.lower() not in FORMATS:
        raise argparse.ArgumentTypeError(f"{text!r}: the report is written as .html or .xlsx")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r}: folder {path.parent} does not exist")
    return path


def cmd_report(args) -> int:
    from lib.access import SYSTEM, Viewer
    from lib.store import MissingTabError
    from lib.weekly.report import write_report
    from lib.weekly.review import build_review, default_week, load_configs

    configs = load_configs()
    store = open_store(args)
    report_data_problems(store)
    week = args.week or default_week(store)
    if week is None:
        raise MissingTabError(["marketing_daily"], ["the weekly review"])
    # Without --appraisal the report is made as the meeting-room screen sees it: no personal rows.
    viewer = SYSTEM if args.appraisal else Viewer("cli", "viewer")
    review = build_review(store, configs, week, viewer, args.lang)
    write_report(args.out, review, configs)
    print_json({"week": week.label, "out": str(args.out), "sections": review.slides})
    return EXIT_OK


def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--week", type=_week, help="the ISO week, e.g. 2026-W43 (default: the last complete week)")
    p.add_argument("--out", type=_out, required=True, help="the file to write: .html or .xlsx")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the report")
    p.add_argument("--appraisal", action="store_true",
                   help="include the appraisal alerts (coaching, calibration: personal rows)")


COMMANDS = {
    "report": (cmd_report, "the weekly review as .html or .xlsx", _report_args, "json"),
}
