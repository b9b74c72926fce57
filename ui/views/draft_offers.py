"""The drafts offered in the sidebar: another browser's draft link (a notice and a copy), the front door's
"继续上次的工作" and the 打开 list's unsaved drafts. What they do is ``ui.session.drafts``'s."""

from __future__ import annotations

import streamlit as st

from ccl.i18n import Lang, t
from ccl.store import fmt_saved_at
from ccl.store.drafts import draft_ttl
from ccl.store.models import RecentDraft
from ui import state
from ui.escape import md_literal
from ui.session import drafts


def foreign_notice() -> None:
    """The notice for another browser's draft link, with the offer of a copy."""
    sess, lang = drafts.session(), state.lang()
    if sess.foreign is None:
        return
    with st.container(border=True):
        st.warning(t("store_ui.draft_other_browser", lang), icon=":material/devices:")
        st.button(
            t("store_ui.draft_open_copy", lang),
            key="sb:draft_copy",
            on_click=drafts.open_copy,
            type="primary",
            width="stretch",
        )
        st.button(
            t("store_ui.draft_start_blank", lang), key="sb:draft_blank", on_click=drafts.decline_copy, width="stretch"
        )


def _draft_label(draft: RecentDraft, lang: Lang) -> str:
    """A draft as listed: its companies' names and when it last changed."""
    return f"{md_literal(draft.label or t('app.unnamed', lang))} · {fmt_saved_at(draft.updated_at, lang)}"


def open_list() -> None:
    """The 打开 list's drafts: the user's unsaved work beside the saved clients, each opened with a click."""
    sess, lang = drafts.session(), state.lang()
    others = drafts.other_drafts(sess)
    if not others:
        return
    days = f"{draft_ttl().total_seconds() / 86400:g}"
    st.markdown(f"**{t('store_ui.open_drafts', lang)}**", help=t("store_ui.open_drafts_help", lang, days=days))
    held = sess.conflict is not None or sess.paused  # the work on screen is not in its draft: it would be lost
    if held:
        st.caption(t("store_ui.open_drafts_wait", lang))
    _resume_buttons(others, "sb:open_draft", lang, disabled=held)


def front_door() -> None:
    """ "继续上次的工作": the recent drafts, while the session has not started on anything else."""
    sess, lang = drafts.session(), state.lang()
    if not sess.recent or not drafts.pristine(sess):
        return
    with st.container(border=True):
        st.markdown(f"**{t('store_ui.resume_title', lang)}**", help=t("store_ui.resume_help", lang))
        _resume_buttons(sess.recent, "sb:resume", lang)


def _resume_buttons(listed: list[RecentDraft], key: str, lang: Lang, disabled: bool = False) -> None:
    """One button per draft (its companies and when it changed) that makes it the session's desk."""
    for draft in listed:
        st.button(
            _draft_label(draft, lang),
            key=f"{key}:{draft.id}",
            on_click=drafts.resume,
            args=(draft.id,),
            disabled=disabled,
            width="stretch",
            icon=":material/history:",
        )
