"""The store on SQLite and PostgreSQL: migrations, round trips, history, conflicts, outages, deletion."""

# ruff: noqa: F811  (the db_url and store fixtures are imported from store_support)

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import threading
from collections import Counter

import pytest
from project import ROOT
from sqlalchemy import create_engine, text
from store_support import (  # noqa: F401  (db_url and store are fixtures)
    PG_URL,
    START,
    Proxy,
    crash_mid_save,
    db_url,
    needs_pg,
    open_process,
    pg_schema,
    pg_target,
    race,
    race_process,
    save_sample,
    store,
)

from ccl.profile import dump_profile
from ccl.store import (
    ConflictError,
    NotFound,
    Store,
    StoreUnavailable,
    name_key,
    summary_of,
)
from ccl.store.schema import MIGRATIONS

SPAWN = multiprocessing.get_context("spawn")


def _migrations(url: str) -> list[tuple[int, object]]:
    from ccl.store.connect import resolve_url

    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT version, applied_at FROM schema_migrations"))]
    finally:
        engine.dispose()


# --- migrations ------------------------------------------------------------------------------------


def test_empty_database_is_migrated_and_reopening_changes_nothing(db_url):
    Store.open(db_url).close()
    first = _migrations(db_url)
    assert [v for v, _ in first] == [v for v, _, _ in MIGRATIONS]
    with Store.open(db_url) as again:
        assert again.list_clients() == []
    assert _migrations(db_url) == first


