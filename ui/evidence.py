"""Notes and evidence per question: a summary line under the answer, an editor for one question at a time.

Under every question of the questionnaire a small button "备注与证据 / Notes and evidence" (with the
number of documents) opens an editor for that question only: a note and a table of documents (name,
where it is kept or a link, date). One editor at a time, so a section of twenty questions costs one
button each, not twenty data editors, on every rerun.

What the user types is kept in an ``Editor`` per (company, question) in the session; ``absorb()`` (called
at the start of the questionnaire's run, before anything is drawn) reads the editor's widgets, saves the
valid part through ``Profile.with_evidence`` and remembers the rest: a document without a name, a date
out of range, control characters or more than ``MAX_EVIDENCE_REFS`` documents get a message naming the
question and the row, and stay on screen until corrected. Everything the user wrote reaches Markdown
through ``md_literal``; only an http(s) location becomes a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import streamlit as st
from pydantic import ValidationError

from ccl.errors import ErrorCode, Problem
from ccl.i18n import Lang, evidence_line, evidence_ref_text, problem_message, t
from ccl.materials import Checklist
from ccl.profile import DATE_MAX, DATE_MIN, MAX_EVIDENCE_REFS, Evidence, EvidenceRef, validation_problems
from ui import auth, deferred, state
from ui.context import PageContext
from ui.escape import md_literal

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("name", "location", "date")
Row = dict[str, Any]
OPEN = "ev.open"  # dict[company key, question]: the question whose editor is open
EDITORS = "ev.editors"  # dict[(company key, question), Editor]
SHOWN_REFS = 3  # documents named in a summary line; the others are counted
NOTE_SHOWN = 80  # characters of the note in a summary line
_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)


# --- reading what was typed (pure) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing to fix in an editor: ``kind`` is value | no_name | too_many | note."""

    kind: str
    row: int | None = None  # 1-based position in the table as the user sees it
    column: str | None = None  # name | location | date
    problem: Problem | None = None
    count: int = 0  # too_many: documents typed


def rows_of(evidence: Evidence | None) -> list[Row]:
    """The table rows that show stored documents."""
    if evidence is None:
        return []
    return [{"name": r.name, "location": r.location, "date": r.date} for r in evidence.refs]


def apply_edits(base: list[Row], edits: Any) -> list[Row]:
    """The rows a data editor shows: its base rows with the edit state (edited, deleted, added) applied."""
    rows = [dict(r) for r in base]
    if not isinstance(edits, dict):
        return rows
    for index, change in (edits.get("edited_rows") or {}).items():
        i = int(index)
        if 0 <= i < len(rows) and isinstance(change, dict):
            rows[i].update({k: v for k, v in change.items() if k in COLUMNS})
    deleted = {int(i) for i in edits.get("deleted_rows") or ()}
    rows = [r for i, r in enumerate(rows) if i not in deleted]
    for added in edits.get("added_rows") or ():
        if isinstance(added, dict):
            rows.append({c: added.get(c) for c in COLUMNS})
    return rows


def _cell(value: Any) -> Any:
    """A cell as typed: stripped text, a date, or None for an empty cell."""
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    return text or None


