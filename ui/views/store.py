"""Saved assessments in the sidebar: open, save, save-as, the unsaved-changes state, conflicts, outages.

An ordinary rerun makes no database round trip (the client list for "open" is cached briefly); every
store call runs in a widget callback or on a button press, and its outcome (saved, conflict, outage)
is kept in session state (``ui.session.store_state``) and drawn on the next run. A conflict opens a dialog
with the differences and the two choices; nothing is saved until the user picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import streamlit as st

from ccl import clock
from ccl.diff import profile_diff
from ccl.i18n import Lang, t
from ccl.profile import Profile, dump_profile
from ccl.store import ConflictError, NotFound, Store, StoreError, StoreUnavailable, fmt_saved_at
from ui import auth, deferred, state
from ui.cache import evaluate, get_engine, get_store
from ui.changes import change_frame
from ui.escape import md_literal
from ui.nav import end_page
from ui.session import drafts
from ui.session import store_state as ss
from ui.views import draft_offers, share_links

# The sidebar lists the most recently saved clients only: a long list costs every rerun, and the
# Portfolio page searches all of them.
OPEN_LIMIT = 100


def render() -> None:
    """The saved-assessment block of the sidebar."""
    try:
        store = get_store()
    except StoreUnavailable as err:
        ss.report_outage(err)
        store = None
    st.markdown(
        f"**{state.tr('store_ui.heading')}**",
        help=state.tr("store_ui.heading_help"),
    )
    _notice()
    if ss.outage():
        outage_block("sb")
    if store is None:
        return
    _status()
    draft_offers.foreign_notice()
    draft_offers.front_door()
    _buttons(store)
    share_links.button()
    _saved_by()
    if ss.conflict() is not None:
        _conflict_dialog()


# --- actions -------------------------------------------------------------------------------------------


def run_action(action: Callable[[Store], Any]) -> Any:
    """Run one store action; a conflict, an outage or a store error is remembered instead of raised.

    Returns the action's result, or None when it did not succeed.
    """
    try:
        result = action(get_store())
    except ConflictError as err:
        ss.remember_conflict(err.latest)
        ss.clear_outage()
        return None
    except StoreUnavailable as err:
        ss.report_outage(err)
        return None
    except StoreError as err:
        ss.notify("error", err.user_message(state.lang()))
        return None
    ss.clear_outage()
    return result


def _saved(info: Any) -> None:
    if info is not None:
        ss.notify("success", state.tr("store.saved", version=info.version))


def _on_save() -> None:
    lk = ss.link()

    def save(store: Store) -> Any:
        try:
            return ss.save_current(store)
        except NotFound as err:  # deleted by someone else meanwhile: the next save creates a new client
            ss.forget_client(lk.client_id if lk else -1)
            ss.notify("error", f"{err.user_message(state.lang())} {state.tr('store_ui.save_again_new')}")
            return None

    _saved(run_action(save))


def _on_save_as() -> None:
    name = " ".join((st.session_state.get("sb:save_as_name") or "").split())
    _saved(run_action(lambda store: ss.save_current(store, as_new=name)))


def _save_anyway(latest_version: int) -> None:
    _saved(run_action(lambda store: ss.save_current(store, on_top_of=latest_version)))


def _load_latest(client_id: int) -> None:
    fresh = run_action(
        lambda store: store.latest(client_id, auth.access().workspaces)
    )  # it may have moved on again meanwhile
    if fresh is not None:
        ss.load_version(fresh)
        ss.notify("success", state.tr("store_ui.loaded", version=fresh.version))


def _on_open() -> None:
    client_id = st.session_state.get("sb:open_client")
    st.session_state["sb:open_client"] = None
    if client_id is not None:
        run_action(lambda store: ss.open_client(store, client_id))


def _on_saved_by() -> None:
    ss.set_saved_by(st.session_state.get("sb:saved_by") or "")


def _on_retry() -> None:
    try:
        get_store(retry=True)
    except StoreUnavailable as err:
        ss.report_outage(err)
        return
    if run_action(ping) is not None:
        ss.notify("success", state.tr("store_ui.back"))


def ping(store: Store) -> bool:
    """Touch the database with the cheapest indexed lookup (raises ``StoreUnavailable`` if it is down)."""
    store.ping()
    return True


# --- the block -----------------------------------------------------------------------------------------


def _notice() -> None:
    notice = ss.pop_notice()
    if notice is None:
        return
    kind, text = notice
    if kind == "success":
        st.toast(text, icon=":material/cloud_done:")
    else:
        st.error(text, icon=":material/error:")


def _status() -> None:
    lk = ss.link()
    if lk is None:
        st.markdown(f":gray-badge[{state.tr('store_ui.not_saved')}]", help=state.tr("store_ui.not_saved_help"))
    elif ss.has_unsaved_changes():
        st.markdown(
            f":orange-badge[:material/edit: {state.tr('store_ui.unsaved')}] "
            + state.tr("store_ui.based_on", version=lk.version),
            help=state.tr("store_ui.unsaved_help"),
        )
    else:
        when = fmt_saved_at(lk.saved_at, state.lang())
        st.markdown(f":green-badge[:material/cloud_done: {state.tr('store.saved', version=lk.version)}] · {when}")
    # A draft is not a version: say so beside the version line (kept, paused, or another tab's).
    drafts.status(show_kept=lk is None or ss.has_unsaved_changes())


def _buttons(store: Store) -> None:
    changed = ss.has_unsaved_changes()
    refused = auth.refused_help("save")  # a viewer: read only
    st.button(
        state.tr("store_ui.save"),
        key="sb:save",
        icon=":material/save:",
        on_click=_on_save,
        width="stretch",
        type="primary" if changed and not refused else "secondary",
        disabled=not changed or refused is not None,
        help=refused or state.tr("store_ui.save_help" if changed else "store_ui.nothing_to_save"),
    )
    save_as, open_ = st.columns(2, gap="small")
    with save_as.popover(state.tr("store_ui.save_as"), width="stretch"):
        _save_as()
    with open_.popover(state.tr("store_ui.open_short"), width="stretch"):
        _open_picker(store)


def _save_as() -> None:
    if st.session_state.get("sb:save_as_for") != state.current_key():  # else keep what the user typed
        st.session_state["sb:save_as_for"] = state.current_key()
        st.session_state["sb:save_as_name"] = state.profile().company.name or ""
    st.text_input(state.tr("store_ui.save_as_name"), key="sb:save_as_name", help=state.tr("store_ui.save_as_help"))
    refused = auth.refused_help("save")
    st.button(
        state.tr("store_ui.save_as_button"),
        key="sb:save_as",
        type="primary",
        on_click=_on_save_as,
        icon=":material/library_add:",
        disabled=refused is not None,
        help=refused,
    )


def _open_picker(store: Store) -> None:
    choices: dict[int, tuple[str, int]] = {}
    if not ss.outage():  # while the database is down, do not wait for it on every rerun
        try:
            recent = ss.client_choices(store)[:OPEN_LIMIT]
            choices = {cid: (name, version) for cid, name, version in recent}
        except StoreUnavailable as err:
            ss.report_outage(err)

    def label(cid: int) -> str:
        name, version = choices[cid]
        name = name or state.tr("store.unnamed", id=cid)
        return state.tr("store_ui.client_option", name=name, version=version)

    st.selectbox(
        state.tr("store_ui.open"),
        list(choices),
        key="sb:open_client",
        index=None,
        format_func=label,
        on_change=_on_open,
        disabled=not choices,
        help=state.tr("store_ui.open_help", n=OPEN_LIMIT),
        placeholder=state.tr("store_ui.open_placeholder" if choices else "store_ui.open_none"),
    )
    if not ss.outage():
        draft_offers.open_list()  # unsaved work is never reachable only through its link


def _saved_by() -> None:
    if auth.access().enabled:  # the signed-in identity, never typed
        st.caption(state.tr("auth.saved_as", who=md_literal(ss.saved_by())))
        return
    state.show("sb:saved_by", ss.saved_by())
    st.text_input(
        state.tr("store_ui.saved_by"),
        key="sb:saved_by",
        on_change=_on_saved_by,
        max_chars=80,
        placeholder=state.tr("store_ui.saved_by_placeholder"),
        help=state.tr("store_ui.saved_by_help"),
    )


# --- a conflict: a dialog with the differences and the choice -------------------------------------------


def _conflict_dialog() -> None:
    st.dialog(
        state.tr("store_ui.conflict_title"),
        width="large",
        icon=":material/sync_problem:",
        on_dismiss=ss.dismiss_conflict,
    )(_conflict_body)()


def _conflict_body() -> None:
    latest, lk, lang = ss.conflict(), ss.link(), state.lang()
    if latest is None:  # resolved by a click in an earlier run of this dialog
        return
    message = ConflictError(latest, lk.version if lk else None).user_message(lang, quote=md_literal)
    st.warning(message, icon=":material/sync_problem:")
    changes = profile_diff(latest.profile, state.profile())
    st.markdown(f"**{state.tr('store_ui.conflict_diff', n=len(changes))}**")
    if changes:
        theirs = state.tr("store_ui.col_latest", version=latest.version)
        yours = state.tr("store_ui.col_yours")
        st.dataframe(change_frame(get_engine().catalog, changes, lang, theirs, yours), hide_index=True, width="stretch")
    else:
        st.caption(state.tr("store_ui.conflict_same"))
    anyway, reload, later = st.columns([1.2, 1, 0.8])
    if anyway.button(
        state.tr("store_ui.save_anyway"),
        key="sb:save_anyway",
        type="primary",
        width="stretch",
        icon=":material/save_as:",
        help=state.tr("store_ui.save_anyway_help"),
    ):
        _save_anyway(latest.version)
        st.rerun()
    if reload.button(
        state.tr("store_ui.load_latest"),
        key="sb:load_latest",
        width="stretch",
        icon=":material/download:",
        help=state.tr("store_ui.load_latest_help"),
    ):
        _load_latest(latest.client_id)
        st.rerun()
    if later.button(state.tr("store_ui.decide_later"), key="sb:conflict_later", width="stretch"):
        ss.dismiss_conflict()
        st.rerun()


# --- outage --------------------------------------------------------------------------------------------


def outage_block(where: str) -> None:
    """The database is down: say so, offer the current answers as JSON and Excel, and a retry.

    In the sidebar (``where`` "sb") briefly, the details in a tooltip; on a page in full. ``where``
    also prefixes the widget keys, so the sidebar and a page can both show the block.
    """
    deferred.pandas()  # the Excel report's libraries: loaded when the database is down only (ui.deferred)
    from ccl.excel.common import XLSX_MIME
    from ccl.filenames import safe_file_part

    lang = state.lang()
    if where == "sb":
        st.warning(state.tr("store_ui.outage_short"), icon=":material/cloud_off:")
        st.caption(state.tr("store_ui.outage_details"), help=ss.outage())
    else:
        st.warning(f"{ss.outage()}\n\n{t('store.keep_working', lang)}", icon=":material/cloud_off:")
    prof = state.profile()
    stem = safe_file_part(prof.company.name or state.tr("app.unnamed"))
    width: Literal["stretch", "content"] = "stretch" if where == "sb" else "content"
    with st.container(horizontal=where != "sb", gap="small"):
        st.download_button(
            state.tr("store_ui.download_json"),
            dump_profile(prof),
            file_name=f"{stem}.json",
            mime="application/json",
            key=f"{where}:download_json",
            on_click="ignore",
            icon=":material/data_object:",
            width=width,
        )
        st.download_button(
            state.tr("store_ui.download_xlsx"),
            _report_bytes(prof, lang),
            mime=XLSX_MIME,
            file_name=f"{stem}_{clock.today().isoformat()}.xlsx",
            key=f"{where}:download_xlsx",
            icon=":material/table_view:",
            on_click="ignore",
            width=width,
        )
        st.button(
            state.tr("store_ui.retry"), key=f"{where}:retry", icon=":material/refresh:", on_click=_on_retry, width=width
        )


def _report_bytes(prof: Profile, lang: Lang) -> Callable[[], bytes]:
    """The Excel report, built only when its button is clicked (outside the script run: no st calls)."""
    from ccl.excel.report import build_report

    ev = evaluate(prof, state.start_date(), state.review_anchor())
    engine = get_engine()
    return lambda: build_report(ev, engine, lang, clock.today())


def query(read: Callable[[Store], Any]) -> Any:
    """Run a page's read; while the database is down, show the outage block instead and stop the page.

    After an outage the page does not query again until the user retries (so no rerun waits for it).
    """
    if ss.outage() is None:
        try:
            result = read(get_store())
        except StoreUnavailable as err:
            ss.report_outage(err)
        else:
            return result
    outage_block("page")
    end_page()
