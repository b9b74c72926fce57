"""CCL Readiness: frame and routes. Run with ``streamlit run app.py``."""

import streamlit as st

from ui import deferred

deferred.after_warm_up()  # a server's first runs: serve.py's warm-up is loading the modules imported below

from ui import auth, cache, localize, nav, share, speedups, state, turns  # noqa: E402
from ui.session import drafts  # noqa: E402
from ui.views import sidebar  # noqa: E402

with turns.turn():  # on a shared server, runs draw one at a time, first come first served (ui.turns)
    state.init()
    state.mark_framed()  # pages draw only in a session app.py routes (ui.context refuses a page run on its own)
    # The icon ui.speedups answers for without loading Streamlit's emoji table.
    st.set_page_config(page_title=state.tr("common.product"), page_icon=speedups.PAGE_ICON, layout="wide")
    if share.requested():  # a share link (?s=…): its one client, its own sidebar and pages; the run ends there
        share.run()
    auth.gate()  # sign-in, when switched on: nothing below runs for a user who is not let in
    # A fresh session opened with a draft link gets its desk (open companies) back, only once the user is let in.
    lang_before = state.lang()
    drafts.restore()
    if state.lang() != lang_before:
        st.set_page_config(page_title=state.tr("common.product"))  # the title in the draft's language
    sidebar.render()
    sidebar.print_styles()  # Ctrl+P prints the page without the sidebar
    localize.apply(state.lang())  # Streamlit's own words (upload box, input hints, date placeholders) translated
    auth.account()
    pages = nav.pages(state.lang(), holder=state.profile().licence.held is True)
    page = st.navigation(pages)
    drafts.follow_page(page, pages)
    state.leave_stale_messages(page.url_path)
    try:
        nav.run(page)
    finally:
        drafts.keep()  # the desk, kept as a draft when it changed (also when a page ended early: nav.end_page)
        cache.freeze_soon()  # modules this run loaded: out of the garbage collection's way (just after the run)
