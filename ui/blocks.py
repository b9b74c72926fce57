"""Small render helpers shared by the pages: header, verdict callout, charts with a reason when empty."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from ccl.catalog.objects import DIMENSIONS, SourceRef
from ccl.headline import comparison_text, reason_text, verdict_condition, verdict_text
from ccl.headline import headline_facts as facts_of
from ccl.i18n import (
    distance_text,
    option_label,
    questions_text,
    source_where,
    status_reason_text,
    t,
)
from ccl.i18n import licence_text as licence_words
from ccl.timeline import Timeline
from ui import deferred, state
from ui.charts.drawn import DrawnFigure
from ui.charts.figure import Figure
from ui.context import PageContext
from ui.escape import md_literal

VERDICT_STYLE = {
    "blocked": (st.error, ":material/block:"),
    "not_ready": (st.warning, ":material/pending:"),
    "nearly_ready": (st.info, ":material/trending_up:"),
    "ready": (st.success, ":material/verified:"),
    # a licence holder (ccl.headline): licensed, or its licence lapsing / expired
    "licensed": (st.success, ":material/verified_user:"),
    "lapsed": (st.error, ":material/event_busy:"),
    "expired": (st.error, ":material/gpp_bad:"),
}
MAX_MAJORS = 5  # major gaps named in the verdict; the rest are on the Gaps page
QUESTIONNAIRE = "pages/questionnaire.py"
STATUS_BADGE = {
    "blocked": "red",
    "not_ready": "orange",
    "nearly_ready": "blue",
    "ready": "green",
    "licensed": "green",
    "lapsed": "red",
    "expired": "red",
}
SEVERITY_BADGE = {"blocker": "red", "major": "orange", "minor": "gray", "warning": "gray"}
# No toolbar: on a phone it sits over the chart's labels, and its tooltips are English only
PLOTLY_CONFIG = {"displaylogo": False, "displayModeBar": False}


def page_header(ctx: PageContext, title_key: str) -> None:
    """Page title plus who is being assessed (company, province, scope)."""
    st.title(ctx.tr(title_key))
    c = ctx.profile.company
    parts = [md_literal(c.name) if c.name else ctx.tr("app.unnamed")]
    if c.province:
        parts.append(option_label(ctx.catalog, "company.province", c.province, ctx.lang))
    if c.scope:
        parts.append(option_label(ctx.catalog, "company.scope", c.scope, ctx.lang))
    st.caption(" · ".join(parts))


def verdict(ctx: PageContext) -> None:
    """The headline's verdict in a coloured callout: for an applicant, blockers with their distance, else
    why it is not ready; for a licence holder, its standing and what is due (red when urgent)."""
    a, head = ctx.ev.assessment, ctx.ev.head
    if head.mode != "applicant":
        show, icon = VERDICT_STYLE[head.verdict]
        if head.mode == "holder" and head.urgent:  # a deadline within 30 days or passed
            show, icon = st.error, ":material/event_busy:"
        condition = verdict_condition(head, ctx.catalog, ctx.lang)
        show(
            f"**{verdict_text(head, ctx.lang)}** — {md_literal(reason_text(head, ctx.lang))}\n\n{condition}", icon=icon
        )
        return
    show, icon = VERDICT_STYLE[head.verdict]
    eligible = {True: "eligible.yes", False: "eligible.no", None: "eligible.unknown"}[a.eligible]
    condition = verdict_condition(head, ctx.catalog, ctx.lang)  # what the word means, beside it
    title = f"**{verdict_text(head, ctx.lang)}** — {ctx.tr(eligible)}\n\n{condition}"
    if a.blockers:
        gaps = {g.rule_id: g for g in a.gaps}
        colon = "：" if ctx.lang == "zh" else ": "
        items = []
        for rid in a.blockers:
            dist = gaps[rid].distance
            # "short by 50 万元" says more than the title; "currently No, needs Yes" only repeats it
            short = distance_text(ctx.catalog, dist, ctx.lang) if dist and (dist.shortfall or dist.missing) else ""
            items.append(f"- **{ctx.rule_title(rid)}**" + (colon + short if short else ""))
        body = ctx.tr("overview.blockers_head") + "\n\n" + "\n".join(items)
    elif ctx.ev.head.verdict == "ready":
        body = ctx.tr("overview.ready_note")
        if a.unanswered:  # never an unqualified "ready" while questions are open
            body += " " + ctx.tr_n("overview.ready_open", len(a.unanswered))
    else:
        body = why_not_ready(ctx)
    show(f"{title}\n\n{body}", icon=icon)
    if a.gates_open:
        question_buttons(ctx, a.gates_open, "verdict")


def headline_facts(ctx: PageContext) -> None:
    """The headline's dates as cards (licence date with its basis, submission, next deadline: red when it
    passed or is within 30 days), then why that date and the catalog's as a labelled comparison."""
    head = ctx.ev.head
    items: list[tuple[str, str, str | None]] = []
    for label, value in facts_of(head, ctx.lang)[1:]:
        value = md_literal(value)
        if label == t("headline.next_deadline", ctx.lang) and head.urgent:
            value = f":red[{value}]"
        items.append((label, value, None))
    facts(items)
    # the reason for the date; "no date until the legal conditions are answered" is the card's own value
    notes = [reason_text(head, ctx.lang)] if head.mode != "holder" and head.reason != "gates" else []
    if (cmp := comparison_text(head, ctx.lang)) is not None:
        notes.append(cmp)
    if notes:
        st.caption(md_literal(("" if ctx.lang == "zh" else " ").join(notes)))


