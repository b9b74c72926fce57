"""The one place where the app caches: the engine (catalog + calendar) and evaluations.

The catalog and calendar are frozen, so one ``Engine`` is shared by every session. Evaluations are
cached by the profile's JSON, the start date and the review anchor; they do not depend on the
language, so both languages share an entry. Results are immutable, hence ``cache_resource`` (no
copy on every read, unlike ``cache_data``).
"""

from __future__ import annotations

import gc
import time
from datetime import date

import streamlit as st

from ccl.engine import Engine, Evaluation, WhatIf
from ccl.profile import Profile, parse_profile_json
from ccl.store import Store, StoreUnavailable, resolve_url
from ccl.store.connect import default_timeout
from ccl.timeline import ReviewAnchor


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    """The shared engine, loaded once per server process."""
    engine = Engine.load()
    _freeze_long_lived()
    return engine


def _freeze_long_lived() -> None:
    """Exempt what lives as long as the process from garbage collection.

    Streamlit runs a full ``gc.collect()`` after every script run (``runner.postScriptGC``); with
    pandas, plotly and the catalog loaded that walk takes ~70 ms of every answer's rerun on these
    machines. Modules and the catalog are never garbage, so ``gc.freeze()`` moves them out of the
    collector's sight once, at load; everything created later is still collected as usual.
    """
    import pandas  # noqa: F401  (imported by the pages anyway; load it before freezing)

    import ui.charts.assessment  # noqa: F401

    gc.collect()
    gc.freeze()


# Bounded: every cached evaluation (~300 objects) is walked by the post-run garbage collection.
@st.cache_resource(show_spinner=False, max_entries=64)
def _evaluate(profile_json: str, start: date, anchor: ReviewAnchor) -> Evaluation:
    profile = parse_profile_json(profile_json, "session")
    return get_engine().evaluate(profile, start, anchor)


def evaluate(profile: Profile, start: date, anchor: ReviewAnchor = "acceptance") -> Evaluation:
    """The evaluation of a profile (cached by its JSON)."""
    return _evaluate(profile.model_dump_json(), start, anchor)


@st.cache_resource(show_spinner=False, max_entries=64)
def _what_if(profile_json: str, start: date, anchor: ReviewAnchor, rule_ids: tuple[str, ...]) -> WhatIf:
    ev = _evaluate(profile_json, start, anchor)
    return get_engine().what_if(ev, list(rule_ids))


def what_if(profile: Profile, start: date, anchor: ReviewAnchor, rule_ids: tuple[str, ...]) -> WhatIf:
    """Score and licence date if the given gaps were remedied (cached)."""
    return _what_if(profile.model_dump_json(), start, anchor, tuple(sorted(rule_ids)))


@st.cache_resource(show_spinner=False, max_entries=64)
def _what_if_route(profile_json: str, start: date, anchor: ReviewAnchor, key: str) -> WhatIf:
    ev = _evaluate(profile_json, start, anchor)
    return get_engine().what_if_route(ev, key)


def what_if_route(profile: Profile, start: date, anchor: ReviewAnchor, key: str) -> WhatIf:
    """Score and licence date on another route to the licence (cached)."""
    return _what_if_route(profile.model_dump_json(), start, anchor, key)


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
