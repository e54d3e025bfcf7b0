"""`python -m lib.cli appraise --period P [--as USER]`: one row per employee for a month,
quarter or year.

    python -m lib.cli appraise --period 2026-Q3 --data sample_data/csv
    python -m lib.cli appraise --period 2026-Q3 --as e004      # what manager e004 sees in the app

Prints the JSON of cli.md on stdout (a year adds "rank"); data problems, including rows the
appraisal cannot score, go to stderr (with --as only those of the user's own rows).

Trust model: the CLI runs on the server, as someone who can read the data files and the
config anyway, so by default it runs as lib.access.SYSTEM and prints everyone. `--as USER`
(a username of config/auth.yaml, or the employee_id of exactly one user) prints exactly the
rows that user sees in the app, with the same role and department: for a report sent to
one person or one manager. It asks no password because it grants nothing the caller does
not already have; it is a filter, not a sign-in.
"""
from __future__ import annotations

import argparse
import sys

from lib.cli import EXIT_OK, EXIT_USAGE, open_store, print_json, report_data_problems


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
    from lib.auth import UnknownUser, load_auth, viewer_as

    cfg = load_appraisal_config()
    store = open_store(args)
    try:
        viewer = viewer_as(load_auth(), args.as_user, store) if args.as_user else SYSTEM
    except UnknownUser as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if viewer is SYSTEM:
        report_data_problems(store)
    elif store.issues:  # they quote rows of anyone: not in a report scoped to one user
        print(f"{len(store.issues)} data problem(s) not listed with --as; see python -m lib.cli check",
              file=sys.stderr)
    appraisal = appraise(store, cfg, args.period, viewer)
    for issue in appraisal.issues:
        print(issue, file=sys.stderr)
    print_json([result_json(r, appraisal.period.grain) for r in appraisal.results])
    return EXIT_OK


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, type=_period, help="a month 2026-07, a quarter 2026-Q3 or a year 2026")
    p.add_argument("--as", dest="as_user", metavar="USER",
                   help="only the rows this user of config/auth.yaml sees in the app (username or employee_id)")


COMMANDS = {
    "appraise": (cmd_appraise, "one row per employee for a month, quarter or year", _arguments, "json"),
}
