"""python -m lib.sample_data --out DIR [--rows N] [--xlsx FILE] [--with-mistakes] [--seed S]"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.sample_data import DEFAULT_ROWS, DEFAULT_SEED, generate, write_csv, write_xlsx


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.sample_data", description=__doc__)
    parser.add_argument("--out", required=True, type=Path, help="folder for the <tab>.csv files")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS,
                        help=f"about how many marketing_daily rows (default {DEFAULT_ROWS:,})")
    parser.add_argument("--xlsx", type=Path, help="also write the workbook (the Google Sheets template)")
    parser.add_argument("--with-mistakes", action="store_true",
                        help="plant the typing mistakes of lib/sample_data/mistakes.py")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    tabs = generate(args.seed, args.rows)
    if args.with_mistakes:
        from lib.sample_data.mistakes import plant

        planted = plant(tabs)
        print(f"planted {len(planted)} mistakes", file=sys.stderr)
    write_csv(tabs, args.out)
    if args.xlsx:
        write_xlsx(tabs, args.xlsx)
    for name, frame in tabs.items():
        print(f"{name:16} {len(frame):>8,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
