"""The readiness report as an Excel workbook, and its in-app preview.

``build_report(ev, engine, lang, generated_on)`` returns the bytes of an .xlsx with eight sheets
(Summary, Gaps & actions, Action plan, Materials, Timeline, Answers, Rules & sources, Routes and
duties) in the chosen language, with native charts, conditional formats, print setup, and hidden
columns and a hidden sheet that let ``ccl.excel.reader`` read the answers, the plan and the evidence
back exactly. ``build_report_preview`` returns the same tables as
DataFrames for the Report page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, RadarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText
from openpyxl.chart.text import Text as ChartText
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ccl.catalog.load import Catalog
from ccl.engine import Engine, Evaluation
from ccl.excel.common import (
    BASE_SIZE,
    FONTS,
    FORMAT_TAG,
    INK,
    SCORE_FORMAT,
    SEVERITY_FILLS,
    STATUS_FILLS,
    STATUS_INK,
    add_styles,
    fill,
    fit_row,
    fixed_scale,
    merge_row,
    put,
    set_properties,
    set_widths,
    setup_print,
    workbook_bytes,
    write_meta,
)
from ccl.excel.gantt import timeline_note, write_gantt
from ccl.excel.plan_data import action_record, chunks
from ccl.excel.tables import (
    Col,
    Table,
    Val,
    appendix_table,
    checks_table,
    dimension_table,
    documents_table,
    gaps_table,
    routes_table,
    rules_table,
    sources_table,
    summary_facts,
    verdict_block,
)
from ccl.excel.tables_answers import answers_table
from ccl.excel.tables_plan import PlanTable, plan_summary, plan_table
from ccl.excel.tables_timeline import timeline_table
from ccl.excel.write import heading, span_put, write_table, write_value
from ccl.filenames import safe_file_part
from ccl.i18n import Lang, severity_label, t
from ccl.profile import SCHEMA_VERSION

LABEL_WIDTH = 31
HEADER_ROW = 3  # every table sheet: title, note, then the header row (frozen, repeated on print)
SHEETS = ("summary", "gaps", "plan", "materials", "timeline", "answers", "rules", "routes")
OVERDUE_FILL, OVERDUE_INK = "FCE4E4", "9C0006"  # an overdue action's row, and its flag
REOPENED_FILL = "FFE699"
STATUS_CELL_FILLS = {"done": "E2EFDA", "in_progress": "DDEBF7", "waived": "EDEDED"}


@dataclass(frozen=True, slots=True)
class _Ctx:
    ev: Evaluation
    engine: Engine
    lang: Lang
    generated_on: date
    company: str

    @property
    def catalog(self) -> Catalog:
        return self.engine.catalog


def sheet_names(lang: Lang) -> dict[str, str]:
    """The report's sheet names in one language, by key (summary, gaps, …)."""
    return {key: t(f"xlsx_sheet.{key}", lang) for key in SHEETS}


def build_report(ev: Evaluation, engine: Engine, lang: Lang, generated_on: date) -> bytes:
    """The readiness report workbook (.xlsx bytes) for one evaluation."""
    company = ev.profile.company.name or t("xlsx_report.unnamed", lang)
    ctx = _Ctx(ev, engine, lang, generated_on, company)
    wb = Workbook()
    wb.remove(wb.active)
    add_styles(wb, lang)
    _summary_sheet(wb.create_sheet(t("xlsx_sheet.summary", lang)), ctx)
    _gaps_sheet(wb.create_sheet(t("xlsx_sheet.gaps", lang)), ctx)
    _plan_sheet(wb.create_sheet(t("xlsx_sheet.plan", lang)), ctx)
    _materials_sheet(wb.create_sheet(t("xlsx_sheet.materials", lang)), ctx)
    _timeline_sheet(wb.create_sheet(t("xlsx_sheet.timeline", lang)), ctx)
    _answers_sheet(wb.create_sheet(t("xlsx_sheet.answers", lang)), ctx)
    _rules_sheet(wb.create_sheet(t("xlsx_sheet.rules", lang)), ctx)
    _routes_sheet(wb.create_sheet(t("xlsx_sheet.routes", lang)), ctx)
    write_meta(
        wb,
        {
            "format": FORMAT_TAG,
            "kind": "report",
            "schema_version": SCHEMA_VERSION,
            "catalog_version": ev.assessment.catalog_version,
            "lang": lang,
            "generated_on": generated_on.isoformat(),
            "answers_sheet": t("xlsx_sheet.answers", lang),
            "plan_sheet": t("xlsx_sheet.plan", lang),
        },
        records=[["action", *chunks(action_record(a, n))] for n, a in enumerate(ev.profile.plan)],
    )
    title = t("xlsx_report.title", lang)
    set_properties(
        wb,
        lang,
        title=f"{title} · {company}",
        subject=t("xlsx_report.subtitle", lang),
        generated_on=generated_on,
        keywords="B24; CCL Readiness",
    )
    wb.active = 0
    return workbook_bytes(wb)


