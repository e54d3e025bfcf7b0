"""The weekly review as one file: .html (self-contained, readable offline) or .xlsx (one
formatted sheet per section). Both are drawn from lib.weekly.content, like the slides.

The .html has its style inline and its charts as SVG drawn on the server; it refers to no
other file, font, script or address, and a Content-Security-Policy forbids fetching
anything should it ever contain a reference. Every piece of text, sheet text above all,
goes through html.escape. The .xlsx neutralises text that a spreadsheet would run as a
formula (lib.export.neutralise) and keeps numbers as numbers with their formats.
"""
from __future__ import annotations

import io
import re
from html import escape
from pathlib import Path

from lib import fmt
from lib.export import neutralise
from lib.i18n import t
from lib.weekly.content import BAD, GOOD, LEVEL, WARN, Block, Section, Table, sections
from lib.weekly.review import Configs, WeeklyReview
from lib.weekly.svg import bars_svg

FORMATS = (".html", ".xlsx")
TONE_CLASS = {GOOD: "good", BAD: "bad", WARN: "warn", LEVEL: ""}
TONE_FONT = {GOOD: "1A7F37", BAD: "C62828", WARN: "B26A00"}

CSS = """
:root { color-scheme: light; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Segoe UI", Arial, sans-serif;
       color: #101828; background: #fff; margin: 0 auto; max-width: 1100px; padding: 24px 32px 64px; line-height: 1.45; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 40px 0 6px; padding-top: 12px; border-top: 3px solid #101828; }
h3 { font-size: 17px; margin: 22px 0 6px; }
p.lead { color: #344054; margin: 2px 0 10px; }
nav ol { padding-left: 20px; } nav li { margin: 2px 0; }
.stage { display: inline-block; font-size: 13px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
         color: #fff; background: #101828; border-radius: 4px; padding: 2px 8px; margin-right: 10px; vertical-align: 3px; }
.stage.plan { background: #1d4ed8; } .stage.check { background: #7c3aed; } .stage.act { background: #b91c1c; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 14px; }
th { text-align: left; background: #f2f4f7; border-bottom: 2px solid #101828; padding: 6px 8px; }
td { border-bottom: 1px solid #d0d5dd; padding: 5px 8px; vertical-align: top; }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.good { color: #1a7f37; font-weight: 700; } .bad { color: #c62828; font-weight: 700; } .warn { color: #b26a00; font-weight: 700; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 10px 0 16px; }
.card { border: 2px solid #d0d5dd; border-radius: 8px; padding: 10px 12px; }
.card.bad { border-color: #c62828; } .card.warn { border-color: #b26a00; } .card.good { border-color: #1a7f37; }
.card .label { font-size: 13px; color: #344054; font-weight: 400; }
.card .value { font-size: 26px; font-weight: 700; color: #101828; }
.card .delta, .card .note { font-size: 13px; color: #344054; font-weight: 400; }
svg.chart { max-width: 810px; font-size: 12px; margin: 4px 0 10px; }
svg.chart text { fill: #101828; }
.empty { color: #344054; font-style: italic; }
@media print { h2 { break-before: page; } body { max-width: none; } }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


# ---------------------------------------------------------------------------------------
# .html


def _cell_html(cell, numeric: bool) -> str:
    classes = [c for c in (TONE_CLASS.get(cell.tone, ""), "num" if numeric else "") if c]
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{escape(cell.text)}</td>"


def _table_html(table: Table) -> str:
    if not table.rows:
        return f'<p class="empty">{escape(table.empty)}</p>'
    numeric = [table.numeric(i) for i in range(len(table.headers))]
    head = "".join(f'<th{" class=num" if n else ""}>{escape(h)}</th>' for h, n in zip(table.headers, numeric))
    body = "".join("<tr>" + "".join(_cell_html(c, n) for c, n in zip(row, numeric)) + "</tr>" for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cards_html(block: Block) -> str:
    out = []
    for card in block.cards:
        tone = TONE_CLASS.get(card.tone, "")
        lines = [f'<div class="label">{escape(card.label)}</div>', f'<div class="value">{escape(card.value)}</div>',
                 f'<div class="{tone}">{escape(card.status)}</div>']
        lines += [f'<div class="{cls}">{escape(text)}</div>'
                  for cls, text in (("delta", card.delta or ""), ("note", card.target), ("note", card.note)) if text]
        out.append(f'<div class="card {tone}">{"".join(lines)}</div>')
    return f'<div class="cards">{"".join(out)}</div>' if out else ""


def _block_html(block: Block) -> str:
    parts = [f"<h3>{escape(block.title)}</h3>"] if block.title else []
    parts += [f'<p class="lead">{escape(line)}</p>' for line in block.lines]
    parts.append(_cards_html(block))
    if block.chart is not None:
        parts.append(bars_svg(block.chart))
    if block.table is not None:
        parts.append(_table_html(block.table))
    return "".join(parts)


def _section_html(section: Section, lang: str) -> str:
    stage = f'<span class="stage {section.stage}">{escape(t(f"weekly.stage.{section.stage}", lang))}</span>'
    parts = [f'<section id="{section.key}"><h2>{stage}{escape(section.title)}</h2>']
    parts += [f'<p class="lead">{escape(line)}</p>' for line in section.lines]
    parts += [_block_html(b) for b in section.blocks]
    parts.append("</section>")
    return "".join(parts)


def html_report(review: WeeklyReview, configs: Configs) -> str:
    lang, week = review.lang, review.week
    parts = sections(review, configs)
    title = t("weekly.report.title", lang, week=week.label)
    lead = t("weekly.report.lead", lang, start=week.start.isoformat(), end=week.end.isoformat(),
             vs=week.previous().label, day=review.review_day.isoformat())
    contents = "".join(f'<li><a href="#{s.key}">{escape(t(f"weekly.stage.{s.stage}", lang))} · {escape(s.title)}</a></li>'
                       for s in parts)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p class=\"lead\">{escape(lead)}</p>"
        f"<nav><strong>{escape(t('weekly.report.contents', lang))}</strong><ol>{contents}</ol></nav></header>"
        + "".join(_section_html(s, lang) for s in parts)
        + "</body></html>\n"
    )


# ---------------------------------------------------------------------------------------
# .xlsx

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    name = _SHEET_BAD.sub(" ", title).strip()[:31] or "sheet"
    base, n = name, 2
    while name.lower() in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name.lower())
    return name


def _width(text: str) -> int:
    """Display width: a CJK character is two columns wide."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _write(ws, row: int, column: int, value, number_format: str | None = None, font=None):
    """One cell: text neutralised and stored as text (never a formula), numbers as numbers."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = neutralise(value)
        cell.data_type = "s"
    else:
        cell.value = value
        if number_format:
            cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _section_sheet(ws, section: Section, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    widths: dict[int, int] = {}
    _write(ws, 1, 1, f"{t(f'weekly.stage.{section.stage}', lang)} · {section.title}", font=Font(bold=True, size=14))
    row = 2
    for line in section.lines:
        _write(ws, row, 1, line, font=Font(italic=True, color="344054"))
        row += 1
    header_fill = PatternFill("solid", fgColor="F2F4F7")
    for block in section.blocks:
        row += 1
        if block.title:
            _write(ws, row, 1, block.title, font=Font(bold=True, size=12))
            row += 1
        for line in block.lines:
            _write(ws, row, 1, line)
            row += 1
        if block.table is None:
            continue
        if not block.table.rows:
            _write(ws, row, 1, block.table.empty, font=Font(italic=True))
            row += 1
            continue
        for col, header in enumerate(block.table.headers, start=1):
            cell = _write(ws, row, col, header, font=Font(bold=True))
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[col] = max(widths.get(col, 0), min(_width(header), 24))
        row += 1
        for cells in block.table.rows:
            for col, cell in enumerate(cells, start=1):
                colour = TONE_FONT.get(cell.tone)
                font = Font(bold=True, color=colour) if colour else None
                value = cell.value if cell.value is not None else fmt.DASH  # missing stays missing, never 0
                _write(ws, row, col, value, cell.number_format, font)
                widths[col] = max(widths.get(col, 0), _width(cell.text))
            row += 1
    from openpyxl.utils import get_column_letter

    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(10, width + 2), 60)


def xlsx_report(review: WeeklyReview, configs: Configs) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for section in sections(review, configs):
        _section_sheet(book.create_sheet(sheet_name(section.title, taken)), section, review.lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------


def report_bytes(review: WeeklyReview, configs: Configs, suffix: str) -> bytes:
    if suffix == ".html":
        return html_report(review, configs).encode("utf-8")
    if suffix == ".xlsx":
        return xlsx_report(review, configs)
    raise ValueError(f"a report is .html or .xlsx, not {suffix or 'a file without a suffix'}")


def file_name(review: WeeklyReview, suffix: str) -> str:
    return f"weekly_review_{review.week.label}{suffix}"


def write_report(path: Path, review: WeeklyReview, configs: Configs) -> Path:
    data = report_bytes(review, configs, path.suffix.lower())
    path.write_bytes(data)
    return path
