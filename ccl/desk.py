"""A user's desk, kept as a draft: every open company, the current one, language, page and projection.

("Desk", not "workspace": a workspace is a team's space of saved clients, ``ccl.access``.)

The app keeps a ``Desk`` in the store after every change (a *draft*), so a reload, a new tab with
the same link, a server restart or a dropped connection brings the user back where they were. A draft
is not a snapshot: it is never listed in History, and a company whose draft is not newer than the
client's last deliberate save is taken from that save instead (``settle``).

The JSON is versioned (``version``) and holds each company's answers as profile JSON; a desk is
read back only through ``Desk.from_json``, which validates everything like a loaded file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ccl.i18n import Lang
from ccl.profile import Profile

DESK_VERSION: Final = 1
KEY_MAX = 80


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SavedVersion(_Frozen):
    """A saved version of a client: the link of an open company, or a client's latest save."""

    client_id: int
    version: int = Field(ge=1)
    saved_at: datetime
    profile: Profile  # the answers of that version


class OpenCompany(_Frozen):
    """One open company: its answers, as it was opened (for "reset"), and its saved client, if any."""

    key: str = Field(min_length=1, max_length=KEY_MAX)
    profile: Profile = Profile()
    origin: Profile = Profile()
    link: SavedVersion | None = None
    # The last time its answers changed in the session (UTC); None: not changed since opened or loaded.
    changed_at: datetime | None = None


class DeskError(ValueError):
    """A stored desk that cannot be used (damaged, or written by a newer program)."""


class Desk(_Frozen):
    """Everything a user would miss after a reload: companies, current company, language, page, projection."""

    version: Literal[1] = DESK_VERSION
    companies: tuple[OpenCompany, ...] = Field(min_length=1)
    current: str
    lang: Lang = "zh"
    page: str = ""  # the url_path of the page on screen ("" = the default page)
    section: str = "company"  # the questionnaire section on screen
    start: date
    anchor: Literal["acceptance", "receipt"] = "acceptance"
    scenario: str = "expected"
    blank_count: int = Field(default=1, ge=1)
    # With sign-in on: the e-mail of the user whose desk this is; another user's session never
    # takes it over, even with the link (empty without sign-in).
    owner: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Desk:
        keys = [c.key for c in self.companies]
        if len(set(keys)) != len(keys):
            raise ValueError("company keys must be unique")
        if self.current not in keys:
            raise ValueError(f"current company '{self.current}' is not open")
        return self

    def company(self, key: str) -> OpenCompany:
        return next(c for c in self.companies if c.key == key)

    def to_json(self) -> str:
        """Compact JSON, as stored."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> Desk:
        """Read a stored desk; ``DeskError`` if it is damaged or from a newer program."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise DeskError(f"draft: {where}: {err['msg']}") from None

    def clients(self) -> set[int]:
        """The saved clients the open companies are linked to."""
        return {c.link.client_id for c in self.companies if c.link is not None}

    def settle(self, latest: Mapping[int, SavedVersion | None]) -> Desk:
        """Discard each company's draft that is not newer than its client's last save.

        ``latest``: client id → its latest saved version (None: the client was deleted). A company
        changed after that save keeps its answers (a save then meets the usual version conflict); one
        not changed since (or changed before it) is replaced by the save; a deleted client's company
        keeps its answers, unlinked.
        """
        settled = tuple(_settle(c, latest) for c in self.companies)
        if settled == self.companies:
            return self
        return Desk.model_validate({**dict(self), "companies": settled})


def _settle(company: OpenCompany, latest: Mapping[int, SavedVersion | None]) -> OpenCompany:
    if company.link is None or company.link.client_id not in latest:
        return company
    saved = latest[company.link.client_id]
    if saved is None:
        return company.model_copy(update={"link": None})
    if company.changed_at is not None and company.changed_at > saved.saved_at:
        return company
    return company.model_copy(
        update={"profile": saved.profile, "origin": saved.profile, "link": saved, "changed_at": None}
    )
