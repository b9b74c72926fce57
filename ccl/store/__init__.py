"""Saved assessments: clients and their immutable snapshots, on SQLite (default) or PostgreSQL.

    store = Store.open()                      # $CCL_DATABASE_URL, else the per-user SQLite file
    info = store.save(None, ev.profile, summary_of(ev), saved_by="王经理")      # new client, version 1
    info = store.save(info.client_id, p2, summary_of(ev2), "王经理", expected_version=1)
    store.list_clients(); store.history(client_id); store.latest(client_id).profile

Every method raises ``StoreUnavailable`` when the database cannot be reached, ``ConflictError`` when
someone saved a newer version than the one loaded, ``NotFound`` for a missing client or snapshot.
"""

from ccl.store.api import Store, name_key
from ccl.store.connect import default_sqlite_path, resolve_url
from ccl.store.drafts import new_draft_id, valid_draft_id
from ccl.store.models import (
    BadValue,
    ClientSummary,
    ConflictError,
    Draft,
    DraftConflict,
    DraftInfo,
    NotFound,
    Snapshot,
    SnapshotInfo,
    SnapshotSummary,
    StoreError,
    StoreUnavailable,
    fmt_saved_at,
    local_time,
    summary_of,
)

__all__ = [
    "BadValue",
    "ClientSummary",
    "ConflictError",
    "Draft",
    "DraftConflict",
    "DraftInfo",
    "NotFound",
    "Snapshot",
    "SnapshotInfo",
    "SnapshotSummary",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "default_sqlite_path",
    "fmt_saved_at",
    "local_time",
    "name_key",
    "new_draft_id",
    "resolve_url",
    "summary_of",
    "valid_draft_id",
]
