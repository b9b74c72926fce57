"""The portfolio heatmap: clients × dimensions, scored 0–100 (plotly, pure function, no Streamlit).

Follows ``ui.charts.assessment``: the catalog's dimension colours on the labels, transparent backgrounds,
``None`` when there is nothing to draw (the page then says why).
"""

from __future__ import annotations

from collections.abc import Sequence

from plotly.colors import sequential

from ccl.catalog.load import Catalog
from ccl.i18n import Lang, fmt_score, t
from ccl.portfolio import unique_labels
from ccl.store.models import ClientSummary
from ui.charts.assessment import dimension_tick, layout, plotly_literal
from ui.charts.figure import Figure, heatmap

# Rows are labelled in the heatmap only while they stay readable; the hover always names the client.
MAX_LABELLED_ROWS = 60
MAX_CELL_TEXT_ROWS = 40
ROW_PX, MAX_HEATMAP_PX = 26, 2400
# plotly's "Cividis" (readable with every common colour-vision deficiency), spelt out as plotly would
CIVIDIS = [[i / (len(sequential.Cividis) - 1), colour] for i, colour in enumerate(sequential.Cividis)]


def portfolio_heatmap(summaries: Sequence[ClientSummary], catalog: Catalog, lang: Lang) -> Figure | None:
    """Clients (rows, in the given order) × dimensions (catalog order), scored 0–100; None without clients."""
    if not summaries:
        return None
    dims = catalog.dimensions
    labels = [plotly_literal(label) for label in unique_labels(summaries, lang)]
    z = [[c.latest.summary.dimensions.get(d.id) for d in dims] for c in summaries]  # None: no score, a gap
    names = [d.name(lang) for d in dims]
    # each score as every other surface writes it (ccl.i18n.fmt_score: 78.1, 85), in its cell and its hover
    text = [["" if v is None else fmt_score(v, lang) for v in row] for row in z]
    hover = t("portfolio.hover", lang, client="%{y}", dimension="%{x}", score="%{text}")
    heat = heatmap(
        z=z,
        text=text,
        x=names,
        y=labels,
        zmin=0,
        zmax=100,
        colorscale=CIVIDIS,
        xgap=2,
        ygap=2 if len(z) <= MAX_LABELLED_ROWS else (1 if len(z) <= 200 else 0),
        colorbar={"title": {"text": t("portfolio.score_axis", lang), "side": "right"}, "thickness": 12},
        hovertemplate=hover + "<extra></extra>",
        hoverongaps=False,
    )
    if len(z) <= MAX_CELL_TEXT_ROWS:
        heat["texttemplate"] = "%{text}"
    fig = Figure(heat)
    fig.update_xaxes(
        tickvals=names,
        ticktext=[dimension_tick(catalog, d.id, lang, short=True) for d in dims],
        side="top",
        showgrid=False,
        title={"text": t("portfolio.heatmap_x", lang)},
    )
    fig.update_yaxes(
        autorange="reversed",
        showgrid=False,
        showticklabels=len(z) <= MAX_LABELLED_ROWS,
        title={"text": t("portfolio.heatmap_y", lang)},
        automargin=True,
    )
    height = min(MAX_HEATMAP_PX, 200 + ROW_PX * len(z)) if len(z) <= MAX_LABELLED_ROWS else 900
    return layout(fig, t("portfolio.heatmap_title", lang), height)
