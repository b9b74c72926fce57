"""What the answers do not support yet, said where the user is: open legal conditions, questions a section
waits on, and the licence date's dependence on them (each with a way to the question)."""

from __future__ import annotations

import streamlit as st

from ccl.i18n import fmt_date, t
from ccl.scoring import waiting_on_other_sections
from ccl.timeline import Timeline
from ui.blocks import goto_section, licence_note, licence_text, question_buttons
from ui.context import PageContext


def open_gate_lines(ctx: PageContext, section: str) -> list[str]:
    """Markdown list items for the legal conditions of this section that still wait on an answer."""
    cat = ctx.catalog
    reasons = ctx.ev.assessment.status_reasons
    gates = [
        r.rule_id
        for r in reasons
        if r.code == "gate_unanswered" and r.rule_id and cat.rule_by_id[r.rule_id].dimension == section
    ]
    return [
        f"- :orange-badge[:material/gavel:] {ctx.tr('questionnaire.gate_open', name=ctx.rule_title(rule_id))}"
        for rule_id in gates
    ]


def depends_note(ctx: PageContext, section: str) -> None:
    """A dimension whose rules wait on a question of another section says so, with a way there."""
    for f in waiting_on_other_sections(ctx.ev.assessment, ctx.profile, ctx.catalog, section):
        label = ctx.catalog.questions[f].label(ctx.lang)
        text = ctx.tr("questionnaire.depends_on", dimension=ctx.dim_name(section), label=label)
        st.info(text, icon=":material/link:")
        go = ctx.tr("questionnaire.go_answer", label=label)
        goto_section(f.split(".", 1)[0], go, key=f"qn:dep:{f}", switch=False)


def timeline_facts(ctx: PageContext, tl: Timeline) -> list[tuple[str, str, str | None]]:
    """The procedure's dates and the licence date (or why there is none) as fact cards."""
    mark = " *" if tl.estimate else ""
    out: list[tuple[str, str, str | None]] = []
    if not tl.gates_open:  # without the gates answered only the stage durations mean something
        for key, day in zip(
            ("submission", "acceptance", "decision"),
            (tl.submission_date, tl.acceptance_date, tl.decision_date),
            strict=True,
        ):
            out.append((t(f"milestone.{key}", ctx.lang), fmt_date(day, ctx.lang) + mark, None))
    out.append((t("milestone.licence", ctx.lang), licence_text(ctx, tl), licence_note(ctx, tl)))
    return out


def licence_warning(ctx: PageContext, tl: Timeline) -> None:
    """Which answers a licence date needs (with buttons to them), or what the far end of a range assumes."""
    note = licence_note(ctx, tl)
    if tl.gates_open and note:
        st.warning(note, icon=":material/gavel:")
        question_buttons(ctx, tl.gates_open, "timeline")
    elif note:
        st.caption(note)
