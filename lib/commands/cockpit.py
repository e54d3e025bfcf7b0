"""`python -m lib.cli cockpit`: every number of the cockpit page for one period as JSON.

    python -m lib.cli cockpit                       # the last complete week of the data
    python -m lib.cli cockpit --period 2026-10 --where region=华东 --lang zh
"""
from __future__ import annotations

import argparse

from lib.cli import EXIT_OK, _where, open_store, print_json, report_data_problems


def _period(text: str):
    from lib.metrics.grains import PeriodError
    from lib.periods import PICKABLE_GRAINS, Period

    try:
        period = Period.of(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if period.grain not in PICKABLE_GRAINS:
        raise argparse.ArgumentTypeError(f"{text!r} is a {period.grain}; use a week (2026-W43), a month "
                                         "(2026-10) or a quarter (2026-Q3)")
    return period


def cmd_cockpit(args) -> int:
    from lib import dimensions
    from lib.cockpit.actions import as_of_day
    from lib.cockpit.config import load_cockpit_config
    from lib.cockpit.report import summary
    from lib.metrics import load_catalog
    from lib.periods import last_complete
    from lib.store import MissingTabError

    catalog, cfg = load_catalog(), load_cockpit_config()
    store = open_store(args)
    report_data_problems(store)
    span = dimensions.date_span(store)
    if span is None:
        raise MissingTabError(["marketing_daily"], ["cockpit"])
    period = args.period or last_complete("week", span[1])
    print_json(summary(store, catalog, cfg, period, tuple(args.where or ()), as_of_day(period.end, span[1]),
                       args.lang))
    return EXIT_OK


def _cockpit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=_period, help="2026-W43, 2026-10 or 2026-Q3 (default: the last complete week)")
    p.add_argument("--where", type=_where, action="append", help="D=V or D=V1|V2; repeatable")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the anomaly reasons")


COMMANDS = {
    "cockpit": (cmd_cockpit, "the cockpit page's numbers for a period (json)", _cockpit_args, "json"),
}
