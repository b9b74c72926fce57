"""The hardened front of the app server: one ASGI middleware in front of Streamlit's own, used by
``serve.py`` (``make run``). It does what Streamlit's settings cannot (README, "Deploying for a team"):

- ``/_stcore/metrics`` (the server's internal counters) answers 404 to everyone;
- every HTTP response carries X-Frame-Options, a Content-Security-Policy, X-Content-Type-Options and a
  Referrer-Policy (a page elsewhere cannot frame the app, and the app loads nothing from elsewhere);
- the first message of every session no longer tells the server's Python version, operating system and
  the script's absolute path (Streamlit's own version stays: its public JavaScript files carry it anyway);
- with sign-in on (``CCL_AUTH=oidc``), a download (``/media/…``) is served only with the identity cookie
  of a sign-in that is still running: signed out, ended by an admin, or no cookie at all gets 403;
- every connection sends without delay (``TCP_NODELAY``, see ``_no_delay``);
- a browser from another origin is never checked against the machine's public address, which Streamlit
  would ask a public service for (``no_calls_out``, called by ``serve.py``).

Requests and responses pass through unchanged otherwise.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    # Streamlit needs inline styles and scripts, eval (its charts), blob: workers and its own websocket;
    # nothing from another origin (the app is offline by design).
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        b"frame-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ),
)
# The session's first message carries the Python version (e.g. 3.11.2.final.0): only messages holding it
# are decoded, so the app's other messages pass as they are, unparsed.
PYTHON_VERSION = ".".join(map(str, sys.version_info)).encode()


def _ends(path: str, tail: str) -> bool:
    return path.rstrip("/").endswith(tail)


class Hardened:
    """The ASGI middleware of this module (see its docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            _no_delay(send)
        if scope["type"] == "http":
            path = scope.get("path", "")
            if _ends(path, "/_stcore/metrics"):
                await _plain(send, 404, b"Not Found")
                return
            if "/media/" in path and not await _may_download(scope):
                await _plain(send, 403, b"Forbidden")
                return
            await self.app(scope, receive, _with_headers(send))
        elif scope["type"] == "websocket":
            await self.app(scope, receive, _scrubbing(send))
        else:
            await self.app(scope, receive, send)


def _no_delay(send: Send) -> None:
    """Switch off Nagle's algorithm on the connection ``send`` writes to.

    Streamlit 1.67 binds its listening socket without naming the protocol, so asyncio does not set
    ``TCP_NODELAY`` on the connections it accepts (it does so only for sockets whose protocol says TCP).
    A rerun then sends its first message, and every later one waits in the kernel until the browser
    acknowledges the first — which a browser delays by 40 ms (Linux) to 200 ms (Windows): on a fragment
    rerun of ~15 ms of work the answer reached the browser ~30 ms late, all at once. The connection is
    reached through the server's ``send`` (uvicorn's protocol object and its transport); on a server
    that does not expose it this way nothing is changed.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    get_extra_info = getattr(transport, "get_extra_info", None)
    sock = get_extra_info("socket") if callable(get_extra_info) else None
    if sock is None or getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
        return
    with contextlib.suppress(OSError):  # a connection already closed
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(name, value) for name, value in HEADERS if name not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sending


async def _plain(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await _with_headers(send)({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _scrubbing(send: Send) -> Send:
    async def sending(message: Message) -> None:
        data = message.get("bytes")
        if message["type"] == "websocket.send" and data and PYTHON_VERSION in data:
            message = {**message, "bytes": scrub(data)}
        await send(message)

    return sending


def scrub(data: bytes) -> bytes:
    """A serialised ForwardMsg without the server's Python version, OS and the script's absolute path."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(data)
    if not msg.HasField("new_session"):
        return data
    env = msg.new_session.initialize.environment_info
    env.python_version, env.server_os, env.has_display = "", "", False
    msg.new_session.main_script_path = Path(msg.new_session.main_script_path).name
    return msg.SerializeToString()


# --- downloads: only for a running sign-in ----------------------------------------------------------


async def _may_download(scope: Scope) -> bool:
    from ui import auth

    if not auth.enabled():
        return True
    claims = _identity(scope)
    if not claims:
        return False
    from anyio import to_thread

    return await to_thread.run_sync(_running, claims)


def _identity(scope: Scope) -> dict[str, Any] | None:
    """The claims of the request's signed identity cookie (None: none, forged, or not signed in)."""
    from starlette.requests import Request
    from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME
    from streamlit.web.server.starlette.starlette_websocket import _get_signed_cookie_with_chunks

    try:
        raw = _get_signed_cookie_with_chunks(Request(scope).cookies, USER_COOKIE_NAME)
        claims = json.loads(raw) if raw else None
    except Exception:  # a damaged cookie is no identity
        return None
    return claims if isinstance(claims, dict) and claims.get("is_logged_in") is True else None


def _running(claims: dict[str, Any]) -> bool:
    from ccl.store import StoreError
    from ccl.store.sessions import sign_in_key
    from ui.cache import get_store

    try:
        return get_store().sign_in_running(sign_in_key(claims))
    except StoreError:  # cannot be checked now: refused, like a new sign-in while the database is down
        return False


def no_calls_out() -> None:
    """Streamlit checks a browser whose origin is not the server's own against a list in which the machine's
    public address comes before the origins allowed by name (``server.corsAllowedOrigins``), and asks
    checkip.amazonaws.com for that address on every such check until an answer comes: on an offline
    server two 1-second timeouts, with the server's event loop (every session) waiting. The app works
    offline and tells no one about its visitors, so the address stays unknown: such a browser is allowed
    or refused at once, as it was after the wait. Streamlit's start asks the same question before
    it loads ``serve.py`` whenever the server listens on all addresses (``--server.address 0.0.0.0``, or
    none given); ``make run`` and the README's team setup name an address, so their start never asks."""
    from streamlit import net_util

    net_util.get_external_ip = _no_external_ip


def _no_external_ip() -> None:
    return None
