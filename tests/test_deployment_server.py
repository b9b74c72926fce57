"""The app server as a browser elsewhere would meet it, started as ``make run`` starts it (``serve.py``): a
page on another domain that rebinds its name to this machine (DNS rebinding) must not get the app's data
stream; no page elsewhere may frame it; its metrics and the server's details are not given out."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from project import ROOT

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[int]:
    port = _free_port()
    env_dir = tmp_path_factory.mktemp("data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env={**__import__("os").environ, "CCL_DATA_DIR": str(env_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):  # up to 30 s for the server to listen
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _stream_status(port: int, host: str) -> str:
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}\r\nOrigin: http://{host}\r\n"
        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        return sock.recv(200).decode("latin-1").split("\r\n", 1)[0]


def test_the_data_stream_answers_only_to_this_machine_s_own_names(server) -> None:
    assert " 101 " in _stream_status(server, f"localhost:{server}")
    assert " 101 " in _stream_status(server, f"127.0.0.1:{server}")
    assert " 403 " in _stream_status(server, f"evil.test:{server}")


def test_the_page_may_not_be_framed_and_the_metrics_are_not_given_out(server) -> None:
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{server}/", timeout=10) as page:
        assert page.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{server}/_stcore/metrics", timeout=10)
    assert refused.value.code == 404


def test_a_new_session_is_not_told_the_python_version_or_where_the_app_lives(server) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    run = BackMsg()
    run.rerun_script.query_string = ""
    with connect(f"ws://localhost:{server}/_stcore/stream", origin=f"http://localhost:{server}") as ws:
        ws.send(run.SerializeToString())
        for _ in range(50):
            msg = ForwardMsg.FromString(ws.recv(timeout=30))
            if msg.HasField("new_session"):
                break
    env = msg.new_session.initialize.environment_info
    assert env.python_version == "" and env.server_os == ""
    assert msg.new_session.main_script_path == "app.py"
