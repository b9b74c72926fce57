"""Saved assessments in the session: which open company is which saved client, and the store actions.

An open company (``ui.state``) may be *linked* to a saved client: the client id, the version it was
loaded from or last saved as, and that version's answers. "Unsaved changes" means the company's current
Profile differs from those answers. Saving sends the linked version as ``expected_version``, so a newer
version saved by someone else is reported as a conflict (kept per company until the user chooses)
instead of being overwritten.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import streamlit as st

from ccl.profile import Profile
from ccl.store import SnapshotInfo, Store, StoreUnavailable, summary_of
from ccl.store.models import Snapshot
from ui import auth, state
from ui.cache import evaluate, store_url

log = logging.getLogger(__name__)

LINKS = "store.links"  # dict[company key, Link]
CONFLICTS = "store.conflicts"  # dict[company key, Snapshot]: the newer version a save ran into
SAVED_BY = "store.saved_by"  # the free-text name recorded with every save of this session
OUTAGE = "store.outage"  # the message of the last StoreUnavailable, until a store call succeeds
NOTICE = "store.notice"  # (kind "success"|"error", text): the result of the last action, shown once
CLIENT_PREFIX = "client:"
CHOICES_TTL_SECONDS = 60

# Bumped by every write from this process, so the cached client list never misses our own saves;
# writes from other instances appear within CHOICES_TTL_SECONDS.
_writes = itertools.count(1)
_generation = 0


@dataclass(frozen=True, slots=True)
class Link:
    client_id: int
    version: int
    profile: Profile  # the answers of that version
    saved_at: datetime


def _ss() -> Any:  # st.session_state, its store keys set
    ss = st.session_state
    for key, default in ((LINKS, {}), (CONFLICTS, {}), (SAVED_BY, ""), (OUTAGE, None), (NOTICE, None)):
        if key not in ss:
            ss[key] = default
    return ss


def links() -> dict[str, Link]:
    return _ss()[LINKS]


def _forget_closed(key: str) -> None:
    links().pop(key, None)
    _ss()[CONFLICTS].pop(key, None)


state.on_close(_forget_closed)
state.keeps(lambda key: key in links())


def close_loses_changes(key: str | None = None) -> bool:
    """True when closing would lose answers: they differ from the saved version, or from how they were opened
    (a sample, a file) when never saved."""
    key = key or state.current_key()
    lk = link(key)
    base = lk.profile if lk is not None else st.session_state[state.ORIGINS].get(key, Profile())
    return state.companies()[key] != base


def link(key: str | None = None) -> Link | None:
    """The saved client behind an open company (default: the current one), if any."""
    return links().get(key or state.current_key())


def conflict(key: str | None = None) -> Snapshot | None:
    """The newer version a save of this company ran into, while the user has not chosen yet."""
    return _ss()[CONFLICTS].get(key or state.current_key())


def has_unsaved_changes(key: str | None = None) -> bool:
    """True when the answers differ from the linked version (never saved: when they are not blank)."""
    key = key or state.current_key()
    lk = link(key)
    return state.companies()[key] != (lk.profile if lk is not None else Profile())


def saved_by() -> str:
    """Who saves: the signed-in identity when sign-in is on, else the name typed in the sidebar."""
    return auth.access().label or _ss()[SAVED_BY]


def set_saved_by(name: str) -> None:
    _ss()[SAVED_BY] = " ".join(name.split())


def outage() -> str | None:
    return _ss()[OUTAGE]


def report_outage(err: StoreUnavailable) -> None:
    """Enter outage mode: the user sees the reason in general terms, the server log the driver's words."""
    if _ss()[OUTAGE] is None:
        log.warning("saved assessments unavailable: %s", err)
    _ss()[OUTAGE] = err.user_message(state.lang())


def clear_outage() -> None:
    _ss()[OUTAGE] = None


def notify(kind: str, text: str) -> None:
    _ss()[NOTICE] = (kind, text)


def pop_notice() -> tuple[str, str] | None:
    ss = _ss()
    notice, ss[NOTICE] = ss[NOTICE], None
    return notice


def wrote() -> None:
    """Record a write, so cached client lists are read again."""
    global _generation
    _generation = next(_writes)


_seen_fresh: tuple[tuple[int, str, int], ...] = ()


