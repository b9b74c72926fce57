"""The questionnaire's Action plan and Evidence sheets, which a client updates offline.

Action plan: one row per action (in plan order), its name and context locked, and yellow cells for
status (a drop-down of the translated statuses), owner, due date, reason for waiver, date done and
notes, each with a data validation that says what it accepts. Evidence: one or more rows per
question, the note on the first, one document (name, where it is kept, date) per row, with room for
one more than the question has. Hidden columns carry the action ids and question paths, and each
action's machine data; ``records`` gives the copy the hidden ``_ccl`` sheet keeps (see
``ccl.excel.plan_read`` for how the import uses them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ccl.catalog.load import Catalog
from ccl.excel.common import fit_row, merge_row, put, set_widths, setup_print, with_error, workbook_date_format
from ccl.excel.plan_data import action_record, chunks, evidence_record
from ccl.excel.tables_plan import plan_flags
from ccl.i18n import Lang, plan_status_label, severity_label, t
from ccl.plan import STATUSES, in_plan_order, plan_items
from ccl.profile import ALL_FIELDS, DATE_MAX, DATE_MIN, MAX_EVIDENCE_REFS, Profile
from ccl.scoring import assess

HEADER_ROW = 3
ROW_LIMITS = {"owner": 200, "reason": 500, "notes": 2000, "note": 2000, "doc": 200, "location": 500}
INPUT, INPUT_DATE, LOCKED = "ccl input", "ccl input date", "ccl locked"


def _day_rule(lang: Lang) -> DataValidation:
    low, high = (int(to_excel(d)) for d in (DATE_MIN, DATE_MAX))
    dv = DataValidation(type="date", operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
    return with_error(dv, t("xlsx_template.error_date", lang), lang)


def _length_rule(n: int, lang: Lang) -> DataValidation:
    dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(n), allow_blank=True)
    return with_error(dv, t("xlsx_template.error_text", lang, n=n), lang)


def _header(ws: Worksheet, columns: Sequence[tuple[str, float]], title: str, hint: str) -> None:
    """Widths, the hidden first column, the title, the hint across the table and the header row."""
    set_widths(ws, {j: width for j, (_, width) in enumerate(columns, 1)})
    ws.column_dimensions["A"].hidden = True
    put(ws, 1, 2, title, "ccl title")
    ws.row_dimensions[1].height = 26
    put(ws, 2, 2, hint, "ccl note")
    merge_row(ws, 2, 2, len(columns))
    shown = sum(width for _, width in columns[1:])
    fit_row(ws, 2, {2: hint}, {2: shown}, line_pt=12.5)
    for j, (header, _) in enumerate(columns, 1):
        put(ws, HEADER_ROW, j, header, "ccl header")
    fit_row(ws, HEADER_ROW, {j: h for j, (h, _) in enumerate(columns, 1)}, dict(enumerate((w for _, w in columns), 1)))


def _protect(ws: Worksheet, lang: Lang, title: str) -> None:
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False  # resizing stays allowed
    company = t("xlsx_template.title", lang)
    setup_print(ws, lang, company=company, title=title, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _validate(ws: Worksheet, dv: DataValidation, column: int, first: int, last: int) -> None:
    if last < first:
        return
    letter = get_column_letter(column)
    dv.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(dv)


# --- the action plan ----------------------------------------------------------------------------------


def plan_sheet(
    ws: Worksheet, catalog: Catalog, lang: Lang, profile: Profile, list_ref: Callable[[list[str]], str]
) -> None:
    """The plan for the client to update: every action, with its editable cells in yellow."""
    k = "plan.col."
    columns = [
        (t(k + "id", lang), 14),
        (t("xlsx_plan.no", lang), 4.5),
        (t(k + "action", lang), 30),
        (t(k + "dimension", lang), 10),
        (t(k + "severity", lang), 8),
        (t(k + "status", lang), 10),
        (t(k + "owner", lang), 13),
        (t(k + "due", lang), 12),
        (t(k + "reason", lang), 20),
        (t(k + "done_on", lang), 12),
        (t(k + "notes", lang), 28),
        (t(k + "effort", lang), 9),
        (t(k + "after", lang), 20),
        (t("xlsx_plan.flags", lang), 12),
        (t("xlsx_plan.machine", lang), 20),
    ]
    title = t("xlsx_template_plan.plan_title", lang)
    _header(ws, columns, title, t("xlsx_template_plan.plan_hint", lang))
    ws.column_dimensions[get_column_letter(len(columns))].hidden = True
    widths = dict(enumerate((w for _, w in columns), 1))
    assessment = assess(profile, catalog)
    items = plan_items(profile.plan, assessment, catalog, date.min)  # no day: nothing is shown as overdue
    names = {i.id: i.label(lang) for i in items}
    order = {a.id: (n, a) for n, a in enumerate(profile.plan)}
    row = HEADER_ROW
    for number, item in enumerate(in_plan_order(items), 1):
        row += 1
        n, action = order[item.id]
        rule = next((catalog.rule_by_id[r] for r in item.rule_ids if r in catalog.rule_by_id), None)
        confidence = rule.source.confidence if rule else None
        severity = severity_label(item.severity, lang, confidence) if item.severity else ""
        effort = "" if item.effort_days is None else "–".join(dict.fromkeys(map(str, item.effort_days)))
        values: list[tuple[Any, str]] = [
            (item.id, "ccl plain"),
            (number, "ccl center"),
            (item.label(lang), "ccl text"),
            (catalog.dimension_by_id[item.dimension].name(lang) if item.dimension else "", "ccl text"),
            (severity if item.severity else "", "ccl text"),
            (plan_status_label(item.status, lang), INPUT),
            (item.owner, INPUT),
            (item.due, INPUT_DATE),
            (item.reason, INPUT),
            (item.done_on, INPUT_DATE),
            (item.notes, INPUT),
            (effort, "ccl center"),
            ("\n".join(names.get(a, a) for a in item.after), "ccl text"),
            (plan_flags(item, lang, catalog), "ccl text"),
        ]
        for j, (value, style) in enumerate(values, 1):
            put(ws, row, j, value, style, workbook_date_format(ws.parent) if style == INPUT_DATE else None)
        for j, text in enumerate(chunks(action_record(action, n)), len(values) + 1):
            put(ws, row, j, text)
        texts = {j: v for j, (v, _) in enumerate(values, 1) if isinstance(v, str) and j > 1}
        fit_row(ws, row, texts, widths)
    first = HEADER_ROW + 1
    statuses = [plan_status_label(s, lang) for s in STATUSES]
    status_rule = DataValidation(type="list", formula1=list_ref(statuses), allow_blank=False)
    _validate(ws, with_error(status_rule, t("xlsx_template_plan.error_status", lang), lang), 6, first, row)
    for column, key in ((7, "owner"), (9, "reason"), (11, "notes")):
        _validate(ws, _length_rule(ROW_LIMITS[key], lang), column, first, row)
    for column in (8, 10):
        _validate(ws, _day_rule(lang), column, first, row)
    _protect(ws, lang, title)


# --- evidence -----------------------------------------------------------------------------------------


def evidence_sheet(
    ws: Worksheet, catalog: Catalog, lang: Lang, profile: Profile | None, section_name: Callable[[str], str]
) -> None:
    """A note and documents per question: its rows hold what the profile has, and room for one more document."""
    columns = [
        (t("xlsx_answers.field", lang), 14),
        (t("xlsx_template.no", lang), 5),
        (t("xlsx_template_plan.section", lang), 12),
        (t("xlsx_template_plan.question", lang), 36),
        (t("evidence.note", lang), 32),
        (t("evidence.doc", lang), 24),
        (t("evidence.location", lang), 28),
        (t("evidence.date", lang), 12),
    ]
    title = t("xlsx_template_plan.evidence_title", lang)
    _header(ws, columns, title, t("xlsx_template_plan.evidence_hint", lang))
    widths = dict(enumerate((w for _, w in columns), 1))
    evidence = profile.evidence if profile is not None else {}
    row = HEADER_ROW
    note_rows: list[int] = []
    for number, path in enumerate(ALL_FIELDS, 1):
        ev = evidence.get(path)
        refs = list(ev.refs) if ev else []
        slots = max(2, min(len(refs) + 1, MAX_EVIDENCE_REFS))  # room for one more document, within the limit
        for slot in range(slots):
            row += 1
            ref = refs[slot] if slot < len(refs) else None
            first = slot == 0
            label = catalog.questions[path].label(lang) if first else t("xlsx_template_plan.more_docs", lang)
            cells: list[tuple[Any, str]] = [
                (path, "ccl plain"),
                (number if first else None, "ccl center"),
                (section_name(path) if first else None, "ccl text"),
                (label, "ccl text" if first else "ccl note"),
                ((ev.note if ev else None) if first else None, INPUT if first else LOCKED),
                (ref.name if ref else None, INPUT),
                (ref.location if ref else None, INPUT),
                (ref.date if ref else None, INPUT_DATE),
            ]
            for j, (value, style) in enumerate(cells, 1):
                put(ws, row, j, value, style, workbook_date_format(ws.parent) if style == INPUT_DATE else None)
            if first:
                note_rows.append(row)
            fit_row(ws, row, {j: v for j, (v, _) in enumerate(cells, 1) if isinstance(v, str) and j > 1}, widths)
    first_row = HEADER_ROW + 1
    note_rule = _length_rule(ROW_LIMITS["note"], lang)
    for r in note_rows:
        note_rule.add(f"E{r}")
    ws.add_data_validation(note_rule)
    for column, key in ((6, "doc"), (7, "location")):
        _validate(ws, _length_rule(ROW_LIMITS[key], lang), column, first_row, row)
    _validate(ws, _day_rule(lang), 8, first_row, row)
    _protect(ws, lang, title)


def records(profile: Profile | None) -> list[list[Any]]:
    """The hidden sheet's copy of the plan and the evidence (what a deleted row falls back to)."""
    if profile is None:
        return []
    out: list[list[Any]] = [["action", *chunks(action_record(a, n))] for n, a in enumerate(profile.plan)]
    out += [["evidence", path, *chunks(evidence_record(ev))] for path, ev in profile.evidence.items()]
    return out