def report_filename(ev: Evaluation, lang: Lang, generated_on: date) -> str:
    """``<company>_就绪度报告_<ISO date>.xlsx``: safe on Windows, macOS and Linux, Chinese kept."""
    company = safe_file_part(ev.profile.company.name or t("xlsx_report.unnamed", lang))
    return f"{company}_{t('xlsx_report.file_stem', lang)}_{generated_on.isoformat()}.xlsx"


def build_report_preview(ev: Evaluation, engine: Engine, lang: Lang) -> dict[str, pd.DataFrame]:
    """What the workbook holds, sheet name → table, for the Report page."""
    cat, a = engine.catalog, ev.assessment
    names = sheet_names(lang)
    v = verdict_block(ev, engine, lang)
    why = t("status_reason.why_not_ready", lang)
    label = t("xlsx_report.blockers", lang) if a.blockers else why.rstrip("：:")
    lines = [line for line in v.lines if line != why]
    facts = [
        (t("xlsx_report.verdict", lang), v.headline),
        (t("xlsx_report.eligibility", lang), v.eligibility),
        (label, "\n".join(lines) or t("xlsx_report.no_blockers", lang)),
    ]
    facts += [(label, value) for label, value in summary_facts(ev, engine, lang) if label]
    dims = dimension_table(a, cat, lang)
    facts += [(f"{row[1]} · {dims.columns[2].header}", row[2]) for row in dims.rows]
    summary = Table([_col("xlsx_report.item", lang), _col("xlsx_report.content", lang)], [list(f) for f in facts])
    plan = plan_table(ev, cat, lang)
    plan.columns, plan.rows = plan.columns[1:15], [row[1:15] for row in plan.rows]  # no machine data
    return {
        names["summary"]: summary.frame(lang),
        names["gaps"]: gaps_table(ev, engine, lang).frame(lang),
        names["plan"]: plan.frame(lang),
        names["materials"]: documents_table(ev, engine, lang).frame(lang),
        names["timeline"]: timeline_table(ev.story_timeline or ev.expected, cat, lang, ev.plan).frame(lang),
        names["answers"]: _answers_preview(ev, cat, lang),
        names["rules"]: rules_table(a, cat, lang).frame(lang),
        names["routes"]: routes_table(ev, cat, lang).frame(lang),
    }


def _answers_preview(ev: Evaluation, catalog: Catalog, lang: Lang) -> pd.DataFrame:
    table = answers_table(ev.profile, catalog, lang)
    keep = len(table.columns) - 1 - sum(1 for c in table.columns if not c.header)  # up to the evidence text
    table.columns, table.rows = table.columns[:keep], [row[:keep] for row in table.rows]
    return table.frame(lang)


def _col(key: str, lang: Lang) -> Col:
    return Col(t(key, lang), 20)


def _table_sheet(
    ws: Worksheet, ctx: _Ctx, table: Table, title: str, note: str, hidden: tuple[str, ...] = (), landscape: bool = True
) -> int:
    """A sheet holding one main table: widths, heading, header row, freeze and print setup.

    ``hidden`` names (by header text) the columns kept for the importer: field codes, raw values, rule ids.
    Hidden columns do not print, and staying in place they are still found by ``ccl.excel.reader``.
    """
    set_widths(ws, {j: c.width for j, c in enumerate(table.columns, 1)})
    skip = frozenset(j for j, c in enumerate(table.columns, 1) if c.header in hidden)
    for j in skip:
        ws.column_dimensions[get_column_letter(j)].hidden = True
    heading(ws, f"{title} · {ctx.company}", note, len(table.columns), skip)
    last = write_table(ws, table, HEADER_ROW)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    rows = f"{HEADER_ROW}:{HEADER_ROW}"
    setup_print(ws, ctx.lang, company=ctx.company, title=title, title_rows=rows, landscape=landscape)
    return last


