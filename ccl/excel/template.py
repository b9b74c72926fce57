"""The offline questionnaire: an .xlsx a client fills in Excel or WPS and sends back.

One sheet per part of the profile (company, then the six dimensions), an instructions sheet, and
two hidden sheets: ``_lists`` with the drop-down options and ``_ccl`` with the schema and catalog
versions, the language and the map from each answer cell to its profile field. Input cells are
yellow and unlocked; everything else is protected without a password, so a client can still
unprotect a sheet if their spreadsheet program insists, but cannot break the layout by accident.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ccl.catalog.load import Catalog
from ccl.catalog.objects import Question
from ccl.engine import Engine
from ccl.excel.common import (
    FORMAT_TAG,
    LISTS_SHEET,
    add_styles,
    fit_row,
    merge_row,
    put,
    set_properties,
    set_widths,
    setup_print,
    with_error,
    workbook_bytes,
    write_meta,
)
from ccl.excel.template_plan import evidence_sheet, plan_sheet, records
from ccl.filenames import safe_file_part
from ccl.i18n import WAN, Lang, t
from ccl.profile import ALL_FIELDS, PROVINCE_FIELDS, SCHEMA_VERSION, SECTIONS, Profile, text_limit
from ccl.profile import DATE_MAX as LAST_DAY
from ccl.profile import DATE_MIN as FIRST_DAY
from ccl.scoring import na_allowed_fields

HEADER_ROW = 3
COLS = {"no": 1, "question": 2, "answer": 3, "unit": 4, "na": 5, "help": 6}
WIDTHS = {1: 6, 2: 44, 3: 26, 4: 11, 5: 24, 6: 58}
# The template's date validation accepts the days the profile does (Excel serial numbers).
DATE_MIN, DATE_MAX = int(to_excel(FIRST_DAY)), int(to_excel(LAST_DAY))
RANGES = {  # (low, high) per unit for number cells, matching the profile's bounds
    "people": (0, 1_000_000),
    "seats": (0, 1_000_000),
    "months": (0, 1200),
    "percent": (0, 100),
    "m2": (0, 10_000_000),
    "cny": (0, 10_000_000_000_000),
}
MAP_HEADER = ["field", "option", "sheet", "cell", "na_cell", "unit"]


def money_unit(lang: Lang) -> str:
    """Amounts in the template: 万元 in Chinese, CNY in English."""
    return "wan" if lang == "zh" else "cny"


def section_title(section: str, catalog: Catalog, lang: Lang) -> str:
    dim = catalog.dimension_by_id.get(section)
    if dim:
        return dim.name(lang)
    return t(f"xlsx_sheet.{section}", lang)  # company, licence, document_details


def yes_no_choices(lang: Lang) -> list[tuple[Any, str]]:
    return [(True, t("common.yes", lang)), (False, t("common.no", lang))]


def choices(catalog: Catalog, path: str, lang: Lang) -> list[tuple[Any, str]]:
    """(value, label) of every option of a choice question; yes/no for booleans."""
    q = catalog.questions[path]
    if path in PROVINCE_FIELDS:
        return [(p.id, p.name(lang)) for p in catalog.provinces]
    if q.input == "bool":
        return yes_no_choices(lang)
    return [(o.value, o.label(lang)) for o in q.options]


def closed(q: Question, path: str) -> bool:
    return q.input in ("select", "doc", "bool") or path in PROVINCE_FIELDS


def template_filename(lang: Lang, profile: Profile | None = None) -> str:
    """``就绪度自评问卷.xlsx``, prefixed with the company name when pre-filled from a profile."""
    stem = t("xlsx_template.file_stem", lang)
    name = profile.company.name if profile is not None else None
    return f"{safe_file_part(name)}_{stem}.xlsx" if name else f"{stem}.xlsx"


def build_template(engine: Engine, lang: Lang, profile: Profile | None = None) -> bytes:
    """The offline questionnaire (.xlsx bytes), blank or pre-filled from a profile."""
    cat = engine.catalog
    wb = Workbook()
    wb.remove(wb.active)
    add_styles(wb, lang)
    intro = wb.create_sheet(t("xlsx_sheet.instructions", lang))
    lists = _Lists(wb.create_sheet(LISTS_SHEET))
    mapping: list[list[Any]] = []
    for section in SECTIONS:
        ws = wb.create_sheet(section_title(section, cat, lang), index=len(wb.sheetnames) - 1)
        mapping += _SectionWriter(ws, cat, lang, profile, lists).write(section)
    sheets = {}
    if profile is not None and profile.plan:
        sheets["plan_sheet"] = t("xlsx_sheet.plan", lang)
        ws = wb.create_sheet(sheets["plan_sheet"], index=len(wb.sheetnames) - 1)
        plan_sheet(ws, cat, lang, profile, lists.ref)
    sheets["evidence_sheet"] = t("xlsx_sheet.evidence", lang)
    ws = wb.create_sheet(sheets["evidence_sheet"], index=len(wb.sheetnames) - 1)
    evidence_sheet(ws, cat, lang, profile, lambda path: section_title(path.split(".", 1)[0], cat, lang))
    names = [section_title(s, cat, lang) for s in SECTIONS]
    _instructions(intro, cat, lang, names, profile is not None, list(sheets.values()))
    lists.ws.sheet_state = "hidden"
    write_meta(
        wb,
        {
            "format": FORMAT_TAG,
            "kind": "template",
            "schema_version": SCHEMA_VERSION,
            "catalog_version": cat.version,
            "lang": lang,
            "money_unit": money_unit(lang),
            **sheets,
        },
        [MAP_HEADER, *mapping],
        records(profile),
    )
    wb.security = WorkbookProtection(lockStructure=True)  # no password: sheets cannot be renamed or unhidden
    set_properties(
        wb,
        lang,
        title=t("xlsx_template.title", lang),
        subject=t("xlsx_report.subtitle", lang),
        generated_on=None,
        keywords="B24; CCL Readiness; questionnaire",
    )
    wb.active = 0
    return workbook_bytes(wb)


class _Lists:
    """The hidden sheet of drop-down options: one column per distinct list."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.ranges: dict[tuple[str, ...], str] = {}

    def ref(self, labels: list[str]) -> str:
        key = tuple(labels)
        if key not in self.ranges:
            col = len(self.ranges) + 1
            for row, label in enumerate(labels, 1):
                put(self.ws, row, col, label)
            letter = self.ws.cell(row=1, column=col).column_letter
            self.ranges[key] = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}"
        return self.ranges[key]


