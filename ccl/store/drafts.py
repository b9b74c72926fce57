"""Drafts in the store: a user's desk (the open companies), kept after every change under an unguessable id.

A draft row holds one ``ccl.desk.Desk`` as JSON and a revision. ``write_draft`` is a
compare-and-swap on the revision the writer last saw (``UPDATE … WHERE revision = :seen``), so when two
tabs share one draft the second writer gets ``DraftConflict`` instead of overwriting the first. Drafts
not written for ``draft_ttl`` (``CCL_DRAFT_TTL_DAYS``, default 30) expire; expired rows are deleted
lazily whenever a draft is opened or created.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, select

from ccl import clock
from ccl.desk import Desk, DeskError, OpenCompany, SavedVersion
from ccl.profile import parse_profile_json
from ccl.store.models import Draft, DraftConflict, DraftInfo, NotFound, RecentDraft
from ccl.store.schema import DRAFT_LABEL_MAX, SAVED_BY_MAX, clients, drafts, snapshots

DEFAULT_TTL_DAYS = 30.0
# token_urlsafe(24): 32 characters, 192 random bits.
DRAFT_ID_BYTES = 24
_DRAFT_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def draft_ttl() -> timedelta:
    """How long an untouched draft is kept: $CCL_DRAFT_TTL_DAYS (may be fractional), else 30 days."""
    try:
        days = float(os.environ.get("CCL_DRAFT_TTL_DAYS", DEFAULT_TTL_DAYS))
    except ValueError:
        days = DEFAULT_TTL_DAYS
    return timedelta(days=days if days > 0 else DEFAULT_TTL_DAYS)


def new_draft_id() -> str:
    return secrets.token_urlsafe(DRAFT_ID_BYTES)


def valid_draft_id(text: str | None) -> bool:
    """True for something that can be a draft id (anything else in a link is ignored, never looked up)."""
    return text is not None and _DRAFT_ID.fullmatch(text) is not None


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _without(desk: Desk, hidden: set[int]) -> Desk:
    """The desk without the companies linked to ``hidden`` clients (a blank company if none is left)."""
    if not hidden:
        return desk
    kept = tuple(c for c in desk.companies if c.link is None or c.link.client_id not in hidden)
    blanks = desk.blank_count
    if not kept:
        blanks += 1
        kept = (OpenCompany(key=f"blank:{blanks}"),)
    current = desk.current if any(c.key == desk.current for c in kept) else kept[0].key
    changes = {"companies": kept, "current": current, "blank_count": blanks}
    return Desk.model_validate({**dict(desk), **changes})


def _listed(desk: Desk) -> dict[str, str]:
    """The columns that let a draft be listed: its owner and its companies' names."""
    names = [c.profile.company.name for c in desk.companies if c.profile.company.name]
    return {"owner": desk.owner[:SAVED_BY_MAX], "label": " · ".join(names)[:DRAFT_LABEL_MAX]}


