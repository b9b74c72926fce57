"""Optional sign-in for a team deployment: who is using the app, with which role, in which workspaces.

Off unless ``CCL_AUTH=oidc``: then Streamlit's own OIDC sign-in (``st.login``; the provider in the
``[auth]`` table of ``.streamlit/secrets.toml``) identifies the user, and the roles file
(``CCL_ROLES_FILE``, else a ``[ccl_auth]`` table in the secrets, format in ``ccl.access``) gives the
role and the workspaces. ``gate()`` runs first in every script run: it shows the sign-in page, a
refusal or a configuration error and stops, or records the user's ``Access`` in the session.
Without sign-in the one local user may do everything (as before), in every workspace.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

from ccl.access import AccessPolicy, Action, PolicyError, Role, can, load_policy, parse_policy
from ccl.store import StoreError
from ccl.store.sessions import sign_in_key
from ui import state
from ui.cache import get_store
from ui.escape import md_literal

ACCESS = "auth.access"  # the Access of this session, set by gate()
SIGN_IN = "auth.sign_in"  # the key of the sign-in this session checked (ccl.store.sessions)
Identity = Mapping[str, Any]  # the claims of the signed-in user (st.user), or None when signed out


@dataclass(frozen=True, slots=True)
class Access:
    """What the current user may do; without sign-in, everything everywhere."""

    enabled: bool = False
    email: str = ""
    name: str = ""
    role: Role | None = "admin"
    workspaces: tuple[str, ...] | None = None  # None: every workspace
    restore_days: int = 30

    def can(self, action: Action) -> bool:
        return can(self.role, action)

    @property
    def label(self) -> str:
        """The identity recorded with every save: "name <email>" (empty without sign-in)."""
        if not self.enabled:
            return ""
        return f"{self.name} <{self.email}>" if self.name and self.name != self.email else self.email

    @property
    def home(self) -> str | None:
        """The workspace new clients go into: the user's first one."""
        return self.workspaces[0] if self.workspaces else None


def enabled() -> bool:
    """Whether sign-in is switched on (``CCL_AUTH=oidc``)."""
    return os.environ.get("CCL_AUTH", "").strip().casefold() == "oidc"


def access() -> Access:
    """The current user's access (set by ``gate``; without sign-in: everything)."""
    return st.session_state.get(ACCESS) or Access()


def _streamlit_identity() -> Identity | None:
    user = st.user
    return dict(user) if user.get("is_logged_in") else None


def _policy() -> AccessPolicy:
    path = os.environ.get("CCL_ROLES_FILE", "").strip()
    if path:
        return _policy_file(path, Path(path).stat().st_mtime if Path(path).exists() else 0.0)
    table = st.secrets.get("ccl_auth")
    if table is None:
        raise PolicyError("CCL_ROLES_FILE / secrets.toml [ccl_auth]: no roles configured")
    return parse_policy(_plain(table), "secrets.toml [ccl_auth]")


@st.cache_resource(show_spinner=False, max_entries=4)
def _policy_file(path: str, mtime: float) -> AccessPolicy:
    return load_policy(path)  # read again when the file changes (mtime is part of the key)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return list(value) if isinstance(value, list | tuple) else value


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def decide(identity: Identity | None, policy: AccessPolicy) -> Access | None:
    """The access of a signed-in identity; None without a role, a workspace (if any exist) or a verified address."""
    email = str((identity or {}).get("email") or "").strip()
    if identity is None or not email or identity.get("email_verified") is False:
        return None
    role, workspaces = policy.role_of(email), policy.workspaces_of(email)
    if role is None or workspaces == ():  # in no workspace: they would see nothing and save where nobody sees
        return None
    name = " ".join(str(identity.get("name") or "").split())
    return Access(True, email, name, role, workspaces, policy.restore_days)


