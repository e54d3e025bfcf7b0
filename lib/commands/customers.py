"""Customer value from the command line (docs/customers.md):

    python -m lib.cli abtest
    python -m lib.cli cohorts [--as-of DATE] [--start DATE] [--end DATE] [--where channel=抖音]
    python -m lib.cli ltv [--as-of DATE] [--start DATE] [--end DATE] [--where region=华东]
    python -m lib.cli rfm [--as-of DATE] [--tier dormant [--out dormant.xlsx]]
    python -m lib.cli breakeven [--as-of DATE] [--flagged]

All print one JSON document; data problems go to stderr.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from lib.cli import EXIT_OK, EXIT_USAGE, _date, _where, open_store, print_json, report_data_problems


def _clean(value):
    """JSON-ready: NaN and NaT become null, numpy numbers plain numbers, dates ISO text."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _records(frame, columns=None) -> list[dict]:
    frame = frame if columns is None else frame[columns]
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _notes(notes: list[str]) -> None:
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)


def _scope(store, args):
    from lib.customers.data import default_scope

    return default_scope(store, args.as_of, start=args.start, end=args.end, where=tuple(args.where or ()))


def _config():
    from lib.customers.config import load_customers_config

    return load_customers_config()


# ---------------------------------------------------------------------------------------
# abtest


ABTEST_KEYS = ["experiment_id", "variant", "users", "conversions", "rate", "lift", "p_value", "abs_lift", "z",
               "ci_low", "ci_high", "needed_users", "verdict", "problem"]


def cmd_abtest(args) -> int:
    from lib.customers.abtest import experiments

    settings = _config().abtest
    store = open_store(args)
    report_data_problems(store)
    print_json(_records(experiments(store, settings), ABTEST_KEYS))
    return EXIT_OK


# ---------------------------------------------------------------------------------------
# cohorts


def cmd_cohorts(args) -> int:
    from lib.customers.cohorts import load_cohorts, repeat_rates, retention_curves, retention_matrix

    config = _config()
    store = open_store(args)
    report_data_problems(store)
    cohorts = load_cohorts(store, _scope(store, args))
    _notes(cohorts.notes)
    cells = []
    for channel in cohorts.channels:
        matrix = retention_matrix(cohorts, channel, config.cohorts.max_months)
        for cohort, rows in matrix.groupby("cohort", sort=True):
            cells.append({"cohort": cohort, "channel": channel, "customers": int(rows["customers"].iloc[0]),
                          "retention": rows.sort_values("month")["retention"].tolist()})
    curves = retention_curves(cohorts, config.cohorts.max_months)
    channels = []
    for row in repeat_rates(cohorts).itertuples(index=False):
        curve = curves[curves["channel"] == row.channel].sort_values("month")
        channels.append({"channel": row.channel, "customers": row.customers, "buyers": row.buyers,
                         "repeat_buyers": row.repeat_buyers, "repeat_rate": row.repeat_rate,
                         "retention": curve["retention"].tolist()})
    print_json(_clean({"as_of": cohorts.scope.as_of, "last_complete_month": cohorts.last_month_label,
                       "cohorts": sorted(cells, key=lambda c: (c["cohort"], c["channel"])), "channels": channels}))
    return EXIT_OK


# ---------------------------------------------------------------------------------------
# ltv


def cmd_ltv(args) -> int:
    from lib.customers.cohorts import load_cohorts
    from lib.customers.ltv import cac_by_channel, channel_values, ltv_table, with_cac
    from lib.metrics import load_catalog

    config = _config()
    catalog = load_catalog()
    store = open_store(args)
    report_data_problems(store)
    scope = _scope(store, args)
    cohorts = load_cohorts(store, scope)
    _notes(cohorts.notes)
    values = channel_values(cohorts, config.ltv)
    if store.has("marketing_daily"):
        table = with_cac(values, cac_by_channel(store, catalog, scope), config.ltv)
    else:
        print("warning: tab marketing_daily is not loaded: CAC, LTV/CAC and payback are null", file=sys.stderr)
        table = ltv_table(values).assign(cac=math.nan, ltv_cac=math.nan, payback_months=math.nan)
    observed = {v.channel: v.observed["cumulative"].tolist() for v in values}
    rows = _records(table)
    for row in rows:
        row["observed_cumulative"] = _clean(observed.get(row["channel"], []))
    print_json({"as_of": _clean(scope.as_of), "margin": config.ltv.margin,
                "ratio_horizon": config.ltv.ratio_horizon, "channels": rows})
    return EXIT_OK


