"""What the store hands back: frozen models for clients, snapshots and their summaries, and its errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, field_serializer

from ccl.catalog.objects import LicenceTerms
from ccl.desk import Desk
from ccl.i18n import Lang, fmt_date, t
from ccl.obligations import status_on
from ccl.profile import Profile
from ccl.scoring import Status

if TYPE_CHECKING:
    from ccl.engine import Evaluation


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SnapshotSummary(_Frozen):
    """The computed result saved beside the answers, so lists and charts never re-score."""

    catalog_version: str
    assessed_on: date
    status: Status
    eligible: bool | None
    overall: float
    completion: float
    dimensions: dict[str, float]
    blockers: int
    gaps: int
    licence_date: date | None  # None while a legal gate waits on an answer
    licence_estimate: bool
    licence_assumes_blockers_removed: bool
    province: str | None = None
    scope: str | None = None
    # The plan when saved (store migration 5); None for a snapshot saved before plans were kept.
    plan_total: int | None = None
    plan_done: int | None = None
    plan_open: int | None = None  # open or in progress
    plan_due_dates: tuple[date, ...] | None = None  # due dates of the actions still to do, sorted
    # The headline when saved (store migration 6, ``ccl.headline``); None for a snapshot saved before.
    mode: str | None = None  # applicant | holder | lapsed
    verdict: str | None = None  # the headline's verdict (the status for an applicant)
    licence_basis: str | None = None  # plan | catalog: what decided licence_date
    next_deadline_key: str | None = None  # an obligation key, or "action:<id>"
    next_deadline_due: date | None = None
    next_deadline_status: str | None = None  # as saved ("to_check" stays; the others follow the day shown)

    @field_serializer("plan_due_dates")
    def _iso_dates(self, days: tuple[date, ...] | None) -> list[str] | None:
        # stored in a JSON column: ISO text, as in every file the product writes
        return None if days is None else [d.isoformat() for d in days]

    @property
    def plan_tracked(self) -> bool:
        """The snapshot records its plan (saved after store migration 5, or filled in by it)."""
        return self.plan_open is not None

    def plan_overdue(self, today: date) -> int | None:
        """Actions still to do whose due date is before ``today``; None when the plan was not recorded."""
        if self.plan_due_dates is None:
            return None
        return sum(d < today for d in self.plan_due_dates)

    def plan_due_soon(self, today: date, days: int = 7) -> int | None:
        """Actions still to do due from ``today`` to ``days`` − 1 days later (the week ahead)."""
        if self.plan_due_dates is None:
            return None
        return sum(today <= d < today + timedelta(days=days) for d in self.plan_due_dates)

    @property
    def shown_verdict(self) -> str:
        """The verdict to show: the headline's, else (saved before migration 6) the status."""
        return self.verdict or self.status

    def deadline_status(self, today: date, terms: LicenceTerms) -> str | None:
        """The next deadline's status on ``today`` (``ccl.obligations.status_on``); a duty saved as
        "to check" (an annual report whose last filed year is not known) stays so; None without one."""
        if self.next_deadline_due is None:
            return None
        if self.next_deadline_status == "to_check":
            return "to_check"
        return status_on(self.next_deadline_due, today, terms)

    def plan_next_due(self, today: date) -> date | None:
        """The earliest due date still ahead (today included) of an action still to do."""
        return next((d for d in sorted(self.plan_due_dates or ()) if d >= today), None)


class SnapshotInfo(_Frozen):
    """One saved version of a client's assessment, without the answers."""

    id: int
    client_id: int
    version: int
    saved_at: datetime
    saved_by: str
    summary: SnapshotSummary


class Snapshot(SnapshotInfo):
    """A saved version with its answers."""

    profile: Profile


class ClientSummary(_Frozen):
    """A client with its latest snapshot (the portfolio row)."""

    id: int
    name: str
    created_at: datetime
    latest: SnapshotInfo
    workspace: str | None = None

    @property
    def versions(self) -> int:
        """How many snapshots the client has (versions are 1, 2, 3 … without gaps)."""
        return self.latest.version


