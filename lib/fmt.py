"""Number formats for screens and reports: ¥ with thousands separators, %, and an em dash
for a value that does not exist (a division by zero, a missing score) - never 0."""
from __future__ import annotations

import math

DASH = "—"


def _missing(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def money(x, decimals: int = 0) -> str:
    if _missing(x):
        return DASH
    sign = "-" if x < 0 else ""
    return f"{sign}¥{abs(x):,.{decimals}f}"


def money_short(x, lang: str = "en") -> str:
    """Compact money for tiles: ¥1.23M / ¥123.4万 depending on the language."""
    if _missing(x):
        return DASH
    sign, v = ("-" if x < 0 else ""), abs(x)
    if lang == "zh":
        if v >= 1e8:
            return f"{sign}¥{v / 1e8:,.2f}亿"
        if v >= 1e4:
            return f"{sign}¥{v / 1e4:,.1f}万"
        return money(x)
    if v >= 1e6:
        return f"{sign}¥{v / 1e6:,.2f}M"
    if v >= 1e4:
        return f"{sign}¥{v / 1e3:,.1f}K"
    return money(x)


def pct(x, decimals: int = 1, signed: bool = False) -> str:
    if _missing(x):
        return DASH
    return f"{x * 100:+,.{decimals}f}%" if signed else f"{x * 100:,.{decimals}f}%"


def number(x, decimals: int = 0, signed: bool = False) -> str:
    if _missing(x):
        return DASH
    return f"{x:+,.{decimals}f}" if signed else f"{x:,.{decimals}f}"


def age(seconds: float, lang: str = "en") -> str:
    """How old the data is, in the largest sensible unit."""
    if _missing(seconds):
        return DASH
    minutes = int(seconds // 60)
    if lang == "zh":
        if minutes < 1:
            return "刚刚"
        if minutes < 60:
            return f"{minutes} 分钟前"
        if minutes < 48 * 60:
            return f"{minutes // 60} 小时前"
        return f"{minutes // 1440} 天前"
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} days ago"
