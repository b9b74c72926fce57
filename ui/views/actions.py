"""The next best actions on the Overview: a card per action with its gain, effort and the plan's owner.

The ranking is the engine's (``Assessment.actions``); the owner, status and due date come from the
action plan (``ccl.plan.gap_plans``), so the card says who is on it and by when.
"""

from __future__ import annotations

import streamlit as st

from ccl.i18n import fmt_score, gap_plan_text, severity_label
from ccl.plan import gap_plans
from ui.blocks import SEVERITY_BADGE
from ui.context import PageContext


def next_best_actions(ctx: PageContext, top: int) -> None:
    """The first ``top`` actions as cards, or a note when there is nothing (yet) to do."""
    a = ctx.ev.assessment
    if not a.actions and a.unanswered:  # never "nothing to do" while questions are open
        st.info(ctx.tr("overview.no_actions_yet"), icon=":material/edit_note:")
    elif not a.actions:
        st.success(ctx.tr("overview.no_actions"), icon=":material/task_alt:")
    plans = gap_plans(ctx.ev.plan)
    for rank, act in enumerate(a.actions[:top], start=1):
        rule = ctx.catalog.rule_by_id[act.rule_id]
        with st.container(border=True):
            text, facts = st.columns([2, 1])
            text.markdown(f"**{rank}. {rule.title(ctx.lang)}**")
            text.caption(rule.remedy(ctx.lang))
            if act.rule_id in plans:  # who is on it and by when, as the action plan says
                text.caption(f":material/assignment_ind: {gap_plan_text(plans[act.rule_id], ctx.lang)}")
            badges = [
                f":{SEVERITY_BADGE[act.severity]}-badge[{severity_label(act.severity, ctx.lang)}]",
                # the short name ("Materials"): a badge in this narrow column is never cut to "Application mate…"
                f":gray-badge[{ctx.catalog.dimension_by_id[act.dimension].short(ctx.lang)}]",
            ]
            facts.markdown(" ".join(badges))
            gain = fmt_score(act.gain_points, ctx.lang)
            lo, hi = act.effort_days
            facts.markdown(ctx.tr("overview.action_facts", gain=gain, lo=lo, hi=hi))