@pytest.mark.slow  # several processes
def test_processes_opening_a_fresh_database_at_once_apply_each_migration_once(db_url):
    n = 4
    barrier, queue = SPAWN.Barrier(n), SPAWN.Queue()
    procs = [SPAWN.Process(target=open_process, args=(db_url, barrier, queue)) for _ in range(n)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(60)
    assert results == ["ok"] * n
    assert [v for v, _ in _migrations(db_url)] == [v for v, _, _ in MIGRATIONS]


def test_database_from_a_newer_program_is_refused_with_a_clear_reason(store, db_url):
    with store._engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_migrations (version, applied_at) VALUES (999, CURRENT_TIMESTAMP)"))
    with pytest.raises(StoreUnavailable) as err:
        Store.open(db_url)
    assert err.value.reason == "newer_schema"
    assert "升级" in err.value.user_message("zh")


# --- saving and loading ------------------------------------------------------------------------------


def test_every_sample_round_trips_identically(store, engine, samples):
    for sample in samples:
        ev = engine.evaluate(sample.load(), START)
        info = store.save(None, ev.profile, summary_of(ev), saved_by="测试")
        loaded = store.load_snapshot(info.id)
        assert loaded.profile == ev.profile
        assert dump_profile(loaded.profile) == dump_profile(ev.profile)
        assert loaded.summary == summary_of(ev)
        assert (loaded.version, loaded.saved_by, loaded.client_id) == (1, "测试", info.client_id)
        assert store.get_client(info.client_id).name == ev.profile.company.name
    assert len(store.list_clients()) == len(samples)


def test_history_is_oldest_first_and_the_list_shows_the_latest(store, engine, samples):
    first = save_sample(store, engine, samples[2], saved_by="A")
    other = save_sample(store, engine, samples[0])
    cid = first.client_id
    for version, sample in ((1, samples[1]), (2, samples[0])):
        save_sample(store, engine, sample, cid, saved_by=f"v{version + 1}", expected_version=version)
    history = store.history(cid)
    assert [h.version for h in history] == [1, 2, 3]
    assert [h.saved_by for h in history] == ["A", "v2", "v3"]
    assert history[0].saved_at <= history[1].saved_at <= history[2].saved_at
    assert store.latest(cid).version == 3
    listed = {c.id: c for c in store.list_clients()}
    assert listed[cid].latest.id == history[-1].id and listed[cid].versions == 3
    assert listed[cid].name == samples[0].load().company.name  # renamed with the latest answers
    assert listed[other.client_id].versions == 1


def test_names_match_ignoring_case_spaces_and_full_width_forms(store, engine, samples):
    info = save_sample(store, engine, samples[3])  # 北京众联信息咨询中心（有限合伙）
    found = store.find_clients(" 北京众联信息咨询中心 (有限合伙) ")
    assert [c.id for c in found] == [info.client_id]
    assert store.find_clients("北京众联") == []
    assert name_key("ABC 有限公司") == name_key("abc有限公司")


# --- conflicts ---------------------------------------------------------------------------------------


def test_saving_on_top_of_a_newer_version_raises_conflict_with_what_to_diff(store, engine, samples):
    mine = save_sample(store, engine, samples[2])
    cid = mine.client_id
    theirs = samples[2].load().with_answer("staffing.insured_staff", 99)
    ev = engine.evaluate(theirs, START)
    store.save(cid, theirs, summary_of(ev), "同事", expected_version=1)
    with pytest.raises(ConflictError) as err:
        save_sample(store, engine, samples[1], cid, expected_version=1)
    assert err.value.latest.version == 2 and err.value.latest.profile == theirs
    assert "第 2 版" in err.value.user_message("zh") and "同事" in err.value.user_message("zh")
    assert [h.version for h in store.history(cid)] == [1, 2]  # nothing written
    with pytest.raises(ConflictError):  # "I loaded nothing" is not a licence to overwrite either
        save_sample(store, engine, samples[1], cid)
    again = save_sample(store, engine, samples[1], cid, expected_version=err.value.latest.version)
    forced = save_sample(store, engine, samples[0], cid, expected_version=1, force=True)
    assert (again.version, forced.version) == (3, 4)


def _assert_race(outcomes, writers, rounds, store, cid):
    by_round = {}
    for o in outcomes:
        by_round.setdefault(o[0], []).append(o)
    for r in range(rounds):
        results = by_round[r]
        assert len(results) == writers
        loaded = {o[1] for o in results}
        assert len(loaded) == 1, "everybody loaded the same version"
        winners = [o for o in results if o[2] == "won"]
        assert len(winners) == 1, f"round {r}: exactly one writer wins, got {winners}"
        assert winners[0][3] == loaded.pop() + 1
        assert all(o[3] == winners[0][3] for o in results if o[2] == "conflict"), "losers see the winner"
    history = store.history(cid)
    assert [h.version for h in history] == list(range(1, rounds + 2))  # no gap, no duplicate
    won = {o[4]: o for o in outcomes if o[2] == "won"}
    assert {h.id for h in history[1:]} == set(won)  # every reported save is there: none lost
    for h in history[1:]:
        assert h.saved_by == f"worker {won[h.id][5]}"


def test_concurrent_writers_in_threads_never_lose_a_snapshot(store, engine, samples):
    cid = save_sample(store, engine, samples[0]).client_id
    writers, rounds = 4, 8
    barrier, outcomes, errors = threading.Barrier(writers), [], []

    def work(worker: int) -> None:
        try:
            outcomes.extend(race(store, cid, rounds, barrier, worker))
        except Exception as exc:  # surfaced below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors
    _assert_race(outcomes, writers, rounds, store, cid)


@pytest.mark.slow  # several processes
def test_concurrent_writers_in_processes_never_lose_a_snapshot(store, db_url, engine, samples):
    cid = save_sample(store, engine, samples[0]).client_id
    writers, rounds = 3, 5
    barrier, queue = SPAWN.Barrier(writers), SPAWN.Queue()
    procs = [SPAWN.Process(target=race_process, args=(db_url, cid, rounds, barrier, queue, w)) for w in range(writers)]
    for p in procs:
        p.start()
    outcomes = [o for _ in procs for o in queue.get(timeout=120)]
    for p in procs:
        p.join(60)
    _assert_race(outcomes, writers, rounds, store, cid)


def test_forced_saves_at_once_all_land_as_distinct_versions(store, engine, samples):
    cid = save_sample(store, engine, samples[0]).client_id
    writers = 6
    barrier, infos = threading.Barrier(writers), []

    def work(worker: int) -> None:
        barrier.wait()
        infos.append(save_sample(store, engine, samples[worker % 3], cid, saved_by=str(worker), force=True))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(i.version for i in infos) == list(range(2, writers + 2))
    assert Counter(h.saved_by for h in store.history(cid)[1:]) == Counter(str(w) for w in range(writers))


@pytest.mark.slow  # several processes
def test_a_process_killed_mid_save_leaves_the_previous_state(store, db_url, engine, samples):
    first = save_sample(store, engine, samples[0])
    proc = SPAWN.Process(target=crash_mid_save, args=(db_url, first.client_id))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 17  # it died inside the transaction
    assert [h.version for h in store.history(first.client_id)] == [1]
    assert store.latest(first.client_id).profile == samples[0].load()
    after = save_sample(store, engine, samples[1], first.client_id, expected_version=1)
    assert after.version == 2  # and the lock it held is gone


# --- deletion ----------------------------------------------------------------------------------------


def test_deleting_a_client_removes_it_and_only_it(store, engine, samples):
    keep = save_sample(store, engine, samples[0])
    gone = save_sample(store, engine, samples[1])
    second = save_sample(store, engine, samples[1], gone.client_id, expected_version=1)
    assert store.delete_client(gone.client_id) is True
    assert [c.id for c in store.list_clients()] == [keep.client_id]
    for call, arg in (
        (store.history, gone.client_id),
        (store.latest, gone.client_id),
        (store.get_client, gone.client_id),
        (store.load_snapshot, second.id),
    ):
        with pytest.raises(NotFound):
            call(arg)
    with pytest.raises(NotFound) as err:
        save_sample(store, engine, samples[1], gone.client_id, expected_version=2)
    assert "删除" in err.value.user_message("zh")
    assert store.delete_client(gone.client_id) is False
    assert store.latest(keep.client_id).profile == samples[0].load()


# --- outages -----------------------------------------------------------------------------------------


def test_sqlite_folder_that_disappears_mid_session_and_comes_back(tmp_path, engine, samples):
    folder = tmp_path / "share"
    folder.mkdir()
    with Store.open(f"sqlite:///{folder / 'ccl.sqlite3'}") as s:
        info = save_sample(s, engine, samples[0])
        folder.rename(tmp_path / "unmounted")
        with pytest.raises(StoreUnavailable) as err:
            s.list_clients()
        assert "无法连接数据库" in err.value.user_message("zh")
        with pytest.raises(StoreUnavailable):
            save_sample(s, engine, samples[1], info.client_id, expected_version=1)
        assert not folder.exists(), "a vanished database is not silently recreated"
        (tmp_path / "unmounted").rename(folder)
        assert [c.id for c in s.list_clients()] == [info.client_id]
        assert save_sample(s, engine, samples[1], info.client_id, expected_version=1).version == 2


def test_sqlite_path_that_cannot_be_created_is_unavailable(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable):
        Store.open(f"sqlite:///{blocker / 'ccl.sqlite3'}")


def test_a_mistyped_sqlite_folder_is_refused_not_started_empty(tmp_path, capsys):
    from ccl.cli import main

    with pytest.raises(StoreUnavailable) as err:
        Store.open(f"sqlite:///{tmp_path / 'typo' / 'ccl.sqlite3'}")
    assert "文件夹不存在" in err.value.user_message("zh")
    assert main(["clients", "list", "--database", f"sqlite:///{tmp_path / 'typo' / 'x.sqlite3'}"]) != 0
    assert not (tmp_path / "typo").exists()


def test_sqlite_writer_waiting_too_long_gets_busy_not_a_hang(tmp_path, engine, samples):
    path = tmp_path / "ccl.sqlite3"
    with Store.open(f"sqlite:///{path}", timeout=1) as s:
        import sqlite3

        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreUnavailable) as err:
                save_sample(s, engine, samples[0])
            assert err.value.reason == "busy"
            assert s.list_clients() == []  # readers are not blocked by the writer (WAL)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert save_sample(s, engine, samples[0]).version == 1


