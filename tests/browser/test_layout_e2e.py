"""Readable on a laptop and a projector: the consultant's demo at 1400 and 1024 px, layout checks down to 800 px.

One sample of each story is walked through the pages whose numbers and charts change with the story
(Overview → Gaps → Timeline) in Chinese (the longest, cross-regional, in English too), and one sample
through every page from 1400 down to 800 px; each page is checked at each width by resizing the window
rather than walking again, asserting what a client in the room would notice: a metric cut to "1…", a
table cell cut short or a table scrolled sideways, a red exception box, Gantt labels on top of each
other, a month printed twice on the date axis, a multiple-choice answer hidden behind a scroll; and the
action plan on a 390 px phone. With CCL_SCREENSHOTS=1 the pages go to artifacts/screenshots/
(layout-*.png); README screenshots are copied from there into docs/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ccl.catalog.load import load_catalog
from ccl.excel.report import sheet_names
from ccl.i18n import plan_status_label, t
from ccl.samples import list_samples
from tests.browser.conftest import IDLE, choose, go, open_app, shoot, shows_text
from tests.browser.test_e2e import set_language

pytestmark = pytest.mark.browser

SAMPLES = {s.key: s for s in list_samples()}
# Materials, Report, Rules and Plan are walked at every width with sample 07 below
DEMO = ("overview", "gaps", "timeline")
# One sample of each story in Chinese (blocked, half answered, licence holder, mid-remediation, blank branch;
# the cross-regional capital gap, 07, is walked on every page at three widths below): every sample's every
# page is already walked in both languages by AppTest (tests/ui/test_app_pages.py); the browser adds what
# only a browser sees — cut metrics, Gantt labels. English labels are longer: sample 07 (the longest
# texts) in English too.
STORIES = (
    "03_chengdu_startup_undercapitalised",
    "05_hangzhou_incomplete",
    "08_wuhan_branch_blank",
    "09_suzhou_licence_holder",
    "10_xian_mid_remediation",
)
DEMO_WIDTHS = (1400, 1024)
WALKS = [
    pytest.param("zh", STORIES, id="zh-stories"),
    pytest.param("en", ("07_shenzhen_cross_regional_capital_gap",), id="en"),
]
LAPTOP = "07_shenzhen_cross_regional_capital_gap"
LAPTOP_WIDTHS = (1400, 1024, 800)

# a metric value (or the markdown inside it) whose text is wider than its box is drawn with "…"
CLIPPED_METRICS = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .filter(e => [e, ...e.querySelectorAll('*')].some(n => n.scrollWidth > n.clientWidth + 1))
    .map(e => e.innerText)"""
LAZY = "() => !document.querySelector('[data-testid^=\"stSkeleton\"]')"
# the Gantt: milestone and stage labels (y ticks) and the date labels (x ticks) with their boxes
GANTT_TICKS = r"""() => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.querySelector('.barlayer'));
    const box = t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const shown = t => t.getBoundingClientRect().width > 0;  // plotly keeps hidden ticks as empty texts
    const frame = box(plot);
    return {
        y: [...plot.querySelectorAll('.ytick text')].filter(shown).map(t => [t.textContent, ...box(t)]),
        x: [...plot.querySelectorAll('.xtick text')].filter(shown).map(t => [t.textContent, ...box(t)]),
        // plotly turns date labels when they would collide; a turned label's box is wider than its text
        turned: [...plot.querySelectorAll('.xtick text')]
            .some(t => /rotate\((?!0)/.test(t.getAttribute('transform') || '')),
        frame,
    };
}"""


def dimension_name(dim: str) -> str:
    return load_catalog().dimension_by_id[dim].name("zh")


# every chart drawn as wide as its box again (plotly relayouts a responsive chart a moment after a resize)
CHARTS_FIT = """() => [...document.querySelectorAll('.js-plotly-plot')].every(p => {
    const svg = p.querySelector('.main-svg');
    return !svg || Math.abs(svg.getBoundingClientRect().width - p.getBoundingClientRect().width) < 2;
})"""


def at_width(page, width: int) -> None:
    """Resize the window: the page reflows without a rerun; done when every chart fits its box again."""
    if page.viewport_size["width"] != width:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)  # let a chart's box take its new width before the check can pass
        try:
            page.wait_for_function(CHARTS_FIT, timeout=3_000)
        except PlaywrightTimeout:  # a chart of fixed width: plotly's relayout is debounced by ~300 ms
            page.wait_for_timeout(400)


