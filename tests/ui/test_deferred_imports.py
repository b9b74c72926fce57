"""A server's first pages load without pandas (ui.deferred): the Overview, questionnaire, Gaps, Timeline,
Materials and the licence duties draw without it; the first page with a grid loads it, and draws as before
(so does the questionnaire when an evidence table is opened).

Run in a fresh interpreter: the test process itself has pandas loaded long before.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import textwrap

import pytest
from project import ROOT

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from streamlit.testing.v1 import AppTest

    HEAVY = ("pandas", "numpy", "pyarrow", "openpyxl")
    from plotly.validator_cache import ValidatorCache
    from ui import speedups
    speedups.plotly_validator_table_released()  # as serve.py does
    speedups.finished_figure_as_is()
    at = AppTest.from_file(sys.argv[1], default_timeout=90).run()
    seen = {}
    for sample in ("09_suzhou_licence_holder", "10_xian_mid_remediation"):
        at.selectbox(key="sb:sample").select(sample).run()
        for page in ("overview", "questionnaire", "gaps", "timeline", "materials", "obligations"):
            at.switch_page(f"pages/{page}.py").run()
            seen[f"{sample}/{page}"] = {
                "errors": [e.value for e in at.exception],
                "heavy": [m for m in HEAVY if m in sys.modules],
                "tables": len(at.get("html")),
            }
    at.switch_page("pages/questionnaire.py").run()
    at.segmented_control(key="qn:section").set_value("materials").run()
    at.button(key="evb:materials.lease_contract").click().run()  # an evidence table opens: pandas with it
    seen["evidence"] = {"errors": [e.value for e in at.exception], "heavy": [m for m in HEAVY if m in sys.modules],
                        "grids": len(at.dataframe)}
    at.switch_page("pages/plan.py").run()
    seen["plan"] = {"errors": [e.value for e in at.exception], "heavy": [m for m in HEAVY if m in sys.modules],
                    "grids": len(at.dataframe), "charts": len(at.get("plotly_chart"))}
    for page in ("history", "portfolio"):
        at.switch_page(f"pages/{page}.py").run()
        seen[page] = {"errors": [e.value for e in at.exception]}
    seen["plotly_table_loaded"] = ValidatorCache._json_cache is not None
    seen["plotly_figure_class_loaded"] = "plotly.graph_objs._figure" in sys.modules
    print(json.dumps(seen))
    """
)


