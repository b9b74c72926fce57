"""Workspaces, soft deletion, restore, purge and the audit log, on SQLite and PostgreSQL."""

# ruff: noqa: F811  (the db_url and store fixtures are imported from store_support)

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from store_support import db_url, save_sample, store  # noqa: F401  (fixtures)

from ccl.store import NotFound
from ccl.store.schema import clients


def test_a_reader_sees_only_the_clients_of_their_workspaces(store, engine, samples):
    bj = save_sample(store, engine, samples[0], saved_by="王", workspace="beijing")
    sh = save_sample(store, engine, samples[1], saved_by="李", workspace="shanghai")
    save_sample(store, engine, samples[0], bj.client_id, expected_version=1, workspace="shanghai")
    assert [c.id for c in store.list_clients(["beijing"])] == [bj.client_id]  # a later save keeps the workspace
    assert {c.id for c in store.list_clients()} == {bj.client_id, sh.client_id}
    assert store.list_clients([]) == []
    assert store.get_client(bj.client_id).workspace == "beijing"
    name = samples[1].load().company.name
    assert store.find_clients(name, ["beijing"]) == []
    assert [c.id for c in store.find_clients(name, ["shanghai"])] == [sh.client_id]
    for call, arg in ((store.history, sh.client_id), (store.latest, sh.client_id), (store.load_snapshot, sh.id)):
        with pytest.raises(NotFound):
            call(arg, ["beijing"])


def test_a_deleted_client_is_hidden_and_an_admin_can_restore_it(store, engine, samples):
    keep = save_sample(store, engine, samples[0], saved_by="王")
    gone = save_sample(store, engine, samples[1], saved_by="李")
    assert store.delete_client(gone.client_id, by="王 <wang@example.com>") is True
    assert [c.id for c in store.list_clients()] == [keep.client_id]
    with pytest.raises(NotFound):
        save_sample(store, engine, samples[1], gone.client_id, expected_version=1)
    [deleted] = store.deleted_clients()
    assert (deleted.id, deleted.versions) == (gone.client_id, 1)
    assert store.restore_client(gone.client_id, by="王 <wang@example.com>") is True
    assert store.deleted_clients() == []
    assert store.latest(gone.client_id).profile == samples[1].load()  # answers and versions came back
    assert store.restore_client(gone.client_id) is False  # not deleted


def test_after_the_restore_window_a_deleted_client_is_purged(store, engine, samples):
    old = save_sample(store, engine, samples[0])
    recent = save_sample(store, engine, samples[1])
    store.delete_client(old.client_id)
    store.delete_client(recent.client_id)
    with store._engine.begin() as conn:  # deleted 31 days ago
        when = datetime.now(UTC) - timedelta(days=31)
        conn.execute(update(clients).where(clients.c.id == old.client_id).values(deleted_at=when))
    assert [d.id for d in store.deleted_clients(days=30)] == [recent.client_id]
    assert store.restore_client(old.client_id, days=30) is False
    assert store.purge_deleted(by="system", days=30) == 1
    assert [d.id for d in store.deleted_clients(days=365)] == [recent.client_id]


def test_every_save_delete_and_restore_is_in_the_audit_log(store, engine, samples):
    first = save_sample(store, engine, samples[0], saved_by="王 <wang@example.com>", workspace="beijing")
    save_sample(store, engine, samples[0], first.client_id, expected_version=1, saved_by="李 <li@example.com>")
    store.delete_client(first.client_id, by="王 <wang@example.com>")
    store.restore_client(first.client_id, by="王 <wang@example.com>")
    log = store.audit_entries()
    assert [(e.action, e.who, e.version) for e in log] == [
        ("restore", "王 <wang@example.com>", None),
        ("delete", "王 <wang@example.com>", None),
        ("save", "李 <li@example.com>", 2),
        ("save", "王 <wang@example.com>", 1),
    ]
    assert {e.client_id for e in log} == {first.client_id}
    assert {e.workspace for e in log} == {"beijing"}
    assert all(e.at.tzinfo is not None for e in log)
    assert store.audit_entries(["shanghai"]) == []


def test_a_user_out_of_a_workspace_cannot_save_into_its_client(store, engine, samples):
    bob = save_sample(store, engine, samples[0], saved_by="bob", workspace="wsB")
    for expected in (1, 0):  # the current version, or an old one (the conflict path reads the client too)
        with pytest.raises(NotFound):
            save_sample(store, engine, samples[1], bob.client_id, expected_version=expected, workspaces=["wsA"])
    with pytest.raises(NotFound):
        save_sample(store, engine, samples[1], bob.client_id, force=True, workspaces=["wsA"])
    assert [s.version for s in store.history(bob.client_id)] == [1]  # nothing was written
    ok = save_sample(store, engine, samples[1], bob.client_id, expected_version=1, workspaces=["wsB"])
    assert ok.version == 2


@pytest.mark.parametrize("forged", ["1", "abc", 2**70, 1.5, [1], True, -1, 0])
def test_a_forged_id_is_not_found_never_an_outage(store, engine, samples, forged):
    save_sample(store, engine, samples[0])
    for call in (store.latest, store.get_client, store.history, store.load_snapshot):
        with pytest.raises(NotFound):
            call(forged)
    with pytest.raises(NotFound):
        save_sample(store, engine, samples[0], forged, expected_version=1)
    with pytest.raises(NotFound):
        store.create_share(forged, "view")
