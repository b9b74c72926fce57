"""The one place where the app caches: the engine (catalog + calendar), evaluations and their charts.

The catalog and calendar are frozen, so one ``Engine`` is shared by every session. Evaluations are
cached by the profile's JSON, the start date and the review anchor; they do not depend on the
language, so both languages share an entry. Results are immutable, hence ``cache_resource`` (no
copy on every read, unlike ``cache_data``). Charts are built once per evaluation and language and kept
as their JSON (``figure``).
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, Any

import streamlit as st

from ccl.engine import Engine, Evaluation, WhatIf
from ccl.profile import Profile, parse_profile_json
from ccl.store import Store, StoreUnavailable, resolve_url
from ccl.store.connect import default_timeout
from ccl.timeline import ReviewAnchor
from ui import deferred
from ui.charts.drawn import DrawnFigure  # its plotly modules come with Streamlit itself

if TYPE_CHECKING:
    from ui.charts.figure import Figure


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    """The shared engine, loaded once per server process."""
    return Engine.load()


# --- after a run: what lives as long as the process, out of the garbage collector's way --------------

FREEZES_MAX = 24  # new modules appear on the first visit of each page and export; then never again
_frozen = {"modules": 0, "times": 0, "pending": 0}
_frozen_lock = threading.Lock()


def freeze_new_modules(*, collect: bool = True) -> None:
    """After a run that imported modules (and after the server's warm-up, serve.py): exempt everything
    alive from garbage collection.

    A full collection (Python's own, now and then; Streamlit's after every run, which config.toml turns
    off) costs about a microsecond per object, and modules with their functions and classes, the catalog
    and the calendar are most of the objects and never garbage. ``gc.freeze()`` moves them out of the
    collector's sight; everything created later is collected as usual (objects that die are still
    freed at once by reference counting). Freezing is repeated only when new modules were loaded
    (pandas with the first table, plotly with the first chart, an export's libraries), at most
    ``FREEZES_MAX`` times: what a session holds at that moment is frozen too and, should it form a
    reference cycle, is never collected, so this must stay rare. ``collect=False`` freezes without
    collecting first (the server's warm-up: no session yet, only the little garbage of importing).
    """
    with _frozen_lock:
        if not _worth_freezing():
            return
        if collect:
            gc.collect()
        gc.freeze()
        _frozen["modules"], _frozen["times"] = len(sys.modules), _frozen["times"] + 1


def _worth_freezing() -> bool:
    """Modules were loaded since the last freeze, and the limit is not reached (under ``_frozen_lock``)."""
    return len(sys.modules) != _frozen["modules"] and _frozen["times"] < FREEZES_MAX


FREEZE_DELAY = 0.5  # seconds after the run: its page is on screen by then


def freeze_soon() -> None:
    """``freeze_new_modules`` just after this run, off its path: the first page of a fresh server (whose
    run loaded most modules, and whose collection walks all of them) does not wait for it."""
    with _frozen_lock:
        if not _worth_freezing() or _frozen["pending"]:
            return
        _frozen["pending"] = 1
    _later(FREEZE_DELAY, _freeze_later)


def _later(seconds: float, call: Callable[[], None]) -> None:
    timer = threading.Timer(seconds, call)
    timer.daemon = True
    timer.start()


def _freeze_later() -> None:
    try:
        freeze_new_modules()
    finally:
        with _frozen_lock:
            _frozen["pending"] = 0


# Bounded: every cached evaluation (~300 objects) is walked by the post-run garbage collection.
@st.cache_resource(show_spinner=False, max_entries=64)
def _evaluate(profile_json: str, start: date, anchor: ReviewAnchor) -> Evaluation:
    profile = parse_profile_json(profile_json, "session")
    return get_engine().evaluate(profile, start, anchor)


def evaluate(profile: Profile, start: date, anchor: ReviewAnchor = "acceptance") -> Evaluation:
    """The evaluation of a profile (cached by its JSON)."""
    return _evaluate(profile_key(profile), start, anchor)


@st.cache_resource(show_spinner=False, max_entries=64)
def _what_if(profile_json: str, start: date, anchor: ReviewAnchor, rule_ids: tuple[str, ...]) -> WhatIf:
    ev = _evaluate(profile_json, start, anchor)
    return get_engine().what_if(ev, list(rule_ids))


def what_if(profile: Profile, start: date, anchor: ReviewAnchor, rule_ids: tuple[str, ...]) -> WhatIf:
    """Score and licence date if the given gaps were remedied (cached)."""
    return _what_if(profile_key(profile), start, anchor, tuple(sorted(rule_ids)))


@st.cache_resource(show_spinner=False, max_entries=64)
def _what_if_route(profile_json: str, start: date, anchor: ReviewAnchor, key: str) -> WhatIf:
    ev = _evaluate(profile_json, start, anchor)
    return get_engine().what_if_route(ev, key)


def what_if_route(profile: Profile, start: date, anchor: ReviewAnchor, key: str) -> WhatIf:
    """Score and licence date on another route to the licence (cached)."""
    return _what_if_route(profile_key(profile), start, anchor, key)


# --- charts ----------------------------------------------------------------------------------------


class _Kept:
    """Results kept for every session, at most ``size``, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> tuple[bool, Any]:
        """(True, the result) if kept, else (False, None)."""
        with self._lock:
            if key not in self._items:
                return False, None
            self._items.move_to_end(key)
            return True, self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_profile_json: dict[int, str] = {}  # id → JSON of every profile alive that was asked for its key
_profile_json_lock = threading.Lock()


def profile_key(profile: Profile) -> str:
    """A profile's JSON, the key of the evaluation caches and the exports, made once per profile. A profile
    is immutable, and a session keeps the same object until an answer changes, so every run after the first
    (a page switch, a language change) finds it by identity instead of serialising the profile again.

    Kept for as long as the profile lives, and no longer: the entry goes with the profile (a weak
    reference's callback, run before its id can be reused), so no profile is held alive for its key. Each
    answer makes a new profile, ~80 KB with sample 10's; kept by recency instead, 64 of them held ~5 MB of
    a server's memory after one user's 60 answers (issue 21)."""
    key = id(profile)
    text = _profile_json.get(key)
    if text is not None:
        return text
    text = profile.model_dump_json()
    with _profile_json_lock:
        if key not in _profile_json:
            weakref.finalize(profile, _profile_json.pop, key, None).atexit = False
            _profile_json[key] = text
    return text


FIGURES_MAX = 128  # ~15 KB each (the figure's JSON): a team's open companies in both languages
_VALUES = (str, int, float, bool, date, type(None))
_figures = _Kept(FIGURES_MAX)  # key → (the inputs, held so that their ids are not reused; the figure)


def figure(build: Callable[..., Figure | None], *args: Any) -> DrawnFigure | None:
    """``build(*args)``, built once for the same inputs and kept as its JSON (``None`` is kept too).

    The inputs are engine results (an assessment, a timeline, the plan), which are immutable and
    shared through the evaluation cache, so they are matched by identity (each entry holds them, so an
    id is never reused while it is cached); dates, languages and other plain values by value. What is
    kept is the figure's JSON (``DrawnFigure``), not its dicts: a few thousand objects fewer per chart for
    the post-run garbage collection to walk.
    """
    key = (build, *(("=", a) if isinstance(a, _VALUES) else ("id", id(a)) for a in args))
    found, kept = _figures.get(key)
    if found:
        return kept[1]
    with deferred.charting():  # plotly peeks at pandas: not while another session is loading it
        fig = build(*args)
        drawn = None if fig is None else DrawnFigure(fig)
    _figures.put(key, (args, drawn))
    return drawn


MEMO_MAX = 64  # the plan grids of a team's open companies, in both languages
_memo = _Kept(MEMO_MAX)


def memo(build: Callable[..., Any], *args: Hashable) -> Any:
    """``build(*args)`` kept for the same plain, hashable inputs (at most ``MEMO_MAX`` results, shared by
    every session): for results nobody changes, such as a grid's frame (``st.data_editor`` copies it).
    Unhashable inputs are built every time."""
    key = (build, *args)
    try:
        found, result = _memo.get(key)
    except TypeError:  # unhashable
        return build(*args)
    if not found:
        result = build(*args)
        _memo.put(key, result)
    return result


# --- the saved-assessment store --------------------------------------------------------------------

STORE_RETRY_SECONDS = 30.0
# url → (monotonic time, error) of the last failed open: a failed open is not cached by Streamlit, and
# without this every rerun would wait out the connect timeout again while the database is down.
_store_failures: dict[str, tuple[float, StoreUnavailable]] = {}


@st.cache_resource(show_spinner=False, max_entries=4)
def _open_store(url: str, timeout: float) -> Store:
    return Store.open(url, timeout=timeout)


def store_url() -> str:
    """The configured database ($CCL_DATABASE_URL, else the per-user SQLite file) as a cache key."""
    return resolve_url().render_as_string(hide_password=False)


def get_store(retry: bool = False) -> Store:
    """The shared store (one per database and process); raises ``StoreUnavailable``.

    After a failure the same error is raised again without connecting for ``STORE_RETRY_SECONDS``,
    unless ``retry`` (the user asked to try again).
    """
    url = store_url()
    failed = _store_failures.get(url)
    if failed and not retry and time.monotonic() - failed[0] < STORE_RETRY_SECONDS:
        raise failed[1]
    try:
        store = _open_store(url, default_timeout())
    except StoreUnavailable as err:
        _store_failures[url] = (time.monotonic(), err)
        raise
    _store_failures.pop(url, None)
    return store