@pytest.mark.slow  # drives the app (AppTest) in a fresh interpreter
def test_the_first_pages_draw_without_pandas_and_a_grid_page_loads_it():
    env = {**os.environ, "CCL_TODAY": "2026-12-07", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    plotly_table_loaded = seen.pop("plotly_table_loaded")
    figure_class_loaded = seen.pop("plotly_figure_class_loaded")
    for where, got in seen.items():
        assert got["errors"] == [], where
        if where not in ("evidence", "plan", "history", "portfolio"):
            assert got["heavy"] == [], where  # no pandas, numpy, pyarrow or openpyxl for these pages
    assert seen["09_suzhou_licence_holder/obligations"]["tables"] >= 1  # the holder's duties, as a table
    assert seen["10_xian_mid_remediation/gaps"]["tables"] >= 1
    assert "pandas" in seen["evidence"]["heavy"] and seen["evidence"]["grids"] == 1
    assert "pandas" in seen["plan"]["heavy"] and seen["plan"]["grids"] >= 1  # the plan's grid, with pandas
    assert seen["plan"]["charts"] >= 1  # the plan's Gantt
    # no page drew its charts through plotly's validators: the table serve.py lets go stays gone (~8.5 MB)
    assert plotly_table_loaded is False
    # every chart reached Streamlit as a finished figure: plotly's largest module, its Figure class, never loaded
    assert figure_class_loaded is False


WARM_UP = textwrap.dedent(
    """
    import gc, importlib, json, sys, threading
    if sys.argv[1] == "fail":  # the warm-up's first import breaks
        real = importlib.import_module
        def broken(name, *args):
            if name == "ui.auth":
                raise ImportError("broken on purpose")
            return real(name, *args)
        importlib.import_module = broken
        threading.excepthook = lambda args: None  # the thread's traceback is expected
    import serve  # starts the warm-up, as on the server
    from ui import deferred
    deferred.after_warm_up()  # as app.py does first
    waited_for = [m for m in serve.FIRST_RUN_MODULES if m not in sys.modules]  # what a script could meet half-loaded
    for thread in threading.enumerate():
        if thread.name == "warm-up":
            thread.join()
    import inspect, streamlit.delta_generator
    stacks = []  # Streamlit's REPL check on the first element: inspect.stack() over every loaded module
    real_stack = inspect.stack
    inspect.stack = lambda *a, **k: stacks.append(1) or real_stack(*a, **k)
    streamlit.delta_generator._maybe_print_use_warning()
    from streamlit import net_util
    from streamlit.web.server import server_util
    asked = []  # a browser from another origin: checked against the public address a public service tells
    net_util._make_blocking_http_get = lambda url, timeout=5: asked.append(url)
    server_util.is_url_from_allowed_origins("https://elsewhere.example")
    import re
    from streamlit import string_util
    searched = []  # option labels that reach Streamlit's emoji pattern (re.search hashes all of it first)
    real_search = re.search
    re.search = lambda pattern, text, *a: searched.append(text) or real_search(pattern, text, *a)
    labels = {label: string_util.extract_leading_icon(label) for label in ("是", "不确定 / 未知", "7 天内到期", "Yes")}
    from streamlit.commands import navigation, page_config
    from ui import speedups
    icons = [page_config._get_favicon_string(speedups.PAGE_ICON), navigation.is_emoji(":material/dashboard:")]
    table_loaded = "streamlit.emojis" in sys.modules  # Streamlit's emoji table, not needed so far
    labels["🎧 耳机"] = string_util.extract_leading_icon("🎧 耳机")
    re.search = real_search
    from streamlit.watcher import polling_path_watcher
    from plotly.validator_cache import ValidatorCache
    plotly_table_held = ValidatorCache._json_cache is not None
    plotly_reads_it = "ValidatorCache._json_cache = json.load" in inspect.getsource(ValidatorCache.get_validator)
    import plotly.graph_objects as go
    drawn = go.Figure(go.Bar(y=[1, 2])).to_dict()["data"][0]["type"]  # plotly loads it again when asked
    print(json.dumps({
        "plotly_table_held": plotly_table_held,
        "plotly_reads_it": plotly_reads_it,
        "plotly_drawn": drawn,
        "settings_poll_s": polling_path_watcher._POLLING_PERIOD_SECS,
        "repl_check": bool(stacks),
        "asked": asked,
        "searched": searched,
        "icons": icons,
        "table_loaded": table_loaded,
        "labels": labels,
        "loaded": [m for m in serve.FIRST_RUN_MODULES if m in sys.modules],
        "not_loaded_after_waiting": waited_for,
        "heavy": [m for m in ("pandas", "numpy", "pyarrow") if m in sys.modules],
        "enabled": gc.isenabled(),
        "frozen": gc.get_freeze_count(),
    }))
    """
)


@functools.cache  # one interpreter per case, shared by the tests that look at it
def _warm_up(how: str) -> dict:
    """serve.py imported in a fresh interpreter, its warm-up run to the end: what it left behind."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-c", WARM_UP, how]
    out = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_server_s_background_warm_up_loads_the_first_run_s_modules_but_never_pandas():
    """serve.py loads the first run's modules while the server starts; pandas loading there, outside the
    lock of ui.deferred, would race the first sessions' charts. Once done, what it made is frozen and the
    collector, held off meanwhile, runs again."""
    got = _warm_up("ok")
    assert got["heavy"] == []
    assert "ui.auth" in got["loaded"] and "ui.views.sidebar" in got["loaded"]
    assert got["enabled"] is True
    assert got["frozen"] > 100_000, "what the warm-up loaded, frozen with Streamlit's"


def test_a_run_that_starts_during_the_warm_up_waits_for_it():
    """Two threads importing modules that import each other can leave one with a half-loaded module: the
    server's first runs wait until the warm-up has loaded what they import (ui.deferred.after_warm_up, the
    first thing app.py does), also when the warm-up failed."""
    assert _warm_up("ok")["not_loaded_after_waiting"] == []
    assert "ui.auth" in _warm_up("fail")["not_loaded_after_waiting"]  # failed, and the run went on


def test_a_browser_from_another_origin_is_checked_without_asking_a_public_service_for_the_address():
    """Streamlit checks such a browser against the machine's public address, asking checkip.amazonaws.com
    for it on every check until it answers: offline, two 1-second timeouts with every session waiting."""
    assert _warm_up("ok")["asked"] == []


def test_the_server_s_first_element_skips_streamlit_s_check_for_a_python_repl():
    """Under `streamlit run` the answer is known; asking costs the first visitor ~50 ms (inspect.stack reads
    the path of every loaded module). Fails when a Streamlit upgrade renames the flag serve.py sets."""
    assert _warm_up("ok")["repl_check"] is False


def test_the_server_looks_for_a_leading_emoji_only_in_labels_that_can_start_with_one():
    """A Chinese option label never reaches Streamlit's emoji pattern (~60 µs each, ~100 labels per answer
    on the questionnaire), the favicon and the pages' icons never load its table, and every label still
    gets Streamlit's answer. Fails when a Streamlit upgrade moves the functions ui.speedups replaces."""
    got = _warm_up("ok")
    assert got["searched"] == ["🎧 耳机"]
    assert got["icons"] == ["emoji:🎧", False], "the favicon, and a page's material icon in the navigation"
    assert got["table_loaded"] is False, "Streamlit's emoji table (4.8 MB) loads only for a label that may need it"
    assert got["labels"] == {
        "是": ["", "是"],
        "不确定 / 未知": ["", "不确定 / 未知"],
        "7 天内到期": ["", "7 天内到期"],
        "🎧 耳机": ["🎧", "耳机"],
        "Yes": ["", "Yes"],
    }


def test_the_server_looks_at_its_settings_files_once_a_day_with_file_watching_off():
    """.streamlit/config.toml turns file watching off; Streamlit's pollers of config.toml and secrets.toml
    would still wake up five times a second each. Fails when an upgrade renames what ui.speedups sets."""
    assert _warm_up("ok")["settings_poll_s"] == 24 * 3600


def test_the_server_lets_go_of_plotly_s_validator_table_which_plotly_loads_again_if_ever_asked():
    """Streamlit's plotly theme leaves plotly's table of validators in every server (~8.5 MB); the app's charts
    never use it, so serve.py lets it go before the warm-up, whose imports reuse the memory. Plotly still
    validates a figure built with its graph objects. Fails when a plotly upgrade keeps the table elsewhere."""
    got = _warm_up("ok")
    assert got["plotly_reads_it"] is True, "plotly no longer loads its table where ui.speedups lets it go"
    assert got["plotly_table_held"] is False
    assert got["plotly_drawn"] == "bar"


def test_the_warm_up_resumes_garbage_collection_even_when_it_fails():
    """serve.py stops the collector while it warms up; a collector left off would let every session's
    reference cycles pile up for the life of the server."""
    got = _warm_up("fail")
    assert got["enabled"] is True
    assert "ui.auth" not in got["loaded"]
