"""Where the database is and how to reach it without ever hanging: URL resolution, engines, error mapping.

SQLite (the default, one file in the per-user data folder) runs in WAL mode so readers never wait for
a writer; write transactions start with ``BEGIN IMMEDIATE`` so two writers queue instead of
deadlocking. Connections open the file with ``mode=rw`` and check at every checkout that it is still
the same file, so a removed or unmounted data folder is reported instead of silently writing into a
deleted file or a fresh empty database. Only the default file's folder is created; a file named in
``CCL_DATABASE_URL`` or ``--database`` must be in a folder that exists (a typing mistake in the path
would otherwise start an empty database and report success).

PostgreSQL (``CCL_DATABASE_URL``) uses psycopg 3 with a connect timeout, TCP keepalives and a TCP user
timeout, a server-side lock/statement timeout, and a pool that pings connections before use so a
restarted server is picked up again without restarting the app. None of these ends a call to a server
that is frozen but still has its sockets open (the kernel keeps answering for it), so every operation
also runs under a client-side ``Deadline`` that shuts its connection's socket when the time is up.
"""

from __future__ import annotations

import math
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import QueuePool

from ccl.store.models import BadValue, StoreUnavailable

if TYPE_CHECKING:
    import sqlite3

DEFAULT_TIMEOUT = 5.0
APP_DIR = "ccl-readiness"
SQLITE_FILE = "ccl.sqlite3"


def default_sqlite_path() -> Path:
    """$CCL_DATA_DIR/ccl.sqlite3, else the per-user data folder (XDG; LOCALAPPDATA on Windows)."""
    if os.environ.get("CCL_DATA_DIR"):
        return Path(os.environ["CCL_DATA_DIR"]).expanduser() / SQLITE_FILE
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / APP_DIR / SQLITE_FILE
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base).expanduser() / APP_DIR / SQLITE_FILE


def resolve_url(url: str | None = None) -> URL:
    """The given URL, else $CCL_DATABASE_URL, else the default SQLite file; postgres URLs use psycopg 3."""
    raw = (url or os.environ.get("CCL_DATABASE_URL") or "").strip()
    if not raw:
        return URL.create("sqlite", database=str(default_sqlite_path()))
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix) :]
    try:
        parsed = make_url(raw)
    except sa_exc.ArgumentError:
        raise StoreUnavailable("not a database URL", reason="bad_url") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreUnavailable(parsed.drivername, reason="bad_url")
    return parsed


