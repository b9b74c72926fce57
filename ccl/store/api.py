"""The ``Store``: clients and their immutable assessment snapshots, on SQLite or PostgreSQL.

One ``Store`` per process is enough (it holds a small connection pool and is thread-safe). Every
method is one short transaction; every failure to reach the database raises ``StoreUnavailable``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Select, delete, select, true
from sqlalchemy import exc as sa_exc

from ccl import clock
from ccl.profile import Profile, dump_profile, parse_profile_json
from ccl.store.connect import Deadline, default_timeout, make_engine, resolve_url, unavailable_on_db_errors
from ccl.store.drafts import DraftsMixin, draft_ttl
from ccl.store.filters import CONTROL, Workspaces, clean, known_id, visible
from ccl.store.models import (
    AuditAction,
    AuditEntry,
    ClientSummary,
    ConflictError,
    DeletedClient,
    NotFound,
    Snapshot,
    SnapshotInfo,
    SnapshotSummary,
    StoreUnavailable,
)
from ccl.store.schema import NAME_MAX, SAVED_BY_MAX, WORKSPACE_MAX, NewerSchema, audit_log, clients, migrate, snapshots
from ccl.store.sessions import SessionsMixin, write_audit
from ccl.store.shares import SharesMixin

_SUMMARY_COLUMNS = tuple(SnapshotSummary.model_fields)
_INFO_COLUMNS = (
    snapshots.c.id.label("snapshot_id"),
    snapshots.c.client_id,
    snapshots.c.version,
    snapshots.c.saved_at,
    snapshots.c.saved_by,
    *(snapshots.c[name] for name in _SUMMARY_COLUMNS),
)


RESTORE_DAYS = 30
_visible, _clean, _CONTROL = visible, clean, CONTROL


class _LostRace(Exception):
    """The compare-and-swap on clients.latest_version found another writer's version."""


def name_key(name: str) -> str:
    """The form company names are matched on: NFKC (full-width brackets → ASCII), case-folded, no spaces."""
    return "".join(unicodedata.normalize("NFKC", _CONTROL.sub(" ", name)).casefold().split())[:NAME_MAX]


