"""Three of Streamlit's own steps made cheaper, in the server ``serve.py`` starts.

Two of them change nothing Streamlit decides, only how soon; the third stops a check the app's settings
have already turned off for its own files. Each sets a Streamlit internal, and each has a test
(``tests/ui/test_deferred_imports.py``, ``tests/ui/test_speedups.py``) that runs Streamlit's own code path
and fails when an upgrade moves what it sets. No Streamlit here beyond those names: an upgrade that drops
one leaves Streamlit's own way.
"""

from __future__ import annotations

import functools


def apply() -> None:
    no_repl_check()
    quick_leading_emoji()
    settings_read_at_start()


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
    thread pool — a stat, and a hash when the time moved: ~10 wake-ups a second competing for the
    interpreter with every session (~12% of a profile's samples under load, issue 21). Its pollers read
    the period from their module on every round, so setting it here slows the pollers already running,
    which Streamlit created before this module was imported, after their current round."""
    from streamlit import config
    from streamlit.watcher import polling_path_watcher

    if config.get_option("server.fileWatcherType") == "none":
        polling_path_watcher._POLLING_PERIOD_SECS = SETTINGS_POLL_SECONDS  # type: ignore[misc]


def quick_leading_emoji() -> None:
    """Streamlit looks for an emoji at the start of every option label of a segmented control or pills, and
    of every alert, with ``re.search(pattern, text)`` over its ~4,000 emoji. Python's ``re`` hashes the whole
    compiled pattern to look it up in its cache each time: ~60 µs a label, 46 labels in a run of a
    questionnaire section (是 / 否 / 不确定 …, the sidebar's too), 27 on the Gaps page. A label whose first
    character starts no emoji cannot match the pattern (it is anchored at the start), so those get
    Streamlit's answer — no emoji, the text as it is — at once; the others still go through Streamlit's own
    function."""
    from streamlit import string_util

    full = getattr(string_util, "extract_leading_emoji", None)
    if full is None or getattr(full, "quick", False):
        return

    def extract_leading_emoji(text: str) -> tuple[str, str]:
        if text and not text.isascii() and text[0] not in _emoji_starts():
            return "", text
        return full(text)

    extract_leading_emoji.quick = True  # type: ignore[attr-defined]
    string_util.extract_leading_emoji = extract_leading_emoji


@functools.cache
def _emoji_starts() -> frozenset[str]:
    """The first character of each of Streamlit's emoji (loaded with the first non-ASCII label, as before)."""
    from streamlit.emojis import ALL_EMOJIS

    return frozenset(e[0] for e in ALL_EMOJIS)
