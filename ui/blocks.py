"""Small render helpers shared by the pages: header, verdict callout, charts with a reason when empty."""

from __future__ import annotations

from urllib.parse import urlsplit

import plotly.graph_objects as go
import streamlit as st

from ccl.catalog import SourceRef
from ccl.i18n import distance_text, fmt_date, option_label, source_where, status_label, t
from ccl.timeline import Timeline
from ui import state
from ui.context import PageContext

VERDICT_STYLE = {
    "blocked": (st.error, ":material/block:"),
    "not_ready": (st.warning, ":material/pending:"),
    "nearly_ready": (st.info, ":material/trending_up:"),
    "ready": (st.success, ":material/verified:"),
}
STATUS_BADGE = {"blocked": "red", "not_ready": "orange", "nearly_ready": "blue", "ready": "green"}
SEVERITY_BADGE = {"blocker": "red", "major": "orange", "minor": "gray", "warning": "gray"}
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def page_header(ctx: PageContext, title_key: str) -> None:
    """Page title plus who is being assessed (company, province, scope)."""
    st.title(ctx.tr(title_key))
    c = ctx.profile.company
    parts = [c.name or ctx.tr("app.unnamed")]
    if c.province:
        parts.append(option_label(ctx.catalog, "company.province", c.province, ctx.lang))
    if c.scope:
        parts.append(option_label(ctx.catalog, "company.scope", c.scope, ctx.lang))
    st.caption(" · ".join(parts))


def verdict(ctx: PageContext) -> None:
    """The eligibility verdict in a coloured callout, blockers named with their distance."""
    a = ctx.ev.assessment
    show, icon = VERDICT_STYLE[a.status]
    eligible = {True: "eligible.yes", False: "eligible.no", None: "eligible.unknown"}[a.eligible]
    head = f"**{status_label(a.status, ctx.lang)}** — {ctx.tr(eligible)}"
    if a.blockers:
        gaps = {g.rule_id: g for g in a.gaps}
        colon = "：" if ctx.lang == "zh" else ": "
        items = []
        for rid in a.blockers:
            dist = gaps[rid].distance
            # "short by 50 万元" says more than the title; "currently No, needs Yes" only repeats it
            dist = distance_text(ctx.catalog, dist, ctx.lang) if dist and (dist.shortfall or dist.missing) else ""
            items.append(f"- **{ctx.rule_title(rid)}**" + (colon + dist if dist else ""))
        body = ctx.tr("overview.blockers_head") + "\n\n" + "\n".join(items)
    elif a.status == "ready":
        body = ctx.tr("overview.ready_note")
    elif a.eligible is None:
        body = ctx.tr("overview.gates_open")
    else:
        body = ctx.tr("overview.eligible_note")
    show(f"{head}\n\n{body}", icon=icon)


def facts(items: list[tuple[str, str, str | None]]) -> None:
    """Label/value cards in a row that wraps on narrow screens (dates are too long for st.metric)."""
    with st.container(horizontal=True, gap="small"):
        for label, value, help_text in items:
            with st.container(border=True, width="content"):
                st.caption(label, help=help_text)
                st.markdown(f"##### {value}")


def licence_text(ctx: PageContext, tl: Timeline) -> str:
    """The licence date with an estimate mark."""
    text = fmt_date(tl.licence_date, ctx.lang)
    return f"{text} *" if tl.estimate else text


def chart(fig: go.Figure | None, reason: str) -> None:
    """A plotly figure sized to its container, or the reason there is none."""
    if fig is None:
        st.info(reason, icon=":material/info:")
        return
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG)


def estimate_notes(ctx: PageContext, tl: Timeline) -> list[str]:
    """Plain sentences saying which dates are estimates and why."""
    cal_years = ctx.engine.calendar.official_years()
    unknown = [y for y in range(tl.start.year, tl.licence_date.year + 1) if y not in cal_years]
    notes = [ctx.tr("timeline.note_star")]
    if unknown:
        notes.append(ctx.tr("timeline.note_holidays", years=", ".join(map(str, unknown))))
    else:
        notes.append(ctx.tr("timeline.note_holidays_known"))
    review = ctx.catalog.stage_by_key["review"]
    kind = review.day_kind[tl.scenario]
    notes.append(ctx.tr(f"timeline.note_review_{kind}", n=review.days[tl.scenario]))
    notes.append(ctx.tr("timeline.note_anchor", anchor=ctx.tr(f"timeline.anchor_{state.review_anchor()}")))
    if any(s.kind == "work" for s in tl.stages):
        notes.append(ctx.tr("timeline.note_work"))
    if tl.correction_rounds:
        notes.append(ctx.tr("timeline.note_corrections", n=tl.correction_rounds))
    if any(s.excluded_from_clock for s in tl.stages):
        notes.append(ctx.tr("timeline.note_expert"))
    return notes


def _md_link(text: str, url: str) -> str:
    label = text.replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({url})"


def source_links(ctx: PageContext, ref: SourceRef) -> str:
    """Where a citation can be read, as markdown bullets: official links named by the document, the official
    publication when no link was found, and practice pages labelled as such (never as official)."""
    lang = ctx.lang
    src = ctx.catalog.source_by_id.get(ref.doc)
    if src is None:  # practice or estimate: the pages that claim it
        links = [_md_link(urlsplit(p).hostname or p, p) for p in ref.pages]
        return "\n".join(f"- {t('source.practice_page', lang, link=link)}" for link in links)
    return "\n".join(f"- {_md_link(text, url)}" if url else f"- {text}" for text, url in source_where(src, lang))