def _relaxed_commit(conn: Connection) -> None:
    """PostgreSQL: do not wait for this transaction's WAL flush. A draft is written after every answer;
    a server crash may lose the last fraction of a second of it, never a deliberate save (those keep
    the default synchronous commit) and never the database's consistency."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")


class DraftsMixin:
    """The draft methods of ``ccl.store.Store`` (which provides ``_tx`` and ``draft_ttl``)."""

    draft_ttl: timedelta
    _tx: Callable[..., AbstractContextManager[Connection]]

    def _sweep(self, conn: Connection, now: datetime) -> None:
        conn.execute(delete(drafts).where(drafts.c.updated_at < now - self.draft_ttl))

    def create_draft(self, desk: Desk, *, now: datetime | None = None) -> DraftInfo:
        """Store a desk under a new unguessable id (revision 1)."""
        now = now or clock.now()
        draft_id = new_draft_id()
        with self._tx(write=True) as conn:
            self._sweep(conn, now)
            conn.execute(
                drafts.insert().values(
                    id=draft_id,
                    revision=1,
                    created_at=now,
                    updated_at=now,
                    workspace_json=desk.to_json(),
                    **_listed(desk),
                )
            )
        return DraftInfo(id=draft_id, revision=1, updated_at=now)

    def write_draft(self, draft_id: str, desk: Desk, seen_revision: int, *, now: datetime | None = None) -> DraftInfo:
        """Replace the draft if it is still at ``seen_revision``.

        Raises ``DraftConflict`` when another writer got there first, ``NotFound`` when the draft is gone.
        """
        now = now or clock.now()
        swap = (
            drafts.update()
            .where(drafts.c.id == draft_id, drafts.c.revision == seen_revision)
            .values(revision=seen_revision + 1, updated_at=now, workspace_json=desk.to_json(), **_listed(desk))
        )
        with self._tx(write=True) as conn:
            _relaxed_commit(conn)
            if conn.execute(swap).rowcount == 1:
                return DraftInfo(id=draft_id, revision=seen_revision + 1, updated_at=now)
            row = conn.execute(select(drafts.c.revision, drafts.c.updated_at).where(drafts.c.id == draft_id)).first()
        if row is None:
            raise NotFound("draft", 0)
        raise DraftConflict(draft_id, seen_revision, row.revision, _utc(row.updated_at))

    def load_draft(
        self, draft_id: str, *, now: datetime | None = None, workspaces: Collection[str] | None = None
    ) -> Draft | None:
        """The draft with its desk settled against the latest saves; None if unknown, expired or damaged.

        ``workspaces``: the reader's (None: every one). A company linked to a client outside them is left
        out altogether, the draft's own copy of its answers too: someone taken out of a workspace reaches
        none of its clients through an old link.
        """
        if not valid_draft_id(draft_id):
            return None
        now = now or clock.now()
        with self._tx(write=True) as conn:
            self._sweep(conn, now)
            row = conn.execute(select(drafts).where(drafts.c.id == draft_id)).first()
            if row is None:
                return None
            try:
                desk = Desk.from_json(row.workspace_json)
            except DeskError:
                return None
            hidden = self._hidden_clients(conn, desk.clients(), workspaces)
            desk = _without(desk, hidden)
            latest = {cid: self._latest_save(conn, cid) for cid in sorted(desk.clients())}
        return Draft(id=draft_id, revision=row.revision, updated_at=_utc(row.updated_at), desk=desk.settle(latest))

    def recent_drafts(self, owner: str, limit: int = 5, *, now: datetime | None = None) -> list[RecentDraft]:
        """The owner's drafts not yet expired, most recently changed first ("" : the drafts made without
        sign-in, i.e. the one user of a single-user machine)."""
        now = now or clock.now()
        query = (
            select(drafts.c.id, drafts.c.updated_at, drafts.c.label)
            .where(drafts.c.owner == owner, drafts.c.updated_at >= now - self.draft_ttl)
            .order_by(drafts.c.updated_at.desc())
            .limit(limit)
        )
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return [RecentDraft(id=r.id, updated_at=_utc(r.updated_at), label=r.label or "") for r in rows]

    def _hidden_clients(self, conn: Connection, ids: set[int], workspaces: Collection[str] | None) -> set[int]:
        if workspaces is None or not ids:
            return set()
        query = select(clients.c.id).where(clients.c.id.in_(sorted(ids)), clients.c.workspace.in_(list(workspaces)))
        return ids - set(conn.execute(query).scalars())  # purged clients too: nothing says whose they were

    def _latest_save(self, conn: Connection, client_id: int) -> SavedVersion | None:
        query = (
            select(snapshots.c.version, snapshots.c.saved_at, snapshots.c.profile_json)
            .join(clients, (snapshots.c.client_id == clients.c.id) & (snapshots.c.version == clients.c.latest_version))
            .where(clients.c.id == client_id, clients.c.deleted_at.is_(None))  # a deleted client counts as gone
        )
        row = conn.execute(query).first()
        if row is None:
            return None
        profile = parse_profile_json(row.profile_json, f"client {client_id}")
        return SavedVersion(client_id=client_id, version=row.version, saved_at=_utc(row.saved_at), profile=profile)
