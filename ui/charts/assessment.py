"""Chart builders: pure functions from engine results to plotly figures (no Streamlit here).

One colour per dimension everywhere (the catalog's Okabe–Ito colours); severities use a separate
colour-blind-safe palette backed by fill patterns, so they also read without colour. Backgrounds are
transparent and no text colour is fixed, so a figure reads in a light and a dark theme. A builder
returns ``None`` when there is nothing to draw; the caller then says why instead of an empty chart.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from ccl.catalog.load import Catalog
from ccl.i18n import Lang, fmt_date, fmt_score, severity_label, t
from ccl.scoring import Assessment
from ccl.timeline import Timeline, TimelineStage
from ui.charts.dates import _ms, date_ticks
from ui.charts.figure import Figure, Trace, bar, heatmap, scatter, scatterpolar

SEVERITIES: tuple[str, ...] = ("blocker", "major", "minor", "warning")
# Paul Tol's "vibrant" red and orange plus neutral greys: distinct under the common colour-vision
# deficiencies and apart from the six dimension colours; the patterns repeat the distinction.
SEVERITY_COLOURS: dict[str, str] = {"blocker": "#CC3311", "major": "#EE7733", "minor": "#8C8C8C", "warning": "#BBBBBB"}
SEVERITY_PATTERNS: dict[str, str] = {"blocker": "x", "major": "/", "minor": ".", "warning": ""}
# The regulator's bars on screen: a mid slate visible on light and dark themes (the workbook fills
# them darker for print, ccl.excel.tables.REGULATOR_FILL).
REGULATOR_BAR = "#6B7B8C"
SCORE_LINE = "#6B7B8C"
GRID = "rgba(128,128,128,0.25)"
MS_PER_DAY = 86_400_000
TRANSPARENT = "rgba(0,0,0,0)"
# Milestones drawn in the Gantt; the later ones (renewal, expiry) are years away and listed apart.
GANTT_MILESTONES = ("submission", "acceptance", "decision", "licence")


def plotly_literal(text: str) -> str:
    """User text (a client name, who saved) shown literally in a chart: plotly reads ``<a>``, ``<b>``… as markup.

    Only ``& < >`` are escaped: plotly decodes those entities back to the characters, not ``&quot;``.
    """
    return html.escape(text, quote=False)


def dimension_tick(catalog: Catalog, dim: str, lang: Lang, short: bool = False) -> str:
    """An axis label carrying the dimension's colour as a square, so colour and name stay paired."""
    d = catalog.dimension_by_id[dim]
    name = d.short(lang) if short else d.name(lang)
    return f'<span style="color:{d.colour}">■</span> {name}'


def layout(fig: Figure, title: str, height: int, **extra: object) -> Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
        height=height,
        autosize=True,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"},
        **extra,
    )
    return fig


def _pattern(shape: str | list[str]) -> dict[str, object]:
    """A fill pattern drawn over the bar colour (light lines read on every colour and theme)."""
    return {"shape": shape, "fillmode": "overlay", "fgcolor": "rgba(255,255,255,0.55)", "size": 7, "solidity": 0.25}


def _has_answers(assessment: Assessment) -> bool:
    return assessment.completion > 0


def _answered(assessment: Assessment, dim: str) -> bool:
    """A dimension with no question answered has no score to draw (its 0 would read as a result)."""
    return assessment.dimensions[dim].completion > 0


NOT_ANSWERED = "#9E9E9E"


# --- scores ---------------------------------------------------------------------------------------


