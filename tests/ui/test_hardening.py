"""The hardened front (``ui/hardening.py``) as an ASGI middleware around a stand-in for Streamlit: metrics
hidden, security headers on every response, the session's first message without server details, and
downloads only for a sign-in that is still running. (``tests/test_deployment_server.py`` checks the same
front on a real server.)"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from store_support import BACKENDS, pg_schema
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from ccl.store import Store
from ccl.store.sessions import sign_in_key
from ui.hardening import Hardened, scrub

CLAIMS = {"iss": "https://id.example.cn", "sub": "u-1", "iat": 1765000000, "email": "li@example.cn"}


def _call(scope: dict[str, Any], inner_messages: list[dict[str, Any]] | None = None) -> tuple[list[dict], bool]:
    """Run one request through the middleware; (what it sent, whether Streamlit was reached)."""
    sent: list[dict] = []
    reached = []

    async def inner(scope, receive, send):
        reached.append(True)
        for message in inner_messages or [
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]},
            {"type": "http.response.body", "body": b"ok"},
        ]:
            await send(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    # in a thread of its own: a process that ran the browser tests has Playwright's event loop running
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, Hardened(inner)({"headers": [], **scope}, receive, send)).result()
    return sent, bool(reached)


def _headers(sent: list[dict]) -> dict[bytes, bytes]:
    start = next(m for m in sent if m["type"] == "http.response.start")
    return dict(start["headers"])


def test_every_response_forbids_framing_and_loading_from_elsewhere_and_metrics_are_hidden() -> None:
    sent, reached = _call({"type": "http", "path": "/"})
    headers = _headers(sent)
    assert reached and headers[b"x-frame-options"] == b"DENY" and headers[b"x-content-type-options"] == b"nosniff"
    csp = headers[b"content-security-policy"].decode()
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "http" not in csp
    sent, reached = _call({"type": "http", "path": "/_stcore/metrics"})
    assert not reached and sent[0]["status"] == 404 and b"x-frame-options" in _headers(sent)
    sent, reached = _call({"type": "http", "path": "/ccl/_stcore/metrics/"})  # under a base path too
    assert not reached and sent[0]["status"] == 404


def test_the_session_s_first_message_keeps_no_python_version_os_or_script_path() -> None:
    msg = ForwardMsg()
    msg.new_session.main_script_path = "/srv/ccl/app.py"
    env = msg.new_session.initialize.environment_info
    env.python_version, env.server_os, env.streamlit_version = ".".join(map(str, sys.version_info)), "Linux", "1.0"
    first = {"type": "websocket.send", "bytes": msg.SerializeToString()}
    other = {"type": "websocket.send", "bytes": b"\x01\x02 not a new session"}
    sent, _ = _call({"type": "websocket", "path": "/_stcore/stream"}, [first, other])
    out = ForwardMsg.FromString(sent[0]["bytes"])
    assert out.new_session.main_script_path == "app.py"
    assert out.new_session.initialize.environment_info.python_version == ""
    assert out.new_session.initialize.environment_info.server_os == ""
    assert sent[1] == other, "other messages pass as they are"
    assert scrub(b"") == b""


def _cookie(claims: dict[str, Any]) -> list[tuple[bytes, bytes]]:
    from streamlit.web.server.starlette.starlette_auth_routes import _create_signed_value_wrapper

    signed = _create_signed_value_wrapper("_streamlit_user", json.dumps({**claims, "is_logged_in": True}))
    return [(b"cookie", b"_streamlit_user=" + signed)]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path, monkeypatch) -> Iterator[Store]:
    with contextlib.ExitStack() as stack:
        url = f"sqlite:///{tmp_path / 'ccl.sqlite3'}" if request.param == "sqlite" else stack.enter_context(pg_schema())
        monkeypatch.setenv("CCL_DATABASE_URL", url)  # the store the front checks (ui.cache.get_store)
        yield stack.enter_context(Store.open(url))


def test_downloads_are_served_only_to_a_running_sign_in(store, monkeypatch) -> None:
    media = {"type": "http", "path": "/media/0123abcd.xlsx"}
    assert _call(media)[1], "without sign-in (one user, this machine) downloads are served"
    monkeypatch.setenv("CCL_AUTH", "oidc")
    assert _call(media)[0][0]["status"] == 403, "no identity cookie"
    forged = [(b"cookie", b"_streamlit_user=" + json.dumps({**CLAIMS, "is_logged_in": True}).encode())]
    assert not _call({**media, "headers": forged})[1], "an unsigned cookie"
    assert not _call({**media, "headers": _cookie(CLAIMS)})[1], "a sign-in the app never saw"
    key = sign_in_key(CLAIMS)
    store.check_sign_in(key, CLAIMS["email"])  # the app let the user in
    assert _call({**media, "headers": _cookie(CLAIMS)})[1]
    store.end_sign_in(key, by=CLAIMS["email"])  # signed out: the copied cookie fetches nothing more
    sent, reached = _call({**media, "headers": _cookie(CLAIMS)})
    assert not reached and sent[0]["status"] == 403
    assert _call({"type": "http", "path": "/", "headers": []})[1], "the page itself still loads (to sign in)"


@pytest.mark.slow  # a real server on a real socket (its timed waits also stall under a faked clock)
def test_the_server_sends_without_waiting_for_the_browser_s_acknowledgement(monkeypatch) -> None:
    """A real uvicorn server (the one Streamlit runs) behind the middleware: the connection it accepted has
    Nagle's algorithm off, so a rerun's messages are not held back until the browser acknowledges the first."""
    import socket
    import threading
    import time
    import urllib.request

    import uvicorn

    from ui import hardening

    seen: list[int] = []
    real = hardening._no_delay

    def spy(send):
        real(send)
        sock = send.__self__.transport.get_extra_info("socket")  # the connection the request came on
        seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    monkeypatch.setattr(hardening, "_no_delay", spy)

    async def inner(scope, receive, send):
        if scope["type"] == "lifespan":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # as Streamlit binds it: no protocol named
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(Hardened(inner), log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.read() == b"ok"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
    assert seen == [1]
