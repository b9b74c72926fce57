"""Fixtures and helpers for the store tests: a fresh database per test on SQLite and, when
$CCL_TEST_DATABASE_URL is set, on PostgreSQL (a uniquely named schema, dropped afterwards); a TCP
proxy that can cut the connection to PostgreSQL; workers for the multi-process tests."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from ccl.store import ConflictError, Store, summary_of

START = date(2026, 11, 30)
PG_URL = os.environ.get("CCL_TEST_DATABASE_URL", "")
needs_pg = pytest.mark.skipif(not PG_URL, reason="set CCL_TEST_DATABASE_URL to run against PostgreSQL")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=[pytest.mark.postgres, needs_pg]),
]


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A URL whose connections use a new, empty schema; the schema is dropped afterwards."""
    import psycopg

    schema = f"ccl_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(PG_URL), autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            url = make_url(_libpq(PG_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
            yield url.render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        (tmp_path / "data").mkdir()
        yield f"sqlite:///{tmp_path / 'data' / 'ccl.sqlite3'}"
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()


def save_sample(store: Store, engine: Any, sample: Any, client_id: int | None = None, **kw: Any) -> Any:
    ev = engine.evaluate(sample.load(), START)
    return store.save(client_id, ev.profile, summary_of(ev), **kw)


# --- a TCP proxy that can be cut and restored -----------------------------------------------------


class Proxy:
    """Forwards a local port to PostgreSQL; ``stop()`` drops every connection as an outage would."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = _free_port()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> Proxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
            listener, self._listener = self._listener, None
        for s in [*sockets, *([listener] if listener else [])]:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def url(self, base: str) -> str:
        return make_url(base).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := src.recv(65536):
            dst.sendall(data)
    with contextlib.suppress(OSError):
        dst.shutdown(socket.SHUT_WR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_target() -> tuple[str, int]:
    url = make_url(_libpq(PG_URL))
    return url.host or "127.0.0.1", url.port or 5432


# --- workers for the concurrency tests (module level so spawned processes can import them) ------


def race(store: Store, client_id: int, rounds: int, barrier: Any, worker: int) -> list[tuple[Any, ...]]:
    """Each round: everybody loads the latest version, then everybody saves on top of it at once."""
    outcomes = []
    for r in range(rounds):
        barrier.wait()
        loaded = store.latest(client_id)
        barrier.wait()
        profile = loaded.profile.with_answer("staffing.planned_agents", 1000 * worker + r)
        try:
            info = store.save(client_id, profile, loaded.summary, f"worker {worker}", expected_version=loaded.version)
            outcomes.append((r, loaded.version, "won", info.version, info.id, worker))
        except ConflictError as err:
            outcomes.append((r, loaded.version, "conflict", err.latest.version, err.latest.id, worker))
    return outcomes


def race_process(url: str, client_id: int, rounds: int, barrier: Any, queue: Any, worker: int) -> None:
    store = Store.open(url)
    try:
        queue.put(race(store, client_id, rounds, barrier, worker))
    finally:
        store.close()


def open_process(url: str, barrier: Any, queue: Any) -> None:
    barrier.wait()
    try:
        Store.open(url).close()
        queue.put("ok")
    except Exception as exc:  # reported to the parent, which fails the test
        queue.put(f"{exc.__class__.__name__}: {exc}")


def crash_mid_save(url: str, client_id: int) -> None:
    """Die (no cleanup at all) after the new snapshot row is written, before the commit."""
    from sqlalchemy import event

    store = Store.open(url)
    loaded = store.latest(client_id)

    @event.listens_for(store._engine, "after_cursor_execute")
    def die(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE CLIENTS"):
            os._exit(17)

    store.save(
        client_id,
        loaded.profile.with_answer("staffing.planned_agents", 4242),
        loaded.summary,
        "crasher",
        expected_version=loaded.version,
    )
    os._exit(0)  # not reached
