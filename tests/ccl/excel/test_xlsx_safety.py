"""Uploads are untrusted: every bad file gets a clear, translated error and nothing is executed."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import openpyxl.xml
import pytest
import xlsx_bombs

from ccl.engine import Engine
from ccl.excel import guard as xlsx_guard
from ccl.excel.guard import open_workbook
from ccl.excel.template import build_template
from ccl.i18n import error_text
from ccl.profile import ProfileError
from ccl.samples import list_samples
from tests.conftest import read_xlsx

BOMB = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""


@pytest.fixture(scope="module")
def template() -> bytes:
    return build_template(Engine.load(), "zh", list_samples()[0].load())


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same package with some parts replaced (None removes them) or added."""
    replace = replace or {}
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
                continue
            dst.writestr(info, src.read(info.filename))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def refused(source: bytes | Path, code: str, **kwargs) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        read_xlsx(source, where="upload.xlsx", **kwargs)
    err = info.value
    assert err.code == code, err
    zh, en = error_text(err, "zh"), error_text(err, "en")  # a sentence in the user's language
    assert re.search(r"[\u4e00-\u9fff]", zh) and zh != en and err.problem not in (zh, en)
    return err


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML


def test_over_the_size_limit(template: bytes, tmp_path: Path) -> None:
    err = refused(template, "too_big", max_bytes=10_000)
    assert "MB" in str(err.value)
    big = tmp_path / "big.xlsx"
    big.write_bytes(template + b"\0" * 20_000)
    refused(big, "too_big", max_bytes=len(template))


