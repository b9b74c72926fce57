"""Who may do what in a team deployment: roles and workspaces from a small TOML file.

    [roles]                     # an entry is an e-mail address or a whole domain ("@example.com")
    admin = ["wang@example.com"]
    consultant = ["@example.com"]
    viewer = ["auditor@partner.cn"]

    [workspaces]                # which users see which clients (a client belongs to one workspace)
    beijing = ["@example.com", "auditor@partner.cn"]
    shanghai = ["li@example.com"]

    restore_days = 30           # how long an admin can restore a deleted client

An exact address wins over a domain (so one person of an admin domain can be a viewer); among matches
of the same kind the most powerful role wins. A policy with no ``[workspaces]`` puts everyone in one
shared space. Pure: no Streamlit, no I/O except ``load_policy`` reading the file it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import tomli
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

Role = Literal["admin", "consultant", "viewer"]
Action = Literal["read", "save", "import", "delete", "restore", "audit", "share"]
ROLES: tuple[Role, ...] = ("admin", "consultant", "viewer")  # most powerful first
WORKSPACE_MAX = 60

PERMISSIONS: dict[Role, frozenset[Action]] = {
    "admin": frozenset({"read", "save", "import", "delete", "restore", "audit", "share"}),
    "consultant": frozenset({"read", "save", "import", "share"}),
    "viewer": frozenset({"read"}),
}


class PolicyError(Exception):
    """A roles file that cannot be used; the message names the file and the field."""


def _entry(value: str) -> str:
    entry = value.strip().casefold()
    local, at, domain = entry.rpartition("@")
    if not at or not domain or "." not in domain or " " in entry or local.count("@"):
        raise ValueError(f"{value!r} is neither an e-mail address nor a domain like '@example.com'")
    return entry


Entry = Annotated[str, AfterValidator(_entry)]
WorkspaceName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=WORKSPACE_MAX)]


class AccessPolicy(BaseModel):
    """Allow-lists per role and per workspace."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    roles: dict[Role, tuple[Entry, ...]] = Field(default_factory=dict)
    workspaces: dict[WorkspaceName, tuple[Entry, ...]] = Field(default_factory=dict)
    restore_days: int = Field(default=30, ge=1, le=3650)

    def role_of(self, email: str | None) -> Role | None:
        """The user's role: an exact address first, else their domain; None if they have none."""
        for matches in (_exact(email), _domain(email)):
            for role in ROLES:
                if matches & set(self.roles.get(role, ())):
                    return role
        return None

    def workspaces_of(self, email: str | None) -> tuple[str, ...] | None:
        """The user's workspaces in file order; None when the policy has no workspaces (all shared)."""
        if not self.workspaces:
            return None
        keys = _exact(email) | _domain(email)
        return tuple(name for name, members in self.workspaces.items() if keys & set(members))


def _exact(email: str | None) -> set[str]:
    email = (email or "").strip().casefold()
    return {email} if "@" in email else set()


def _domain(email: str | None) -> set[str]:
    email = (email or "").strip().casefold()
    return {"@" + email.rpartition("@")[2]} if "@" in email else set()


def can(role: Role | None, action: Action) -> bool:
    """Whether a role may perform an action (no role: nothing)."""
    return role is not None and action in PERMISSIONS[role]


def parse_policy(data: dict[str, Any], source: str) -> AccessPolicy:
    """A policy from parsed TOML; ``PolicyError`` names ``source`` and the field at fault."""
    try:
        return AccessPolicy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise PolicyError(f"{source}: {field}: {first['msg']}") from None


def load_policy(path: str | Path) -> AccessPolicy:
    """Read a roles file; a missing or malformed file is a ``PolicyError`` naming it."""
    path = Path(path)
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"{path}: {exc.strerror or exc}") from None
    except (tomli.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: {exc}") from None
    return parse_policy(data, str(path))
