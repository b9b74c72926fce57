"""Routes to the licence, a licence holder's duties and the compliance-calendar download.

Render helpers for the Overview, Gaps, Obligations and Timeline pages; the content comes from the
evaluation (``alternatives``, ``obligations``) and ``ccl.ics``.
"""

from __future__ import annotations

import streamlit as st

from ccl.filenames import safe_file_part
from ccl.i18n import fmt_date, fmt_score, obligation_message, route_notes, status_label
from ccl.obligations import STANDING_DUTIES
from ccl.timeline import Timeline, licence_life
from ui import state
from ui.blocks import STATUS_BADGE
from ui.cache import what_if_route
from ui.context import PageContext
from ui.exports import logged
from ui.tables import Col, milestone_rows, static_table

# the dated duties a licence brings, in the order they fall due (Timeline and Licence duties pages)
AFTER_LICENCE = ("annual_report", "renewal_warning", "renewal_deadline", "expiry")


def routes_block(ctx: PageContext) -> None:
    """Every route that applies: what it clears, what it costs, how sure the basis is."""
    alts = ctx.ev.alternatives
    if not alts:
        return
    st.subheader(ctx.tr("routes.heading"))
    st.caption(ctx.tr("routes.caption"))
    colon, semi = ctx.tr("app.colon"), ctx.tr("app.semicolon")
    for alt in alts:
        with st.container(border=True):
            badge = f" :orange-badge[{ctx.tr('routes.uncertain')}]" if alt.confidence == "uncertain" else ""
            st.markdown(f"**{alt.title[ctx.lang]}**{badge}")
            st.markdown(alt.summary[ctx.lang])
            lines = []
            if alt.removes:
                lines.append(ctx.tr("routes.removes") + colon + semi.join(map(ctx.rule_title, alt.removes)))
            elif not alt.changes:
                lines.append(ctx.tr("routes.nothing_removed"))
            if alt.adds:
                lines.append(ctx.tr("routes.adds") + colon + semi.join(map(ctx.rule_title, alt.adds)))
            lines.append(ctx.tr("routes.costs") + colon + alt.costs[ctx.lang])
            lines += route_notes(ctx.catalog, alt, ctx.lang)
            if alt.changes and alt.status_after:
                after = f":{STATUS_BADGE[alt.status_after]}-badge[{status_label(alt.status_after, ctx.lang)}]"
                lines.append(ctx.tr("routes.status_after") + colon + after)
            st.markdown("\n".join(f"- {line}" for line in lines))


def route_what_if(ctx: PageContext) -> None:
    """Pick a route and see score, licence date and verdict on it."""
    keys = [a.key for a in ctx.ev.alternatives if a.changes and not a.needs]
    if not keys:
        return
    titles = {a.key: a.title[ctx.lang] for a in ctx.ev.alternatives}
    key = st.selectbox(
        ctx.tr("routes_whatif.pick"),
        keys,
        index=None,
        format_func=titles.__getitem__,
        key="gaps:route",
        placeholder=ctx.tr("routes_whatif.placeholder"),
        help=ctx.tr("routes_whatif.help"),
    )
    if key is None:
        return
    w = what_if_route(ctx.profile, state.start_date(), state.review_anchor(), key)
    score, licence, verdict = st.columns([1, 1.3, 1.3])
    score.metric(ctx.tr("gaps.whatif_score"), f"{fmt_score(w.overall_after, ctx.lang)} / 100", border=True)
    licence.metric(ctx.tr("gaps.whatif_licence"), fmt_date(w.licence_after, ctx.lang) + " *", border=True)
    with verdict.container(border=True):
        st.caption(ctx.tr("gaps.whatif_status"))
        st.markdown(f":{STATUS_BADGE[w.status_after]}-badge[{status_label(w.status_after, ctx.lang)}]")


def obligations_view(ctx: PageContext) -> None:
    """The dated duties with their status on the chosen date, then the standing duties."""
    lic = ctx.profile.licence
    if lic.held is not True:
        _duties_ahead(ctx)
        return
    if lic.number:
        st.caption(ctx.tr("obligations.number", number=lic.number))
    duties_table(ctx)
    for o in ctx.ev.obligations:
        if o.status in ("overdue", "due_soon"):
            show = st.error if o.status == "overdue" else st.warning
            show(obligation_message(o, ctx.lang), icon=":material/event_busy:")
    _standing_duties(ctx)


def duties_table(ctx: PageContext) -> None:
    """A holder's dated duties with their status on the chosen date (the Overview and Licence duties)."""
    rows = [
        {
            "status": f"{_icon(o.status)} {ctx.tr('obligation.status.' + o.status)}",
            "item": ctx.tr("obligation.key." + o.key),
            "due": fmt_date(o.due, ctx.lang),
            "message": obligation_message(o, ctx.lang),
        }
        for o in ctx.ev.obligations
    ]
    # a static table: it wraps every cell in the page's width, so a status or due date is never cut short
    # at 1024 px (a scrolling grid would hide the message or clip the date)
    static_table(rows, _columns(ctx, ("status", "item", "due", "message")), ctx.lang, css_class="st-duties")