@needs_pg
@pytest.mark.postgres
def test_postgres_that_goes_away_mid_session_and_comes_back(engine, samples):
    with pg_schema() as url:
        proxy = Proxy(pg_target()).start()
        s = Store.open(proxy.url(url), timeout=2)
        try:
            info = save_sample(s, engine, samples[0])
            proxy.stop()
            with pytest.raises(StoreUnavailable):
                s.list_clients()
            with pytest.raises(StoreUnavailable):
                save_sample(s, engine, samples[1], info.client_id, expected_version=1)
            proxy.start()
            assert [c.id for c in s.list_clients()] == [info.client_id]
            assert save_sample(s, engine, samples[1], info.client_id, expected_version=1).version == 2
        finally:
            s.close()
            proxy.stop()


@needs_pg
@pytest.mark.postgres
def test_postgres_backend_terminated_is_reconnected_transparently(engine, samples):
    with pg_schema() as url, Store.open(url) as s:
        info = save_sample(s, engine, samples[0])
        with s._engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
        admin.dispose()
        assert s.latest(info.client_id).version == 1  # the pool noticed and reconnected


@pytest.mark.postgres  # psycopg against a closed port
def test_postgres_closed_port_is_unavailable():
    with pytest.raises(StoreUnavailable) as err:
        Store.open(f"postgresql://postgres@127.0.0.1:{_closed_port()}/test", timeout=2)
    assert err.value.reason == "unreachable"
    assert "password" not in str(err.value)


