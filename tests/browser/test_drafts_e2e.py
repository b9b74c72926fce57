"""Real-browser tests of drafts: answers survive a reload, a new tab with the same link and a server restart;
two tabs on one draft: the stale one is told.

Each test starts its own ``streamlit run app.py`` on a temporary SQLite data folder (restarted on the same
folder to prove that drafts live in the database, not in the server's memory).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from ccl.i18n import t
from ccl.samples import list_samples
from tests.browser.conftest import (
    CHROMIUM,
    IDLE,
    ROOT,
    choose,
    free_port,
    go,
    open_app,
    settle,
    start_server,
    stop_server,
    wait_healthy,
)

pytestmark = pytest.mark.browser

SAMPLE = next(s for s in list_samples() if s.key == "03_chengdu_startup_undercapitalised")
CAPITAL = ".st-key-q-capital-registered_cny input"
SIDEBAR = '[data-testid="stSidebar"]'


class Server:
    """One app server on a data folder; ``restart()`` ends the process and starts a new one on it."""

    def __init__(self, folder: Path, env: dict[str, str] | None = None):
        self.folder = folder
        self.env = env or {**{k: v for k, v in os.environ.items() if k != "CCL_DATABASE_URL"}}
        self.env.setdefault("CCL_DATA_DIR", str(folder / "data"))
        self.proc = None
        self.url = ""

    def start(self) -> Server:
        port = free_port()
        self.proc = start_server(ROOT / "app.py", port, env=self.env, log=self.folder / f"streamlit-{port}.log")
        self.url = f"http://127.0.0.1:{port}"
        wait_healthy(self.url, self.proc)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            stop_server(self.proc)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture()
def server(tmp_path) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    srv = Server(tmp_path).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture()
def new_page(browser_context):
    pages = []

    def make():
        pg = browser_context.new_page()
        pg.set_default_timeout(30_000)
        pages.append(pg)
        return pg

    yield make
    for pg in pages:
        pg.close()


# --- steps ------------------------------------------------------------------------------------------------


def draft_id(page) -> str:
    """The draft id in the address once the app has written the draft."""
    page.wait_for_function("() => new URL(location.href).searchParams.get('d')")
    return parse_qs(urlparse(page.url).query)["d"][0]


def revision(server: Server, did: str) -> int:
    """The draft's revision as stored (read-only): each write bumps it."""
    path = Path(server.env["CCL_DATA_DIR"]) / "ccl.sqlite3"
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return db.execute("SELECT revision FROM drafts WHERE id = ?", (did,)).fetchone()[0]


def written(server: Server, did: str, after: int, timeout: float = 30) -> None:
    """Until the draft has been written since revision ``after`` (a field shows what was typed before the
    server has run with it, so the page alone cannot tell)."""
    deadline = time.monotonic() + timeout
    while revision(server, did) <= after:
        assert time.monotonic() < deadline, f"the draft was not written after revision {after}"
        time.sleep(0.1)


def heading(page, text: str) -> None:
    settle(page, "s => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === s)", text)


def set_language(page, lang: str) -> None:
    page.locator(SIDEBAR).get_by_text("English" if lang == "en" else "简体中文", exact=True).click()
    settle(
        page,
        "s => document.querySelector('[data-testid=\"stSidebarNav\"]').innerText.includes(s)",
        t("nav.overview", lang),
    )


def set_capital(page, typed: str, shown: str) -> None:
    """Type registered capital (万元 in Chinese, CNY in English); done when the field shows ``shown``."""
    field = page.locator(CAPITAL)
    field.fill(typed)
    field.press("Enter")
    settle(page, "([sel, v]) => document.querySelector(sel).value === v", [CAPITAL, shown])


def open_capital_section(page) -> None:
    go(page, "questionnaire", "zh")
    sections = page.get_by_role("radiogroup", name=t("questionnaire.section", "zh"))
    sections.get_by_role("radio", name=re.compile("^注册资本")).click()
    page.wait_for_selector(CAPITAL)
    page.wait_for_selector(IDLE)


def work_on_a_sample(page, url: str) -> str:
    """Load a sample, change an answer in the questionnaire, switch to English; returns the draft id."""
    open_app(page, url)
    choose(page, t("sidebar.load_sample", "zh"), SAMPLE.label("zh"), SAMPLE.load().company.name)
    open_capital_section(page)
    set_capital(page, "1200", "1200.00")
    set_language(page, "en")
    heading(page, t("questionnaire.title", "en"))
    return draft_id(page)


def assert_back_where_we_were(page, link: str) -> None:
    page.goto(link)
    heading(page, t("questionnaire.title", "en"))  # same page, same language
    page.wait_for_selector(CAPITAL)
    page.wait_for_selector(IDLE)
    assert page.locator(CAPITAL).input_value() == "12000000"  # same answers (1200 万元, shown in CNY)
    switcher = page.get_by_role("combobox", name=t("sidebar.current_company", "en"), exact=True)
    assert switcher.input_value() == SAMPLE.load().company.name  # same company
    assert t("store_ui.draft_kept", "en") in page.locator(SIDEBAR).inner_text()


# --- tests ------------------------------------------------------------------------------------------------


def test_answers_survive_reload_new_tab_and_server_restart(server, new_page):
    page = new_page()
    did = work_on_a_sample(page, server.url)
    assert t("store_ui.draft_kept", "en") in page.locator(SIDEBAR).inner_text()

    page.reload()  # F5 on the page's own address
    assert_back_where_we_were(page, page.url)

    # the bare link (no page in it) in a new tab: the draft's page is opened
    assert_back_where_we_were(new_page(), f"{server.url}/?d={did}")

    server.restart()  # a new process on the same data folder (another port: the link's host part changes)
    assert_back_where_we_were(new_page(), f"{server.url}/?d={did}")


def test_two_tabs_on_one_draft_the_stale_one_is_told(server, new_page):
    first = new_page()
    did = work_on_a_sample(first, server.url)
    second = new_page()
    assert_back_where_we_were(second, f"{server.url}/?d={did}")

    before = revision(server, did)
    set_capital(first, "15000000", "15000000")  # the first tab writes on top of what the second one loaded
    written(server, did, before)  # before the second tab writes: under load its write could land first
    set_language(second, "zh")  # the second tab's write finds a newer draft
    keep_mine = t("store_ui.draft_keep_mine", "zh")
    settle(
        page=second,
        effect="s => document.querySelector('[data-testid=\"stSidebar\"]').innerText.includes(s)",
        arg=keep_mine,
    )
    assert t("store_ui.draft_load_other", "zh") in second.locator(SIDEBAR).inner_text()

    second.locator(SIDEBAR).get_by_role("button", name=keep_mine).click()
    settle(
        second,
        "s => new URL(location.href).searchParams.get('d') && new URL(location.href).searchParams.get('d') !== s",
        did,
    )
    new_id = draft_id(second)
    assert new_id != did
    assert keep_mine not in second.locator(SIDEBAR).inner_text()

    # both drafts are kept: the first tab's link has its answers, the second tab's link has its own
    check = new_page()
    check.goto(f"{server.url}/?d={did}")
    heading(check, t("questionnaire.title", "en"))
    check.wait_for_selector(CAPITAL)
    assert check.locator(CAPITAL).input_value() == "15000000"
