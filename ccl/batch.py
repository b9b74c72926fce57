"""Batch import: many filled questionnaires or JSON profiles scored and saved in one go.

Each file is matched to a client by company name (ignoring case, spaces and full-/half-width forms):
no match creates a client; one match adds a new snapshot to it (history keeps the earlier ones, so
nothing is overwritten); several matches fail that file rather than guess. A file without a company
name becomes a new client named after the file. A bad file is listed with the reason and the others
are still saved; if the database goes away, the remaining files are listed as not imported.

Uploads (files handed over in memory) are limited in number and total size (``MAX_FILES``,
``MAX_TOTAL_BYTES``) and read one at a time, so a batch never holds more than one file's bytes beyond
what the upload itself keeps. Files on disk (the CLI) are read one at a time and not limited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol, runtime_checkable

from ccl.engine import Engine
from ccl.errors import ErrorCode, Problem, ProfileError
from ccl.i18n import Lang, problem_text, t
from ccl.intake import read_file, read_profile_bytes
from ccl.profile import Profile
from ccl.store import SnapshotInfo, Store, StoreError, StoreUnavailable, summary_of

MAX_FILES = 50
MAX_TOTAL_BYTES = 50 * 1024 * 1024


@runtime_checkable
class Upload(Protocol):
    """An uploaded file that knows its size and reads its bytes only when asked (e.g. a Streamlit upload)."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


BatchItem = str | Path | tuple[str, bytes] | Upload
Progress = Callable[[int, int], None]


class BatchTooLarge(ValueError):
    """More uploaded files, or more data, than one batch may hold; ``message(lang)`` says so."""

    def __init__(self, key: str, **values: object):
        self.key, self.values = key, values
        super().__init__(f"{key}: {values}")

    def message(self, lang: Lang) -> str:
        return t(f"batch.{self.key}", lang, **self.values)


def batch_limits(lang: Lang) -> str:
    """The limits as the upload box states them."""
    return t("batch.limits", lang, n=MAX_FILES, mb=MAX_TOTAL_BYTES // (1024 * 1024))


def check_batch(items: Sequence[BatchItem]) -> None:
    """Refuse a batch of uploads over ``MAX_FILES`` files or ``MAX_TOTAL_BYTES`` in all, before reading any."""
    uploads = [item for item in items if not isinstance(item, (str, Path))]
    if len(uploads) > MAX_FILES:
        raise BatchTooLarge("too_many_files", n=len(uploads), max=MAX_FILES)
    total = sum(len(item[1]) if isinstance(item, tuple) else int(item.size) for item in uploads)
    if total > MAX_TOTAL_BYTES:
        raise BatchTooLarge("too_much_data", mb=f"{total / 1024 / 1024:.1f}", max=MAX_TOTAL_BYTES // (1024 * 1024))


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """A file that was saved: to which client, as which version, and whether the client is new."""

    file: str
    client_name: str
    snapshot: SnapshotInfo
    created: bool


@dataclass(frozen=True, slots=True)
class FailedFile:
    """A file that was not saved, and why: what is wrong with it (``problems``), or the database's error.

    Kept as data, not text, so that a page can show it in whichever language the user picks later.
    """

    file: str
    problems: tuple[Problem, ...] = ()
    store_error: StoreError | None = None

    def reasons(self, lang: Lang) -> list[str]:
        """Why, in ``lang``: one line per problem (the file name is not repeated)."""
        if self.store_error is not None:
            return [self.store_error.user_message(lang)]
        return [problem_text(p, lang) for p in self.problems]


@dataclass(slots=True)
class BatchResult:
    """The saved files, and those that were not with the reasons."""

    saved: list[ImportedFile] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)


class _FileFailed(Exception):
    """A file that cannot be imported, with its problems."""

    def __init__(self, *problems: Problem):
        super().__init__(problems[0].code)
        self.problems = problems


def item_name(item: BatchItem) -> str:
    """The name a file is listed under: the upload's file name, or the path as given."""
    if isinstance(item, tuple):
        return item[0]
    return str(item) if isinstance(item, (str, Path)) else item.name


def import_files(
    items: Sequence[BatchItem],
    store: Store,
    engine: Engine,
    start: date,
    saved_by: str = "",
    progress: Progress | None = None,
    workspace: str | None = None,
) -> BatchResult:
    """Score and save each file (a path, or (file name, bytes) from an upload); list the others with why.

    With a ``workspace``, a file updates only a client of that workspace, and new clients go into it.
    Raises ``BatchTooLarge`` for too many uploads or too much data (see ``check_batch``).
    """
    check_batch(items)
    result = BatchResult()
    outage: StoreUnavailable | None = None
    if progress:
        progress(0, len(items))
    for done, item in enumerate(items, 1):
        name = item_name(item)
        if outage is not None:
            result.failed.append(FailedFile(name, (Problem(ErrorCode.SKIPPED),)))
        else:
            try:
                result.saved.append(_import_one(item, name, store, engine, start, (saved_by, workspace)))
            except _FileFailed as exc:
                result.failed.append(FailedFile(name, exc.problems))
            except StoreUnavailable as exc:
                outage = exc
                result.failed.append(FailedFile(name, store_error=exc))
            except StoreError as exc:
                result.failed.append(FailedFile(name, store_error=exc))
        if progress:
            progress(done, len(items))
    return result


def _import_one(
    item: BatchItem, name: str, store: Store, engine: Engine, start: date, by: tuple[str, str | None]
) -> ImportedFile:
    saved_by, workspace = by
    profile = read_item(item, name, engine)
    ev = engine.evaluate(profile, start)
    company = profile.company.name or ""
    matches = store.find_clients(company, None if workspace is None else [workspace]) if company else []
    if len(matches) > 1:
        raise _FileFailed(Problem(ErrorCode.AMBIGUOUS_CLIENT, value=company, extra=(("n", len(matches)),)))
    client_id = matches[0].id if matches else None
    fallback = None if company else Path(name).stem
    mine = None if workspace is None else [workspace]
    info = store.save(
        client_id, profile, summary_of(ev), saved_by, force=True, name=fallback, workspace=workspace, workspaces=mine
    )
    return ImportedFile(file=name, client_name=company or fallback or "", snapshot=info, created=not matches)


def _bytes_of(item: BatchItem) -> bytes:
    if isinstance(item, tuple):
        return item[1]
    if isinstance(item, (str, Path)):
        return read_file(item)  # a regular file, read with a bound
    return item.getvalue()


def read_item(item: BatchItem, name: str, engine: Engine) -> Profile:
    """The profile in one file, checked against the catalog; failures carry the problems as data."""
    try:
        data = _bytes_of(item)
        return read_profile_bytes(name, data, engine.catalog)
    except FileNotFoundError:
        raise _FileFailed(Problem(ErrorCode.NOT_FOUND)) from None
    except OSError:
        raise _FileFailed(Problem(ErrorCode.UNREADABLE)) from None
    except ProfileError as err:  # names the question, or the sheet and cell, to fix
        raise _FileFailed(*err.problems) from None
    except Exception as exc:  # a damaged workbook must not stop the other files
        raise _FileFailed(Problem(ErrorCode.DAMAGED, value=f"{exc.__class__.__name__}: {exc}"[:120])) from None
