"""Portfolio page helpers: filters, the clients table (a click opens a client), export, delete, batch import.

Reads go through ``ui.views.store.query`` (an outage stops the page with the message and the download);
writes through ``run_action`` in callbacks, except the batch import, which runs in the script so that
its progress bar moves.
"""

from __future__ import annotations

import gc
import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from ccl import clock
from ccl.batch import BatchResult, BatchTooLarge, FailedFile, ImportedFile, batch_limits, check_batch, import_files
from ccl.excel.common import XLSX_MIME
from ccl.excel.portfolio import export_portfolio_xlsx
from ccl.i18n import Lang, fmt_date, option_label, status_label, t
from ccl.limits import UPLOADER_MB
from ccl.portfolio import DUE_SOON_DAYS, VERDICT_ORDER, attention_order, client_label, column_header, portfolio_table
from ccl.store import ClientSummary, Store
from ui import auth, state
from ui.cache import get_engine
from ui.context import PageContext
from ui.escape import md_literal
from ui.exports import logged
from ui.session import store_state as ss
from ui.tables import WRAP_ROW_HEIGHT
from ui.views.store import query, run_action

SCOPES = ("provincial", "cross_regional")
DELETE_PENDING = "pf.delete_pending"  # the client id awaiting confirmation
IMPORT_REPORT = state.page_message("pf.import_report")  # the last batch import (ImportReport)
TABLE_ROUND = "pf.table_round"  # bumped after opening a client: a new table key clears its selection
UPLOAD_ROUND = "pf.upload_round"  # bumped after an import: a new uploader key empties it
DATE_FORMAT = {"zh": "YYYY年M月D日", "en": "D MMM YYYY"}
# Column widths (px). The key columns come first and fit whole beside the sidebar at 1024 px (a grid
# 564 px wide, of which the selection column takes 33): company, readiness, score, licence date, next
# deadline's date — 526 px in both languages (a date as wide as 2027年12月31日). A Chinese company
# name and readiness wrap onto further lines (WRAP_ROW_HEIGHT) rather than being cut; the grid does not
# wrap a Latin readiness ("Blocked: cannot apply yet"), so in English it gets one line's width and the
# company wraps more. The rest follows, reachable by a sideways scroll; the version is left out here:
# the History page shows it.
_REST = {"next_deadline": 260, "blockers": 70, "province": 80, "last_saved": 140}
WIDTHS: dict[Lang, dict[str, int]] = {
    "zh": {"company": 140, "status": 96, "overall": 60, "licence_date": 115, "next_deadline_due": 115, **_REST},
    "en": {"company": 120, "status": 170, "overall": 56, "licence_date": 90, "next_deadline_due": 90, **_REST},
}
KEY_COLUMNS = ("company", "status", "overall", "licence_date", "next_deadline_due")
# columns shown under a shorter heading than the exported table's, the full meaning in the tooltip
SHORT_HEADS = ("overall", "licence_date", "next_deadline_due", "next_deadline")
DATES = ("licence_date", "next_deadline_due", "plan_next_due")  # shown as 年月日 / local dates, "—" when none
TABLE_ROWS = 6  # rows in view before the table scrolls
HEADER_PX = 38
# The same table showing the plan instead (the "view" switch): who needs a call this week.
# Most pressing first, so they stay in view on a narrow screen; the company column stays pinned. The
# deadline's date has a column of its own, as in the readiness view: the grid may leave an English
# deadline on one line, cut before its date, in a table that holds Chinese names (it measures only the
# first characters of a line, as many as the column's width holds at their average width so far).
PLAN_WIDTHS = {
    "company": 225,
    "next_deadline": 260,
    "next_deadline_due": 115,
    "plan_overdue": 76,
    "plan_due_soon": 92,
    "plan_next_due": 122,
    "plan_open": 76,
    "status": 165,
    "last_saved": 140,
}
VIEWS = ("readiness", "plan")
NO_COUNT, NO_DATE = -1, date.max  # a plan not recorded: sorts apart, shown as "—"
PLAN_HELP = {
    "plan_open": "open_help",
    "plan_overdue": "overdue_help",
    "plan_due_soon": "due_soon_help",
    "plan_next_due": "next_due_help",
}
# Okabe–Ito vermillion and orange, translucent: readable under dark and light text alike.
OVERDUE_TINT = "background-color: rgba(213, 94, 0, 0.28)"
DUE_SOON_TINT = "background-color: rgba(230, 159, 0, 0.30)"


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def list_clients() -> list[ClientSummary]:
    """Every saved client the user may see, most recently saved first (fresh from the database)."""
    clients = query(lambda store: store.list_clients(auth.access().workspaces))
    ss.saw_clients(tuple((c.id, c.name, c.latest.version) for c in clients))
    return clients


