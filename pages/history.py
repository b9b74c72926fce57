"""历史 History: the saved versions of the current client, the score trend, and two versions compared."""

import streamlit as st

from ui.blocks import chart, headline_line, page_header
from ui.charts.history import history_trend, plan_trend
from ui.context import page_context
from ui.nav import end_page
from ui.views import history as hv

ctx = page_context()
page_header(ctx, "history_page.title")
headline_line(ctx)  # the same verdict, licence date and next deadline as the Overview

client_id = hv.client_picker(ctx)
history = hv.history_of(ctx, client_id) if client_id is not None else None
if not history:
    end_page()

chart(history_trend(history, ctx.catalog, ctx.lang), ctx.tr("history.empty"))
chart(plan_trend(history, ctx.lang), ctx.tr("store_plan.history.no_plan"))
with st.expander(ctx.tr("history_page.versions_title", n=len(history)), icon=":material/list:"):
    hv.versions_table(ctx, history)

st.subheader(ctx.tr("history_page.compare_title"))
pair = hv.pick_pair(ctx, history)
if pair is None:
    end_page()
earlier, later = (hv.load_version(ctx, history, v) for v in pair)
diff = hv.compare(ctx, earlier, later)
left, right = st.columns(2, gap="large")
with left:
    chart(hv.radar(ctx, earlier, later), ctx.tr("history_page.no_scores"))
with right:
    hv.gap_changes(ctx, diff)
hv.answer_changes(ctx, diff, earlier, later)  # full width: question, old and new answer side by side
hv.plan_progress(ctx, diff, earlier, later)