def test_not_a_zip_or_empty() -> None:
    refused(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not_zip")
    refused(b"", "not_zip")


def test_corrupt_zip(template: bytes) -> None:
    refused(template[: len(template) // 2], "corrupt")
    broken = bytearray(template)
    with zipfile.ZipFile(BytesIO(template)) as zf:
        info = zf.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + 10  # inside the compressed data
    broken[start : start + 40] = bytes(40)
    refused(bytes(broken), "corrupt")


def test_malformed_sheet_xml_inside_a_valid_zip(template: bytes) -> None:
    broken = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row'
    refused(rezip(template, replace={"xl/worksheets/sheet2.xml": broken}), "corrupt")


def test_old_xls_or_password_protected_renamed() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)
    err = refused(ole2, "old_xls")
    assert ".xls" in error_text(err, "zh")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_csv_renamed(encoding: str) -> None:
    csv = "公司名称,注册资本（万元）\n广州粤声,600\n".encode(encoding)
    err = refused(csv, "text_file")
    assert "CSV" in error_text(err, "zh")


def test_xlsm_renamed(template: bytes) -> None:
    refused(rezip(template, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}), "macro")
    with zipfile.ZipFile(BytesIO(template)) as zf:
        types = zf.read("[Content_Types].xml")
    macro_types = types.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    assert macro_types != types
    refused(rezip(template, replace={"[Content_Types].xml": macro_types}), "macro")


def test_other_office_file_renamed() -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    refused(out.getvalue(), "not_zip")


def test_xml_bomb_is_refused_before_parsing(template: bytes) -> None:
    for part in ("xl/worksheets/sheet2.xml", "xl/styles.xml"):
        with zipfile.ZipFile(BytesIO(template)) as zf:
            assert part in zf.namelist()
        refused(rezip(template, replace={part: BOMB}), "unsafe_xml")


def test_xml_bomb_is_refused_by_the_parser_too(template: bytes) -> None:
    """Even past the byte scan, openpyxl parses through defusedxml and refuses entities."""
    for part, body in (("xl/workbook.xml", BOMB.replace(b"sst", b"workbook")), ("xl/styles.xml", BOMB)):
        with pytest.raises(ProfileError) as info:
            open_workbook(rezip(template, replace={part: body}), "upload.xlsx")
        assert info.value.code == "unsafe_xml"


def test_zip_bomb_by_size(template: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_guard, "MAX_UNPACKED", 5 * 1024 * 1024)
    padded = rezip(template, add={"xl/media/zeros.bin": bytes(6 * 1024 * 1024)})
    assert len(padded) < 100_000  # tiny on disk, large once unpacked
    refused(padded, "zip_bomb")


def test_zip_bomb_by_member_count(template: bytes) -> None:
    many = rezip(template, add={f"xl/media/p{i}.bin": b"" for i in range(xlsx_guard.MAX_MEMBERS + 1)})
    refused(many, "zip_bomb")


def _with_external_link(data: bytes) -> bytes:
    ns = (
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    )
    link = (
        b"<externalLink " + ns + b'><externalBook r:id="rId1"><sheetNames><sheetName val="S"/>'
        b"</sheetNames></externalBook></externalLink>"
    )
    link_rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/externalLinkPath" Target="http://attacker.example/evil.xlsx" '
        b'TargetMode="External"/></Relationships>'
    )
    with zipfile.ZipFile(BytesIO(data)) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels")
        book = zf.read("xl/workbook.xml")
        types = zf.read("[Content_Types].xml")
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/externalLink" '
        b'Target="externalLinks/externalLink1.xml"/></Relationships>',
    )
    book = book.replace(
        b"</sheets>", b'</sheets><externalReferences><externalReference r:id="rIdX"/></externalReferences>'
    )
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/externalLinks/externalLink1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        b'externalLink+xml"/></Types>',
    )
    return rezip(
        data,
        replace={"xl/_rels/workbook.xml.rels": rels, "xl/workbook.xml": book, "[Content_Types].xml": types},
        add={"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels},
    )


def test_external_links_are_dropped_never_followed(template: bytes) -> None:
    linked = _with_external_link(template)
    from openpyxl import load_workbook

    assert load_workbook(BytesIO(linked), keep_links=True)._external_links  # the link really is there
    assert open_workbook(linked, "upload.xlsx")._external_links == []
    assert read_xlsx(linked) == list_samples()[0].load()


def test_missing_file_or_folder(tmp_path: Path) -> None:
    refused(tmp_path / "nope.xlsx", "not_found")
    refused(tmp_path, "not_found")


# --- cost bombs: small packages that unpack into millions of records -------------------------------


@pytest.mark.parametrize(
    ("bomb", "code"),
    [
        ("shared_strings", "too_many_strings"),
        ("styles", "too_many_styles"),
        ("rows", "too_many_rows"),
        ("wide_row", "too_many_cells"),
        ("defined_names", "too_many_other_tags"),
    ],
)
def test_cost_bombs_are_refused_before_parsing(template: bytes, bomb: str, code: str, monkeypatch) -> None:
    data = xlsx_bombs.BOMBS[bomb](template)
    assert len(data) < 200_000  # tiny upload, well within the size limit
    parsed = []
    monkeypatch.setattr("ccl.excel.reader.open_workbook", lambda *a: parsed.append(a))
    err = refused(data, code)
    assert parsed == []  # the spreadsheet parser never saw it
    assert ".xml" in str(err.value) and ">" in str(err.value)  # names the part and the limit


def test_bombs_in_utf16_or_with_namespace_prefixes_are_counted_too(template: bytes) -> None:
    styles = xlsx_bombs.styles_bomb(template, 5_000)
    with zipfile.ZipFile(BytesIO(styles)) as zf:
        body = zf.read("xl/styles.xml")
    utf16 = b"\xff\xfe" + body.decode().encode("utf-16-le")
    refused(rezip(template, replace={"xl/styles.xml": utf16}), "too_many_styles")
    row = b'<x:row><x:c t="n"><x:v>1</x:v></x:c></x:row>'
    ns = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = b"<x:worksheet " + ns + b"><x:sheetData>" + row * 20_000 + b"</x:sheetData></x:worksheet>"
    refused(rezip(template, replace={"xl/worksheets/sheet1.xml": sheet}), "too_many_rows")


def test_our_own_workbooks_fit_the_limits_ten_times_over(template: bytes, monkeypatch) -> None:
    from datetime import date

    from ccl.excel.report import build_report

    engine = Engine.load()
    day = date(2026, 11, 30)
    report = build_report(engine.evaluate(list_samples()[0].load(), day), engine, "en", day)
    tenth = {what: limit // 10 for what, limit in xlsx_guard.BUDGET.items()}
    monkeypatch.setattr(xlsx_guard, "BUDGET", tenth)
    for data in (template, report):
        xlsx_guard.check_package(data, "ours.xlsx")
    assert read_xlsx(report, where="ours.xlsx").company.name


def test_external_entity_xxe_is_refused(template: bytes, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "' + secret.as_uri().encode() + b'">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&x;</t></si></sst>'
    )
    err = refused(rezip(template, add={"xl/sharedStrings.xml": xxe}), "unsafe_xml")
    assert "TOP SECRET" not in str(err) + error_text(err, "en")


def test_workbooks_are_parsed_through_defusedxml_even_with_lxml_installed():
    """python-docx brings lxml, with which openpyxl would skip defusedxml: the product keeps it off."""
    import subprocess
    import sys

    code = "import ccl.intake, openpyxl, openpyxl.xml.functions as f; print(openpyxl.LXML, f.iterparse.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "False" and out[1].startswith("defusedxml")
