"""Questionnaire inputs: one typed widget per profile field, initialised from the Profile, writing back to it.

Every widget has the stable key ``q:<section.field>``. Before a widget is drawn its value is set from
the Profile (so answers survive page switches and company switches); its callback writes the new
answer through ``Profile.with_answer``. An answer the Profile rejects stays on screen beside a message
in the user's language, and the previous valid Profile is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from pydantic import ValidationError

from ccl.catalog.objects import Question
from ccl.errors import ErrorCode, Problem
from ccl.i18n import WAN, Lang, answer_text, confidence_label, option_label, problem_message, source_text, t
from ccl.profile import (
    ALL_FIELDS,
    DATE_MAX,
    DATE_MIN,
    PROVINCE_FIELDS,
    Profile,
    ProfileError,
    field_limits,
    profile_from_dict,
    text_limit,
)
from ccl.scoring import na_allowed_fields
from ui import evidence, state
from ui.cache import get_engine
from ui.context import PageContext
from ui.escape import md_literal

NA = "na"


def widget_key(field: str) -> str:
    return f"q:{field}"


def _na_reason_key(field: str) -> str:
    return f"na:{field}"


def _na_toggle_key(field: str) -> str:
    return f"nax:{field}"


def _none_key(field: str) -> str:
    return f"none:{field}"


def section_fields(section: str) -> list[str]:
    return [f for f in ALL_FIELDS if f.split(".", 1)[0] == section]


# --- conversion between the Profile (CNY, bool, frozenset) and widget values ----------------------


def to_widget(q: Question, value: Any, lang: Lang) -> Any:
    """The widget value that shows a stored answer."""
    if value is None:
        return {"multiselect": [], "text": ""}.get(q.input)
    if q.input == "money":
        return value / WAN if lang == "zh" else float(value)
    if q.input == "bool":
        return "yes" if value else "no"
    if q.input == "multiselect":
        return sorted(value)
    if q.input == "number":
        return float(value)
    return value


def from_widget(q: Question, raw: Any, lang: Lang) -> Any:
    """The answer a widget value stands for (None = unanswered)."""
    if raw is None or raw == "" or raw == []:
        return None
    if q.input == "money":
        return round(raw * WAN, 2) if lang == "zh" else float(raw)
    if q.input == "bool":
        return raw == "yes"
    if q.input == "multiselect":
        return frozenset(raw)
    if q.input == "text":
        return str(raw).strip() or None
    return raw


# --- writing answers -------------------------------------------------------------------------------


def _rejection(prof: Profile, field: str, value: Any) -> ProfileError | None:
    """Why the Profile refuses ``value`` for ``field`` (as a ProfileError with a code), if it does."""
    data = prof.model_dump(mode="python")
    section, name = field.split(".", 1)
    data[section][name] = value
    try:
        profile_from_dict(data, field)
    except ProfileError as err:
        return err
    return None


def _apply(field: str, change: Callable[[Profile], Profile], value: Any) -> bool:
    """Apply one change to the current Profile; remember a rejection instead. True when applied.

    A rejected answer is kept in the profile's own units (CNY, not 万元), so it still shows correctly
    after a language switch.
    """
    errors = state.field_errors()
    try:
        new = change(state.profile())
    except ValidationError:
        err = _rejection(state.profile(), field, value)
        errors[field] = (err.code if err else "invalid", value)
        return False
    before = state.sidebar_signature()
    state.set_profile(new)
    errors.pop(field, None)
    _retry_rejected()
    _sidebar_follows(before)
    return True


def _sidebar_follows(before: tuple) -> None:
    """Ask for a whole-app rerun when the change alters what the sidebar shows (see ui.state)."""
    if state.sidebar_signature() != before:
        st.session_state[state.APP_RERUN] = True


def _set_na(field: str, reason: str | None) -> None:
    before = state.sidebar_signature()
    state.set_profile(state.profile().with_not_applicable(field, reason))
    _sidebar_follows(before)


def _value_of(field: str, raw: Any) -> Any:
    q = get_engine().catalog.questions[field]
    return from_widget(q, raw, state.lang())


def _retry_rejected() -> None:
    """An earlier rejected answer may fit now (paid-in after raising the registered capital)."""
    errors = state.field_errors()
    for field, (_, value) in list(errors.items()):
        try:
            state.set_profile(state.profile().with_answer(field, value))
        except ValidationError:
            continue
        errors.pop(field, None)


def _commit(field: str) -> None:
    raw = st.session_state.get(widget_key(field))
    if raw == NA:
        _choose_na(field)
        return
    state.na_pending().discard(field)
    value = _value_of(field, raw)

    def change(p: Profile) -> Profile:
        if field in p.not_applicable:
            p = p.with_not_applicable(field, None)
        return p.with_answer(field, value)

    _apply(field, change, value)


def _commit_none(field: str) -> None:
    """The "none of these" box of a multiple choice: an explicit empty answer, not "unanswered"."""
    checked = st.session_state.get(_none_key(field))
    value: frozenset[str] | None = frozenset() if checked else None
    _apply(field, lambda p: p.with_answer(field, value), value)


def _choose_na(field: str) -> None:
    reason = (st.session_state.get(_na_reason_key(field)) or "").strip()
    if reason:
        _apply(field, lambda p: p.with_answer(field, None).with_not_applicable(field, reason), None)
        state.na_pending().discard(field)
    else:
        state.na_pending().add(field)


def _commit_na_toggle(field: str) -> None:
    if st.session_state.get(_na_toggle_key(field)):
        _choose_na(field)
        return
    state.na_pending().discard(field)
    _set_na(field, None)


def _commit_na_reason(field: str) -> None:
    reason = (st.session_state.get(_na_reason_key(field)) or "").strip()
    if reason:
        _choose_na(field)
    else:
        _set_na(field, None)
        state.na_pending().add(field)


# --- drawing ---------------------------------------------------------------------------------------


def unit_suffix(q: Question, lang: Lang) -> str:
    if q.input == "money":
        return t("questionnaire.unit_money", lang)
    if q.unit in ("people", "months", "m2", "seats", "percent"):
        return t(f"questionnaire.unit_{q.unit}", lang)
    return ""


def help_text(ctx: PageContext, field: str) -> str:
    """The question's help, then the rules reading the answer and where each comes from (tooltip)."""
    lines = [ctx.catalog.questions[field].help(ctx.lang), ""]
    rules = ctx.catalog.rules_by_field.get(field, ())
    if not rules:
        return "\n".join([*lines, ctx.tr("questionnaire.no_rule")])
    lines.append(ctx.tr("questionnaire.sources_head"))
    for r in rules:
        src = source_text(ctx.catalog, r.source, ctx.lang)
        mark = ctx.tr("app.paren", text=confidence_label(r.source.confidence, ctx.lang))
        lines.append(f"- **{r.title(ctx.lang)}** — {src}{mark}")
    return "\n".join(lines)


