"""Session state: the key names, the one initialisation, and the accessors every page uses.

The source of truth is the ``Profile`` of the current company in ``st.session_state[COMPANIES]``.
Widgets never own an answer: Streamlit forgets the state of widgets that a page does not render,
so each widget is shown the Profile's value on every run (``show``) and writes back through a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

from ccl import clock
from ccl.i18n import LANGS, Lang, t
from ccl.profile import Profile
from ccl.timeline import ReviewAnchor

LANG = "ui.lang"
COMPANIES = "ui.companies"  # dict[company key, Profile]: every open company of this session
ORIGINS = "ui.origins"  # dict[company key, Profile]: each company as opened, for "reset"
CURRENT = "ui.current"  # key of the company on screen
ERRORS = "ui.errors"  # dict[company key, dict[field, (error code, rejected value)]]
NA_PENDING = "ui.na_pending"  # dict[company key, set[field]]: N/A chosen, reason not yet given
START = "ui.start_date"  # first day of the projection (defaults to today)
ANCHOR = "ui.review_anchor"  # "acceptance" | "receipt": from when the 60-day review is counted
SCENARIO = "ui.scenario"
SECTION = "ui.section"  # questionnaire section on screen
BLANK_COUNT = "ui.blank_count"
APP_RERUN = "ui.app_rerun"  # something the sidebar shows changed inside a fragment: rerun the whole app
EDITED = "ui.edited"  # set of company keys whose answers were changed in this session
FRAMED = "ui.framed"  # app.py has run in this session (see ``mark_framed``)
WHERE = "ui.where"  # (page, company key) of the last run: page messages end when either changes
FIRST_RUN = "ui.first_run"  # set of company keys answering the legal conditions on the welcome screen
SHOWN = "ui.shown"  # dict[widget key, (labels, active script)]: what each widget last got the model's value with

DEFAULT_LANG: Lang = "zh"
FIRST_COMPANY = "blank:1"


def init(today: date | None = None) -> None:
    """Create every session key once; later runs keep what is there."""
    ss = st.session_state
    defaults: dict[str, Any] = {
        LANG: DEFAULT_LANG,
        COMPANIES: {FIRST_COMPANY: Profile()},
        ORIGINS: {FIRST_COMPANY: Profile()},
        CURRENT: FIRST_COMPANY,
        ERRORS: {},
        NA_PENDING: {},
        START: today or clock.today(),
        ANCHOR: "acceptance",
        SCENARIO: "expected",
        SECTION: "company",
        BLANK_COUNT: 1,
        EDITED: set(),
        WHERE: None,
        FIRST_RUN: set(),
    }
    for key, value in defaults.items():
        if key not in ss:
            ss[key] = value


def lang() -> Lang:
    value = st.session_state.get(LANG, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def tr(key: str, **kwargs: Any) -> str:
    """A UI string in the session's language."""
    return t(key, lang(), **kwargs)


def show(key: str, value: Any, labels: Hashable = None) -> None:
    """Show ``value`` in the widget ``key``, drawn next in this run (the model wins over stale widget state).

    ``labels``: what else the widget's labels or identity depend on: the language (option names; a date
    box's format, which is part of its identity), or the labels themselves (a company's name, a section's
    mark).

    The state is written only when something changed. Streamlit marks a widget whose state the script wrote as
    set by the app, whatever the value, so that its next message carries the value and the browser draws the
    widget anew: writing on every run redrew every question of a section on each answer, most of the
    browser's work for it (README, "Answer → rerun in the browser"). It is written again when the labels
    changed, and when the widget's identity did: Streamlit names a keyed widget by its key, a few of its
    arguments and the script it deems active, which is not the same in every run (the whole run a fragment
    asks for names the sidebar's widgets anew), and a widget under a new name starts from its default."""
    ss = st.session_state
    shown: dict[str, Hashable] = ss.setdefault(SHOWN, {})
    seen = (labels, _active_script())
    if key not in ss or shown.get(key) != seen or ss[key] != value:
        ss[key] = value
        shown[key] = seen


