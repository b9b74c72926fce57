"""Drafts in the session: the desk (open companies) is kept in the store after every change and restored from the link.

The browser keeps the draft's id in the page address (``?d=<id>``; ``PARAM``), so a reload, a new tab
with the same link, a server restart or a dropped connection opens the same draft. ``app.py`` calls
``restore()`` at the start of every run (it only acts on a fresh session), ``follow_page()`` once the
page is known, and ``keep()`` at the end of the run; the questionnaire's fragment calls ``keep()`` too,
since its reruns do not reach the end of ``app.py``.

``keep()`` costs one comparison with the desk last written when nothing changed (the companies' answers
are the same objects then, so it is quick), and one short write when something did (one per user action:
a run that asks for a full rerun leaves the write to it). A write is a compare-and-swap on the revision
this session last saw: when another tab wrote the draft meanwhile, this session stops drafting and the
sidebar asks which answers to keep (``status()``). While the database is unreachable, drafting pauses
for ``RETRY_SECONDS`` at a time.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import streamlit as st

from ccl import clock
from ccl.desk import Desk, OpenCompany, SavedVersion
from ccl.i18n import t
from ccl.profile import Profile
from ccl.store import (
    Draft,
    DraftConflict,
    NotFound,
    Store,
    StoreError,
    StoreUnavailable,
    local_time,
    valid_draft_id,
)
from ccl.store.drafts import draft_ttl
from ccl.store.models import RecentDraft
from ui import auth, nav, state
from ui.cache import get_store
from ui.session import store_state

PARAM = "d"
DRAFT = "draft.session"
RETRY_SECONDS = 30.0
RECENT_DRAFTS = 5
OPEN_DRAFTS = 10  # the 打开 list's drafts
OPEN_DRAFTS_SECONDS = 60.0  # the 打开 list reads the user's drafts at most this often (and after an open)
FULL_RUN_SECONDS = 5.0  # a fragment run this soon after a whole run started is part of it
REWRITE = "rewrite"  # DraftSession.written: equal to no desk, so the next keep() writes


@dataclass(slots=True)
class DraftSession:
    """What this browser session knows about its draft."""

    id: str | None = None  # None: nothing changed yet, no draft written
    revision: int = 0  # the revision last written or loaded here (the compare-and-swap's "seen")
    written: Desk | str | None = None  # the desk last written or loaded (REWRITE: write at the next keep)
    written_at: datetime | None = None
    paused_until: float = 0.0  # monotonic time: the database failed, try again after this
    paused: bool = False
    conflict: DraftConflict | None = None
    unrestored: str | None = None  # a draft id from the link that could not be read yet (database down)
    restore_page: str | None = None  # the restored draft's page, to switch to once navigation is known
    page: str = ""
    recent: list[RecentDraft] = field(default_factory=list)  # offered at the front door (plain address)
    others: list[RecentDraft] = field(default_factory=list)  # the user's drafts, for the 打开 list
    others_read: float | None = None  # monotonic time ``others`` was read (None: read on the next run)
    foreign: Draft | None = None  # another browser's draft from the link, offered as a copy
    run_started: float = 0.0  # monotonic time the last whole run of the app started
    # company key → (the answers last seen, when they last changed): a company's draft time
    edits: dict[str, tuple[Profile, datetime | None]] = field(default_factory=dict)


def session() -> DraftSession:
    if DRAFT not in st.session_state:
        st.session_state[DRAFT] = DraftSession()
    return st.session_state[DRAFT]


# --- the desk of the session ---------------------------------------------------------------------


def _changed_at(sess: DraftSession, key: str, prof: Profile, now: datetime) -> datetime | None:
    seen = sess.edits.get(key)
    if seen is None:
        origin = st.session_state[state.ORIGINS].get(key, Profile())
        changed = None if prof is origin or prof == origin else now
    elif prof is seen[0] or prof == seen[0]:
        return seen[1]
    else:
        changed = now
    sess.edits[key] = (prof, changed)
    return changed


def desk(now: datetime | None = None) -> Desk:
    """The session's desk as it is now."""
    sess, ss, now = session(), st.session_state, now or clock.now()
    links = store_state.links()
    companies = []
    for key, prof in state.companies().items():
        lk = links.get(key)
        saved = None if lk is None else SavedVersion.model_construct(**_link_fields(lk))
        companies.append(
            OpenCompany(
                key=key,
                profile=prof,
                origin=ss[state.ORIGINS].get(key, Profile()),
                link=saved,
                changed_at=_changed_at(sess, key, prof, now),
            )
        )
    return Desk(
        companies=tuple(companies),
        current=state.current_key(),
        lang=state.lang(),
        page=sess.page,
        section=ss.get(state.SECTION, "company"),
        start=state.start_date(),
        anchor=state.review_anchor(),
        scenario=ss.get(state.SCENARIO, "expected"),
        blank_count=ss.get(state.BLANK_COUNT, 1),
        owner=owner(),
    )