_NA_ALLOWED: dict[int, frozenset[str]] = {}


def na_allowed(ctx: PageContext) -> frozenset[str]:
    """Fields that may be marked N/A (computed once per catalog; the catalog is immutable)."""
    key = id(ctx.catalog)
    if key not in _NA_ALLOWED:
        _NA_ALLOWED[key] = na_allowed_fields(ctx.catalog)
    return _NA_ALLOWED[key]


def questions(ctx: PageContext, fields: list[str]) -> None:
    """A section's questions in two columns; an open notes-and-evidence editor spans both, under its row."""
    open_field = evidence.open_field()
    cut = len(fields)
    if open_field in fields:
        cut = fields.index(open_field) // 2 * 2 + 2  # after the pair of questions it belongs to
    for part in (fields[:cut], fields[cut:]):
        if not part:
            continue
        columns = st.columns(2, gap="large")
        for i, field in enumerate(part):  # ``cut`` is even: every question stays in its column
            with columns[i % 2]:
                question(ctx, field)
        if open_field in part:
            evidence.editor(ctx, open_field)


def question(ctx: PageContext, field: str, *, first_run: bool = False) -> None:
    """One question: its typed input (help and sources in its tooltip), N/A where allowed, inline error.

    Every element drawn here is a message to the browser on each answer, so a question is one widget
    and its notes-and-evidence button, unless N/A, an error or recorded evidence needs more (the
    per-message cost dominates a rerun; see bench/).

    ``first_run``: the Overview's first screen of the legal conditions asks the question in plain words
    (``Question.ask``), a choice as one click (buttons, not a drop-down), without notes and evidence.
    """
    q = ctx.catalog.questions[field]
    suffix = unit_suffix(q, ctx.lang)
    text = q.ask(ctx.lang) if first_run and q.ask else q.label(ctx.lang)
    label = f"{text}（{suffix}）" if suffix and ctx.lang == "zh" else (f"{text} ({suffix})" if suffix else text)
    if q.optional:  # as the Excel questionnaire marks it
        label = (
            f"{label}{ctx.tr('questionnaire.optional_mark')}"
            if ctx.lang == "zh"
            else f"{label} {ctx.tr('questionnaire.optional_mark')}"
        )
    if field in ctx.ev.assessment.gates_open and not first_run:  # a legal condition waits on this answer
        label = f"{label} {ctx.tr('questionnaire.gate_mark')}"
    na_ok = field in na_allowed(ctx)
    na_on = field in ctx.profile.not_applicable or field in state.na_pending()
    errors = state.field_errors()
    key = widget_key(field)
    if field in errors:
        state.show(key, to_widget(q, errors[field][1], ctx.lang), ctx.lang)
    elif q.input == "bool" and na_on:
        state.show(key, NA, ctx.lang)
    else:
        state.show(key, to_widget(q, ctx.profile.get(field), ctx.lang), ctx.lang)
    kwargs = {"key": key, "help": help_text(ctx, field), "on_change": _commit, "args": (field,)}
    draw = _doc_input if first_run and q.input == "select" and field not in PROVINCE_FIELDS else _INPUTS[q.input]
    draw(ctx, field, q, label, kwargs, na_ok=na_ok, na_on=na_on)
    if na_ok and q.input != "bool":
        state.show(_na_toggle_key(field), na_on)
        st.checkbox(
            ctx.tr("questionnaire.na_toggle"), key=_na_toggle_key(field), on_change=_commit_na_toggle, args=(field,)
        )
    if na_ok and na_on:
        _na_reason(ctx, field)
    if field in errors:
        code, value = errors[field]
        extra = (("max", text_limit(field)),) if code in (ErrorCode.TOO_LONG, ErrorCode.TOO_MANY) else ()
        shown = md_literal(_shown(ctx, field, value))
        problem = Problem(ErrorCode(code), field, shown, limits=field_limits(field), extra=extra)
        st.error(problem_message(problem, ctx.lang), icon=":material/error:")
    if not first_run:
        evidence.block(ctx, field)  # its note and documents: a summary line and the button opening the editor


