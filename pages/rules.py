"""规则与依据 Rules & sources: the catalog as a searchable table; "says who?" answered per rule."""

import streamlit as st

from ccl.i18n import confidence_label, fmt_date, kind_label
from ui.blocks import dimension_filter, filter_pills, page_header, source_links
from ui.context import page_context
from ui.tables import WRAP_ROW_HEIGHT, rules_frame

KINDS = ("gate", "scored", "warning")
ctx = page_context()
page_header(ctx, "rules.title")
st.caption(ctx.tr("rules.caption", version=ctx.catalog.version, verified=fmt_date(ctx.catalog.last_verified, ctx.lang)))

search = st.container()
kind_col = dim_col = st.container(horizontal=True, gap="medium")  # pill groups wrap, never clip
query = (
    search.text_input(
        ctx.tr("rules.search"),
        key="rules:search",
        placeholder=ctx.tr("rules.search_hint"),
        icon=":material/search:",
        persist_state="session",
    )
    .strip()
    .lower()
)
kinds = filter_pills(kind_col, ctx.tr("rules.filter_kind"), KINDS, lambda k: kind_label(k, ctx.lang), "rules:kind")
dims = dimension_filter(ctx, dim_col, ctx.tr("rules.filter_dimension"), "rules:dimension")

frame = rules_frame(ctx)
mask = frame["rule_id"].map(
    lambda rid: (
        (not kinds or ctx.catalog.rule_by_id[rid].kind in kinds)
        and (not dims or ctx.catalog.rule_by_id[rid].dimension in dims)
    )
)
if query:
    text = frame[["rule_id", "rule", "dimension", "kind", "threshold", "source"]].astype(str).agg(" ".join, axis=1)
    mask &= text.str.lower().str.contains(query, regex=False)
shown = frame[mask]
st.caption(ctx.tr("rules.shown", n=len(shown), total=len(frame)))
event = st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=560,
    row_height=WRAP_ROW_HEIGHT,
    key="rules:table",
    on_select="rerun",
    selection_mode="single-row",
    column_order=["rule", "dimension", "kind", "severity", "threshold", "source", "confidence", "verified", "rule_id"],
    column_config={
        "rule_id": st.column_config.TextColumn(ctx.tr("rules.col_id"), width=150),
        "rule": st.column_config.TextColumn(ctx.tr("rules.col_rule"), width=220),
        "dimension": st.column_config.TextColumn(ctx.tr("gaps.col_dimension"), width=76),
        "kind": st.column_config.TextColumn(ctx.tr("rules.col_kind"), width=96),
        "severity": st.column_config.TextColumn(ctx.tr("gaps.col_severity"), width=88),  # "Unverified" whole
        "threshold": st.column_config.TextColumn(
            ctx.tr("rules.col_threshold"), width=200, help=ctx.tr("rules.col_threshold_help")
        ),
        "source": st.column_config.TextColumn(ctx.tr("gaps.col_source"), width=280),
        "confidence": st.column_config.TextColumn(ctx.tr("gaps.col_confidence"), width="small"),
        "verified": st.column_config.DateColumn(ctx.tr("rules.col_verified"), format="YYYY-MM-DD"),
    },
)

rows = event.selection.rows if event is not None else []
if not rows:
    st.caption(ctx.tr("rules.select_hint"))
else:
    rule = ctx.catalog.rule_by_id[shown.iloc[rows[0]]["rule_id"]]
    with st.container(border=True):
        st.markdown(f"#### {rule.title(ctx.lang)}")
        st.markdown(rule.explain(ctx.lang))
        st.markdown(f"**{ctx.tr('materials.what_to_do')}** {rule.remedy(ctx.lang)}")
        mark = ctx.tr("app.paren", text=confidence_label(rule.source.confidence, ctx.lang))
        cited = ctx.tr("source.practice") if rule.source.doc == "practice" else shown.iloc[rows[0]]["source"]
        st.markdown(f"**{ctx.tr('rules.source')}** {cited}{mark}")  # practice pages: the links below
        if rule.source.note:
            st.caption(rule.source.note(ctx.lang))
        st.markdown(source_links(ctx, rule.source))