class _SectionWriter:
    """One questionnaire sheet: a row per question, a row per option of multiple-choice questions."""

    def __init__(self, ws: Worksheet, catalog: Catalog, lang: Lang, profile: Profile | None, lists: _Lists):
        self.ws, self.cat, self.lang, self.profile, self.lists = ws, catalog, lang, profile, lists
        self.na_allowed = na_allowed_fields(catalog)
        self.row = HEADER_ROW

    def write(self, section: str) -> list[list[Any]]:
        ws, lang = self.ws, self.lang
        set_widths(ws, WIDTHS)
        put(ws, 1, 1, section_title(section, self.cat, lang), "ccl title")
        ws.row_dimensions[1].height = 26
        put(ws, 2, 1, t("xlsx_template.sheet_hint", lang), "ccl note")
        merge_row(ws, 2, 1, len(COLS))
        for key, col in COLS.items():
            put(ws, HEADER_ROW, col, t(f"xlsx_template.{'na_reason' if key == 'na' else key}", lang), "ccl header")
        ws.row_dimensions[HEADER_ROW].height = 20
        rows: list[list[Any]] = []
        paths = [p for p in ALL_FIELDS if p.split(".", 1)[0] == section]
        for number, path in enumerate(paths, 1):
            rows += self._question(number, path)
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
        ws.protection.sheet = True
        ws.protection.formatColumns = ws.protection.formatRows = False  # resizing stays allowed
        setup_print(
            ws,
            lang,
            company=t("xlsx_template.title", lang),
            title=section_title(section, self.cat, lang),
            title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
        )
        return rows

    def _question(self, number: int, path: str) -> list[list[Any]]:
        q, lang = self.cat.questions[path], self.lang
        self.row += 1
        row = self.row
        label = q.label(lang) + (t("xlsx_template.optional", lang) if q.optional else "")
        if q.input == "multiselect":
            label += t("xlsx_template.multi_hint", lang)
        put(self.ws, row, COLS["no"], number, "ccl center")
        put(self.ws, row, COLS["question"], label, "ccl text")
        put(self.ws, row, COLS["help"], q.help(lang), "ccl text")
        put(self.ws, row, COLS["unit"], t(f"xlsx_template.unit_label.{q.unit}", lang), "ccl center")
        na_cell = self._na_cell(path, row)
        fit_row(self.ws, row, {COLS["question"]: label, COLS["help"]: q.help(lang)}, WIDTHS)
        if q.input == "multiselect":
            put(self.ws, row, COLS["answer"], None, "ccl locked")
            return self._options(path, q, na_cell)
        cell = self._input(path, q, row, self.profile.get(path) if self.profile else None)
        return [[path, "", self.ws.title, cell, na_cell, self._unit(q)]]

    def _unit(self, q: Question) -> str:
        return money_unit(self.lang) if q.unit == "cny" else q.unit

    def _na_cell(self, path: str, row: int) -> str:
        if path not in self.na_allowed:
            put(self.ws, row, COLS["na"], t("xlsx_template.na_locked", self.lang), "ccl locked")
            return ""
        reason = self.profile.not_applicable.get(path) if self.profile else None
        cell = put(self.ws, row, COLS["na"], reason, "ccl input")
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="500", allow_blank=True)
        self._validate(cell.coordinate, with_error(dv, t("xlsx_template.error_text", self.lang, n=500), self.lang))
        return str(cell.coordinate)

    def _options(self, path: str, q: Question, na_cell: str) -> list[list[Any]]:
        chosen = self.profile.get(path) if self.profile else None
        rows = []
        for opt in q.options:
            self.row += 1
            text = t("xlsx_template.option_prefix", self.lang) + opt.label(self.lang)
            put(self.ws, self.row, COLS["question"], text, "ccl text")
            for col in (COLS["no"], COLS["unit"], COLS["na"], COLS["help"]):
                put(self.ws, self.row, col, None, "ccl text")
            fit_row(self.ws, self.row, {COLS["question"]: text}, WIDTHS)
            answer = None if chosen is None else opt.value in chosen
            cell = self._input(path, q, self.row, answer, option_row=True)
            rows.append([path, str(opt.value), self.ws.title, cell, na_cell, "bool"])
        return rows

    def _input(self, path: str, q: Question, row: int, value: Any, option_row: bool = False) -> str:
        """The yellow answer cell, pre-filled and validated; returns its coordinate."""
        style = "ccl input date" if q.input == "date" else "ccl input"
        cell = put(self.ws, row, COLS["answer"], self._shown(path, q, value, option_row), style)
        dv = self._rule(path, q, option_row)
        if dv is not None:
            dv.showInputMessage = True
            dv.promptTitle = q.label(self.lang)[:32]
            dv.prompt = q.help(self.lang)[:250]
            self._validate(cell.coordinate, dv)
        return str(cell.coordinate)

    def _shown(self, path: str, q: Question, value: Any, option_row: bool) -> Any:
        if value is None:
            return None
        if option_row:
            return dict(yes_no_choices(self.lang))[value]
        if closed(q, path):
            return dict(choices(self.cat, path, self.lang)).get(value, str(value))
        if q.unit == "cny" and self.lang == "zh":
            wan = value / WAN
            return int(wan) if float(wan).is_integer() else wan
        return value

    def _rule(self, path: str, q: Question, option_row: bool) -> DataValidation | None:
        lang = self.lang
        if option_row or closed(q, path):
            pairs = yes_no_choices(lang) if option_row else choices(self.cat, path, lang)
            labels = [label for _, label in pairs]
            return with_error(
                DataValidation(type="list", formula1=self.lists.ref(labels), allow_blank=True),
                t("xlsx_template.error_list", lang),
                lang,
            )
        if q.input == "date":
            return with_error(
                DataValidation(
                    type="date", operator="between", formula1=str(DATE_MIN), formula2=str(DATE_MAX), allow_blank=True
                ),
                t("xlsx_template.error_date", lang),
                lang,
            )
        if q.input in ("money", "int", "number"):
            return self._number_rule(q)
        if q.input == "text":
            n = text_limit(path) or 200
            return with_error(
                DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(n), allow_blank=True),
                t("xlsx_template.error_text", lang, n=n),
                lang,
            )
        return None

    def _number_rule(self, q: Question) -> DataValidation:
        low, top = RANGES.get(q.unit, (0, 10_000_000))
        high: float = top
        if q.max is not None:
            high = min(high, q.max)
        if q.unit == "cny" and self.lang == "zh":
            high = high / WAN
        whole = q.input == "int"
        key = "error_whole" if whole else "error_decimal"
        message = t(f"xlsx_template.{key}", self.lang, lo=f"{low:,.0f}", hi=f"{high:,.0f}")
        dv = DataValidation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1=str(low),
            formula2=f"{high:.0f}",
            allow_blank=True,
        )
        return with_error(dv, message, self.lang)

    def _validate(self, coordinate: str, dv: DataValidation) -> None:
        dv.add(coordinate)
        self.ws.add_data_validation(dv)