def _shown(ctx: PageContext, field: str, value: Any) -> str:
    """A rejected value as the user would write it (万元 in Chinese), for the error message."""
    try:
        return answer_text(ctx.catalog, field, value, ctx.lang)
    except (TypeError, ValueError, KeyError):
        return str(value)


def _na_reason(ctx: PageContext, field: str) -> None:
    key = _na_reason_key(field)
    state.show(key, ctx.profile.not_applicable.get(field, ""))
    st.text_input(
        ctx.tr("questionnaire.na_reason"),
        key=key,
        on_change=_commit_na_reason,
        args=(field,),
        placeholder=ctx.tr("questionnaire.na_reason_placeholder"),
    )
    if field not in ctx.profile.not_applicable:
        st.warning(ctx.tr("questionnaire.na_needs_reason"), icon=":material/edit_note:")


def _bool_input(ctx: PageContext, field: str, q: Question, label: str, kw: dict, *, na_ok: bool, na_on: bool) -> None:
    options = ["yes", "no", NA] if na_ok else ["yes", "no"]
    names = {"yes": ctx.tr("common.yes"), "no": ctx.tr("common.no"), NA: ctx.tr("common.not_applicable")}
    st.segmented_control(label, options, format_func=names.__getitem__, wrap=True, **kw)


