"""Metric values as people read them: ¥ with thousands separators, %, an em dash for
null; and the one plain sentence under a "why did this move" chart."""
from __future__ import annotations

import pandas as pd

from lib import fmt
from lib.metrics.spec import Catalog


def value(catalog: Catalog, metric: str, x, lang: str = "en", short: bool = False) -> str:
    m = catalog[metric]
    if x is None or pd.isna(x):
        return fmt.DASH
    if m.format == "money":
        return fmt.money_short(x, lang) if short and abs(x) >= 1e4 else fmt.money(x, m.decimals)
    if m.format == "percent":
        return fmt.pct(x, m.decimals)
    if m.format == "integer":
        return fmt.number(x, 0)
    return fmt.number(x, m.decimals or 2)


def change(catalog: Catalog, metric: str, x, lang: str = "en") -> str:
    """A difference in the metric's unit: +¥120, -3.2 pp, +1,204."""
    m = catalog[metric]
    if x is None or pd.isna(x):
        return fmt.DASH
    if m.format == "money":
        return ("+" if x >= 0 else "-") + fmt.money(abs(x), m.decimals)
    if m.format == "percent":
        points = "个百分点" if lang == "zh" else " pp"
        return f"{x * 100:+,.{max(m.decimals, 1)}f}{points}"
    return fmt.number(x, 0 if m.format == "integer" else (m.decimals or 2), signed=True)


def explain_sentence(result, catalog: Catalog, lang: str = "en") -> str:
    """'CAC rose ¥120 (+14%) against 2026-W42; 华东 contributed +¥85.'"""
    label = catalog.label(result.metric, lang)
    total = result.total_change
    if total is None:
        return (f"{label}：{result.period} 或 {result.vs} 没有数据，无法分解。" if lang == "zh"
                else f"{label} cannot be split: {result.period} or {result.vs} has no data.")
    rel = f" ({fmt.pct(result.relative_change, 0, signed=True)})" if result.relative_change is not None else ""
    top = result.top()
    if lang == "zh":
        verb = "上升" if total > 0 else ("下降" if total < 0 else "持平")
        text = f"{label}较 {result.vs} {verb} {change(catalog, result.metric, abs(total), lang).lstrip('+')}{rel}"
        if top is not None:
            text += f"；其中 {top[result.by]} 贡献 {change(catalog, result.metric, top['contribution'], lang)}"
        return text + "。"
    verb = "rose" if total > 0 else ("fell" if total < 0 else "was flat")
    text = f"{label} {verb} {change(catalog, result.metric, abs(total), lang).lstrip('+')}{rel} against {result.vs}"
    if top is not None:
        text += f"; {top[result.by]} contributed {change(catalog, result.metric, top['contribution'], lang)}"
    return text + "."
