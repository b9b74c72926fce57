"""持证义务 Licence duties: annual report, renewal and expiry of a licence already held, on the chosen date."""

import streamlit as st

from ccl.i18n import fmt_date
from ui.blocks import headline_line, page_header
from ui.context import page_context
from ui.views.licence import calendar_download, obligations_view

ctx = page_context()
page_header(ctx, "obligations.title")
headline_line(ctx)  # the same verdict, licence date and next deadline as the Overview
check = ctx.tr("obligations.start") + ctx.tr("app.colon") + fmt_date(ctx.ev.start, ctx.lang)  # 核对日期：…
st.caption(f"{ctx.tr('obligations.caption')} {check}")
obligations_view(ctx)
if ctx.ev.holder:
    calendar_download(ctx)
