"""Sign-in in a real browser against a real OIDC provider started here (``oidc_provider.Provider``).

The app runs with ``CCL_AUTH=oidc``, a ``secrets.toml`` whose ``[auth]`` points at the provider, a
roles file and its own empty SQLite database. Each user signs in through the full authorization-code
flow (Streamlit's ``/auth/login`` → provider ``/authorize`` → ``/oauth2callback`` → token exchange,
ID-token signature and nonce checks) and signs out through the provider's end-session endpoint.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ccl.i18n import t
from ccl.samples import list_samples
from ccl.store import Store
from tests.browser.conftest import CHROMIUM, IDLE, ROOT, free_port, settle, start_server, stop_server, wait_healthy
from tests.browser.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = pytest.mark.browser

SAMPLES = {s.key: s for s in list_samples()}
CHENGDU = SAMPLES["03_chengdu_startup_undercapitalised"]
SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMain"]'
WANG = {"email": "wang@example.com", "name": "王经理"}
LI = {"email": "li@example.com", "name": "Li Na"}
ZHAO = {"email": "zhao@partner.cn", "name": "赵审计"}
STRANGER = {"email": "x@elsewhere.org", "name": "X"}
ROLES = """
[roles]
admin = ["wang@example.com"]
consultant = ["@example.com"]
viewer = ["zhao@partner.cn"]

[workspaces]
beijing = ["@example.com", "zhao@partner.cn"]
"""


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    p = Provider().start()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory: pytest.TempPathFactory, provider: Provider) -> Iterator[tuple[str, str]]:
    """The app with sign-in on: (its URL, its database URL)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    folder = tmp_path_factory.mktemp("auth-e2e")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-for-the-browser-test-0123456789"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    roles = folder / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    db = f"sqlite:///{folder / 'ccl.sqlite3'}"
    env = {**os.environ, "CCL_AUTH": "oidc", "CCL_ROLES_FILE": str(roles), "CCL_DATABASE_URL": db}
    proc = start_server(ROOT / "serve.py", port, "--secrets.files", str(secrets), env=env, log=folder / "app.log")
    try:
        wait_healthy(url, proc)
        yield url, db
    finally:
        stop_server(proc)


@pytest.fixture()
def page(browser_context, auth_app):
    pg = browser_context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    pg.close()


# --- steps ----------------------------------------------------------------------------------------------


def shows(page, where: str, text: str) -> None:
    # user text is shown with invisible word joiners after ":" and "@" (so Markdown makes no link of it)
    js = "([w, s]) => document.querySelector(w).innerText.replaceAll('\\u2060', '').includes(s)"
    settle(page, js, [where, text])


def widget(page, key: str):
    return page.locator(".st-key-" + re.sub(r"[:.]", "-", key))


def sign_in(page, url: str, provider: Provider, user: dict) -> None:
    provider.user = user
    page.goto(url)
    button = widget(page, "auth:login").get_by_role("button", name=t("auth.sign_in", "zh"))
    with page.expect_response(lambda r: "/oauth2callback" in r.url):  # back from the provider
        button.click()
    page.wait_for_url(re.compile(re.escape(url) + r"/?$"))
    page.wait_for_selector('[data-testid="stApp"]')


def sign_out(page, key: str = "auth:logout") -> None:
    widget(page, key).get_by_role("button").click()
    widget(page, "auth:login").wait_for()  # through the provider's end-session endpoint, back to sign-in
    page.wait_for_selector(IDLE)


def app_shown(page, who: str) -> None:
    page.wait_for_selector(SIDEBAR)
    shows(page, SIDEBAR, t("auth.signed_in_as", "zh", who=who, role="")[:-3])
    page.wait_for_selector(IDLE)


def load_sample(page, sample) -> None:
    box = page.get_by_role("combobox", name=t("sidebar.load_sample", "zh"), exact=True)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box.click()
    page.get_by_role("option", name=sample.label("zh"), exact=True).click()
    shows(page, MAIN, sample.load().company.name)


def pick_first(page, label: str) -> None:
    """Choose the first option of a selectbox (reopened if it closes while the page re-renders)."""
    option = page.get_by_role("option").first
    for _ in range(3):
        box = page.get_by_role("combobox", name=label, exact=True)
        box.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        box.click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    option.click()
    page.wait_for_selector(IDLE)


def go_portfolio(page) -> None:
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name=t("nav.portfolio", "zh"), exact=True).click()
    title = t("portfolio.title", "zh")
    settle(page, "s => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === s)", title)


# --- the test -----------------------------------------------------------------------------------------------


def test_sign_in_roles_soft_delete_and_sign_out(page, auth_app, provider):
    url, db = auth_app
    # Signed out: only the sign-in page.
    page.goto(url)
    widget(page, "auth:login").wait_for()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0

    # No role: a polite refusal, not the app; sign-out returns to the sign-in page.
    sign_in(page, url, provider, STRANGER)
    shows(page, MAIN, "x@elsewhere.org")
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    sign_out(page, "auth:logout_refused")

    # A consultant saves; "saved by" is their identity.
    sign_in(page, url, provider, LI)
    app_shown(page, "Li Na <li@example.com>")
    assert widget(page, "sb:saved_by").count() == 0
    load_sample(page, CHENGDU)
    widget(page, "sb:save").get_by_role("button").click()
    shows(page, SIDEBAR, t("store.saved", "zh", version=1))
    with Store.open(db) as store:
        [client] = store.list_clients(["beijing"])
    assert client.latest.saved_by == "Li Na <li@example.com>"
    sign_out(page)

    # A viewer reads but cannot save.
    sign_in(page, url, provider, ZHAO)
    app_shown(page, "赵审计 <zhao@partner.cn>")
    load_sample(page, CHENGDU)
    assert widget(page, "sb:save").get_by_role("button").is_disabled()
    go_portfolio(page)
    page.get_by_text(t("portfolio_page.delete_title", "zh"), exact=True).click()
    assert widget(page, "pf:delete").get_by_role("button").is_disabled()
    assert widget(page, "pf:import").get_by_role("button").is_disabled()
    assert page.get_by_text(t("audit.title", "zh"), exact=True).count() == 0
    sign_out(page)

    # An admin deletes, then restores.
    sign_in(page, url, provider, WANG)
    app_shown(page, "王经理 <wang@example.com>")
    go_portfolio(page)
    page.get_by_text(t("portfolio_page.delete_title", "zh"), exact=True).click()
    pick_first(page, t("portfolio_page.delete_pick", "zh"))
    widget(page, "pf:delete").get_by_role("button").click()
    widget(page, "pf:delete_yes").get_by_role("button").click()
    shows(page, MAIN, t("portfolio.empty", "zh"))
    with Store.open(db) as store:
        assert store.list_clients() == [] and len(store.deleted_clients()) == 1
    page.get_by_text(t("trash.title", "zh"), exact=True).click()
    restore = widget(page, f"pf:restore:{client.id}").get_by_role("button")
    restore.wait_for()  # the Trash draws in a rerun of its own (its expander runs its content only when open):
    page.wait_for_selector(IDLE)  # the button is clicked once that rerun is over
    restore.click()
    shows(page, MAIN, t("portfolio_page.licence_note", "zh")[:12])
    with Store.open(db) as store:
        assert [c.id for c in store.list_clients()] == [client.id]
        client_actions = [e.action for e in store.audit_entries() if e.client_id]  # sign-ins are logged too
        assert client_actions[:3] == ["restore", "delete", "save"]
    sign_out(page)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
