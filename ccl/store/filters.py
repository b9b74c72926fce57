"""What every store query shares: which clients a reader may see, and text the database accepts."""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlalchemy import ColumnElement

from ccl.store.models import NotFound
from ccl.store.schema import clients

# The workspaces a reader may see; None: every workspace (a deployment without sign-in, the CLI without
# --workspace). Deleted clients are never visible to the ordinary reads.
Workspaces = Collection[str] | None

# What a database column of text cannot take (NUL, other control characters, broken Unicode).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


ID_MAX = 2**31 - 1  # the largest id either database's INTEGER holds


def known_id(value: object, kind: str) -> int:
    """An id as the store's tables hold them; anything else (a forged widget value: text, a list, 2**70,
    a bool) is ``NotFound``, never sent to the database, where it would fail as if the database were down."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ID_MAX:
        raise NotFound(kind, 0)
    return value


def visible(workspaces: Workspaces) -> ColumnElement[bool]:
    alive = clients.c.deleted_at.is_(None)
    return alive if workspaces is None else alive & clients.c.workspace.in_(list(workspaces))


def clean(text: str | None, limit: int) -> str:
    """One line of text the database accepts: no NUL or other control characters, no broken Unicode."""
    return " ".join(CONTROL.sub(" ", text or "").split())[:limit]
