"""Intake: the one reader of answers from any file someone hands us (.json, a filled questionnaire,
an exported report), as a path or as bytes.

The Report page's upload, the batch import and the CLI all come through here, so each gets the same
checks: the workbook guards of ``ccl.excel.reader``, UTF-8 (with or without BOM) JSON, a size limit,
and the catalog checks (known province, N/A only where a rule allows it), always against the
engine's catalog. Every problem is a ``ProfileError``.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from ccl.catalog import Catalog
from ccl.profile import Profile, ProfileError, parse_profile_json
from ccl.scoring import profile_issues

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * MB
# Spreadsheet-like names go to the workbook reader, which tells an .xls, .xlsm or CSV apart by content
# and says precisely what to do about it.
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv", ".et", ".ods")


def catalog_errors(profile: Profile, catalog: Catalog, where: str) -> list[ProfileError]:
    """Answers the catalog cannot use (unknown province, N/A where no rule allows it) as errors."""
    return [
        ProfileError(
            where,
            i.field if i.code == "unknown_province" else f"not_applicable.{i.field}",
            i.code,
            code=i.code,
            value=i.value,
        )
        for i in profile_issues(profile, catalog)
    ]


def read_profile_bytes(name: str, data: bytes, catalog: Catalog, max_bytes: int = MAX_UPLOAD_BYTES) -> Profile:
    """The answers in a named .xlsx or .json file's bytes; raises ProfileError naming what to fix."""
    suffix = PurePath(name).suffix.lower()
    if suffix in SPREADSHEETS:
        from ccl.excel.reader import read_profile_xlsx  # openpyxl only when a workbook comes

        return read_profile_xlsx(data, name, max_bytes, catalog=catalog)
    if suffix != ".json":
        raise ProfileError(name, "", "not .xlsx or .json", code="unsupported_type", value=suffix or name)
    if len(data) > max_bytes:
        raise ProfileError(
            name, "", "file too large", code="json_too_big", value=f"{len(data) / MB:.1f} MB > {max_bytes / MB:.0f} MB"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError(name, "", "not UTF-8", code="json_encoding") from None
    profile = parse_profile_json(text, name)
    errors = catalog_errors(profile, catalog, name)
    if errors:
        raise errors[0]
    return profile


def read_checked_profile(path: str | Path, catalog: Catalog, max_bytes: int = MAX_UPLOAD_BYTES) -> Profile:
    """The answers in a file on disk (.json or .xlsx), checked against the catalog."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            code = "too_big" if p.suffix.lower() in SPREADSHEETS else "json_too_big"
            raise ProfileError(
                str(p), "", "file too large", code=code, value=f"{size / MB:.1f} MB > {max_bytes / MB:.0f} MB"
            )
        data = p.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise ProfileError(str(p), "", "file not found", code="not_found") from None
    except IsADirectoryError:
        raise ProfileError(str(p), "", "is a folder, not a file", code="not_found") from None
    except OSError as exc:
        raise ProfileError(str(p), "", f"cannot be read ({exc.__class__.__name__})", code="unreadable") from None
    return read_profile_bytes(str(p), data, catalog, max_bytes)
