"""Real-browser test of the Plan page: edit an owner and a status in the table, save, reload the draft link.

The table is a canvas grid (glide-data-grid): a cell is opened by a double click at its place and its text is
read from the grid's accessible table (``td#glide-cell-<column>-<row>``). Starts its own server on an empty
data folder, so the saved version can be read back from the SQLite store.
"""

# ruff: noqa: F811  (server and new_page are fixtures imported from test_drafts_e2e)

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ccl.i18n import plan_status_label, t
from ccl.samples import list_samples
from ccl.store import Store
from tests.browser.conftest import IDLE, choose, go, open_app, settle
from tests.browser.test_drafts_e2e import draft_id, new_page, server  # noqa: F401  (fixtures)
from ui.views.plan import ACTION_PX, OWNER_PX, STATUS_PX

pytestmark = pytest.mark.browser

SAMPLE = next(s for s in list_samples() if s.key == "10_xian_mid_remediation")
ACTION = "按计划话务员人数布置坐席"  # pe.seats: open, owned by 王磊（行政部）, a premises action
NEW_OWNER = "刘洋（行政部）"
SIDEBAR = '[data-testid="stSidebar"]'
GRID = '[data-testid="stDataFrame"]'
# the middle of the status and owner cells (ui/views/plan.py column widths)
STATUS_X, OWNER_X = ACTION_PX["zh"] + STATUS_PX // 2, ACTION_PX["zh"] + STATUS_PX + OWNER_PX // 2
HEADER, ROW = 38, 72  # header and row height (ui.tables.WRAP_ROW_HEIGHT)
TEXT_EDITOR = "#portal textarea, #portal input"

# The grid row (0-based) whose action cell holds the text, else -1; and that row's first three cells' texts.
FIND_ROW = """s => {
    const td = [...document.querySelectorAll('[data-testid="stDataFrame"] td')]
        .find(e => e.id.startsWith('glide-cell-0-') && e.innerText.includes(s));
    return td ? Number(td.id.split('-').pop()) : -1;
}"""
ROW_TEXTS = f"""s => {{
    const row = ({FIND_ROW})(s);
    if (row < 0) return [];
    return [0, 1, 2].map(c => (document.getElementById(`glide-cell-${{c}}-${{row}}`) || {{}}).innerText || '');
}}"""


def row_of(page, name: str) -> int:
    """The row of the action named ``name``, found and read in one step: the grid may be drawn anew (a filter,
    a rerun) between a check and a later read, which then found no such cell."""
    found = page.wait_for_function(f"s => ({FIND_ROW})(s) + 1", arg=name)
    return int(found.json_value()) - 1  # +1 above: row 0 is a found row, and 0 would mean "keep waiting"


def row_cells(page, name: str) -> list[str]:
    """The texts of the row of the action named ``name`` (empty when it is not drawn)."""
    return page.evaluate(ROW_TEXTS, name)


def shows_row(page, name: str, status: str, owner: str) -> None:
    """Wait until the action's row shows ``status`` and ``owner``, read in one step: a grid opened by a new session
    may be drawn anew (the filter's rerun) between two separate reads, which then found an empty cell."""
    try:
        page.wait_for_function(
            f"s => {{ const r = ({ROW_TEXTS})(s[0]); return r[1] === s[1] && r[2] === s[2]; }}",
            arg=[name, status, owner],
            timeout=15_000,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"the row of {name} shows {row_cells(page, name)}, not [{status!r}, {owner!r}]") from None


def only_premises(page) -> None:
    """Filter the table to the premises actions, so the edited one is among the first rows."""
    page.locator(".st-key-plan-dimension").get_by_role("button", name="场地", exact=True).click()
    page.wait_for_selector(IDLE)
    row_of(page, ACTION)


def open_cell(page, x: int, row: int, editor: str) -> None:
    """Double-click a cell until its editor (``editor``, in the grid's portal) shows: a grid drawn anew after the
    previous edit may take the first clicks as a selection."""
    for _ in range(3):
        page.wait_for_selector(IDLE)
        grid = page.locator(GRID).first
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        box = grid.bounding_box()
        page.mouse.dblclick(box["x"] + x, box["y"] + HEADER + ROW * row + ROW / 2)
        try:
            page.locator(editor).first.wait_for(timeout=3_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    page.locator(editor).first.wait_for()


def shows_cell(page, column: int, row: int, text: str) -> None:
    settle(
        page, "([id, s]) => (document.getElementById(id) || {}).innerText === s", [f"glide-cell-{column}-{row}", text]
    )


def test_plan_edits_are_saved_and_come_back_with_the_draft_link(server, new_page):
    page = new_page()
    open_app(page, server.url)
    choose(page, t("sidebar.load_sample", "zh"), SAMPLE.label("zh"), SAMPLE.load().company.name)
    go(page, "plan", "zh")
    only_premises(page)
    shows_row(page, ACTION, plan_status_label("open", "zh"), "王磊（行政部）")
    row = row_of(page, ACTION)

    open_cell(page, OWNER_X, row, TEXT_EDITOR)
    field = page.locator(TEXT_EDITOR).first
    field.fill(NEW_OWNER)
    field.press("Enter")
    shows_cell(page, 2, row_of(page, ACTION), NEW_OWNER)

    row = row_of(page, ACTION)
    open_cell(page, STATUS_X, row, "#portal [role=combobox]")
    page.locator("#portal [role=combobox]").first.click()  # the list opens on a click into the editor
    page.locator("#portal [role=option]", has_text=plan_status_label("in_progress", "zh")).click()
    shows_cell(page, 1, row_of(page, ACTION), plan_status_label("in_progress", "zh"))

    page.locator(".st-key-sb-save").get_by_role("button").click()
    settle(
        page,
        "s => document.querySelector('[data-testid=\"stSidebar\"]').innerText.includes(s)",
        t("store.saved", "zh", version=1),
    )
    link = f"{server.url}/?d={draft_id(page)}"

    # the draft link in a new tab: a new session, back on the Plan page with the edits
    again = new_page()
    again.goto(link)
    settle(
        again, "s => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === s)", t("plan.title", "zh")
    )
    only_premises(again)
    shows_row(again, ACTION, plan_status_label("in_progress", "zh"), NEW_OWNER)

    # the saved version holds them too
    with Store.open(f"sqlite:///{Path(server.env['CCL_DATA_DIR']) / 'ccl.sqlite3'}") as store:
        client = next(c for c in store.list_clients() if c.name == SAMPLE.load().company.name)
        saved = store.latest(client.id).profile
    seats = next(a for a in saved.plan if a.id == "pe.seats")
    assert (seats.owner, seats.status) == (NEW_OWNER, "in_progress")