# --- filters -----------------------------------------------------------------------------------------


def filter_clients(
    clients: Sequence[ClientSummary],
    statuses: Sequence[str] = (),
    provinces: Sequence[str] = (),
    scopes: Sequence[str] = (),
    text: str = "",
    lang: Lang = "zh",
) -> list[ClientSummary]:
    """The clients matching every chosen filter (an empty choice does not filter); ``text`` searches names."""
    needle = _fold(text or "")
    return [
        c
        for c in clients
        if (not statuses or c.latest.summary.shown_verdict in statuses)
        and (not provinces or c.latest.summary.province in provinces)
        and (not scopes or c.latest.summary.scope in scopes)
        and (not needle or needle in _fold(client_label(c, lang)))
    ]


def filters(ctx: PageContext, clients: Sequence[ClientSummary]) -> list[ClientSummary]:
    """Name search, province, status and coverage filters; returns the clients to show."""
    names = {p.id: p.name(ctx.lang) for p in ctx.catalog.provinces}
    present = [p for p in names if any(c.latest.summary.province == p for c in clients)]
    search, province = st.columns([3, 2])
    text = search.text_input(
        ctx.tr("portfolio_page.search"),
        key="pf:search",
        icon=":material/search:",
        placeholder=ctx.tr("portfolio_page.search_hint"),
        persist_state="session",
    )
    # only the provinces of saved clients: few enough for pills, which show every choice picked
    provinces = province.pills(
        ctx.tr("portfolio.col.province"),
        present,
        selection_mode="multi",
        wrap=True,
        format_func=names.__getitem__,
        key="pf:province",
        persist_state="session",
    )
    status = scope = st.container(horizontal=True, gap="medium")  # pill groups wrap, never clip (as on Gaps)
    statuses = status.pills(
        ctx.tr("portfolio.col.status"),
        VERDICT_ORDER,
        selection_mode="multi",
        wrap=True,
        key="pf:status",
        format_func=lambda s: status_label(s, ctx.lang),
        persist_state="session",
    )
    scopes = scope.pills(
        ctx.tr("portfolio.col.scope"),
        SCOPES,
        selection_mode="multi",
        wrap=True,
        key="pf:scope",
        format_func=lambda s: option_label(ctx.catalog, "company.scope", s, ctx.lang),
        persist_state="session",
    )
    shown = filter_clients(clients, statuses, provinces, scopes, text, ctx.lang)
    view, order = st.columns([2, 3], vertical_alignment="center")
    view.segmented_control(
        ctx.tr("store_plan.portfolio.view"),
        VIEWS,
        default="readiness",
        required=True,
        format_func=lambda v: ctx.tr(f"store_plan.portfolio.view_{v}"),
        key="pf:view",
        label_visibility="collapsed",
        help=ctx.tr("store_plan.portfolio.view_help"),
        persist_state="session",
    )
    if order.toggle(
        ctx.tr("store_plan.portfolio.attention"),
        key="pf:attention",
        help=ctx.tr("store_plan.portfolio.attention_help"),
        persist_state="session",
    ):
        shown = attention_order(shown, clock.today())
    st.caption(ctx.tr("portfolio_page.shown", n=len(shown), total=len(clients)))
    return shown