def _print_scale(ws: Worksheet, table: Table, hidden: tuple[str, ...], landscape: bool = True) -> None:
    """A fixed print scale: fit-to-width would count hidden columns and print everything too small, and
    cannot keep the last page from holding a few orphan rows. Called once the sheet is complete.
    """
    shown = sum(c.width for c in table.columns if c.header not in hidden)
    fixed_scale(ws, shown, landscape)


# --- sheets ---------------------------------------------------------------------------------------


def _summary_sheet(ws: Worksheet, ctx: _Ctx) -> None:
    lang, cat = ctx.lang, ctx.catalog
    dims = dimension_table(ctx.ev.assessment, cat, lang)
    dims.columns = dims.columns[1:]  # the dimension colour goes on the name cell's edge instead
    dims.rows = [row[1:] for row in dims.rows]
    set_widths(ws, {j: c.width for j, c in enumerate(dims.columns, 1)} | {1: LABEL_WIDTH})
    put(ws, 1, 1, t("xlsx_report.title", lang), "ccl title")
    ws.row_dimensions[1].height = 28
    put(ws, 2, 1, t("xlsx_report.subtitle", lang), "ccl subtitle")
    row = _verdict(ws, ctx, 4, ncols=len(dims.columns))
    put(ws, row + 2, 1, t("xlsx_report.facts", lang), "ccl section")
    row = _facts(ws, ctx, row + 3, ncols=len(dims.columns))
    put(ws, row + 2, 1, t("xlsx_report.dimensions", lang), "ccl section")
    first = row + 3
    last = write_table(ws, dims, first)
    for i, colour in enumerate(dims.colours, first + 1):
        side = Side(style="thick", color=(colour or "").lstrip("#"))
        ws.cell(row=i, column=1).border = Border(
            left=side, top=Side(style="thin", color="BFBFBF"), bottom=Side(style="thin", color="BFBFBF")
        )
    _charts(ws, ctx, first, last)
    put(ws, last + 2, 1, t("xlsx_report.disclaimer", lang), "ccl note")
    merge_row(ws, last + 2, 1, len(dims.columns))
    fit_row(ws, last + 2, {1: t("xlsx_report.disclaimer", lang)}, {1: 70.0}, line_pt=12.5)
    setup_print(ws, lang, company=ctx.company, title=t("xlsx_report.title", lang), title_rows=None)
    ws.page_setup.fitToHeight = 1  # the summary is one page: a long verdict never pushes the tail onto a second


def _verdict(ws: Worksheet, ctx: _Ctx, top: int, ncols: int) -> int:
    """The verdict first and largest, coloured by status, then each blocker with its shortfall; last row."""
    v = verdict_block(ctx.ev, ctx.engine, ctx.lang)
    face, ink, paint = FONTS[ctx.lang], STATUS_INK[v.status], fill(STATUS_FILLS[v.status])
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ncols + 1))
    lines = [(f"{v.headline} — {v.eligibility}", 18, 34.0)]
    lines += [(line, 12, 18.0) for line in v.lines or [t("xlsx_report.no_blockers_line", ctx.lang)]]
    for row, (text, size, line_pt) in enumerate(lines, top):
        cell = put(ws, row, 1, text)
        cell.font = Font(name=face, size=size, bold=True, color=ink)
        cell.fill = paint
        cell.alignment = Alignment(vertical="center", wrap_text=True, indent=1)
        for col in range(2, ncols + 1):
            put(ws, row, col, None).fill = paint
        merge_row(ws, row, 1, ncols)
        # wider characters at a larger size: fewer of them fit on a line
        fit_row(ws, row, {1: text}, {1: width * BASE_SIZE / size}, line_pt=line_pt, minimum=line_pt + 6)
    return top + len(lines) - 1


def _facts(ws: Worksheet, ctx: _Ctx, top: int, ncols: int) -> int:
    """The key facts as label | value rows (value merged across the table width); returns last row."""
    row = top - 1
    value_width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(2, ncols + 1))
    for label, value in summary_facts(ctx.ev, ctx.engine, ctx.lang, ctx.generated_on):
        row += 1
        if not label:
            span_put(ws, row, 1, ncols, value, "ccl note")
            continue
        put(ws, row, 1, label, "ccl label")
        style = "ccl big" if isinstance(value, Val) and value.fmt == SCORE_FORMAT else "ccl value"
        write_value(ws, row, 2, ncols - 1, value, style)
        fit_row(ws, row, {1: label, 2: value if isinstance(value, str) else ""}, {1: LABEL_WIDTH, 2: value_width})
    return row


