"""A plotly figure as plain data: the builders in ``ui.charts`` fill one of these instead of plotly's graph objects.

Plotly's graph objects check every property as it is set: building a chart loads and runs hundreds of
validators, which cost more than the evaluation the chart draws (sample 10's six charts took ~200 ms, and
the first company's charts put ~3.7 MB of validators and template copies into every server; now 1.6–1.7 ms
and 1.6 MB, ``bench/bench_charts.py``). The builders are ours and fixed, so the check
belongs in the tests (``tests/ui/charts``: plotly validates every chart of every sample and must leave it
unchanged), not in every run. What is drawn is the same: ``to_dict()`` gives what ``go.Figure.to_dict()``
gave for the same calls, the current default template included.

Only what the builders use: traces as dicts (``bar``, ``scatter``…), ``update_layout`` and
``update_xaxes``/``update_yaxes``/``update_polars`` merging nested dicts as plotly does, shapes and
annotations appended, and ``add_vline`` drawn as plotly draws it on a figure without subplots. No
"magic underscore" names (``legend_traceorder``): write the nested dict.
"""

from __future__ import annotations

import copy
from typing import Any

Trace = dict[str, Any]


def _trace(kind: str, props: dict[str, Any]) -> Trace:
    return {"type": kind, **props}


def bar(**props: Any) -> Trace:
    return _trace("bar", props)


def scatter(**props: Any) -> Trace:
    return _trace("scatter", props)


def scatterpolar(**props: Any) -> Trace:
    return _trace("scatterpolar", props)


def heatmap(**props: Any) -> Trace:
    return _trace("heatmap", props)


def merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    """``new`` merged into ``into`` as plotly's ``update`` does: nested dicts merge, anything else
    (a list, a number) replaces."""
    for key, value in new.items():
        old = into.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            merge(old, value)
        else:
            into[key] = copy.deepcopy(value) if isinstance(value, dict | list) else value


class Figure:
    """Traces and a layout, as plain dicts; ``to_dict()`` is plotly's figure dict."""

    __slots__ = ("data", "layout")

    def __init__(self, *traces: Trace) -> None:
        self.data: list[Trace] = list(traces)
        self.layout: dict[str, Any] = {}

    def add_trace(self, trace: Trace) -> Figure:
        self.data.append(trace)
        return self

    def update_layout(self, **props: Any) -> Figure:
        merge(self.layout, props)
        return self

    def _update_axes(self, prefix: str, props: dict[str, Any]) -> Figure:
        # every axis of that kind the layout has (``xaxis``, ``xaxis2``…); a figure always has the first
        names = {"", *(k[len(prefix) :] for k in self.layout if k.startswith(prefix))}
        for suffix in sorted(n for n in names if n == "" or n.isdigit()):
            merge(self.layout.setdefault(prefix + suffix, {}), props)
        return self

    def update_xaxes(self, **props: Any) -> Figure:
        return self._update_axes("xaxis", props)

    def update_yaxes(self, **props: Any) -> Figure:
        return self._update_axes("yaxis", props)

    def update_polars(self, **props: Any) -> Figure:
        return self._update_axes("polar", props)

    def add_shape(self, **props: Any) -> Figure:
        self.layout.setdefault("shapes", []).append(props)
        return self

    def add_annotation(self, **props: Any) -> Figure:
        self.layout.setdefault("annotations", []).append(props)
        return self

    def add_vline(self, x: Any, **props: Any) -> Figure:
        """A vertical line across the plot at ``x``, as ``go.Figure.add_vline`` draws it without subplots."""
        return self.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", **props)

    def to_dict(self) -> dict[str, Any]:
        """Plotly's figure dict: the traces, and the layout on top of the default template (as a new
        ``go.Figure`` starts from it: plotly's own, or Streamlit's once Streamlit is loaded).

        It shares its values with the figure and with the kept template: read it, do not change it."""
        template = default_template()
        layout = self.layout if template is None else {"template": template, **self.layout}
        return {"data": self.data, "layout": layout}


_templates: dict[str, dict[str, Any]] = {}


def default_template() -> dict[str, Any] | None:
    """The template a new ``go.Figure`` would start from now, as a dict (kept per name: not to be changed)."""
    import plotly.io as pio

    name = pio.templates.default
    if not name:
        return None
    if not isinstance(name, str):  # a template object set as the default
        return name.to_plotly_json()
    found = _templates.get(name)
    if found is None:
        found = _templates[name] = pio.templates[name].to_plotly_json()
    return found
