"""概览 Overview: the headline first (verdict, licence date, next deadline), then score, completion, charts
and next best actions; a licence holder's Overview leads with its duties and their urgency instead."""

import streamlit as st

from ccl.i18n import fmt_score
from ui.blocks import chart_slots, headline_facts, page_header, verdict
from ui.cache import figure
from ui.charts import assessment as charts
from ui.context import page_context
from ui.views import start
from ui.views.actions import next_best_actions
from ui.views.licence import duties_table, routes_block
from ui.views.plan import overview_progress

ctx = page_context()
a, head = ctx.ev.assessment, ctx.ev.head
TOP_ACTIONS = 5


def overview() -> None:
    """The verdict and everything after it (a function: the welcome must not stop the run, see app.py's
    ``drafts.keep``, which runs after the page)."""
    verdict(ctx)
    headline_facts(ctx)
    if head.mode != "applicant":  # a holder (or a lapsing licence) reads its duties first
        duties_table(ctx)
        st.page_link("pages/obligations.py", label=ctx.tr("nav.obligations"), icon=":material/verified_user:")
    if head.mode == "holder":  # licensed: no application to get ready for, so no score to chase
        return

    # one row that wraps: each metric as wide as its value
    score = done = gaps = st.container(horizontal=True, gap="small")
    score.metric(
        ctx.tr("overview.overall"),
        f"{fmt_score(a.overall, ctx.lang)} / 100",
        border=True,
        width="content",
        help=ctx.tr("overview.overall_help"),
    )
    done.metric(
        ctx.tr("overview.completion"),
        f"{fmt_score(a.completion, ctx.lang)}%",  # 66.7%, 100%: as the workbook, the PDF and the CLI
        border=True,
        width="content",
        help=ctx.tr("overview.completion_help", n=len(a.unanswered)),
    )
    gaps.metric(
        ctx.tr("overview.gaps"),
        len(a.gaps),
        border=True,
        width="content",
        help=ctx.tr("overview.gaps_help", blockers=len(a.blockers)),
    )
    # which answers a date needs is said by the verdict's question buttons; the range is on its card above,
    # so only what its far end assumes is said here
    notes = [ctx.tr("overview.range_far")] if head.licence_date_latest and head.licence_date else []
    if head.estimate and head.licence_date:
        notes.append(ctx.tr("overview.estimate_note"))
    if head.assumes_blockers_removed and head.licence_date:
        notes.append(ctx.tr("overview.assumes_blockers"))
    if notes:
        st.caption(" ".join(notes))
    if a.unanswered:
        st.page_link(
            "pages/questionnaire.py", label=ctx.tr("overview.answer_more", n=len(a.unanswered)), icon=":material/edit:"
        )
    overview_progress(ctx)  # the action plan's progress (not for a licence holder)

    chart_slots(
        (figure(charts.radar, ctx.catalog, a, ctx.lang), figure(charts.section_scores, ctx.catalog, a, ctx.lang)),
        ctx.tr("overview.no_answers"),
    )

    st.subheader(ctx.tr("overview.actions_title"))
    next_best_actions(ctx, TOP_ACTIONS)
    if len(a.actions) > TOP_ACTIONS:
        st.page_link("pages/gaps.py", label=ctx.tr("overview.all_gaps", n=len(a.gaps)), icon=":material/list:")
    routes_block(ctx)


page_header(ctx, "overview.title")
if start.shows(ctx):  # a new company: the welcome, then the legal conditions, before any verdict or score
    start.render(ctx)
else:
    overview()
