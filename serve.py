"""CCL Readiness behind its hardened front: ``streamlit run serve.py`` (``make run``) serves ``app.py`` as
``streamlit run app.py`` would, through the middleware of ``ui/hardening.py`` (no metrics endpoint, security
headers, no server details in the session's first message, downloads only for a running sign-in, every
connection sending at once).

While the server starts and the first browser fetches the page's scripts, what every first run needs is
made in the background (``warm``): the first visitor after a restart does not wait for it."""

import gc
import importlib
import threading

# What Streamlit loaded to get here (~70 thousand objects) lives as long as the process: out of the garbage
# collector's sight. Then no collection until the warm-up is done: it makes ~40 thousand more that all live,
# and the full collections on the way would walk them all (~90 ms of a cold start, measured).
gc.freeze()
gc.disable()

import streamlit as st  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from ui import deferred, speedups  # noqa: E402
from ui.hardening import Hardened, no_calls_out  # noqa: E402

# What app.py, its sidebar and the questionnaire import; never pandas (ui.deferred: it loads under a lock,
# with the first grid, so that no session's chart meets it half-loaded).
FIRST_RUN_MODULES = (
    "ui.auth",
    "ui.cache",
    "ui.localize",
    "ui.nav",
    "ui.share",
    "ui.state",
    "ui.turns",
    "ui.session.drafts",
    "ui.views.sidebar",
    "ui.widgets",
    "ui.evidence",
    "ui.blocks",
    "ui.guidance",
    "ccl.progress",
)


def warm() -> None:
    """The first run's modules, the engine (catalog and calendar) and both languages' strings; then
    everything alive is frozen (``ui.cache.freeze_new_modules``, without a collection first: the ~500
    objects of garbage that importing leaves, ~0.7 MB, are not worth walking the other ~65 thousand
    for, ~25–45 ms of the start) and collection resumes."""
    try:
        for name in FIRST_RUN_MODULES:
            importlib.import_module(name)
        from ccl.i18n import LANGS, strings
        from ui.cache import freeze_new_modules, get_engine

        get_engine()
        for lang in LANGS:
            strings(lang)
        freeze_new_modules(collect=False)  # before the collector resumes: it would walk them all at once
    finally:
        gc.enable()
        deferred.warm_up_ends()


speedups.apply()  # Streamlit's REPL check, emoji lookups and settings pollers, plotly's figure class, made cheaper
no_calls_out()

deferred.warm_up_begins()  # runs wait for it (app.py): never two threads importing the same modules at once
threading.Thread(target=warm, name="warm-up", daemon=True).start()
app = st.App("app.py", middleware=[Middleware(Hardened)])
