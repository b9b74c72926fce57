"""Migration 3: a snapshot may have no licence date (a legal gate still waits on an answer)."""

# ruff: noqa: F811  (db_url is a fixture imported from store_support)

from __future__ import annotations

from sqlalchemy import MetaData, create_engine, select
from store_support import START, db_url, save_sample  # noqa: F401

from ccl.profile import Profile
from ccl.store import Store, summary_of
from ccl.store.connect import resolve_url
from ccl.store.schema import _m1_clients_and_snapshots, _tables_v1, migrate, schema_migrations


def test_a_blank_company_is_saved_without_a_licence_date(db_url, engine, samples):
    ev = engine.evaluate(Profile(), START)
    with Store.open(db_url) as store:
        info = store.save(None, ev.profile, summary_of(ev), name="空白公司")
        assert info.summary.licence_date is None
        dated = save_sample(store, engine, samples[0])
        assert dated.summary.licence_date is not None
        got = {c.id: c.latest.summary.licence_date for c in store.list_clients()}
        assert got[info.client_id] is None and got[dated.client_id] == dated.summary.licence_date


def test_version_1_database_keeps_its_snapshots_through_migrations_2_and_3(tmp_path, engine, samples):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    eng = create_engine(resolve_url(url))
    ev = engine.evaluate(samples[0].load(), START)
    with eng.begin() as conn:  # a database as version 1 left it, with one saved snapshot
        _m1_clients_and_snapshots(conn)
        schema_migrations.create(conn)
        conn.execute(schema_migrations.insert().values(version=1, applied_at=START))
        clients, snapshots = _tables_v1(MetaData())
        conn.execute(clients.insert().values(id=1, name="a", name_key="a", latest_version=1, created_at=START))
        summary = {k: v for k, v in summary_of(ev).model_dump().items() if k in snapshots.c}  # version 1's columns
        row = {**summary, "saved_at": START, "saved_by": "", "profile_json": "{}"}
        conn.execute(snapshots.insert().values(id=1, client_id=1, version=1, **row))
    with eng.begin() as conn:
        assert migrate(conn) == [2, 3, 4, 5, 6, 7]
        kept = conn.execute(select(snapshots.c.licence_date, snapshots.c.overall)).one()
    eng.dispose()
    assert kept == (ev.expected.licence_date, summary_of(ev).overall)
    with Store.open(url) as store:
        assert [(c.id, c.workspace) for c in store.list_clients()] == [(1, None)]  # migration 4: not deleted
        blank = engine.evaluate(Profile(), START)
        assert store.save(None, blank.profile, summary_of(blank), name="b").summary.licence_date is None
