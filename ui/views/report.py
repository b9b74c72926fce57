"""The Report page's machinery: workbook bytes built on demand (cached), and uploads read before they apply.

An upload is read once, when the file is chosen; the result (a Profile or the error) waits in session
state under ``PENDING`` until the user replaces the current answers, opens it as a new company or
cancels. Nothing in the session changes before that, and a bad file only ever produces a message.
The diff against the current answers is drawn on every run, so it follows company and language
switches while the upload waits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from ccl.diff import AnswerChange, evaluation_diff, profile_diff
from ccl.engine import Evaluation
from ccl.errors import ErrorCode, Problem, ProfileError
from ccl.excel.common import XLSX_MIME
from ccl.excel.report import SHEETS, build_report, build_report_preview, report_filename
from ccl.excel.template import build_template, section_title, template_filename
from ccl.filenames import safe_file_part
from ccl.i18n import (
    Lang,
    conflict_text,
    fmt_date,
    fmt_score,
    fmt_score_change,
    plan_change_parts,
    problem_message,
    status_label,
    t,
)
from ccl.intake import read_profile_bytes
from ccl.limits import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, UPLOADER_MB
from ccl.pdf.brief import pdf_filename
from ccl.pdf.fonts import PACKAGE as FONT_PACKAGE
from ccl.pdf.fonts import font_file
from ccl.profile import Profile, dump_profile, parse_profile_json
from ccl.timeline import ReviewAnchor
from ui import state
from ui.blocks import STATUS_BADGE
from ui.cache import evaluate, get_engine, profile_key
from ui.changes import NA_PREFIX, answer_value, question_label
from ui.context import PageContext
from ui.escape import md_literal, md_values

PDF_MIME = "application/pdf"
PENDING = "rp:pending"  # Upload waiting for the user's decision
FLASH = state.page_message("rp:flash")  # (locale key, n, kwargs): what the last decision did, shown once
ROUND = "rp:round"  # part of the uploader's key: a new key empties the box once a file is dealt with
# Accepted by the upload box so that a wrong spreadsheet gets a message saying how to fix it (Streamlit's
# own type filter would refuse it with an untranslated one).
_PLAIN_PATH = re.compile(r"[\w.! ()]*")  # Sheet!C4 (section.field), a.b_c: nothing Markdown would act on
_LINE = re.compile(r"\(line (\d+)\)$")
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Upload:
    """A file read from the upload box: its answers, or why they cannot be used."""

    name: str
    profile: Profile | None = None
    error: ProfileError | None = None


# --- workbook bytes (built when a download is clicked, cached by the answers) ----------------------


@st.cache_data(show_spinner=False, max_entries=32)
def report_bytes(profile_json: str, start: date, anchor: ReviewAnchor, lang: Lang, generated_on: date) -> bytes:
    """The readiness report of a profile (JSON) as .xlsx bytes."""
    ev = evaluate(parse_profile_json(profile_json, "session"), start, anchor)
    return build_report(ev, get_engine(), lang, generated_on)


@st.cache_data(show_spinner=False, max_entries=32)
def brief_bytes(profile_json: str, start: date, anchor: ReviewAnchor, lang: Lang, generated_on: date) -> bytes:
    """The PDF brief of a profile (JSON) as bytes (the font is checked before the button is offered)."""
    from ccl.pdf.render import build_pdf  # ReportLab loads when a PDF is first asked for

    ev = evaluate(parse_profile_json(profile_json, "session"), start, anchor)
    return build_pdf(ev, get_engine(), lang, generated_on)


@st.cache_data(show_spinner=False, max_entries=32)
def template_bytes(lang: Lang, profile_json: str | None = None) -> bytes:
    """The questionnaire as .xlsx bytes: blank, or pre-filled with a profile (JSON)."""
    prof = parse_profile_json(profile_json, "session") if profile_json else None
    return build_template(get_engine(), lang, prof)


@st.cache_data(show_spinner=False, max_entries=32)
def preview_frames(profile_json: str, start: date, anchor: ReviewAnchor, lang: Lang) -> dict[str, pd.DataFrame]:
    """Sheet name → table, as the report for this profile would hold them."""
    ev = evaluate(parse_profile_json(profile_json, "session"), start, anchor)
    return build_report_preview(ev, get_engine(), lang)


@dataclass(frozen=True, slots=True)
class Download:
    """One download card: what it is, the file name, and its contents (or how to build them)."""

    key: str  # locale key report_page.<key>_label, widget key rp:dl:<key>
    description: str
    file_name: str
    data: Callable[[], bytes | str] | None  # None: cannot be made here (``description`` says why)
    mime: str
    icon: str


def json_filename(profile: Profile, lang: Lang, today: date) -> str:
    """``<company>_答卷_<ISO date>.json``."""
    company = safe_file_part(profile.company.name or t("app.unnamed", lang))
    return f"{company}_{t('report_page.json_stem', lang)}_{today.isoformat()}.json"


def downloads(ctx: PageContext, today: date) -> list[Download]:
    """The report, the blank and the pre-filled questionnaire, and the answers as JSON.

    Contents are passed as callables: Streamlit builds them only when their button is clicked.
    """
    pj, lang = profile_key(ctx.profile), ctx.lang
    start, anchor = state.start_date(), state.review_anchor()
    unanswered = len(ctx.ev.assessment.unanswered)
    return [
        Download(
            "report",
            ctx.tr("report_page.report_desc", n=len(SHEETS)),
            report_filename(ctx.ev, lang, today),
            partial(report_bytes, pj, start, anchor, lang, today),
            XLSX_MIME,
            ":material/summarize:",
        ),
        _brief_download(ctx, today),
        Download(
            "template",
            ctx.tr("report_page.template_desc"),
            template_filename(lang),
            partial(template_bytes, lang),
            XLSX_MIME,
            ":material/assignment:",
        ),
        Download(
            "prefilled",
            ctx.tr_n("report_page.prefilled_desc", unanswered)
            if unanswered
            else ctx.tr("report_page.prefilled_complete"),
            template_filename(lang, ctx.profile),
            partial(template_bytes, lang, pj),
            XLSX_MIME,
            ":material/edit_document:",
        ),
        Download(
            "json",
            ctx.tr("report_page.json_desc"),
            json_filename(ctx.profile, lang, today),
            partial(dump_profile, ctx.profile),
            "application/json",
            ":material/data_object:",
        ),
    ]


def _brief_download(ctx: PageContext, today: date) -> Download:
    """The PDF brief, or why it cannot be made on this server (no CJK font to embed)."""
    pj, lang = profile_key(ctx.profile), ctx.lang
    name = pdf_filename(ctx.ev, lang, today)
    if font_file() is None:
        missing = ctx.tr("pdf.missing_font", package=FONT_PACKAGE)
        return Download("brief", missing, name, None, PDF_MIME, ":material/picture_as_pdf:")
    data = partial(brief_bytes, pj, state.start_date(), state.review_anchor(), lang, today)
    return Download("brief", ctx.tr("report_page.brief_desc"), name, data, PDF_MIME, ":material/picture_as_pdf:")


def preview(ctx: PageContext) -> dict[str, pd.DataFrame]:
    """The report's tables for the current answers (cached)."""
    return preview_frames(profile_key(ctx.profile), state.start_date(), state.review_anchor(), ctx.lang)


