"""The action plan as a Gantt: each action still to do, scheduled by its due date (no Streamlit here).

The schedule is the engine's plan timeline (``Evaluation.plan_timeline``): the work stages the
licence date rests on, each ending on its action's due date, or, when that date cannot hold (passed,
or before what the action waits for), rescheduled with its estimated effort. Actions still to do that
do not hold up the application (recommendations) are drawn faint, from today to their due date.

Bars take their dimension's colour, as in every chart; an overdue action is marked three ways (a
vermillion cross at the missed date, "⚠" before its name, a hatched rescheduled bar), so it reads
without colour. Arrows run from the end of an action to the start of the one waiting for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ccl.catalog.load import Catalog
from ccl.catalog.objects import DIMENSIONS
from ccl.i18n import Lang, fmt_date, plan_status_label, t
from ccl.plan import PlanItem
from ccl.timeline import Timeline, TimelineStage
from ui.charts.assessment import (
    GRID,
    MS_PER_DAY,
    SCORE_LINE,
    SEVERITY_COLOURS,
    _pattern,
    _today_line,
    _unique_labels,
    layout,
    plotly_literal,
    stage_label,
    wrap_label,
)
from ui.charts.dates import _ms, date_ticks
from ui.charts.figure import Figure, bar, scatter

OVERDUE = SEVERITY_COLOURS["blocker"]  # vermillion, with a cross: the same red as "today"
MISSED = SEVERITY_COLOURS["major"]  # orange, with an open diamond
CUSTOM = "#8C8C8C"  # a custom action has no dimension
CONNECTOR = "rgba(128,128,128,0.75)"
FAINT = 0.45  # opacity of a recommendation's bar
ROW_PX = 38  # two-line labels
LABEL_CHARS = 16  # per line in Chinese; twice that in English


@dataclass(frozen=True, slots=True)
class GanttRow:
    """One row of the chart: an action (or a rule's own remedy) and when it is scheduled."""

    key: str  # the action id, else the stage key
    label: str
    dimension: str | None
    start: date | None  # None: nothing left to schedule, only the missed due date is drawn
    end: date | None
    item: PlanItem | None
    due: date | None
    rescheduled: bool = False  # the due date cannot hold: the bar uses the estimated effort
    optional: bool = False  # does not hold up the application


def gantt_rows(
    catalog: Catalog, timeline: Timeline | None, items: Sequence[PlanItem], today: date, lang: Lang
) -> list[GanttRow]:
    """The rows to draw in schedule order: the timeline's work stages, then the dated recommendations."""
    by_id = {i.id: i for i in items}
    rows: list[GanttRow] = []
    stages = [s for s in timeline.stages if s.kind == "work"] if timeline else []
    for s in stages:
        item = by_id.get(s.action_id) if s.action_id else None
        rows.append(
            GanttRow(
                key=s.action_id or s.key,
                label=_label(catalog, s, item, lang),
                dimension=s.dimension,
                start=s.start,
                end=s.end,
                item=item,
                due=item.due if item and (item.active or item.reopened) else s.due,
                rescheduled=s.due_missed,
            )
        )
    ends = {r.key: r.end for r in rows}
    for item in items:
        if not item.active or item.due is None or item.id in ends:
            continue
        first = max([today, *(end + timedelta(days=1) for d in item.after if (end := ends.get(d)))])
        dated = item.due >= first
        rows.append(
            GanttRow(
                key=item.id,
                label=_label(catalog, None, item, lang),
                dimension=item.dimension,
                start=first if dated else None,
                end=item.due if dated else None,
                item=item,
                due=item.due,
                optional=True,
            )
        )
        ends[item.id] = item.due if dated else None
    # recommendations last: they do not hold up the application
    return sorted(rows, key=lambda r: (r.optional, r.start or r.due or today, r.end or r.due or today))


def _label(catalog: Catalog, stage: TimelineStage | None, item: PlanItem | None, lang: Lang) -> str:
    if item is None:
        return stage_label(catalog, stage, lang, LABEL_CHARS) if stage else ""
    text = item.label(lang).rstrip("。.")  # a full stop alone on a wrapped line reads as noise
    text = plotly_literal(text) if item.title is None else text  # a custom action's name is the user's text
    label = wrap_label(text, LABEL_CHARS if lang == "zh" else 2 * LABEL_CHARS)
    if item.steps > 1:  # after wrapping: "(1/2)" is never split over two lines
        label += f"（{item.step + 1}/{item.steps}）" if lang == "zh" else f" ({item.step + 1}/{item.steps})"
    if item.reopened:  # marked done while its gap shows: drawn, and named a conflict
        label = f"{t('plan.flag.conflict_word', lang)} · {label}"
    return ("⚠ " if item.overdue or item.reopened else "") + label


def plan_gantt(
    catalog: Catalog, timeline: Timeline | None, items: Sequence[PlanItem], today: date, lang: Lang
) -> Figure | None:
    """The plan's Gantt; None when no action still to do has a place on it."""
    rows = gantt_rows(catalog, timeline, items, today, lang)
    if not rows:
        return None
    labels = _unique_labels([r.label for r in rows])
    row_of = {r.key: (r, label) for r, label in zip(rows, labels, strict=True)}
    fig = Figure()
    _bars(fig, catalog, rows, labels, lang)
    _legend_keys(fig, rows, labels[0], today, lang)
    _due_marks(fig, rows, labels, lang)
    _connectors(fig, rows, row_of, lang)
    milestone = None
    if timeline is not None and not timeline.gates_open and any(not r.optional for r in rows):
        milestone = _submission(fig, timeline, lang)
    _today_line(fig, today, lang)
    days = [d for r in rows for d in (r.start, r.end, r.due) if d] + [today]
    if milestone and timeline is not None:
        days.append(timeline.submission_date)
    left, right = min(days) - timedelta(days=5), max(days) + timedelta(days=12)
    fig.update_xaxes(
        type="date",
        range=[_ms(left), _ms(right)],
        title={"text": t("chart.date_axis", lang)},
        gridcolor=GRID,
        **date_ticks(left, right, lang, min(days), max(days)),
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[*([milestone] if milestone else []), *labels],
        autorange="reversed",
        title={"text": t("plan_ui.gantt_axis", lang)},
    )
    height = 210 + ROW_PX * (len(rows) + (1 if milestone else 0))
    fig = layout(fig, t("plan_ui.gantt_title", lang), height, barmode="overlay", bargap=0.3)
    # the legend under the chart: above it, it would cover the title and the "today" mark
    return fig.update_layout(
        # across the whole width (not only the plot area right of the long action names)
        legend={"yref": "container", "y": 0, "yanchor": "bottom", "xref": "container", "x": 0, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 70, "b": 110},
    )


def _colour(catalog: Catalog, dim: str | None) -> str:
    return catalog.dimension_by_id[dim].colour if dim in catalog.dimension_by_id else CUSTOM


def _bars(fig: Figure, catalog: Catalog, rows: list[GanttRow], labels: list[str], lang: Lang) -> None:
    """One bar trace per dimension (its colour and name in the legend), in the catalog's dimension order."""
    groups: dict[str | None, list[int]] = {}
    for i, r in enumerate(rows):
        if r.start is not None:
            groups.setdefault(r.dimension if r.dimension in DIMENSIONS else None, []).append(i)
    order = sorted(groups, key=lambda d: DIMENSIONS.index(d) if d else len(DIMENSIONS))
    for dim in order:
        idx = groups[dim]
        mine = [rows[i] for i in idx]
        spans = [(r.start, r.end or r.start) for r in mine if r.start is not None]  # every row here has a start
        fig.add_trace(
            bar(
                y=[labels[i] for i in idx],
                base=[_ms(start) for start, _ in spans],
                x=[((end - start).days + 1) * MS_PER_DAY for start, end in spans],
                orientation="h",
                name=catalog.dimension_by_id[dim].name(lang) if dim else t("plan.custom", lang),
                marker={
                    "color": _colour(catalog, dim),
                    "opacity": [FAINT if r.optional else 1.0 for r in mine],
                    "pattern": _pattern(["/" if r.rescheduled else "" for r in mine]),
                },
                customdata=[_hover(r, lang) for r in mine],
                hovertemplate="<b>%{y}</b><br>" + t("plan_ui.gantt_hover", lang) + "<extra></extra>",
            )
        )


def _hover(r: GanttRow, lang: Lang) -> list[str]:
    item = r.item
    owner = plotly_literal(item.owner) if item and item.owner else t("plan_ui.no_owner", lang)
    status = plan_status_label(item.status, lang) if item else ""
    flags = []
    if item and item.overdue:
        flags.append(t("plan.flag.overdue", lang))
    if r.rescheduled and not (item and item.overdue):
        flags.append(t("plan.flag.due_missed", lang))
    if r.optional:
        flags.append(t("plan_ui.gantt_optional", lang))
    return [owner, status, fmt_date(r.start, lang), fmt_date(r.end, lang), fmt_date(r.due, lang), " · ".join(flags)]


def _legend_keys(fig: Figure, rows: list[GanttRow], anchor: str, today: date, lang: Lang) -> None:
    """Legend entries for the hatching (rescheduled) and the faint bars (recommendations): empty bars."""
    keys: list[tuple[str, dict[str, Any]]] = []
    if any(r.rescheduled for r in rows):
        keys.append(("plan_ui.gantt_estimated", {"color": CUSTOM, "pattern": _pattern("/")}))
    if any(r.optional and r.start for r in rows):
        keys.append(("plan_ui.gantt_optional", {"color": CUSTOM, "opacity": FAINT}))
    for key, marker in keys:
        fig.add_trace(
            bar(
                y=[anchor],
                base=[_ms(today)],
                x=[0],
                orientation="h",
                name=t(key, lang),
                marker=marker,
                hoverinfo="skip",
            )
        )


def _due_marks(fig: Figure, rows: list[GanttRow], labels: list[str], lang: Lang) -> None:
    """The due dates that cannot hold: a cross where an overdue action was due, an open diamond elsewhere."""
    overdue = [(r, lb) for r, lb in zip(rows, labels, strict=True) if r.item and r.item.overdue and r.due]
    missed = [
        (r, lb)
        for r, lb in zip(rows, labels, strict=True)
        if r.rescheduled and r.due and not (r.item and r.item.overdue)
    ]
    for marks, key, symbol, colour in (
        (overdue, "plan_ui.gantt_overdue", "x", OVERDUE),
        (missed, "plan_ui.gantt_missed", "diamond-open", MISSED),
    ):
        if not marks:
            continue
        fig.add_trace(
            scatter(
                x=[_ms(r.due) for r, _ in marks if r.due],
                y=[lb for _, lb in marks],
                mode="markers",
                name=t(key, lang),
                marker={"symbol": symbol, "size": 12, "color": colour, "line": {"width": 2, "color": colour}},
                customdata=[fmt_date(r.due, lang) for r, _ in marks],
                hovertemplate="<b>%{y}</b><br>" + t("plan_ui.gantt_due_hover", lang) + "<extra></extra>",
            )
        )


def _connectors(fig: Figure, rows: list[GanttRow], row_of: dict, lang: Lang) -> None:
    """An elbow from the end of each action to the start of each action waiting for it, with an arrowhead."""
    xs: list[str | None] = []
    ys: list[str | None] = []
    heads_x, heads_y = [], []
    for r in rows:
        if r.item is None or r.start is None:
            continue
        label = row_of[r.key][1]
        for dep in r.item.after:
            found = row_of.get(dep)
            if found is None or found[0].end is None:
                continue
            before, dep_label = found
            x0 = _ms(before.end + timedelta(days=1))  # the bar's right edge
            xs += [x0, x0, _ms(r.start), None]
            ys += [dep_label, label, label, None]
            heads_x.append(_ms(r.start))
            heads_y.append(label)
    if not heads_x:
        return
    name = t("plan_ui.gantt_depends", lang)
    fig.add_trace(
        scatter(
            x=xs,
            y=ys,
            mode="lines",
            name=name,
            legendgroup="depends",
            line={"color": CONNECTOR, "width": 1.2},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        scatter(
            x=heads_x,
            y=heads_y,
            mode="markers",
            name=name,
            legendgroup="depends",
            showlegend=False,
            marker={"symbol": "triangle-right", "size": 9, "color": CONNECTOR},
            hoverinfo="skip",
        )
    )


def _submission(fig: Figure, timeline: Timeline, lang: Lang) -> str:
    """The submission on its own top row, named with its date (as on the Timeline page's Gantt)."""
    when = fmt_date(timeline.submission_date, lang) + (" *" if timeline.estimate else "")
    name = t("milestone.submission", lang)
    row = f"◆ {name} · {when}"
    fig.add_trace(
        scatter(
            x=[_ms(timeline.submission_date)],
            y=[row],
            mode="markers",
            marker={"symbol": "diamond", "size": 13, "color": SCORE_LINE},
            text=[name],
            customdata=[when],
            hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    return row