def gate(identity: Callable[[], Identity | None] = _streamlit_identity) -> Access:
    """Let the user in, or show the sign-in page / refusal / configuration error and stop the run."""
    if not enabled():
        st.session_state[ACCESS] = Access()
        return st.session_state[ACCESS]
    st.session_state.pop(ACCESS, None)
    try:
        if not _auth_configured():
            raise PolicyError("secrets.toml [auth]: missing (client_id, client_secret, server_metadata_url …)")
        policy = _policy()
    except PolicyError as err:
        st.error(f"{state.tr('auth.misconfigured')}\n\n`{err}`", icon=":material/lock:")
        _halt()
    who = identity()
    if who is None:
        _sign_in_page()
    granted = decide(who, policy)
    if granted is None:
        _log_refusal(who or {})
        _refusal(who or {})
    _check_sign_in(who, granted)
    st.session_state[ACCESS] = granted
    return granted


def _check_sign_in(who: Identity, granted: Access) -> None:
    """Refuse a sign-in that was ended (signed out, or by an admin): checked in the store on every run.

    While the database cannot be reached, a sign-in this browser session already checked goes on; a
    new one (a fresh tab, a copied cookie) waits until it can be checked.
    """
    key = sign_in_key(who)
    try:
        alive = get_store().check_sign_in(key, granted.email, granted.home)
    except StoreError:
        if st.session_state.get(SIGN_IN) == key:
            return
        st.title(state.tr("common.product"))
        st.warning(state.tr("auth.cannot_check"), icon=":material/cloud_off:")
        _halt()
    if not alive:
        st.session_state.pop(SIGN_IN, None)
        st.title(state.tr("common.product"))
        st.info(state.tr("auth.ended"), icon=":material/logout:")
        st.button(state.tr("auth.sign_in"), key="auth:login_again", type="primary", on_click=_sign_in_again)
        _halt()
    st.session_state[SIGN_IN] = key


def _sign_in_again() -> None:
    st.logout()  # the old cookie goes; the next sign-in at the provider is a new one


def _log_refusal(who: Identity) -> None:
    """The audit log notes each refused identity once per browser session."""
    email = str(who.get("email") or "—")
    if st.session_state.get("auth.refused_logged") == email:
        return
    try:
        get_store().log_event("sign_in_refused", email)
    except StoreError:
        return
    st.session_state["auth.refused_logged"] = email


def _sign_out() -> None:
    """End the sign-in in the store (every tab and every copy of the cookie), then in this browser."""
    acc, key = access(), st.session_state.pop(SIGN_IN, None)
    if key:
        with contextlib.suppress(StoreError):  # the cookie still goes; the README says what remains
            get_store().end_sign_in(key, acc.email, acc.home)
    st.logout()


def _halt() -> NoReturn:
    """End the run showing only what was drawn: no page menu (the pages/ folder would be listed)."""
    st.navigation([st.Page(_nothing, title=state.tr("common.product"), default=True)], position="hidden")
    st.stop()


def _nothing() -> None:
    pass


def _sign_in_page() -> NoReturn:
    st.title(state.tr("common.product"))
    st.info(state.tr("auth.sign_in_intro"), icon=":material/lock:")
    st.button(state.tr("auth.sign_in"), key="auth:login", type="primary", icon=":material/login:", on_click=st.login)
    _halt()


def _refusal(who: Identity) -> NoReturn:
    st.title(state.tr("common.product"))
    st.warning(state.tr("auth.refused", email=md_literal(str(who.get("email") or "—"))), icon=":material/block:")
    st.button(state.tr("auth.sign_out"), key="auth:logout_refused", icon=":material/logout:", on_click=st.logout)
    _halt()


def account() -> None:
    """The signed-in user, their role and a sign-out button, at the foot of the sidebar."""
    acc = access()
    if not acc.enabled:
        return
    with st.sidebar:
        st.divider()
        st.caption(state.tr("auth.signed_in_as", who=md_literal(acc.label), role=state.tr(f"auth.role.{acc.role}")))
        if acc.workspaces:
            st.caption(state.tr("auth.workspaces", names=md_literal(", ".join(acc.workspaces))))
        st.button(state.tr("auth.sign_out"), key="auth:logout", icon=":material/logout:", on_click=_sign_out)


def refused_help(action: Action) -> str | None:
    """Why a button is disabled for this user (None when they may use it)."""
    acc = access()
    if acc.can(action):
        return None
    return state.tr("auth.not_allowed", role=state.tr(f"auth.role.{acc.role}"))
