"""Shared Excel helpers: safe cell writing, house styles, print setup, row heights, document properties.

Every workbook this program writes goes through :func:`put`, which never lets user text become a
formula: text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break is stored as a plain
string cell with Excel's quote prefix, so it stays text even when someone edits the cell later.
Fonts are not embedded in .xlsx files, so we name fonts that Excel, WPS and LibreOffice all know
(Microsoft YaHei for Chinese, falling back to the system CJK font; Calibri for English).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from copy import copy
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from ccl.i18n import WAN, Lang, t

#: The media type of every workbook the product hands out (downloads set it).
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
META_SHEET = "_ccl"
LISTS_SHEET = "_lists"
FORMAT_TAG = "ccl-readiness"
DATE_FORMAT = "yyyy-mm-dd"
# Scores, points and shares as the screens write them (ccl.i18n.fmt_score): 85, 49.8, 100% — never "85.0".
# Excel has no "decimals only when needed" format; "General" shows the value as stored, which the tables
# round to one decimal.
SCORE_FORMAT = "General"
PERCENT_FORMAT = 'General"%"'
FONTS: dict[str, str] = {"zh": "Microsoft YaHei", "en": "Calibri"}
PLAIN_STYLES = frozenset({"ccl plain", "ccl para", "ccl note", "ccl title", "ccl subtitle", "ccl section"})
WRAP_STYLES = frozenset(
    {
        "ccl text",
        "ccl code",
        "ccl value",
        "ccl para",
        "ccl header",
        "ccl label",
        "ccl note",
        "ccl input",
    }
)
BASE_SIZE = 10
ROW_HEIGHT = 18.0
INK = "1F2937"
MUTED = "6B7280"
ACCENT = "1F4E79"
HEADER_FILL = "DCE6F1"
INPUT_FILL = "FFF2CC"
LOCKED_FILL = "F2F2F2"
SEVERITY_FILLS = {"blocker": "F4B6B6", "major": "F8CBAD", "minor": "FFE699", "warning": "DDEBF7"}
# the verdict banner: light fill with dark text of the same hue, by status (readable in grey print too)
STATUS_FILLS = {
    "blocked": "F4B6B6",
    "not_ready": "F8CBAD",
    "nearly_ready": "DDEBF7",
    "ready": "E2EFDA",
    "licensed": "E2EFDA",  # the headline's verdicts of a licence holder (ccl.headline)
    "lapsed": "F4B6B6",
    "expired": "F4B6B6",
}
STATUS_INK = {
    "blocked": "9C0006",
    "not_ready": "833C0B",
    "nearly_ready": "1F4E79",
    "ready": "375623",
    "licensed": "375623",
    "lapsed": "9C0006",
    "expired": "9C0006",
}


# --- safe values -----------------------------------------------------------------------------------


def formula_like(text: str) -> bool:
    """True when a spreadsheet would take this text for a formula if typed into a cell."""
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Remove the control characters that XML (and so .xlsx) cannot hold."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def put(
    ws: Worksheet, row: int, col: int, value: Any, style: str | None = None, number_format: str | None = None
) -> Cell:
    """Write one cell; user text can never become a formula."""
    cell = ws._cells.get((row, col))
    if cell is None:  # the public ws.cell() does the same with more checks; put runs for every cell
        cell = ws._cells[(row, col)] = Cell(ws, row=row, column=col)
    if style is not None or number_format is not None:
        cell._style = copy(_style_array(ws, cell, style, number_format))
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if formula_like(value):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited later
    else:
        cell.value = value
    return cell


def _style_array(ws: Worksheet, cell: Cell, style: str | None, number_format: str | None) -> StyleArray:
    """The style of a (named style, number format) pair, worked out once per workbook.

    Assigning styles through openpyxl's descriptors compares style objects on every cell, which made
    the report several times slower than a plain dump; the resulting style array is the same.
    """
    cache = ws.parent.__dict__.setdefault("_ccl_style_cache", {})
    key = (style, number_format)
    if key not in cache:
        if style is not None:
            cell.style = style
        if number_format is not None:
            cell.number_format = number_format
        cache[key] = copy(cell._style)
    return cache[key]


def merge_row(ws: Worksheet, row: int, first_col: int, last_col: int) -> None:
    """Merge cells of one row that ``put`` has already styled alike.

    ``Worksheet.merge_cells`` re-derives the borders of every edge cell, which is slow; the cells here
    already carry their style, so each merged cell simply keeps it (the file records only the range).
    """
    ws.merged_cells.add(CellRange(min_col=first_col, min_row=row, max_col=last_col, max_row=row))
    for col in range(first_col + 1, last_col + 1):
        old = ws._cells.get((row, col))
        merged = MergedCell(ws, row, col)
        if old is not None:
            merged._style = copy(old._style)
        ws._cells[(row, col)] = merged


# --- styles ----------------------------------------------------------------------------------------


def _thin() -> Border:
    side = Side(style="thin", color="BFBFBF")
    return Border(left=side, right=side, top=side, bottom=side)


def _style(
    name: str,
    font: Font,
    *,
    fill: str | None = None,
    wrap: bool = False,
    border: bool = False,
    fmt: str | None = None,
    halign: str | None = None,
    locked: bool = True,
) -> NamedStyle:
    st = NamedStyle(name=name)
    st.font = font
    vertical = "top" if wrap or border else "center"
    st.alignment = Alignment(wrap_text=wrap, vertical=vertical, horizontal=halign)
    if fill:
        st.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if border:
        st.border = _thin()
    if fmt:
        st.number_format = fmt
    st.protection = Protection(locked=locked)
    return st


def add_styles(wb: Workbook, lang: Lang) -> None:
    """Register the house styles (named ``ccl …``) in the chosen language's font."""
    name = FONTS[lang]

    def f(size: float = BASE_SIZE, bold: bool = False, color: str = INK, italic: bool = False) -> Font:
        return Font(name=name, size=size, bold=bold, color=color, italic=italic)

    styles = [
        _style("ccl title", f(16, True, ACCENT)),
        _style("ccl subtitle", f(11, False, MUTED)),
        _style("ccl section", f(12, True, ACCENT)),
        _style("ccl note", f(9, False, MUTED, italic=False), wrap=True),
        _style("ccl header", f(BASE_SIZE, True), fill=HEADER_FILL, wrap=True, border=True),
        _style("ccl label", f(BASE_SIZE, True), fill="F7F9FC", wrap=True, border=True),
        _style("ccl text", f(), wrap=True, border=True),
        _style("ccl center", f(), border=True, halign="center"),
        _style("ccl code", f(), wrap=True, border=True, halign="left"),
        _style("ccl date", f(), border=True, fmt=date_format(lang), halign="center"),
        _style("ccl int", f(), border=True, fmt=digits_format(lang), halign="right"),
        _style("ccl num", f(), border=True, fmt=SCORE_FORMAT, halign="right"),
        _style("ccl big", f(14, True, ACCENT), border=True, fmt=SCORE_FORMAT, halign="left"),
        _style("ccl input", f(), fill=INPUT_FILL, wrap=True, border=True, locked=False),
        _style("ccl input date", f(), fill=INPUT_FILL, border=True, fmt=date_format(lang), locked=False),
        _style("ccl locked", f(BASE_SIZE, False, MUTED), fill=LOCKED_FILL, border=True, halign="center"),
        _style("ccl plain", f()),
        _style("ccl para", f(), wrap=True),
        _style("ccl value", f(), wrap=True, border=True, halign="left"),
    ]
    for st in styles:
        wb.add_named_style(st)


