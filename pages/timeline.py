"""时间线 Timeline: work, the regulator's stages, milestones and scenarios; for a holder, the licence's life."""

from datetime import date

import streamlit as st

from ccl.catalog.objects import SCENARIOS
from ccl.i18n import t
from ui import cache, localize, state
from ui.blocks import chart, estimate_notes, facts, headline_line, page_header
from ui.charts import assessment as charts
from ui.context import page_context
from ui.guidance import licence_warning, timeline_facts
from ui.nav import end_page
from ui.views.licence import after_licence_table, calendar_download, life_table


def copy_to_state(widget: str, target: str) -> None:
    """Keep a control's value in a session key that outlives the page (widget state does not)."""
    if st.session_state.get(widget) is not None:
        st.session_state[target] = st.session_state[widget]


ctx = page_context()
localize.calendar(ctx.lang)  # the date boxes' pop-up calendar in Chinese
page_header(ctx, "timeline.title")
headline_line(ctx)  # the same verdict, licence date and next deadline as the Overview

if life_table(ctx):  # a licence already held: its life, not a new application (lapsed: then a fresh one)
    calendar_download(ctx)
    end_page()

scenario_col, start_col, anchor_col = st.columns([2, 1, 1])
state.show("tl:scenario", st.session_state[state.SCENARIO], ctx.lang)
scenario = (
    scenario_col.segmented_control(
        ctx.tr("timeline.scenario"),
        SCENARIOS,
        format_func=lambda s: t(f"scenario.{s}", ctx.lang),
        key="tl:scenario",
        required=True,
        on_change=copy_to_state,
        args=("tl:scenario", state.SCENARIO),
        help=ctx.tr("timeline.scenario_help"),
        wrap=True,  # a narrow column (English at 1024 px) wraps the third choice instead of cutting it
    )
    or "expected"
)
state.show("tl:start", state.start_date(), ctx.lang)  # the date box's format follows the language
start_col.date_input(
    ctx.tr("timeline.start"),
    key="tl:start",
    min_value=date(2020, 1, 1),
    max_value=date(2035, 12, 31),
    format=ctx.date_input_format,
    on_change=copy_to_state,
    args=("tl:start", state.START),
    help=ctx.tr("timeline.start_help"),
)
state.show("tl:anchor", state.review_anchor(), ctx.lang)
anchor_col.selectbox(
    ctx.tr("timeline.anchor"),
    ("acceptance", "receipt"),
    key="tl:anchor",
    format_func=lambda v: (text := ctx.tr(f"timeline.anchor_{v}"))[:1].upper() + text[1:],  # an option starts upper
    on_change=copy_to_state,
    args=("tl:anchor", state.ANCHOR),
    help=ctx.tr("timeline.anchor_help"),
)

tl = (ctx.ev.story_timeline or ctx.ev.expected) if scenario == "expected" else ctx.ev.timelines[scenario]  # headline
a = ctx.ev.assessment
if scenario != "expected" and ctx.ev.head.licence_date_basis == "plan":
    st.caption(ctx.tr("timeline.scenario_catalog"))
if tl.assumes_blockers_removed:
    st.warning(ctx.tr("timeline.assumes_blockers", n=len(a.blockers)), icon=":material/block:")
if tl.open_questions:
    st.info(ctx.tr("timeline.open_questions", n=tl.open_questions), icon=":material/help:")

facts(
    [
        *timeline_facts(ctx, tl),
        (ctx.tr("timeline.correction_rounds"), str(tl.correction_rounds), ctx.tr("timeline.correction_help")),
    ]
)
licence_warning(ctx, tl)

chart(cache.figure(charts.gantt, ctx.catalog, tl, ctx.lang), ctx.tr("timeline.no_stages"))

after, notes = st.columns([2, 3])
with after:
    st.subheader(ctx.tr("timeline.after_licence"))
    after_licence_table(ctx, tl)
with notes:
    st.subheader(ctx.tr("timeline.estimates_title"))
    st.markdown("\n".join(f"- {line}" for line in estimate_notes(ctx, tl)))
calendar_download(ctx)