# --- the table: one click opens a client -------------------------------------------------------------


def table_key(ids: Sequence[int]) -> str:
    """The table's widget key: new whenever the rows change, so a stale selection never opens a client."""
    digest = hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:10]
    return f"pf:table:{st.session_state.get(TABLE_ROUND, 0)}:{digest}"


def _column_config(ctx: PageContext, plan_view: bool) -> dict:
    col = st.column_config

    def head(key: str) -> str:
        return column_header(key, ctx.lang)

    def label(key: str) -> str:
        return ctx.tr(f"portfolio_page.head.{key}") if key in SHORT_HEADS else head(key)

    def tip(key: str) -> str | None:
        if key in PLAN_HELP:
            return ctx.tr(f"store_plan.portfolio.{PLAN_HELP[key]}")
        return ctx.tr(f"portfolio_page.head_help.{key}") if key in SHORT_HEADS else None

    widths = PLAN_WIDTHS if plan_view else WIDTHS[ctx.lang]
    config = {
        head(key): col.Column(label(key), width=px, help=tip(key), pinned=key == "company")
        for key, px in widths.items()
    }
    if not plan_view:
        # rounded to one decimal (ccl.portfolio) and written as every surface writes scores: 81.7 and 100,
        # never "100.0" ("%g" drops a trailing zero; "plain" printed 81.7 as 81.69999…)
        config[head("overall")] = col.NumberColumn(
            label("overall"), format="%.4g", width=widths["overall"], help=tip("overall")
        )
    config[head("last_saved")] = col.DatetimeColumn(
        head("last_saved"), format=f"{DATE_FORMAT[ctx.lang]} HH:mm", width=widths["last_saved"]
    )
    return config


def _styled(ctx: PageContext, frame: pd.DataFrame, today: date, plan_view: bool) -> Any:
    """The table for the screen: dates as the rest of the app writes them (年月日 / local), "—" for none (the
    grid shows a missing value as "None"); in the plan view, overdue actions and a next due date within the
    week tinted and "—" for a plan not recorded. A sentinel stands in for a missing value, so sorting by
    a column still sorts by the value."""
    shown = frame.copy()
    dates = [column_header(k, ctx.lang) for k in DATES]
    for name in dates:
        shown[name] = [NO_DATE if d is None or pd.isna(d) else d for d in shown[name]]
    counts = [column_header(k, ctx.lang) for k in ("plan_open", "plan_overdue", "plan_due_soon")]
    for name in counts:
        shown[name] = shown[name].fillna(NO_COUNT).astype("int64")
    styler = shown.style.format(lambda d: "—" if d == NO_DATE else fmt_date(d, ctx.lang), subset=dates)
    if not plan_view:
        return styler
    overdue, soon_col = counts[1], counts[2]
    next_due = column_header("plan_next_due", ctx.lang)
    soon = today + timedelta(days=DUE_SOON_DAYS)

    def tint_count(tint: str):
        return lambda values: [tint if v > 0 else "" for v in values]

    def tint_due(values: pd.Series) -> list[str]:
        return [DUE_SOON_TINT if v < soon else "" for v in values]

    return (
        styler.apply(tint_count(OVERDUE_TINT), subset=[overdue])
        .apply(tint_count(DUE_SOON_TINT), subset=[soon_col])
        .apply(tint_due, subset=[next_due])
        .format(lambda v: "—" if v == NO_COUNT else str(v), subset=[counts[0], soon_col])
        .format(lambda v: "—" if v == NO_COUNT else f"⚠ {v}" if v else "0", subset=[overdue])
    )


