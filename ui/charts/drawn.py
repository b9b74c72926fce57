"""A finished figure kept as its JSON: what ``st.plotly_chart`` receives (``ui.blocks.chart``, ``ui.cache.figure``)."""

from __future__ import annotations

from typing import Any

import orjson
import plotly.io
from plotly.basedatatypes import BaseFigure

from ui.charts.figure import Figure


class DrawnFigure(BaseFigure):
    """A figure's JSON, made once from a ``ui.charts.figure.Figure``.

    ``st.plotly_chart`` takes any plotly figure and reads it only through ``to_dict()`` (plotly's
    ``return_figure_from_figure_or_data``, then ``plotly.io.to_json``), so it gets the dict back from the
    JSON; a plain dict would be validated there, which costs as much as building plotly's objects. No
    plotly objects are made here either (``BaseFigure.__init__`` is not run: it would copy the default
    template into new objects, ~2 MB of validators on the first chart of a process).

    Holds one string instead of a few hundred objects: cheap to keep, and nothing for the post-run
    garbage collection to walk. Not for changing: build a new figure instead.
    """

    def __init__(self, fig: Figure) -> None:
        self._spec = plotly.io.to_json(fig.to_dict(), validate=False)

    def to_dict(self) -> dict[str, Any]:
        return orjson.loads(self._spec)
