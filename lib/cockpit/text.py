"""Compact numbers for tiles and chart labels: ¥663.9K / ¥66.4万, 27.16M / 2,716.4万, +¥40.4K.

Full numbers stay in tooltips, tables and sentences; these are for places where a
label must fit (a tile, the top of a waterfall bar).
"""
from __future__ import annotations

import pandas as pd

from lib import fmt
from lib.metrics.format import change as format_change, value as format_value
from lib.metrics.spec import Catalog


def _compact(v: float, lang: str) -> str:
    if lang == "zh":
        if v >= 1e8:
            return f"{v / 1e8:,.2f}亿"
        return f"{v / 1e4:,.1f}万"
    if v >= 1e6:
        return f"{v / 1e6:,.2f}M"
    return f"{v / 1e3:,.1f}K"


def short_value(catalog: Catalog, metric: str, x, lang: str) -> str:
    """Money and counts from 10,000 up in K/M (万/亿 in Chinese); rates as usual."""
    if x is None or pd.isna(x):
        return fmt.DASH
    kind = catalog[metric].format
    if kind in ("money", "integer") and abs(x) >= 1e4:
        return ("-" if x < 0 else "") + ("¥" if kind == "money" else "") + _compact(abs(x), lang)
    return format_value(catalog, metric, x, lang)


def short_change(catalog: Catalog, metric: str, x, lang: str) -> str:
    """A signed difference, compact from 10,000 up: +¥40.4K, -1.2万, +0.3 pp."""
    if x is None or pd.isna(x):
        return fmt.DASH
    kind = catalog[metric].format
    if kind in ("money", "integer") and abs(x) >= 1e4:
        return ("+" if x >= 0 else "-") + ("¥" if kind == "money" else "") + _compact(abs(x), lang)
    return format_change(catalog, metric, x, lang)