def headline_line(ctx: PageContext, *, why: bool = False) -> None:
    """The headline in one line (verdict · licence date · next deadline) for the pages that do not lead
    with it: the same words as the Overview, so no page tells another story. ``why``: then the reason
    for the date and the catalog's date as a labelled comparison."""
    head = ctx.ev.head
    colon = t("app.colon", ctx.lang)
    parts = []
    for label, value in facts_of(head, ctx.lang):
        text = f"{label}{colon}{md_literal(value)}"
        if label == t("headline.next_deadline", ctx.lang) and head.urgent:
            text = f":red[{text}]"
        elif label == t("cli.verdict", ctx.lang):  # a holder with a deadline within 30 days: red, as on the Overview
            colour = "red" if head.mode == "holder" and head.urgent else STATUS_BADGE.get(head.verdict, "gray")
            text = f"{label}{colon}:{colour}-badge[{md_literal(value)}]"
        parts.append(text)
    st.markdown(" · ".join(parts))
    notes = [reason_text(head, ctx.lang)] if why and head.mode != "holder" else []
    if why and (cmp := comparison_text(head, ctx.lang)) is not None:
        notes.append(cmp)
    if notes:
        st.caption(md_literal(("" if ctx.lang == "zh" else " ").join(notes)))


def why_not_ready(ctx: PageContext) -> str:
    """The reasons the status is not 'ready' as a list, then the rule that decides it."""
    a = ctx.ev.assessment
    majors = [r for r in a.status_reasons if r.code == "major_gap"]
    # every failed legal condition; the unanswered ones are named once, by the buttons under the callout
    gates = [r for r in a.status_reasons if r.code == "gate_failed"]
    below = [r for r in a.status_reasons if r.code == "below_ready"]
    shown = gates + majors[:MAX_MAJORS] + below
    lines = []
    for r in shown:
        text = status_reason_text(ctx.catalog, r, ctx.lang)
        if r.fields:
            text += ctx.tr("app.paren", text=questions_text(ctx.catalog, r.fields, ctx.lang))
        lines.append(f"- {text}")
    if len(majors) > MAX_MAJORS:
        lines.append(f"- {ctx.tr('status_reason.more', n=len(majors) - MAX_MAJORS)}")
    if a.gates_open:  # the questions themselves follow as buttons
        lines.append(f"- {ctx.tr_n('overview.gates_open', len(a.gates_open))}")
    rule = ctx.tr("status_reason.rule", threshold=f"{ctx.catalog.status.ready_min:g}")
    return f"{ctx.tr('status_reason.why_not_ready')}\n\n" + "\n".join(lines) + f"\n\n{rule}"


def question_buttons(ctx: PageContext, fields: tuple[str, ...], where: str, *, switch: bool = True) -> None:
    """One button per question that opens the questionnaire at its section."""
    with st.container(horizontal=True, gap="small"):
        for f in fields:
            label = ctx.tr("status_reason.answer", label=ctx.catalog.questions[f].label(ctx.lang))
            goto_section(f.split(".", 1)[0], label, key=f"{where}:goto:{f}", switch=switch)