def _day(value: Any) -> date | str | None:
    """A date cell: a date when it reads as one, else the text as typed (refused later)."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return value


def parse(note: str | None, rows: list[Row], kept_note: str | None = None) -> tuple[Evidence, tuple[RowProblem, ...]]:
    """The valid part of what was typed, and every problem of the rest.

    A blank row is ignored; a row with a problem is left out (the others are kept); a refused note
    leaves ``kept_note`` (the note saved before) in place.
    """
    problems: list[RowProblem] = []
    text = _cell(note)
    if text is not None:
        try:
            Evidence(note=text)
        except ValidationError as exc:
            problems += [RowProblem("note", problem=p) for p in validation_problems(exc)]
            text = kept_note
    typed = [(i, [_cell(row.get(c)) for c in COLUMNS]) for i, row in enumerate(rows, start=1)]
    typed = [(i, cells) for i, cells in typed if any(c is not None for c in cells)]  # blank rows do not count
    if len(typed) > MAX_EVIDENCE_REFS:
        problems.append(RowProblem("too_many", row=typed[MAX_EVIDENCE_REFS][0], count=len(typed)))
    refs: list[EvidenceRef] = []
    for i, (name, location, day) in typed[:MAX_EVIDENCE_REFS]:
        found = _row_problems(i, name, location, _day(day))
        if found:
            problems += found
        else:
            refs.append(EvidenceRef(name=name, location=location, date=_day(day)))
    return Evidence(note=text, refs=tuple(refs)), tuple(problems)


def _row_problems(row: int, name: str | None, location: str | None, day: date | str | None) -> list[RowProblem]:
    found: list[RowProblem] = []
    if name is None:
        found.append(RowProblem("no_name", row=row))
    if isinstance(day, str):
        found.append(RowProblem("value", row, "date", Problem(ErrorCode.NOT_DATE, "date", day)))
        day = None
    elif day is not None and not DATE_MIN <= day <= DATE_MAX:
        code = ErrorCode.TOO_EARLY if day < DATE_MIN else ErrorCode.TOO_LATE
        found.append(RowProblem("value", row, "date", Problem(code, "date", day, limits=(DATE_MIN, DATE_MAX))))
        day = None
    try:
        EvidenceRef(name=name or "-", location=location, date=day)
    except ValidationError as exc:
        for p in validation_problems(exc):
            column = p.field if p.field in COLUMNS else None
            if not (column == "name" and name is None):
                found.append(RowProblem("value", row, column, p))
    return found


def problem_lines(question: str, problems: tuple[RowProblem, ...], lang: Lang) -> list[str]:
    """Each problem as a sentence naming the question and the row (Markdown: user text made literal)."""
    lines = []
    for p in problems:
        if p.kind == "no_name":
            lines.append(t("evidence_ui.no_name", lang, question=question, row=p.row))
        elif p.kind == "too_many":
            lines.append(
                t("evidence_ui.too_many", lang, question=question, max=MAX_EVIDENCE_REFS, n=p.count, row=p.row)
            )
        else:
            assert p.problem is not None
            shown = Problem(p.problem.code, p.problem.field, _literal_value(p.problem.value), limits=p.problem.limits)
            message = problem_message(shown, lang)
            if p.kind == "note":
                lines.append(t("evidence_ui.note_problem", lang, question=question, problem=message))
            else:
                column = t(f"evidence.{'doc' if p.column == 'name' else p.column or 'doc'}", lang)
                lines.append(
                    t("evidence_ui.row_problem", lang, question=question, row=p.row, column=column, problem=message)
                )
    return lines


def _literal_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return md_literal(value) if isinstance(value, str) else value


# --- showing evidence --------------------------------------------------------------------------------


def location_markdown(location: str) -> str:
    """Where a document is kept, literally; a link only when it is a plain http(s) address."""
    if _URL.fullmatch(location) and urlsplit(location).netloc:
        href = quote(location, safe=":/?#@!$&*+,;=%~-._")  # brackets, quotes and spaces never end the link
        shown = location.split("://", 1)[1].rstrip("/")  # the address without its scheme reads as a place
        return f"[{md_literal(shown)}]({href})"
    return md_literal(location)


@dataclass(frozen=True, slots=True)
class _Shown:
    name: str
    location: str | None
    date: date | None


def ref_markdown(ref: EvidenceRef, lang: Lang) -> str:
    """One document as Markdown: the shared wording, its name literal, an http(s) location clickable."""
    location = location_markdown(ref.location) if ref.location else None
    return evidence_ref_text(_Shown(md_literal(ref.name), location, ref.date), lang)


def summary_markdown(evidence: Evidence, lang: Lang) -> str:
    """One line under an answer: the first documents, how many more, and the start of the note."""
    sep = "；" if lang == "zh" else "; "
    parts = [ref_markdown(r, lang) for r in evidence.refs[:SHOWN_REFS]]
    if len(evidence.refs) > SHOWN_REFS:
        parts.append(t("evidence_ui.more", lang, n=len(evidence.refs)))
    line = sep.join(parts)
    if evidence.note:
        note = evidence.note if len(evidence.note) <= NOTE_SHOWN else evidence.note[: NOTE_SHOWN - 1] + "…"
        colon = "：" if lang == "zh" else ": "
        line = (line + " · " if line else "") + t("evidence.note", lang) + colon + md_literal(note)
    return f":material/attach_file: {line}"


def plain_line(evidence: Evidence | None, lang: Lang) -> str:
    """The documents then the note, as plain text on one line (a table cell); "—" when there is none."""
    return evidence_line(evidence, lang)


def button_label(evidence: Evidence | None, lang: Lang, unsaved: bool = False) -> str:
    """ "备注与证据", with the number of documents and whether there is a note ("备注与证据 · 证据 2")."""
    parts = [t("evidence_ui.button", lang)]
    if evidence is not None and evidence.refs:
        n = len(evidence.refs)
        parts.append(t("evidence_ui.count_one" if n == 1 else "evidence_ui.count", lang, n=n))
    if evidence is not None and evidence.note:
        parts.append(t("evidence_ui.with_note", lang))
    if unsaved:
        parts.append(f":orange[{t('evidence_ui.unsaved_mark', lang)}]")
    return " · ".join(parts)


# --- the editor in the session -----------------------------------------------------------------------


@dataclass(slots=True)
class Editor:
    """What one question's editor holds: what was typed, and what it was drawn from."""

    ver: int  # part of the widget keys: a new number draws a fresh editor
    note: str
    rows: list[Row]
    base: list[Row] = field(default_factory=list)  # the rows the data editor was drawn from
    saved: Evidence | None = None  # the profile's evidence after our last write (or when opened)
    problems: tuple[RowProblem, ...] = ()


