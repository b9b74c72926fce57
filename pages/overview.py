"""概览 Overview: the verdict first, then score, completion, licence date, radar and next best actions."""

import streamlit as st

from ccl.i18n import fmt_date, fmt_score
from ui.blocks import chart, chart_pair, licence_note, licence_text, page_header, verdict
from ui.charts import assessment as charts
from ui.context import page_context
from ui.views.actions import next_best_actions
from ui.views.licence import routes_block
from ui.views.plan import overview_progress

ctx = page_context()
a = ctx.ev.assessment
tl = ctx.ev.expected
TOP_ACTIONS = 5

page_header(ctx, "overview.title")
if ctx.ev.holder:
    st.page_link("pages/obligations.py", label=ctx.tr("obligations.holder_note"), icon=":material/verified_user:")
verdict(ctx)

# one row that wraps: each metric as wide as its value, so a long date never ends in "…"
score = done = licence = gaps = st.container(horizontal=True, gap="small")
score.metric(
    ctx.tr("overview.overall"),
    f"{fmt_score(a.overall, ctx.lang)} / 100",
    border=True,
    width="content",
    help=ctx.tr("overview.overall_help"),
)
done.metric(
    ctx.tr("overview.completion"),
    f"{a.completion:.0f}%",
    border=True,
    width="content",
    help=ctx.tr("overview.completion_help", n=len(a.unanswered)),
)
held = ctx.profile.licence if ctx.ev.holder else None
licence.metric(  # a holder is shown the licence's expiry, not a date for applying again
    ctx.tr("overview.licence_valid_until" if held else "overview.licence_date"),
    fmt_date(held.expires_on, ctx.lang) if held else licence_text(ctx, tl),
    border=True,
    width="content",
    help=ctx.tr("overview.licence_valid_help" if held else "overview.licence_help"),
)
gaps.metric(
    ctx.tr("overview.gaps"),
    len(a.gaps),
    border=True,
    width="content",
    help=ctx.tr("overview.gaps_help", blockers=len(a.blockers)),
)
notes = [note] if not held and (note := licence_note(ctx, tl)) else []
if tl.estimate and tl.licence_date and not held:
    notes.append(ctx.tr("overview.estimate_note"))
if tl.assumes_blockers_removed and tl.licence_date and not held:
    notes.append(ctx.tr("overview.assumes_blockers"))
if notes:
    st.caption(" ".join(notes))
if a.unanswered:
    st.page_link(
        "pages/questionnaire.py", label=ctx.tr("overview.answer_more", n=len(a.unanswered)), icon=":material/edit:"
    )
overview_progress(ctx)  # the action plan's progress (not for a licence holder)

left, right = chart_pair()
with left:
    chart(charts.radar(ctx.catalog, a, ctx.lang), ctx.tr("overview.no_answers"))
with right:
    chart(charts.section_scores(ctx.catalog, a, ctx.lang), ctx.tr("overview.no_answers"))

st.subheader(ctx.tr("overview.actions_title"))
next_best_actions(ctx, TOP_ACTIONS)
if len(a.actions) > TOP_ACTIONS:
    st.page_link("pages/gaps.py", label=ctx.tr("overview.all_gaps", n=len(a.gaps)), icon=":material/list:")
routes_block(ctx)
