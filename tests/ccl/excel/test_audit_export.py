"""The audit log download: CSV and Excel carry every entry in the user's language, and user text stays text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl

from ccl.excel.audit import audit_csv, audit_xlsx
from ccl.store.models import AuditEntry

ENTRIES = [
    AuditEntry(
        at=datetime(2026, 11, 29, 8, 5, 7, 123456, tzinfo=UTC),
        who='=HYPERLINK("http://evil")',
        action="delete",
        client_id=7,
        client_name="北京某某科技有限公司",
        version=None,
        workspace="beijing",
    ),
    AuditEntry(
        at=datetime(2026, 11, 29, 8, 0, tzinfo=UTC),
        who="王经理 <wang@example.com>",
        action="save",
        client_id=7,
        client_name="北京某某科技有限公司",
        version=3,
        workspace=None,
    ),
]


def test_csv_has_translated_headers_and_actions_and_defuses_formulas():
    rows = list(csv.reader(io.StringIO(audit_csv(ENTRIES, "zh").decode("utf-8-sig"))))
    assert rows[0] == ["时间", "操作人", "操作", "客户编号", "客户", "版本", "工作区"]
    assert rows[1] == [
        "2026-11-29 08:05:07",
        '\'=HYPERLINK("http://evil")',
        "删除",
        "7",
        "北京某某科技有限公司",
        "",
        "beijing",
    ]
    assert rows[2][1:6] == ["王经理 <wang@example.com>", "保存", "7", "北京某某科技有限公司", "3"]
    assert audit_csv(ENTRIES, "en").decode("utf-8-sig").splitlines()[0].startswith("When,Who,Action")


def test_workbook_holds_every_entry_with_no_formula_cell():
    ws = openpyxl.load_workbook(io.BytesIO(audit_xlsx(ENTRIES, "en"))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["When", "Who", "Action", "Client ID", "Client", "Version", "Workspace"]
    assert values[1][0] == datetime(2026, 11, 29, 8, 5, 7)  # UTC, to the second
    assert values[1][2] == "deleted" and values[2][2] == "saved" and values[2][5] == 3
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
