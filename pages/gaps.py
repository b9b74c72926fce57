"""差距分析 Gaps: points lost by dimension and severity, the gap table, and "what if I fix this"."""

import streamlit as st

from ccl.i18n import fmt_date, fmt_score, severity_label, status_label
from ui import state
from ui.blocks import STATUS_BADGE, chart, chart_pair, dimension_filter, filter_pills, headline_line, page_header
from ui.cache import figure, what_if
from ui.charts import assessment as charts
from ui.context import page_context
from ui.nav import end_page
from ui.tables import gap_columns, gap_rows, static_table
from ui.views.licence import route_what_if, routes_block

ctx = page_context()
a = ctx.ev.assessment
page_header(ctx, "gaps.title")
headline_line(ctx)  # the same verdict, licence date and next deadline as the Overview

if not a.gaps and a.unanswered:  # no green "all clear" while questions are open
    st.info(ctx.tr("gaps.none_yet", n=len(a.unanswered)), icon=":material/edit_note:")
    end_page()
if not a.gaps:
    st.success(ctx.tr("gaps.none"), icon=":material/task_alt:")
    routes_block(ctx)
    end_page()

left, right = chart_pair()
with left:
    chart(figure(charts.points_lost, ctx.catalog, a, ctx.lang), ctx.tr("gaps.no_points_lost"))
with right:
    chart(figure(charts.gap_heatmap, ctx.catalog, a, ctx.lang), ctx.tr("gaps.none"))

st.subheader(ctx.tr("gaps.table_title"))
f_sev = f_dim = st.container(horizontal=True, gap="medium")  # pill groups wrap, never clip
severities = filter_pills(
    f_sev, ctx.tr("gaps.filter_severity"), charts.SEVERITIES, lambda s: severity_label(s, ctx.lang), "gaps:severity"
)
dims = dimension_filter(ctx, f_dim, ctx.tr("gaps.filter_dimension"), "gaps:dimension")
shown = [g for g in a.gaps if (not severities or g.severity in severities) and (not dims or g.dimension in dims)]
st.caption(ctx.tr("gaps.shown", n=len(shown), total=len(a.gaps)))
static_table(gap_rows(ctx, shown), gap_columns(ctx), ctx.lang, css_class="st-gaps-table")

st.subheader(ctx.tr("gaps.whatif_title"))
fixable = [g.rule_id for g in a.gaps if g.severity != "warning"]
# keep only gaps that still exist (the answers or the company may have changed since)
state.show("gaps:whatif", [r for r in st.session_state.get("gaps:whatif", []) if r in fixable], ctx.lang)
chosen = st.pills(
    ctx.tr("gaps.whatif_pick"),
    fixable,
    selection_mode="multi",
    wrap=True,
    format_func=ctx.rule_title,
    key="gaps:whatif",
    help=ctx.tr("gaps.whatif_help"),
    width="stretch",
)
if chosen:
    w = what_if(ctx.profile, state.start_date(), state.review_anchor(), tuple(chosen))
    gain = date_gain = st.container(horizontal=True, gap="small")  # wraps: a date never ends in "…"
    verdict = gain
    gain.metric(
        ctx.tr("gaps.whatif_score"),
        f"{fmt_score(w.overall_after, ctx.lang)} / 100",
        delta=ctx.tr("gaps.whatif_points", n=fmt_score(w.score_gain, ctx.lang)),
        border=True,
        width="content",
    )
    days: str | None = None  # no change of date to tell when either date is unknown
    if w.licence_after is not None and w.licence_before is not None:
        days = ctx.tr_n("gaps.whatif_days", w.days_earlier) if w.days_earlier else ctx.tr("gaps.whatif_same_date")
    date_gain.metric(
        ctx.tr("gaps.whatif_licence"),
        fmt_date(w.licence_after, ctx.lang) + " *" if w.licence_after else ctx.tr("licence.pending"),
        delta=days,
        border=True,
        width="content",
        delta_color="normal" if w.days_earlier else "off",
        delta_arrow="auto" if w.days_earlier else "off",
    )
    with verdict.container(border=True, width="content"):
        st.caption(ctx.tr("gaps.whatif_status"))
        removed = ctx.tr("gaps.whatif_blockers", n=w.blockers_removed) if w.blockers_removed else ""
        st.markdown(f":{STATUS_BADGE[w.status_after]}-badge[{status_label(w.status_after, ctx.lang)}] {removed}")
    st.caption(ctx.tr("gaps.whatif_note"))
routes_block(ctx)
route_what_if(ctx)
