"""Streamlit's own steps made cheaper, in the server ``serve.py`` starts: its REPL check, its emoji lookups,
its settings pollers, the table of plotly's validators that its plotly theme leaves behind and plotly's
``Figure`` class for figures that are finished already.

The REPL check and the emoji lookups change nothing Streamlit decides, only how soon; the pollers stop a
check the app's settings have already turned off for its own files; plotly's table is loaded again by plotly
if anything asks for it; a finished figure gets the dict plotly's own function would return for it. Each sets
one internal of Streamlit or plotly, and each has a test (``tests/ui/test_deferred_imports.py``,
``tests/ui/test_speedups.py``) that runs the library's own code path and fails when an upgrade moves what it
sets. Nothing here beyond those names: an upgrade that drops one leaves the library's own way.
"""

from __future__ import annotations

from typing import Any


def apply() -> None:
    no_repl_check()
    quick_leading_emoji()
    quick_is_emoji()
    settings_read_at_start()
    plotly_validator_table_released()
    finished_figure_as_is()


def no_repl_check() -> None:
    """Streamlit's first element in a process asks whether it runs in a bare Python REPL, to print a hint
    about ``streamlit run``: ``inspect.stack()``, which reads the source path of every loaded module (~50 ms of
    the first visit with the app's). ``serve.py`` only ever runs under ``streamlit run``: the answer is known."""
    import streamlit.delta_generator

    streamlit.delta_generator._use_warning_has_been_displayed = True


# How often Streamlit looks at its settings files once the server runs: once a day (its own 0.2 s is meant
# for a developer editing config.toml while the app runs).
SETTINGS_POLL_SECONDS = 24 * 3600.0


def settings_read_at_start() -> None:
    """With file watching off (``fileWatcherType = "none"`` in .streamlit/config.toml), settings are read
    when the server starts, and a change needs a restart, as a change of the catalog does. Streamlit still
    polls config.toml (both of them: the project's and the user's) and secrets.toml every 0.2 s from a
    thread pool — a stat, and a hash when the time moved: five wake-ups a second for each file, competing
    for the interpreter with every session (~12% of a profile's samples under load, issue 21). Its pollers
    read the period from their module on every round, so setting it here slows the pollers already
    running, which Streamlit created before ``serve.py`` was imported, after their current round."""
    from streamlit import config
    from streamlit.watcher import polling_path_watcher

    if config.get_option("server.fileWatcherType") == "none":
        polling_path_watcher._POLLING_PERIOD_SECS = SETTINGS_POLL_SECONDS  # type: ignore[misc]


def plotly_validator_table_released() -> None:
    """Importing Streamlit sets up its plotly theme with plotly's graph objects, whose first validator loads
    plotly's table of every property's validator (``plotly/validators/_validators.json``): ~113 thousand
    objects, ~8.5 MB, which plotly keeps for the life of the process. The app's charts never need it: they
    are plain data (``ui.charts.figure``) and reach Streamlit as their JSON (``ui.charts.drawn``), so no run
    builds a validator. Let go before the warm-up, the table's memory is reused by the warm-up's imports
    instead of new memory (~8 MB less for the server, issue 21). Anything that later asks plotly for a
    validator it has not built yet gets the table loaded again, by plotly itself."""
    try:
        from plotly.validator_cache import ValidatorCache
    except ImportError:  # plotly moved it: its table stays, as without this step
        return
    ValidatorCache._json_cache = None


def finished_figure_as_is() -> None:
    """``st.plotly_chart`` hands every figure to plotly's ``return_figure_from_figure_or_data``, whose first
    line imports plotly's ``Figure`` class, even for a figure that is plotly's already, which it only turns
    into its dict. That class's module is plotly's largest (~1 MB of source, every ``add_*`` method with its
    documentation): ~1 MB of every server's memory (0.9–1.4 MB, issue 21), for nothing the app draws (its
    charts reach Streamlit as finished figures, ``ui.charts.drawn``). A finished figure gets plotly's own
    answer for it, its ``to_dict()``, at once; anything else still goes through plotly's own function,
    which checks it as before."""
    try:
        import plotly.tools
        from plotly.basedatatypes import BaseFigure
    except ImportError:  # plotly moved them: its own way stays
        return

    full = getattr(plotly.tools, "return_figure_from_figure_or_data", None)
    if full is None or getattr(full, "quick", False):
        return

    def return_figure_from_figure_or_data(figure_or_data: Any, validate_figure: bool) -> Any:
        if isinstance(figure_or_data, BaseFigure):
            return figure_or_data.to_dict()
        return full(figure_or_data, validate_figure)

    return_figure_from_figure_or_data.quick = True  # type: ignore[attr-defined]
    plotly.tools.return_figure_from_figure_or_data = return_figure_from_figure_or_data