@pytest.mark.postgres  # psycopg against a server that never answers
def test_postgres_server_that_never_answers_times_out():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # the kernel completes the handshake; nobody ever replies
    try:
        with pytest.raises(StoreUnavailable):
            Store.open(f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/test", timeout=2)
    finally:
        silent.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_postgres_store_does_not_load_sqlite(tmp_path):
    """A team server on PostgreSQL carries no SQLite library (~1 MB of its memory): in a fresh interpreter a
    PostgreSQL engine (it connects lazily) leaves sqlite3 out; a SQLite store's engine loads it."""
    script = (
        "import sys\n"
        "from ccl.store.connect import make_engine, resolve_url\n"
        "make_engine(resolve_url('postgresql://postgres@127.0.0.1:1/test'), 2)\n"
        "print('sqlite3' in sys.modules)\n"
        f"make_engine(resolve_url('sqlite:///{tmp_path}/ccl.sqlite3'), 2)\n"
        "print('sqlite3' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "True"], out.stderr


def test_bad_urls_say_what_to_fix():
    with pytest.raises(StoreUnavailable) as err:
        Store.open("mysql://someone@db/ccl")
    assert err.value.reason == "bad_url" and "CCL_DATABASE_URL" in err.value.user_message("en")


def test_default_location_follows_the_environment(tmp_path, monkeypatch):
    from ccl.store import default_sqlite_path, resolve_url

    monkeypatch.delenv("CCL_DATABASE_URL", raising=False)
    monkeypatch.delenv("CCL_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_sqlite_path() == tmp_path / "xdg" / "ccl-readiness" / "ccl.sqlite3"
    monkeypatch.setenv("CCL_DATA_DIR", str(tmp_path / "mine"))
    assert resolve_url().database == str(tmp_path / "mine" / "ccl.sqlite3")
    monkeypatch.setenv("CCL_DATABASE_URL", "postgresql://u:secret@db.example:5433/ccl")
    url = resolve_url()
    assert (url.drivername, url.host, url.port) == ("postgresql+psycopg", "db.example", 5433)
    with Store.open(f"sqlite:///{tmp_path / 'x.sqlite3'}") as s:
        assert s.backend == "sqlite" and os.fspath(tmp_path) in s.where


def test_a_snapshot_saved_by_an_older_release_loads_upgraded(store, engine, samples):
    from tests.ccl.test_migrations import as_v1

    info = save_sample(store, engine, samples[0])
    with store._engine.begin() as conn:  # as a version-1 program wrote it
        conn.execute(
            text("UPDATE snapshots SET profile_json = :j WHERE id = :i"), {"j": as_v1(samples[0].load()), "i": info.id}
        )
    loaded = store.load_snapshot(info.id)
    assert loaded.profile == samples[0].load()
