"""Real-browser test of share links, on SQLite and PostgreSQL: a view link shows its one client and no
other page of the desk; a contribute link saves a new version in the link's name; a revoked link ends
the open session at the next click and opens nothing afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from conftest import IDLE, ROOT, free_port, start_server, stop_server, wait_healthy
from store_support import BACKENDS, pg_schema

from ccl.engine import Engine
from ccl.i18n import t
from ccl.samples import list_samples
from ccl.store import Store, summary_of

SAMPLES = list_samples()
NAV = '[data-testid="stSidebarNav"]'
MAIN = '[data-testid="stMain"]'


@pytest.fixture(params=BACKENDS)
def shared(request, tmp_path) -> Iterator[tuple[str, Store, list[int]]]:
    """A server on a database with two clients; yields its address, the store and the client ids."""
    if request.param == "sqlite":
        url_cm = None
        db = f"sqlite:///{tmp_path / 'ccl.sqlite3'}"
    else:
        url_cm = pg_schema()
        db = url_cm.__enter__()
    engine, ids = Engine.load(), []
    store = Store.open(db)
    for sample in SAMPLES[:2]:
        ev = engine.evaluate(sample.load(), date(2026, 11, 30))
        ids.append(store.save(None, ev.profile, summary_of(ev), "王顾问").client_id)
    port = free_port()
    proc = start_server(ROOT / "app.py", port, env={**os.environ, "CCL_DATABASE_URL": db}, log=tmp_path / "app.log")
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        yield f"http://127.0.0.1:{port}", store, ids
    finally:
        stop_server(proc)
        store.close()
        if url_cm is not None:
            url_cm.__exit__(None, None, None)


def wait_text(page, where: str, text: str) -> None:
    js = "([w, s]) => (document.querySelector(w)?.innerText || '').replaceAll('\\u2060', '').includes(s)"
    page.wait_for_function(js, arg=[where, text])
    page.wait_for_selector(IDLE)


def test_view_contribute_and_revoke(shared, browser_context):
    base, store, (mine, _other) = shared
    mine_name, other_name = (s.load().company.name for s in SAMPLES[:2])
    _, view = store.create_share(mine, "view", by="王顾问")
    link, contribute = store.create_share(mine, "contribute", by="王顾问")
    page = browser_context.new_page()
    try:
        page.goto(f"{base}/?s={view}")
        wait_text(page, MAIN, mine_name)
        nav = page.locator(NAV).inner_text()
        assert t("nav.portfolio", "zh") not in nav and t("nav.history", "zh") not in nav
        for path in ("client-portfolio", "assessment-history"):  # typed addresses: still only this client
            page.goto(f"{base}/{path}?s={view}")
            wait_text(page, MAIN, mine_name)
            assert other_name not in page.locator("body").inner_text()
        page.goto(f"{base}/?s={contribute}")
        wait_text(page, MAIN, mine_name)
        page.locator(NAV).get_by_role("link", name=t("nav.questionnaire", "zh"), exact=True).click()
        wait_text(page, MAIN, t("nav.questionnaire", "zh"))
        field = page.locator(".st-key-q-company-name input")
        field.fill(mine_name + "（客户已核对）")
        field.press("Enter")
        page.locator(".st-key-share-save button").wait_for()
        page.wait_for_function("() => !document.querySelector('.st-key-share-save button').disabled")
        page.locator(".st-key-share-save button").click()
        wait_text(page, '[data-testid="stSidebar"]', t("share_ui.saved", "zh", version=2))
        latest = store.latest(mine)
        assert (latest.version, latest.saved_by) == (2, link.actor)
        assert store.revoke_share(view) is True
        page.goto(f"{base}/?s={view}")
        wait_text(page, MAIN, t("share_ui.invalid", "zh"))
        assert mine_name not in page.locator("body").inner_text()
    finally:
        page.close()
