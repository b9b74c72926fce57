"""A frozen PostgreSQL (stopped with SIGSTOP, sockets still open) must not hang the app.

The kernel keeps a stopped server's TCP connections alive, so only the store's client-side deadline
can end the wait. The test runs a private cluster in a temporary folder (never the shared server),
freezes it, and checks that every kind of call ends with ``StoreUnavailable`` instead of hanging.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ccl.engine import Engine
from ccl.samples import list_samples
from ccl.store import Store, StoreUnavailable, summary_of

TIMEOUT = 2.0
BOUND = 3 * TIMEOUT + 2  # generous: this bounds hanging, it is not a speed test
BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))

# libfaketime (``faketime DATE make test``, the suite's "any day" run) also fakes the monotonic clock unless told
# not to, and then a timed wait never returns: the deadline's timer, and this test with it, would hang for good.
FAKED_MONOTONIC = (
    "faketime" in os.environ.get("LD_PRELOAD", "") and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") != "1"
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not BINS or os.geteuid() != 0, reason="needs PostgreSQL's server binaries and root"),
    pytest.mark.skipif(
        FAKED_MONOTONIC, reason="under faketime timed waits hang: set FAKETIME_DONT_FAKE_MONOTONIC=1 to run it"
    ),
]


def _as_postgres(*cmd: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, Path]]:
    """A private PostgreSQL cluster on a free loopback port: (URL, data folder)."""
    pwd.getpwnam("postgres")
    bindir = Path(BINS[-1]).parent
    home = Path(tempfile.mkdtemp(prefix="ccl-frozen-pg-"))
    data = home / "data"
    shutil.chown(home, "postgres")
    port = _free_port()
    _as_postgres(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    opts = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
    _as_postgres(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(home / "log"), "-w", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", data
    finally:
        with contextlib.suppress(Exception):
            _signal_cluster(data, signal.SIGCONT)
        with contextlib.suppress(Exception):
            _as_postgres(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(home, ignore_errors=True)


def _cluster_pids(data: Path) -> list[int]:
    """The private cluster's postmaster (from its pid file) and its children."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(postmaster)], capture_output=True, text=True)
    return [postmaster, *(int(p) for p in children.stdout.split())]


def _signal_cluster(data: Path, sig: signal.Signals) -> None:
    for pid in _cluster_pids(data):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


@contextlib.contextmanager
def frozen(data: Path) -> Iterator[None]:
    _signal_cluster(data, signal.SIGSTOP)
    try:
        yield
    finally:
        _signal_cluster(data, signal.SIGCONT)


def _bounded(call) -> StoreUnavailable:
    began = time.monotonic()
    with pytest.raises(StoreUnavailable) as info:
        call()
    assert time.monotonic() - began < BOUND, "the call hung past its deadline"
    return info.value


def test_every_call_to_a_frozen_server_ends_with_the_outage_message(cluster) -> None:
    url, data = cluster
    engine = Engine.load()
    prof = list_samples()[0].load()
    summary = summary_of(engine.evaluate(prof, date(2026, 11, 30)))
    store = Store.open(url, timeout=TIMEOUT)
    try:
        first = store.save(None, prof, summary, "王经理")  # works while the server runs
        with frozen(data):
            err = _bounded(lambda: store.save(first.client_id, prof, summary, "王经理", expected_version=1))
            assert err.reason == "timeout" and "127.0.0.1" not in err.user_message("en")
            _bounded(store.list_clients)
            _bounded(lambda: Store.open(url, timeout=TIMEOUT))  # a new connection cannot hang either
        # thawed: the same store works again, with nothing lost
        again = store.save(first.client_id, prof, summary, "王经理", expected_version=1)
        assert again.version == 2
    finally:
        store.close()