def _editors() -> dict[tuple[str, str], Editor]:
    return st.session_state.setdefault(EDITORS, {})


def open_field() -> str | None:
    return st.session_state.setdefault(OPEN, {}).get(state.current_key())


def _keys(question: str, ver: int) -> tuple[str, str]:
    return f"evn:{question}:{ver}", f"evt:{question}:{ver}"


def _new_editor(evidence: Evidence | None) -> Editor:
    ver = st.session_state.get("ev.ver", 0) + 1
    st.session_state["ev.ver"] = ver
    return Editor(ver=ver, note=(evidence.note or "") if evidence else "", rows=rows_of(evidence), saved=evidence)


def absorb() -> None:
    """Take what was typed into the open editor (before anything is drawn): save the valid part.

    When nothing was typed but the answer's evidence changed elsewhere (a draft restored, a reset),
    the editor starts again from the profile.
    """
    question = open_field()
    key = (state.current_key(), question or "")
    ed = _editors().get(key) if question else None
    if ed is None or question is None:
        return
    ss = st.session_state
    note_key, table_key = _keys(question, ed.ver)
    note = ss.get(note_key, ed.note)
    rows = apply_edits(ed.base, ss[table_key]) if table_key in ss else ed.rows
    current = state.profile().evidence.get(question)
    if (note, rows) == (ed.note, ed.rows):
        if current != ed.saved and not ed.problems:
            _editors()[key] = _new_editor(current)
        return
    ed.note, ed.rows = note or "", rows
    evidence, ed.problems = parse(ed.note, rows, current.note if current else None)
    if evidence != (current or Evidence()):
        before = state.sidebar_signature()
        state.set_profile(state.profile().with_evidence(question, evidence))
        if state.sidebar_signature() != before:  # "unsaved changes" in the sidebar
            ss[state.APP_RERUN] = True
    ed.saved = state.profile().evidence.get(question)


def _toggle(question: str) -> None:
    absorb()  # what was typed in the editor that closes is kept
    opened = st.session_state.setdefault(OPEN, {})
    company = state.current_key()
    was = opened.get(company)
    if was is not None:
        ed = _editors().get((company, was))
        if ed is not None and not ed.problems:
            del _editors()[(company, was)]
    if was == question:
        opened.pop(company, None)
        return
    opened[company] = question
    if (company, question) not in _editors():
        _editors()[(company, question)] = _new_editor(state.profile().evidence.get(question))


def forget(company: str) -> None:
    """A closed company leaves no editor behind."""
    for key in [k for k in _editors() if k[0] == company]:
        del _editors()[key]
    st.session_state.setdefault(OPEN, {}).pop(company, None)


state.on_close(forget)


# --- drawing -----------------------------------------------------------------------------------------