def _instructions(
    ws: Worksheet, catalog: Catalog, lang: Lang, names: list[str], prefilled: bool, extra: list[str]
) -> None:
    """How to fill the questionnaire, which sheets it has, and the versions it was made for."""
    set_widths(ws, {1: 4, 2: 100})
    put(ws, 1, 1, t("xlsx_template.title", lang), "ccl title")
    ws.row_dimensions[1].height = 28
    put(ws, 2, 1, t("xlsx_template.subtitle", lang), "ccl subtitle")
    steps = [t(f"xlsx_template.step{i}", lang) for i in range(1, 7)]
    if len(extra) > 1:  # the plan sheet (a pre-filled questionnaire of a company with a plan)
        steps.append(t("xlsx_template_plan.step_plan", lang))
    steps += [t("xlsx_template_plan.step_evidence", lang), t("xlsx_template.step7", lang)]
    row = _block(ws, 4, t("xlsx_template.how", lang), steps, numbered=True)
    sep = "、" if lang == "zh" else ", "
    lines = [
        t("xlsx_template.sheet_list", lang, names=sep.join(names)),
        t("xlsx_template_plan.sheet_list", lang, names=sep.join(extra)),
    ]
    row = _block(ws, row + 1, t("xlsx_template.sheets", lang), lines)
    versions = [
        f"{t('xlsx_template.schema_version', lang)}: {SCHEMA_VERSION}",
        f"{t('xlsx_template.catalog_version', lang)}: {catalog.version}",
    ]
    if prefilled:
        versions.append(t("xlsx_template.prefilled", lang))
    _block(ws, row + 1, t("xlsx_template.versions", lang), versions)
    ws.protection.sheet = True
    setup_print(
        ws,
        lang,
        company=t("xlsx_template.title", lang),
        title=t("xlsx_sheet.instructions", lang),
        title_rows=None,
        landscape=False,
    )


def _block(ws: Worksheet, top: int, heading: str, lines: list[str], numbered: bool = False) -> int:
    put(ws, top, 1, heading, "ccl section")
    ws.row_dimensions[top].height = 22
    row = top
    for i, line in enumerate(lines, 1):
        row += 1
        put(ws, row, 1, f"{i}." if numbered else "·", "ccl plain")
        put(ws, row, 2, line, "ccl para")
        fit_row(ws, row, {2: line}, {2: 100.0})
    return row + 1
