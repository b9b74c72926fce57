"""Browser benchmark: the app against a bare Streamlit page with the same number of widgets.

Measures, in headless Chromium (Playwright) against ``streamlit run`` (the app as ``make run`` serves it,
``serve.py``), and the server's memory after the session:
- time to first render: navigation start → the page is drawn and the script has finished, on a warm
  server and on one started just before (a cold start: ``--colds`` fresh servers each, alternating);
- answer → rerun finished: a yes/no answer is clicked (inside the page, so no Playwright round
  trip is counted) → the score shown has changed and ``[data-testid=stApp]`` reports
  ``data-test-script-state="notRunning"``.
The app is measured on its questionnaire (sample 10, 西安, the company of issue 21's goals, loaded from the
sidebar; section "premises & equipment"); the bare page (bench/bare_app.py) gets the same number of widgets.
The app keeps its drafts and saves in a fresh SQLite file, or with ``--database-url`` a fresh schema of that
PostgreSQL database (dropped afterwards). Both servers run one after the other, so they never compete for
the CPU. Prints medians and judges issue 21's browser goals: answer → rerun ≤ 0.7× the bare page, cold first
load and RSS after the session ≤ 1.5×.

    .venv/bin/python bench/bench_app.py [--rounds 40] [--loads 8] [--colds 5]
    .venv/bin/python bench/bench_app.py --database-url postgresql://postgres@127.0.0.1:5432/test
    BENCH_APP_SCRIPT=app.py .venv/bin/python bench/bench_app.py   # the app without serve.py's front
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_store import postgres_url, sqlite_url  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from ccl.i18n import t  # noqa: E402
from ccl.samples import list_samples  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    choose,
    free_port,
    go,
    open_app,
    rss_mb,
    start_server,
    stop_server,
    wait_healthy,
)

SAMPLE = next(s for s in list_samples() if s.key == "10_xian_mid_remediation")
WIDGETS = ", ".join(
    f'[data-testid="{w}"]'
    for w in (
        "stSelectbox",
        "stButtonGroup",
        "stNumberInput",
        "stCheckbox",
        "stTextInput",
        "stDateInput",
        "stMultiSelect",
        "stButton",
        "stPopover",
    )
)

# Resolves with the ms from the click to: score changed and script state notRunning. Under load React
# may apply "running" and "notRunning" in one render, so the state alone could miss a fast rerun.
CLICK_AND_TIME = """async ([container, option]) => {
  const score = () => document.querySelector('[data-testid="stMetricValue"]').innerText;
  const app = () => document.querySelector('[data-testid="stApp"]');
  const before = score();
  const button = [...document.querySelectorAll(container + ' button[role="radio"]')]
    .find(b => b.innerText.trim() === option);
  if (!button) throw new Error('no option ' + option + ' in ' + container);
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const check = () => {
      if (score() !== before && app().getAttribute('data-test-script-state') === 'notRunning') {
        observer.disconnect();
        resolve(performance.now() - t0);
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    button.click();
  });
}"""

# Installed before the page loads: the first moment the expected content is drawn and the run is over (the
# app's blank Overview is a welcome and its "开始自评" button; the bare page's, its metric).
FIRST_RENDER = """() => {
  window.__firstRender = null;
  const check = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (window.__firstRender === null && app && document.querySelector('h1')
        && document.querySelector(
          '[data-testid="stMetricValue"], [data-testid="stAlert"], [data-testid="stMain"] [data-testid="stButton"]')
        && app.getAttribute('data-test-script-state') === 'notRunning') {
      window.__firstRender = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
}"""


SERVER_PIDS: dict[str, int] = {}  # url → the server's pid, for its RSS after the session


@contextmanager
def server(script: Path, env: dict[str, str] | None = None, extra: tuple[str, ...] = ()) -> Iterator[str]:
    """``streamlit run script`` as ``make run`` starts it (compiled modules kept), healthy, stopped after."""
    port = free_port()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "", **(env or {})}
    proc = start_server(script, port, "--server.fileWatcherType", "none", *extra, env=env)
    url = f"http://127.0.0.1:{port}"
    SERVER_PIDS[url] = proc.pid
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop_server(proc)


def first_renders(context, url: str, loads: int) -> list[float]:
    """ms from navigation start to the first complete render, one fresh session per load."""
    out = []
    for _ in range(loads):
        page = context.new_page()
        page.add_init_script(f"({FIRST_RENDER})()")
        page.goto(url)
        page.wait_for_function("() => window.__firstRender !== null", timeout=60_000)
        out.append(page.evaluate("() => window.__firstRender"))
        page.close()
    return out


def answer_reruns(page: Page, container: str, rounds: int) -> list[float]:
    """ms from clicking yes/no to the rerun being finished, alternating the answer."""
    times = []
    for i in range(rounds):
        option = page.evaluate(f"""() => [...document.querySelectorAll('{container} button[role="radio"]')]
            .find(b => b.getAttribute('aria-checked') !== 'true').innerText.trim()""")
        times.append(page.evaluate(CLICK_AND_TIME, [container, option]))
        page.wait_for_timeout(250 if i else 1000)  # let the server's post-run GC finish
    return times[1:]  # the first click warms caches


def open_app_questionnaire(page: Page, url: str) -> str:
    """Load the sample company and open the premises section; returns the measured question."""
    open_app(page, url)
    choose(page, t("sidebar.load_sample", "zh"), SAMPLE.label("zh"), SAMPLE.load().company.name)
    go(page, "questionnaire", "zh")
    group = page.get_by_role("radiogroup", name=t("questionnaire.section", "zh"))
    group.get_by_role("radio", name=re.compile("^" + re.escape("场地与设备"))).click()
    container = ".st-key-q-premises_equipment-trunk_contract"
    page.wait_for_selector(f'{container} button[role="radio"]')
    page.wait_for_selector(IDLE)
    return container


def cold_renders(context, script: Path, env: dict[str, str], extra: tuple[str, ...]) -> float:
    """ms from navigation start to the first complete render on a server started just before (healthy)."""
    with server(script, env, extra) as url:
        return first_renders(context, url, 1)[0]


def measure(
    name: str, url: str, context, setup: Callable[[Page, str], str], rounds: int, loads: int
) -> dict[str, object]:
    first = first_renders(context, url, loads)
    page = context.new_page()
    container = setup(page, url)
    page.wait_for_timeout(1000)  # widgets are drawn lazily: let every one appear before counting
    widgets = page.locator(WIDGETS).count()
    reruns = answer_reruns(page, container, rounds)
    page.close()
    time.sleep(1.0)  # the session's last run and its collection
    return {
        "rss": rss_mb(SERVER_PIDS[url]),
        "name": name,
        "widgets": widgets,
        "first": statistics.median(first[1:]),  # the first load fetched the scripts into this origin's cache
        "rerun": statistics.median(reruns),
        "rerun_p90": statistics.quantiles(reruns, n=10)[-1],
    }


def open_bare(page: Page, url: str) -> str:
    page.goto(url)
    page.wait_for_selector('.st-key-w0 button[role="radio"]')
    page.wait_for_selector('[data-testid="stMetricValue"]')
    page.wait_for_selector(IDLE)
    return ".st-key-w0"


def _figure(result: dict[str, object], key: str) -> float:
    value = result[key]
    return statistics.median(value) if isinstance(value, list) else float(value)  # type: ignore[arg-type]


def report(app: dict[str, object], bare: dict[str, object]) -> None:
    print(f"{'':34}{'app':>10}{'bare':>10}{'ratio':>8}")
    print(f"{'widgets on the measured page':34}{app['widgets']:>10}{bare['widgets']:>10}")
    for key, label in (
        ("rerun", "answer → rerun finished, median"),
        ("rerun_p90", "answer → rerun, p90"),
        ("first", "first render (warm), median"),
        ("first_cold", "first render (cold server), median"),
    ):
        a, b = (_figure(r, key) for r in (app, bare))
        print(f"{label:34}{a:>8.0f}ms{b:>8.0f}ms{a / b:>7.2f}×")
    pairs = zip(app["first_cold"], bare["first_cold"], strict=True)  # type: ignore[call-overload]
    print(f"{'  each cold start (app/bare), ms':34}  " + " ".join(f"{x:.0f}/{y:.0f}" for x, y in pairs))
    a, b = float(app["rss"]), float(bare["rss"])  # type: ignore[arg-type]
    print(f"{'server RSS after the session':34}{a:>8.0f}MB{b:>8.0f}MB{a / b:>7.2f}×")
    goals = (  # issue 21, in a browser (its load, page switch and p95 goals: bench_load.py)
        ("answer → rerun ≤ 0.7×", float(app["rerun"]) / float(bare["rerun"]), 0.7),  # type: ignore[arg-type]
        ("cold first load ≤ 1.5×", _figure(app, "first_cold") / _figure(bare, "first_cold"), 1.5),
        ("RSS after the session ≤ 1.5×", a / b, 1.5),
    )
    print("\ngoals: " + "; ".join(f"{g} {'✔' if r <= limit else '✘'} ({r:.2f}×)" for g, r, limit in goals))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="answer changes per app (default 40)")
    parser.add_argument("--loads", type=int, default=8, help="page loads per app (default 8)")
    parser.add_argument("--colds", type=int, default=5, help="cold starts per app, alternating (default 5)")
    parser.add_argument(
        "--streamlit-option",
        action="append",
        default=[],
        metavar="--NAME=VALUE",
        help="extra `streamlit run` option for both servers, e.g. --runner.postScriptGC=false",
    )
    parser.add_argument("--database-url", help="PostgreSQL for the app's store (a fresh schema, dropped after)")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: install Debian's chromium", file=sys.stderr)
        return 2
    # The app's store: a fresh SQLite file (not the user's own), or a fresh schema of that PostgreSQL database.
    where = postgres_url(args.database_url) if args.database_url else sqlite_url()
    with where as db_url, sync_playwright() as p, tempfile.TemporaryDirectory() as profile_dir:
        context = p.chromium.launch_persistent_context(
            profile_dir,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 900},
        )
        started = time.perf_counter()
        extra = tuple(args.streamlit_option)
        app_script = ROOT / os.environ.get("BENCH_APP_SCRIPT", "serve.py")
        app_env = {"CCL_DATABASE_URL": db_url}
        with server(app_script, app_env, extra) as url:
            app = measure("app", url, context, open_app_questionnaire, args.rounds, args.loads)
        # the bare page as the goal was set against it: Streamlit's default collection after every run,
        # which the app's config.toml turns off (bench_load.py does the same; see the README)
        env = {"BENCH_WIDGETS": str(app["widgets"]), "STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}
        with server(ROOT / "bench" / "bare_app.py", env, extra) as url:
            bare = measure("bare", url, context, open_bare, args.rounds, args.loads)
        scripts = {"app": (app_script, app_env), "bare": (ROOT / "bench" / "bare_app.py", env)}
        # Cold starts after both sessions, so that neither pays for the browser's own first start (the app's
        # session is the browser's first page); alternating which goes first: one alone is noisy.
        colds: dict[str, list[float]] = {"app": [], "bare": []}
        for k in range(args.colds):
            for name in ("bare", "app") if k % 2 == 0 else ("app", "bare"):
                colds[name].append(cold_renders(context, *scripts[name], extra))
        app["first_cold"], bare["first_cold"] = colds["app"], colds["bare"]
        context.close()
    report(app, bare)
    print(
        f"({args.rounds} answer changes, {args.loads} loads and {args.colds} cold starts each,"
        f" {time.perf_counter() - started:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
