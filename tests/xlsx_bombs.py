"""Small .xlsx packages that unpack into huge, repetitive XML: the cost bombs an upload check must refuse.

Each stays well under the upload size limit (they compress about 1000:1) and under the unpacked-size
allowance, so only counting what is inside tells them apart from a real questionnaire.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from ccl.engine import Engine
from ccl.excel.template import build_template
from ccl.samples import list_samples

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def template() -> bytes:
    """A real questionnaire (the base every bomb is built on)."""
    return build_template(Engine.load(), "zh", list_samples()[0].load())


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same package with some parts replaced (None removes them) or added."""
    replace = replace or {}
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
                continue
            dst.writestr(info, src.read(info.filename))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def _first_sheet(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as zf:
        return sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))[0]


def shared_strings_bomb(base: bytes, count: int = 2_000_000) -> bytes:
    """A shared-string table of ``count`` tiny strings (openpyxl loads every one into memory)."""
    body = b"".join([b"<sst ", MAIN, b">", b"<si><t>x</t></si>" * count, b"</sst>"])
    rel_type = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    rels_add = b'<Relationship Id="rIdSST" Type="' + rel_type + b'" Target="sharedStrings.xml"/></Relationships>'
    with zipfile.ZipFile(BytesIO(base)) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", rels_add)
        types = zf.read("[Content_Types].xml")
    if b"sharedStrings" not in types:
        content = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
        override = b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + content + b'"/></Types>'
        types = types.replace(b"</Types>", override)
    return rezip(
        base,
        replace={"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types, "xl/sharedStrings.xml": None},
        add={"xl/sharedStrings.xml": body},
    )


def styles_bomb(base: bytes, count: int = 300_000) -> bytes:
    """A style sheet with ``count`` cell formats (openpyxl parses styles.xml in full, even read-only)."""
    xfs = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
    body = b"".join(
        [
            b"<styleSheet ",
            MAIN,
            b'><fonts count="1"><font><sz val="11"/></font></fonts>',
            b'<fills count="1"><fill><patternFill patternType="none"/></fill></fills>',
            b'<borders count="1"><border/></borders>',
            b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
            b"<cellXfs>",
            xfs,
            b"</cellXfs></styleSheet>",
        ]
    )
    return rezip(base, replace={"xl/styles.xml": body})


def rows_bomb(base: bytes, rows: int = 1_000_000) -> bytes:
    """A first sheet with no <dimension> and ``rows`` rows of one cell each."""
    row = b'<row><c t="n"><v>1</v></c></row>'
    body = b"".join([b"<worksheet ", MAIN, b"><sheetData>", row * rows, b"</sheetData></worksheet>"])
    return rezip(base, replace={_first_sheet(base): body})


def wide_row_bomb(base: bytes, cells: int = 1_000_000) -> bytes:
    """A first sheet whose single row holds ``cells`` cells (parsed in full before columns are cut)."""
    cell = b'<c t="n"><v>1</v></c>'
    body = b"".join([b"<worksheet ", MAIN, b"><sheetData><row>", cell * cells, b"</row></sheetData></worksheet>"])
    return rezip(base, replace={_first_sheet(base): body})


BOMBS = {
    "shared_strings": shared_strings_bomb,
    "styles": styles_bomb,
    "rows": rows_bomb,
    "wide_row": wide_row_bomb,
}


def defined_names_bomb(base: bytes, count: int = 600_000) -> bytes:
    """A workbook.xml with ``count`` defined names (parsed in full when the workbook opens)."""
    with zipfile.ZipFile(BytesIO(base)) as zf:
        wb = zf.read("xl/workbook.xml")
    names = b"".join(b'<definedName name="n%d">A</definedName>' % (i % 10) for i in range(count))
    head, _, tail = wb.partition(b"</sheets>")
    wb = head + b"</sheets><definedNames>" + names + b"</definedNames>" + tail.replace(b"<definedNames>", b"<x>", 1)
    return rezip(base, replace={"xl/workbook.xml": wb})


def padded_parts(base: bytes, parts: int = 4, size: int = 8 * 1024 * 1024 - 4096) -> bytes:
    """Extra parts of blank padding, each just under the per-part limit: the most unpacking the check allows."""
    pad = b"<?xml version='1.0'?><x>" + b" " * (size - 40) + b"</x>"
    return rezip(base, add={f"customXml/item{i}.xml": pad for i in range(parts)})


BOMBS["defined_names"] = defined_names_bomb
# Just inside every limit: the costliest uploads that are still read through (the reader then answers).
NEAR_LIMITS = {
    "strings_at_limit": lambda base: shared_strings_bomb(base, 9_900),
    "styles_at_limit": lambda base: styles_bomb(base, 1_900),
    "wide_row_at_limit": lambda base: wide_row_bomb(base, 37_000),
    "rows_at_limit": lambda base: rows_bomb(base, 9_900),
    "names_at_limit": lambda base: defined_names_bomb(base, 24_000),
    "unpacked_at_limit": padded_parts,
}
