"""A finished figure kept as its JSON, for the chart cache (``ui.cache.figure``)."""

from __future__ import annotations

from typing import Any

import orjson
import plotly.graph_objects as go
import plotly.io


class DrawnFigure(go.Figure):
    """Draws exactly as the figure it was made from: ``st.plotly_chart`` reads a figure only through
    ``to_dict()``, and gets the same dict here without the plotly objects being built or validated
    again (a plain dict would be validated again, which costs as much as building the figure).

    Holds one string instead of a few hundred plotly objects: cheap to keep, and nothing for the
    post-run garbage collection to walk. Not for changing: build a new figure instead.
    """

    def __init__(self, fig: go.Figure) -> None:
        super().__init__()
        self._spec = plotly.io.to_json(fig.to_dict(), validate=False)

    def to_dict(self) -> dict[str, Any]:
        return orjson.loads(self._spec)