def visit(page, key: str, lang: str) -> None:
    go(page, key, lang)
    page.wait_for_function(LAZY)
    page.wait_for_timeout(300)


# A static table (ui.tables.static_table) cuts nothing when no cell's text is wider than its cell and the
# table needs no sideways scroll; hidden tables (the plan's cards on a wide screen) are skipped.
CUT_CELLS = """() => {
    const out = [];
    const main = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
    for (const wrap of document.querySelectorAll('.ccl-table-wrap')) {
        if (!wrap.offsetParent) continue;
        const box = wrap.getBoundingClientRect();
        if (wrap.scrollWidth > wrap.clientWidth + 1 || box.right > main.right + 1) out.push('sideways scroll');
        for (const c of wrap.querySelectorAll('th, td')) {
            if (c.offsetParent && c.scrollWidth > c.clientWidth + 1) out.push(c.innerText.slice(0, 40));
        }
    }
    return out;
}"""


# A choice among buttons (segmented control, pills) cut by its box: a button reaching past the element's edge.
CUT_CHOICES = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stButtonGroup"]')]
    .filter(g => g.offsetParent)
    .flatMap(g => {
        const edge = g.closest('[data-testid="stElementContainer"]').getBoundingClientRect().right;
        return [...g.querySelectorAll('button')].filter(b => b.getBoundingClientRect().right > edge + 1)
            .map(b => b.innerText.trim());
    })"""


def assert_readable(page, where: str) -> None:
    """No exception box, no metric cut short, no table cell cut or table scrolled sideways, no choice cut."""
    assert page.locator('[data-testid="stException"]').count() == 0, f"exception box on {where}"
    assert page.evaluate(CLIPPED_METRICS) == [], f"metric cut short on {where}"
    assert page.evaluate(CUT_CELLS) == [], f"table cut on {where}"
    assert page.evaluate(CUT_CHOICES) == [], f"choice cut on {where}"


def overlaps(a: list, b: list, slack: float = 0.5) -> bool:
    """Two label boxes [text, left, top, right, bottom] share more than a sub-pixel sliver."""
    return a[1] + slack < b[3] and b[1] + slack < a[3] and a[2] + slack < b[4] and b[2] + slack < a[4]


def assert_gantt_labels_apart(page, where: str, milestones: tuple[int, ...] = (0, 4)) -> None:
    page.wait_for_selector(".js-plotly-plot .barlayer")
    ticks = page.evaluate(GANTT_TICKS)
    labels = ticks["y"] + ticks["x"]
    left, top, right, bottom = ticks["frame"]
    for a in labels:
        assert left - 1 <= a[1] and a[3] <= right + 1 and top - 1 <= a[2] and a[4] <= bottom + 1, f"{a[0]} clipped"
    pairs = [(a, b) for i, a in enumerate(ticks["y"]) for b in ticks["y"][i + 1 :] + ticks["x"]]
    if not ticks["turned"]:
        pairs += [(a, b) for i, a in enumerate(ticks["x"]) for b in ticks["x"][i + 1 :]]
    for a, b in pairs:
        assert not overlaps(a, b), f"{where}: '{a[0]}' overlaps '{b[0]}'"
    months = [x[0] for x in ticks["x"]]
    assert len(months) >= 2 and len(months) == len(set(months)), f"{where}: repeated months {months}"
    # one row per milestone; none while a legal condition is unanswered (no date to show)
    assert sum(y[0].startswith("◆") for y in ticks["y"]) in milestones, f"{where}: one row per milestone"


@pytest.mark.parametrize(("lang", "keys"), WALKS)
def test_consultant_demo_walk(page, app_url, lang, keys):
    open_app(page, app_url)
    if lang == "en":
        set_language(page, "en")
    for n, key in enumerate(keys):
        sample = SAMPLES[key]
        choose(page, t("sidebar.load_sample", lang), sample.label(lang), sample.load().company.name)
        for page_key in DEMO:
            at_width(page, DEMO_WIDTHS[0])
            visit(page, page_key, lang)
            for width in DEMO_WIDTHS:
                at_width(page, width)
                where = f"{key} {page_key} {lang} {width}px"
                assert_readable(page, where)
                if page_key == "timeline" and not sample.load().licence.held:  # a holder's is its licence's life
                    assert_gantt_labels_apart(page, where)
                if n == 0:
                    shoot(page, f"layout-{lang}-{width}-{key[:2]}-{page_key}", width)


def test_layout_holds_at_laptop_widths(page, app_url):
    """From a projector down to 800 px, every page of one sample: metrics whole, Gantt labels apart, every
    chosen answer of a multiple choice shown."""
    open_app(page, app_url)
    sample = SAMPLES[LAPTOP]
    choose(page, t("sidebar.load_sample", "zh"), sample.label("zh"), sample.load().company.name)
    for key in ("overview", "gaps", "plan", "timeline", "materials", "rules", "report"):
        at_width(page, LAPTOP_WIDTHS[0])
        visit(page, key, "zh")
        for width in LAPTOP_WIDTHS:
            at_width(page, width)
            where = f"{key} at {width}px"
            assert_readable(page, where)
            if key == "timeline":
                assert_gantt_labels_apart(page, where)
            if key == "plan":  # the plan's Gantt has one milestone row: the submission
                assert_gantt_labels_apart(page, where, milestones=(0, 1))
            shoot(page, f"layout-zh-{width}-{key}", width)
    at_width(page, LAPTOP_WIDTHS[0])
    visit(page, "questionnaire", "zh")
    section = re.compile("^" + re.escape(dimension_name("premises_equipment")))
    page.get_by_role("radiogroup", name=t("questionnaire.section", "zh")).get_by_role("radio", name=section).click()
    field = page.locator(".st-key-q-premises_equipment-platform_functions")
    field.wait_for()
    page.wait_for_function(LAZY)
    chosen = sample.load().premises_equipment.platform_functions
    buttons = field.locator("button")
    assert buttons.count() >= len(chosen)
    assert page.locator('[data-testid="stMultiSelect"]').count() == 0  # no untranslatable "Select all"
    for width in LAPTOP_WIDTHS:
        at_width(page, width)
        box = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
        for i in range(buttons.count()):  # every option on screen in the page's column: none behind a scroll
            b = buttons.nth(i).bounding_box()
            assert b["x"] >= box["x"] - 1 and b["x"] + b["width"] <= box["x"] + box["width"] + 1, f"{width}px"
        shoot(page, f"layout-zh-{width}-questionnaire", width)


# --- tables: every value whole at 1400 and 1024 px, and the plan on a phone ---------------------------

# The plan's grid draws on a canvas: its text is read from the grid's accessible table and measured in the
# grid's font; a key column's text must fit its cell in three lines (the row holds three), a date in one.
GRID_OVERFLOW = r"""([selector, widths, lines]) => {
    const grid = document.querySelector(selector);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = '14px ' + getComputedStyle(grid).fontFamily;
    const out = [];
    let measured = 0;
    const total = widths.reduce((a, b) => a + b, 0);
    const shown = grid.getBoundingClientRect().width;
    if (shown < total) out.push(`key columns of ${total} px in a grid ${shown} px wide`);
    for (const td of grid.querySelectorAll('td[id^="glide-cell-"]')) {
        const [col] = td.id.split('-').slice(2).map(Number);
        if (col >= widths.length || !td.innerText.trim()) continue;
        // a date cell holds its ISO value; the grid shows it as the column's format (YYYY年M月D日)
        const iso = td.innerText.trim().match(/^(\d{4})-(\d\d)-(\d\d)/);
        const text = iso ? `${iso[1]}年${+iso[2]}月${+iso[3]}日` : td.innerText.trim();
        const width = ctx.measureText(text).width;
        measured += 1;
        if (Math.ceil(width / (widths[col] - 16)) > lines[col]) out.push(td.innerText);
    }
    return {measured, cut: out};
}"""
PREVIEW_SHEETS = ("gaps", "plan")  # the report preview's sheets with the longest texts (the walk sees the summary)


def test_plan_and_report_tables_whole_at_1400_and_1024_and_the_plan_on_a_phone(page, app_url):
    """What the walks above do not see of the mid-remediation sample: the plan grid's key cells and the Report
    preview's gap and plan sheets whole at 1400 and 1024 px (every static table on every walked page is
    checked by ``assert_readable``); then the plan at 390 px as cards one can edit (one session for both)."""
    from ui.views.plan import ACTION_PX, DUE_PX, OWNER_PX, STATUS_PX, TABLE_ROWS

    sample = SAMPLES["10_xian_mid_remediation"]
    open_app(page, app_url)
    choose(page, t("sidebar.load_sample", "zh"), sample.label("zh"), sample.load().company.name)
    sheets = sheet_names("zh")
    for key in ("report", "plan"):  # the plan last: the phone's checks go on from there
        at_width(page, 1400)
        visit(page, key, "zh")
        for width in DEMO_WIDTHS:
            at_width(page, width)
            where = f"{key} at {width}px"
            assert_readable(page, where)
            if key == "plan":  # the grid's key columns: action, status, owner, due
                page.wait_for_selector('.st-key-plan-grid td[id^="glide-cell-0-"]', state="attached")
                widths = [ACTION_PX["zh"], STATUS_PX, OWNER_PX, DUE_PX]
                grid = '.st-key-plan-grid [data-testid="stDataFrame"]'
                found = page.evaluate(GRID_OVERFLOW, [grid, widths, [3, 1, 3, 1]])
                assert found["measured"] >= 4 * TABLE_ROWS and found["cut"] == [], f"{where}: {found}"
                shoot(page, f"layout-zh-{width}-10-plan", width)
            else:
                for sheet in PREVIEW_SHEETS:
                    page.locator(".st-key-rp-sheet").get_by_role("radio", name=sheets[sheet], exact=True).click()
                    page.wait_for_selector(IDLE)
                    page.wait_for_timeout(300)
                    assert page.locator(".st-report-preview:visible").count() == 1, f"{where}: no {sheet} preview"
                    assert_readable(page, f"{where}, sheet {sheet}")
    plan_on_a_phone(page)


PHONE_SEATS = "按计划话务员人数布置坐席（工位、耳麦、终端）"  # pe.seats in sample 10: open, owned by 王磊（行政部）
PHONE_REASON = "坐席由外包方提供，无需自建"


def plan_on_a_phone(page) -> None:
    """The plan page at 390 × 844: the plan as cards (action, status, owner, due, marks), a dated list instead
    of the Gantt, no chart toolbar, and an action waived through the panel — refused without a reason, saved
    with one."""
    page.set_viewport_size({"width": 390, "height": 844})  # on the plan page: the window shrinks, nothing reruns
    page.wait_for_timeout(500)
    assert not page.locator(".st-key-plan-grid").is_visible() and not page.locator(".st-key-plan-gantt").is_visible()
    cards = page.locator(".ccl-plan-cards tr.ccl-row")
    assert cards.count() == 32
    first = cards.first.inner_text()  # the overdue trunk contract comes first
    assert all(s in first for s in ("王磊（行政部）", "2026年11月20日", "⚠ " + t("plan.flag.overdue", "zh"))), first
    assert page.locator(".st-key-plan-dated tr.ccl-row").first.is_visible()
    assert page.locator(".modebar-btn").count() == 0, "no chart toolbar over the labels"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_readable(page, "plan at 390px")
    shoot(page, "layout-zh-390-10-plan", 390)
    page.set_viewport_size({"width": 390, "height": 844})

    pick = page.get_by_role("combobox", name=t("plan_ui.pick", "zh"), exact=True)
    pick.scroll_into_view_if_needed()
    pick.click()
    page.keyboard.type(PHONE_SEATS[:11])  # the list shows its first options only: narrow it down
    page.get_by_role("option", name=PHONE_SEATS, exact=True).click()
    panel = page.locator(".st-key-plan-panel")
    panel.wait_for()
    page.wait_for_selector(IDLE)
    panel.get_by_role("combobox", name=t("plan.col.status", "zh"), exact=True).click()
    page.get_by_role("option", name=plan_status_label("waived", "zh"), exact=True).click()
    panel.get_by_role("button", name=t("plan_ui.edit_submit", "zh")).click()
    shows_text(page, t("plan_ui.problem_waived", "zh", action=PHONE_SEATS))  # refused: a waiver needs a reason
    panel.get_by_role("textbox", name=t("plan.col.reason", "zh")).fill(PHONE_REASON)
    panel.get_by_role("button", name=t("plan_ui.edit_submit", "zh")).click()
    shows_text(page, t("plan_ui.edit_done", "zh", action=PHONE_SEATS))
    card = page.locator(".ccl-plan-cards tr.ccl-row", has_text=PHONE_SEATS)
    assert plan_status_label("waived", "zh") in card.inner_text()
    assert PHONE_REASON in page.locator(".ccl-plan-cards").inner_text()  # the reason, under its card