class DeletedClient(_Frozen):
    """A soft-deleted client: hidden everywhere, restorable by an admin until it is purged."""

    id: int
    name: str
    workspace: str | None
    deleted_at: datetime
    versions: int


AuditAction = Literal[
    "save",
    "delete",
    "restore",
    "purge",
    "share_create",
    "share_revoke",
    "share_open",
    "share_refused",
    "export",
    "sign_in",
    "sign_out",
    "session_ended",
    "sign_in_refused",
]
# The actions that concern no one client (client id 0 in the log).
ACCOUNT_ACTIONS = frozenset({"sign_in", "sign_out", "session_ended", "sign_in_refused"})


class AuditEntry(_Frozen):
    """One line of the audit log: who did what to which client, when (UTC)."""

    at: datetime
    who: str
    action: AuditAction
    client_id: int
    client_name: str
    version: int | None
    workspace: str | None


class SignIn(_Frozen):
    """One sign-in of a user (an identity-provider login) as the app knows it; ended: refused from then on."""

    key: str
    email: str
    started_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None
    ended_by: str | None


ShareMode = Literal["view", "contribute"]


class ShareLink(_Frozen):
    """A link that opens one client to someone without an account: read-only (view) or to answer (contribute).

    The token itself is never stored (only its hash): it is known to whoever made the link and whoever
    was sent it. ``hint`` (its first characters) tells links apart in lists.
    """

    id: int
    hint: str
    client_id: int
    client_name: str
    workspace: str | None
    mode: ShareMode
    created_at: datetime
    created_by: str
    expires_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
    last_used_at: datetime | None
    uses: int

    def active(self, now: datetime) -> bool:
        """Not revoked and not expired at ``now``."""
        return self.revoked_at is None and now < self.expires_at

    @property
    def actor(self) -> str:
        """Who the audit log and History name for what is done through the link."""
        return f"share-link #{self.id} ({self.mode}, {self.hint}…)"


def summary_of(ev: Evaluation) -> SnapshotSummary:
    """The summary of an ``Evaluation`` (ccl.engine) as stored with each snapshot."""
    a, head = ev.assessment, ev.head
    nxt = head.next_deadline
    return SnapshotSummary(
        catalog_version=a.catalog_version,
        assessed_on=ev.start,
        status=a.status,
        eligible=a.eligible,
        overall=round(a.overall, 2),
        completion=round(a.completion, 2),
        dimensions={k: round(d.score, 2) for k, d in a.dimensions.items()},
        blockers=len(a.blockers),
        gaps=len(a.gaps),
        licence_date=head.licence_date,  # the headline's: the plan's when its due dates decide it
        licence_estimate=head.estimate,
        licence_assumes_blockers_removed=head.assumes_blockers_removed,
        province=ev.profile.company.province,
        scope=ev.profile.company.scope,
        plan_total=len(ev.plan),
        plan_done=sum(i.status == "done" and not i.reopened for i in ev.plan),  # a conflict is not done
        plan_open=sum(i.active or i.reopened for i in ev.plan),
        plan_due_dates=tuple(sorted(i.due for i in ev.plan if (i.active or i.reopened) and i.due is not None)),
        mode=head.mode,
        verdict=head.verdict,
        licence_basis=head.licence_date_basis,
        next_deadline_key=None if nxt is None else f"action:{nxt.action_id}" if nxt.action_id else nxt.key,
        next_deadline_due=None if nxt is None else nxt.due,
        next_deadline_status=None if nxt is None else nxt.status,
    )


def display_zone() -> timezone | ZoneInfo:
    """The time zone for showing save times: $CCL_TIMEZONE, else China Standard Time (no DST)."""
    try:
        return ZoneInfo(os.environ.get("CCL_TIMEZONE") or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=8))


