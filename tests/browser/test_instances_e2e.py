"""Two app servers on one PostgreSQL database (the README's team setup): a save in one is listed in the
other, and a draft link opened through the other resumes.

Needs $CCL_TEST_DATABASE_URL (a PostgreSQL server the tests may create databases on): a fresh database
``ccl_e2e_<random>`` is created for the test and dropped afterwards; the server itself is never touched.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url
from store_support import PG_URL, needs_pg

from ccl.i18n import t
from ccl.samples import list_samples
from tests.browser.conftest import CHROMIUM, IDLE, choose, go, open_app, settle
from tests.browser.test_drafts_e2e import SIDEBAR, Server, draft_id, heading

pytestmark = [pytest.mark.browser, pytest.mark.postgres, needs_pg]

SAMPLE = next(s for s in list_samples() if s.key == "01_guangzhou_ready")
MAIN = '[data-testid="stMain"]'


@pytest.fixture()
def team_database() -> Iterator[str]:
    """A new, empty database on the test server; dropped (with any connection left) afterwards."""
    import psycopg

    name = f"ccl_e2e_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(PG_URL.replace("postgresql+psycopg://", "postgresql://", 1))
    admin = admin_url.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture()
def two_instances(team_database, tmp_path) -> Iterator[tuple[Server, Server]]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    env = {**os.environ, "CCL_DATABASE_URL": team_database}
    servers = [Server(tmp_path / name, dict(env)) for name in ("one", "two")]
    for srv in servers:
        srv.folder.mkdir()
    try:
        for srv in servers:
            srv.start()
        yield servers[0], servers[1]
    finally:
        for srv in servers:
            srv.stop()


def shows(page, where: str, text: str) -> None:
    settle(page, "([w, s]) => document.querySelector(w).innerText.includes(s)", [where, text])


def test_two_instances_share_saves_and_drafts(two_instances, browser_context):
    one, two = two_instances
    first, second, third = (browser_context.new_page() for _ in range(3))
    for pg in (first, second, third):
        pg.set_default_timeout(90_000)  # three servers and a browser on a busy machine

    # instance two has listed its (empty) portfolio before instance one saves anything
    open_app(second, two.url)
    go(second, "portfolio", "zh")
    shows(second, MAIN, t("portfolio.empty", "zh"))

    open_app(first, one.url)
    choose(first, t("sidebar.load_sample", "zh"), SAMPLE.label("zh"), SAMPLE.load().company.name)
    first.locator(".st-key-sb-save").get_by_role("button").click()
    shows(first, SIDEBAR, t("store.saved", "zh", version=1))
    did = draft_id(first)

    # a save in one is listed in the other
    second.reload()
    second.wait_for_selector(IDLE)
    shows(second, MAIN, t("portfolio_page.shown", "zh", n=1, total=1))

    # the draft link of instance one, opened through instance two, resumes (company, link to version 1)
    third.goto(f"{two.url}/?d={did}")
    heading(third, t("overview.title", "zh"))
    shows(third, SIDEBAR, t("store.saved", "zh", version=1))
    switcher = third.get_by_role("combobox", name=t("sidebar.current_company", "zh"), exact=True)
    assert switcher.input_value() == SAMPLE.load().company.name
    for pg in (first, second, third):
        pg.close()
