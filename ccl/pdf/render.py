"""The brief on A4 pages with ReportLab: text in an embedded CJK font, the dimension chart drawn as vectors.

``build_pdf(ev, engine, lang, made_on)`` returns the PDF's bytes. Page 1 holds the verdict and why, the
headline facts (a holder's duties instead of an application) and the dimension chart; the actions, the
routes and the sources follow from page 2. The footer names the company, the date made and the catalog
version, with "page n of N". ReportLab is imported here only, when a PDF is made.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
    paragraph,
)
from reportlab.platypus.flowables import Flowable

from ccl.engine import Engine, Evaluation
from ccl.excel.common import STATUS_FILLS, STATUS_INK
from ccl.i18n import Lang, fmt_score
from ccl.pdf.brief import Brief, Row, brief
from ccl.pdf.fonts import register_font

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#595959")
RULE = colors.HexColor("#BFBFBF")
HEAD_FILL = colors.HexColor("#F2F2F2")
FLAG_FILLS = {"overdue": "#FCE4E4", "due_soon": "#FFF2CC", "upcoming": "#DDEBF7"}
ASCII_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
VERDICT_COLOUR = {"licensed": "ready", "lapsed": "blocked", "expired": "blocked"}  # a holder's verdicts
# ReportLab's line breaker for CJK text keeps 。and ）off the start of a line but not the full-width
# comma, semicolon, colon, enumeration comma, ! and ?: add them, or a line may begin with "，".
for _module in (paragraph, textsplit):  # one-run paragraphs break in textsplit, mixed ones in paragraph
    _module.ALL_CANNOT_START += "".join(c for c in "，；：、！？" if c not in _module.ALL_CANNOT_START)


def build_pdf(ev: Evaluation, engine: Engine, lang: Lang, made_on: date) -> bytes:
    """The brief as PDF bytes. Raises ``ccl.pdf.fonts.FontMissing`` when no CJK font can be embedded."""
    font = register_font()
    b = brief(ev, engine, lang, made_on)
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{b.title} · {b.company}",
        author=b.company,
        subject=b.title,
        creator="CCL Readiness",
        lang="zh-CN" if lang == "zh" else "en",
    )
    st = _Styles(font, lang)
    footer = f"{b.company} · {b.tr('made_on', date=b.made_on)} · {b.tr('catalog', version=b.catalog_version)}"
    doc.build(_story(b, st), canvasmaker=_numbered(font, footer, b))
    return out.getvalue()


class _Styles:
    def __init__(self, font: str, lang: Lang):
        wrap = "CJK" if lang == "zh" else None
        base = {"fontName": font, "bulletFontName": font, "textColor": INK, "alignment": TA_LEFT, "wordWrap": wrap}
        self.font = font
        self.title = ParagraphStyle("title", fontSize=17, leading=22, spaceAfter=2, **base)
        self.company = ParagraphStyle("company", fontSize=13, leading=17, **base)
        self.muted = ParagraphStyle("muted", fontSize=8.5, leading=12, **{**base, "textColor": MUTED})
        self.h2 = ParagraphStyle("h2", fontSize=12.5, leading=17, spaceBefore=10, spaceAfter=4, **base)
        self.body = ParagraphStyle("body", fontSize=9.5, leading=14, **base)
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=12, **base)
        self.bullet = ParagraphStyle("bullet", fontSize=9.5, leading=14, leftIndent=10, bulletIndent=0, **base)
        if lang == "en":  # the CJK font's curly quotes are full-width glyphs: gaps inside English words
            for style in (self.title, self.company, self.muted, self.h2, self.body, self.cell, self.bullet):
                style.ascii_quotes = True

    def verdict(self, status: str) -> ParagraphStyle:
        ink = colors.HexColor("#" + STATUS_INK[status])
        return ParagraphStyle("verdict", fontName=self.font, fontSize=20, leading=26, textColor=ink)


def _p(text: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    if getattr(style, "ascii_quotes", False):
        text = text.translate(ASCII_QUOTES)
    return Paragraph(_escape(text).replace("\n", "<br/>"), style, bulletText=bullet)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _story(b: Brief, st: _Styles) -> list[Flowable]:
    story: list[Flowable] = [_p(b.title, st.muted), _p(b.company, st.title)]
    if b.subtitle:
        story.append(_p(b.subtitle, st.muted))
    story += [Spacer(1, 6), _verdict(b, st), Spacer(1, 4)]
    story.append(_table([[_p(k, st.cell), _p(v, st.cell)] for k, v in b.facts], [38 * mm, WIDTH - 38 * mm]))
    if b.duties:
        story += [_p(b.tr("duties"), st.h2), _rows(b.duties_head, b.duties, st, [24, 26, 20, None])]
    story += [KeepTogether([_p(b.tr("dimensions"), st.h2), DimensionChart(b, st.font)])]
    story.append(PageBreak())
    if b.actions:
        story += [_p(b.tr("actions"), st.h2), _rows(b.actions_head, b.actions, st, [11, None, 28, 26, 22])]
        if b.actions_note:
            story.append(_p(b.actions_note, st.muted))
    elif b.mode != "holder":
        story += [_p(b.tr("actions"), st.h2), _p(b.tr("no_actions"), st.body)]
    if b.standing:
        story.append(_p(b.standing_head, st.h2))
        story += [_p(s, st.bullet, "•") for s in b.standing]
    if b.routes:
        story.append(_p(b.tr("routes"), st.h2))
        for title, summary, lines in b.routes:
            items = [_p(title, st.body), _p(summary, st.cell)] + [_p(line, st.cell) for line in lines]
            story += [KeepTogether([*items, Spacer(1, 5)])]
    story += [_p(b.tr("sources"), st.h2)]
    story += [_p(s, st.bullet, "•") for s in b.sources]
    story += [Spacer(1, 8), _p(b.disclaimer, st.muted)]
    return story


def _verdict(b: Brief, st: _Styles) -> Table:
    """The verdict in large type on its status colour, the legal conditions, then why."""
    status = VERDICT_COLOUR.get(b.status, b.status)
    cells: list[Any] = [_p(b.verdict, st.verdict(status))]
    if b.mode != "holder":
        cells.append(_p(b.eligibility, st.body))
    cells += [_line(line, st) for line in b.why]
    table = Table([[c] for c in cells], colWidths=[WIDTH])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#" + STATUS_FILLS[status])),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return table


def _line(line: str, st: _Styles) -> Paragraph:
    """A line of the verdict's explanation: an item of a list ("• …") or a sentence."""
    if line.startswith("• "):
        return _p(line[2:], st.bullet, "•")
    return _p(line, st.body)


