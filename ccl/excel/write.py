"""Writing report tables into worksheets: header row, typed cells, merged spans, fitted row heights."""

from __future__ import annotations

from datetime import date

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ccl.excel.common import PLAIN_STYLES, WRAP_STYLES, fit_row, merge_row, put, workbook_date_format
from ccl.excel.tables import Table, Val


def write_table(ws: Worksheet, table: Table, top: int, *, left: int = 1, spans: list[int] | None = None) -> int:
    """Header at row ``top`` and the rows below it; returns the last row written."""
    spans = spans or [1] * len(table.columns)
    starts = [left + sum(spans[:j]) for j in range(len(spans))]
    widths = _widths(ws, starts, spans)
    for j, col in enumerate(table.columns):
        span_put(ws, top, starts[j], spans[j], col.header, "ccl header")
    fit_row(ws, top, {starts[j]: c.header for j, c in enumerate(table.columns)}, widths)
    row = top
    for row_values in table.rows:
        row += 1
        texts = {}
        for j, value in enumerate(row_values):
            write_value(ws, row, starts[j], spans[j], value, table.columns[j].style)
            if isinstance(value, str) and table.columns[j].style in WRAP_STYLES:
                texts[starts[j]] = value
        fit_row(ws, row, texts, widths)
    return row


def _widths(ws: Worksheet, starts: list[int], spans: list[int]) -> dict[int, float]:
    out = {}
    for start, span in zip(starts, spans, strict=True):
        out[start] = sum(ws.column_dimensions[get_column_letter(start + k)].width or 8.43 for k in range(span))
    return out


def span_put(
    ws: Worksheet, row: int, col: int, span: int, value: object, style: str, number_format: str | None = None
) -> None:
    """One value across ``span`` columns of a row (merged when wider than one column)."""
    put(ws, row, col, value, style, number_format)
    if span > 1:
        if style not in PLAIN_STYLES:  # borders and fills must reach the merged cells; plain text need not
            for k in range(1, span):
                put(ws, row, col + k, None, style)
        merge_row(ws, row, col, col + span - 1)


def write_value(ws: Worksheet, row: int, col: int, span: int, value: object, style: str) -> None:
    """A table value: a Val brings its number format; a date in a text column gets the language's format."""
    if isinstance(value, Val):
        span_put(ws, row, col, span, value.value, style, value.fmt)
    elif isinstance(value, date) and "date" not in style:
        span_put(ws, row, col, span, value, style, workbook_date_format(ws.parent))
    else:
        span_put(ws, row, col, span, value, style)


def heading(ws: Worksheet, title: str, note: str, ncols: int, hidden: frozenset[int] = frozenset()) -> None:
    """Sheet title in row 1 and a wrapped note across the table in row 2, from the first shown column."""
    first = min(c for c in range(1, ncols + 1) if c not in hidden)
    put(ws, 1, first, title, "ccl title")
    ws.row_dimensions[1].height = 26
    put(ws, 2, first, note, "ccl note")
    merge_row(ws, 2, first, ncols)
    shown = [c for c in range(first, ncols + 1) if c not in hidden]
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in shown)
    fit_row(ws, 2, {first: note}, {first: width}, line_pt=12.5)
