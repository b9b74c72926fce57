"""Migration 5: each snapshot records its plan (counts and the due dates still ahead), on SQLite and PostgreSQL."""

# ruff: noqa: F811  (db_url is a fixture imported from store_support)

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from store_support import START, db_url, save_sample  # noqa: F401

from ccl.plan import update_action
from ccl.profile import dump_profile
from ccl.store import Store, summary_of
from ccl.store.connect import resolve_url
from ccl.store.schema import MIGRATIONS, _plan_summary_v5, _tables_v3, schema_migrations

XIAN = "10_xian_mid_remediation"
PLAN_FIELDS = ("plan_total", "plan_done", "plan_open", "plan_due_dates")


def before_plans(profile) -> str:
    """A profile as release 4 saved it: schema version 2, without the plan and the evidence."""
    data = json.loads(dump_profile(profile))
    del data["plan"], data["evidence"]
    return json.dumps(data | {"schema_version": 2}, ensure_ascii=False)


def _sample(samples, key):
    return next(s for s in samples if s.key == key)


def test_a_saved_snapshot_records_its_plan_and_counts_overdue_as_of_the_day_shown(db_url, engine, samples):
    ev = engine.evaluate(_sample(samples, XIAN).load(), START)
    with Store.open(db_url) as store:
        info = save_sample(store, engine, _sample(samples, XIAN))
        [client] = store.list_clients()
        s = client.latest.summary
        assert s == info.summary == store.history(info.client_id)[0].summary
    progress = ev.plan_progress
    assert (s.plan_total, s.plan_done, s.plan_open) == (progress.total, progress.done, progress.active) == (32, 13, 18)
    assert len(s.plan_due_dates) == 17  # one action still to do has no due date
    # overdue is counted on the day the list is shown, not the day it was saved
    assert s.plan_overdue(START) == progress.overdue == 2
    assert s.plan_next_due(START) == progress.next_due == date(2026, 12, 11)
    assert s.plan_overdue(date(2026, 12, 12)) == 5  # three more were due on 11 December
    assert s.plan_due_soon(date(2026, 12, 5)) == 3 and s.plan_due_soon(date(2026, 12, 4)) == 0
    assert s.plan_overdue(date(2026, 9, 1)) == 0 and s.plan_next_due(date(2027, 12, 31)) is None


def test_a_plan_without_due_dates_or_actions_counts_zero_not_unknown(db_url, engine, samples):
    with Store.open(db_url) as store:
        ready = save_sample(store, engine, _sample(samples, "01_guangzhou_ready"))
    s = ready.summary
    assert s.plan_tracked and (s.plan_total, s.plan_open, s.plan_due_dates) == (0, 0, ())
    assert s.plan_overdue(START) == 0 and s.plan_next_due(START) is None


@pytest.mark.parametrize("key", [XIAN, "03_chengdu_startup_undercapitalised", "01_guangzhou_ready"])
def test_the_migration_counts_a_stored_plan_as_a_save_does(engine, samples, key):
    ev = engine.evaluate(_sample(samples, key).load(), START)
    for action in ev.profile.plan[-2:]:  # a due date on the last two actions too (one in the past)
        day = START + timedelta(days=len(action.id))
        ev = engine.evaluate(ev.profile.with_plan(update_action(ev.profile.plan, action.id, START, due=day)), START)
    saved = summary_of(ev).model_dump()
    assert _plan_summary_v5(dump_profile(ev.profile)) == {k: saved[k] for k in PLAN_FIELDS}


def test_a_profile_from_before_plans_or_unreadable_has_no_plan_values(samples):
    assert _plan_summary_v5(before_plans(samples[0].load())) == dict.fromkeys(PLAN_FIELDS)
    assert _plan_summary_v5("{not json") == dict.fromkeys(PLAN_FIELDS)


def _version_4_database(url: str, rows: list[tuple[str, dict, str]]) -> None:
    """A database as release 4 left it: migrations 1–4 applied, one client per (name, summary, profile JSON)."""
    where = resolve_url(url)
    if where.get_backend_name() == "sqlite":
        Path(where.database).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(where)
    with eng.begin() as conn:
        schema_migrations.create(conn)
        for version, _title, apply in MIGRATIONS[:4]:
            apply(conn)
            conn.execute(schema_migrations.insert().values(version=version, applied_at=START))
        clients, snapshots = _tables_v3(MetaData())
        conn.execute(
            clients.insert(),
            [
                {"id": i, "name": name, "name_key": name, "latest_version": 1, "created_at": START}
                for i, (name, _, _) in enumerate(rows, 1)
            ],
        )
        conn.execute(
            snapshots.insert(),
            [
                {k: v for k, v in summary.items() if k in snapshots.c}  # release 4's columns only
                | {"id": i, "client_id": i, "version": 1, "saved_at": START, "saved_by": "", "profile_json": stored}
                for i, (_, summary, stored) in enumerate(rows, 1)
            ],
        )
        if conn.dialect.name == "postgresql":  # the ids were given: move the sequences past them
            for table in ("clients", "snapshots"):
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    eng.dispose()


def test_a_version_4_database_upgrades_and_older_snapshots_still_list(db_url, engine, samples):
    xian = engine.evaluate(_sample(samples, XIAN).load(), START)
    chengdu = engine.evaluate(_sample(samples, "03_chengdu_startup_undercapitalised").load(), START)
    _version_4_database(
        db_url,
        [
            ("西安", summary_of(xian).model_dump(), dump_profile(xian.profile)),  # saved with a plan
            ("成都", summary_of(chengdu).model_dump(), before_plans(chengdu.profile)),  # saved before plans existed
        ],
    )
    with Store.open(db_url) as store:
        clients = {c.name: c for c in store.list_clients()}
        assert set(clients) == {"西安", "成都"}
        filled, untracked = clients["西安"].latest.summary, clients["成都"].latest.summary
        want = summary_of(xian)
        assert [getattr(filled, k) for k in PLAN_FIELDS] == [getattr(want, k) for k in PLAN_FIELDS]
        assert filled.plan_overdue(START) == 2
        assert not untracked.plan_tracked
        assert untracked.plan_overdue(START) is None and untracked.plan_next_due(START) is None
        assert untracked.overall == summary_of(chengdu).overall  # the rest of the old summary is intact
        old = store.history(clients["成都"].id)
        assert len(old) == 1 and store.load_snapshot(old[0].id).profile.plan == ()
        # a new save of the old client records its plan
        info = store.save(clients["成都"].id, chengdu.profile, summary_of(chengdu), expected_version=1)
        assert info.summary.plan_open == 32
        assert store.get_client(clients["成都"].id).latest.summary.plan_open == 32
        with store._tx() as conn:
            applied = conn.execute(select(schema_migrations.c.version).order_by(schema_migrations.c.version))
            assert list(applied.scalars()) == [1, 2, 3, 4, 5, 6, 7]


def test_the_migration_fills_snapshots_in_batches(db_url, engine, samples):
    """More snapshots than one batch: every one is filled in (keyset pages of 500)."""
    ev = engine.evaluate(_sample(samples, XIAN).load(), START)
    summary, profile_json = summary_of(ev).model_dump(), dump_profile(ev.profile)
    _version_4_database(db_url, [(f"客户{i}", summary, profile_json) for i in range(1, 1102)])
    with Store.open(db_url) as store:
        clients = store.list_clients()
    assert len(clients) == 1101
    assert {(c.latest.summary.plan_open, c.latest.summary.plan_overdue(START)) for c in clients} == {(18, 2)}
