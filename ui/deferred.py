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

The same trap waits for a server's first runs: ``serve.py`` loads the first run's modules in a background
thread (``warm``) while the server starts, and a run that imported them at the same time could meet one of
them, or of the libraries under them, half-loaded (two threads importing modules that import each other:
Python lets one of them go on with the half-loaded module rather than wait forever). So a run waits until
the warm-up is over (``after_warm_up``); the browser's first visitor is still fetching the page's scripts
meanwhile, and a run would compete with the warm-up for the interpreter anyway.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

_lock = threading.RLock()
_warmed = threading.Event()
_warmed.set()  # no warm-up under way (AppTest, `streamlit run app.py`): nothing to wait for


def warm_up_begins() -> None:
    """Called before the warm-up starts (``serve.py``): runs that start from now on wait in ``after_warm_up``."""
    _warmed.clear()


def warm_up_ends() -> None:
    """Called when the warm-up is over, also when it failed."""
    _warmed.set()


def after_warm_up() -> None:
    """Returns once no warm-up is under way (at once when there is none). No time limit: the warm-up only
    imports and reads files, and a run that gave up waiting would import the same modules, under the same
    import locks, anyway."""
    _warmed.wait()


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
