"""Tables and versioned migrations.

Why not Alembic: a handful of tables, migrations that run by themselves when the app opens the database (no
separate ``alembic upgrade`` step for the team to forget), one dependency fewer. ``schema_migrations``
records each applied version; ``migrate`` applies the missing ones in order inside one transaction
that holds a lock (PostgreSQL advisory lock; SQLite ``BEGIN IMMEDIATE``), so two app instances
starting at once cannot both apply a migration.

A migration is frozen once released: when a later one changes a table, copy its definition into the
migration function first, then change the query tables below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)

from ccl import clock

NAME_MAX = 200
SAVED_BY_MAX = 100
# Any fixed 64-bit number: the lock is per database, so every CCL instance must use the same one.
PG_MIGRATION_LOCK = 0x43434C5F4D494752


def _tables_v1(md: MetaData) -> tuple[Table, Table]:
    clients = Table(
        "clients",
        md,
        Column("id", Integer, primary_key=True),
        Column("name", String(NAME_MAX), nullable=False),
        # Normalised name (NFKC, case-folded, no spaces) to match imported files to existing clients.
        Column("name_key", String(NAME_MAX), nullable=False),
        # Denormalised from snapshots so the portfolio join and the compare-and-swap need no MAX().
        Column("latest_version", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Index("ix_clients_name_key", "name_key"),
    )
    snapshots = Table(
        "snapshots",
        md,
        Column("id", Integer, primary_key=True),
        Column("client_id", Integer, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("saved_at", DateTime(timezone=True), nullable=False),
        Column("saved_by", String(SAVED_BY_MAX), nullable=False),
        Column("catalog_version", String(40), nullable=False),
        Column("assessed_on", Date, nullable=False),
        Column("status", String(20), nullable=False),
        Column("eligible", Boolean, nullable=True),
        Column("overall", Float, nullable=False),
        Column("completion", Float, nullable=False),
        Column("blockers", Integer, nullable=False),
        Column("gaps", Integer, nullable=False),
        Column("licence_date", Date, nullable=False),
        Column("licence_estimate", Boolean, nullable=False),
        Column("licence_assumes_blockers_removed", Boolean, nullable=False),
        Column("province", String(40), nullable=True),
        Column("scope", String(20), nullable=True),
        Column("dimensions", JSON, nullable=False),
        # The canonical profile JSON (ccl.profile.dump_profile) as text: loads back byte for byte.
        Column("profile_json", Text, nullable=False),
        # Two writers can never both create version N+1 of a client; it also serves history and the
        # latest-snapshot join.
        UniqueConstraint("client_id", "version", name="uq_snapshots_client_version"),
    )
    return clients, snapshots


def _tables_v3(md: MetaData, snapshots_name: str = "snapshots") -> tuple[Table, Table]:
    """Version 3: a snapshot may have no licence date (a legal gate still waits on an answer)."""
    clients = Table(
        "clients",
        md,
        Column("id", Integer, primary_key=True),
        Column("name", String(NAME_MAX), nullable=False),
        # Normalised name (NFKC, case-folded, no spaces) to match imported files to existing clients.
        Column("name_key", String(NAME_MAX), nullable=False),
        # Denormalised from snapshots so the portfolio join and the compare-and-swap need no MAX().
        Column("latest_version", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Index("ix_clients_name_key", "name_key"),
    )
    snapshots = Table(
        snapshots_name,
        md,
        Column("id", Integer, primary_key=True),
        Column("client_id", Integer, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("saved_at", DateTime(timezone=True), nullable=False),
        Column("saved_by", String(SAVED_BY_MAX), nullable=False),
        Column("catalog_version", String(40), nullable=False),
        Column("assessed_on", Date, nullable=False),
        Column("status", String(20), nullable=False),
        Column("eligible", Boolean, nullable=True),
        Column("overall", Float, nullable=False),
        Column("completion", Float, nullable=False),
        Column("blockers", Integer, nullable=False),
        Column("gaps", Integer, nullable=False),
        Column("licence_date", Date, nullable=True),
        Column("licence_estimate", Boolean, nullable=False),
        Column("licence_assumes_blockers_removed", Boolean, nullable=False),
        Column("province", String(40), nullable=True),
        Column("scope", String(20), nullable=True),
        Column("dimensions", JSON, nullable=False),
        # The canonical profile JSON (ccl.profile.dump_profile) as text: loads back byte for byte.
        Column("profile_json", Text, nullable=False),
        # Two writers can never both create version N+1 of a client; it also serves history and the
        # latest-snapshot join.
        UniqueConstraint("client_id", "version", name="uq_snapshots_client_version"),
    )
    return clients, snapshots


DRAFT_ID_MAX = 64


def _drafts_v2(md: MetaData) -> Table:
    return Table(
        "drafts",
        md,
        # An unguessable id (secrets.token_urlsafe) that the user's browser keeps in the link.
        Column("id", String(DRAFT_ID_MAX), primary_key=True),
        # Bumped by every write; a write names the revision it saw (compare-and-swap), so two tabs on
        # one draft cannot overwrite each other silently.
        Column("revision", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        # ccl.desk.Desk (the open companies) as JSON, versioned, with the profiles' JSON. The column keeps
        # its first name: renaming it would need a migration of every live draft table for a word only.
        Column("workspace_json", Text, nullable=False),
        Index("ix_drafts_updated_at", "updated_at"),  # expiry sweeps
    )


WORKSPACE_MAX = 60
ACTION_MAX = 20


def _audit_v4(md: MetaData) -> Table:
    # No foreign key: the log outlives purged clients, so it keeps their id and name.
    return Table(
        "audit_log",
        md,
        Column("id", Integer, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("who", String(SAVED_BY_MAX), nullable=False),
        Column("action", String(ACTION_MAX), nullable=False),
        Column("client_id", Integer, nullable=False),
        Column("client_name", String(NAME_MAX), nullable=False),
        Column("version", Integer, nullable=True),
        Column("workspace", String(WORKSPACE_MAX), nullable=True),
        Index("ix_audit_log_at", "at"),
    )


METADATA = MetaData()
clients, snapshots = _tables_v3(METADATA)
drafts = _drafts_v2(METADATA)
# Added by migration 4: the workspace (team) a client belongs to (NULL: the shared space of a deployment
# without workspaces) and when it was deleted (NULL: not deleted; deleted clients can be restored).
clients.append_column(Column("workspace", String(WORKSPACE_MAX), nullable=True))
clients.append_column(Column("deleted_at", DateTime(timezone=True), nullable=True))
audit_log = _audit_v4(METADATA)


def _plan_columns_v5() -> list[Column[Any]]:
    """Added by migration 5: the plan's counts when the snapshot was saved (NULL: saved before plans).

    ``plan_due_dates`` lists the due dates (ISO) of the actions still to do, so that overdue and
    due-soon are counted as of the day the list is shown, not the day it was saved.
    """
    return [
        Column("plan_total", Integer, nullable=True),
        Column("plan_done", Integer, nullable=True),
        Column("plan_open", Integer, nullable=True),  # open or in progress
        Column("plan_due_dates", JSON(none_as_null=True), nullable=True),
    ]


for _column in _plan_columns_v5():
    snapshots.append_column(_column)

SHARE_MODE_MAX = 12


def _share_links_v6(md: MetaData) -> Table:
    return Table(
        "share_links",
        md,
        Column("id", Integer, primary_key=True),
        # SHA-256 of the token (hex): the link itself is shown once, when it is made; someone who reads
        # the database (a backup, a log of queries) cannot open anything with what is stored.
        Column("token_hash", String(64), nullable=False, unique=True),
        Column("hint", String(8), nullable=False),  # the token's first characters, to tell links apart
        Column("client_id", Integer, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
        Column("mode", String(SHARE_MODE_MAX), nullable=False),  # "view" or "contribute"
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("created_by", String(SAVED_BY_MAX), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        Column("revoked_at", DateTime(timezone=True), nullable=True),
        Column("revoked_by", String(SAVED_BY_MAX), nullable=True),
        Column("last_used_at", DateTime(timezone=True), nullable=True),
        Column("uses", Integer, nullable=False),
        Index("ix_share_links_client", "client_id"),
    )


share_links = _share_links_v6(METADATA)


def _sign_ins_v6(md: MetaData) -> Table:
    # One row per sign-in (an identity provider login), keyed by a hash of the token's issuer, subject,
    # issue time and e-mail: Streamlit's identity cookie cannot be revoked, so the app refuses a cookie
    # whose sign-in was ended here (by signing out, or by an admin), copied cookie or not.
    return Table(
        "sign_ins",
        md,
        Column("key", String(64), primary_key=True),
        Column("email", String(SAVED_BY_MAX), nullable=False),
        Column("started_at", DateTime(timezone=True), nullable=False),
        Column("last_seen_at", DateTime(timezone=True), nullable=False),
        Column("ended_at", DateTime(timezone=True), nullable=True),
        Column("ended_by", String(SAVED_BY_MAX), nullable=True),
        Index("ix_sign_ins_email", "email"),
    )


sign_ins = _sign_ins_v6(METADATA)


def _headline_columns_v7() -> list[Column[Any]]:
    """Added by migration 7: the headline when the snapshot was saved (``ccl.headline``; NULL: saved before).

    ``next_deadline_key`` is an obligation key (``renewal``, ``annual_report`` …) or ``action:<id>``; its
    status is worked out on the day the list is shown, from ``next_deadline_due``.
    """
    return [
        Column("mode", String(10), nullable=True),
        Column("verdict", String(20), nullable=True),
        Column("licence_basis", String(10), nullable=True),
        Column("next_deadline_key", String(120), nullable=True),
        Column("next_deadline_due", Date, nullable=True),
        Column("next_deadline_status", String(12), nullable=True),  # as saved; a dated one is redone per day
    ]


for _column in _headline_columns_v7():
    snapshots.append_column(_column)

_migrations_md = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _migrations_md,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def _m1_clients_and_snapshots(conn: Connection) -> None:
    md = MetaData()
    _tables_v1(md)
    md.create_all(conn)


def _m2_drafts(conn: Connection) -> None:
    md = MetaData()
    _drafts_v2(md)
    md.create_all(conn)


def _m3_licence_date_nullable(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        conn.execute(text("ALTER TABLE snapshots ALTER COLUMN licence_date DROP NOT NULL"))
        return
    # SQLite cannot drop NOT NULL: rebuild the table (nothing references snapshots, so no foreign key breaks).
    _, new = _tables_v3(MetaData(), snapshots_name="snapshots_v3")
    new.create(conn)
    cols = ", ".join(c.name for c in new.columns)
    conn.execute(text(f"INSERT INTO snapshots_v3 ({cols}) SELECT {cols} FROM snapshots"))
    conn.execute(text("DROP TABLE snapshots"))
    conn.execute(text("ALTER TABLE snapshots_v3 RENAME TO snapshots"))


def _m4_workspaces_soft_delete_audit(conn: Connection) -> None:
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
    conn.execute(text(f"ALTER TABLE clients ADD COLUMN workspace VARCHAR({WORKSPACE_MAX})"))
    conn.execute(text(f"ALTER TABLE clients ADD COLUMN deleted_at {stamp}"))
    conn.execute(text("CREATE INDEX ix_clients_workspace ON clients (workspace)"))
    md = MetaData()
    _audit_v4(md)
    md.create_all(conn)


def _plan_summary_v5(profile_json: str) -> dict[str, object]:
    """Migration 5's counts from a stored profile's raw JSON (no model: frozen with the migration).

    A profile written before plans existed (no "plan" key) gets NULLs: its plan was never tracked.
    """
    try:
        data = json.loads(profile_json)
    except ValueError:
        data = None
    plan = data.get("plan") if isinstance(data, dict) else None
    if not isinstance(plan, list):
        return {"plan_total": None, "plan_done": None, "plan_open": None, "plan_due_dates": None}
    actions = [a for a in plan if isinstance(a, dict)]
    active = [a for a in actions if a.get("status", "open") in ("open", "in_progress")]
    return {
        "plan_total": len(actions),
        "plan_done": sum(a.get("status") == "done" for a in actions),
        "plan_open": len(active),
        "plan_due_dates": sorted(str(a["due"]) for a in active if a.get("due")),
    }


def _m5_plan_summary(conn: Connection) -> None:
    md = MetaData()
    table = Table("snapshots", md, Column("id", Integer, primary_key=True), Column("profile_json", Text))
    for column in _plan_columns_v5():
        conn.execute(text(f"ALTER TABLE snapshots ADD COLUMN {column.name} {column.type.compile(conn.dialect)}"))
        table.append_column(column)
    # Fill them in from each snapshot's stored answers, a batch at a time (memory stays flat).
    last = 0
    while True:
        rows = conn.execute(
            select(table.c.id, table.c.profile_json).where(table.c.id > last).order_by(table.c.id).limit(500)
        ).all()
        if not rows:
            return
        for row in rows:
            conn.execute(table.update().where(table.c.id == row.id).values(**_plan_summary_v5(row.profile_json)))
        last = rows[-1].id


DRAFT_LABEL_MAX = 200


def _draft_columns_v6() -> list[Column[Any]]:
    """Added by migration 6: whose draft it is (the signed-in e-mail; "" without sign-in) and the names of
    its companies, so the app's plain address can offer "continue where you left off" without reading
    every draft's JSON (NULL: written before; such drafts are offered by their link only)."""
    return [
        Column("owner", String(SAVED_BY_MAX), nullable=True),
        Column("label", String(DRAFT_LABEL_MAX), nullable=True),
    ]