def goto_section(section: str, label: str, key: str, *, switch: bool = True) -> None:
    """A button opening the questionnaire at ``section`` (``switch=False`` on the questionnaire itself)."""
    if switch:
        if st.button(label, key=key, icon=":material/edit:", type="secondary"):
            st.session_state[state.SECTION] = section
            st.switch_page(QUESTIONNAIRE)
    else:
        st.button(label, key=key, icon=":material/arrow_forward:", on_click=_set_section, args=(section,))


def _set_section(section: str) -> None:
    st.session_state[state.SECTION] = section


def facts(items: list[tuple[str, str, str | None]]) -> None:
    """Label/value cards in a row that wraps on narrow screens (dates are too long for st.metric)."""
    with st.container(horizontal=True, gap="small"):
        for label, value, help_text in items:
            with st.container(border=True, width="content"):
                st.caption(label, help=help_text)
                st.markdown(f"##### {value}")


def licence_text(ctx: PageContext, tl: Timeline) -> str:
    """The licence date (or range) with an estimate mark, or 'awaiting answers' when there is none."""
    if tl.licence_date is None:
        return ctx.tr("licence.pending_short")  # the note beside it says which answers are needed
    text = licence_words(tl.licence_date, tl.licence_date_latest, ctx.lang)
    return f"{text} *" if tl.estimate else text


def licence_note(ctx: PageContext, tl: Timeline) -> str | None:
    """Why there is no date (which answers are needed), or what the far end of a range assumes."""
    if tl.gates_open:
        return ctx.tr("licence.needs", questions=questions_text(ctx.catalog, tl.gates_open, ctx.lang))
    if tl.licence_date_latest:
        return licence_words(tl.licence_date, tl.licence_date_latest, ctx.lang, note=True)
    return None


CHART_WIDTH = 390  # two side by side from about 1280 px wide; below that one under the other, never squeezed


def chart_pair() -> tuple:
    """Two chart slots: side by side when the page is wide enough, stacked on a narrow laptop or projector
    (two half-width columns at 1024 px would clip axis labels and titles)."""
    row = st.container(horizontal=True, gap="small")
    return row.container(width=CHART_WIDTH), row.container(width=CHART_WIDTH)


def chart_slots(figures: Sequence[Figure | DrawnFigure | None], reason: str) -> None:
    """Charts side by side (``chart_pair``), or the reason there are none said once, not once per chart."""
    if all(f is None for f in figures):
        st.info(reason, icon=":material/info:")
        return
    for slot, fig in zip(chart_pair(), figures, strict=False):
        with slot:
            chart(fig, reason)


def chart(fig: Figure | DrawnFigure | None, reason: str) -> None:
    """A figure (``ui.charts``; or one kept by ``ui.cache.figure``) sized to its container, or the reason
    there is none."""
    if fig is None:
        st.info(reason, icon=":material/info:")
        return
    with deferred.charting():  # plotly peeks at pandas: not while another session is loading it
        st.plotly_chart(DrawnFigure(fig) if isinstance(fig, Figure) else fig, width="stretch", config=PLOTLY_CONFIG)


def estimate_notes(ctx: PageContext, tl: Timeline) -> list[str]:
    """Plain sentences saying which dates are estimates and why."""
    cal_years = ctx.engine.calendar.official_years()
    unknown = [y for y in range(tl.start.year, tl.end.year + 1) if y not in cal_years]
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


def filter_pills(where: Any, label: str, options: Sequence[str], format_func: Callable[[str], str], key: str) -> list:
    """A multi-choice filter as pills that wrap (no untranslatable "Select all"); empty means "all"."""
    chosen = where.pills(
        label, options, selection_mode="multi", wrap=True, format_func=format_func, key=key, persist_state="session"
    )
    return list(chosen or [])


def dimension_filter(ctx: PageContext, where: Any, label: str, key: str) -> list:
    """The "filter by dimension" pills, by the dimensions' short names, as on every page that filters."""
    return filter_pills(where, label, DIMENSIONS, lambda d: ctx.catalog.dimension_by_id[d].short(ctx.lang), key)