def _doc_input(ctx: PageContext, field: str, q: Question, label: str, kw: dict, **_: Any) -> None:
    options = [o.value for o in q.options]
    st.segmented_control(
        label, options, format_func=lambda v: option_label(ctx.catalog, field, v, ctx.lang), wrap=True, **kw
    )


def _select_input(ctx: PageContext, field: str, q: Question, label: str, kw: dict, **_: Any) -> None:
    if field in PROVINCE_FIELDS:
        options: list[Any] = [p.id for p in ctx.catalog.provinces]
    else:
        options = [o.value for o in q.options]
    st.selectbox(
        label,
        options,
        index=None,
        placeholder=ctx.tr("questionnaire.choose"),
        format_func=lambda v: option_label(ctx.catalog, field, v, ctx.lang),
        **kw,
    )


def _multi_input(ctx: PageContext, field: str, q: Question, label: str, kw: dict, **_: Any) -> None:
    """Multiple choice as pills, plus a "none of these" box: an explicit empty answer, not "unanswered"."""
    value = ctx.profile.get(field)
    none_chosen = value is not None and not value
    # pills show every choice picked, wrapped over lines (a multiselect hides them behind a scroll and
    # offers an untranslatable "Select all")
    st.pills(
        label,
        [o.value for o in q.options],
        selection_mode="multi",
        wrap=True,
        format_func=lambda v: option_label(ctx.catalog, field, v, ctx.lang),
        disabled=none_chosen,
        width="stretch",
        **kw,
    )
    state.show(_none_key(field), none_chosen)
    st.checkbox(ctx.tr("questionnaire.none_of_these"), key=_none_key(field), on_change=_commit_none, args=(field,))


def _number_input(
    ctx: PageContext, field: str, q: Question, label: str, kw: dict, *, na_on: bool = False, **_: Any
) -> None:
    if q.input == "money":
        step, fmt = (10.0, "%.2f") if ctx.lang == "zh" else (100_000.0, "%.0f")
    elif q.input == "int":
        step, fmt = 1, "%d"
    else:  # an area or a share: 80 平方米, 35.5% (no "80.0"); six significant digits are plenty here
        step, fmt = 1.0, "%g"
    st.number_input(
        label, value=None, step=step, format=fmt, placeholder=ctx.tr("questionnaire.enter"), disabled=na_on, **kw
    )


def _date_input(ctx: PageContext, field: str, q: Question, label: str, kw: dict, **_: Any) -> None:
    fmt = ctx.date_input_format
    st.date_input(label, value=None, min_value=DATE_MIN, max_value=DATE_MAX, format=fmt, **kw)


def _text_input(ctx: PageContext, field: str, q: Question, label: str, kw: dict, **_: Any) -> None:
    limit = text_limit(field)
    if limit is not None and limit > 500:  # a few sentences (a topology, a procedure): a box that wraps
        st.text_area(label, placeholder=ctx.tr("questionnaire.enter"), max_chars=limit, height=90, **kw)
    else:
        st.text_input(label, placeholder=ctx.tr("questionnaire.enter"), max_chars=limit, **kw)


_INPUTS: dict[str, Callable[..., None]] = {
    "bool": _bool_input,
    "doc": _doc_input,
    "select": _select_input,
    "multiselect": _multi_input,
    "money": _number_input,
    "int": _number_input,
    "number": _number_input,
    "date": _date_input,
    "text": _text_input,
}
