"""申请材料 Materials & inspection: the document checklist, consistency warnings, on-site inspection readiness."""

from typing import Any

import streamlit as st

from ccl.i18n import t
from ccl.materials import checklist
from ui import evidence
from ui.blocks import headline_line, page_header
from ui.context import page_context
from ui.tables import Col, documents_rows, static_table
from ui.views.licence import renewal_needs
from ui.views.pack import pack_download

OUTCOME_ICON = {
    "pass": ":green[:material/check_circle:]",
    "fail": ":red[:material/cancel:]",
    "unanswered": ":orange[:material/help:]",
    "not_applicable": ":gray[:material/remove_circle_outline:]",
    "does_not_apply": ":gray[:material/remove_circle_outline:]",
}

ctx = page_context()
cl = checklist(ctx.profile, ctx.ev.assessment, ctx.catalog)
page_header(ctx, "materials.title")
headline_line(ctx)  # the same verdict, licence date and next deadline as the Overview
renewal_needs(ctx)  # a licence holder: what its renewal needs comes first
consistency_open = sum(c.outcome == "fail" for c in cl.consistency)
inspection_ready = sum(c.outcome in ("pass", "not_applicable", "does_not_apply") for c in cl.inspection)
row = st.container(horizontal=True, gap="small")  # wraps: a label is never cut to "Required docume…"
row.metric(
    ctx.tr("materials.required_open"),
    cl.required_open,
    border=True,
    help=ctx.tr("materials.required_open_help"),
    width="content",
)
row.metric(
    ctx.tr("materials.consistency_open"),
    consistency_open,
    border=True,
    help=ctx.tr("materials.consistency_help"),
    width="content",
)
ready = f"{inspection_ready} / {len(cl.inspection)}"
row.metric(ctx.tr("materials.inspection_ready"), ready, border=True, width="content")
pack_download(ctx)  # the drafts of the documents the company writes itself, and the checklist

st.subheader(ctx.tr("materials.documents_title"))
st.caption(ctx.tr("materials.documents_caption"))
columns = [
    Col("document", ctx.tr("materials.col_document")),
    Col("status", ctx.tr("materials.col_status")),
    Col("state", ctx.tr("materials.col_state")),
    Col("waiting_for", ctx.tr("materials.col_waiting")),
    Col("evidence", ctx.tr("evidence_ui.col_evidence"), detail=True),
    Col("basis", ctx.tr("materials.col_basis"), detail=True),
]
static_table(documents_rows(ctx, cl, current=True), columns, ctx.lang, css_class="st-documents-table")
evidence.unevidenced_note(ctx, cl)  # claimed ready, but no document recorded
with st.expander(ctx.tr("materials.removed_title"), icon=":material/history_edu:"):
    st.caption(ctx.tr("materials.removed_caption"))
    removed = [c for c in columns if c.key in ("document", "status", "basis")]
    static_table(documents_rows(ctx, cl, current=False), removed, ctx.lang)


def check_list(items: tuple[Any, ...], explain_failures: bool) -> None:
    for item in items:
        rule = ctx.catalog.rule_by_id[item.rule_id]
        outcome = t(f"outcome.{item.outcome}", ctx.lang)
        st.markdown(f"{OUTCOME_ICON[item.outcome]} **{rule.title(ctx.lang)}** · {outcome}")
        if explain_failures and item.outcome == "fail":
            st.caption(f"{rule.explain(ctx.lang)} **{ctx.tr('materials.what_to_do')}** {rule.remedy(ctx.lang)}")


cons, insp = st.columns(2, gap="large")
with cons:
    st.subheader(ctx.tr("materials.consistency_title"))
    st.caption(ctx.tr("materials.consistency_caption"))
    check_list(cl.consistency, explain_failures=True)
with insp:
    st.subheader(ctx.tr("materials.inspection_title"))
    by = ctx.tr(f"materials.inspection_by_{ctx.profile.company.scope or 'unknown'}")
    st.caption(ctx.tr("materials.inspection_caption", authority=by))
    st.progress(inspection_ready / max(len(cl.inspection), 1))
    check_list(cl.inspection, explain_failures=True)
