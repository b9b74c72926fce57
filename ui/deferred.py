"""Libraries loaded when a page first needs them, not at start: pandas (with numpy and pyarrow).

pandas, numpy and pyarrow cost ~0.3 s and ~100 MB of a server's memory, and only the grids need them
(the plan's editable table, Portfolio, History, the report preview, exports). The Overview, Gaps,
Timeline, Materials, the duties, the questionnaire (until an evidence table opens) and the sidebar draw
without them, so a server's first page (and a session that never opens a grid) does not pay for them.

Loading them while other sessions run has one trap: plotly looks pandas and numpy up in
``sys.modules`` without importing them, and finds a half-loaded module while another session's
import is under way (the chart then fails). So the first import goes through ``pandas()`` under a
lock, and chart code runs under the same lock (``charting()``): a chart waits for an import in
progress, an import waits for a chart being drawn. Pages that draw grids are marked in ``ui.nav``
(``PageSpec.grids``), and app.py loads pandas through ``pandas()`` before they run, so that their
module-level imports (and Streamlit's own, for ``st.dataframe``) find it loaded.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

_lock = threading.RLock()


def pandas() -> ModuleType:
    """pandas, loaded under the lock the first time (numpy and pyarrow with it)."""
    loaded = sys.modules.get("pandas")
    if loaded is not None and not _initializing(loaded):
        return loaded
    with _lock:
        import pandas as pd

        return pd


@contextmanager
def charting() -> Iterator[None]:
    """Build or draw a plotly chart: never while another session is half-way through loading pandas."""
    with _lock:
        yield


def _initializing(module: ModuleType) -> bool:
    return bool(getattr(getattr(module, "__spec__", None), "_initializing", False))