for _column in _draft_columns_v6():
    drafts.append_column(_column)


def _m6_share_links(conn: Connection) -> None:
    for column in _draft_columns_v6():
        conn.execute(text(f"ALTER TABLE drafts ADD COLUMN {column.name} {column.type.compile(conn.dialect)}"))
    conn.execute(text("CREATE INDEX ix_drafts_owner ON drafts (owner, updated_at)"))
    md = MetaData()
    Table("clients", md, Column("id", Integer, primary_key=True))  # the foreign key's target, as it is
    _share_links_v6(md)
    _sign_ins_v6(md)
    md.tables["share_links"].create(conn)
    md.tables["sign_ins"].create(conn)


def _m7_headline(conn: Connection) -> None:
    # Older snapshots keep NULLs: their rows show the status and licence date they were saved with.
    for column in _headline_columns_v7():
        conn.execute(text(f"ALTER TABLE snapshots ADD COLUMN {column.name} {column.type.compile(conn.dialect)}"))


Migration = tuple[int, str, Callable[[Connection], None]]
MIGRATIONS: tuple[Migration, ...] = (
    (1, "clients and snapshots", _m1_clients_and_snapshots),
    (2, "drafts of the open companies (desks)", _m2_drafts),
    (3, "a snapshot may have no licence date", _m3_licence_date_nullable),
    (4, "workspaces, soft delete, audit log", _m4_workspaces_soft_delete_audit),
    (5, "the plan's counts and due dates on each snapshot", _m5_plan_summary),
    (6, "share links for one client; sign-ins that can be ended; whose each draft is", _m6_share_links),
    (7, "the headline on each snapshot: mode, verdict, licence basis, next deadline", _m7_headline),
)
LATEST_SCHEMA = MIGRATIONS[-1][0]


class NewerSchema(Exception):
    """The database was upgraded by a newer version of the program."""


def migrate(conn: Connection) -> list[int]:
    """Apply the missing migrations inside the caller's (write-locked) transaction; returns those applied."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
    schema_migrations.create(conn, checkfirst=True)
    current = conn.execute(select(func.max(schema_migrations.c.version))).scalar() or 0
    if current > LATEST_SCHEMA:
        raise NewerSchema(f"database schema version {current} is newer than this program's ({LATEST_SCHEMA})")
    applied = []
    for version, _title, apply in MIGRATIONS:
        if version > current:
            apply(conn)
            conn.execute(schema_migrations.insert().values(version=version, applied_at=clock.now()))
            applied.append(version)
    return applied