def _active_script() -> str:
    """The script Streamlit deems active, part of a keyed widget's identity; "" outside a script's run."""
    try:
        return ThreadState.get().active_script_hash
    except RuntimeError:  # no run on this thread (the script imported in bare mode)
        return ""


def current_key() -> str:
    return st.session_state[CURRENT]


def profile() -> Profile:
    """The current company's answers."""
    return st.session_state[COMPANIES][current_key()]


def set_profile(new: Profile) -> None:
    """Replace the current company's answers (already validated: a Profile cannot be invalid)."""
    st.session_state[COMPANIES][current_key()] = new
    st.session_state[EDITED].add(current_key())


def adopt(new: Profile) -> None:
    """Take the engine's version of the current answers (the action plan kept in step with the gaps).

    Not an edit by the user: it neither marks the company changed nor asks to be saved on close.
    """
    st.session_state[COMPANIES][current_key()] = new


def companies() -> dict[str, Profile]:
    return st.session_state[COMPANIES]


def open_company(key: str, prof: Profile) -> None:
    """Add a company to the session (or switch to it if it is already open) and make it current.

    An untouched blank company (never edited, still empty) is closed when another one is opened: it
    only stood for "nothing open yet".
    """
    ss = st.session_state
    if key not in ss[COMPANIES]:
        ss[COMPANIES][key] = prof
        ss[ORIGINS][key] = prof
        for other in [k for k in ss[COMPANIES] if k != key and untouched_blank(k)]:
            close_company(other)
    ss[CURRENT] = key


def untouched_blank(key: str) -> bool:
    """A company that was opened blank and never answered (an answer the form rejected counts as a touch)."""
    ss = st.session_state
    return (
        ss[ORIGINS].get(key) == Profile()
        and ss[COMPANIES].get(key) == Profile()
        and key not in ss[EDITED]
        and not ss[ERRORS].get(key)
        and not any(hook(key) for hook in _KEEP_HOOKS)
    )


def open_key_with(prof: Profile) -> str | None:
    """The open company whose answers are exactly these (a file opened twice), if any and not blank."""
    if prof == Profile():
        return None
    return next((k for k, p in companies().items() if p == prof), None)


def new_blank_company() -> str:
    """Open a new empty company and return its key."""
    st.session_state[BLANK_COUNT] += 1
    key = f"blank:{st.session_state[BLANK_COUNT]}"
    open_company(key, Profile())
    return key


# Other modules keep data per company (e.g. the saved-client links) and forget it when it is closed;
# a keep hook says a company holds something beyond its answers (then it is not "untouched").
_CLOSE_HOOKS: list[Callable[[str], None]] = []
_KEEP_HOOKS: list[Callable[[str], bool]] = []


def on_close(fn: Callable[[str], None]) -> None:
    """Call ``fn(key)`` whenever a company is closed (idempotent)."""
    if fn not in _CLOSE_HOOKS:
        _CLOSE_HOOKS.append(fn)


def keeps(fn: Callable[[str], bool]) -> None:
    """Declare that ``fn(key)`` true means the company is not an untouched blank (idempotent)."""
    if fn not in _KEEP_HOOKS:
        _KEEP_HOOKS.append(fn)


def close_company(key: str) -> None:
    """Close an open company; the one before it becomes current, and closing the last leaves a fresh blank."""
    ss = st.session_state
    order = list(ss[COMPANIES])
    if key not in order:
        return
    for store in (COMPANIES, ORIGINS, ERRORS, NA_PENDING):
        ss[store].pop(key, None)
    ss[EDITED].discard(key)
    ss[FIRST_RUN].discard(key)
    for hook in _CLOSE_HOOKS:
        hook(key)
    if not ss[COMPANIES]:
        new_blank_company()
    elif ss[CURRENT] == key:
        i = order.index(key)
        ss[CURRENT] = order[i - 1] if i > 0 else next(iter(ss[COMPANIES]))


