"""Real-browser test of saved assessments: save two samples, change and save again, History and Portfolio.

Starts its own ``streamlit run app.py`` with a temporary ``CCL_DATA_DIR`` (the shared ``app_url``
fixture uses the per-user database), so the run starts from an empty SQLite file and leaves nothing
behind. Screenshots go to artifacts/screenshots/{zh,en}-{history,portfolio}.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccl.i18n import t
from ccl.samples import list_samples
from tests.browser.conftest import (
    CHROMIUM,
    IDLE,
    ROOT,
    free_port,
    settle,
    shoot,
    start_server,
    stop_server,
    wait_healthy,
)
from tests.browser.test_layout_e2e import GRID_OVERFLOW
from ui.views.portfolio import KEY_COLUMNS, WIDTHS

pytestmark = pytest.mark.browser

SAMPLES = {s.key: s for s in list_samples()}
CHENGDU = SAMPLES["03_chengdu_startup_undercapitalised"]
GUANGZHOU = SAMPLES["01_guangzhou_ready"]
SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMain"]'
RAW_KEY = re.compile(r"\b(store_ui|history_page|portfolio_page|portfolio|history|store|batch)\.[a-z_]+\b")


@pytest.fixture(scope="module")
def store_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free port with its own empty database."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    folder = tmp_path_factory.mktemp("store-e2e")
    env = {k: v for k, v in os.environ.items() if k != "CCL_DATABASE_URL"}
    env["CCL_DATA_DIR"] = str(folder / "data")
    port = free_port()
    proc = start_server(ROOT / "app.py", port, env=env, log=folder / "streamlit.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop_server(proc)


@pytest.fixture()
def page(browser_context, store_app):
    pg = browser_context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    pg.close()


# --- steps ------------------------------------------------------------------------------------------------


def shows(page, where: str, text: str) -> None:
    settle(page, "([w, s]) => document.querySelector(w).innerText.includes(s)", [where, text])


def widget(page, key: str):
    """The element of the widget with this key (Streamlit adds the class st-key-<key, ':' and '.' as '-'>)."""
    return page.locator(".st-key-" + re.sub(r"[:.]", "-", key))


def load_sample(page, sample) -> None:
    box = page.get_by_role("combobox", name=t("sidebar.load_sample", "zh"), exact=True)
    box.scroll_into_view_if_needed()  # below the fold of the sidebar: a click that scrolls may not open it
    page.wait_for_timeout(300)
    box.click()
    page.get_by_role("option", name=sample.label("zh"), exact=True).click()
    shows(page, MAIN, sample.load().company.name)


def save(page, version: int) -> None:
    widget(page, "sb:save").get_by_role("button").click()
    shows(page, SIDEBAR, t("store.saved", "zh", version=version))


def change_capital(page, wan: str) -> None:
    go(page, "questionnaire", t("questionnaire.title", "zh"))
    sections = page.get_by_role("radiogroup", name=t("questionnaire.section", "zh"))
    sections.get_by_role("radio", name=re.compile("^注册资本")).click()
    field = widget(page, "q:capital.registered_cny").locator("input")
    field.wait_for()
    page.wait_for_selector(IDLE)
    field.fill(wan)
    field.press("Enter")
    shows(page, SIDEBAR, t("store_ui.unsaved", "zh"))


def go(page, key: str, title: str) -> None:
    nav = page.locator('[data-testid="stSidebarNav"]')
    lang = "en" if nav.get_by_text(t("nav.overview", "en"), exact=True).count() else "zh"
    nav.get_by_role("link", name=t(f"nav.{key}", lang), exact=True).click()
    settle(page, "s => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === s)", title)


def set_language(page, lang: str) -> None:
    page.locator(SIDEBAR).get_by_text("English" if lang == "en" else "简体中文", exact=True).click()
    shows(page, '[data-testid="stSidebarNav"]', t("nav.overview", lang))


def charts_rendered(page, layers: list[str]) -> None:
    """Exactly these plotly charts, in order, each with its trace layer drawn."""
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(400)  # plotly's first layout
    plots = page.locator(f"{MAIN} .js-plotly-plot")
    assert plots.count() == len(layers)
    for i, layer in enumerate(layers):
        assert plots.nth(i).locator(f"svg .{layer}").count() > 0, f"chart {i}: no {layer}"


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator(MAIN).inner_text() + page.locator(SIDEBAR).inner_text()
    assert not RAW_KEY.search(text), RAW_KEY.search(text)


def batch_import(page, folder: Path) -> None:
    good = folder / "guangzhou.json"
    good.write_bytes(GUANGZHOU.path.read_bytes())
    bad = folder / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    widget(page, "pf:upload:0").locator('input[type="file"]').set_input_files([str(good), str(bad)])
    button = widget(page, "pf:import").get_by_role("button")
    page.wait_for_function("el => !el.disabled", arg=button.element_handle())
    button.click()
    shows(page, MAIN, t("batch.summary", "zh", saved=1, failed=1))


# --- the test -----------------------------------------------------------------------------------------------


def test_history_and_portfolio_in_both_languages(page, store_app, tmp_path):
    page.goto(store_app)
    page.wait_for_selector('[data-testid="stSidebarNav"]')
    page.wait_for_selector(IDLE)
    saved_by = widget(page, "sb:saved_by").locator("input")
    saved_by.fill("王经理")
    saved_by.press("Enter")
    page.wait_for_timeout(800)  # the rerun shows no visible effect to wait for
    page.wait_for_selector(IDLE)
    load_sample(page, GUANGZHOU)
    save(page, 1)
    load_sample(page, CHENGDU)
    save(page, 1)
    change_capital(page, "200")
    save(page, 2)

    for lang in ("zh", "en"):
        if lang == "en":
            set_language(page, "en")
        go(page, "history", t("history_page.title", lang))
        shows(page, MAIN, t("history_page.answers_title", lang, n=1))
        charts_rendered(page, ["scatterlayer", "barlayer", "polarlayer"])  # score trend, plan progress, radar
        assert page.locator(MAIN).get_by_text(CHENGDU.load().company.name).first.is_visible()
        no_exception(page)
        shoot(page, f"{lang}-history")

        go(page, "portfolio", t("portfolio.title", lang))
        if lang == "zh":
            batch_import(page, tmp_path)
        shows(page, MAIN, t("portfolio_page.shown", lang, n=2, total=2))
        charts_rendered(page, ["heatmaplayer"])
        assert page.locator(f'{MAIN} [data-testid="stDataFrame"]').count() == 1
        no_exception(page)
        shoot(page, f"{lang}-portfolio")
        if lang == "zh":  # at 1024 px the key columns stay whole, company and readiness wrapping onto 2 lines
            page.set_viewport_size({"width": 1024, "height": 900})
            page.wait_for_timeout(500)
            widths = [0, *(WIDTHS["zh"][k] for k in KEY_COLUMNS)]  # 0: the selection column
            grid = f'{MAIN} [data-testid="stDataFrame"]'
            found = page.evaluate(GRID_OVERFLOW, [grid, widths, [1, 2, 2, 1, 1, 1]])
            assert found["measured"] == 2 * 5 and found["cut"] == [], found  # the dates: 年月日, or "—"
            shoot(page, "zh-portfolio-1024")
            page.set_viewport_size({"width": 1440, "height": 900})

    # the language switched on the History page itself: the version boxes speak the new language and keep
    # the versions chosen (a box kept the label it was drawn with: "v1 (…)" under Chinese headings)
    go(page, "history", t("history_page.title", "en"))
    shows(page, MAIN, t("history_page.answers_title", "en", n=1))
    set_language(page, "zh")
    shows(page, MAIN, t("history_page.answers_title", "zh", n=1))
    # widgets out of view are drawn lazily: bring the comparison into view first
    page.locator(MAIN).get_by_text(t("history_page.compare_title", "zh"), exact=True).scroll_into_view_if_needed()
    # the chosen option is drawn as text or held in the box's input, depending on the box's state
    drawn = "el => el.textContent + [...el.querySelectorAll('input')].map(i => i.value).join(' ')"
    for key, version in (("hist:from", 1), ("hist:to", 2)):
        shown = t("history_page.version_label", "zh", version=version, date="")[:5]  # "第 1 版"
        box = widget(page, key).element_handle()
        page.wait_for_function(f"([el, s]) => ({drawn})(el).includes(s)", arg=[box, shown])
        assert f"v{version}" not in page.evaluate(drawn, box)
    no_exception(page)
