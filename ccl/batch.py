"""Batch import: many filled questionnaires or JSON profiles scored and saved in one go.

Each file is matched to a client by company name (ignoring case, spaces and full-/half-width forms):
no match creates a client; one match adds a new snapshot to it (history keeps the earlier ones, so
nothing is overwritten); several matches fail that file rather than guess. A file without a company
name becomes a new client named after the file. A bad file is listed with the reason and the others
are still saved; if the database goes away, the remaining files are listed as not imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ccl.engine import Engine
from ccl.excel.reader import error_text
from ccl.i18n import Lang, t
from ccl.intake import read_profile_bytes
from ccl.profile import Profile, ProfileError
from ccl.store import SnapshotInfo, Store, StoreError, StoreUnavailable, summary_of

BatchItem = str | Path | tuple[str, bytes]
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """A file that was saved: to which client, as which version, and whether the client is new."""

    file: str
    client_name: str
    snapshot: SnapshotInfo
    created: bool


@dataclass(slots=True)
class BatchResult:
    """The saved files, and (file, reason) for those that were not."""

    saved: list[ImportedFile] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


class _FileFailed(Exception):
    """A file that cannot be imported; the message is already in the user's language."""


def item_name(item: BatchItem) -> str:
    """The name a file is listed under: the upload's file name, or the path as given."""
    return item[0] if isinstance(item, tuple) else str(item)


def import_files(
    items: Sequence[BatchItem],
    store: Store,
    engine: Engine,
    start: date,
    saved_by: str = "",
    progress: Progress | None = None,
    lang: Lang = "zh",
) -> BatchResult:
    """Score and save each file (a path, or (file name, bytes) from an upload).

    ``failed`` lists (file, reason) with the reason in ``lang`` (not repeating the file name).
    """
    result = BatchResult()
    outage: StoreUnavailable | None = None
    if progress:
        progress(0, len(items))
    for done, item in enumerate(items, 1):
        name = item_name(item)
        if outage is not None:
            result.failed.append((name, t("batch.skipped", lang)))
        else:
            try:
                result.saved.append(_import_one(item, name, store, engine, start, saved_by, lang))
            except _FileFailed as exc:
                result.failed.append((name, str(exc)))
            except StoreUnavailable as exc:
                outage = exc
                result.failed.append((name, exc.user_message(lang)))
            except StoreError as exc:
                result.failed.append((name, exc.user_message(lang)))
        if progress:
            progress(done, len(items))
    return result


def _import_one(
    item: BatchItem, name: str, store: Store, engine: Engine, start: date, saved_by: str, lang: Lang
) -> ImportedFile:
    profile = read_item(item, name, engine, lang)
    ev = engine.evaluate(profile, start)
    company = profile.company.name or ""
    matches = store.find_clients(company) if company else []
    if len(matches) > 1:
        raise _FileFailed(t("batch.ambiguous", lang, n=len(matches), company=company))
    client_id = matches[0].id if matches else None
    fallback = None if company else Path(name).stem
    info = store.save(client_id, profile, summary_of(ev), saved_by, force=True, name=fallback)
    return ImportedFile(file=name, client_name=company or fallback or "", snapshot=info, created=not matches)


def read_item(item: BatchItem, name: str, engine: Engine, lang: Lang) -> Profile:
    """The profile in one file, checked against the catalog; failures carry a one-line message."""
    try:
        data = item[1] if isinstance(item, tuple) else Path(item).read_bytes()
        return read_profile_bytes(name, data, engine.catalog)
    except FileNotFoundError:
        raise _FileFailed(t("error.not_found", lang)) from None
    except OSError:
        raise _FileFailed(t("error.unreadable", lang)) from None
    except ProfileError as err:  # names the question, or the sheet and cell, to fix
        raise _FileFailed(error_text(err, lang)) from None
    except Exception as exc:  # a damaged workbook must not stop the other files
        problem = f"{exc.__class__.__name__}: {exc}"[:120]
        raise _FileFailed(t("batch.damaged", lang, problem=problem)) from None
