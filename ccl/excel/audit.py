"""The audit log as a download: CSV (UTF-8 with BOM, so Excel shows Chinese) or an Excel workbook.

User text (who, client names) can never become a formula: the workbook writes it through ``put``; the
CSV prefixes formula-like text with an apostrophe, as spreadsheets do for typed text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from ccl.excel.common import formula_like, put, set_widths, workbook_bytes
from ccl.i18n import Lang, t
from ccl.store.models import AuditEntry

COLUMNS = ("at", "who", "action", "client_id", "client", "version", "workspace")
WIDTHS = (20, 36, 14, 10, 36, 8, 16)


def audit_headers(lang: Lang) -> list[str]:
    """The column titles in the user's language."""
    return [t(f"audit.col_{c}", lang) for c in COLUMNS]


def audit_rows(entries: Sequence[AuditEntry], lang: Lang) -> list[list[Any]]:
    """One row per entry: UTC time (naive, for spreadsheets), who, action, client, version, workspace."""
    return [
        [
            e.at.replace(tzinfo=None, microsecond=0),
            e.who,
            t(f"audit.action.{e.action}", lang),
            e.client_id,
            e.client_name,
            e.version,
            e.workspace or "",
        ]
        for e in entries
    ]


def _csv_cell(value: Any) -> Any:
    return f"'{value}" if isinstance(value, str) and formula_like(value) else value


def audit_csv(entries: Sequence[AuditEntry], lang: Lang) -> bytes:
    """The log as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(audit_headers(lang))
    for row in audit_rows(entries, lang):
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def audit_xlsx(entries: Sequence[AuditEntry], lang: Lang) -> bytes:
    """The log as a one-sheet workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("audit.sheet", lang)
    for col, head in enumerate(audit_headers(lang), 1):
        put(ws, 1, col, head)
    for r, row in enumerate(audit_rows(entries, lang), 2):
        for col, value in enumerate(row, 1):
            put(ws, r, col, value, number_format="yyyy-mm-dd hh:mm:ss" if col == 1 else None)
    ws.freeze_panes = "A2"
    set_widths(ws, dict(enumerate(WIDTHS, 1)))
    return workbook_bytes(wb)
