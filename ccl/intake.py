"""Intake: the one reader of answers from any file someone hands us (.json, a filled questionnaire,
an exported report), as a path or as bytes.

The Report page's upload, the batch import and the CLI all come through here, so each gets the same
checks: the workbook guards of ``ccl.excel.reader``, UTF-8 (with or without BOM) JSON, a size limit,
and the catalog checks (known province, N/A only where a rule allows it), always against the
engine's catalog. Every problem is a ``ProfileError`` listing all that is wrong with the file at once
(``ccl.errors`` turns it into text when it is shown). The profile is checked once, here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath

from ccl import clock
from ccl.catalog.load import Catalog
from ccl.errors import ErrorCode, Problem, ProfileError
from ccl.limits import MAX_UPLOAD_BYTES, MB
from ccl.plan import unknown_action_ids
from ccl.profile import Profile, parse_profile_json
from ccl.samples import shifted, shipped_sample
from ccl.scoring import profile_issues

# Spreadsheet-like names go to the workbook reader, which tells an .xls, .xlsm or CSV apart by content
# and says precisely what to do about it.
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv", ".et", ".ods")


def catalog_problems(profile: Profile, catalog: Catalog) -> list[Problem]:
    """Answers the catalog cannot use (unknown province, N/A where no rule allows it, an action id that is
    neither the catalog's nor a custom one) as problems, all of them."""
    problems = [
        Problem(
            ErrorCode(i.code),
            i.field if i.code == "unknown_province" else f"not_applicable.{i.field}",
            i.value,
        )
        for i in profile_issues(profile, catalog)
    ]
    return problems + action_problems(profile, catalog)


def action_problems(profile: Profile, catalog: Catalog) -> list[Problem]:
    """An action of the plan whose id the catalog does not know and that is not a custom action."""
    return [
        Problem(ErrorCode.UNKNOWN_ACTION_ID, f"plan.{i}.id", action_id)
        for i, action_id in unknown_action_ids(profile.plan, catalog)
    ]


def read_profile_bytes(name: str, data: bytes, catalog: Catalog, max_bytes: int = MAX_UPLOAD_BYTES) -> Profile:
    """The answers in a named .xlsx or .json file's bytes; raises ProfileError naming what to fix."""
    suffix = PurePath(name).suffix.lower()
    if suffix in SPREADSHEETS:
        from ccl.excel.reader import read_profile_xlsx  # openpyxl only when a workbook comes

        return read_profile_xlsx(data, catalog, name, max_bytes)
    if suffix != ".json":
        raise ProfileError(name, "", "not .xlsx or .json", code=ErrorCode.UNSUPPORTED_TYPE, value=suffix or name)
    if len(data) > max_bytes:
        raise ProfileError(
            name,
            "",
            "file too large",
            code=ErrorCode.JSON_TOO_BIG,
            value=f"{len(data) / MB:.1f} MB > {max_bytes / MB:.0f} MB",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError(name, "", "not UTF-8", code=ErrorCode.JSON_ENCODING) from None
    profile = parse_profile_json(text, name)
    problems = catalog_problems(profile, catalog)
    if problems:
        raise ProfileError(name, problems=problems)
    return profile


def read_file(path: str | Path, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; ProfileError for anything else.

    A device (/dev/zero), a pipe or a socket is refused before a byte is read (a pipe is opened without
    waiting for a writer), and no more than ``max_bytes`` + 1 bytes are ever read, whatever the size
    the file claims. OSError (missing, no permission) is left to the caller.
    """
    p = Path(path)
    fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(str(p))
        if not stat.S_ISREG(mode):
            raise ProfileError(str(p), "", "not a regular file", code=ErrorCode.UNREADABLE)
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        code = ErrorCode.TOO_BIG if p.suffix.lower() in SPREADSHEETS else ErrorCode.JSON_TOO_BIG
        size = max(os.stat(p).st_size, len(data))
        raise ProfileError(
            str(p), "", "file too large", code=code, value=f"{size / MB:.1f} MB > {max_bytes / MB:.0f} MB"
        )
    return data


def read_checked_profile(path: str | Path, catalog: Catalog, max_bytes: int = MAX_UPLOAD_BYTES) -> Profile:
    """The answers in a file on disk (.json or .xlsx), checked against the catalog; a shipped sample's
    dates are moved to today as in the app (``ccl.samples``)."""
    p = Path(path)
    try:
        data = read_file(p, max_bytes)
    except (FileNotFoundError, NotADirectoryError):
        raise ProfileError(str(p), "", "file not found", code=ErrorCode.NOT_FOUND) from None
    except IsADirectoryError:
        raise ProfileError(str(p), "", "is a folder, not a file", code=ErrorCode.NOT_FOUND) from None
    except OSError as exc:
        raise ProfileError(
            str(p), "", f"cannot be read ({exc.__class__.__name__})", code=ErrorCode.UNREADABLE
        ) from None
    profile = read_profile_bytes(str(p), data, catalog, max_bytes)
    sample = shipped_sample(p)  # a demo from the command line keeps the sample's story, as in the app
    return shifted(profile, sample.as_of, clock.today()) if sample else profile