def _utc(when: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _info(row: Any) -> SnapshotInfo:
    m = row._mapping
    summary = SnapshotSummary(**{name: m[name] for name in _SUMMARY_COLUMNS})
    return SnapshotInfo(
        id=m["snapshot_id"],
        client_id=m["client_id"],
        version=m["version"],
        saved_at=_utc(m["saved_at"]),
        saved_by=m["saved_by"],
        summary=summary,
    )


def _snapshot(row: Any) -> Snapshot:
    info = _info(row)
    profile = parse_profile_json(row._mapping["profile_json"], f"snapshot {info.id}")
    return Snapshot(**dict(info), profile=profile)


def _client_rows() -> Select[Any]:
    """Clients joined to their latest snapshot: one indexed lookup per client, no N+1."""
    return select(clients.c.name, clients.c.created_at, clients.c.workspace, *_INFO_COLUMNS).join(
        snapshots, (snapshots.c.client_id == clients.c.id) & (snapshots.c.version == clients.c.latest_version)
    )


def _client(row: Any) -> ClientSummary:
    m = row._mapping
    return ClientSummary(
        id=m["client_id"], name=m["name"], created_at=_utc(m["created_at"]), latest=_info(row), workspace=m["workspace"]
    )


class Store(DraftsMixin, SharesMixin, SessionsMixin):
    """Saved assessments. Open with ``Store.open()``; close with ``close()`` or a ``with`` block."""

    def __init__(self, engine: Engine, where: str, timeout: float | None = None):
        self._engine = engine
        self.where = where
        self.backend = engine.dialect.name
        self.draft_ttl = draft_ttl()  # drafts untouched for longer expire (ccl.store.drafts)
        # A client-side bound on every operation (PostgreSQL; SQLite's own busy timeout bounds its waits).
        self._deadline = (timeout or default_timeout()) if self.backend == "postgresql" else None

    @classmethod
    def open(cls, url: str | None = None, *, timeout: float | None = None) -> Store:
        """Connect (URL, else $CCL_DATABASE_URL, else the per-user SQLite file) and apply migrations."""
        timeout = timeout or default_timeout()
        engine, where = make_engine(resolve_url(url), timeout)
        store = cls(engine, where, timeout)
        try:
            with store._tx(write=True) as conn:
                migrate(conn)
        except NewerSchema as exc:
            store.close()
            raise StoreUnavailable(str(exc), reason="newer_schema") from None
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close the pooled connections (the store can be opened again with ``Store.open``)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self, write: bool = False) -> Iterator[Connection]:
        with self._bounded(), unavailable_on_db_errors(), self._engine.connect() as conn:
            conn.execution_options(ccl_write=write)
            with conn.begin():
                yield conn

    @contextmanager
    def _bounded(self) -> Iterator[None]:
        """Run the operation under the client-side deadline; a call cut off by it is an outage."""
        if self._deadline is None:
            yield
            return
        with Deadline(self._deadline) as deadline:
            try:
                yield
            except StoreUnavailable as exc:
                if deadline.fired:
                    raise StoreUnavailable(f"no answer within {self._deadline:g} s", reason="timeout") from exc
                raise

    # --- reading ----------------------------------------------------------------------------------

    def ping(self) -> None:
        """Touch the database with the cheapest query (raises ``StoreUnavailable`` if it is down)."""
        with self._tx() as conn:
            conn.execute(select(true()))

    def list_clients(self, workspaces: Workspaces = None) -> list[ClientSummary]:
        """Every (visible) client with its latest snapshot's summary, most recently saved first."""
        query = _client_rows().where(_visible(workspaces)).order_by(snapshots.c.saved_at.desc(), clients.c.id.desc())
        with self._tx() as conn:
            return [_client(row) for row in conn.execute(query)]

    def find_clients(self, company_name: str, workspaces: Workspaces = None) -> list[ClientSummary]:
        """Clients whose name matches (ignoring case, spaces and full-/half-width forms)."""
        key = name_key(company_name)
        if not key:
            return []
        with self._tx() as conn:
            rows = conn.execute(
                _client_rows().where(clients.c.name_key == key, _visible(workspaces)).order_by(clients.c.id)
            )
            return [_client(row) for row in rows]

    def get_client(self, client_id: int, workspaces: Workspaces = None) -> ClientSummary:
        """One client with its latest snapshot's summary."""
        client_id = known_id(client_id, "client")
        with self._tx() as conn:
            row = conn.execute(_client_rows().where(clients.c.id == client_id, _visible(workspaces))).first()
        if row is None:
            raise NotFound("client", client_id)
        return _client(row)

    def history(self, client_id: int, workspaces: Workspaces = None) -> list[SnapshotInfo]:
        """Every snapshot of a client, oldest first."""
        client_id = known_id(client_id, "client")
        query = (
            select(*_INFO_COLUMNS)
            .join(clients, snapshots.c.client_id == clients.c.id)
            .where(snapshots.c.client_id == client_id, _visible(workspaces))
            .order_by(snapshots.c.version)
        )
        with self._tx() as conn:
            rows = conn.execute(query).all()
        if not rows:
            raise NotFound("client", client_id)
        return [_info(row) for row in rows]

    def load_snapshot(self, snapshot_id: int, workspaces: Workspaces = None) -> Snapshot:
        """One snapshot with its answers."""
        snapshot_id = known_id(snapshot_id, "snapshot")
        query = (
            select(*_INFO_COLUMNS, snapshots.c.profile_json)
            .join(clients, snapshots.c.client_id == clients.c.id)
            .where(snapshots.c.id == snapshot_id, _visible(workspaces))
        )
        with self._tx() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("snapshot", snapshot_id)
        return _snapshot(row)

    def latest(self, client_id: int, workspaces: Workspaces = None) -> Snapshot:
        """The newest snapshot of a client, with its answers."""
        client_id = known_id(client_id, "client")
        with self._tx() as conn:
            return self._latest(conn, client_id, workspaces)

    def _latest(self, conn: Connection, client_id: int, workspaces: Workspaces = None) -> Snapshot:
        query = (
            select(*_INFO_COLUMNS, snapshots.c.profile_json)
            .join(clients, (snapshots.c.client_id == clients.c.id) & (snapshots.c.version == clients.c.latest_version))
            .where(clients.c.id == client_id, _visible(workspaces))
        )
        row = conn.execute(query).first()
        if row is None:
            raise NotFound("client", client_id)
        return _snapshot(row)

    # --- writing ----------------------------------------------------------------------------------

    def save(
        self,
        client_id: int | None,
        profile: Profile,
        summary: SnapshotSummary,
        saved_by: str = "",
        expected_version: int | None = None,
        *,
        force: bool = False,
        name: str | None = None,
        workspace: str | None = None,
        workspaces: Workspaces = None,
    ) -> SnapshotInfo:
        """Save the answers as the client's next version (a new client when ``client_id`` is None).

        ``expected_version`` is the version the user loaded (None: none). If someone saved a newer one
        since, ``ConflictError`` carries it; save again with ``expected_version=err.latest.version``
        once the user has seen the diff (or ``force=True`` to append on top of whatever is newest).
        ``workspace``: the workspace of a new client (an existing client keeps its own). ``workspaces``:
        the saver's workspaces; a client outside them is ``NotFound``, exactly as for a deleted one.
        """
        now = clock.now()
        client_id = None if client_id is None else known_id(client_id, "client")
        display = _clean(name or profile.company.name, NAME_MAX)
        values = {
            **summary.model_dump(),
            "saved_at": now,
            "saved_by": _clean(saved_by, SAVED_BY_MAX),
            "profile_json": dump_profile(profile),
        }
        try:
            with self._tx(write=True) as conn:
                if client_id is None:
                    client_id, latest = self._new_client(conn, display, now, workspace), 0
                else:
                    latest = self._locked_version(conn, client_id, workspaces)
                    if not force and latest != (expected_version or 0):
                        raise ConflictError(self._latest(conn, client_id, workspaces), expected_version)
                snapshot_id = self._append(conn, client_id, latest, values, display)
                self._audit(conn, "save", values["saved_by"], client_id, now, latest + 1)
        except (sa_exc.IntegrityError, _LostRace):
            # The database caught a concurrent writer the lock did not (belt and braces).
            # only an existing client can lose a race (a new one gets a new id), so client_id is set here
            raise ConflictError(self.latest(client_id, workspaces), expected_version) from None  # type: ignore[arg-type]
        return SnapshotInfo(
            id=snapshot_id,
            client_id=client_id,
            version=latest + 1,
            saved_at=now,
            saved_by=values["saved_by"],
            summary=summary,
        )

    def _new_client(self, conn: Connection, display: str, now: datetime, workspace: str | None) -> int:
        workspace = _clean(workspace, WORKSPACE_MAX) or None
        insert = (
            clients.insert()
            .values(name=display, name_key=name_key(display), latest_version=0, created_at=now, workspace=workspace)
            .returning(clients.c.id)
        )
        return int(conn.execute(insert).scalar_one())

    def _locked_version(self, conn: Connection, client_id: int, workspaces: Workspaces) -> int:
        # FOR UPDATE (PostgreSQL) queues a concurrent writer until this transaction ends, and it then
        # reads the new version; SQLite's BEGIN IMMEDIATE already serialises writers.
        query = (
            select(clients.c.latest_version).where(clients.c.id == client_id, _visible(workspaces)).with_for_update()
        )
        latest = conn.execute(query).scalar()
        if latest is None:
            raise NotFound("client", client_id)
        return int(latest)

    def _append(self, conn: Connection, client_id: int, latest: int, values: dict[str, Any], display: str) -> int:
        insert = snapshots.insert().values(client_id=client_id, version=latest + 1, **values)
        snapshot_id = int(conn.execute(insert.returning(snapshots.c.id)).scalar_one())
        renamed = {"name": display, "name_key": name_key(display)} if display else {}
        swap = (
            clients.update()
            .where(clients.c.id == client_id, clients.c.latest_version == latest)
            .values(latest_version=latest + 1, **renamed)
        )
        if conn.execute(swap).rowcount != 1:
            raise _LostRace()
        return snapshot_id

    def _audit(
        self, conn: Connection, action: AuditAction, who: str, client_id: int, now: datetime, version: int | None = None
    ) -> None:
        name, workspace = conn.execute(
            select(clients.c.name, clients.c.workspace).where(clients.c.id == client_id)
        ).one()
        write_audit(conn, action, who, now, workspace, client_id, name, version)

    # --- deleting, restoring, the audit log ---------------------------------------------------------------

    def delete_client(self, client_id: int, by: str = "", workspaces: Workspaces = None) -> bool:
        """Delete a client softly (hidden, restorable for a while); False if it was already gone."""
        client_id = known_id(client_id, "client")
        now = clock.now()
        with self._tx(write=True) as conn:
            # Lock first so a save in progress finishes before.
            conn.execute(select(clients.c.id).where(clients.c.id == client_id).with_for_update())
            done = clients.update().where(clients.c.id == client_id, _visible(workspaces)).values(deleted_at=now)
            if conn.execute(done).rowcount != 1:
                return False
            self._audit(conn, "delete", by, client_id, now)
            return True

    def restore_client(
        self, client_id: int, by: str = "", workspaces: Workspaces = None, *, days: int = RESTORE_DAYS
    ) -> bool:
        """Bring back a client deleted less than ``days`` ago; False if there is none such."""
        client_id = known_id(client_id, "client")
        now = clock.now()
        with self._tx(write=True) as conn:
            where = [clients.c.id == client_id, clients.c.deleted_at >= now - timedelta(days=days)]
            if workspaces is not None:
                where.append(clients.c.workspace.in_(list(workspaces)))
            if conn.execute(clients.update().where(*where).values(deleted_at=None)).rowcount != 1:
                return False
            self._audit(conn, "restore", by, client_id, now)
            return True

    def deleted_clients(self, workspaces: Workspaces = None, *, days: int = RESTORE_DAYS) -> list[DeletedClient]:
        """The clients deleted less than ``days`` ago (still restorable), most recently deleted first."""
        cutoff = clock.now() - timedelta(days=days)
        query = select(
            clients.c.id, clients.c.name, clients.c.workspace, clients.c.deleted_at, clients.c.latest_version
        )
        query = query.where(clients.c.deleted_at >= cutoff)
        if workspaces is not None:
            query = query.where(clients.c.workspace.in_(list(workspaces)))
        with self._tx() as conn:
            rows = conn.execute(query.order_by(clients.c.deleted_at.desc(), clients.c.id.desc())).all()
        return [
            DeletedClient(
                id=r.id, name=r.name, workspace=r.workspace, deleted_at=_utc(r.deleted_at), versions=r.latest_version
            )
            for r in rows
        ]

    def purge_deleted(self, by: str = "", *, days: int = RESTORE_DAYS) -> int:
        """Remove for good the clients deleted ``days`` ago or earlier (with their snapshots); how many."""
        now = clock.now()
        with self._tx(write=True) as conn:
            old = conn.execute(
                select(clients.c.id).where(clients.c.deleted_at < now - timedelta(days=days)).with_for_update()
            ).scalars()
            ids = list(old)
            for client_id in ids:
                self._audit(conn, "purge", by, client_id, now)
            if ids:
                conn.execute(delete(snapshots).where(snapshots.c.client_id.in_(ids)))
                conn.execute(delete(clients).where(clients.c.id.in_(ids)))
            return len(ids)

    def audit_entries(self, workspaces: Workspaces = None, limit: int = 10_000) -> list[AuditEntry]:
        """The audit log, newest first (at most ``limit`` lines)."""
        query = select(audit_log).where(true() if workspaces is None else audit_log.c.workspace.in_(list(workspaces)))
        query = query.order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return [
            AuditEntry(
                at=_utc(r.at),
                who=r.who,
                action=r.action,
                client_id=r.client_id,
                client_name=r.client_name,
                version=r.version,
                workspace=r.workspace,
            )
            for r in rows
        ]
