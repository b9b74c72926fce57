"""CCL Readiness: frame and routes. Run with ``streamlit run app.py``."""

import streamlit as st

from ui import nav, sidebar, state

state.init()
st.set_page_config(page_title=state.tr("common.product"), page_icon=":material/support_agent:", layout="wide")
sidebar.render()
page = st.navigation(nav.pages(state.lang()))
state.leave_stale_messages(page.url_path)
page.run()
