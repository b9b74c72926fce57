"""The Plan page on any screen: one action whole in a panel under the table, whose form edits it the table's
way (``ui.views.plan.apply_changes``: refused edits kept aside as pending), and on a phone the actions as
cards and the Gantt as a list by date.

Streamlit cannot know the screen's width: cards and list are drawn with the grid and the Gantt, and CSS
shows the one that fits (below ``ui.tables.PHONE_PX``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import streamlit as st

from ccl.i18n import fmt_date, plan_status_label, t
from ccl.plan import STATUSES, PlanItem
from ccl.profile import DATE_MAX, DATE_MIN
from ui import state
from ui.cache import evaluate
from ui.context import PageContext
from ui.escape import md_literal
from ui.tables import PHONE_PX, Col, Rows, missing, static_table
from ui.views.plan import (
    EDITABLE,
    TEXT_MAX,
    VERSION,
    apply_changes,
    cell_value,
    may_edit,
    next_editor,
    pending,
    plan_rows,
)

PICK = "plan:pick"
EDIT_MESSAGE = state.page_message("plan:edit_message")  # (kind, text) after the panel's form
PHONE_CSS = f"""<style>
.st-key-plan-cards, .st-key-plan-dated {{ display: none !important; }}
@media (max-width: {PHONE_PX}px) {{
  .st-key-plan-grid, .st-key-plan-gantt {{ display: none !important; }}
  .st-key-plan-cards, .st-key-plan-dated {{ display: flex !important; }}
}}
</style>"""


def narrow_screen_styles() -> None:
    """Below ``PHONE_PX`` the grid and the Gantt give way to cards and a dated list (CSS only: the server
    cannot know the screen's width, so both are drawn and the browser shows the one that fits)."""
    st.html(PHONE_CSS)


def _form_key(action_id: str, field: str) -> str:
    return f"plan:form:{st.session_state.get(VERSION, 0)}:{action_id}:{field}"


def _on_form(action_id: str) -> None:
    """The panel's form: the changed fields go the grid's way (``apply_changes``), refused ones kept aside."""
    lang = state.lang()
    if not may_edit():
        return
    current = next((a for a in state.profile().plan if a.id == action_id), None)
    if current is None:
        return
    wanted = {f: cell_value(f, st.session_state.get(_form_key(action_id, f))) for f in EDITABLE}
    aside = pending().get(action_id, {})
    changes = {f: v for f, v in wanted.items() if v != getattr(current, f) or f in aside}
    label = current.title or action_id
    names = {i.id: i.label(lang) for i in evaluate(state.profile(), state.start_date(), state.review_anchor()).plan}
    label = names.get(action_id, label)
    if not changes:
        st.session_state[EDIT_MESSAGE] = ("info", t("plan_ui.edit_none", lang))
        return
    apply_changes({action_id: changes}, state.start_date())
    if action_id not in pending():
        st.session_state[EDIT_MESSAGE] = ("success", t("plan_ui.edit_done", lang, action=md_literal(label)))
    next_editor()  # the grid and this form start again from the profile


def _shown(value: Any) -> bool:
    """A cell with something in it."""
    return not missing(value) and value not in ("", "—")


def action_panel(ctx: PageContext, shown: Sequence[PlanItem], editable: bool) -> None:
    """One action whole — its marks, effort, the actions it waits for, reason and notes — and a form that
    changes its owner, due date, status, waiver reason and notes (the table's fields, the table's way)."""
    by_id = {i.id: i for i in shown}
    if st.session_state.get(PICK) not in by_id:
        st.session_state[PICK] = None  # filtered away or gone
    picked = st.selectbox(
        ctx.tr("plan_ui.pick"),
        list(by_id),
        index=None,
        format_func=lambda i: by_id[i].label(ctx.lang),
        placeholder=ctx.tr("plan_ui.pick_placeholder"),
        key=PICK,
    )
    message = st.session_state.get(EDIT_MESSAGE)
    if message:
        kind, text = message
        {"success": st.success, "info": st.info}.get(kind, st.error)(text, icon=":material/info:")
    if picked is None:
        st.caption(ctx.tr("plan_ui.pick_hint"))
        return
    item = by_id[picked]
    [row] = plan_rows(ctx, [item], pending())
    with st.container(border=True, key="plan-panel"):
        st.markdown(f"**{md_literal(row['action'])}**")
        facts = [
            (ctx.tr("plan_ui.col_flags"), row["flags"]),
            (ctx.tr("plan.col.effort"), row["effort"]),
            (ctx.tr("plan.col.after"), row["after"]),
            (ctx.tr("plan.col.dimension"), row["dimension"]),
            (ctx.tr("plan.col.severity"), row["severity"]),
        ]
        colon = ctx.tr("app.colon")
        st.markdown("  \n".join(f"**{k}**{colon}{md_literal(v)}" for k, v in facts if _shown(v)))
        texts = {"reason": "plan_ui.edit_reason_help", "notes": None}  # the long texts, and their help
        if not editable:
            for field in texts:
                if _shown(row[field]):
                    st.markdown(f"**{ctx.tr(f'plan.col.{field}')}**{colon}{md_literal(row[field])}")
            return
        status = pending().get(picked, {}).get("status", item.status)
        with st.form(f"plan:form:{picked}", border=False, enter_to_submit=False):
            left, right = st.columns(2)
            left.selectbox(
                ctx.tr("plan.col.status"),
                STATUSES,
                index=STATUSES.index(status) if status in STATUSES else 0,
                format_func=lambda s: plan_status_label(s, ctx.lang),
                key=_form_key(picked, "status"),
            )
            right.date_input(  # the row's values are the profile's, or the refused edit kept aside
                ctx.tr("plan.col.due"),
                value=row["due"],
                min_value=DATE_MIN,
                max_value=DATE_MAX,
                format=ctx.date_input_format,
                key=_form_key(picked, "due"),
            )
            st.text_input(
                ctx.tr("plan.col.owner"),
                value=row["owner"] or "",
                max_chars=TEXT_MAX["owner"],
                key=_form_key(picked, "owner"),
            )
            for field, help_key in texts.items():
                st.text_area(
                    ctx.tr(f"plan.col.{field}"),
                    value=row[field] or "",
                    max_chars=TEXT_MAX[field],
                    height=68,
                    help=ctx.tr(help_key) if help_key else None,
                    key=_form_key(picked, field),
                )
            st.form_submit_button(
                ctx.tr("plan_ui.edit_submit"),
                on_click=_on_form,
                args=(picked,),
                icon=":material/save:",
                type="primary",
            )


def card_columns(ctx: PageContext) -> list[Col]:
    """The plan as cards on a phone: the action, its status, owner, due date and marks; long texts under."""
    tr = ctx.tr
    return [
        Col("action", tr("plan.col.action")),
        Col("status", tr("plan.col.status")),
        Col("owner", tr("plan.col.owner")),
        Col("due", tr("plan.col.due"), fmt=lambda d: fmt_date(d, ctx.lang)),
        Col("flags", tr("plan_ui.col_flags")),
        Col("effort", tr("plan.col.effort")),
        Col("reason", tr("plan.col.reason"), detail=True),
        Col("notes", tr("plan.col.notes"), detail=True),
        Col("after", tr("plan.col.after"), detail=True),
    ]


def action_cards(ctx: PageContext, rows: Rows) -> None:
    """The actions shown in the grid (their ``plan_rows``), as cards (drawn for every screen, shown below
    ``PHONE_PX`` only)."""
    cards = [{**row, "flags": row["flags"] or None} for row in rows]
    with st.container(key="plan-cards"):
        static_table(cards, card_columns(ctx), ctx.lang, css_class="ccl-plan-cards")


def dated_list(ctx: PageContext, rows: Sequence[Any]) -> None:
    """The Gantt's actions as a list by date (on a phone, where the chart's labels would eat the width)."""
    lines = []
    for r in sorted(rows, key=lambda r: (r.end or r.due or date.max, r.label)):
        when = r.end or r.due
        item = r.item
        lines.append(
            {
                "date": fmt_date(when, ctx.lang) if when else "—",
                "action": item.label(ctx.lang) if item else r.label.replace("<br>", ""),  # the chart's label is cut
                "owner": item.owner if item and item.owner else ctx.tr("plan_ui.no_owner"),
                "status": plan_status_label(item.status, ctx.lang) if item else "—",
                "flags": "⚠ " + ctx.tr("plan.flag.overdue") if item and item.overdue else None,
            }
        )
    with st.container(key="plan-dated"):
        st.markdown(f"**{ctx.tr('plan_ui.dated_title')}**")
        static_table(
            lines,
            [
                Col("date", ctx.tr("plan_ui.dated_col_date"), "short"),
                Col("action", ctx.tr("plan.col.action")),
                Col("owner", ctx.tr("plan.col.owner")),
                Col("status", ctx.tr("plan.col.status")),
                Col("flags", ctx.tr("plan_ui.col_flags")),
            ],
            ctx.lang,
        )
