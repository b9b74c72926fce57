"""The whole portfolio as one Excel workbook: clients table with frozen header, autofilter, colours."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ccl import clock
from ccl.catalog.load import Catalog
from ccl.excel.common import (
    add_styles,
    date_format,
    fill,
    put,
    set_properties,
    set_widths,
    setup_print,
    text_width,
    workbook_bytes,
)
from ccl.i18n import Lang, status_label, t
from ccl.portfolio import VERDICT_ORDER, column_header, portfolio_table
from ccl.store.models import ClientSummary, local_time

# Light tints of Okabe–Ito vermillion, orange, sky blue and bluish green: dark text stays readable.
STATUS_FILLS = {"blocked": "F6C9B5", "not_ready": "FBE3B5", "nearly_ready": "D4EAF7", "ready": "C9E8DC"}
SCORE_SCALE = ("F5C77E", "FFFFFF", "9ACDEB")  # orange (low) → white (70) → blue (high): CVD-safe


def export_portfolio_xlsx(
    summaries: Sequence[ClientSummary], catalog: Catalog, lang: Lang, now: datetime | None = None
) -> bytes:
    """One workbook: the clients table with frozen header, autofilter and conditional colours.

    The plan's overdue and due-this-week counts are as of the export day (display time zone).
    """
    stamp = now or clock.now()
    frame = portfolio_table(summaries, catalog, lang, extended=True, today=local_time(stamp).date())
    wb = Workbook()
    add_styles(wb, lang)
    ws = wb.active
    ws.title = t("portfolio.sheet", lang)
    headers = [frame.index.name, *frame.columns]
    for col, header in enumerate(headers, 1):
        put(ws, 1, col, header, "ccl header")
    for r, (client_id, values) in enumerate(zip(frame.index, frame.itertuples(index=False), strict=True), 2):
        for col, value in enumerate([client_id, *values], 1):
            _put_value(ws, r, col, value, lang)
    _format_sheet(ws, frame, headers, catalog, lang)
    set_properties(
        wb,
        lang,
        title=t("portfolio.title", lang),
        subject=t("portfolio.sheet", lang),
        generated_on=local_time(stamp).date(),
        keywords="ccl-readiness portfolio",
    )
    return workbook_bytes(wb)


def _put_value(ws: Worksheet, row: int, col: int, value: Any, lang: Lang) -> None:
    if value is None or value is pd.NaT or value is pd.NA:  # no licence date yet; a plan not recorded
        put(ws, row, col, "—", "ccl center")
    elif isinstance(value, bool):
        put(ws, row, col, t("common.yes" if value else "common.no", lang), "ccl center")
    elif isinstance(value, datetime):  # last saved: its date as the other dates are written, then the time
        put(ws, row, col, value, "ccl center", number_format=f"{date_format(lang)} hh:mm")
    elif hasattr(value, "isoformat"):
        put(ws, row, col, value, "ccl date")
    elif isinstance(value, float):
        put(ws, row, col, value, "ccl num")
    elif isinstance(value, numbers.Integral):  # numpy's too (the plan's nullable counts)
        put(ws, row, col, int(value), "ccl int")
    else:
        put(ws, row, col, str(value), "ccl text")


def _format_sheet(ws: Worksheet, frame: pd.DataFrame, headers: list[str], catalog: Catalog, lang: Lang) -> None:
    last_row = max(2, len(frame) + 1)
    last_col = get_column_letter(len(headers))
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    widths = {
        i: min(44.0, max([8.0, text_width(str(h)) + 3] + [_cell_width(v) for v in frame.iloc[:, i - 2]]))
        for i, h in enumerate(headers, 1)
        if i > 1
    }
    widths[1] = 8.0
    set_widths(ws, widths)
    ws.row_dimensions[1].height = 32
    _conditional_colours(ws, headers, catalog, lang, last_row)
    setup_print(ws, lang, company=t("portfolio.title", lang), title=t("portfolio.sheet", lang), title_rows="1:1")


def _cell_width(value: Any) -> float:
    if isinstance(value, datetime):
        return 18.0
    if hasattr(value, "isoformat"):
        return 12.0
    return text_width(str(value)) + 2


def _letter(headers: list[str], name: str) -> str:
    return str(get_column_letter(headers.index(name) + 1))


def _conditional_colours(ws: Worksheet, headers: list[str], catalog: Catalog, lang: Lang, last_row: int) -> None:
    low, mid, high = SCORE_SCALE
    for name in [t("portfolio.col.overall", lang), *(d.name(lang) for d in catalog.dimensions)]:
        col = _letter(headers, name)
        ws.conditional_formatting.add(
            f"{col}2:{col}{last_row}",
            ColorScaleRule(
                start_type="num",
                start_value=0,
                start_color=low,
                mid_type="num",
                mid_value=70,
                mid_color=mid,
                end_type="num",
                end_value=100,
                end_color=high,
            ),
        )
    col = _letter(headers, t("portfolio.col.status", lang))
    for status in VERDICT_ORDER:
        label = status_label(status, lang).replace('"', '""')
        tint = STATUS_FILLS.get(status, STATUS_FILLS["ready" if status == "licensed" else "blocked"])
        ws.conditional_formatting.add(
            f"{col}2:{col}{last_row}",
            CellIsRule(operator="equal", formula=[f'"{label}"'], fill=fill(tint)),
        )
    col = _letter(headers, t("portfolio.col.blockers", lang))
    ws.conditional_formatting.add(
        f"{col}2:{col}{last_row}",
        CellIsRule(operator="greaterThan", formula=["0"], fill=fill(STATUS_FILLS["blocked"])),
    )
    # Overdue actions in the blocker tint, actions due this week in orange; "—" (no plan recorded) is
    # text, which Excel would rank above any number, hence ISNUMBER.
    for key, tint in (("plan_overdue", "blocked"), ("plan_due_soon", "not_ready")):
        col = _letter(headers, column_header(key, lang))
        ws.conditional_formatting.add(
            f"{col}2:{col}{last_row}",
            FormulaRule(formula=[f"AND(ISNUMBER({col}2),{col}2>0)"], fill=fill(STATUS_FILLS[tint])),
        )
