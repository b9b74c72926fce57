"""CCL Readiness behind its hardened front: ``streamlit run serve.py`` (``make run``) serves ``app.py`` as
``streamlit run app.py`` would, through the middleware of ``ui/hardening.py`` (no metrics endpoint, security
headers, no server details in the session's first message, downloads only for a running sign-in, every
connection sending at once).

While the server starts and the first browser fetches the page's scripts, the modules of the first run
load in the background (``warm``): the first visitor after a restart does not wait for them."""

import importlib
import threading

import streamlit as st
from starlette.middleware import Middleware

from ui.hardening import Hardened

# What app.py, its sidebar and the questionnaire import; never pandas (ui.deferred: it loads under a lock,
# with the first grid, so that no session's chart meets it half-loaded).
FIRST_RUN_MODULES = (
    "ui.auth",
    "ui.cache",
    "ui.localize",
    "ui.nav",
    "ui.share",
    "ui.state",
    "ui.session.drafts",
    "ui.views.sidebar",
    "ui.widgets",
    "ui.evidence",
    "ui.blocks",
    "ui.guidance",
    "ccl.progress",
)


def warm() -> None:
    for name in FIRST_RUN_MODULES:
        importlib.import_module(name)


threading.Thread(target=warm, name="warm-imports", daemon=True).start()
app = st.App("app.py", middleware=[Middleware(Hardened)])
