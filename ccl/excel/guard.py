"""Checks on an uploaded workbook before any spreadsheet parser sees it.

Uploads come from outside, so the bytes are checked first: size, file type by content (an old
.xls, a CSV or a macro workbook renamed to .xlsx), the zip container (corrupt, too many parts, too
much data once unpacked) and the XML inside (no DOCTYPE or entity declarations, which is how XML
bombs and external-entity tricks work). Only then does openpyxl open it, with defusedxml in force,
formulas kept as text and external links dropped. Every failure is a ``ProfileError`` with a code
the user interface translates.
"""

from __future__ import annotations

import codecs
import re
import warnings
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ccl.errors import ProfileError
from ccl.intake import MAX_UPLOAD_BYTES as MAX_BYTES
from ccl.intake import MB

MAX_UNPACKED = 100 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_XML_SCAN = 4096  # a DOCTYPE can only come before the root element, so the start of a part suffices
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
MACRO_TYPES = (b"macroEnabled", b"vbaProject", b"vnd.ms-office.activeX")


def _mb(n: int) -> str:
    return f"{n / MB:.1f} MB"


def read_source(source: Path | bytes, where: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of an upload or a file, refusing anything over ``max_bytes`` before reading it all."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise ProfileError(where, "", "file too large", code="too_big", value=f"{_mb(size)} > {_mb(max_bytes)}")
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ProfileError(where, "", "file not found", code="not_found") from None
        except PermissionError:
            raise ProfileError(where, "", "cannot be read", code="unreadable") from None
    if len(data) > max_bytes:
        raise ProfileError(where, "", "file too large", code="too_big", value=f"{_mb(len(data))} > {_mb(max_bytes)}")
    return data


def check_package(data: bytes, where: str) -> None:
    """Refuse anything that is not a plain, macro-free, reasonably sized .xlsx package."""
    _check_magic(data, where)
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            _check_members(zf, where)
            _check_content(zf, where)
            if zf.testzip() is not None:
                raise ProfileError(where, "", "corrupt zip member", code="corrupt")
    except ProfileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ):
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise ProfileError(where, "", "the zip container is damaged", code="corrupt") from None


def _check_magic(data: bytes, where: str) -> None:
    if data.startswith(OLE2_MAGIC):
        raise ProfileError(where, "", "an old .xls file or a password-protected workbook", code="old_xls")
    if data.startswith(ZIP_MAGIC):
        return
    if data and _looks_like_text(data[:4096]):
        raise ProfileError(where, "", "a text file (e.g. CSV), not a workbook", code="text_file")
    raise ProfileError(where, "", "not an Excel workbook", code="not_zip")


def _looks_like_text(head: bytes) -> bool:
    """Text in UTF-16 (with its byte-order mark), UTF-8 or GB18030: what a CSV export looks like."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _check_members(zf: zipfile.ZipFile, where: str) -> None:
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS or total > MAX_UNPACKED:
        raise ProfileError(
            where, "", "unpacks to too much data", code="zip_bomb", value=f"{len(infos)} parts, {_mb(total)}"
        )
    names = {i.filename for i in infos}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ProfileError(where, "", "contains macros", code="macro")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ProfileError(where, "", "a zip file but not an Excel workbook", code="not_zip")


def _check_content(zf: zipfile.ZipFile, where: str) -> None:
    types = zf.read("[Content_Types].xml")[:1_000_000]
    if any(marker in types for marker in MACRO_TYPES):
        raise ProfileError(where, "", "contains macros", code="macro")
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with zf.open(info) as fh:
            head = fh.read(MAX_XML_SCAN)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        if _DECLARATION.search(head):
            raise ProfileError(where, "", f"unsafe XML in {info.filename}", code="unsafe_xml")


def open_workbook(data: bytes, where: str) -> Workbook:
    """Open checked bytes with openpyxl: formulas stay text, links are dropped, nothing is executed.

    Read-only (streaming) mode: it skips styles and merged-cell bookkeeping the import never needs.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unsupported extensions (slicers, …) are irrelevant here
            return load_workbook(
                BytesIO(data), read_only=True, data_only=False, keep_links=False, keep_vba=False, rich_text=False
            )
    except Exception as exc:  # any parser failure on untrusted input is "damaged", never a crash
        raise parse_failure(exc, where) from None


def parse_failure(exc: Exception, where: str) -> ProfileError:
    """The error for a workbook the parser could not read (sheets are parsed lazily, so also later)."""
    if isinstance(exc, ProfileError):
        return exc
    code = "unsafe_xml" if _refused_by_defusedxml(exc) else "corrupt"
    return ProfileError(where, "", f"cannot be opened ({exc.__class__.__name__})", code=code)


def _refused_by_defusedxml(exc: BaseException | None) -> bool:
    """True when defusedxml stopped the parse (openpyxl wraps its error in a ValueError)."""
    seen = 0
    while exc is not None and seen < 10:
        if exc.__class__.__module__.startswith("defusedxml"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