def saw_clients(rows: tuple[tuple[int, str, int], ...]) -> None:
    """A page read the full client list fresh: if it changed (e.g. a save on another instance), the
    cached list of the sidebar is read again on the next run instead of waiting out its time."""
    global _seen_fresh
    if rows != _seen_fresh:
        _seen_fresh = rows
        wrote()


# --- the saved clients, for pickers ----------------------------------------------------------------


@st.cache_resource(show_spinner=False, ttl=CHOICES_TTL_SECONDS, max_entries=8)
def _choices(
    url: str, generation: int, workspaces: tuple[str, ...] | None, _store: Store
) -> tuple[tuple[int, str, int], ...]:
    # Plain tuples, not the summaries: everything cached is walked by the post-run garbage collection.
    return tuple((c.id, c.name, c.latest.version) for c in _store.list_clients(workspaces))


def client_choices(store: Store) -> tuple[tuple[int, str, int], ...]:
    """(client id, name, latest version) of the clients the user may see, newest first (cached briefly)."""
    return _choices(store_url(), _generation, auth.access().workspaces, store)


# --- actions -----------------------------------------------------------------------------------------


def _forget_errors(key: str) -> None:
    st.session_state[state.ERRORS].pop(key, None)
    st.session_state[state.NA_PENDING].pop(key, None)


def _link_to(key: str, snap: Snapshot | SnapshotInfo, profile: Profile) -> None:
    links()[key] = Link(snap.client_id, snap.version, profile, snap.saved_at)
    _ss()[CONFLICTS].pop(key, None)


def key_of_client(client_id: int) -> str | None:
    """The open company linked to a saved client, if one is open."""
    open_now = state.companies()
    return next((k for k, lk in links().items() if lk.client_id == client_id and k in open_now), None)


def open_client(store: Store, client_id: int) -> str:
    """Make a saved client the current company: switch to it if open, else load its latest version.

    Raises ``StoreError`` (``NotFound`` if it was deleted, ``StoreUnavailable``).
    """
    key = key_of_client(client_id)
    if key is not None:
        st.session_state[state.CURRENT] = key
        return key
    snap = store.latest(client_id, auth.access().workspaces)
    key, n = f"{CLIENT_PREFIX}{client_id}", 1
    while key in state.companies():  # an unlinked company of an earlier, deleted client with this id
        n += 1
        key = f"{CLIENT_PREFIX}{client_id}:{n}"
    state.open_company(key, snap.profile)
    _link_to(key, snap, snap.profile)
    return key


def save_current(store: Store, *, as_new: str | None = None, on_top_of: int | None = None) -> SnapshotInfo:
    """Save the current company as the next version of its client (a new client if none, or ``as_new``).

    ``on_top_of``: the newer version the user has seen the differences to ("save anyway"). Raises
    ``ConflictError`` when someone saved a newer version than the one this company is based on.
    """
    key = state.current_key()
    ev = evaluate(state.profile(), state.start_date(), state.review_anchor())
    prof = ev.profile  # the answers with the action plan kept in step with the gaps
    summary = summary_of(ev)
    lk = link(key)
    if as_new is not None or lk is None:
        info = store.save(None, prof, summary, saved_by(), name=as_new or None, workspace=auth.access().home)
    else:
        expected = lk.version if on_top_of is None else on_top_of
        info = store.save(
            lk.client_id, prof, summary, saved_by(), expected_version=expected, workspaces=auth.access().workspaces
        )
    _link_to(key, info, prof)
    wrote()
    return info


def remember_conflict(latest: Snapshot) -> None:
    _ss()[CONFLICTS][state.current_key()] = latest


def load_version(snap: Snapshot) -> None:
    """Replace the current company's answers by a saved version (e.g. the latest, after a conflict)."""
    key = state.current_key()
    state.set_profile(snap.profile)
    st.session_state[state.ORIGINS][key] = snap.profile
    _forget_errors(key)
    _link_to(key, snap, snap.profile)


def dismiss_conflict() -> None:
    _ss()[CONFLICTS].pop(state.current_key(), None)


def forget_client(client_id: int) -> None:
    """After a delete: open companies of that client keep their answers but are no longer linked."""
    for key in [k for k, lk in links().items() if lk.client_id == client_id]:
        del links()[key]
        _ss()[CONFLICTS].pop(key, None)
    wrote()
