"""Headless command line: every number a page shows, without a browser (../shared/spec/cli.md).

    python -m lib.cli check [--data PATH]
    python -m lib.cli query --metrics cac,roi --by channel --grain month --start 2026-01-01 --where region=华东
    python -m lib.cli explain --metric cac --by region --period 2026-W43 --vs 2026-W42

`--data PATH` (a folder of <tab>.csv, an .xlsx workbook, or a SQLAlchemy URL) replaces
config/sources.yaml. Exit codes: 0 ok, 1 invalid config / data errors (check) / a needed
tab missing, 2 bad arguments.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Callable

from lib.config import load_sources, sources_for_data
from lib.issues import ConfigError, Issue

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


# ---------------------------------------------------------------------------------------
# shared plumbing


def load_config(args):
    return sources_for_data(args.data) if args.data else load_sources()


def open_store(args, check_sql_rows: bool = False):
    from lib.store import load_store

    return load_store(load_config(args), check_sql_rows=check_sql_rows)


def config_issues(include_sources: bool = True) -> list[Issue]:
    """Problems in every config file the app reads (each loader raises ConfigError)."""
    from lib.checks import CONFIG_LOADERS

    issues: list[Issue] = []
    for loader in CONFIG_LOADERS:
        if loader is load_sources and not include_sources:
            continue
        try:
            loader()
        except ConfigError as exc:
            issues.extend(exc.issues)
    return issues


def report_data_problems(store) -> None:
    """Commands other than check list data problems on stderr and go on with the good rows."""
    for issue in store.issues:
        print(issue, file=sys.stderr)


def print_json(doc) -> None:
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# ---------------------------------------------------------------------------------------
# commands


def cmd_check(args) -> int:
    issues = config_issues(include_sources=not args.data)
    try:
        store = open_store(args, check_sql_rows=True)
        issues += store.issues + _metric_reference_issues(store)
    except ConfigError as exc:
        if args.data:  # without --data, sources.yaml's problems are already listed
            issues += exc.issues
    if args.format == "json":
        print_json([i.to_dict() for i in issues])
    else:
        for issue in issues:
            print(issue)
        if issues:
            errors = sum(i.level == "error" for i in issues)
            print(f"{errors} error(s), {len(issues) - errors} warning(s)")
    return EXIT_PROBLEM if any(i.level == "error" for i in issues) else EXIT_OK


def _metric_reference_issues(store) -> list[Issue]:
    """targets / benchmarks rows naming a metric the catalogue lacks (when it is valid;
    its own problems are listed with the config's)."""
    from lib.metrics import load_catalog
    from lib.metrics.checks import reference_issues

    try:
        catalog = load_catalog()
    except ConfigError:
        return []
    return reference_issues(store, catalog)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-07-01") from None


def _where(text: str) -> tuple[str, tuple[str, ...]]:
    dim, sep, values = text.partition("=")
    if not sep or not dim or not values:
        raise argparse.ArgumentTypeError(f"{text!r} is not D=V or D=V1|V2")
    return dim.strip(), tuple(v.strip() for v in values.split("|"))


def _csv_list(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


def cmd_query(args) -> int:
    from lib.metrics import Request, load_catalog, run
    from lib.metrics.compiler import check_request

    catalog = load_catalog()
    request = Request(args.metrics, args.by or (), args.grain, args.start, args.end, tuple(args.where or ()))
    check_request(catalog, request)  # before reading any data: a typo should not wait for a warehouse
    store = open_store(args)
    report_data_problems(store)
    frame = run(store, catalog, request).frame
    if args.format == "json":
        print_json(_records(frame))
    else:
        sys.stdout.write(frame.to_csv(index=False, float_format=_plain_number))
    return EXIT_OK


def _plain_number(x: float) -> str:
    """15 significant digits (all a float reliably holds, so 0.1 + 0.2 prints 0.3), never
    in scientific notation: '%.10g' printed a revenue of 12,345,678,901.23 as 1.23456789e+10."""
    import numpy as np

    return np.format_float_positional(x, precision=15, unique=False, fractional=False, trim="-")


def _records(frame) -> list[dict]:
    """Rows as JSON: NaN (a division by zero, no data) becomes null."""
    import math

    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")]


def cmd_explain(args) -> int:
    from lib.metrics import explain, load_catalog
    from lib.metrics.explain import check_explain

    catalog = load_catalog()
    check_explain(catalog, args.metric, args.by, args.period, args.vs, tuple(args.where or ()))
    store = open_store(args)
    report_data_problems(store)
    result = explain(store, catalog, args.metric, args.by, args.period, args.vs, tuple(args.where or ()))
    print_json(result.to_json())  # explain's only format (cli.md)
    return EXIT_OK


def _query_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--metrics", type=_csv_list, required=True, help="comma-separated metric names")
    p.add_argument("--by", type=_csv_list, help="comma-separated dimensions")
    p.add_argument("--grain", choices=["day", "week", "month", "quarter", "year"])
    p.add_argument("--start", type=_date)
    p.add_argument("--end", type=_date)
    p.add_argument("--where", type=_where, action="append", help="D=V or D=V1|V2; repeatable")


def _explain_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--metric", required=True)
    p.add_argument("--by", required=True, help="the dimension to split the change over")
    p.add_argument("--period", required=True, help="2026-W43, 2026-10, 2026-Q4, 2026 or a date")
    p.add_argument("--vs", required=True, help="the period to compare with")
    p.add_argument("--where", type=_where, action="append", help="D=V or D=V1|V2; repeatable")


# name -> (handler, help, extra arguments, default --format)
COMMANDS: dict[str, tuple[Callable, str, Callable | None, str]] = {
    "check": (cmd_check, "every config and data problem; exit 1 on any error", None, "text"),
    "query": (cmd_query, "metrics by dimensions and period (csv)", _query_args, "csv"),
    "explain": (cmd_explain, "the change of a metric split over a dimension", _explain_args, "json"),
}
_CORE_COMMANDS = frozenset(COMMANDS)


def _plugin_commands() -> None:
    """Engines add their subcommands in lib/commands/<area>.py (COMMANDS = {...}, same shape
    as above), so each area owns its command without editing this file."""
    import importlib
    import pkgutil

    import lib.commands

    for info in sorted(pkgutil.iter_modules(lib.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"lib.commands.{info.name}")
        for name, spec in getattr(module, "COMMANDS", {}).items():
            if name in COMMANDS:
                raise RuntimeError(f"lib/commands/{info.name}.py redefines the command {name!r}")
            COMMANDS[name] = spec


def build_parser() -> argparse.ArgumentParser:
    if len(COMMANDS) == len(_CORE_COMMANDS):
        _plugin_commands()
    parser = argparse.ArgumentParser(prog="python -m lib.cli", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text, add_args, default_format) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--data", help="folder of <tab>.csv, .xlsx workbook or SQLAlchemy URL")
        formats = list(dict.fromkeys([default_format, "json", *(["text"] if name == "explain" else [])]))
        p.add_argument("--format", choices=formats, default=default_format)
        if add_args:
            add_args(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    from lib.metrics import RequestError
    from lib.metrics.grains import PeriodError
    from lib.store import MissingTabError

    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS[args.command][0]
    try:
        return handler(args)
    except ConfigError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return EXIT_PROBLEM
    except MissingTabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except (RequestError, PeriodError) as exc:  # a well-formed request the data cannot answer
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
