"""Chart builders for the History page: the score trend of one client, and two saved versions compared.

Follows ``ui.charts.assessment``: the catalog's dimension colours on the dimension labels and markers,
transparent backgrounds, no fixed text colour (light and dark theme), ``None`` when there is nothing
to draw. The two versions differ by line style and width as well as shade, so they read without colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ccl.catalog.load import Catalog
from ccl.i18n import Lang, fmt_date, fmt_score, t
from ccl.store.models import SnapshotInfo, fmt_saved_at, local_time
from ui.charts.assessment import (
    GRID,
    SCORE_LINE,
    SEVERITY_COLOURS,
    TRANSPARENT,
    dimension_tick,
    layout,
    plotly_literal,
)
from ui.charts.figure import Figure, Trace, bar, scatter, scatterpolar

EARLIER_LINE = "#A3A3A3"
LATER_FILL = "rgba(107,123,140,0.22)"
Series = tuple[str, Mapping[str, float]]  # (legend label, {dimension id: score 0–100})


def _version_trace(label: str, r: list[float], theta: list[str], later: bool, lang: Lang) -> Trace:
    colour = SCORE_LINE if later else EARLIER_LINE
    return scatterpolar(
        r=r,
        theta=theta,
        mode="lines+markers",
        name=label,
        fill="toself" if later else "none",
        fillcolor=LATER_FILL,
        line={"color": colour, "width": 3 if later else 2, "dash": "solid" if later else "dash"},
        marker={"size": 6, "color": colour},
        customdata=["" if v is None else fmt_score(v, lang) for v in r],  # 78.1, 85: as every surface writes it
        hovertemplate=t("history_page.radar_hover", lang, dimension="%{theta}", version=label, score="%{customdata}")
        + "<extra></extra>",
    )


def radar_compare(catalog: Catalog, earlier: Series, later: Series, lang: Lang) -> Figure | None:
    """Dimension scores of two versions overlaid: the earlier dashed, the later solid and filled.

    None when neither version has a score (nothing answered yet).
    """
    if not any(earlier[1].values()) and not any(later[1].values()):
        return None
    dims = [d.id for d in catalog.dimensions]
    theta = [dimension_tick(catalog, d, lang, short=True) for d in dims]  # full names are clipped
    closed = theta + theta[:1]
    target = catalog.status.ready_min
    fig = Figure(
        scatterpolar(
            r=[target] * len(closed),
            theta=closed,
            mode="lines",
            hoverinfo="skip",
            name=t("chart.target_line", lang, n=fmt_score(target, lang)),
            line={"color": SCORE_LINE, "dash": "dot", "width": 1},
        )
    )
    for (label, scores), is_later in ((earlier, False), (later, True)):
        r = [scores.get(d, 0.0) for d in dims]
        fig.add_trace(_version_trace(label, r + r[:1], closed, is_later, lang))
    # The later version's points in the dimension colours; apart, so the legend keeps the line colours.
    fig.add_trace(
        scatterpolar(
            r=[later[1].get(d, 0.0) for d in dims],
            theta=theta,
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "size": 12,
                "color": [catalog.dimension_by_id[d].colour for d in dims],
                "line": {"width": 1, "color": SCORE_LINE},
            },
        )
    )
    fig.update_polars(
        bgcolor=TRANSPARENT,
        radialaxis={
            "range": [0, 100],
            "tickvals": [0, 25, 50, 75, 100],
            "gridcolor": GRID,
            "angle": 60,
            "tickangle": 60,
        },
        angularaxis={"gridcolor": GRID, "direction": "clockwise"},
    )
    fig.update_layout(
        title={"text": t("history_page.radar_title", lang), "x": 0, "xanchor": "left"},
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
        height=460,
        autosize=True,
        showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "xanchor": "left"},
        margin={"l": 62, "r": 62, "t": 70, "b": 30},  # "■ Tech plan" stays whole in a half-width column
    )
    return fig


def history_trend(history: Sequence[SnapshotInfo], catalog: Catalog, lang: Lang) -> Figure | None:
    """Overall and per-dimension scores of one client's snapshots, version by version; None without any.

    The x axis is the version (labelled with its save date), evenly spaced: two saves on one day
    stay readable, and the exact save time and who saved are in the hover.
    """
    if not history:
        return None
    x = [
        t("history.version_tick", lang, version=h.version, date=fmt_date(local_time(h.saved_at).date(), lang))
        for h in history
    ]
    fig = Figure()
    for d in catalog.dimensions:
        hover = t("history.hover", lang, series=d.name(lang), score="%{customdata}")
        ys = [h.summary.dimensions.get(d.id) for h in history]
        fig.add_trace(
            scatter(
                x=x,
                y=ys,
                customdata=["" if v is None else fmt_score(v, lang) for v in ys],  # as every surface writes it
                name=d.name(lang),
                mode="lines+markers",
                line={"color": d.colour, "width": 2},
                marker={"size": 6},
                hovertemplate=hover + "<extra></extra>",
            )
        )
    who = [
        [plotly_literal(h.saved_by or "—"), fmt_saved_at(h.saved_at, lang), fmt_score(h.summary.overall, lang)]
        for h in history
    ]
    overall = t("history.overall", lang)
    hover = t(
        "history.hover_overall",
        lang,
        series=overall,
        score="%{customdata[2]}",
        who="%{customdata[0]}",
        when="%{customdata[1]}",
    )
    fig.add_trace(
        scatter(
            x=x,
            y=[h.summary.overall for h in history],
            name=overall,
            mode="lines+markers",
            customdata=who,
            line={"color": SCORE_LINE, "width": 4},
            marker={"size": 9},
            hovertemplate=hover + "<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 103], title={"text": t("history.y", lang)}, gridcolor=GRID)
    fig.update_xaxes(type="category", title={"text": t("history.x", lang)}, gridcolor=GRID)
    if len(history) == 1:
        fig.add_annotation(text=t("history.single", lang), xref="paper", yref="paper", x=0.5, y=0.05, showarrow=False)
    fig = layout(fig, t("history.trend_title", lang), 470, hovermode="x unified")
    # seven series: below the plot, where wrapping onto a second line at 1024 px cannot cover the title
    fig.update_layout(legend={"yanchor": "top", "y": -0.3}, margin={"b": 40})
    return fig


# --- the action plan over the versions -----------------------------------------------------------------

# Apart from the six dimension colours: done in the slate of the score line, still to do light grey,
# overdue in the blocker red; waived a mid grey. Patterns repeat the difference for readers without colour.
PLAN_SERIES: tuple[tuple[str, str, str, str], ...] = (
    # (key, label key, colour, pattern)
    ("done", "plan.status.done", SCORE_LINE, ""),
    ("waived", "plan.status.waived", "#8C8C8C", "."),
    ("todo", "plan.progress.active", "#BBBBBB", "/"),
    ("overdue", "plan.progress.overdue", SEVERITY_COLOURS["blocker"], "x"),
)


def plan_counts(info: SnapshotInfo) -> dict[str, int] | None:
    """Done, waived, still to do (not overdue) and overdue actions on the day the version was saved;
    None for a version saved before plans were recorded."""
    s = info.summary
    if s.plan_total is None or s.plan_done is None or s.plan_open is None:
        return None
    overdue = s.plan_overdue(local_time(info.saved_at).date()) or 0
    return {
        "done": s.plan_done,
        "waived": max(0, s.plan_total - s.plan_done - s.plan_open),
        "todo": s.plan_open - overdue,
        "overdue": overdue,
    }


def plan_trend(history: Sequence[SnapshotInfo], lang: Lang) -> Figure | None:
    """The plan of each version as one stacked bar: done, waived, to do and overdue actions as of the day
    it was saved. None when no version records a plan with any action."""
    counts = [plan_counts(h) for h in history]
    if not any(c and sum(c.values()) for c in counts):
        return None
    x = [
        t("history.version_tick", lang, version=h.version, date=fmt_date(local_time(h.saved_at).date(), lang))
        for h in history
    ]
    fig = Figure()
    for key, label_key, colour, pattern in PLAN_SERIES:
        values = [c[key] if c else None for c in counts]
        if key == "waived" and not any(values):
            continue  # no legend entry for what never happened
        name = t(label_key, lang)
        fig.add_trace(
            bar(
                x=x,
                y=values,
                name=name,
                marker={"color": colour, "pattern": _plan_pattern(pattern)},
                text=[str(v) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=t("store_plan.history.hover", lang, series=name, n="%{y}") + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.45, legend={"traceorder": "normal"})  # done first, as in the table
    fig.update_yaxes(title={"text": t("store_plan.history.chart_y", lang)}, gridcolor=GRID, rangemode="tozero")
    fig.update_xaxes(type="category", title={"text": t("history.x", lang)})
    if any(c is None for c in counts):
        fig.add_annotation(
            text=t("store_plan.history.untracked", lang), xref="paper", yref="paper", x=0, y=-0.02, showarrow=False
        )
    return layout(fig, t("store_plan.history.chart_title", lang), 360, hovermode="x unified")


def _plan_pattern(shape: str) -> dict[str, object]:
    if not shape:
        return {"shape": ""}
    return {"shape": shape, "fillmode": "overlay", "fgcolor": "rgba(255,255,255,0.55)", "size": 7, "solidity": 0.25}
