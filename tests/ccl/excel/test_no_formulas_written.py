"""Held and kept: no workbook this program writes holds a formula, whatever the user typed.

Every cell of every workbook kind (report in both languages for every sample, blank and pre-filled
questionnaire, portfolio export) is scanned; names that look like formulas (``=cmd|…``, ``+1``,
``@SUM``) must arrive as text.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import date

import pytest

from ccl.excel.portfolio import export_portfolio_xlsx
from ccl.excel.report import build_report
from ccl.excel.template import build_template
from ccl.store import Store, summary_of

DAY = date(2026, 11, 30)
TRICKS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://evil","x")']


CELL = re.compile(rb"<c [^>]*?(?:/>|>(.*?)</c>)", re.S)
TEXT = re.compile(rb"<t[^>]*>(.*?)</t>", re.S)


def _scan(data: bytes) -> tuple[int, list[str], list[str]]:
    """Cells written, the formula elements among them, and every text (read from the XML parts themselves,
    which is what Excel or WPS will read: a formula is an ``<f>`` element in a cell, whatever openpyxl makes of it)."""
    cells, formulas, texts = 0, [], []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            part = z.read(name)
            if name.startswith("xl/worksheets/sheet"):
                found = CELL.findall(part)
                cells += len(found)
                formulas += [f"{name}: {body[:80]!r}" for body in found if b"<f>" in body or b"<f " in body]
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                texts += [html.unescape(t.decode("utf-8")) for t in TEXT.findall(part)]
    return cells, formulas, texts


@pytest.mark.sweep
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
    scans = [_scan(data) for data in books]
    assert sum(cells for cells, _, _ in scans) > 10_000  # every kind of workbook, fully scanned
    assert [f for _, formulas, _ in scans for f in formulas] == []
    texts = {text for _, _, found in scans for text in found}
    assert all(any(trick in text for text in texts) for trick in TRICKS)  # kept, as text
