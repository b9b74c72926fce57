"""Sign-ins in the store: a server-side record of each sign-in, so that signing out (or an admin) ends it.

Streamlit's identity cookie is signed, not stored: it stays valid until it expires, in every tab and in
every copy. The app therefore keys each sign-in by a hash of the identity token's issuer, subject,
issue time and e-mail (``sign_in_key``), looks it up on every run (``check_sign_in``) and refuses one that
was ended (``end_sign_in``, ``end_sign_ins_of``). A new sign-in at the provider gives a new key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from ccl import clock
from ccl.store.drafts import _utc
from ccl.store.filters import clean
from ccl.store.models import AuditAction, SignIn
from ccl.store.schema import NAME_MAX, SAVED_BY_MAX, WORKSPACE_MAX, audit_log, sign_ins

# last_seen_at is written at most this often (a run only reads, most of the time)
SEEN_EVERY = timedelta(minutes=1)


def sign_in_key(claims: Mapping[str, Any]) -> str:
    """The key of the sign-in an identity token stands for (the same cookie, copied or not, gives the same key)."""
    parts = [str(claims.get(k) or "") for k in ("iss", "sub", "iat", "email")]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "backslashreplace")).hexdigest()


def _sign_in(row: Any) -> SignIn:
    m = row._mapping
    return SignIn(
        key=m["key"],
        email=m["email"],
        started_at=_utc(m["started_at"]),
        last_seen_at=_utc(m["last_seen_at"]),
        ended_at=_utc(m["ended_at"]) if m["ended_at"] is not None else None,
        ended_by=m["ended_by"],
    )


class SessionsMixin:
    """The sign-in methods of ``ccl.store.Store`` (which provides ``_tx``)."""

    _tx: Callable[..., AbstractContextManager[Connection]]

    def log_event(
        self, action: AuditAction, who: str, workspace: str | None = None, client_id: int = 0, what: str = ""
    ) -> None:
        """An audit-log line of an event, e.g. an export: of one client (``client_id``), else of none (0);
        ``what`` goes in the client-name column (the client's name, or what was exported)."""
        with self._tx(write=True) as conn:
            write_audit(conn, action, who, clock.now(), workspace, client_id, what)

    def check_sign_in(self, key: str, email: str, workspace: str | None = None) -> bool:
        """True while the sign-in may go on (recorded, and logged, the first time); False once ended."""
        now = clock.now()
        with self._tx(write=True) as conn:
            row = conn.execute(select(sign_ins).where(sign_ins.c.key == key)).first()
            if row is None:
                values = {"key": key, "email": clean(email, SAVED_BY_MAX), "started_at": now, "last_seen_at": now}
                conn.execute(sign_ins.insert().values(**values))
                write_audit(conn, "sign_in", email, now, workspace)
                return True
            known = _sign_in(row)
            if known.ended_at is not None:
                return False
            if now - known.last_seen_at >= SEEN_EVERY:
                conn.execute(sign_ins.update().where(sign_ins.c.key == key).values(last_seen_at=now))
            return True

    def sign_in_running(self, key: str) -> bool:
        """True when the sign-in was recorded (the app saw it) and has not been ended; nothing is written."""
        query = select(sign_ins.c.ended_at).where(sign_ins.c.key == key)
        with self._tx() as conn:
            row = conn.execute(query).first()
        return row is not None and row.ended_at is None

    def end_sign_in(self, key: str, by: str = "", workspace: str | None = None) -> bool:
        """End one sign-in (signing out); False if it was not running."""
        now = clock.now()
        with self._tx(write=True) as conn:
            done = sign_ins.update().where(sign_ins.c.key == key, sign_ins.c.ended_at.is_(None))
            if conn.execute(done.values(ended_at=now, ended_by=clean(by, SAVED_BY_MAX))).rowcount != 1:
                return False
            write_audit(conn, "sign_out", by, now, workspace)
            return True

    def end_sign_ins_of(self, email: str, by: str = "", workspace: str | None = None) -> int:
        """End every running sign-in of a user (an admin's action); how many were ended."""
        now = clock.now()
        with self._tx(write=True) as conn:
            done = sign_ins.update().where(sign_ins.c.email == email, sign_ins.c.ended_at.is_(None))
            count = conn.execute(done.values(ended_at=now, ended_by=clean(by, SAVED_BY_MAX))).rowcount
            if count:
                write_audit(conn, "session_ended", f"{clean(by, 40)} → {email}", now, workspace)
            return count

    def running_sign_ins(self, emails: Collection[str] | None = None) -> list[SignIn]:
        """The sign-ins not ended, most recently seen first (of these users only, if given)."""
        query = select(sign_ins).where(sign_ins.c.ended_at.is_(None))
        if emails is not None:
            query = query.where(sign_ins.c.email.in_(list(emails)))
        with self._tx() as conn:
            rows = conn.execute(query.order_by(sign_ins.c.last_seen_at.desc())).all()
        return [_sign_in(r) for r in rows]


def write_audit(
    conn: Connection,
    action: AuditAction,
    who: str,
    now: datetime,
    workspace: str | None,
    client_id: int = 0,  # 0: no one client
    what: str = "",
    version: int | None = None,
) -> None:
    """One line of the audit log (every writer of the log goes through here)."""
    conn.execute(
        audit_log.insert().values(
            at=now,
            who=clean(who, SAVED_BY_MAX),
            action=action,
            client_id=client_id,
            client_name=clean(what, NAME_MAX),
            version=version,
            workspace=clean(workspace, WORKSPACE_MAX) or None,
        )
    )