# --- reading an upload -----------------------------------------------------------------------------


def upload_limit_mb() -> int:
    """The largest file the app reads, in MB (the one limit of ``ccl.intake``, shown beside the box)."""
    return MAX_UPLOAD_MB


def uploader_limit_mb() -> int:
    """What the upload box itself lets through: a little more, so the app's translated message says no."""
    return UPLOADER_MB


def handle_upload(name: str, data: bytes) -> Upload:
    """Read an uploaded file and keep the result as the pending upload (the answers stay untouched)."""
    try:
        result = Upload(name, profile=read_profile_bytes(name, data, get_engine().catalog, MAX_UPLOAD_BYTES))
    except ProfileError as err:
        result = Upload(name, error=err)
    except Exception:  # untrusted input: whatever slipped past the readers is a message, not a traceback
        _LOG.exception("upload %r could not be read", name)  # for the maintainers, in the server log
        result = Upload(name, error=ProfileError(name, code=ErrorCode.INTERNAL))
    st.session_state[PENDING] = result
    st.session_state.pop(FLASH, None)
    return result


def pending() -> Upload | None:
    return st.session_state.get(PENDING)


def uploader_key() -> str:
    return f"rp:upload:{st.session_state.get(ROUND, 0)}"


def on_upload_change() -> None:
    """The upload box changed: read the new file, or forget the pending one when the file was removed."""
    file = st.session_state.get(uploader_key())
    if file is None:
        st.session_state.pop(PENDING, None)
        return
    handle_upload(file.name, file.getvalue())


# --- the user's decision ---------------------------------------------------------------------------


