"""Real-browser fixtures: a Streamlit server on a free port and a headless Debian Chromium.

Modelled on streamlit's own e2e_playwright/conftest.py: start ``streamlit run`` as a subprocess, poll
``/_stcore/health``, and wait for each rerun to finish (``data-test-script-state="notRunning"``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ccl.i18n import t

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CCL_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# Full-page screenshots are for people looking at the pages (and the README's images in docs/); each costs
# two relayouts and a capture, so the suite takes them only when asked: CCL_SCREENSHOTS=1 make test.
TAKE_SCREENSHOTS = os.environ.get("CCL_SCREENSHOTS") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60, poll: float = 0.2) -> None:
    """Until ``/_stcore/health`` answers (``poll``: seconds between tries; a cold-start timing wants them short)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise TimeoutError(f"{url} did not become healthy within {timeout} s")


def start_server(
    script: Path, port: int, *extra: str, env: dict[str, str] | None = None, log: Path | None = None
) -> subprocess.Popen:
    """``streamlit run`` as a subprocess on ``port`` (the caller terminates it).

    Output goes to ``log`` or nowhere: a pipe nobody reads would stall a chatty server once full.
    """
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *extra,
    ]
    out = log.open("wb") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    finally:
        if log:
            out.close()  # the child keeps its own handle


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mb(pid: int) -> float:
    """A server's resident memory (VmRSS), MB (the benches report it after a session)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- driving the app (shared with bench/bench_app.py) -------------------------------------------

# A rerun is finished when its output is on screen and stApp reports script state "notRunning". The
# attribute alone is not enough: under load React can apply "running" and "notRunning" in one
# render, so a fast rerun may never show "running". Each action therefore waits for its visible
# effect first, then for the idle state.


def settle(page, effect: str, arg=None) -> None:
    page.wait_for_function(effect, arg=arg)
    page.wait_for_selector(IDLE)


def shows_text(page, text: str) -> None:
    settle(page, "s => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(s)", text)


def open_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stSidebarNav"]')
    # widgets are drawn lazily (placeholders first): wait for the last sidebar widget to be real
    page.get_by_role("combobox", name=t("sidebar.load_sample", "zh"), exact=True).wait_for()
    page.wait_for_selector(IDLE)


def choose(page, label: str, option: str, effect_text: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``; done when ``effect_text`` shows."""
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):  # a list opened while the sidebar re-renders can close again: reopen it
        box = page.get_by_role("combobox", name=label, exact=True)
        box.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        box.click()
        try:
            wanted.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    wanted.click()
    shows_text(page, effect_text)


def go(page, key: str, lang: str) -> None:
    """Open page ``key`` from the sidebar navigation; done when its title heading shows."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=t(f"nav.{key}", lang), exact=True)
    link.click()
    title = t(f"{key}.title", lang)
    if title == f"{key}.title":  # a page of another issue without a "<key>.title" string
        page.wait_for_timeout(1500)
        page.wait_for_selector(IDLE)
        return
    settle(page, "s => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === s)", title)


def shoot(page, name: str, width: int | None = None) -> None:
    """The whole page at ``width`` (the current width if not given) into artifacts/screenshots/NAME.png —
    only with CCL_SCREENSHOTS=1. The main area scrolls inside itself, so the viewport grows to the content
    for the capture and shrinks back after."""
    if not TAKE_SCREENSHOTS:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = width or page.viewport_size["width"]
    page.mouse.move(0, 0)  # no hover toolbar over a chart
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(height, 900), 8000)})
    page.wait_for_timeout(500)  # plotly relayouts on resize
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(300)


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    port = free_port()
    proc = start_server(ROOT / "serve.py", port)  # as make run starts it: its security headers apply
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 900},
            locale="zh-CN",
        )
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture()
def page(browser_context, app_url):
    pg = browser_context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    pg.close()
