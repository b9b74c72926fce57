"""Chart builders for the History page: two saved versions of one client compared (no Streamlit here).

Follows ``ccl.charts``: the catalog's dimension colours on the dimension labels and markers,
transparent backgrounds, no fixed text colour (light and dark theme), ``None`` when there is nothing
to draw. The two versions differ by line style and width as well as shade, so they read without colour.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from ccl.catalog import Catalog
from ccl.charts import GRID, SCORE_LINE, TRANSPARENT, dimension_tick
from ccl.i18n import Lang, fmt_score, t

EARLIER_LINE = "#A3A3A3"
LATER_FILL = "rgba(107,123,140,0.22)"
Series = tuple[str, Mapping[str, float]]  # (legend label, {dimension id: score 0–100})


def _version_trace(label: str, r: list[float], theta: list[str], later: bool, lang: Lang) -> go.Scatterpolar:
    colour = SCORE_LINE if later else EARLIER_LINE
    return go.Scatterpolar(
        r=r, theta=theta, mode="lines+markers", name=label, fill="toself" if later else "none",
        fillcolor=LATER_FILL,
        line={"color": colour, "width": 3 if later else 2, "dash": "solid" if later else "dash"},
        marker={"size": 6, "color": colour},
        hovertemplate=t("history_page.radar_hover", lang, dimension="%{theta}", version=label,
                        score="%{r:.0f}") + "<extra></extra>",
    )


def radar_compare(catalog: Catalog, earlier: Series, later: Series, lang: Lang) -> go.Figure | None:
    """Dimension scores of two versions overlaid: the earlier dashed, the later solid and filled.

    None when neither version has a score (nothing answered yet).
    """
    if not any(earlier[1].values()) and not any(later[1].values()):
        return None
    dims = [d.id for d in catalog.dimensions]
    theta = [dimension_tick(catalog, d, lang, short=True) for d in dims]  # full names are clipped
    closed = theta + theta[:1]
    target = catalog.status.ready_min
    fig = go.Figure(go.Scatterpolar(
        r=[target] * len(closed), theta=closed, mode="lines", hoverinfo="skip",
        name=t("chart.target_line", lang, n=fmt_score(target, lang)),
        line={"color": SCORE_LINE, "dash": "dot", "width": 1},
    ))
    for (label, scores), is_later in ((earlier, False), (later, True)):
        r = [scores.get(d, 0.0) for d in dims]
        fig.add_trace(_version_trace(label, r + r[:1], closed, is_later, lang))
    # The later version's points in the dimension colours; apart, so the legend keeps the line colours.
    fig.add_trace(go.Scatterpolar(
        r=[later[1].get(d, 0.0) for d in dims], theta=theta, mode="markers", showlegend=False,
        hoverinfo="skip", marker={"size": 12, "color": [catalog.dimension_by_id[d].colour for d in dims],
                                  "line": {"width": 1, "color": SCORE_LINE}},
    ))
    fig.update_polars(
        bgcolor=TRANSPARENT,
        radialaxis={"range": [0, 100], "tickvals": [0, 25, 50, 75, 100], "gridcolor": GRID, "angle": 60,
                    "tickangle": 60},
        angularaxis={"gridcolor": GRID, "direction": "clockwise"},
    )
    fig.update_layout(
        title={"text": t("history_page.radar_title", lang), "x": 0, "xanchor": "left"},
        paper_bgcolor=TRANSPARENT, plot_bgcolor=TRANSPARENT, height=460, autosize=True, showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0, "xanchor": "left"},
        margin={"l": 50, "r": 50, "t": 70, "b": 30},
    )
    return fig
