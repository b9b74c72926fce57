"""CCL Readiness behind its hardened front: ``streamlit run serve.py`` (``make run``) serves ``app.py`` as
``streamlit run app.py`` would, through the middleware of ``ui/hardening.py`` (no metrics endpoint, security
headers, no server details in the session's first message, downloads only for a running sign-in)."""

import streamlit as st
from starlette.middleware import Middleware

from ui.hardening import Hardened

app = st.App("app.py", middleware=[Middleware(Hardened)])