def _charts(ws: Worksheet, ctx: _Ctx, header: int, last: int) -> None:
    """Bar chart (dimension colours) with the ready line, and a radar chart, beside the tables."""
    lang, cat = ctx.lang, ctx.catalog
    cats = Reference(ws, min_col=1, min_row=header + 1, max_row=last)
    target_label = t("xlsx_report.series_target", lang, n=f"{cat.status.ready_min:g}")
    bar = BarChart()
    bar.type, bar.legend.position = "col", "b"
    bar.title = chart_title(t("xlsx_report.chart_bar", lang), lang)
    bar.add_data(Reference(ws, min_col=2, min_row=header, max_row=last), titles_from_data=True)
    bar.set_categories(cats)
    for i, d in enumerate(cat.dimensions):
        point = DataPoint(idx=i)
        point.graphicalProperties.solidFill = d.colour.lstrip("#")
        bar.series[0].dPt.append(point)
    bar.series[0].graphicalProperties.solidFill = "0072B2"
    # labels in the middle of each bar: at most 50 on a 0–100 axis, so never on the dashed ready line
    bar.series[0].dLbls = DataLabelList(
        showVal=True, showSerName=False, showCatName=False, showLegendKey=False, numFmt=SCORE_FORMAT, dLblPos="ctr"
    )
    line = LineChart()
    line.add_data(Reference(ws, min_col=3, min_row=header, max_row=last), titles_from_data=True)
    line.series[0].tx = SeriesLabel(v=target_label)
    line.series[0].graphicalProperties.line.solidFill = "595959"
    line.series[0].graphicalProperties.line.dashStyle = "dash"
    line.series[0].smooth = False
    bar += line
    _axes(bar)
    bar.width, bar.height = 17, 7.6
    ws.add_chart(bar, "H4")
    ws.add_chart(_radar(ws, cats, header, last, lang, target_label), "H20")


def _radar(ws: Worksheet, cats: Reference, header: int, last: int, lang: Lang, target_label: str) -> RadarChart:
    radar = RadarChart()
    radar.type, radar.legend.position = "marker", "b"
    radar.title = chart_title(t("xlsx_report.chart_radar", lang), lang)
    radar.add_data(Reference(ws, min_col=2, max_col=3, min_row=header, max_row=last), titles_from_data=True)
    radar.set_categories(cats)
    radar.series[1].tx = SeriesLabel(v=target_label)
    radar.series[0].graphicalProperties.line.solidFill = "0072B2"
    radar.series[1].graphicalProperties.line.solidFill = "595959"
    radar.series[1].graphicalProperties.line.dashStyle = "dash"
    radar.y_axis.scaling.min, radar.y_axis.scaling.max, radar.y_axis.majorUnit = 0, 100, 20
    radar.y_axis.delete = True  # tick labels would sit on top of the plot; the scale is 0–100
    radar.x_axis.delete = False
    radar.width, radar.height = 17, 8.5
    return radar


def chart_title(text: str, lang: Lang) -> Title:
    """A chart title at 11 pt in the report font (the default is large enough to wrap)."""
    face = DrawingFont(typeface=FONTS[lang])
    props = CharacterProperties(sz=1100, b=True, solidFill="1F4E79", latin=face, ea=face)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=ChartText(rich=RichText(p=[para])), overlay=False)


def _axes(chart: BarChart) -> None:
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, 100, 20
    chart.y_axis.number_format = "0"
    chart.x_axis.delete = False  # openpyxl 3.1 otherwise leaves the axes hidden in new Excel
    chart.y_axis.delete = False


