"""自评问卷 Questionnaire: answers by section, typed inputs, a live score per section and completion.

The page body is a fragment: an answer reruns only the body (score, section, questions), not the
sidebar and navigation. Answers that the sidebar also shows (name, province) ask for a full rerun.
Each element is a message to the browser on every answer, so the body is kept to few elements.
"""

import streamlit as st

from ccl.catalog.objects import DIMENSIONS
from ccl.i18n import distance_text, fmt_score, severity_label, status_label
from ccl.progress import section_marks, started
from ui import evidence, localize, state, widgets
from ui.blocks import SEVERITY_BADGE, STATUS_BADGE, page_header
from ui.context import PageContext, page_context
from ui.guidance import depends_note, open_gate_lines
from ui.session import drafts

SECTIONS = ("company", *DIMENSIONS, "licence", "document_details")


def section_name(ctx: PageContext, section: str) -> str:
    return ctx.dim_name(section) if section in DIMENSIONS else ctx.tr(f"questionnaire.section_{section}")


def on_section() -> None:
    if st.session_state.get("qn:section") in SECTIONS:
        st.session_state[state.SECTION] = st.session_state["qn:section"]


def summary(ctx: PageContext) -> None:
    a = ctx.ev.assessment
    if started(ctx.profile):  # an empty form has no score or verdict yet: only what is left to answer
        with st.container(horizontal=True, gap="large", vertical_alignment="bottom"):
            st.metric(ctx.tr("overview.overall"), f"{fmt_score(a.overall, ctx.lang)} / 100", width="content")
            st.metric(ctx.tr("overview.completion"), f"{fmt_score(a.completion, ctx.lang)}%", width="content")
            badge = f":{STATUS_BADGE[a.status]}-badge[{status_label(a.status, ctx.lang)}]"
            st.markdown(f"{ctx.tr('questionnaire.verdict')}\n\n{badge}", width="content")
    st.progress(a.completion / 100, text=ctx.tr("questionnaire.progress", n=len(a.unanswered)))


def section_picker(ctx: PageContext) -> str:
    marks = {s: m.text(ctx.lang) for s, m in section_marks(ctx.profile, ctx.ev.assessment, SECTIONS).items()}
    labels = {s: f"{section_name(ctx, s)} {mark}".rstrip() for s, mark in marks.items()}
    state.show("qn:section", st.session_state[state.SECTION], tuple(labels.values()))
    return (
        st.segmented_control(
            ctx.tr("questionnaire.section"),
            SECTIONS,
            format_func=labels.__getitem__,
            key="qn:section",
            on_change=on_section,
            required=True,
            help=ctx.tr("questionnaire.section_help"),
        )
        or "company"
    )


def section_head(ctx: PageContext, section: str) -> None:
    """The section's name, live score, completion and gaps, as one block."""
    lines = [f"### {section_name(ctx, section)}"]
    a = ctx.ev.assessment
    if section in a.dimensions:
        dim = a.dimensions[section]
        score, done = fmt_score(dim.score, ctx.lang), fmt_score(dim.completion, ctx.lang)
        lines.append(ctx.tr("questionnaire.section_line", score=score, done=done, gaps=dim.gaps))
        for g in (g for g in a.gaps if g.dimension == section):
            dist = distance_text(ctx.catalog, g.distance, ctx.lang)
            conf = ctx.catalog.rule_by_id[g.rule_id].source.confidence
            badge = f":{SEVERITY_BADGE[g.severity]}-badge[{severity_label(g.severity, ctx.lang, conf)}]"
            lines.append(f"- {badge} {ctx.rule_title(g.rule_id)}" + (f" — {dist}" if dist else ""))
    lines += open_gate_lines(ctx, section)
    if section == "document_details":  # not scored: what the application pack's drafts need
        lines.append(ctx.tr("questionnaire.document_details_note"))
    st.markdown("\n\n".join(lines[:2]) + ("\n\n" + "\n".join(lines[2:]) if len(lines) > 2 else ""))
    if section in a.dimensions:
        depends_note(ctx, section)


@st.fragment
def body() -> None:
    evidence.absorb()  # what was typed in an open notes-and-evidence editor, before anything is drawn
    if st.session_state.pop(state.APP_RERUN, False):
        st.rerun(scope="app")
    ctx = page_context()  # inside the fragment: recomputed (from the cache) on every answer
    summary(ctx)
    section = section_picker(ctx)
    section_head(ctx, section)
    widgets.questions(ctx, widgets.section_fields(section))
    drafts.keep()  # a fragment rerun does not reach the end of app.py


page_header(page_context(), "questionnaire.title")
localize.calendar(state.lang())  # the date questions' pop-up calendar in Chinese
body()
