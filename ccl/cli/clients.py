"""``python -m ccl clients list | import FILES... | export -o portfolio.xlsx``: the saved assessments.

The database is $CCL_DATABASE_URL, else the per-user SQLite file (``--database URL`` overrides both).
An unreachable database is one line in the user's language and exit status 2, like any bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ccl import clock
from ccl.cli.common import CliError, default_lang, expand_inputs, iso_date, pad, width
from ccl.i18n import LANGS, Lang, fmt_date, fmt_score, status_label, t

# SQLAlchemy, pandas and openpyxl load only when a clients command runs (``python -m ccl`` starts fast).
if TYPE_CHECKING:
    from ccl.batch import BatchResult
    from ccl.catalog.load import Catalog
    from ccl.engine import Engine
    from ccl.store import ClientSummary, Store, StoreError


def common_parser() -> argparse.ArgumentParser:
    """The options of every command that opens the database: --database, --lang, --workspace, --as."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="database URL (default: $CCL_DATABASE_URL, else the per-user SQLite file)",
    )
    common.add_argument("--lang", choices=LANGS, default=default_lang())
    common.add_argument(
        "--workspace",
        metavar="NAME",
        default=None,
        help="only this workspace's clients (list, export); import updates and creates clients in it",
    )
    common.add_argument(
        "--as",
        dest="user",
        metavar="EMAIL",
        default=None,
        help="who runs the command, as a claim (not a sign-in: anyone who can run the program and read the roles"
        " file can name anyone); required when $CCL_ROLES_FILE is set (the team's roles and workspaces)",
    )
    return common


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``clients list|import|export`` to the ``python -m ccl`` parser."""
    common = common_parser()
    p = subparsers.add_parser("clients", help="saved assessments: list, import, export")
    sub = p.add_subparsers(dest="clients_command", required=True)
    ls = sub.add_parser("list", parents=[common], help="every client with its latest assessment")
    ls.add_argument("--format", choices=("text", "json"), default="text")
    ls.set_defaults(handler=cmd_list, action="read")
    imp = sub.add_parser("import", parents=[common], help="score and save many .json/.xlsx files")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--saved-by", default="", metavar="NAME", help="who saves (free text)")
    imp.add_argument("--start", type=iso_date, default=None, help="projection start date (default: today)")
    imp.set_defaults(handler=cmd_import, action="import")
    exp = sub.add_parser("export", parents=[common], help="the whole portfolio as one Excel workbook")
    exp.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    exp.set_defaults(handler=cmd_export, action="read")


def _message(err: StoreError, lang: Lang) -> str:
    """The error in the user's language; the operator running the CLI also sees the driver's words."""
    detail = getattr(err, "detail", "")
    detail = f" ({detail})" if detail else ""
    return err.user_message(lang) + detail


def _workspaces(args: argparse.Namespace) -> list[str] | None:
    name = " ".join((args.workspace or "").split())
    if name:
        return [name]
    allowed = getattr(args, "allowed_workspaces", None)  # a signed-in team member: their workspaces only
    return list(allowed) if allowed is not None else None


def authorise(args: argparse.Namespace) -> None:
    """With a roles file ($CCL_ROLES_FILE), the command runs as ``--as EMAIL`` with that user's rights.

    The same policy as the app's sign-in: a user without a role, or whose role may not do the action,
    or who names a workspace that is not theirs, gets one line and exit status 2. Without a roles file
    (one person on their own machine) everything is allowed, as in the app with sign-in off.
    """
    from ccl.access import PolicyError, can, load_policy

    path = os.environ.get("CCL_ROLES_FILE", "").strip()
    if not path:
        return
    lang = args.lang
    try:
        policy = load_policy(path)
    except PolicyError as err:
        raise CliError(str(err)) from None
    user = (args.user or "").strip()
    if not user:
        raise CliError(t("clients.user_needed", lang))
    role = policy.role_of(user)
    if not can(role, args.action):
        raise CliError(t("clients.not_allowed", lang, user=user, role=role or "—"))
    mine = policy.workspaces_of(user)
    wanted = " ".join((args.workspace or "").split())
    if mine is not None and wanted and wanted not in mine:
        raise CliError(t("clients.not_your_workspace", lang, user=user, workspace=wanted))
    if mine is not None and not mine:
        raise CliError(t("clients.not_allowed", lang, user=user, role=role or "—"))
    args.allowed_workspaces = mine
    if args.action in ("import", "share"):
        args.saved_by = user  # saved_by is the identity, never typed, as in the app


def _open(args: argparse.Namespace) -> Store:
    from ccl.store import Store, StoreError

    try:
        return Store.open(args.database)
    except StoreError as err:
        raise CliError(_message(err, args.lang)) from None


# --- list -------------------------------------------------------------------------------------------


def _all_clients(args: argparse.Namespace) -> tuple[list[Any], str]:
    """Every client with its latest snapshot, and where they are stored; a store problem is one line."""
    from ccl.store import StoreError

    store = _open(args)
    try:
        return store.list_clients(_workspaces(args)), store.where
    except StoreError as err:
        raise CliError(_message(err, args.lang)) from None
    finally:
        store.close()


def cmd_list(args: argparse.Namespace, engine: Engine) -> int:
    """Print every client with its latest assessment (text table or JSON)."""
    authorise(args)
    lang: Lang = args.lang
    clients, where = _all_clients(args)
    if args.format == "json":
        rows = [
            {
                "id": c.id,
                "name": c.name,
                "workspace": c.workspace,
                "version": c.latest.version,
                "snapshot_id": c.latest.id,
                "saved_at": c.latest.saved_at.isoformat(),
                "saved_by": c.latest.saved_by,
                **c.latest.summary.model_dump(mode="json"),
            }
            for c in clients
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_list(clients, lang, engine.catalog))
        print(f"{t('clients.where', lang)}: {where}", file=sys.stderr)
    return 0


def render_list(clients: list[ClientSummary], lang: Lang, catalog: Catalog) -> str:
    """The clients as an aligned table (CJK characters count double)."""
    from ccl.portfolio import client_label, column_header, next_deadline_text
    from ccl.store import fmt_saved_at

    if not clients:
        return t("clients.none", lang) + "\n"
    today = clock.today()  # overdue as of the day the list is shown
    keys: tuple[str, ...] = (
        "id",
        "company",
        "status",
        "overall",
        "blockers",
        "plan_open",
        "plan_overdue",
        "plan_next_due",
    )
    keys += ("licence_date", "next_deadline", "version", "last_saved")
    rows = [[column_header(k, lang) for k in keys]]
    for c in clients:
        s = c.latest.summary
        date_text = fmt_date(s.licence_date, lang) + ("*" if s.licence_estimate and s.licence_date else "")
        next_due = s.plan_next_due(today)
        rows.append(
            [
                str(c.id),
                client_label(c, lang),
                status_label(s.shown_verdict, lang),
                fmt_score(s.overall, lang),
                str(s.blockers),
                "—" if s.plan_open is None else str(s.plan_open),
                "—" if s.plan_due_dates is None else str(s.plan_overdue(today)),
                fmt_date(next_due, lang) if next_due else "—",
                date_text,
                next_deadline_text(s, catalog, lang, today) or "—",
                str(c.latest.version),
                fmt_saved_at(c.latest.saved_at, lang),
            ]
        )
    widths = [max(width(r[i]) for r in rows) for i in range(len(keys))]
    lines = ["  ".join(pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


# --- import -----------------------------------------------------------------------------------------


class ProgressBar:
    """A one-line progress bar on a terminal (nothing when output goes to a file or a CI log)."""

    def __init__(self, stream: TextIO, width: int = 30):
        self.stream, self.width = stream, width
        self.enabled = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        filled = done * self.width // total
        self.stream.write(f"\r[{'█' * filled}{'░' * (self.width - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def cmd_import(args: argparse.Namespace, engine: Engine) -> int:
    """Score and save the files; exit 2 if any failed (the others are saved)."""
    from ccl.batch import import_files

    authorise(args)
    lang: Lang = args.lang
    files = expand_inputs(args.files, lang)
    store = _open(args)
    try:
        result = import_files(
            files,
            store,
            engine,
            args.start or clock.today(),
            args.saved_by,
            progress=ProgressBar(sys.stderr),
            workspace=next(iter(_workspaces(args) or ()), None),
        )
    finally:
        store.close()
    print_result(result, lang)
    return 2 if result.failed else 0


def print_result(result: BatchResult, lang: Lang) -> None:
    """Saved files on stdout, failures and the totals on stderr."""
    for item in result.saved:
        action = t("batch.created" if item.created else "batch.updated", lang)
        print(
            t(
                "batch.saved_line",
                lang,
                file=item.file,
                company=item.client_name,
                version=item.snapshot.version,
                action=action,
            )
        )
    for failed in result.failed:
        for reason in failed.reasons(lang):
            print(t("batch.failed_line", lang, file=failed.file, reason=reason), file=sys.stderr)
    print(t("batch.summary", lang, saved=len(result.saved), failed=len(result.failed)), file=sys.stderr)


# --- export -----------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, engine: Engine) -> int:
    """Write the whole portfolio to one Excel workbook."""
    from ccl.excel.portfolio import export_portfolio_xlsx

    authorise(args)
    lang: Lang = args.lang
    clients, _ = _all_clients(args)
    data = export_portfolio_xlsx(clients, engine.catalog, lang)
    out = Path(args.output)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(t("clients.cannot_write", lang, path=out, problem=exc.strerror or exc)) from None
    print(t("clients.exported", lang, n=len(clients), path=out))
    return 0