def _done(flash: tuple[str, int, dict[str, Any]] | None) -> None:
    st.session_state.pop(PENDING, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    if flash:
        st.session_state[FLASH] = flash


def replace_current() -> None:
    """Put the pending answers in place of the current company's answers."""
    up = pending()
    if up is None or up.profile is None:
        return
    n = len(profile_diff(state.profile(), up.profile))
    state.set_profile(up.profile)
    # answers the questionnaire rejected earlier would otherwise be retried over the imported ones
    state.field_errors().clear()
    state.na_pending().clear()
    _done(("report_page.replaced", n, {"file": up.name, "company": state.company_label(state.current_key())}))


def open_as_new() -> None:
    """Open the pending answers as a new company beside the open ones."""
    up = pending()
    if up is None or up.profile is None:
        return
    same = state.open_key_with(up.profile)
    if same is not None:  # the same answers are open already: show that company rather than a copy
        state.open_company(same, up.profile)
        state.messages_follow_current()
        _done(("report_page.already_open", 0, {"file": up.name, "company": state.company_label(same)}))
        return
    st.session_state[state.BLANK_COUNT] += 1  # numbered like "new company" in the sidebar
    key = f"blank:{st.session_state[state.BLANK_COUNT]}"
    state.open_company(key, up.profile)
    state.messages_follow_current()
    _done(("report_page.opened_new", 0, {"file": up.name, "company": state.company_label(key)}))


def cancel() -> None:
    _done(None)


# --- drawing ---------------------------------------------------------------------------------------


def show_flash(ctx: PageContext) -> None:
    """What the last decision did, once."""
    flash = st.session_state.pop(FLASH, None)
    if flash:
        key, n, kwargs = flash
        st.success(ctx.tr_n(key, n, **md_values(kwargs)), icon=":material/task_alt:")


def error_message(ctx: PageContext, err: ProfileError) -> str:
    """Every cell or question to fix, each with what is wrong, in the user's language (a list when several)."""
    lines = [problem_line(ctx, p, err.where) for p in err.problems]
    return lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)


def problem_line(ctx: PageContext, p: Problem, where: str) -> str:
    """One problem: the place (sheet and cell, or the question, by its label), then what is wrong (Markdown:
    what came from the file, the value and an unknown field's path, is made literal)."""
    if isinstance(p.value, str):
        p = replace(p, value=md_literal(p.value))
    message = problem_message(p, ctx.lang)
    place = cell_place(ctx, p.cell, p.field) if p.cell else field_place(ctx, p.field) if p.field else ""
    line = _LINE.search(where)  # bad JSON: parse_profile_json puts the line into ``where``
    if line and not place:
        place = ctx.tr("report_page.line", n=line[1])
    return f"{place}{ctx.tr('app.colon')}{message}" if place else message


def field_place(ctx: PageContext, field: str) -> str:
    """The question a JSON field path asks, by its label (the path itself when it names no question)."""
    if field.removeprefix(NA_PREFIX) not in ctx.catalog.questions:
        return _literal_path(field)
    return question_label(ctx.catalog, field, ctx.lang)


def cell_place(ctx: PageContext, cell: str, field: str) -> str:
    """``答卷!E12（注册资本（认缴））``: the cell to fix and the question it answers (no field codes)."""
    if not field:
        return _literal_path(cell)
    return _literal_path(cell) + ctx.tr("app.paren", text=field_place(ctx, field))


def _literal_path(path: str) -> str:
    """A field path or a cell as written, unless it holds characters Markdown would read (then escaped)."""
    return path if _PLAIN_PATH.fullmatch(path) else md_literal(path)


def show_pending(ctx: PageContext) -> None:
    """The pending upload: its error, "no changes", or the diff with the decision buttons."""
    up = pending()
    if up is None:
        return
    if up.error is not None:
        st.error(
            f"**{ctx.tr('report_page.read_failed', file=md_literal(up.name))}**\n\n"
            f"{error_message(ctx, up.error)}"
            f"\n\n{ctx.tr('report_page.untouched')}",
            icon=":material/error:",
        )
        st.button(ctx.tr("report_page.close"), key="rp:close", on_click=cancel)
        return
    assert up.profile is not None  # an upload holds its answers or its error
    names = md_values({"file": up.name, "company": state.company_label(state.current_key(), ctx.lang)})
    changes = profile_diff(ctx.profile, up.profile)
    if not changes:
        st.info(ctx.tr("report_page.no_changes", **names), icon=":material/check:")
        st.button(ctx.tr("report_page.close"), key="rp:close", on_click=cancel)
        return
    with st.container(border=True):
        st.markdown(f"**{ctx.tr_n('report_page.diff_head', len(changes), **names)}**")
        _name_warning(ctx, up.profile)
        after = evaluate(up.profile, state.start_date(), state.review_anchor())
        _before_after(ctx, ctx.ev, after)
        _conflicts(ctx, after)
        _diff_table(ctx, changes)
        _decision(ctx)