def _link_fields(lk: store_state.Link) -> dict:
    return {"client_id": lk.client_id, "version": lk.version, "saved_at": lk.saved_at, "profile": lk.profile}


def _apply(ws: Desk) -> None:
    """Make a stored desk the session's (companies, links, language, projection, section)."""
    ss, sess = st.session_state, session()
    ss[state.COMPANIES] = {c.key: c.profile for c in ws.companies}
    ss[state.ORIGINS] = {c.key: c.origin for c in ws.companies}
    ss[state.CURRENT] = ws.current
    ss[state.LANG] = ws.lang
    ss[state.START] = ws.start
    ss[state.ANCHOR] = ws.anchor
    ss[state.SCENARIO] = ws.scenario
    ss[state.SECTION] = ws.section
    ss[state.BLANK_COUNT] = ws.blank_count
    ss[state.ERRORS] = {}
    ss[state.NA_PENDING] = {}
    links = store_state.links()
    links.clear()
    for c in ws.companies:
        if c.link is not None:
            links[c.key] = store_state.Link(c.link.client_id, c.link.version, c.link.profile, c.link.saved_at)
    sess.edits = {c.key: (c.profile, c.changed_at) for c in ws.companies}


def _adopt(draft: Draft) -> None:
    """Take a loaded draft over: its desk, id and revision."""
    sess = session()
    _apply(draft.desk)
    sess.page = draft.desk.page
    sess.id, sess.revision, sess.written_at, sess.conflict = draft.id, draft.revision, draft.updated_at, None
    sess.written = desk()


# --- restore ---------------------------------------------------------------------------------------


def restore() -> None:
    """At the start of a run: a fresh session with ``?d=<id>`` in its link gets that draft back."""
    fresh = DRAFT not in st.session_state
    sess = session()
    sess.run_started = time.monotonic()
    if fresh:
        wanted = st.query_params.get(PARAM)
        if valid_draft_id(wanted):
            sess.unrestored = wanted
        else:
            _find_recent(sess)
    if sess.unrestored and time.monotonic() >= sess.paused_until:
        _try_restore(sess)
    _keep_param(sess)


def _try_restore(sess: DraftSession) -> None:
    wanted, lang = sess.unrestored, state.lang()
    if wanted is None:
        return
    if sess.written is not None and desk() != sess.written:
        # The database was down when the session opened and the user has worked since: keep that work
        # (it becomes a new draft); the link's draft stays in the store untouched.
        sess.unrestored, sess.written = None, REWRITE
        return
    try:
        draft = get_store().load_draft(wanted, workspaces=auth.access().workspaces)
    except StoreUnavailable:
        _pause(sess)
        return
    sess.unrestored = None
    if draft is None:
        st.toast(t("store_ui.draft_gone", lang), icon=":material/info:")
        return
    if _foreign(draft.desk.owner):  # another browser's link, without sign-in: a notice and a copy
        sess.foreign = draft
        return
    if draft.desk.owner != owner():  # another user's link (or one made before sign-in)
        st.toast(t("store_ui.draft_not_yours", lang), icon=":material/lock:")
        return
    _adopt(draft)
    sess.restore_page = draft.desk.page or None
    sess.paused = False
    when = f"{local_time(draft.updated_at):%H:%M}"
    st.toast(t("store_ui.draft_restored", state.lang(), when=when), icon=":material/history:")


# --- whose draft: the signed-in user, else this browser ---------------------------------------------

BROWSER_PREFIX = "browser:"
XSRF_COOKIE = "_streamlit_xsrf"


def browser_key(cookie: str | None) -> str:
    """A key for this browser without sign-in: a hash of the token in Streamlit's XSRF cookie, which the
    browser keeps (30 days) and sends with every connection; "" when there is none (XSRF off, a test)."""
    token = (cookie or "").strip()
    parts = token.split("|")
    if len(parts) == 4 and parts[0] == "2":  # tornado's format: 2|mask|masked token|time
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            return ""
        token = bytes(a ^ b for a, b in zip(mask, masked, strict=False)).hex()
    if not token:
        return ""
    return BROWSER_PREFIX + hashlib.sha256(token.encode()).hexdigest()[:32]