def life_table(ctx: PageContext) -> bool:
    """The life of the licence held (``ccl.timeline.licence_life``): past dates, then the duties to come.
    Nothing for an applicant; True for a holder (whose Timeline ends here), False for a lapsed licence."""
    if ctx.ev.head.mode == "applicant":
        return False
    life = licence_life(ctx.profile.licence, ctx.ev.obligations, ctx.catalog, ctx.ev.start)
    st.subheader(ctx.tr("timeline.life_title"))
    if not life:
        st.info(ctx.tr("timeline.life_none"), icon=":material/info:")
        return ctx.ev.head.mode == "holder"
    rows = [
        {
            "item": ctx.tr(f"timeline.life.{e.key}", year=e.year or ""),
            "due": fmt_date(e.date, ctx.lang),
            "status": ctx.tr("timeline.life.past")
            if e.status == "past"
            else f"{_icon(e.status)} {ctx.tr('obligation.status.' + e.status)}",
        }
        for e in life
    ]
    static_table(rows, _columns(ctx, ("item", "due", "status")), ctx.lang, css_class="st-licence-life")
    return ctx.ev.head.mode == "holder"


def _columns(ctx: PageContext, keys: tuple[str, ...]) -> list[Col]:
    """A duties table's columns, headed as on the Licence duties page: the status, duty and date each on one
    line (年度报告, not 年度 / 报告), the message wrapping in the width left."""
    return [Col(k, ctx.tr(f"obligations.{k}"), "text" if k == "message" else "short") for k in keys]


RENEWAL_NEEDS = ("form", "launched", "reports", "changes")


def renewal_needs(ctx: PageContext) -> None:
    """A licence holder's Materials: what the renewal needs, with its deadline (before the application list)."""
    if ctx.ev.head.mode != "holder":
        return
    st.subheader(ctx.tr("renewal_needs.title"))
    due = next((o.due for o in ctx.ev.obligations if o.key == "renewal"), None)
    if due is not None:
        st.caption(ctx.tr("renewal_needs.caption", due=fmt_date(due, ctx.lang)))
    st.markdown("\n".join(f"- {ctx.tr('renewal_needs.' + k)}" for k in RENEWAL_NEEDS))


def _standing_duties(ctx: PageContext) -> None:
    st.subheader(ctx.tr("duty.heading"))
    st.markdown("\n".join(f"- {ctx.tr('duty.' + k)}" for k in STANDING_DUTIES))


def _duties_ahead(ctx: PageContext) -> None:
    """A company not (yet) licensed: the duties that start with the licence, dated from the projected
    licence date (estimates), so a manager sees what the licence commits the company to."""
    key = "obligations.not_held" if ctx.profile.licence.held is False else "obligations.none"
    st.info(ctx.tr(key), icon=":material/info:")
    tl = ctx.ev.story_timeline or ctx.ev.expected  # the headline's projection
    st.subheader(ctx.tr("obligations.ahead_title"))
    if tl.licence_date is None:
        st.caption(ctx.tr("licence.pending"))
    else:
        caption = ctx.tr("obligations.ahead_caption", date=fmt_date(tl.licence_date, ctx.lang))
        if tl.assumes_blockers_removed:  # as on the Overview: the date is only reachable without the blockers
            caption += " " + ctx.tr("overview.assumes_blockers")
        st.caption(caption)
        after_licence_table(ctx, tl)
    _standing_duties(ctx)


def after_licence_table(ctx: PageContext, tl: Timeline) -> None:
    """The first annual report, renewal and expiry after the projected licence (Timeline, Licence duties)."""
    # a static table wraps its cells (a date between 年, 月 and 日, never inside a number): the Timeline's
    # column is ~200 px wide beside the sidebar at 800 px
    static_table(
        milestone_rows(ctx, tl, AFTER_LICENCE),
        [Col("milestone", ctx.tr("timeline.col_milestone")), Col("date", ctx.tr("timeline.col_date"))],
        ctx.lang,
        css_class="st-after-licence",
    )


def _icon(status: str) -> str:
    return {"ok": "✓", "to_check": "?", "upcoming": "◷", "due_soon": "⚠", "overdue": "✖"}[status]


def _ics(ctx: PageContext) -> bytes:
    from ccl.ics import calendar_ics  # icalendar: loaded when a calendar is downloaded, not with the page

    return calendar_ics(ctx.ev, ctx.catalog, ctx.lang)


def calendar_download(ctx: PageContext, where: str = "timeline") -> None:
    """The .ics compliance calendar of the current profile (milestones, duties and the plan's due dates)."""
    name = safe_file_part(ctx.profile.company.name or "ccl")  # as every other download names its company
    st.download_button(
        ctx.tr("ics.download"),
        data=logged(lambda: _ics(ctx), f"{name}-{ctx.ev.start.isoformat()}.ics"),
        file_name=f"{name}-{ctx.ev.start.isoformat()}.ics",
        on_click="ignore",
        mime="text/calendar",
        icon=":material/calendar_month:",
        help=ctx.tr("store_plan.ics.download_help"),
        key=f"{where}:ics",
    )
