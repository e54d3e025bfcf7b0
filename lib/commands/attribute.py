"""`python -m lib.cli attribute --model NAME`: credited conversions and value per channel.

    python -m lib.cli attribute --model markov
    python -m lib.cli attribute --model time_decay --start 2026-10-01 --end 2026-10-31

Prints [{"channel": C, "conversions": x, "value": y}] (../shared/spec/cli.md), most credited
first, with every channel touched by a journey considered (0 when the model gives it
nothing). --start/--end keep the journeys that ended in that range (converted_at, or the
last touch when there is none); without them every journey counts. The time-decay
half-life is config/channels.yaml's attribution.half_life_days.
"""
from __future__ import annotations

import argparse
import sys

from lib.attribution import MODELS, AttributionError, attribute


def cmd_attribute(args) -> int:
    from lib.channels.config import load_channels_config
    from lib.cli import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, open_store, print_json, report_data_problems

    if args.start and args.end and args.start > args.end:
        print(f"error: --start {args.start} is after --end {args.end}", file=sys.stderr)
        return EXIT_USAGE
    config = load_channels_config().attribution
    store = open_store(args)
    report_data_problems(store)
    try:
        result = attribute(store, config.half_life_days, args.start, args.end, config.chunk_rows)
    except AttributionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    print_json(result.for_model(args.model))
    return EXIT_OK


def _arguments(p: argparse.ArgumentParser) -> None:
    from lib.cli import _date

    p.add_argument("--model", required=True, choices=MODELS, help="attribution model")
    p.add_argument("--start", type=_date, help="first day of the journeys' end (default: all)")
    p.add_argument("--end", type=_date, help="last day of the journeys' end (default: all)")


COMMANDS = {
    "attribute": (cmd_attribute, "credited conversions and value per channel for one model", _arguments, "json"),
}