def _table(data: list[list[Any]], widths: list[float], header: bool = False) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    table.setStyle(TableStyle(style))
    return table


def _rows(head: tuple[str, ...], rows: list[Row], st: _Styles, widths_mm: list[float | None]) -> Table:
    """A table with a header row; ``None`` widths share what the others leave."""
    fixed = sum(w for w in widths_mm if w) * mm
    free = (WIDTH - fixed) / max(1, sum(1 for w in widths_mm if w is None))
    widths = [w * mm if w else free for w in widths_mm]
    data = [[_p(h, st.cell) for h in head]] + [[_p(c, st.cell) for c in r.cells] for r in rows]
    table = _table(data, widths, header=True)
    for i, r in enumerate(rows, 1):
        if r.flag in FLAG_FILLS:
            table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), colors.HexColor(FLAG_FILLS[r.flag]))]))
    return table


class DimensionChart(Flowable):
    """Horizontal bars of the dimension scores (0–100) in their colours, the ready line dashed across."""

    BAR, GAP, LABEL = 13, 7, 44 * mm

    def __init__(self, b: Brief, font: str):
        super().__init__()
        self.b, self.font = b, font
        self.width = WIDTH
        self.height = len(b.dimensions) * (self.BAR + self.GAP) + 24

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def drawing(self) -> Drawing:
        b, font = self.b, self.font
        d = Drawing(self.width, self.height)
        x0, span = self.LABEL, self.width - self.LABEL - 30
        top = self.height - 16
        for i, (name, score, colour) in enumerate(b.dimensions):
            y = top - (i + 1) * (self.BAR + self.GAP) + self.GAP
            d.add(String(x0 - 6, y + 3.5, _fit(name, font, 9, x0 - 8), fontName=font, fontSize=9, textAnchor="end"))
            d.add(Rect(x0, y, span, self.BAR, fillColor=colors.HexColor("#F2F2F2"), strokeColor=None))
            d.add(
                Rect(
                    x0,
                    y,
                    span * max(0.0, min(score, 100.0)) / 100,
                    self.BAR,
                    fillColor=colors.HexColor(colour),
                    strokeColor=None,
                )
            )
            d.add(String(x0 + span + 4, y + 3.5, fmt_score(score, b.lang), fontName=font, fontSize=9))
        x = x0 + span * b.ready_line / 100
        bottom = top - len(b.dimensions) * (self.BAR + self.GAP) + self.GAP - 2
        d.add(
            Line(x, bottom, x, top + 2, strokeColor=colors.HexColor("#C00000"), strokeWidth=1, strokeDashArray=[3, 2])
        )
        label = b.tr("ready_line", n=f"{b.ready_line:g}")
        d.add(
            String(
                x, top + 5, label, fontName=font, fontSize=8, fillColor=colors.HexColor("#C00000"), textAnchor="middle"
            )
        )
        for tick in (0, 50, 100):
            d.add(
                String(
                    x0 + span * tick / 100,
                    bottom - 10,
                    str(tick),
                    fontName=font,
                    fontSize=7,
                    fillColor=MUTED,
                    textAnchor="middle",
                )
            )
        return d

    def draw(self) -> None:
        self.drawing().drawOn(self.canv, 0, 0)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The label cut with … when it would run into the bars (the names are short; this is a guard)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _numbered(font: str, footer: str, b: Brief) -> type[Canvas]:
    """A canvas that writes the footer with "page n of N" once the number of pages is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            kwargs.setdefault("initialFontName", font)  # else every page names Helvetica, never embedded
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.setFont(font, 7.5)
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.line(MARGIN, 13 * mm, A4[0] - MARGIN, 13 * mm)
            page = b.tr("page", n=self._pageNumber, total=total)
            self.drawRightString(A4[0] - MARGIN, 9 * mm, page)
            self.drawString(MARGIN, 9 * mm, _fit(footer, font, 7.5, WIDTH - stringWidth(page, font, 7.5) - 12))

    return NumberedCanvas