def clients_table(ctx: PageContext, shown: Sequence[ClientSummary]) -> None:
    """The clients; selecting a row opens that client as the current company."""
    today = clock.today()
    frame = portfolio_table(shown, ctx.catalog, ctx.lang, today=today)
    plan_view = st.session_state.get("pf:view") == "plan"
    event = st.dataframe(
        _styled(ctx, frame, today, plan_view),
        key=table_key(list(frame.index)),
        on_select="rerun",
        hide_index=True,
        selection_mode="single-row",
        width="stretch",
        column_config=_column_config(ctx, plan_view),
        column_order=[column_header(key, ctx.lang) for key in (PLAN_WIDTHS if plan_view else WIDTHS[ctx.lang])],
        row_height=WRAP_ROW_HEIGHT,
        height=HEADER_PX + WRAP_ROW_HEIGHT * min(len(frame), TABLE_ROWS) + 2,
    )
    rows = event.selection.rows if event is not None else []
    st.caption(ctx.tr("portfolio_page.open_hint"))
    if plan_view:
        st.caption(ctx.tr("store_plan.portfolio.tint_note"))
    if plan_view and any(not c.latest.summary.plan_tracked for c in shown):
        st.caption(ctx.tr("store_plan.portfolio.untracked_note"))
    if not rows:
        return
    client_id = int(frame.index[rows[0]])
    if run_action(lambda store: ss.open_client(store, client_id)) is not None:
        ss.notify("success", ctx.tr("portfolio_page.opened", name=md_literal(state.company_label(state.current_key()))))
    st.session_state[TABLE_ROUND] = st.session_state.get(TABLE_ROUND, 0) + 1
    st.rerun()  # the sidebar was drawn before the page: draw it again with the client as current company


# --- export and delete -------------------------------------------------------------------------------


def export_button(ctx: PageContext, clients: Sequence[ClientSummary]) -> None:
    """The whole portfolio as one workbook, built when clicked."""
    catalog, lang, everyone = ctx.catalog, ctx.lang, tuple(clients)
    file_name = f"{t('portfolio.sheet', lang)}_{clock.today().isoformat()}.xlsx"
    st.download_button(
        ctx.tr("portfolio_page.export", n=len(everyone)),
        key="pf:export",
        mime=XLSX_MIME,
        data=logged(lambda: export_portfolio_xlsx(everyone, catalog, lang), file_name, client=False),
        file_name=file_name,
        icon=":material/download:",
        on_click="ignore",
        help=ctx.tr("portfolio_page.export_help"),
    )


def _ask_delete() -> None:
    st.session_state[DELETE_PENDING] = st.session_state.get("pf:delete_pick")


def _cancel_delete() -> None:
    st.session_state[DELETE_PENDING] = None


def _delete(client_id: int, name: str) -> None:
    st.session_state[DELETE_PENDING] = None
    st.session_state["pf:delete_pick"] = None
    acc, by = auth.access(), ss.saved_by()

    def soft_delete(store: Store) -> bool:
        done = store.delete_client(client_id, by, acc.workspaces)
        store.purge_deleted(by, days=acc.restore_days)  # those deleted longer ago than the window go for good
        return done

    deleted = run_action(soft_delete)
    if deleted is None:  # the database was unreachable: the outage message says so
        return
    ss.forget_client(client_id)
    key = "portfolio_page.deleted" if deleted else "portfolio_page.already_deleted"
    ss.notify("success", state.tr(key, name=md_literal(name)))


def delete_section(ctx: PageContext, clients: Sequence[ClientSummary]) -> None:
    """Pick a client, ask to delete, then confirm: only the confirmation deletes."""
    by_id = {c.id: c for c in clients}
    pick, ask = st.columns([3, 1], vertical_alignment="bottom")
    pick.selectbox(
        ctx.tr("portfolio_page.delete_pick"),
        list(by_id),
        index=None,
        key="pf:delete_pick",
        format_func=lambda c: client_label(by_id[c], ctx.lang),
        placeholder=ctx.tr("portfolio_page.delete_placeholder"),
    )
    ask.button(
        ctx.tr("portfolio_page.delete"),
        key="pf:delete",
        icon=":material/delete:",
        width="stretch",
        on_click=_ask_delete,
        disabled=st.session_state.get("pf:delete_pick") is None or not auth.access().can("delete"),
        help=auth.refused_help("delete"),
    )
    pending_id = st.session_state.get(DELETE_PENDING)
    pending = by_id.get(pending_id) if pending_id is not None else None
    if pending is None or not auth.access().can("delete"):
        return
    name = client_label(pending, ctx.lang)
    st.warning(
        ctx.tr("portfolio_page.delete_confirm", name=md_literal(name), n=pending.versions), icon=":material/warning:"
    )
    yes, no = st.columns(2)
    yes.button(
        ctx.tr("portfolio_page.delete_yes"),
        key="pf:delete_yes",
        type="primary",
        width="stretch",
        icon=":material/delete_forever:",
        on_click=_delete,
        args=(pending.id, name),
    )
    no.button(ctx.tr("portfolio_page.delete_no"), key="pf:delete_no", on_click=_cancel_delete, width="stretch")