def owner() -> str:
    """Whose drafts this session writes and is offered: the signed-in e-mail, else this browser's key."""
    acc = auth.access()
    if acc.enabled:
        return acc.email
    try:
        return browser_key(st.context.cookies.get(XSRF_COOKIE))
    except Exception:  # no browser behind the run (a test, a script)
        return ""


def _foreign(draft_owner: str) -> bool:
    """A draft made in another browser, opened without sign-in (a draft of before this check opens as before)."""
    mine = owner()
    return not auth.access().enabled and draft_owner.startswith(BROWSER_PREFIX) and bool(mine) and draft_owner != mine


def open_copy() -> None:
    """Take another browser's draft as a copy: its companies and answers under a new draft of this browser,
    on the default page (not where its author left off); the original link stays theirs."""
    sess = session()
    draft, sess.foreign = sess.foreign, None
    if draft is None:
        return
    _apply(draft.desk)
    sess.id, sess.revision, sess.written_at, sess.conflict, sess.page = None, 0, None, None, ""
    sess.written = REWRITE  # the next keep() writes the copy as this browser's draft
    st.query_params.pop(PARAM, None)


def decline_copy() -> None:
    session().foreign = None
    st.query_params.pop(PARAM, None)


def _find_recent(sess: DraftSession) -> None:
    """A visit through the plain address: the user's recent drafts, to offer "continue where you left off"."""
    try:
        sess.recent = get_store().recent_drafts(owner(), RECENT_DRAFTS)
    except StoreError:
        sess.recent = []


def resume(draft_id: str) -> None:
    """Open one of the user's drafts (the front door's offer, the 打开 list): its desk becomes the session's.
    The work on screen stays in its own draft (``keep()`` wrote it at the end of the last run)."""
    sess = session()
    sess.recent, sess.others_read = [], None  # the list is read again: the draft left behind is in it
    try:
        draft = get_store().load_draft(draft_id, workspaces=auth.access().workspaces)
    except StoreError:
        _pause(sess)
        return
    if draft is None or draft.desk.owner != owner():
        st.toast(t("store_ui.draft_gone", state.lang()), icon=":material/info:")
        return
    _adopt(draft)
    sess.restore_page = draft.desk.page or None
    _keep_param(sess)


def other_drafts(sess: DraftSession) -> list[RecentDraft]:
    """The user's drafts but the one on screen, most recently changed first (read at most once a minute)."""
    now = time.monotonic()
    if sess.others_read is None or now - sess.others_read >= OPEN_DRAFTS_SECONDS:
        sess.others_read = now
        try:
            sess.others = get_store().recent_drafts(owner(), OPEN_DRAFTS + 1)
        except StoreError:
            sess.others = []
    return [d for d in sess.others if d.id not in (sess.id, sess.unrestored)][:OPEN_DRAFTS]


def pristine(sess: DraftSession) -> bool:
    """Nothing done in this session yet: one blank company, untouched, no draft of its own."""
    companies = state.companies()
    return sess.id is None and len(companies) == 1 and state.untouched_blank(state.current_key())


def _keep_param(sess: DraftSession) -> None:
    """Keep the draft's id in the address (page changes drop query parameters)."""
    wanted = sess.id or sess.unrestored
    if sess.foreign is not None and sess.id is None:
        return  # the other browser's link stays in the address until the user chooses or works
    if wanted and st.query_params.get(PARAM) != wanted:
        st.query_params[PARAM] = wanted


def follow_page(page: Any, pages: dict[str, list[Any]]) -> None:
    """Record the page on screen; right after a restore from a bare link, go to the draft's page."""
    sess = session()
    url = nav.url_of(page)
    wanted, sess.restore_page = sess.restore_page, None
    if wanted and wanted != url and not page.url_path:  # the link named no page: the default was chosen
        target = next((p for group in pages.values() for p in group if nav.url_of(p) == wanted), None)
        if target is not None:
            sess.page = wanted
            st.switch_page(target, query_params={PARAM: sess.id or ""})
    sess.page = url


# --- keep ------------------------------------------------------------------------------------------


def _pause(sess: DraftSession) -> None:
    sess.paused_until = time.monotonic() + RETRY_SECONDS
    sess.paused = True