def default_timeout() -> float:
    """Seconds any one database call may take (connect, lock, statement): $CCL_DB_TIMEOUT, else 5."""
    try:
        return max(1.0, float(os.environ.get("CCL_DB_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def make_engine(url: URL, timeout: float) -> tuple[Engine, str]:
    """An engine for the URL and a short description of where the data lives (password hidden)."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, timeout)
    return _postgres_engine(url, timeout)


# --- SQLite ---------------------------------------------------------------------------------------


def _sqlite_engine(url: URL, timeout: float) -> tuple[Engine, str]:
    import sqlite3

    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise StoreUnavailable("SQLite needs a file path (sqlite:////path/to/ccl.sqlite3)", reason="bad_url")
    path = Path(url.database).expanduser().absolute()
    if not path.parent.is_dir() and path != default_sqlite_path().expanduser().absolute():
        # A named file goes into a folder that exists: a mistyped path must not start an empty database.
        raise StoreUnavailable(f"{path.parent}: no such folder", reason="no_folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # the per-user data folder, on first use
        _enable_wal(path, timeout)
    except (OSError, sqlite3.Error) as exc:
        raise StoreUnavailable(f"{path}: {exc}") from None
    uri = f"{path.as_uri()}?mode=rw"  # mode=rw: never create a fresh file behind the app's back

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    engine = create_engine(
        "sqlite+pysqlite://", creator=connect, poolclass=QueuePool, pool_size=5, max_overflow=10, pool_timeout=timeout
    )
    _sqlite_events(engine, path)
    return engine, f"SQLite: {path}"


def _enable_wal(path: Path, timeout: float) -> None:
    """Switch a (possibly brand-new) file to WAL, waiting out other processes doing the same.

    Changing the journal mode needs an exclusive lock, and SQLite reports "database is locked" at once,
    without its busy handler, when several processes create the same fresh file together; so retry
    until the timeout instead of failing the first instance that loses the race.
    """
    import sqlite3

    deadline = time.monotonic() + timeout
    while True:
        try:
            with closing(sqlite3.connect(path, timeout=timeout)) as first:
                if first.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    first.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _file_id(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _sqlite_events(engine: Engine, path: Path) -> None:
    @event.listens_for(engine, "connect")
    def remember_file(dbapi_conn: Any, record: Any) -> None:
        record.info["file_id"] = _file_id(path)

    @event.listens_for(engine, "checkout")
    def same_file(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        # An open handle keeps working on a deleted file (and in WAL mode even accepts writes that go
        # nowhere): reconnect instead, which fails loudly with mode=rw if the file is gone.
        try:
            current = _file_id(path)
        except OSError:
            current = None
        if current != record.info.get("file_id"):
            raise sa_exc.DisconnectionError(f"{path} was moved or removed")

    @event.listens_for(engine, "begin")
    def begin(conn: Any) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None); writers take the write
        # lock up front so the version check and the insert see the same state.
        write = conn.get_execution_options().get("ccl_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# --- PostgreSQL -----------------------------------------------------------------------------------


def _postgres_engine(url: URL, timeout: float) -> tuple[Engine, str]:
    seconds = max(2, round(timeout))  # libpq's minimum connect timeout is 2 s
    # The server gives up on a lock or a statement a little before the client's deadline, so a busy
    # server is reported as busy rather than cut off.
    options = " ".join(
        filter(
            None,
            [
                str(url.query.get("options", "")),
                f"-c lock_timeout={round(timeout * 600)}",
                f"-c statement_timeout={round(timeout * 800)}",
                f"-c idle_in_transaction_session_timeout={seconds * 12000}",
            ],
        )
    )
    connect_args = {
        "connect_timeout": seconds,
        "options": options,
        "application_name": "ccl-readiness",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 3,
        "keepalives_count": 3,
        "tcp_user_timeout": seconds * 3000,
    }
    engine = create_engine(
        url,
        connect_args=connect_args,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        pool_timeout=timeout,
        pool_recycle=1800,
    )
    _deadline_events(engine)
    where = f"PostgreSQL: {url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
    return engine, where


# --- the client-side deadline ---------------------------------------------------------------------


class Deadline:
    """Ends a database operation that outlives ``seconds``: a timer shuts the sockets it uses.

    A frozen server (stopped, swapping, a hung disk) never answers, yet its kernel keeps the TCP
    connection alive, so neither keepalives nor the TCP user timeout fire and the call would wait
    forever. Shutting the socket makes the waiting call fail at once; ``fired`` tells the caller why.
    Connections register themselves through the engine's events (``_deadline_events``); the deadline
    in force is per thread, as each operation runs in the caller's thread.
    """

    _local = threading.local()

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired = False
        self._ends = time.monotonic() + seconds
        self._fds: set[int] = set()
        self._done = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    @classmethod
    def current(cls) -> Deadline | None:
        return getattr(cls._local, "deadline", None)

    def remaining(self) -> float:
        return self._ends - time.monotonic()

    def __enter__(self) -> Deadline:
        self._outer = Deadline.current()
        Deadline._local.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
        Deadline._local.deadline = self._outer

    def watch(self, dbapi_conn: Any) -> None:
        """Shut this connection's socket if the deadline passes while the operation still runs."""
        try:
            fd = int(dbapi_conn.fileno())
        except Exception:  # a closed or broken connection has no socket to watch
            return
        with self._lock:
            late = self.fired and not self._done
            self._fds.add(fd)
        if late:
            _shut(fd)

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            fds = tuple(self._fds)
        for fd in fds:
            _shut(fd)


def _shut(fd: int) -> None:
    """Shut a connection's socket down without closing the descriptor its driver owns."""
    try:
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _deadline_events(engine: Engine) -> None:
    @event.listens_for(engine, "do_connect")
    def connect_within(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        deadline = Deadline.current()
        if deadline is None:
            return
        if deadline.fired or deadline.remaining() <= 0:
            raise sa_exc.DisconnectionError(f"no answer within {deadline.seconds:g} s")
        cparams["connect_timeout"] = max(
            2, min(int(cparams.get("connect_timeout", 2)), math.ceil(deadline.remaining()))
        )

    @event.listens_for(engine, "checkout")
    def watch_checked_out(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        if (deadline := Deadline.current()) is not None:
            deadline.watch(dbapi_conn)

    # The pool pings a connection before the checkout event, and a ping to a frozen server hangs too.
    ping = engine.dialect.do_ping

    def watched_ping(dbapi_conn: Any) -> bool:
        if (deadline := Deadline.current()) is not None:
            deadline.watch(dbapi_conn)
        return ping(dbapi_conn)

    # SQLAlchemy has no hook around its pre-ping: this instance attribute wraps the dialect's own method
    engine.dialect.do_ping = watched_ping  # type: ignore[method-assign,assignment]


# --- errors ---------------------------------------------------------------------------------------

_BUSY_MARKERS = ("database is locked", "lock timeout", "statement timeout", "canceling statement")


@contextmanager
def unavailable_on_db_errors() -> Iterator[None]:
    """Turn every "cannot reach / cannot use the database" failure into StoreUnavailable."""
    try:
        yield
    except sa_exc.IntegrityError:
        raise
    except sa_exc.DataError as exc:  # e.g. a NUL in text: the input is wrong, the database is fine
        raise BadValue(str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "DataError") from exc
    except sa_exc.DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else exc.__class__.__name__
        busy = any(m in detail.lower() for m in _BUSY_MARKERS)
        raise StoreUnavailable(detail, reason="busy" if busy else "unreachable") from exc
    except sa_exc.TimeoutError as exc:  # every pooled connection stayed busy
        raise StoreUnavailable(str(exc), reason="busy") from exc
    except sa_exc.DisconnectionError as exc:
        raise StoreUnavailable(str(exc)) from exc
