"""Real-browser test of the notes-and-evidence editor: cells typed into the grid reach the profile.

AppTest cannot type into a data editor (it only seeds the edit state), so this drives Chromium: a
document typed into the empty last row shows up in the summary under the answer; a row with a place
but no name gets a message naming the question and the row, and the row before it stays saved.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ccl.i18n import t
from ccl.samples import list_samples
from tests.browser.conftest import IDLE, choose, go, open_app, settle, shows_text

pytestmark = pytest.mark.browser

XIAN = next(s for s in list_samples() if s.key == "10_xian_mid_remediation")
HEADER, ROW = 35, 35  # the grid's header and row heights (px)


def type_cell(page, grid, row: int, column_share: float, text: str) -> None:
    """Open a cell's editor (row 0 = first data row; column by its share of the width), fill it, commit."""
    box = grid.bounding_box()
    x = box["x"] + 30 + column_share * (box["width"] - 30)  # past the row-marker column
    y = box["y"] + HEADER + row * ROW + ROW / 2
    editor = page.locator("textarea.gdg-input")  # the grid's cell editor, drawn over the canvas
    for _ in range(3):  # under load the first click may land before the grid takes clicks
        page.mouse.dblclick(x, y)
        try:
            editor.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    editor.fill(text)
    editor.press("Enter")


def test_a_typed_document_is_saved_and_a_nameless_row_is_named(page, app_url):
    open_app(page, app_url)
    choose(page, t("sidebar.load_sample", "zh"), XIAN.label("zh"), XIAN.load().company.name)
    go(page, "questionnaire", "zh")
    sections = page.get_by_role("radiogroup", name=t("questionnaire.section", "zh"))
    sections.get_by_role("radio", name=re.compile("^申请材料")).click()
    button = page.locator(".st-key-evb-materials-commitment_letter button")
    button.wait_for()
    page.wait_for_selector(IDLE)
    assert button.inner_text().endswith(t("evidence_ui.button", "zh"))  # nothing recorded yet: no count
    button.click()
    grid = page.locator(".st-key-ev-box-materials-commitment_letter [data-testid='stDataFrame']")
    grid.wait_for()
    page.wait_for_selector(IDLE)
    grid.scroll_into_view_if_needed()
    type_cell(page, grid, 0, 0.1, "承诺书签字版")
    shows_text(page, "承诺书签字版")
    settle(
        page,
        "() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
        ".some(c => c.innerText.includes('承诺书签字版'))",
    )
    type_cell(page, grid, 1, 0.6, "行政部抽屉")
    shows_text(page, "「依法经营承诺书」第 2 行：请填写文件名称")
    page.locator(".st-key-evb-materials-commitment_letter button").click()  # close: the count shows
    settle(
        page,
        "s => document.querySelector('.st-key-evb-materials-commitment_letter').innerText.includes(s)",
        "证据 1",
    )