def _conflicts(ctx: PageContext, after: Evaluation) -> None:
    """Actions the import marks done while its answers still show their gap: said before the user decides."""
    found = [i for i in after.plan if i.reopened]
    if found:
        lines = [f"- **{md_literal(i.label(ctx.lang))}**：{conflict_text(ctx.catalog, i, ctx.lang)}" for i in found]
        if ctx.lang != "zh":
            lines = [line.replace("**：", "**: ") for line in lines]
        st.warning(ctx.tr_n("report_page.conflicts", len(found)) + "\n\n" + "\n".join(lines), icon=":material/rule:")


def _name_warning(ctx: PageContext, new: Profile) -> None:
    current, imported = ctx.profile.company.name, new.company.name
    if current and imported and current.strip() != imported.strip():
        names = md_values({"imported": imported, "current": current})
        st.warning(ctx.tr("report_page.name_differs", **names), icon=":material/warning:")


def _before_after(ctx: PageContext, old: Evaluation, new: Evaluation) -> None:
    """Score, readiness, licence date and gaps after the import, each with today's value beneath."""
    d = evaluation_diff(old, new)
    lang = ctx.lang

    def score(ev: Evaluation) -> str:
        return f"{fmt_score(ev.assessment.overall, lang)} / 100"

    def status(s: str) -> str:
        return f":{STATUS_BADGE[s]}-badge[{status_label(s, lang)}]"

    def licence(x: date | None) -> str:
        return fmt_date(x, lang) if x else t("licence.pending", lang)

    delta = ctx.tr("app.paren", text=fmt_score_change(d.overall_delta, lang)) if d.overall_delta else ""
    cards = [
        ("score", score(new) + delta, score(old)),
        ("status", status(d.status_after), status(d.status_before)),
        ("licence", licence(d.licence_after), licence(d.licence_before)),
        ("gaps", str(len(new.assessment.gaps)), str(len(old.assessment.gaps))),
    ]
    for column, (key, after, before) in zip(st.columns(len(cards)), cards, strict=True):
        with column.container(border=True, height="stretch"):
            st.caption(ctx.tr(f"report_page.{key}"))
            st.markdown(f"##### {after}")
            st.caption(ctx.tr("report_page.now", value=before))


def diff_frame(ctx: PageContext, changes: tuple[AnswerChange, ...]) -> pd.DataFrame:
    """One row per changed answer: section, question, current answer, answer after the import."""
    rows = [_diff_row(ctx, c) for c in changes]
    return pd.DataFrame(rows, columns=["section", "question", "before", "after"])


def _diff_row(ctx: PageContext, change: AnswerChange) -> dict[str, str]:
    cat, lang = ctx.catalog, ctx.lang
    section = change.field.removeprefix(NA_PREFIX).split(".", 1)[0]
    where, what = section_title(section, cat, lang), question_label(cat, change.field, lang)
    parts = plan_change_parts(change.field)
    if parts is not None:  # "Action plan" | "Due date · <action>": the part first, visible before a long name
        action_id, part = parts
        where, what = t("plan.title", lang), question_label(cat, f"plan.{action_id}", lang)
        if part:
            what = t("report_plan.diff_part", lang, part=t(f"plan.part.{part}", lang), action=what)
    elif section == "evidence":  # "Notes and evidence" | the question
        where, what = t("evidence.title", lang), question_label(cat, change.field[len("evidence.") :], lang)
    return {
        "section": where,
        "question": what,
        "before": answer_value(cat, change.field, change.old, lang),
        "after": answer_value(cat, change.field, change.new, lang),
    }


def _diff_table(ctx: PageContext, changes: tuple[AnswerChange, ...]) -> None:
    st.dataframe(
        diff_frame(ctx, changes),
        hide_index=True,
        width="stretch",
        key="rp:diff",
        column_config={
            "section": st.column_config.TextColumn(ctx.tr("report_page.col_section"), width="small"),
            "question": st.column_config.TextColumn(ctx.tr("report_page.col_question"), width="medium"),
            "before": st.column_config.TextColumn(ctx.tr("report_page.col_before"), width="medium"),
            "after": st.column_config.TextColumn(ctx.tr("report_page.col_after"), width="medium"),
        },
    )


def _decision(ctx: PageContext) -> None:
    with st.container(horizontal=True, gap="small"):
        st.button(
            ctx.tr("report_page.replace"),
            key="rp:replace",
            type="primary",
            on_click=replace_current,
            icon=":material/sync_alt:",
            help=ctx.tr("report_page.replace_help"),
        )
        st.button(
            ctx.tr("report_page.open_new"),
            key="rp:open_new",
            on_click=open_as_new,
            icon=":material/add_business:",
            help=ctx.tr("report_page.open_new_help"),
        )
        st.button(ctx.tr("report_page.cancel"), key="rp:cancel", on_click=cancel, icon=":material/close:")
