"""A small, real OpenID Connect provider for the sign-in browser tests, served on a free localhost port.

Authorization-code flow as a real provider runs it: discovery document, ``/authorize`` (auto-approves
the user the test chose with ``provider.user = {...}``; none chosen: ``access_denied``), ``/token``
(client secret over HTTP Basic, PKCE S256 checked, one-time codes), an RS256-signed ID token with the
nonce, ``/jwks`` with the public key, and ``/logout`` (end-session endpoint). The RSA key is generated
when the provider starts; tokens are signed with joserfc (Authlib's JOSE library).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "ccl-readiness"
CLIENT_SECRET = "test-client-secret"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:  # keep the test output clean
        pass


class _ThreadedServer(WSGIServer):
    # One thread per request: the app's server fetches /jwks while the browser waits on /token.
    def process_request(self, request: Any, client_address: Any) -> None:
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


class Provider:
    """Start with ``Provider().start()``; ``issuer`` is its base URL; ``stop()`` ends it."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "ccl-test", "use": "sig", "alg": "RS256"})
        self.user: dict[str, Any] | None = None
        self.codes: dict[str, dict[str, Any]] = {}
        self.server = make_server("127.0.0.1", 0, self.app, server_class=_ThreadedServer, handler_class=_Quiet)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> Provider:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- WSGI ----------------------------------------------------------------------------------------

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        routes = {
            "/.well-known/openid-configuration": lambda: self._json(self.metadata()),
            "/jwks": lambda: self._json({"keys": [self.key.as_dict(private=False)]}),
            "/authorize": lambda: self._authorize(query),
            "/token": lambda: self._token(environ),
            "/logout": lambda: self._redirect(query.get("post_logout_redirect_uri") or self.issuer),
        }
        status, headers, body = routes.get(path, lambda: ("404 Not Found", [], b"not found"))()
        start_response(status, headers)
        return [body]

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    @staticmethod
    def _json(data: Any, status: str = "200 OK") -> tuple[str, list, bytes]:
        return status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], json.dumps(data).encode()

    @staticmethod
    def _redirect(to: str) -> tuple[str, list, bytes]:
        return "302 Found", [("Location", to)], b""

    def _authorize(self, q: dict[str, str]) -> tuple[str, list, bytes]:
        redirect = q.get("redirect_uri", "")
        if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code" or not redirect:
            return self._json({"error": "invalid_request"}, "400 Bad Request")
        back = {"state": q.get("state", "")}
        if self.user is None:
            return self._redirect(f"{redirect}?{urlencode({**back, 'error': 'access_denied'})}")
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "user": dict(self.user),
            "nonce": q.get("nonce"),
            "redirect_uri": redirect,
            "challenge": q.get("code_challenge"),
        }
        return self._redirect(f"{redirect}?{urlencode({**back, 'code': code})}")

    def _client_ok(self, environ: dict[str, Any], form: dict[str, str]) -> bool:
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            ident, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            ident, secret = form.get("client_id", ""), form.get("client_secret", "")
        return ident == CLIENT_ID and secret == CLIENT_SECRET

    def _token(self, environ: dict[str, Any]) -> tuple[str, list, bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        if not self._client_ok(environ, form):
            return self._json({"error": "invalid_client"}, "401 Unauthorized")
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json({"error": "invalid_grant"}, "400 Bad Request")
        if grant["challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return self._json({"error": "invalid_grant"}, "400 Bad Request")
        return self._json(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": self._id_token(grant),
            }
        )

    def _id_token(self, grant: dict[str, Any]) -> str:
        now, user = int(time.time()), grant["user"]
        claims = {
            "iss": self.issuer,
            "sub": user["email"],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 3600,
            "email_verified": True,
            **user,
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        return jwt.encode({"alg": "RS256", "kid": "ccl-test"}, claims, self.key)
