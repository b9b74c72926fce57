"""Charts as plotly's own objects, for the tests: plotly checks every property of what the app sends."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io

from ui.charts.drawn import DrawnFigure
from ui.charts.figure import Figure


def _sent(spec: dict) -> dict:
    return json.loads(plotly.io.to_json(spec, validate=False))


def plotted(fig: Figure | DrawnFigure | None) -> go.Figure | None:
    """The chart as a validated ``go.Figure`` (to read its properties by name), after checking that plotly
    would draw exactly what the app sends: a property plotly does not know raises, and one plotly would
    change (a number where it keeps text, a colour scale it expands by name, a "magic underscore" name)
    makes the two differ."""
    if fig is None:
        return None
    spec = fig.to_dict()
    checked = go.Figure(spec)
    assert _sent(checked.to_dict()) == _sent(spec), "plotly would draw another figure than the app sends"
    return checked