def _gaps_sheet(ws: Worksheet, ctx: _Ctx) -> None:
    lang = ctx.lang
    table = gaps_table(ctx.ev, ctx.engine, lang)
    if not table.rows:  # one line saying so, without the yellow "fill in" cells
        table.rows.append([None, "", "", t("xlsx_gaps.none", lang)] + [None] * (len(table.columns) - 4))
        table.columns = [replace(c, style="ccl text") for c in table.columns]
    last = _table_sheet(ws, ctx, table, t("xlsx_gaps.title", lang), t("xlsx_gaps.note", lang))
    last_col = get_column_letter(len(table.columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    severity = f"C{HEADER_ROW + 1}:C{max(last, HEADER_ROW + 1)}"
    for key, colour in SEVERITY_FILLS.items():
        confidences = ("official", "practice", "uncertain") if key == "warning" else (None,)
        for conf in confidences:  # warnings read "official reminder" or "local practice"
            label = severity_label(key, lang, conf).replace('"', '""')
            rule = CellIsRule(operator="equal", formula=[f'"{label}"'], fill=fill(colour))
            ws.conditional_formatting.add(severity, rule)
    _print_scale(ws, table, ())


PLAN_HEADER_ROW = 4  # title, the plan's progress and licence date, a note, then the header row


def _plan_sheet(ws: Worksheet, ctx: _Ctx) -> None:
    """Every action with owner, due date, status and flags; overdue rows in red, dates in local style."""
    lang = ctx.lang
    table = plan_table(ctx.ev, ctx.catalog, lang)
    hidden = (t("plan.col.id", lang), t("xlsx_plan.machine", lang), "")
    set_widths(ws, {j: c.width for j, c in enumerate(table.columns, 1)})
    shown = [j for j, c in enumerate(table.columns, 1) if c.header not in hidden]
    for j in set(range(1, len(table.columns) + 1)) - set(shown):
        ws.column_dimensions[get_column_letter(j)].hidden = True
    first, last_col = shown[0], shown[-1]
    width = sum(table.columns[j - 1].width for j in shown)
    title = t("xlsx_plan.title", lang)
    put(ws, 1, first, f"{title} · {ctx.company}", "ccl title")
    ws.row_dimensions[1].height = 26
    summary = plan_summary(ctx.ev, lang)
    cell = put(ws, 2, first, summary, "ccl para")
    cell.font = Font(name=FONTS[lang], size=BASE_SIZE + 1, bold=True, color=INK)
    merge_row(ws, 2, first, last_col)
    fit_row(ws, 2, {first: summary}, {first: width / 1.1}, line_pt=16)
    span_put(ws, 3, first, last_col - first + 1, t("xlsx_plan.note", lang), "ccl note")
    fit_row(ws, 3, {first: t("xlsx_plan.note", lang)}, {first: width}, line_pt=12.5)
    if not table.rows:
        table.rows.append([None, None, t("plan.none", lang)] + [None] * (len(table.columns) - 3))
    last = write_table(ws, table, PLAN_HEADER_ROW)
    _plan_colours(ws, table, shown)
    ws.freeze_panes = ws.cell(row=PLAN_HEADER_ROW + 1, column=4)
    ws.auto_filter.ref = f"{get_column_letter(first)}{PLAN_HEADER_ROW}:{get_column_letter(last_col)}{last}"
    rows = f"{PLAN_HEADER_ROW}:{PLAN_HEADER_ROW}"
    setup_print(ws, lang, company=ctx.company, title=title, title_rows=rows)
    _print_scale(ws, table, hidden)


def _plan_colours(ws: Worksheet, table: PlanTable, shown: list[int]) -> None:
    """Overdue rows filled red with a bold flag, reopened flags amber, status and severity cells tinted."""
    severity_col, status_col, flag_col = 5, 8, 9  # the plan table's columns (see ``plan_table``)
    for row, item in enumerate(table.items, PLAN_HEADER_ROW + 1):
        if item.overdue:
            for j in shown:
                ws.cell(row=row, column=j).fill = fill(OVERDUE_FILL)
            flag = ws.cell(row=row, column=flag_col)
            flag.font = Font(name=flag.font.name, size=flag.font.sz, bold=True, color=OVERDUE_INK)
        elif item.reopened:
            ws.cell(row=row, column=flag_col).fill = fill(REOPENED_FILL)
        if item.status in STATUS_CELL_FILLS:
            ws.cell(row=row, column=status_col).fill = fill(STATUS_CELL_FILLS[item.status])
        if item.severity in SEVERITY_FILLS and item.active:
            ws.cell(row=row, column=severity_col).fill = fill(SEVERITY_FILLS[item.severity])


def _materials_sheet(ws: Worksheet, ctx: _Ctx) -> None:
    lang = ctx.lang
    docs = documents_table(ctx.ev, ctx.engine, lang)
    set_widths(ws, {j: c.width for j, c in enumerate(docs.columns, 1)})
    heading(ws, f"{t('xlsx_materials.title', lang)} · {ctx.company}", t("xlsx_materials.note", lang), len(docs.columns))
    row = write_table(ws, docs, HEADER_ROW)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.row_breaks.append(Break(id=row))  # the two check lists print together on their own page
    for which in ("consistency", "inspection"):
        table = checks_table(ctx.ev, ctx.engine, lang, which)
        if not table.rows:
            continue
        put(ws, row + 2, 1, t(f"xlsx_materials.{which}", lang), "ccl section")
        ws.row_dimensions[row + 2].height = 22
        first, row = row + 4, write_table(ws, table, row + 3)
        _outcome_colours(ws, f"D{first}:D{row}", lang)
    # one header row would mislabel the two smaller tables on later pages, so none is repeated
    setup_print(ws, lang, company=ctx.company, title=t("xlsx_materials.title", lang), title_rows=None)


def _outcome_colours(ws: Worksheet, cells: str, lang: Lang) -> None:
    for outcome, colour in (("fail", SEVERITY_FILLS["blocker"]), ("unanswered", "E7E6E6"), ("pass", "E2EFDA")):
        label = t(f"outcome.{outcome}", lang).replace('"', '""')
        ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[f'"{label}"'], fill=fill(colour)))