def local_time(when: datetime) -> datetime:
    """A stored UTC time in the display zone, without tzinfo (for tables and spreadsheets)."""
    return when.astimezone(display_zone()).replace(tzinfo=None)


def fmt_saved_at(when: datetime, lang: Lang) -> str:
    """A save time as people read it: 2026年5月1日 14:05 / 1 May 2026 14:05 (display zone)."""
    local = local_time(when)
    return f"{fmt_date(local.date(), lang)} {local:%H:%M}"


# --- errors ---------------------------------------------------------------------------------------


class StoreError(Exception):
    """Base of every store error; ``user_message(lang)`` is the text to show."""

    def user_message(self, lang: Lang) -> str:
        return str(self)


class StoreUnavailable(StoreError):
    """The database cannot be reached or used; the app keeps working on the answers in memory."""

    def __init__(self, detail: str, *, reason: str = "unreachable"):
        self.detail = " ".join(str(detail).split())[:200]
        self.reason = reason
        super().__init__(f"database unavailable ({reason}): {self.detail}")

    def user_message(self, lang: Lang) -> str:
        """What went wrong in general terms; ``detail`` (host names, driver errors) is for the log only."""
        return t(f"store.{self.reason}", lang)


class ConflictError(StoreError):
    """Someone saved a newer version than the one loaded; ``latest`` (with its profile) is what to diff."""

    def __init__(self, latest: Snapshot, expected_version: int | None):
        self.latest = latest
        self.expected_version = expected_version
        super().__init__(
            f"client {latest.client_id}: version {latest.version} was saved after version {expected_version or 0}"
        )

    def user_message(self, lang: Lang, quote: Callable[[str], str] = str) -> str:
        """The message; ``quote`` makes the saver's name literal where the message is shown as Markdown."""
        return t(
            "store.conflict",
            lang,
            version=self.latest.version,
            loaded=self.expected_version or 0,
            who=quote(self.latest.saved_by) if self.latest.saved_by else t("store.someone", lang),
            when=fmt_saved_at(self.latest.saved_at, lang),
        )


class BadValue(StoreError):
    """The database refused a value as such (not the connection): bad input, never an outage."""

    def __init__(self, detail: str):
        self.detail = " ".join(str(detail).split())[:200]
        super().__init__(f"value refused by the database: {self.detail}")

    def user_message(self, lang: Lang) -> str:
        return t("store.bad_value", lang)


class NotFound(StoreError):
    """The client or snapshot does not exist (any more: perhaps someone deleted it)."""

    def __init__(self, kind: str, ident: int):
        self.kind, self.ident = kind, ident
        super().__init__(f"{kind} {ident} not found")

    def user_message(self, lang: Lang) -> str:
        return t(f"store.{self.kind}_not_found", lang, id=self.ident)


# --- drafts ---------------------------------------------------------------------------------------


class DraftInfo(_Frozen):
    """Where a draft stands after a write: its id, its revision and when it was written (UTC)."""

    id: str
    revision: int
    updated_at: datetime


class RecentDraft(_Frozen):
    """A draft as the app's front door lists it: its id, when it last changed, its companies' names."""

    id: str
    updated_at: datetime
    label: str


class Draft(DraftInfo):
    """A stored draft with its desk (each company already settled against its client's last save)."""

    desk: Desk


class DraftConflict(StoreError):
    """Someone else (another tab, another window) wrote the draft after the revision this writer saw."""

    def __init__(self, draft_id: str, seen: int, latest: int, updated_at: datetime):
        self.draft_id, self.seen, self.latest, self.updated_at = draft_id, seen, latest, updated_at
        super().__init__(f"draft {draft_id[:6]}…: revision {latest} was written after revision {seen}")

    def user_message(self, lang: Lang) -> str:
        return t("store.draft_conflict", lang, when=fmt_saved_at(self.updated_at, lang))