def block(ctx: PageContext, question: str) -> None:
    """Under a question: its evidence on one line (if any) and the button opening its editor."""
    evidence = ctx.profile.evidence.get(question)
    if evidence is not None:
        st.caption(summary_markdown(evidence, ctx.lang))
    is_open = open_field() == question
    ed = _editors().get((state.current_key(), question))
    st.button(
        ctx.tr("evidence_ui.close") if is_open else button_label(evidence, ctx.lang, bool(ed and ed.problems)),
        key=f"evb:{question}",
        icon=":material/expand_less:" if is_open else ":material/attach_file:",
        type="tertiary",
        on_click=_toggle,
        args=(question,),
    )


def editor(ctx: PageContext, question: str) -> None:
    """The open question's note and documents, the width of the page (drawn under its row of questions)."""
    ed = _editors().get((state.current_key(), question))
    if ed is None:
        return
    refused = auth.refused_help("save")  # a viewer reads, never writes
    note_key, table_key = _keys(question, ed.ver)
    if table_key not in st.session_state:  # a fresh editor shows what was typed so far
        ed.base = [dict(r) for r in ed.rows]
    st.session_state[note_key] = ed.note
    with st.container(border=True, key=f"ev-box-{question}"):
        label = ctx.catalog.questions[question].label(ctx.lang)
        st.markdown(f"**{ctx.tr('evidence.title')}** · {label}")
        st.text_area(
            ctx.tr("evidence.note"),
            key=note_key,
            height=68,
            max_chars=2000,
            placeholder=ctx.tr("evidence_ui.note_placeholder"),
            disabled=refused is not None,
        )
        st.data_editor(
            _frame(ed.base),
            key=table_key,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            disabled=refused is not None,
            column_config=_columns(ctx),
            placeholder="",  # an empty cell, not "None"
            alt=f"{ctx.tr('evidence.title')} · {label}",
        )
        if ed.problems:
            lines = problem_lines(label, ed.problems, ctx.lang)
            st.error("\n\n".join(lines), icon=":material/error:")
            st.caption(ctx.tr("evidence_ui.kept"))
        st.caption(ctx.tr("evidence_ui.viewer", role=_role(ctx)) if refused else ctx.tr("evidence_ui.table_help"))


def _role(ctx: PageContext) -> str:
    return ctx.tr(f"auth.role.{auth.access().role}")


def _frame(rows: list[Row]) -> pd.DataFrame:
    pd = deferred.pandas()
    data = {c: pd.Series([_shown_cell(c, r.get(c)) for r in rows], dtype="object") for c in COLUMNS}
    return pd.DataFrame(data, columns=list(COLUMNS))


def _shown_cell(column: str, value: Any) -> Any:
    """A typed value as the table can show it (a date column holds dates: unreadable text is left out)."""
    if column != "date" or value is None:
        return value
    day = _day(_cell(value))
    return day if isinstance(day, date) else None


def _columns(ctx: PageContext) -> dict[str, Any]:
    fmt = ctx.date_input_format
    return {
        # the three fit the page at 1024 px (short headers, the full ones as help); long text opens on a click
        "name": st.column_config.TextColumn(
            ctx.tr("evidence.doc"), help=ctx.tr("evidence_ui.doc_help"), width=200, max_chars=200
        ),
        "location": st.column_config.TextColumn(
            ctx.tr("evidence_ui.col_location"), help=ctx.tr("evidence.location"), width=180, max_chars=500
        ),
        "date": st.column_config.DateColumn(
            ctx.tr("evidence_ui.col_date"),
            help=ctx.tr("evidence.date"),
            min_value=DATE_MIN,
            max_value=DATE_MAX,
            format=fmt,
            width=110,
        ),
    }


def unevidenced_note(ctx: PageContext, cl: Checklist) -> None:
    """A gentle word on the documents answered "ready" that no recorded document backs up."""
    docs = cl.unevidenced
    if not docs:
        return
    names = {d.id: d.name(ctx.lang) for d in ctx.catalog.documents}
    quoted = [f"「{names[d.id]}」" if ctx.lang == "zh" else f"“{names[d.id]}”" for d in docs]
    st.info(
        ctx.tr_n(
            "evidence_ui.unevidenced",
            len(docs),
            docs=("、" if ctx.lang == "zh" else ", ").join(quoted),
            section=ctx.dim_name("materials"),
        ),
        icon=":material/attach_file:",
    )