# ---------------------------------------------------------------------------------------
# rfm


def cmd_rfm(args) -> int:
    from lib.access import SYSTEM
    from lib.customers.rfm import dormant_cutoff, tier_customers, tier_summary

    config = _config()
    store = open_store(args)
    report_data_problems(store)
    scope = _scope(store, args)
    if args.tier:
        frame = tier_customers(store, scope, config.rfm, SYSTEM, args.tier)
        if args.out:
            return _write_list(frame, args.tier, Path(args.out))
        print_json(_records(frame))
        return EXIT_OK
    summary = tier_summary(store, scope, config.rfm)
    _notes(summary.notes)
    rows = _records(summary.frame)
    for row in rows:
        tier = config.rfm.tiers[row["tier"]]
        row.update(label=tier.label.en, care=tier.care.en)
    print_json({"as_of": _clean(scope.as_of), "dormant_cutoff": _clean(dormant_cutoff(scope, config.rfm)),
                "bins": config.rfm.bins, "tiers": rows})
    return EXIT_OK


def _write_list(frame, tier: str, out: Path) -> int:
    from lib.export import csv_bytes, xlsx_bytes

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        print(f"error: --out {out} must end in .csv or .xlsx", file=sys.stderr)
        return EXIT_USAGE
    out.write_bytes(csv_bytes(frame) if suffix == ".csv" else xlsx_bytes({tier: frame}))
    print(f"{len(frame)} customer(s) of tier {tier} written to {out}", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------------------------------
# break-even


def cmd_breakeven(args) -> int:
    from lib.customers.break_even import break_even_status
    from lib.metrics import load_catalog

    config = _config()
    catalog = load_catalog()
    store = open_store(args)
    report_data_problems(store)
    result = break_even_status(store, args.as_of, catalog, config)
    _notes(result.notes)
    frame = result.flagged if args.flagged else result.frame
    print_json({"as_of": _clean(result.as_of), "horizon_months": result.horizon_months, "rows": _records(frame)})
    return EXIT_OK


# ---------------------------------------------------------------------------------------
# arguments


def _scope_args(p) -> None:
    p.add_argument("--as-of", type=_date, help="orders up to this day (default: the day of the last order)")
    p.add_argument("--start", type=_date, help="customers acquired from this day")
    p.add_argument("--end", type=_date, help="customers acquired up to this day")
    p.add_argument("--where", type=_where, action="append",
                   help="channel, region, product_line or segment: D=V or D=V1|V2; repeatable")


def _rfm_args(p) -> None:
    _scope_args(p)
    p.add_argument("--tier", choices=["high_value", "potential", "dormant"], help="list the customers of a tier")
    p.add_argument("--out", help="with --tier: write the list to a .csv or .xlsx file instead")


def _breakeven_args(p) -> None:
    p.add_argument("--as-of", type=_date, help="default: the day of the last order")
    p.add_argument("--flagged", action="store_true", help="only what has not paid back after the horizon")


COMMANDS = {
    "abtest": (cmd_abtest, "each experiment's variants against its control", None, "json"),
    "cohorts": (cmd_cohorts, "retention by acquisition month and channel; repeat-purchase rate", _scope_args,
                "json"),
    "ltv": (cmd_ltv, "lifetime value per channel, projected 12/24 months, against CAC", _scope_args, "json"),
    "rfm": (cmd_rfm, "RFM tiers with counts and revenue share, or the customers of one tier", _rfm_args, "json"),
    "breakeven": (cmd_breakeven, "campaigns and channels not paid back after the horizon", _breakeven_args,
                  "json"),
}
