"""The one clock the product asks for "today" (and "now").

Due dates, deadlines and "overdue" are Chinese civil dates: "today" is the date in Asia/Shanghai
(UTC+8 all year; China keeps no daylight-saving time), whatever the server's own time zone.

Tests and demos set the day: ``CCL_TODAY=YYYY-MM-DD`` in the environment (what the browser tests give
their server processes), or ``freeze(day)`` in-process (what the test fixture does). Nothing else in the
product reads the wall clock for a date.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
ENV = "CCL_TODAY"

_frozen: date | None = None


def today() -> date:
    """Today's date in Asia/Shanghai, or the day set by ``freeze`` or ``$CCL_TODAY``."""
    if _frozen is not None:
        return _frozen
    if fixed := _from_env():
        return fixed
    return datetime.now(SHANGHAI).date()


def now() -> datetime:
    """The current instant (aware, UTC), for timestamps: saves, drafts, links, the audit log."""
    return datetime.now(UTC)


def _from_env() -> date | None:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{ENV} must be a date written YYYY-MM-DD, not {value[:40]!r}") from None


def freeze(day: date | None) -> None:
    """Set the day ``today()`` returns (``None``: the real clock again)."""
    global _frozen
    _frozen = day


@contextmanager
def frozen(day: date) -> Iterator[date]:
    """``today()`` returns ``day`` inside the block."""
    before = _frozen
    freeze(day)
    try:
        yield day
    finally:
        freeze(before)
