"""The first run of a new company on the Overview: a welcome (what the tool does, one button), then the legal
conditions on one screen, each asked in plain words; the Overview's verdict follows once they are answered.

What to show is decided in ``ccl.progress`` (anything answered yet, which questions the legal conditions
read); this module only draws it.
"""

from __future__ import annotations

import streamlit as st

from ccl.progress import legal_answered, legal_questions, started
from ui import state, widgets
from ui.context import PageContext


def shows(ctx: PageContext) -> bool:
    """The Overview opens on the first-run screens: a blank company (welcome) or one answering the legal
    conditions there. Once they are all answered (no legal condition waits on an answer) the verdict shows."""
    if state.first_run() and not ctx.ev.assessment.gates_open:
        state.set_first_run(False)  # the last legal condition was just answered: on to the verdict
        return False
    return state.first_run() or (not started(ctx.profile) and ctx.ev.head.mode == "applicant")


def render(ctx: PageContext) -> None:
    if state.first_run():
        legal_conditions(ctx)
    else:
        welcome(ctx)


def welcome(ctx: PageContext) -> None:
    n = len(legal_questions(ctx.catalog))
    with st.container(border=True):
        st.subheader(ctx.tr("start.welcome_title"))
        st.markdown(ctx.tr("start.welcome"))
        st.caption(ctx.tr("start.welcome_steps", n=n))
        st.button(
            ctx.tr("start.button"),
            type="primary",
            icon=":material/play_arrow:",
            key="start:begin",
            on_click=state.set_first_run,
            args=(True,),
        )
    st.caption(ctx.tr("start.sample_hint"))


def legal_conditions(ctx: PageContext) -> None:
    fields = legal_questions(ctx.catalog)
    n = len(fields)
    st.subheader(ctx.tr("start.title", n=n))
    st.caption(ctx.tr("start.intro"))
    done = legal_answered(ctx.profile, ctx.catalog)
    st.progress(done / n, text=ctx.tr("start.progress", done=done, n=n))
    for field in fields:
        widgets.question(ctx, field, first_run=True)
    if done:  # with nothing answered the Overview would only welcome again
        st.button(ctx.tr("start.skip"), key="start:skip", type="tertiary", on_click=state.set_first_run, args=(False,))
