"""行动计划 Action plan: who does what by when, the licence date the plan leads to, and its Gantt."""

import streamlit as st

from ccl.i18n import t
from ui import auth, localize
from ui.blocks import chart, headline_line, page_header
from ui.cache import figure
from ui.charts.plan import gantt_rows, plan_gantt
from ui.context import page_context
from ui.nav import end_page
from ui.views import plan as pv
from ui.views import plan_panel as pp
from ui.views.licence import calendar_download

pv.take_edits()
ctx = page_context()
localize.calendar(ctx.lang)  # the date boxes' pop-up calendar in Chinese
page_header(ctx, "plan.title")
# The headline every page shows, whatever follows (a holder's next deadline; the plan's licence date when its
# due dates decide it).
headline_line(ctx, why=True)

if ctx.ev.head.mode == "holder":  # a licence holder's dates are its duties, not an application
    st.info(ctx.tr("plan_ui.holder"), icon=":material/verified_user:")
    st.page_link("pages/obligations.py", label=ctx.tr("nav.obligations"), icon=":material/verified_user:")
    end_page()

editable = pv.can_edit(ctx)
if editable:
    st.caption(ctx.tr("plan_ui.intro"))
else:
    st.info(ctx.tr("plan_ui.read_only", role=t(f"auth.role.{auth.access().role}", ctx.lang)), icon=":material/lock:")

items = ctx.ev.plan
if not items:
    a = ctx.ev.assessment
    if a.unanswered:
        st.info(ctx.tr_n("plan_ui.answer_first", len(a.unanswered)), icon=":material/edit_note:")
        st.page_link("pages/questionnaire.py", label=ctx.tr("nav.questionnaire"), icon=":material/edit:")
    else:
        st.success(ctx.tr("plan.none"), icon=":material/task_alt:")
    if editable:
        pv.add_form(ctx)
    end_page()

row = st.container(horizontal=True, gap="small")  # wraps: a date never ends in "…"
pv.progress_metrics(ctx, row)
why = pv.licence_sentences(ctx)
if why:
    with st.container(border=True):
        st.markdown(f"**{ctx.tr('plan_ui.why_title')}**\n\n" + "\n".join(f"- {line}" for line in why))

st.subheader(ctx.tr("plan_ui.table_title"))
shown = pv.filters(ctx, pv.steady(items))  # rows stay put while the user edits them
st.caption(ctx.tr("plan_ui.shown", n=len(shown), total=len(items)))
for problem in pv.pending_problems(ctx):
    st.error(problem, icon=":material/edit_note:")
for note in pv.kept_done(ctx):
    st.warning(note, icon=":material/task_alt:")
pp.narrow_screen_styles()  # a phone gets cards and a dated list instead of the grid and the Gantt
if shown:
    rows = pv.plan_rows(ctx, shown, pv.pending())  # the grid's and the phone's cards'
    pv.action_table(ctx, shown, rows, editable)
    pp.action_cards(ctx, rows)
    pp.action_panel(ctx, shown, editable)  # one action whole, and its edits, on any screen
else:
    st.info(ctx.tr("plan_ui.none_shown"), icon=":material/filter_alt_off:")
if editable:
    pv.add_form(ctx)

fig = figure(plan_gantt, ctx.catalog, ctx.ev.plan_timeline, items, ctx.ev.start, ctx.lang)
bars = gantt_rows(ctx.catalog, ctx.ev.plan_timeline, items, ctx.ev.start, ctx.lang) if fig is not None else []
with st.container(key="plan-gantt"):  # on a phone the list by date below stands in for it
    chart(fig, ctx.tr("plan_ui.gantt_none"))
    if fig is not None:
        notes = [ctx.tr("plan_ui.gantt_caption")]
        if n := pv.left_out(ctx, {r.key for r in bars}):
            notes.append(ctx.tr_n("plan_ui.gantt_left_out", n))
        st.caption(("" if ctx.lang == "zh" else " ").join(notes))
if fig is not None:
    pp.dated_list(ctx, bars)
calendar_download(ctx, "plan")  # the due dates with their owners, into the team's calendars
