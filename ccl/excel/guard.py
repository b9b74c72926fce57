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
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ccl.errors import ProfileError
from ccl.limits import MAX_UPLOAD_BYTES as MAX_BYTES
from ccl.limits import MB

MAX_UNPACKED = 40 * 1024 * 1024  # unpacking alone costs ~1 s per 60 MB on a small server
MAX_MEMBERS = 2000
MAX_XML_SCAN = 4096  # a DOCTYPE can only come before the root element, so the start of a part suffices
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
MACRO_TYPES = (b"macroEnabled", b"vbaProject", b"vnd.ms-office.activeX")

# What one upload may cost, counted before parsing. The parser's time and memory grow with the number
# of records, not with the file size: a 100 KB package can unpack into millions of tiny strings, styles
# or cells. Our own report and template of a sample company hold at most 165 cell formats, 132 rows on a
# sheet, about 3,000 cells in all and no part over 100 KB; with the largest plan the profile accepts (500
# actions) and 200 documents, about 12,400 cells and 600 rows on a sheet. A copy saved by Excel or WPS
# adds shared strings and a few hundred formats. The limits leave room for that and keep the worst
# accepted upload within about 2 s and 200 MB (bench/bench_uploads.py: 0.4 s for 40,000 cells).
BUDGET = {
    "part_bytes": 8 * 1024 * 1024,  # any one XML part, unpacked
    "strings": 10_000,  # shared-string entries
    "styles": 2_000,  # records in styles.xml (formats, fonts, fills, borders, number formats…)
    "rows": 10_000,  # rows on one sheet
    "cells": 40_000,  # cells in the whole workbook
    "tags": 300_000,  # XML tags in sheets, shared strings and styles together
    "other_tags": 50_000,  # XML tags in every other part (workbook, names, relationships, properties…)
}
_SCAN_CHUNK = 1 << 20
_STYLE_RECORD = re.compile(rb"<(?:[\w.-]+:)?(?:xf|font|fill|border|numFmt|dxf|cellStyle)[\s/>]")
_ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_STRING = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")


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
            check_budget(zf, where)  # reads every member through, so a damaged one fails its checksum here
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


def check_budget(zf: zipfile.ZipFile, where: str) -> None:
    """Refuse a package whose XML holds more strings, styles, rows, cells, tags or bytes than ``BUDGET``.

    Every member is unpacked once as a stream and its tags counted at the byte level (never parsed),
    so the check costs little more than unpacking; a damaged member fails its checksum on the way.
    """
    total = {"cells": 0, "tags": 0, "other_tags": 0}
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            with zf.open(info) as fh:
                while fh.read(_SCAN_CHUNK):
                    pass
            continue
        part = _count_part(zf, info, total, where)
        for what in total:
            total[what] += part[what]


def _count_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, total: dict[str, int], where: str) -> dict[str, int]:
    name, kind = info.filename, _part_kind(info.filename)
    counted = {"sheet": (("rows", _ROW), ("cells", _CELL)), "strings": (("strings", _STRING),)}
    counted["styles"] = (("styles", _STYLE_RECORD),)
    tags = "other_tags" if kind == "other" else "tags"
    part = {"bytes": 0, "tags": 0, "other_tags": 0, "rows": 0, "cells": 0, "strings": 0, "styles": 0}
    for chunk in _xml_chunks(zf, info):
        part["bytes"] += len(chunk)
        part[tags] += chunk.count(b"<")
        _over(part["bytes"], "part_bytes", name, where)
        _over(total[tags] + part[tags], tags, name, where)
        for what, pattern in counted.get(kind, ()):
            part[what] += len(pattern.findall(chunk))
            _over(part[what] + total.get(what, 0), what, name, where)
    return part


def _part_kind(name: str) -> str:
    lower = name.lower()
    if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
        return "sheet"
    if lower == "xl/sharedstrings.xml":
        return "strings"
    if lower == "xl/styles.xml":
        return "styles"
    return "other"


def _over(count: int, what: str, name: str, where: str) -> None:
    limit = BUDGET[what]
    if count > limit:
        shown = f"{_mb(count)} > {_mb(limit)}" if what == "part_bytes" else f"> {limit:,}"
        raise ProfileError(where, "", f"too much in {name}: {what}", code=f"too_many_{what}", value=f"{name}: {shown}")


def _xml_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The unpacked part in pieces that end just before a ``<``, as UTF-8 whatever its encoding.

    Cutting before a ``<`` keeps every tag whole, so counting tags piece by piece counts each once.
    """
    decoder: codecs.IncrementalDecoder | None = None
    carry = b""
    with zf.open(info) as fh:
        first = True
        while block := fh.read(_SCAN_CHUNK):
            if first:
                decoder, first = _decoder_for(block[:4]), False
            if decoder is not None:
                block = decoder.decode(block).encode("utf-8")
            buf = carry + block
            cut = buf.rfind(b"<")
            if cut <= 0:
                carry = buf
                if len(carry) > _SCAN_CHUNK:  # a run with no tag in it: nothing to count, keep only a tail
                    yield carry
                    carry = b""
                continue
            yield buf[:cut]
            carry = buf[cut:]
    if carry:
        yield carry


def _decoder_for(head: bytes) -> codecs.IncrementalDecoder | None:
    """A UTF-16 decoder for a part written in UTF-16 (with or without its byte-order mark), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return codecs.getincrementaldecoder("utf-16")(errors="ignore")
    if head[:2] == b"<\x00":
        return codecs.getincrementaldecoder("utf-16-le")(errors="ignore")
    if head[:2] == b"\x00<":
        return codecs.getincrementaldecoder("utf-16-be")(errors="ignore")
    return None


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
