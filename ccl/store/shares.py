"""Share links in the store: one client opened to someone without an account, read-only or to answer.

A link is ``…/?s=<token>``; the token is 192 random bits (``secrets.token_urlsafe``), unrelated to any
draft id, and only its SHA-256 is stored. A link names one client and a mode (``view`` or
``contribute``), expires (``CCL_SHARE_DAYS``, default 14 days, or the days given when it is made) and can
be revoked. ``open_share`` is the one way in: it returns the link only while it is active and its client
exists, counts the use and writes it to the audit log with the link as the actor.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, select

from ccl import clock
from ccl.store.filters import ID_MAX, clean, known_id, visible
from ccl.store.models import NotFound, ShareLink, ShareMode
from ccl.store.schema import SAVED_BY_MAX, clients, share_links

DEFAULT_SHARE_DAYS = 14.0  # practice: long enough for a client to answer, short enough to be forgotten safely
MAX_SHARE_DAYS = 365
SHARE_TOKEN_BYTES = 24
SHARE_MODES: tuple[ShareMode, ...] = ("view", "contribute")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def share_days() -> float:
    """How long a new link lasts unless told otherwise: $CCL_SHARE_DAYS (may be fractional), else 14."""
    try:
        days = float(os.environ.get("CCL_SHARE_DAYS", DEFAULT_SHARE_DAYS))
    except ValueError:
        return DEFAULT_SHARE_DAYS
    return days if 0 < days <= MAX_SHARE_DAYS else DEFAULT_SHARE_DAYS


def valid_share_token(text: str | None) -> bool:
    """True for something that can be a share token (anything else in a link is never looked up)."""
    return bool(text) and _TOKEN.fullmatch(text) is not None  # type: ignore[arg-type]


def token_from(text: str) -> str:
    """The token of a link or of the token itself (``https://host/?s=abc…`` → ``abc…``)."""
    match = re.search(r"[?&]s=([A-Za-z0-9_-]+)", text)
    return match[1] if match else text.strip()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _utc(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _query() -> Select[Any]:
    return select(share_links, clients.c.name.label("client_name"), clients.c.workspace).join(
        clients, clients.c.id == share_links.c.client_id
    )


def _link(row: Any) -> ShareLink:
    m = row._mapping
    return ShareLink(
        id=m["id"],
        hint=m["hint"],
        client_id=m["client_id"],
        client_name=m["client_name"],
        workspace=m["workspace"],
        mode=m["mode"],
        created_at=_utc(m["created_at"]),
        created_by=m["created_by"],
        expires_at=_utc(m["expires_at"]),
        revoked_at=_utc(m["revoked_at"]),
        revoked_by=m["revoked_by"],
        last_used_at=_utc(m["last_used_at"]),
        uses=m["uses"],
    )


class SharesMixin:
    """The share-link methods of ``ccl.store.Store`` (which provides ``_tx``, ``_audit`` and ``_visible``)."""

    _tx: Callable[..., AbstractContextManager[Connection]]
    _audit: Callable[..., None]

    def create_share(
        self,
        client_id: int,
        mode: ShareMode,
        by: str = "",
        *,
        days: float | None = None,
        workspaces: Collection[str] | None = None,
    ) -> tuple[ShareLink, str]:
        """A new link to one (visible) client; returns it with its token (shown once, never stored)."""
        client_id = known_id(client_id, "client")
        if mode not in SHARE_MODES:
            raise ValueError(f"mode must be one of {SHARE_MODES}")
        days = share_days() if days is None else days
        if not 0 < days <= MAX_SHARE_DAYS:
            raise ValueError(f"days must be more than 0 and at most {MAX_SHARE_DAYS}")
        now, token = clock.now(), secrets.token_urlsafe(SHARE_TOKEN_BYTES)
        with self._tx(write=True) as conn:
            found = conn.execute(select(clients.c.id).where(clients.c.id == client_id, visible(workspaces))).first()
            if found is None:
                raise NotFound("client", client_id)
            insert = share_links.insert().values(
                token_hash=_hash(token),
                hint=token[:6],
                client_id=client_id,
                mode=mode,
                created_at=now,
                created_by=clean(by, SAVED_BY_MAX),
                expires_at=now + timedelta(days=days),
                uses=0,
            )
            link_id = int(conn.execute(insert.returning(share_links.c.id)).scalar_one())
            self._audit(conn, "share_create", by, client_id, now)
            link = _link(conn.execute(_query().where(share_links.c.id == link_id)).one())
        return link, token

    def share_links(self, client_id: int | None = None, workspaces: Collection[str] | None = None) -> list[ShareLink]:
        """The links (active, expired and revoked) of one client or of every visible client, newest first."""
        query = _query().where(visible(workspaces))
        if client_id is not None:
            client_id = known_id(client_id, "client")
            query = query.where(share_links.c.client_id == client_id)
        with self._tx() as conn:
            rows = conn.execute(query.order_by(share_links.c.created_at.desc(), share_links.c.id.desc())).all()
        return [_link(r) for r in rows]

    def find_share(self, token: str) -> ShareLink | None:
        """The link of a token, active or not (None: no such link); nothing is recorded."""
        if not valid_share_token(token):
            return None
        with self._tx() as conn:
            row = conn.execute(_query().where(share_links.c.token_hash == _hash(token))).first()
        return None if row is None else _link(row)

    def open_share(self, token: str) -> ShareLink | None:
        """The link, if active and its client not deleted; the use is counted and audit-logged.

        A known link that can no longer be used (expired, revoked, its client deleted) is logged as
        refused and gives None, as does anything that is not a link.
        """
        if not valid_share_token(token):
            return None
        now = clock.now()
        with self._tx(write=True) as conn:
            row = conn.execute(
                _query().where(share_links.c.token_hash == _hash(token), visible(None)).with_for_update()
            ).first()
            if row is None:
                return None
            link = _link(row)
            if not link.active(now):
                self._audit(conn, "share_refused", link.actor, link.client_id, now)
                return None
            conn.execute(
                share_links.update()
                .where(share_links.c.id == link.id)
                .values(last_used_at=now, uses=share_links.c.uses + 1)
            )
            self._audit(conn, "share_open", link.actor, link.client_id, now)
        return link.model_copy(update={"last_used_at": now, "uses": link.uses + 1})

    def revoke_share(self, token_or_id: str | int, by: str = "", workspaces: Collection[str] | None = None) -> bool:
        """End a link now (by its token, its link or its number); False if there is none such to revoke."""
        now = clock.now()
        if isinstance(token_or_id, int) or str(token_or_id).isdigit():
            if not 0 < int(token_or_id) <= ID_MAX:
                return False
            which = share_links.c.id == int(token_or_id)
        else:
            which = share_links.c.token_hash == _hash(token_from(str(token_or_id)))
        with self._tx(write=True) as conn:
            row = conn.execute(_query().where(which, visible(workspaces)).with_for_update()).first()
            if row is None or row._mapping["revoked_at"] is not None:
                return False
            conn.execute(
                share_links.update()
                .where(share_links.c.id == row._mapping["id"])
                .values(revoked_at=now, revoked_by=clean(by, SAVED_BY_MAX))
            )
            self._audit(conn, "share_revoke", by, row._mapping["client_id"], now)
        return True
