"""The Gantt chart of the Timeline sheet, drawn with conditional formatting (one column per period).

Each stage row gets a rule that fills the period columns between its start and end dates, in the
colour of its dimension (remediation, paler when it may run until issuance) or of the procedure.
Because the bars are rules over the start and end cells, a consultant who moves a date in Excel sees
the bar follow. An action's due date is marked ▲ in its period (red when it cannot hold), key dates ◆.
"""

from __future__ import annotations

from datetime import date, timedelta

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ccl.excel.common import ACCENT, FONTS, fill, put, workbook_date_format
from ccl.excel.tables import Table
from ccl.i18n import Lang, fmt_date, t
from ccl.timeline import Timeline

GANTT_WIDTH = 2.6
GRID = Border(*(Side(style="thin", color="D9D9D9"),) * 4)
START_COL, END_COL = "D", "E"  # the stage table's start and end date columns
KEY_DATE, DUE = "◆", "▲"
MISSED_INK = "C00000"  # a due date that cannot hold


def bucket_days(tl: Timeline) -> int:
    """Days per Gantt column: a week, or two or four weeks for long projections."""
    span = (tl.end - tl.start).days + 1
    return 7 if span <= 280 else 14 if span <= 560 else 28


def periods(tl: Timeline) -> list[date]:
    """First day of every Gantt column, from the Monday of the start week to the end of the last stage."""
    days = bucket_days(tl)
    first = tl.start - timedelta(days=tl.start.weekday())
    count = (tl.end - first).days // days + 1
    return [first + timedelta(days=days * k) for k in range(count)]


def timeline_note(tl: Timeline, lang: Lang, by_plan: bool = False) -> str:
    """How the sheet was projected and what the colours and marks mean (the plan's version when ``by_plan``)."""
    k = "xlsx_timeline_plan." if by_plan else "xlsx_timeline."
    note = t(k + "note", lang, start=fmt_date(tl.start, lang), days=bucket_days(tl))
    return f"{note}{'' if lang == 'zh' else ' '}{t(k + 'legend', lang)}"


def write_gantt(ws: Worksheet, tl: Timeline, lang: Lang, table: Table, header_row: int) -> None:
    """Period columns right of the stage table: a fill rule per stage row, ◆ on key-date rows."""
    starts = periods(tl)
    first_col = len(table.columns) + 1
    _period_headers(ws, starts, first_col, header_row)
    first_letter = get_column_letter(first_col)
    last_letter = get_column_letter(first_col + len(starts) - 1)
    span = bucket_days(tl) - 1
    marker = Font(name=FONTS[lang], color=ACCENT, bold=True, size=9)
    missed = Font(name=FONTS[lang], color=MISSED_INK, bold=True, size=9)
    for row, (values, colour) in enumerate(zip(table.rows, table.colours, strict=True), header_row + 1):
        if colour is None:
            _mark(ws, row, values[3], starts, first_col, span + 1, marker)
            continue
        stage = tl.stages[row - header_row - 1]
        if stage.due is not None:
            _mark(ws, row, stage.due, starts, first_col, span + 1, missed if stage.due_missed else marker, DUE)
        formula = (
            f"AND({first_letter}${header_row}<=${END_COL}{row},{first_letter}${header_row}+{span}>=${START_COL}{row})"
        )
        ws.conditional_formatting.add(
            f"{first_letter}{row}:{last_letter}{row}", FormulaRule(formula=[formula], fill=fill(colour))
        )
    # the grid is a rule too: a thousand bordered empty cells would double the time to save the file
    grid = f"{first_letter}{header_row + 1}:{last_letter}{header_row + len(table.rows)}"
    ws.conditional_formatting.add(grid, FormulaRule(formula=["TRUE"], border=GRID))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)


def _mark(
    ws: Worksheet,
    row: int,
    when: date,
    starts: list[date],
    first_col: int,
    days: int,
    font: Font,
    symbol: str = KEY_DATE,
) -> None:
    """A symbol in the period column holding ``when`` (nothing when the date is off the chart)."""
    if starts[0] <= when < starts[-1] + timedelta(days=days):
        cell = ws.cell(row=row, column=first_col + (when - starts[0]).days // days)
        put(ws, row, cell.column, symbol)
        cell.font = font


def _period_headers(ws: Worksheet, starts: list[date], first_col: int, header_row: int) -> None:
    rotated = Alignment(textRotation=90, horizontal="center", vertical="bottom")
    for k, day in enumerate(starts):
        col = first_col + k
        cell = put(ws, header_row, col, day, "ccl header", workbook_date_format(ws.parent))  # 2026年11月30日
        cell.alignment = rotated
        ws.column_dimensions[get_column_letter(col)].width = GANTT_WIDTH
    ws.row_dimensions[header_row].height = max(ws.row_dimensions[header_row].height or 0, 84)
