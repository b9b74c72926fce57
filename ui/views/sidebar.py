"""The shared sidebar: language, the open companies, province, sample companies, new and reset.

Each block is its own function so more can be added beside them without touching the others
(e.g. open / save / save-as for a database store: add ``_store_controls()`` and call it from
``render`` right after ``_company_switcher``).
"""

from __future__ import annotations

import streamlit as st

from ccl.i18n import LANGS, Lang
from ccl.samples import Sample, list_samples
from ui import state
from ui.cache import get_engine
from ui.escape import md_literal
from ui.session import store_state
from ui.views import store as store_panel

LANG_NAMES: dict[str, str] = {"zh": "简体中文", "en": "English"}
SAMPLE_PREFIX = "sample:"


def _answers_shown() -> tuple[str | None, str | None]:
    """The answers the sidebar draws: the company name (switcher) and the province (select)."""
    company = state.profile().company
    return company.name, company.province


state.register_sidebar_signature(_answers_shown)
state.register_sidebar_signature(store_state.has_unsaved_changes)  # the "unsaved changes" mark


@st.cache_resource(show_spinner=False)
def _samples() -> dict[str, Sample]:
    """The sample companies by key (read once; profiles are frozen)."""
    return {s.key: s for s in list_samples()}


def render() -> None:
    """Draw the sidebar for the current run."""
    with st.sidebar:
        language()
        st.divider()
        _company_switcher()
        _store_controls()
        _province()
        _open_sample()
        _new_and_reset()


# --- language --------------------------------------------------------------------------------------


def _on_language() -> None:
    chosen = st.session_state.get("sb:lang")
    if chosen in LANGS:
        st.session_state[state.LANG] = chosen


def language() -> None:
    """The language switch (also the first thing of a share link's sidebar, ui.share)."""
    state.show("sb:lang", state.lang())
    st.segmented_control(
        state.tr("sidebar.language"),
        list(LANGS),
        format_func=LANG_NAMES.__getitem__,
        key="sb:lang",
        on_change=_on_language,
        required=True,
        width="stretch",
    )


# --- open companies --------------------------------------------------------------------------------


SWITCHER_FITS = 13  # characters of a Chinese name the company box shows whole in the default sidebar


def _on_switch() -> None:
    key = st.session_state.get("sb:company")
    if key in state.companies():
        st.session_state[state.CURRENT] = key


def _company_switcher() -> None:
    labels = {key: state.company_label(key) for key in state.companies()}
    state.show("sb:company", state.current_key(), tuple(labels.values()))
    st.selectbox(
        state.tr("sidebar.current_company"),
        list(labels),
        key="sb:company",
        on_change=_on_switch,
        format_func=labels.__getitem__,
        help=state.tr("sidebar.current_company_help"),
    )
    name = labels[state.current_key()]
    if len(name) > SWITCHER_FITS:  # the box cuts a long name: the whole of it under the box, wrapped
        st.caption(md_literal(name))


def _store_controls() -> None:
    """Open / save / save-as of the current company in the database (ui.views.store)."""
    with st.container(border=True):
        store_panel.render()


def _on_province() -> None:
    value = st.session_state.get("sb:province")
    state.set_profile(state.profile().with_answer("company.province", value))


def _province() -> None:
    catalog = get_engine().catalog
    lang: Lang = state.lang()
    names = {p.id: p.name(lang) for p in catalog.provinces}
    current = state.profile().company.province
    state.show("sb:province", current if current in names else None, lang)
    st.selectbox(
        state.tr("sidebar.province"),
        list(names),
        key="sb:province",
        index=None,
        format_func=names.__getitem__,
        on_change=_on_province,
        placeholder=state.tr("questionnaire.choose"),
        help=state.tr("sidebar.province_help"),
    )


# --- samples, new, reset ---------------------------------------------------------------------------


def _on_sample() -> None:
    key = st.session_state.get("sb:sample")
    sample = _samples().get(key) if key else None
    if key is None or sample is None:
        return
    state.open_company(SAMPLE_PREFIX + key, sample.load())
    st.session_state["sb:sample"] = None


def _open_sample() -> None:
    lang = state.lang()
    samples = _samples()
    st.selectbox(
        state.tr("sidebar.load_sample"),
        list(samples),
        key="sb:sample",
        index=None,
        format_func=lambda k: samples[k].label(lang),
        placeholder=state.tr("sidebar.load_sample_placeholder"),
        on_change=_on_sample,
        help=state.tr("sidebar.load_sample_help"),
    )


def _new_and_reset() -> None:
    st.button(
        state.tr("sidebar.new_company"),
        icon=":material/add_business:",
        on_click=_new_blank,
        width="stretch",
        key="sb:new",
    )
    with st.popover(state.tr("sidebar.reset"), icon=":material/restart_alt:", width="stretch"):
        st.markdown(state.tr("sidebar.reset_confirm", company=md_literal(state.company_label(state.current_key()))))
        st.button(state.tr("sidebar.reset_yes"), type="primary", on_click=state.reset_current, key="sb:reset_yes")
    _close()


def _new_blank() -> None:
    state.new_blank_company()


def _close() -> None:
    """Close the current company: at once when nothing would be lost, else after a confirmation."""
    key = state.current_key()
    label, icon = state.tr("sidebar.close"), ":material/close:"
    if not store_state.close_loses_changes(key):
        lone_blank = len(state.companies()) == 1 and state.untouched_blank(key)  # closing would change nothing
        st.button(
            label,
            icon=icon,
            on_click=state.close_company,
            args=(key,),
            width="stretch",
            key="sb:close",
            disabled=lone_blank,
        )
        return
    with st.popover(label, icon=icon, width="stretch"):
        st.markdown(state.tr("sidebar.close_confirm", company=md_literal(state.company_label(key))))
        st.button(
            state.tr("sidebar.close_yes"), type="primary", on_click=state.close_company, args=(key,), key="sb:close_yes"
        )


def print_styles() -> None:
    """What the browser prints (Ctrl+P): the page's content only, without the sidebar, header and toolbar."""
    st.html(
        "<style>@media print {"
        "[data-testid=stSidebar], [data-testid=stHeader], [data-testid=stToolbar], [data-testid=stDecoration],"
        " [data-testid=stSidebarCollapsedControl] {display: none !important;}"
        " [data-testid=stMain] {margin-left: 0 !important;}"
        " [data-testid=stMainBlockContainer] {padding: 0 !important; max-width: 100% !important;}"
        "}</style>"
    )