def reset_current() -> None:
    """Put the current company back as it was opened (a sample's answers, or blank); forget its errors."""
    key = current_key()
    st.session_state[COMPANIES][key] = st.session_state[ORIGINS].get(key, Profile())
    st.session_state[ERRORS].pop(key, None)
    st.session_state[NA_PENDING].pop(key, None)


def first_run() -> bool:
    """The current company is answering the legal conditions on the Overview's first-run screen."""
    return current_key() in st.session_state[FIRST_RUN]


def set_first_run(on: bool) -> None:
    """Start (the welcome's button) or end (all answered, or skipped) the first-run screen."""
    keys = st.session_state[FIRST_RUN]
    if on:
        keys.add(current_key())
    else:
        keys.discard(current_key())


def company_label(key: str, lg: Lang | None = None) -> str:
    """How a company is named in the switcher: its name, else a numbered placeholder."""
    lg = lg or lang()
    name = companies()[key].company.name
    if name:
        return name
    number = key.split(":", 1)[1] if key.startswith("blank:") else key
    return t("sidebar.unnamed_company", lg, n=number)


def field_errors() -> dict[str, tuple[str, Any]]:
    """Rejected answers of the current company: field → (error code, value the user typed)."""
    return st.session_state[ERRORS].setdefault(current_key(), {})


def na_pending() -> set[str]:
    return st.session_state[NA_PENDING].setdefault(current_key(), set())


# What the sidebar shows that depends on the answers (company name, province, "unsaved changes" …).
# The questionnaire reruns as a fragment, without the sidebar; when one of these values changes
# with an answer, the whole app is rerun so the sidebar follows.
_SIDEBAR_SIGNATURES: list[Callable[[], Hashable]] = []


def register_sidebar_signature(fn: Callable[[], Hashable]) -> None:
    """Declare a value the sidebar draws from the current answers (idempotent)."""
    if fn not in _SIDEBAR_SIGNATURES:
        _SIDEBAR_SIGNATURES.append(fn)


def sidebar_signature() -> tuple[Hashable, ...]:
    return tuple(fn() for fn in _SIDEBAR_SIGNATURES)


# Messages that belong to one page and one company (an import summary, "replaced 3 answers"): they are
# dropped when the user goes to another page or switches company, so they never describe something else.
_PAGE_MESSAGES: list[str] = []


def page_message(key: str) -> str:
    """Declare a session key holding a page-level message; returns the key."""
    if key not in _PAGE_MESSAGES:
        _PAGE_MESSAGES.append(key)
    return key


def leave_stale_messages(page: str) -> None:
    """Drop the page-level messages when the page or the current company changed since the last run."""
    where = (page, current_key())
    if st.session_state.get(WHERE) not in (None, where):
        for key in _PAGE_MESSAGES:
            st.session_state.pop(key, None)
    st.session_state[WHERE] = where


def messages_follow_current() -> None:
    """The current company changed on purpose with a message about it (e.g. "opened as a new company"): keep it."""
    where = st.session_state.get(WHERE)
    if where is not None:
        st.session_state[WHERE] = (where[0], current_key())


def start_date() -> date:
    return st.session_state[START]


def review_anchor() -> ReviewAnchor:
    return st.session_state[ANCHOR]


def mark_framed() -> None:
    """app.py ran in this session: its sign-in gate, share check and navigation route every page.

    On a server process's first run, Streamlit serves a ``/<page>`` address from the pages folder itself,
    running the page script without app.py: no sign-in gate, no share-link check. ``ui.context`` refuses
    to draw a page in a session app.py has not framed (fragment reruns of a framed page stay framed).
    """
    st.session_state[FRAMED] = True


def is_framed() -> bool:
    return st.session_state.get(FRAMED) is True