def radar(catalog: Catalog, assessment: Assessment, lang: Lang) -> Figure | None:
    """Dimension scores against the "ready" line; None before any answer."""
    if not _has_answers(assessment):
        return None
    dims = [d.id for d in catalog.dimensions]
    theta = [dimension_tick(catalog, d, lang, short=True) for d in dims]  # long names clip at the edges
    full = [catalog.dimension_by_id[d].name(lang) for d in dims]
    scores = [assessment.dimensions[d].score if _answered(assessment, d) else None for d in dims]
    # the name and the score as every other surface writes it (ccl.i18n.fmt_score: 78.1, 85), for the hover
    hover = [[name, "" if s is None else fmt_score(s, lang)] for name, s in zip(full, scores, strict=True)]
    target = catalog.status.ready_min
    fig = Figure()
    fig.add_trace(
        scatterpolar(
            r=[target] * len(dims) + [target],
            theta=theta + theta[:1],
            mode="lines",
            name=t("chart.target_line", lang, n=fmt_score(target, lang)),
            line={"color": SCORE_LINE, "dash": "dash", "width": 1.5},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        scatterpolar(
            r=scores + scores[:1],
            theta=theta + theta[:1],
            customdata=hover + hover[:1],
            mode="lines+markers",
            fill="toself",
            name=t("chart.score", lang),
            line={"color": SCORE_LINE, "width": 2},
            fillcolor="rgba(107,123,140,0.25)",
            marker={
                "size": 13,
                "color": [catalog.dimension_by_id[d].colour for d in dims + dims[:1]],
                # a dimension whose legal condition fails: an ✖ in the blocker colour
                "symbol": ["x" if assessment.dimensions[d].blockers else "circle" for d in dims + dims[:1]],
                "line": {
                    "width": [3 if assessment.dimensions[d].blockers else 1 for d in dims + dims[:1]],
                    "color": [
                        SEVERITY_COLOURS["blocker"] if assessment.dimensions[d].blockers else SCORE_LINE
                        for d in dims + dims[:1]
                    ],
                },
            },
            hovertemplate=t("chart.radar_hover", lang) + "<extra></extra>",
            connectgaps=False,
        )
    )
    _radar_not_answered(fig, [i for i, v in enumerate(scores) if v is None], theta, full, lang)
    fig.update_polars(
        bgcolor=TRANSPARENT,
        # the radial scale sits between two spokes so its numbers do not cover a dimension's label
        radialaxis={
            "range": [0, 100],
            "tickvals": [0, 25, 50, 75, 100],
            "gridcolor": GRID,
            "angle": 60,
            "tickangle": 60,
            "title": {"text": ""},
        },
        angularaxis={"gridcolor": GRID, "direction": "clockwise"},
    )
    fig = layout(fig, t("chart.radar_title", lang), 440, showlegend=True)
    return fig.update_layout(legend={"y": -0.08, "yanchor": "top"}, margin={"l": 40, "r": 40, "t": 70, "b": 30})


def _radar_not_answered(fig: Figure, idx: list[int], theta: list[str], full: list[str], lang: Lang) -> None:
    """Grey open markers with a label on the outer ring where a dimension has no answer yet."""
    if not idx:
        return
    fig.add_trace(
        scatterpolar(
            r=[100] * len(idx),
            theta=[theta[i] for i in idx],
            customdata=[full[i] for i in idx],
            mode="markers+text",
            text=[t("chart.not_answered", lang)] * len(idx),
            textposition="bottom center",
            textfont={"color": NOT_ANSWERED},
            name=t("chart.not_answered", lang),
            marker={"symbol": "circle-open-dot", "size": 14, "color": NOT_ANSWERED, "line": {"width": 2}},
            hovertemplate=t("chart.not_answered_hover", lang) + "<extra></extra>",
        )
    )


def section_scores(catalog: Catalog, assessment: Assessment, lang: Lang) -> Figure | None:
    """One bar per dimension (its colour), score 0–100, with the "ready" line; None before any answer."""
    if not _has_answers(assessment):
        return None
    dims = [d.id for d in catalog.dimensions]
    answered = [_answered(assessment, d) for d in dims]
    scores = [assessment.dimensions[d].score if ok else None for d, ok in zip(dims, answered, strict=True)]
    completion = [assessment.dimensions[d].completion for d in dims]
    ticks = [dimension_tick(catalog, d, lang) for d in dims]
    gate = [assessment.dimensions[d].blockers > 0 for d in dims]  # a failed legal condition: marked
    fig = Figure(
        bar(
            x=scores,
            y=ticks,
            orientation="h",
            marker={
                "color": [catalog.dimension_by_id[d].colour for d in dims],
                "line": {"color": [SEVERITY_COLOURS["blocker"] if g else "rgba(0,0,0,0)" for g in gate], "width": 3},
                "pattern": {"shape": ["x" if g else "" for g in gate], "fgcolor": SEVERITY_COLOURS["blocker"]},
            },
            # the score as every other surface writes it (ccl.i18n.fmt_score), and the completion
            customdata=[
                ["" if s is None else fmt_score(s, lang), fmt_score(c, lang)]
                for s, c in zip(scores, completion, strict=True)
            ],
            name=t("chart.score", lang),
            hovertemplate=t("chart.section_hover", lang) + "<extra></extra>",
        )
    )
    if not all(answered):
        # a grey hatched placeholder over the whole scale: "not answered", never a bar of 0
        fig.add_trace(
            bar(
                x=[100 if not ok else None for ok in answered],
                y=ticks,
                orientation="h",
                marker={
                    "color": "rgba(158,158,158,0.25)",
                    "line": {"color": NOT_ANSWERED, "width": 1},
                    "pattern": {"shape": "/", "fgcolor": NOT_ANSWERED, "size": 8, "solidity": 0.2},
                },
                text=[t("chart.not_answered", lang) if not ok else "" for ok in answered],
                textposition="inside",
                insidetextanchor="middle",
                customdata=[catalog.dimension_by_id[d].name(lang) for d in dims],
                name=t("chart.not_answered", lang),
                hovertemplate=t("chart.not_answered_hover", lang) + "<extra></extra>",
            )
        )
        fig.update_layout(barmode="overlay")
    target = catalog.status.ready_min
    fig.add_vline(x=target, line={"dash": "dash", "color": SCORE_LINE, "width": 1.5})
    fig.add_annotation(
        x=target,
        y=1.0,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=t("chart.target_line", lang, n=fmt_score(target, lang)),
    )
    # the scores in a column right of the scale: a label at the bar's end would collide with the
    # ready line for any score just under it (78.1 struck through by the dashed line at 85)
    for tick, score, failed in zip(ticks, scores, gate, strict=True):
        if score is not None:
            text = fmt_score(score, lang)
            if failed:  # the failed gate beside the score, in the blocker colour
                text = f"<span style='color:{SEVERITY_COLOURS['blocker']}'>✖ {text}</span>"
            fig.add_annotation(x=1.0, xref="x domain", y=tick, xanchor="left", xshift=8, showarrow=False, text=text)
    fig.update_xaxes(range=[0, 100], title={"text": t("chart.score_axis", lang)}, gridcolor=GRID)
    fig.update_yaxes(autorange="reversed", title={"text": t("chart.dimension_axis", lang)})
    fig = layout(fig, t("chart.sections_title", lang), 360, showlegend=False)
    fig.update_layout(margin={"r": 48})
    return fig


# --- gaps -----------------------------------------------------------------------------------------


def points_lost(catalog: Catalog, assessment: Assessment, lang: Lang) -> Figure | None:
    """Points lost per dimension, stacked by severity, the gravest dimension first; None when no point
    is lost."""
    if sum(g.points_lost for g in assessment.gaps) <= 0:
        return None
    order = assessment.dimensions_worst_first  # the gravest first
    ticks = [dimension_tick(catalog, d, lang, short=True) for d in order]
    full = [catalog.dimension_by_id[d].name(lang) for d in order]
    fig = Figure()
    for sev in ("blocker", "major", "minor"):
        mine = [g for g in assessment.gaps if g.severity == sev]
        if not mine:
            continue
        lost = [round(sum(g.points_lost for g in mine if g.dimension == d), 1) for d in order]
        count = [sum(g.dimension == d for g in mine) for d in order]
        fig.add_trace(
            bar(
                x=ticks,
                y=lost,
                name=severity_label(sev, lang),
                # the points as every surface writes them (ccl.i18n.fmt_score: 3, 2.7)
                customdata=[[n, name, fmt_score(v, lang)] for n, name, v in zip(count, full, lost, strict=True)],
                marker={"color": SEVERITY_COLOURS[sev], "pattern": _pattern(SEVERITY_PATTERNS[sev])},
                hovertemplate="%{customdata[1]}<br>"
                + severity_label(sev, lang)
                + ": "
                + t("chart.points_hover", lang)
                + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(title={"text": t("chart.points_axis", lang)}, gridcolor=GRID, rangemode="tozero")
    fig.update_xaxes(title={"text": t("chart.dimension_axis", lang)})
    return layout(fig, t("chart.points_title", lang), 400)


def gap_heatmap(catalog: Catalog, assessment: Assessment, lang: Lang) -> Figure | None:
    """Gaps per dimension × severity, the gravest dimension on top, each cell coloured by its severity (a
    blocker is the most salient mark), the count written in it and the points lost in the hover; None
    without gaps."""
    if not assessment.gaps:
        return None
    rank = {s: len(SEVERITIES) - i for i, s in enumerate(SEVERITIES)}  # blocker 4 … warning 1
    z: list[list[int | None]] = []
    counts: list[list[str]] = []
    lost: list[list[float]] = []
    order = assessment.dimensions_worst_first  # the gravest on the top row
    for d in order:
        row = [[g for g in assessment.gaps if g.dimension == d and g.severity == s] for s in SEVERITIES]
        z.append([rank[s] if c else None for s, c in zip(SEVERITIES, row, strict=True)])
        counts.append([str(len(c)) if c else "" for c in row])
        lost.append([round(sum(g.points_lost for g in c), 1) for c in row])
    n = len(SEVERITIES)
    # one flat colour per severity: the value only picks the severity, never a shade of "how many"
    scale = []
    for i, sev in enumerate(reversed(SEVERITIES)):
        scale += [[i / n, SEVERITY_COLOURS[sev]], [(i + 1) / n, SEVERITY_COLOURS[sev]]]
    fig = Figure(
        heatmap(
            z=z,
            x=[severity_label(s, lang) for s in SEVERITIES],
            y=[dimension_tick(catalog, d, lang) for d in order],
            customdata=[[[c, p] for c, p in zip(cr, lr, strict=True)] for cr, lr in zip(counts, lost, strict=True)],
            text=counts,
            texttemplate="%{text}",
            textfont={"size": 15},  # plotly picks a dark or light ink per cell colour
            colorscale=scale,
            zmin=0.5,
            zmax=n + 0.5,
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate=t("chart.heatmap_hover", lang)
            .replace("%{z}", "%{customdata[0]}")
            .replace("%{customdata}", "%{customdata[1]}")
            + "<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_xaxes(title={"text": t("chart.severity_axis", lang)}, side="bottom", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False, title={"text": t("chart.dimension_axis", lang)})
    return layout(fig, t("chart.heatmap_title", lang), 400)


# --- timeline -------------------------------------------------------------------------------------


def stage_label(catalog: Catalog, stage: TimelineStage, lang: Lang, width: int = 16) -> str:
    """Row label of a Gantt bar: the rule title for remediation work, else the stage name."""
    if stage.rule_id:
        text = catalog.rule_by_id[stage.rule_id].title(lang)
        if stage.needed_by == "issuance":  # runs alongside the review (2020 deferral)
            text = t("chart.by_issuance", lang, name=text)
    else:
        text = catalog.stage_by_key[stage.stage].name(lang)
        if stage.round is not None:
            text = t("chart.round", lang, name=text, n=stage.round)
    return wrap_label(text, width if lang == "zh" else width * 2)


# Chinese line breaking: closing punctuation never starts a line, opening punctuation never ends one.
NO_LINE_START = frozenset("”’」』）》】〕〉，。、；：！？…")
NO_LINE_END = frozenset("“‘「『（《【〔〈")
SHORTEST_LAST_LINE = 4  # characters: "合同" alone under a full line reads as a stray word


def wrap_label(text: str, limit: int, lines: int = 2) -> str:
    """``text`` on at most ``lines`` lines of ``limit`` characters (plotly's ``<br>``); "…" only beyond that.

    English breaks at spaces. Chinese may break between any two characters, except before closing
    punctuation (it stays at the end of the line, one character over), after opening punctuation and inside
    a number or a Latin word; and a last line is not left with fewer than ``SHORTEST_LAST_LINE`` characters.
    """
    out: list[str] = []
    rest = text
    while rest and len(out) < lines:
        if len(rest) <= limit or all(ch in NO_LINE_START for ch in rest[limit:]):  # closing marks hang
            out.append(rest)
            rest = ""
            break
        cut = rest.rfind(" ", 0, limit + 1)
        if cut <= limit // 2:
            cut = _chinese_cut(rest, limit, last=len(out) == lines - 2 and len(rest) <= 2 * limit)
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        out[-1] = out[-1][: limit - 1].rstrip().rstrip("，。、；：") + "…"  # "方式…", never "方式、…"
    return "<br>".join(out)


def _chinese_cut(rest: str, limit: int, last: bool) -> int:
    """Where to end a line of ``rest`` (longer than ``limit``); ``last``: the rest after it is the last line."""
    cut = limit
    if last:  # the last line not a stray word
        cut = min(cut, max(limit // 2, len(rest) - SHORTEST_LAST_LINE))
    start = cut
    while start > 0 and _latin(rest[start - 1]) and _latin(rest[start]):
        start -= 1
    if start > limit // 2:  # the number or word moves down whole
        cut = start
    if rest[cut - 1] in NO_LINE_END:
        cut -= 1
    elif rest[cut] in NO_LINE_START:
        cut += 1
    return cut


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def gantt(catalog: Catalog, timeline: Timeline, lang: Lang) -> Figure:
    """Remediation work and the regulator's stages, with today and the milestones up to the licence.

    Each milestone has its own row named with its date, so milestone labels never overlap however close
    the dates are, and never run off the plot at either end.
    """
    stages = list(timeline.stages)
    labels = _unique_labels([stage_label(catalog, s, lang) for s in stages])
    fig = Figure()
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(stages):
        groups.setdefault(s.dimension if s.kind == "work" and s.dimension else "regulator", []).append(i)
    for group, idx in sorted(groups.items(), key=lambda kv: (kv[0] == "regulator", kv[0])):
        fig.add_trace(_gantt_bars(catalog, [stages[i] for i in idx], [labels[i] for i in idx], group, lang))
    marks = _milestone_marks(timeline, lang)
    fig.add_trace(marks)
    _today_line(fig, timeline.start, lang)
    left = timeline.start - timedelta(days=5)
    right = timeline.end + timedelta(days=25)
    fig.update_xaxes(
        type="date",
        range=[_ms(left), _ms(right)],
        title={"text": t("chart.date_axis", lang)},
        gridcolor=GRID,
        **date_ticks(left, right, lang, timeline.start, timeline.end),
    )
    ms_rows = list(dict.fromkeys(marks["y"]))
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[*ms_rows, *labels],
        autorange="reversed",
        title={"text": t("chart.stage_axis", lang)},
    )
    height = 190 + 38 * (len(stages) + len(ms_rows))  # room for two-line labels
    scenario = t(f"scenario.{timeline.scenario}", lang)
    fig = layout(fig, t("chart.gantt_title", lang, scenario=scenario), height, barmode="overlay", bargap=0.3)
    # the legend goes under the chart: above it, it would cover the title and the "today" mark
    return fig.update_layout(
        legend={"yref": "container", "y": 0, "yanchor": "bottom"}, margin={"l": 10, "r": 10, "t": 70, "b": 90}
    )


def _unique_labels(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _gantt_bars(catalog: Catalog, stages: list[TimelineStage], labels: list[str], group: str, lang: Lang) -> Trace:
    colour = REGULATOR_BAR if group == "regulator" else catalog.dimension_by_id[group].colour
    name = t("chart.regulator", lang) if group == "regulator" else catalog.dimension_by_id[group].name(lang)
    est = t("common.estimate", lang)
    custom = [
        [
            fmt_date(s.start, lang),
            fmt_date(s.end, lang),
            s.working_days,
            s.calendar_days,
            est if s.estimate else "",
            t(f"chart.day_kind_{s.day_kind}", lang),
        ]
        for s in stages
    ]
    return bar(
        y=labels,
        base=[_ms(s.start) for s in stages],
        orientation="h",
        name=name,
        x=[((s.end - s.start).days + 1) * MS_PER_DAY for s in stages],
        customdata=custom,
        marker={"color": colour, "pattern": _pattern(["/" if s.estimate else "" for s in stages])},
        hovertemplate="<b>%{y}</b><br>" + t("chart.gantt_hover", lang) + "<extra></extra>",
    )


def _milestone_marks(timeline: Timeline, lang: Lang) -> Trace:
    """One diamond per milestone, each on its own row labelled "◆ name · date" (the label is the row name)."""
    marks = [m for m in timeline.milestones if m.key in GANTT_MILESTONES]
    names = [t(f"milestone.{m.key}", lang) for m in marks]
    dates = [fmt_date(m.date, lang) + (" *" if m.estimate else "") for m in marks]
    rows = _unique_labels([f"◆ {name} · {when}" for name, when in zip(names, dates, strict=True)])
    est = t("common.estimate", lang)
    return scatter(
        x=[_ms(m.date) for m in marks],
        y=rows,
        mode="markers",
        name=t("chart.milestones_row", lang),
        marker={"symbol": "diamond", "size": 13, "color": SCORE_LINE},
        text=names,
        customdata=[[fmt_date(m.date, lang), est if m.estimate else ""] for m in marks],
        hovertemplate="<b>%{text}</b><br>%{customdata[0]} %{customdata[1]}<extra></extra>",
        showlegend=False,
    )


def _today_line(fig: Figure, today: date, lang: Lang) -> None:
    fig.add_shape(
        type="line",
        x0=_ms(today),
        x1=_ms(today),
        y0=0,
        y1=1,
        yref="paper",
        line={"color": SEVERITY_COLOURS["blocker"], "width": 2, "dash": "dot"},
    )
    fig.add_annotation(
        x=_ms(today),
        y=1,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=t("milestone.today", lang),
        font={"color": SEVERITY_COLOURS["blocker"]},
    )
