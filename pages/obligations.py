"""持证义务 Licence duties: annual report, renewal and expiry of a licence already held, on the chosen date."""

import streamlit as st

from ccl.i18n import fmt_date
from ui.blocks import page_header
from ui.context import page_context
from ui.views.licence import calendar_download, obligations_view

ctx = page_context()
page_header(ctx, "obligations.title")
st.caption(ctx.tr("obligations.caption") + f" {ctx.tr('obligations.start')}: {fmt_date(ctx.ev.start, ctx.lang)}")
obligations_view(ctx)
if ctx.ev.holder:
    calendar_download(ctx)
