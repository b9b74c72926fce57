"""Word documents in the style of a Chinese official submission (GB/T 9704-2012 as a guide): A4, body in a
仿宋-style font at 三号 on a 28 pt line, headings in a 黑体-style font, a centred page number "— 1 —", a
cover with the company, the draft notice and what blocks the application.

Everything a user typed goes in as the text of a run: no field codes (the page number is the product's own
field), no hyperlinks, no macros. ``finish`` fixes the core properties and every zip entry's date to one
timestamp, so the same answers give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ccl.pack.template import Fonts, Segment

TABLE_SIZE = 10.5  # 五号
RED = RGBColor(0xC0, 0x00, 0x00)


def _fonts(target: Any, latin: str, east_asia: str) -> None:
    """Set the Latin and the East Asian font of a style or run (Word picks by script)."""
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


class OfficialDoc:
    """One document being written."""

    def __init__(self, fonts: Fonts, page_number: str, landscape: bool = False):
        self.fonts = fonts
        self.doc = Document()
        self._page(landscape)
        self._styles()
        self._footer(page_number)

    def _page(self, landscape: bool) -> None:
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)
        if landscape:
            sec.top_margin, sec.bottom_margin = Mm(25), Mm(25)

    def _styles(self) -> None:
        f = self.fonts
        normal = self.doc.styles["Normal"]
        _fonts(normal, f.latin, f.body)
        normal.font.size = Pt(f.body_size)
        pf = normal.paragraph_format
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
        pf.space_before = pf.space_after = Pt(0)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)
        heading = self.doc.styles.add_style("CCL Heading", 1)
        heading.base_style = normal
        _fonts(heading, f.latin, f.heading)
        heading.font.size = Pt(f.heading_size)
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "0")
        heading.element.get_or_add_pPr().append(outline)
        heading.paragraph_format.keep_with_next = True
        table = self.doc.styles.add_style("CCL Table", 1)
        table.base_style = normal
        table.font.size = Pt(TABLE_SIZE)
        table.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        table.paragraph_format.first_line_indent = Pt(0)
        self.style_ids = {"CCL Heading": heading.style_id, "CCL Table": table.style_id}

    def _footer(self, page_number: str) -> None:
        para = self.doc.sections[0].footer.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, _, after = page_number.partition("{page}")
        para.add_run(before).font.size = Pt(14)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        para._p.append(field)
        para.add_run(after).font.size = Pt(14)

    # --- content -----------------------------------------------------------------------------------
    def centred(self, text: str, size: float, heading_font: bool = True, space_after: float = 0) -> None:
        para = self.doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        para.paragraph_format.space_after = Pt(space_after)
        run = para.add_run(text)
        run.font.size = Pt(size)
        if heading_font:
            _fonts(run, self.fonts.latin, self.fonts.heading)

    def _styled(self, para: Any, style: str) -> Any:
        """Give ``para`` one of our styles by its id (python-docx's lookup by name scans every style)."""
        para._p.get_or_add_pPr().style = self.style_ids[style]
        return para

    def heading(self, text: str) -> None:
        para = self._styled(self.doc.add_paragraph(), "CCL Heading")
        para.paragraph_format.first_line_indent = Pt(self.fonts.body_size * 2)
        para.add_run(text)

    def paragraph(self, segments: list[Segment], indent: bool = True, red: bool = False) -> None:
        para = self.doc.add_paragraph()
        if indent:
            para.paragraph_format.first_line_indent = Pt(self.fonts.body_size * 2)
        for seg in segments:
            run = para.add_run(seg.text)  # text only: a value is never parsed as a field or markup
            if seg.todo is not None:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if red:
                run.font.color.rgb = RED

    def text(self, text: str, indent: bool = True, red: bool = False) -> None:
        self.paragraph([Segment(text)], indent=indent, red=red)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> None:
        tbl = self.doc.add_table(rows=1, cols=len(header))
        tbl.style = self.doc.styles["Table Grid"]
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(tbl.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=True)
        for row in rows:
            cells = tbl.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                self._cell(cell, text)
        tbl.autofit = False
        for column, width in zip(tbl.columns, widths_mm, strict=True):
            column.width = Mm(width)  # the grid: what LibreOffice and WPS lay out by
        for row in tbl.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)

    def _cell(self, cell: Any, text: str, bold: bool = False) -> None:
        lines = text.split("\n")
        para = self._styled(cell.paragraphs[0], "CCL Table")
        for i, line in enumerate(lines):
            run = para.add_run(line)
            run.bold = bold
            if i < len(lines) - 1:
                run.add_break()

    def finish(self, title: str, subject: str, when: datetime) -> bytes:
        props = self.doc.core_properties
        props.title, props.subject, props.author = title, subject, "CCL Readiness"
        props.last_modified_by, props.keywords, props.comments = "CCL Readiness", "B24", ""
        utc = when.astimezone(UTC).replace(tzinfo=None, microsecond=0)  # core properties are in UTC
        props.created = props.modified = props.last_printed = utc
        props.revision = 1
        buf = io.BytesIO()
        self.doc.save(buf)
        return restamp(buf.getvalue(), when)


def restamp(data: bytes, when: datetime) -> bytes:
    """The zip ``data`` rewritten with every entry dated ``when`` (zip stores local date and time); an entry
    that is itself a zip (a .docx in the pack) is stored, not compressed a second time."""
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            zipped = info.filename.endswith((".docx", ".xlsx", ".zip"))
            entry.compress_type = zipfile.ZIP_STORED if zipped else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
