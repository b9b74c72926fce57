"""``python -m ccl share create | list | revoke``: links that open one saved client to someone without an account.

    python -m ccl share create --client 广州粤声 --mode contribute [--days 7]    # prints …/?s=<token>
    python -m ccl share list [--client NAME_OR_ID]
    python -m ccl share revoke TOKEN_OR_LINK_OR_NUMBER

The link is printed once: only a hash of its token is stored. With a roles file ($CCL_ROLES_FILE),
creating and revoking need a role that may share (admin, consultant) and ``--as``, as ``clients`` does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ccl.cli.clients import _message, _open, _workspaces, authorise, common_parser
from ccl.cli.common import CliError, pad, width
from ccl.i18n import Lang, t

if TYPE_CHECKING:
    from ccl.engine import Engine
    from ccl.store import ClientSummary, Store
    from ccl.store.models import ShareLink

DEFAULT_URL = "http://localhost:8501"
T = TypeVar("T")


def public_url() -> str:
    """The app's address as those who get a link reach it: $CCL_PUBLIC_URL, else the local default."""
    return (os.environ.get("CCL_PUBLIC_URL") or DEFAULT_URL).strip().rstrip("/")


def link_of(token: str, base: str | None = None) -> str:
    return f"{(base or public_url()).rstrip('/')}/?s={token}"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = common_parser()
    p = subparsers.add_parser("share", help="links that open one client: create, list, revoke")
    sub = p.add_subparsers(dest="share_command", required=True)
    new = sub.add_parser("create", parents=[common], help="a new link to one client (printed once)")
    new.add_argument("--client", required=True, metavar="NAME_OR_ID", help="the client's name or number")
    new.add_argument("--mode", required=True, choices=("view", "contribute"))
    new.add_argument("--days", type=float, default=None, help="valid for N days (default: $CCL_SHARE_DAYS, else 14)")
    new.add_argument("--url", default=None, help="the app's address (default: $CCL_PUBLIC_URL, else localhost)")
    new.add_argument("--format", choices=("text", "json"), default="text")
    new.set_defaults(handler=cmd_create, action="share")
    ls = sub.add_parser("list", parents=[common], help="every link (active, expired, revoked), newest first")
    ls.add_argument("--client", default=None, metavar="NAME_OR_ID")
    ls.add_argument("--format", choices=("text", "json"), default="text")
    ls.set_defaults(handler=cmd_list, action="read")
    rv = sub.add_parser("revoke", parents=[common], help="end a link now")
    rv.add_argument("link", metavar="TOKEN", help="the token, the whole link, or the link's number from `share list`")
    rv.set_defaults(handler=cmd_revoke, action="share")


def _client(store: Store, text: str, args: argparse.Namespace) -> ClientSummary:
    from ccl.store import NotFound

    text, lang = " ".join(text.split()), args.lang
    if text.isdigit():
        try:
            return store.get_client(int(text), _workspaces(args))
        except NotFound:
            raise CliError(t("share.no_client", lang, client=text)) from None
    found = store.find_clients(text, _workspaces(args))
    if not found:
        raise CliError(t("share.no_client", lang, client=text))
    if len(found) > 1:
        ids = ", ".join(f"#{c.id}" for c in found)
        raise CliError(t("share.ambiguous", lang, client=text, ids=ids))
    return found[0]


def _run(args: argparse.Namespace, work: Callable[[Store], T]) -> T:
    from ccl.store import StoreError

    authorise(args)
    store = _open(args)
    try:
        return work(store)
    except StoreError as err:
        raise CliError(_message(err, args.lang)) from None
    finally:
        store.close()


def cmd_create(args: argparse.Namespace, engine: Engine) -> int:
    lang: Lang = args.lang
    if args.days is not None and not 0 < args.days <= 365:
        raise CliError(t("share.bad_days", lang))

    def create(store: Store) -> tuple[ShareLink, str]:
        client = _client(store, args.client, args)
        return store.create_share(
            client.id, args.mode, by=getattr(args, "saved_by", "") or "", days=args.days, workspaces=_workspaces(args)
        )

    link, token = _run(args, create)
    url = link_of(token, args.url)
    if args.format == "json":
        json.dump({**_row(link), "link": url}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(url)
        print(t("share.created", lang, **_fields(link, lang)), file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace, engine: Engine) -> int:
    lang: Lang = args.lang

    def links(store: Store) -> list[ShareLink]:
        client_id = _client(store, args.client, args).id if args.client else None
        return store.share_links(client_id, _workspaces(args))

    found = _run(args, links)
    if args.format == "json":
        json.dump([_row(x) for x in found], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(render_links(found, lang))
    return 0


def cmd_revoke(args: argparse.Namespace, engine: Engine) -> int:
    lang: Lang = args.lang
    done = _run(
        args, lambda store: store.revoke_share(args.link, getattr(args, "saved_by", "") or "", _workspaces(args))
    )
    if not done:
        raise CliError(t("share.not_revoked", lang))
    print(t("share.revoked", lang))
    return 0


def _row(link: ShareLink) -> dict[str, Any]:
    return link.model_dump(mode="json")


def _fields(link: ShareLink, lang: Lang) -> dict[str, str]:
    from ccl import clock
    from ccl.store import fmt_saved_at

    state = "revoked" if link.revoked_at else "active" if link.active(clock.now()) else "expired"
    return {
        "id": f"#{link.id}",
        "client": link.client_name,
        "mode": t(f"share.mode.{link.mode}", lang),
        "state": t(f"share.state.{state}", lang),
        "expires": fmt_saved_at(link.expires_at, lang),
        "by": link.created_by or "—",
        "created": fmt_saved_at(link.created_at, lang),
        "used": fmt_saved_at(link.last_used_at, lang) if link.last_used_at else "—",
        "uses": str(link.uses),
        "hint": f"{link.hint}…",
    }


def render_links(links: list[ShareLink], lang: Lang) -> str:
    """The links as an aligned table (CJK characters count double)."""
    if not links:
        return t("share.none", lang) + "\n"
    keys = ("id", "hint", "client", "mode", "state", "expires", "by", "created", "used", "uses")
    rows = [[t(f"share.col.{k}", lang) for k in keys]] + [[_fields(x, lang)[k] for k in keys] for x in links]
    widths = [max(width(r[i]) for r in rows) for i in range(len(keys))]
    return "".join("  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n" for row in rows)