def keep() -> None:
    """At the end of a run: write the desk if it changed since the last write (or load)."""
    sess = session()
    if sess.unrestored and sess.written is None:  # remember the blank start, to see later if work began
        sess.written = desk()
    if sess.conflict is not None or sess.unrestored or time.monotonic() < sess.paused_until:
        return
    if st.session_state.get(state.APP_RERUN):  # a full rerun follows at once: it writes
        return
    ws = desk()
    if sess.written is None and sess.id is None:  # the first run of a fresh session: nothing to keep yet
        sess.written = ws
        return
    if ws == sess.written:
        return
    was_paused = sess.paused
    try:
        info = _write(get_store(), sess, ws)
    except DraftConflict as err:
        sess.conflict = err
        st.rerun(scope="app")  # the sidebar tells the user at once
    except StoreUnavailable:
        _pause(sess)
        if not was_paused:
            st.rerun(scope="app")  # show the small "paused" note
        return
    sess.id, sess.revision, sess.written, sess.written_at = info.id, info.revision, ws, info.updated_at
    sess.paused, sess.foreign = False, None  # working here: the other browser's offer lapses
    _keep_param(sess)


def _write(store: Store, sess: DraftSession, ws: Desk):
    if sess.id is None:
        return store.create_draft(ws)
    try:
        return store.write_draft(sess.id, ws, sess.revision)
    except NotFound:  # expired or deleted meanwhile: go on under a new link
        return store.create_draft(ws)


# --- the sidebar line ------------------------------------------------------------------------------


def retry_tick(sess: DraftSession, now: float) -> bool:
    """One tick of the retry timer (at monotonic ``now``): True when the whole app should run again to
    retry, with the pause ended so that its ``keep()`` writes (or pauses again).

    The timer is set when the paused note is drawn, a moment before the run's ``keep()`` fails and pauses
    again, so its tick comes up to a run's length before the pause ends: such a tick counts (else every
    retry after the first would wait two periods). A tick during a whole run that just began is left to it.
    """
    if not sess.paused or now - sess.run_started < FULL_RUN_SECONDS:
        return False
    if now < sess.paused_until - FULL_RUN_SECONDS:
        return False
    sess.paused_until = min(sess.paused_until, now)
    return True


@st.fragment(run_every=RETRY_SECONDS)
def _retry_later() -> None:
    """While drafting is paused, try again every RETRY_SECONDS by itself: answers typed while the
    database was down are kept once it is back, even if the user changes nothing more (or closes the
    tab soon after)."""
    if retry_tick(session(), time.monotonic()):
        st.rerun(scope="app")  # a whole run: it ends with keep(), which writes (or pauses again)


def _load_other() -> None:
    sess = session()
    try:
        draft = get_store().load_draft(sess.id or "", workspaces=auth.access().workspaces)
    except StoreError:
        _pause(sess)
        return
    if draft is None:
        _keep_mine()
    else:
        _adopt(draft)


def _keep_mine() -> None:
    sess = session()
    try:
        info = get_store().create_draft(desk())
    except StoreError:
        _pause(sess)
        return
    sess.id, sess.revision, sess.written_at, sess.conflict = info.id, info.revision, info.updated_at, None
    sess.written = desk()
    _keep_param(sess)


def status(show_kept: bool) -> None:
    """The draft's line in the sidebar: kept (with the time), paused, or the two-tab question."""
    sess, lang = session(), state.lang()
    if sess.conflict is not None:
        st.warning(
            t("store_ui.draft_conflict", lang, when=f"{local_time(sess.conflict.updated_at):%H:%M}"),
            icon=":material/tab_duplicate:",
        )
        st.button(
            t("store_ui.draft_load_other", lang),
            key="sb:draft_load_other",
            on_click=_load_other,
            width="stretch",
            help=t("store_ui.draft_load_other_help", lang),
        )
        st.button(
            t("store_ui.draft_keep_mine", lang),
            key="sb:draft_keep_mine",
            on_click=_keep_mine,
            width="stretch",
            type="primary",
            help=t("store_ui.draft_keep_mine_help", lang),
        )
    elif sess.paused:
        st.caption(f":material/cloud_off: {t('store_ui.draft_paused', lang)}")
        _retry_later()
    elif show_kept and sess.written_at is not None:
        days = f"{draft_ttl().total_seconds() / 86400:g}"
        st.caption(
            f":material/history: {t('store_ui.draft_kept', lang)} · {local_time(sess.written_at):%H:%M}",
            help=t("store_ui.draft_kept_help", lang, days=days),
        )
