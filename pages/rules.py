"""规则与依据 Rules & sources: the catalog as a searchable table; "says who?" answered per rule."""

import streamlit as st

from ccl.i18n import confidence_label, fmt_date, kind_label
from ui.blocks import dimension_filter, filter_pills, page_header, source_links
from ui.context import page_context
from ui.tables import Col, rules_frame, static_table

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
static_table(
    shown,
    [
        Col("rule", ctx.tr("rules.col_rule")),
        Col("dimension", ctx.tr("gaps.col_dimension")),
        Col("kind", ctx.tr("rules.col_kind")),
        Col("severity", ctx.tr("gaps.col_severity")),
        Col("threshold", ctx.tr("rules.col_threshold"), help=ctx.tr("rules.col_threshold_help")),
        Col("source", ctx.tr("gaps.col_source"), detail=True),
        Col("confidence", ctx.tr("gaps.col_confidence"), detail=True),
        Col("verified", ctx.tr("rules.col_verified"), detail=True, fmt=lambda d: fmt_date(d, ctx.lang)),
        Col("rule_id", ctx.tr("rules.col_id"), detail=True),
    ],
    ctx.lang,
    height=560,
    css_class="st-rules-table",
)

# the rule's explanation and links: picked by name (a static table has no row selection)
picked = st.selectbox(
    ctx.tr("rules.pick"),
    list(shown["rule_id"]),
    index=None,
    format_func=ctx.rule_title,
    placeholder=ctx.tr("rules.pick_placeholder"),
    key="rules:pick",
)
if picked is None:
    st.caption(ctx.tr("rules.select_hint"))
else:
    rule = ctx.catalog.rule_by_id[picked]
    row = shown[shown["rule_id"] == picked].iloc[0]
    with st.container(border=True):
        st.markdown(f"#### {rule.title(ctx.lang)}")
        st.markdown(rule.explain(ctx.lang))
        st.markdown(f"**{ctx.tr('materials.what_to_do')}** {rule.remedy(ctx.lang)}")
        mark = ctx.tr("app.paren", text=confidence_label(rule.source.confidence, ctx.lang))
        cited = ctx.tr("source.practice") if rule.source.doc == "practice" else row["source"]
        st.markdown(f"**{ctx.tr('rules.source')}** {cited}{mark}")  # practice pages: the links below
        if rule.source.note:
            st.caption(rule.source.note(ctx.lang))
        st.markdown(source_links(ctx, rule.source))
