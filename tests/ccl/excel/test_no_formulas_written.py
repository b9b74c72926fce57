"""Held and kept: no workbook this program writes holds a formula, whatever the user typed.

Every cell of every workbook kind (report in both languages for every sample, blank and pre-filled
questionnaire, portfolio export) is scanned; names that look like formulas (``=cmd|…``, ``+1``,
``@SUM``) must arrive as text.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from ccl.excel.portfolio import export_portfolio_xlsx
from ccl.excel.report import build_report
from ccl.excel.template import build_template
from ccl.store import Store, summary_of

DAY = date(2026, 11, 30)
TRICKS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://evil","x")']


def _cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    wb.close()
    return cells


def test_no_written_cell_is_a_formula(engine, samples, tmp_path) -> None:
    books = []
    profiles = [s.load() for s in samples]
    for prof in profiles:  # every sample in both languages
        ev = engine.evaluate(prof, DAY)
        books += [build_report(ev, engine, lang, DAY) for lang in ("zh", "en")]
    tricky = [profiles[0].with_answer("company.name", trick) for trick in TRICKS]
    for i, prof in enumerate(tricky):  # formula-like names in each kind of workbook
        books.append(build_report(engine.evaluate(prof, DAY), engine, ("zh", "en")[i % 2], DAY))
        books.append(build_template(engine, ("zh", "en")[i % 2], prof))
    books.append(build_template(engine, "en", None))
    profiles = tricky
    with Store.open(f"sqlite:///{tmp_path / 'ccl.sqlite3'}") as store:
        for prof in profiles:
            store.save(None, prof, summary_of(engine.evaluate(prof, DAY)), TRICKS[0], name=prof.company.name)
        books.append(export_portfolio_xlsx(store.list_clients(), engine.catalog, "zh"))
    cells = [c for data in books for c in _cells(data)]
    assert len(cells) > 10_000  # every kind of workbook, fully scanned
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert all(any(trick in text for text in texts) for trick in TRICKS)  # kept, as text