def _timeline_sheet(ws: Worksheet, ctx: _Ctx) -> None:
    """The expected case as the action plan schedules it (its actions and due dates) when there is a plan."""
    lang, ev = ctx.lang, ctx.ev
    tl = ev.story_timeline or ev.expected  # the headline's projection
    table = timeline_table(tl, ctx.catalog, lang, ev.plan)
    by_plan = ev.head.licence_date_basis == "plan"
    title = t("xlsx_timeline_plan.title" if by_plan else "xlsx_timeline.title", lang)
    _table_sheet(ws, ctx, table, title, timeline_note(tl, lang, by_plan))
    write_gantt(ws, tl, lang, table, HEADER_ROW)


def _answers_sheet(ws: Worksheet, ctx: _Ctx) -> None:
    table = answers_table(ctx.ev.profile, ctx.catalog, ctx.lang)
    keys = ("field", "value", "unit", "evidence_machine")
    machine = (*(t(f"xlsx_answers.{key}", ctx.lang) for key in keys), "")  # "": a long record's continuation
    title, note = t("xlsx_answers.title", ctx.lang), t("xlsx_answers.note", ctx.lang)
    last = _table_sheet(ws, ctx, table, title, note, hidden=machine)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(table.columns) - len(machine) + 2)}{last}"
    _print_scale(ws, table, machine)


def _routes_sheet(ws: Worksheet, ctx: _Ctx) -> None:
    lang = ctx.lang
    table = routes_table(ctx.ev, ctx.catalog, lang)
    none = t("xlsx_routes.none", lang) if not table.rows else None
    if none:
        table.rows.append(["", none, "", None, ""])
    last = _table_sheet(ws, ctx, table, t("xlsx_routes.title", lang), t("xlsx_routes.note", lang))
    if none:  # the one sentence across the table: in the narrow "item" column it wrapped a lone "。" on a line
        merge_row(ws, last, 2, len(table.columns))
        fit_row(ws, last, {2: none}, {2: sum(c.width for c in table.columns[1:])})


def _rules_sheet(ws: Worksheet, ctx: _Ctx) -> None:
    lang = ctx.lang
    table = rules_table(ctx.ev.assessment, ctx.catalog, lang)
    # the rule ids, and the source ids below them, stay in hidden column A
    hidden = (t("xlsx_rules.id", lang),)
    last = _table_sheet(ws, ctx, table, t("xlsx_rules.title", lang), t("xlsx_rules.note", lang), hidden)
    put(ws, last + 2, 2, t("xlsx_rules.sources", lang), "ccl section")
    ws.row_dimensions[last + 2].height = 22
    end = write_table(ws, sources_table(ctx.catalog, lang), last + 3, spans=[1, 6, 4])
    # the appendix: agency pages kept as evidence of local practice, headed as such, never in a source column
    row = end + 3
    # the appendix on a page of its own: run on below the sources, its last rows were left alone on a page
    ws.row_breaks.append(Break(id=row - 1))
    put(ws, row, 2, t("xlsx_appendix.title", lang), "ccl section")
    ws.row_dimensions[row].height = 22
    # the note across the table's shown columns, its height fitted: in column B alone it wrapped a few
    # characters a line, and a row of unknown height is what left the appendix's last rows on a page alone
    note, last_col = t("xlsx_appendix.note", lang), len(table.columns)
    put(ws, row + 1, 2, note, "ccl note")
    merge_row(ws, row + 1, 2, last_col)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(2, last_col + 1))
    fit_row(ws, row + 1, {2: note}, {2: width}, line_pt=12.5)
    # from column B: column A is hidden (rule and source ids), and the reference itself must print
    write_table(ws, appendix_table(ctx.catalog, lang), row + 2, left=2, spans=[3, 5, 2])
    _print_scale(ws, table, hidden)
