"""The sidebar's share links of the current saved client: make one (view or contribute), see and revoke them.

Drawn as a dialog opened by a button, so an ordinary rerun reads nothing from the database. A new link
is shown once (only its hash is stored), as the command line prints it (``python -m ccl share``).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import streamlit as st

from ccl import clock
from ccl.store import StoreError, fmt_saved_at
from ccl.store.models import ShareMode
from ccl.store.shares import MAX_SHARE_DAYS, SHARE_MODES, share_days
from ui import auth, state
from ui.cache import get_store
from ui.escape import md_literal
from ui.session import store_state as ss

NEW_LINK = "share.new_link"  # (client id, link) just made: shown once in the dialog


def base_url() -> str:
    """The address people open: $CCL_PUBLIC_URL (behind a proxy), else the one this browser used."""
    configured = os.environ.get("CCL_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    parts = urlsplit(st.context.url or "http://localhost:8501")
    return f"{parts.scheme}://{parts.netloc}"


def button() -> None:
    """The button opening the dialog (for a company linked to a saved client)."""
    lk = ss.link()
    if lk is None:
        return
    refused = auth.refused_help("share")
    st.button(
        state.tr("share_ui.open_dialog"),
        key="sb:share",
        icon=":material/share:",
        width="stretch",
        disabled=refused is not None,
        help=refused or state.tr("share_ui.open_dialog_help"),
        on_click=_open_dialog,
    )
    if st.session_state.get("share.dialog_for") == lk.client_id:
        st.dialog(state.tr("share_ui.dialog_title"), width="large", on_dismiss=_close_dialog)(_dialog)(lk.client_id)


def _open_dialog() -> None:
    lk = ss.link()
    st.session_state["share.dialog_for"] = lk.client_id if lk else None


def _close_dialog() -> None:
    st.session_state.pop("share.dialog_for", None)
    st.session_state.pop(NEW_LINK, None)


def _create(client_id: int) -> None:
    mode: ShareMode = "contribute" if st.session_state.get("share:mode") == "contribute" else "view"
    days = float(st.session_state.get("share:days") or share_days())
    acc = auth.access()
    try:
        _, token = get_store().create_share(client_id, mode, by=ss.saved_by(), days=days, workspaces=acc.workspaces)
    except StoreError as err:
        ss.notify("error", err.user_message(state.lang()))
        return
    st.session_state[NEW_LINK] = (client_id, f"{base_url()}/?s={token}")


def _revoke(link_id: int) -> None:
    try:
        get_store().revoke_share(link_id, ss.saved_by(), auth.access().workspaces)
    except StoreError as err:
        ss.notify("error", err.user_message(state.lang()))


def _dialog(client_id: int) -> None:
    lang = state.lang()
    st.caption(state.tr("share_ui.dialog_intro"))
    new = st.session_state.get(NEW_LINK)
    if new and new[0] == client_id:
        st.success(state.tr("share_ui.created"), icon=":material/link:")
        st.code(new[1], language=None, wrap_lines=True)
    left, right = st.columns(2)
    left.segmented_control(
        state.tr("share_ui.mode"),
        list(SHARE_MODES),
        default="view",
        key="share:mode",
        format_func=lambda m: t_mode(m),
        required=True,
    )
    right.number_input(
        state.tr("share_ui.days"), min_value=1, max_value=MAX_SHARE_DAYS, value=round(share_days()), key="share:days"
    )
    st.button(state.tr("share_ui.create"), key="share:create", type="primary", on_click=_create, args=(client_id,))
    try:
        links = get_store().share_links(client_id, auth.access().workspaces)
    except StoreError as err:
        st.error(err.user_message(lang))
        return
    if not links:
        st.caption(state.tr("share.none"))
        return
    now = clock.now()
    for link in links:
        status = "revoked" if link.revoked_at else "active" if link.active(now) else "expired"
        used = fmt_saved_at(link.last_used_at, lang) if link.last_used_at else "—"
        row, action = st.columns([5, 1], vertical_alignment="center")
        row.markdown(
            state.tr(
                "share_ui.row",
                id=link.id,
                hint=md_literal(link.hint),
                mode=t_mode(link.mode),
                status=state.tr(f"share.state.{status}"),
                by=md_literal(link.created_by or "—"),
                created=fmt_saved_at(link.created_at, lang),
                until=fmt_saved_at(link.expires_at, lang),
                used=used,
                uses=link.uses,
            )
        )
        if status == "active":
            action.button(state.tr("share_ui.revoke"), key=f"share:revoke:{link.id}", on_click=_revoke, args=(link.id,))


def t_mode(mode: str) -> str:
    return state.tr(f"share.mode.{mode}")
