"""Portfolio page, for administrators: deleted clients (restore within the window) and the audit log.

Deleting is soft (``Store.delete_client``); clients deleted longer ago than the restore window are
purged at the next deletion (until then they are already out of reach), and the purge is in the log.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ccl import clock
from ccl.excel.audit import audit_csv, audit_headers, audit_rows, audit_xlsx
from ccl.store import fmt_saved_at
from ccl.store.models import SignIn
from ui import auth, state
from ui.context import PageContext
from ui.session import store_state as ss
from ui.views.store import query, run_action

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sections(ctx: PageContext) -> None:
    """The two sections, each for whoever may use it; lazy: read from the database only while open."""
    acc = auth.access()
    if acc.can("restore"):
        with st.expander(
            ctx.tr("trash.title"), key="pf:trash", on_change="rerun", icon=":material/restore_from_trash:"
        ) as box:
            if box.open:
                trash(ctx)
    if acc.can("audit"):
        with st.expander(
            ctx.tr("audit.title"), key="pf:audit", on_change="rerun", icon=":material/history_edu:"
        ) as box:
            if box.open:
                audit(ctx)
    if acc.enabled and acc.can("audit"):
        with st.expander(
            ctx.tr("sign_ins.title"), key="pf:sign_ins", on_change="rerun", icon=":material/badge:"
        ) as box:
            if box.open:
                sign_ins(ctx)


def _end_sign_ins(email: str) -> None:
    acc = auth.access()
    if run_action(lambda store: store.end_sign_ins_of(email, acc.email, acc.home)) is not None:
        ss.notify("success", state.tr("sign_ins.ended", email=email))


def sign_ins(ctx: PageContext) -> None:
    """Who is signed in (last seen), each user with a button that ends all their sign-ins at once."""
    running = query(lambda store: store.running_sign_ins())
    st.caption(ctx.tr("sign_ins.intro"))
    latest: dict[str, SignIn] = {}
    for s in running:  # most recently seen first: one line per user
        latest.setdefault(s.email, s)
    if not latest:
        st.caption(ctx.tr("sign_ins.none"))
    for email, s in latest.items():
        line, button = st.columns([4, 1], vertical_alignment="center")
        line.text(f"{email} · {ctx.tr('sign_ins.seen')} {fmt_saved_at(s.last_seen_at, ctx.lang)}")
        button.button(
            ctx.tr("sign_ins.end"),
            key=f"pf:end_sign_ins:{email}",
            icon=":material/logout:",
            on_click=_end_sign_ins,
            args=(email,),
            width="stretch",
            disabled=email == auth.access().email,
        )


def _restore(client_id: int, name: str) -> None:
    acc, by = auth.access(), ss.saved_by()
    done = run_action(lambda store: store.restore_client(client_id, by, acc.workspaces, days=acc.restore_days))
    if done is None:  # the database was unreachable: the outage message says so
        return
    ss.wrote()
    ss.notify("success" if done else "error", state.tr("trash.restored" if done else "trash.not_restored", name=name))


def trash(ctx: PageContext) -> None:
    """The clients deleted within the restore window, each with a Restore button."""
    acc = auth.access()
    deleted = query(lambda store: store.deleted_clients(acc.workspaces, days=acc.restore_days))
    st.caption(ctx.tr("trash.intro", days=acc.restore_days))
    if not deleted:
        st.caption(ctx.tr("trash.none", days=acc.restore_days))
        return
    for d in deleted:
        name = d.name or ctx.tr("store.unnamed", id=d.id)
        line, button = st.columns([4, 1], vertical_alignment="center")
        line.text(
            f"{name} · {d.workspace or '—'} · {fmt_saved_at(d.deleted_at, ctx.lang)} · "
            f"{ctx.tr('trash.col_versions')} {d.versions}"
        )
        button.button(
            ctx.tr("trash.restore"),
            key=f"pf:restore:{d.id}",
            icon=":material/restore_from_trash:",
            on_click=_restore,
            args=(d.id, name),
            width="stretch",
        )


def audit(ctx: PageContext) -> None:
    """The audit log as a table, downloadable as CSV or Excel."""
    entries = query(lambda store: store.audit_entries(auth.access().workspaces))
    st.caption(ctx.tr("audit.intro"))
    if not entries:
        st.caption(ctx.tr("audit.none"))
        return
    st.dataframe(
        pd.DataFrame(audit_rows(entries, ctx.lang), columns=audit_headers(ctx.lang)),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(entries), 400),
    )
    stem, lang = f"{ctx.tr('audit.file')}_{clock.today().isoformat()}", ctx.lang
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            ctx.tr("audit.download_csv"),
            lambda: audit_csv(entries, lang),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="pf:audit_csv",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            ctx.tr("audit.download_xlsx"),
            lambda: audit_xlsx(entries, lang),
            file_name=f"{stem}.xlsx",
            mime=XLSX_MIME,
            key="pf:audit_xlsx",
            on_click="ignore",
            icon=":material/table_view:",
        )