# --- batch import ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportReport:
    saved: tuple[ImportedFile, ...]
    failed: tuple[FailedFile, ...]  # reasons as data: shown in whichever language is picked


def batch_import(ctx: PageContext) -> None:
    """Upload many questionnaires or JSON answer files; each is scored and saved, failures listed."""
    round_no = st.session_state.get(UPLOAD_ROUND, 0)
    files = (
        st.file_uploader(
            ctx.tr("portfolio_page.upload", limits=batch_limits(ctx.lang)),
            type=["json", "xlsx"],
            accept_multiple_files=True,
            key=f"pf:upload:{round_no}",
            max_upload_size=UPLOADER_MB,
            help=ctx.tr("portfolio_page.upload_help"),
        )
        or []
    )
    too_large = _too_large(files, ctx.lang)
    if too_large:
        st.error(too_large, icon=":material/error:")
    if st.button(
        ctx.tr("portfolio_page.import", n=len(files)),
        key="pf:import",
        type="primary",
        icon=":material/upload_file:",
        disabled=not files or bool(too_large) or not auth.access().can("import"),
        help=auth.refused_help("import"),
    ):
        _run_import(ctx, files)
        st.session_state[UPLOAD_ROUND] = round_no + 1  # a new upload box: Streamlit drops the old files
        gc.collect()
        st.rerun()
    report = st.session_state.get(IMPORT_REPORT)
    if report is not None:
        import_report(report, ctx.lang)


def _too_large(files: list[Any], lang: Lang) -> str:
    try:
        check_batch(files)
    except BatchTooLarge as err:
        return err.message(lang)
    return ""


def _run_import(ctx: PageContext, files: list[Any]) -> None:
    """Score and save the uploads one at a time: each file's bytes are read when its turn comes."""
    bar = st.progress(0.0, text=ctx.tr("portfolio_page.importing", done=0, n=len(files)))

    def progress(done: int, n: int) -> None:
        bar.progress(done / max(n, 1), text=ctx.tr("portfolio_page.importing", done=done, n=n))

    home = auth.access().home  # new clients go into the user's first workspace

    def run(store: Store) -> BatchResult:
        return import_files(
            files, store, get_engine(), state.start_date(), ss.saved_by(), progress=progress, workspace=home
        )

    result = query(run)
    ss.wrote()
    st.session_state[IMPORT_REPORT] = ImportReport(tuple(result.saved), tuple(result.failed))


def import_report(report: ImportReport, lang: Lang) -> None:
    """What the last import saved (client, version, new or updated) and which files failed, and why."""
    summary = t("batch.summary", lang, saved=len(report.saved), failed=len(report.failed))
    (st.warning if report.failed else st.success)(summary, icon=":material/fact_check:")
    saved = [
        t(
            "batch.saved_line",
            lang,
            file=f.file,
            company=f.client_name,
            version=f.snapshot.version,
            action=t("batch.created" if f.created else "batch.updated", lang),
        )
        for f in report.saved
    ]
    failed = [
        t("batch.failed_line", lang, file=f.file, reason=reason) for f in report.failed for reason in f.reasons(lang)
    ]
    if saved:
        st.markdown("  \n".join(md_literal(line) for line in saved))
    if failed:
        st.error("  \n".join(md_literal(line) for line in failed), icon=":material/error:")