# The page's icon (app.py). An emoji favicon is drawn by the browser itself; a ":material/…" icon would be
# fetched from a font host. Known here to be one of Streamlit's emoji (a test checks it against its table).
PAGE_ICON = "🎧"


def could_start_emoji(text: str) -> bool:
    """Whether a text can begin with one of Streamlit's ~5,200 emoji, by the Unicode blocks they start in
    (a test checks every one of them against this). Chinese characters and punctuation, full-width forms
    and letters never do, nor a digit unless a keycap's mark follows it ("7 天内到期"), so such a label
    needs no look at Streamlit's table."""
    first = text[:1]
    if first in _KEYCAP_BASES:  # an emoji only as a keycap: the base, then U+FE0F or U+20E3
        return text[1:2] in ("\ufe0f", "\u20e3")
    code = ord(first) if first else 0
    return first in _STARTS_ELSEWHERE or 0x203C <= code <= 0x2B55 or 0x1F000 <= code <= 0x1FAFF


_KEYCAP_BASES = frozenset("#*0123456789")
_STARTS_ELSEWHERE = frozenset("\u00a9\u00ae\u3030\u303d\u3297\u3299")  # © ® and four CJK symbols: 〰 〽 ㊗ ㊙


def quick_leading_emoji() -> None:
    """Streamlit looks for an emoji at the start of every option label of a segmented control or pills, and
    of every alert, with ``re.search(pattern, text)`` over its emoji. Python's ``re`` hashes the whole
    compiled pattern to look it up in its cache each time: ~60 µs a label, 46 labels in a run of a
    questionnaire section (是 / 否 / 不确定 …, the sidebar's too), 27 on the Gaps page; and the first search
    loads Streamlit's emoji table (``streamlit.emojis``: its set and the pattern compiled from it, ~35 ms
    and 4.8 MB of the server's memory, a sixth of what the app adds to a bare page's). A label that cannot
    start with an emoji cannot match the pattern (it is anchored at the start): it gets Streamlit's answer —
    no emoji, the text as it is — at once; the others still go through Streamlit's own function."""
    from streamlit import string_util

    full = getattr(string_util, "extract_leading_emoji", None)
    if full is None or getattr(full, "quick", False):
        return

    def extract_leading_emoji(text: str) -> tuple[str, str]:
        if text and not text.isascii() and not could_start_emoji(text):
            return "", text
        return full(text)

    extract_leading_emoji.quick = True  # type: ignore[attr-defined]
    string_util.extract_leading_emoji = extract_leading_emoji


def quick_is_emoji() -> None:
    """Streamlit checks the page's icon and every page's icon in the navigation against its emoji table on
    every run (``is_emoji``), which loads the table for the page's 🎧 alone. A text that cannot start with
    an emoji, or is all ASCII (the navigation's ":material/…" icons), is no emoji, and the page's icon is
    one: those get Streamlit's answer at once; anything else still goes through Streamlit's own function."""
    import sys

    from streamlit import string_util

    full = getattr(string_util, "is_emoji", None)
    if full is None or getattr(full, "quick", False):
        return

    def is_emoji(text: str) -> bool:
        bare = text.replace("\ufe0f", "")  # as Streamlit compares it
        if bare == PAGE_ICON:
            return True
        if not bare or bare.isascii() or not could_start_emoji(bare):
            return False
        return full(text)

    is_emoji.quick = True  # type: ignore[attr-defined]
    # Streamlit's commands import it by name (st.navigation's page icons, st.set_page_config's favicon, …).
    for name, module in list(sys.modules.items()):
        if name.startswith("streamlit") and getattr(module, "is_emoji", None) is full:
            module.is_emoji = is_emoji  # type: ignore[attr-defined]
