"""A session opened by a share link (``?s=<token>``): one client, read-only or to answer, nothing else.

``app.py`` hands the run over to ``run()`` before sign-in when the address carries a share token (or the
session was opened by one). The link is checked in the store on every run, so a revoked or expired link
ends the session at the next click. Such a session has only the client's pages (no Portfolio, no
History, no audit log, no settings, no other company, no drafts); its sidebar has the language, what
the link allows and, for a ``contribute`` link, a Save that writes the next version of that one client
in the link's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

from ccl import clock
from ccl.access import Role
from ccl.store import ConflictError, StoreError, StoreUnavailable, fmt_saved_at, summary_of
from ccl.store.models import ShareLink
from ccl.store.shares import valid_share_token
from ui import auth, localize, nav, state
from ui.cache import evaluate, get_store
from ui.escape import md_literal
from ui.session import store_state
from ui.views.sidebar import language

PARAM = "s"
SHARE = "share.session"
KEY_PREFIX = "shared:"
# The pages a link shows: the client's own; not the Portfolio or History (other clients, other versions).
HIDDEN_PAGES = frozenset({"portfolio", "history"})


@dataclass(slots=True)
class ShareSession:
    token: str
    link: ShareLink


def requested() -> bool:
    """This run belongs to a share session: one was opened here, or the address carries a token."""
    return SHARE in st.session_state or PARAM in st.query_params


def run() -> None:
    """The whole run of a share session; never returns to ``app.py``."""
    sess = _session()
    if sess is None:
        _refuse("share_ui.invalid")
    st.query_params.clear()
    st.query_params[PARAM] = sess.token  # a reload opens the same link (page changes drop parameters)
    with st.sidebar:
        _sidebar(sess)
    localize.apply(state.lang())  # Streamlit's own words in the reader's language
    pages = nav.pages(state.lang(), holder=state.profile().licence.held is True, hide=HIDDEN_PAGES)
    page = st.navigation(pages)
    state.leave_stale_messages(page.url_path)
    nav.run(page)
    st.stop()


def _session() -> ShareSession | None:
    """The share session, opened now from the link or checked again; None when the link cannot be used."""
    sess: ShareSession | None = st.session_state.get(SHARE)
    try:
        if sess is None:
            token = st.query_params.get(PARAM) or ""
            link = get_store().open_share(token) if valid_share_token(token) else None
            return None if link is None else _open(token, link)
        found = get_store().find_share(sess.token)
    except StoreUnavailable as err:
        _refuse_text(err.user_message(state.lang()))
    if found is None or not found.active(clock.now()):
        st.session_state.pop(SHARE, None)
        return None
    sess.link = found
    return sess


def _open(token: str, link: ShareLink) -> ShareSession | None:
    """Make the session the link's: its client's latest version as the only company, and the link's rights."""
    try:
        snap = get_store().latest(link.client_id)
    except StoreError:
        return None
    ss = st.session_state
    key = f"{KEY_PREFIX}{link.client_id}"
    ss[state.COMPANIES] = {key: snap.profile}
    ss[state.ORIGINS] = {key: snap.profile}
    ss[state.CURRENT] = key
    store_state.links().clear()
    store_state.links()[key] = store_state.Link(snap.client_id, snap.version, snap.profile, snap.saved_at)
    role: Role = "consultant" if link.mode == "contribute" else "viewer"  # answer and plan; no delete or import
    workspaces = (link.workspace,) if link.workspace else ()  # every client list is empty
    ss[auth.ACCESS] = auth.Access(True, "", link.actor, role, workspaces)
    ss[SHARE] = ShareSession(token, link)
    return ss[SHARE]


def _refuse(key: str) -> NoReturn:
    _refuse_text(state.tr(key))


def _refuse_text(text: str) -> NoReturn:
    st.title(state.tr("common.product"))
    st.error(text, icon=":material/link_off:")
    st.navigation([st.Page(lambda: None, title=state.tr("common.product"), default=True)], position="hidden")
    st.stop()


# --- the sidebar -----------------------------------------------------------------------------------


def _sidebar(sess: ShareSession) -> None:
    link, lang = sess.link, state.lang()
    language()
    st.divider()
    st.markdown(f"**{md_literal(link.client_name)}**")
    st.caption(
        state.tr(
            f"share_ui.{link.mode}",
            until=fmt_saved_at(link.expires_at, lang),
        ),
    )
    if link.mode == "contribute":
        _save_controls(sess)


def _save_controls(sess: ShareSession) -> None:
    notice = store_state.pop_notice()
    if notice is not None:
        getattr(st, notice[0])(notice[1])
    unsaved = store_state.has_unsaved_changes()
    st.button(
        state.tr("share_ui.save"),
        key="share:save",
        type="primary",
        icon=":material/save:",
        width="stretch",
        disabled=not unsaved,
        on_click=_save,
        args=(sess.token,),
    )
    if unsaved:
        st.caption(state.tr("share_ui.unsaved"))


def _save(token: str) -> None:
    """Save the answers as the client's next version, in the link's name (checked again first)."""
    lang, key = state.lang(), state.current_key()
    try:
        store = get_store()
        link = store.find_share(token)
        if link is None or not link.active(clock.now()) or link.mode != "contribute":
            store_state.notify("error", state.tr("share_ui.invalid"))
            return
        ev = evaluate(state.profile(), state.start_date(), state.review_anchor())
        lk = store_state.link(key)
        info = store.save(
            link.client_id, ev.profile, summary_of(ev), link.actor, expected_version=lk.version if lk else None
        )
    except ConflictError as err:
        # Someone saved meanwhile: the answers stay here; the next Save, a deliberate one, goes on top.
        snap = err.latest
        mine = lk.profile if lk is not None else snap.profile
        store_state.links()[key] = store_state.Link(snap.client_id, snap.version, mine, snap.saved_at)
        store_state.notify("warning", state.tr("share_ui.conflict", version=snap.version))
        return
    except StoreError as err:
        store_state.notify("error", err.user_message(lang))
        return
    store_state.links()[key] = store_state.Link(info.client_id, info.version, ev.profile, info.saved_at)
    st.session_state[state.ORIGINS][key] = ev.profile
    store_state.notify("success", state.tr("share_ui.saved", version=info.version))