def with_error(dv: DataValidation, message: str, lang: Lang) -> DataValidation:
    """A data validation that explains, in the workbook's language, what the cell accepts."""
    dv.showErrorMessage = True
    dv.errorTitle = t("xlsx_template.error_title", lang)
    dv.error = message[:250]
    return dv


def fill(colour: str) -> PatternFill:
    colour = colour.lstrip("#").upper()
    return PatternFill("solid", start_color=colour, end_color=colour)


# --- sizes ---------------------------------------------------------------------------------------


_WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    r"\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


def text_width(text: str) -> float:
    """Width of a text in Excel column units: CJK (East Asian wide) characters count about double."""
    wide = len(_WIDE.findall(text))
    return 1.9 * wide + 0.92 * (len(text) - wide)


def lines_needed(text: str, width: float) -> int:
    """How many wrapped lines a text needs in a column ``width`` units wide."""
    usable = max(width - 0.8, 4.0)
    total = 0
    for part in str(text).split("\n"):
        total += max(1, -(-int(text_width(part) * 100) // int(usable * 100)))
    return total


def fit_row(
    ws: Worksheet,
    row: int,
    texts: Mapping[int, str],
    widths: Mapping[int, float],
    line_pt: float = 14.0,
    minimum: float = ROW_HEIGHT,
) -> None:
    """Set a row tall enough for its wrapped texts (Excel does not grow rows of generated files).

    One-line rows keep the sheet's default height (see ``sheet_defaults``): no row record needed.
    """
    need = max((lines_needed(s, widths.get(c, 10.0)) for c, s in texts.items() if s), default=1)
    height = max(minimum, need * line_pt + 4)
    if height > ROW_HEIGHT or row in ws.row_dimensions:
        ws.row_dimensions[row].height = height


def sheet_defaults(ws: Worksheet) -> None:
    """Rows 18 pt high unless set otherwise: room for one line of 10-pt CJK text."""
    ws.sheet_format.defaultRowHeight = ROW_HEIGHT
    ws.sheet_format.customHeight = True


def set_widths(ws: Worksheet, widths: Mapping[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


# --- printing and properties ------------------------------------------------------------------------


def hf_escape(text: str) -> str:
    """Text for a page header or footer: '&' starts a control code there and must be doubled."""
    return clean_text(text).replace("&", "&&")


def setup_print(
    ws: Worksheet, lang: Lang, *, company: str, title: str, title_rows: str | None, landscape: bool = True
) -> None:
    """A4, fit to one page wide, repeated header row, company and title on top, page numbers below."""
    sheet_defaults(ws)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    font = FONTS[lang]
    for part, text in ((ws.oddHeader.left, company), (ws.oddHeader.right, title)):
        part.text = hf_escape(text)
        part.font, part.size, part.color = font, 8, MUTED
    ws.oddFooter.center.text = t("xlsx_report.page", lang)
    ws.oddFooter.center.font, ws.oddFooter.center.size = font, 8


# printable A4 between the margins of ``setup_print``: width in column-width units (about 7 pt each,
# measured in LibreOffice with a substituted CJK font, so Excel prints a little smaller, never clipped), height in pt
A4_COLUMN_UNITS = {True: 110.0, False: 76.0}
A4_HEIGHT_PT = {True: 595.3 - 93.6, False: 841.9 - 93.6}
ORPHAN_SHARE = 0.3  # a last page less full than this is squeezed onto the previous ones


def fixed_scale(ws: Worksheet, width: float, landscape: bool) -> None:
    """Print at a fixed scale that fits ``width`` column units across the page (instead of fit-to-width).

    When the last page would hold only a few rows, the scale shrinks a little so that they join the page
    before (row heights are all known: ``fit_row`` sets every wrapped row); a last page that is nearly
    full gets some room to spare, so that it cannot spill a row onto a page of its own. A manual page
    break starts a new run of pages: the last page of every run is checked.
    """
    scale = min(100.0, 100 * A4_COLUMN_UNITS[landscape] / width)
    default = ws.sheet_format.defaultRowHeight or ROW_HEIGHT

    def height(r: int) -> float:
        return ws.row_dimensions[r].height or default

    repeated = 0.0
    if ws.print_title_rows:  # "3:3": the header row printed again at the top of every page
        first, last = (int(x) for x in ws.print_title_rows.replace("$", "").split(":"))
        repeated = sum(height(r) for r in range(first, last + 1))
    bounds = [0, *sorted(b.id for b in ws.row_breaks.brk if b.id < ws.max_row), ws.max_row]
    factor = 1.0
    for top, bottom in itertools.pairwise(bounds):
        total = sum(height(r) for r in range(top + 1, bottom + 1))
        pages = total / (A4_HEIGHT_PT[landscape] * 100 / scale - repeated)
        if pages > 1 and pages % 1 < ORPHAN_SHARE:
            factor = min(factor, int(pages) / (pages * 1.05))  # 5% to spare: page breaks fall between rows
        elif pages % 1 > 1 - ORPHAN_SHARE / 3:
            factor = min(factor, 0.95)
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = max(40, int(scale * factor))


def set_properties(
    wb: Workbook, lang: Lang, *, title: str, subject: str, generated_on: date | None, keywords: str
) -> None:
    """Title, subject, author, language and dates shown in File › Properties."""
    p = wb.properties
    p.title = clean_text(title)[:250]
    p.subject = clean_text(subject)[:250]
    p.creator = t("common.product", lang)
    p.lastModifiedBy = p.creator
    p.keywords = keywords
    p.category = "B24"
    p.language = "zh-CN" if lang == "zh" else "en"
    if generated_on is not None:
        p.created = datetime(generated_on.year, generated_on.month, generated_on.day)


# --- the hidden information sheet ------------------------------------------------------------------


def write_meta(
    wb: Workbook,
    pairs: dict[str, Any],
    table: list[list[Any]] | None = None,
    records: list[list[Any]] | None = None,
) -> Worksheet:
    """The hidden sheet that identifies a workbook of ours: key/value pairs, then records (rows that start
    with their kind, e.g. ``action`` and the action's machine data), then an optional table."""
    ws = wb.create_sheet(META_SHEET)
    row = 1
    for key, value in pairs.items():
        put(ws, row, 1, key)
        put(ws, row, 2, value)
        row += 1
    for record in records or ():
        for col, value in enumerate(record, 1):
            put(ws, row, col, value)
        row += 1
    if table:
        put(ws, row, 1, "map")
        for line in table:
            row += 1
            for col, value in enumerate(line, 1):
                put(ws, row, col, value)
    ws.sheet_state = "hidden"
    return ws


# --- number formats --------------------------------------------------------------------------------


def digits_format(lang: Lang, decimals: int = 0, before: str = "", after: str = "") -> str:
    """Digits as ``ccl.i18n.fmt_number`` writes them: grouped in English (1,645); in Chinese only from five
    digits on (1645 天, 12,000 万元), as the catalog's texts write amounts ("1000万元"). ``before`` and
    ``after``: text around the number (a unit)."""
    dec = "." + "0" * decimals if decimals else ""
    pre, post = (f'"{before}"' if before else ""), (f'"{after}"' if after else "")
    if lang == "zh":  # a condition picks the grouped form from 10,000 on; amounts and counts are never negative
        return f"[>=10000]{pre}#,##0{dec}{post};{pre}0{dec}{post}"
    return f"{pre}#,##0{dec}{post}"


def unit_format(lang: Lang, unit: str, decimals: int = 0) -> str:
    """An Excel number format showing a unit, built from the locale: '0" 名"', '"CNY "#,##0' (digits as
    ``digits_format`` groups them)."""
    if unit == "cny":
        return digits_format(lang, decimals, after=" 万元") if lang == "zh" else digits_format(lang, decimals, "CNY ")
    template = t(f"unit.{unit}", lang)
    if "{n}" not in template:
        return digits_format(lang, decimals)
    before, after = template.split("{n}", 1)
    return digits_format(lang, decimals, before, after)


def date_format(lang: Lang) -> str:
    """The number format of a date as the language writes it: 2026年12月1日, 1 Dec 2026 (month names
    in English whatever the reader's system language)."""
    return 'yyyy"年"m"月"d"日"' if lang == "zh" else "[$-409]d mmm yyyy"


def workbook_date_format(wb: Workbook) -> str:
    """The date format ``add_styles`` registered for this workbook's language (ISO before it ran)."""
    style = next((s for s in wb._named_styles if s.name == "ccl date"), None)
    return style.number_format if style is not None else DATE_FORMAT


def tint(colour: str, share: float = 0.5) -> str:
    """A colour mixed with white (``share`` of white): the pale version of a dimension colour."""
    colour = colour.lstrip("#")
    rgb = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02X}" for c in rgb)


def money_display(cny: float, lang: Lang) -> tuple[float, str]:
    """An amount as ``ccl.i18n.fmt_money`` writes it: (number, number format), 万元 in zh with the decimals
    it needs (600 万元, 12.5 万元, 0.25 万元), whole CNY in en (CNY 6,000,000)."""
    if lang == "zh":
        wan = cny / WAN
        decimals = next((d for d in (0, 1) if round(wan, d) == round(wan, 2)), 2)
        return wan, unit_format(lang, "cny", decimals)
    return cny, unit_format(lang, "cny", 0)


def workbook_bytes(wb: Workbook) -> bytes:
    """The finished workbook as .xlsx bytes (every builder returns bytes, never writes files)."""
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
