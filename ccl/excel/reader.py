"""Reading a filled questionnaire or an exported report (either language) back into a profile.

``read_profile_xlsx`` checks the file (``ccl.excel.guard``), finds the answers through the hidden
``_ccl`` sheet (template) or the Answers sheet (report), converts every cell to the profile's types
(万元 back to CNY, labels back to option codes) and validates the result against the catalog it is
given (the engine's). The action plan and the evidence come back too (``ccl.excel.plan_read``). It
returns a new Profile or raises one ``ProfileError`` listing every bad cell at once, each a ``Problem``
with the sheet and cell to fix, e.g. ``注册资本!C4 (capital.registered_cny)``.
A formula or a spreadsheet error value (``#REF!``) is never taken as an answer. Nothing outside the
returned value is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import coordinate_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ccl.catalog.load import Catalog
from ccl.errors import ErrorCode, Problem, ProfileError
from ccl.excel.cells import CellError, as_text, as_yes_no, cell_value, parse, yes_no_labels
from ccl.excel.common import FORMAT_TAG, META_SHEET
from ccl.excel.guard import BUDGET, check_package, open_workbook, parse_failure, read_source
from ccl.excel.plan_read import Read, Record, joined, machine_data, read_evidence, read_plan
from ccl.excel.template import MAP_HEADER
from ccl.i18n import LANGS, WAN, Lang, t
from ccl.limits import MAX_UPLOAD_BYTES
from ccl.plan import unknown_action_ids
from ccl.profile import ALL_FIELDS, SCHEMA_VERSION, Profile, profile_from_dict
from ccl.scoring import profile_issues

MAX_ROWS = BUDGET["rows"]  # the guard refuses a sheet with more, so no row is ever left unread
MAX_COLS = 40
RECORDS = ("action", "evidence")  # rows of the hidden sheet that carry the plan and the evidence


def read_profile_xlsx(
    source: Path | bytes | str, catalog: Catalog, where: str | None = None, max_bytes: int = MAX_UPLOAD_BYTES
) -> Profile:
    """A profile from a filled questionnaire or an exported report; raises ProfileError naming every bad cell."""
    if isinstance(source, str):
        source = Path(source)
    where = where or (str(source) if isinstance(source, Path) else "workbook")
    data = read_source(source, where, max_bytes)
    check_package(data, where)
    wb = open_workbook(data, where)
    try:
        found = _read(wb, catalog, where)
    except ProfileError:
        raise
    except Exception as exc:  # a sheet that only fails when its rows are streamed
        raise parse_failure(exc, where) from None
    finally:
        wb.close()
    return found.profile(where, catalog)


def _read(wb: Workbook, catalog: Catalog, where: str) -> _Found:
    meta, table, records = read_meta(wb, where)
    cell = f"{META_SHEET}!B3 (schema_version)"
    version = _check_version(meta.get("schema_version"), where, cell, required=bool(meta))
    lang: Lang = meta["lang"] if meta.get("lang") in LANGS else "zh"
    limits: dict[str, Any] = {"lang": lang, "max_rows": MAX_ROWS, "max_cols": MAX_COLS}
    if meta.get("kind") == "template":
        found = _TemplateReader(wb, meta, catalog, where).read(table)
        evidence = [r for r in records if r.kind == "evidence"]
        found.extra.append(read_evidence(wb, meta.get("evidence_sheet"), evidence, **limits))
    else:
        found = _ReportReader(wb, meta, catalog, where).read()
    actions = [r for r in records if r.kind == "action"]
    found.extra.append(read_plan(wb, _plan_sheet(wb, meta), actions, catalog, **limits))
    if version is not None:  # the answers are upgraded from the version they were written in
        found.version = min(found.version, version)
    return found


def _plan_sheet(wb: Workbook, meta: dict[str, Any]) -> str | None:
    """The plan sheet named by the hidden sheet, or (a report without it) found by its name in either language."""
    if isinstance(meta.get("plan_sheet"), str):
        return str(meta["plan_sheet"])
    if meta.get("kind") == "template":
        return None
    return next((name for lang in LANGS if (name := t("xlsx_sheet.plan", lang)) in wb.sheetnames), None)


# --- the hidden information sheet ------------------------------------------------------------------


def read_meta(wb: Workbook, where: str) -> tuple[dict[str, Any], list[list[Any]], list[Record]]:
    """Key/value pairs, the records (plan and evidence) and the cell map of the ``_ccl`` sheet; empty when
    the sheet is absent."""
    if META_SHEET not in wb.sheetnames:
        return {}, [], []
    pairs: dict[str, Any] = {}
    table: list[list[Any]] = []
    records: list[Record] = []
    in_map = False
    rows = wb[META_SHEET].iter_rows(max_row=MAX_ROWS, max_col=len(MAP_HEADER), values_only=True)
    for number, row in enumerate(rows, 1):
        if in_map:
            table.append(["" if v is None else v for v in row])
        elif row[0] == "map":
            in_map = True
        elif row[0] in RECORDS:
            records.append(Record(row[0], tuple(row[1:]), number))
        elif isinstance(row[0], str):
            pairs[row[0]] = row[1]
    if pairs.get("format") != FORMAT_TAG or pairs.get("kind") not in ("template", "report"):
        raise ProfileError(where, META_SHEET, "not a workbook made by this program", code=ErrorCode.NOT_CCL)
    return pairs, table, records


def _check_version(version: Any, where: str, cell: str, required: bool = True) -> int | None:
    if version is None and not required:
        return None
    if isinstance(version, str) and version.strip().isdigit():
        version = int(version)
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProfileError(where, cell, "unreadable format version", code=ErrorCode.BAD_META, value=version)
    if version > SCHEMA_VERSION:
        raise ProfileError(
            where,
            cell,
            f"version {version} is newer than this program supports",
            code=ErrorCode.NEWER_SCHEMA,
            value=version,
        )
    return version


# --- what was found ----------------------------------------------------------------------------------


@dataclass
class _Found:
    values: dict[str, Any] = field(default_factory=dict)
    na: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # field path (or "not_applicable.<path>") → Sheet!C4
    raw: dict[str, Any] = field(default_factory=dict)  # what the cell held, for messages (万元, not CNY)
    problems: list[Problem] = field(default_factory=list)  # cells that could not be read
    version: int = SCHEMA_VERSION  # the schema version the workbook was written in
    evidence: dict[str, Any] | None = None  # the report's evidence, by question
    extra: list[Read] = field(default_factory=list)  # the plan, and the questionnaire's evidence

    def bad_cell(self, err: CellError, path: str, sheet: str, coordinate: str) -> None:
        self.problems.append(Problem(ErrorCode(err.code), path, err.value, cell=f"{sheet}!{coordinate}"))

    def _placed(self, p: Problem) -> Problem:
        """A problem of the profile's checks, placed on the cell it was read from (``plan.3.reason`` is the
        reason cell of the row of the fourth action, and is named ``plan.<its id>.reason``)."""
        name = p.field
        for key, label in self.labels.items():
            if name == key or name.startswith(key + "."):
                name = label + name[len(key) :]
                break
        cell = (
            self.cells.get(p.field)
            or self.cells.get(p.field.removeprefix("not_applicable."))
            or _nearest(self.cells, p.field)
        )
        value = self.raw.get(name, self.raw.get(p.field, p.value))
        return Problem(p.code, name, value, cell=cell, limits=p.limits, detail=p.detail, extra=p.extra)

    @property
    def labels(self) -> dict[str, str]:
        return {k: v for read in self.extra for k, v in read.labels.items()}

    def profile(self, where: str, catalog: Catalog) -> Profile:
        """The answers, checked once (types, ranges, catalog); every problem of every cell in one error."""
        data: dict[str, Any] = {"schema_version": self.version, "not_applicable": self.na}
        for path, value in self.values.items():
            section, name = path.split(".", 1)
            data.setdefault(section, {})[name] = value
        problems = list(self.problems)
        if self.evidence is not None:
            data["evidence"] = self.evidence
        for read in self.extra:
            self.cells.update(read.cells)
            self.raw.update(read.raw)
            problems += read.problems
            if read.data is not None:
                data["plan" if isinstance(read.data, list) else "evidence"] = read.data
        try:
            profile = profile_from_dict(data, where)
        except ProfileError as err:
            raise ProfileError(where, problems=problems + [self._placed(p) for p in err.problems]) from None
        for issue in profile_issues(profile, catalog):
            key = issue.field if issue.code == "unknown_province" else f"not_applicable.{issue.field}"
            problems.append(self._placed(Problem(ErrorCode(issue.code), key, issue.value)))
        for index, action_id in unknown_action_ids(profile.plan, catalog):  # hidden machine data may name one
            problems.append(self._placed(Problem(ErrorCode.UNKNOWN_ACTION_ID, f"plan.{index}.id", action_id)))
        if problems:
            raise ProfileError(where, problems=problems)
        return profile


def _nearest(cells: dict[str, str], name: str) -> str:
    """The cell of a field, or of the nearest field containing it (``plan.3.effort_days.1`` → ``plan.3``)."""
    while name:
        if name in cells:
            return cells[name]
        name = name.rpartition(".")[0]
    return ""


class _Grid:
    """The non-empty cells of each sheet, read once (random access is slow on streamed sheets)."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.sheets: dict[str, dict[str, Any]] = {}

    def cell(self, sheet: str, coordinate: str) -> Any:
        if sheet not in self.sheets:
            cells: dict[str, Any] = {}
            for row in self.wb[sheet].iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS):
                for c in row:
                    if c.value is not None:
                        cells[c.coordinate] = c
            self.sheets[sheet] = cells
        return self.sheets[sheet].get(coordinate)


def _place(sheet: str, coordinate: str, label: str) -> str:
    return f"{sheet}!{coordinate} ({label})"


# --- the questionnaire ---------------------------------------------------------------------------------


class _TemplateReader:
    def __init__(self, wb: Workbook, meta: dict[str, Any], catalog: Catalog, where: str):
        self.wb, self.meta, self.cat, self.where = wb, meta, catalog, where
        self.grid = _Grid(wb)

    def read(self, table: list[list[Any]]) -> _Found:
        if not table or [str(v) for v in table[0]] != MAP_HEADER:
            raise ProfileError(self.where, META_SHEET, "cell map missing", code=ErrorCode.BAD_META, value="map")
        found = _Found()
        options: dict[str, list[tuple[str, str, str]]] = {}
        for entry in table[1:]:
            path, option, sheet, coordinate, na_cell, unit = (str(v).strip() for v in entry)
            if not path:
                continue
            self._check(path, sheet, coordinate)
            if option:
                options.setdefault(path, []).append((option, sheet, coordinate))
            else:
                self._single(found, path, sheet, coordinate, unit)
            found.cells.setdefault(path, f"{sheet}!{coordinate}")
            if na_cell:
                self._check(path, sheet, na_cell)
                self._na(found, path, sheet, na_cell)
        for path, cells in options.items():
            found.values[path] = self._options(found, path, cells)
        return found

    def _check(self, path: str, sheet: str, coordinate: str) -> None:
        if path not in ALL_FIELDS:
            raise ProfileError(
                self.where, META_SHEET, "unknown field in the cell map", code=ErrorCode.BAD_META, value=path
            )
        if sheet not in self.wb.sheetnames:
            raise ProfileError(self.where, sheet, "sheet missing", code=ErrorCode.MISSING_SHEET, value=sheet)
        try:
            coordinate_from_string(coordinate)
        except ValueError:
            raise ProfileError(
                self.where, META_SHEET, "bad cell in the map", code=ErrorCode.BAD_META, value=coordinate
            ) from None

    def _single(self, found: _Found, path: str, sheet: str, coordinate: str, unit: str) -> None:
        factor = WAN if unit == "wan" else 1.0
        try:
            raw = cell_value(self.grid.cell(sheet, coordinate))
            found.raw[path] = raw
            found.values[path] = parse(raw, self.cat.questions[path], path, self.cat, money_factor=factor)
        except CellError as err:
            found.bad_cell(err, path, sheet, coordinate)

    def _na(self, found: _Found, path: str, sheet: str, coordinate: str) -> None:
        found.cells[f"not_applicable.{path}"] = f"{sheet}!{coordinate}"
        try:
            reason = cell_value(self.grid.cell(sheet, coordinate))
        except CellError as err:
            found.bad_cell(err, f"not_applicable.{path}", sheet, coordinate)
            return
        if reason is not None:
            found.na[path] = as_text(reason)

    def _options(self, found: _Found, path: str, cells: list[tuple[str, str, str]]) -> frozenset[str] | None:
        labels = yes_no_labels()
        chosen, answered = set(), False
        for option, sheet, coordinate in cells:
            try:
                raw = cell_value(self.grid.cell(sheet, coordinate))
                if raw is not None:
                    answered = True
                    if as_yes_no(raw, labels):
                        chosen.add(option)
            except CellError as err:
                found.bad_cell(err, f"{path}={option}", sheet, coordinate)
        return frozenset(chosen) if answered else None


# --- the report's Answers sheet ----------------------------------------------------------------------


class _ReportReader:
    COLUMNS = ("field", "value", "na_reason")
    OPTIONAL = ("evidence_machine",)  # reports made before the plan and evidence have no such column
    HEADER_SEARCH = 15

    def __init__(self, wb: Workbook, meta: dict[str, Any], catalog: Catalog, where: str):
        self.wb, self.meta, self.cat, self.where = wb, meta, catalog, where
        lang = meta.get("lang")
        self.lang: Lang = lang if lang in LANGS else "zh"

    def read(self) -> _Found:
        ws = self._sheet()
        found = _Found(evidence={})
        cols: dict[str, int] | None = None
        for number, row in enumerate(ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS), 1):
            if cols is not None:
                self._row(ws.title, number, row, cols, found)
            elif number <= self.HEADER_SEARCH:
                cols = self._header(ws.title, number, row)
        if cols is None:
            raise ProfileError(
                self.where,
                ws.title,
                "column missing",
                code=ErrorCode.MISSING_COLUMN,
                value=t("xlsx_answers.field", self.lang),
            )
        return found

    def _sheet(self) -> Worksheet:
        names = [self.meta["answers_sheet"]] if self.meta.get("answers_sheet") else []
        names += [t("xlsx_sheet.answers", lang) for lang in LANGS]
        for name in names:
            if isinstance(name, str) and name in self.wb.sheetnames:
                return self.wb[name]
        if not self.meta:
            raise ProfileError(self.where, "", "not a workbook made by this program", code=ErrorCode.NOT_CCL)
        raise ProfileError(self.where, str(names[0]), "sheet missing", code=ErrorCode.MISSING_SHEET, value=names[0])

    def _header(self, sheet: str, number: int, row: tuple[Any, ...]) -> dict[str, int] | None:
        """Column positions when this is the header row (titles in either language), else None."""
        keys = self.COLUMNS + self.OPTIONAL
        wanted = {key: {t(f"xlsx_answers.{key}", lang) for lang in LANGS} for key in keys}
        found = {
            key: i
            for i, c in enumerate(row)
            for key, names in wanted.items()
            if isinstance(c.value, str) and c.value.strip() in names
        }
        if "field" not in found:
            return None
        for key in self.COLUMNS:
            if key not in found:
                raise ProfileError(
                    self.where,
                    f"{sheet}!{number}:{number}",
                    "column missing",
                    code=ErrorCode.MISSING_COLUMN,
                    value=t(f"xlsx_answers.{key}", self.lang),
                )
        return found

    def _row(self, sheet: str, number: int, row: tuple[Any, ...], cols: dict[str, int], found: _Found) -> None:
        def at(key: str) -> tuple[Any, str]:
            index = cols[key]
            return (row[index] if index < len(row) else None), f"{get_column_letter(index + 1)}{number}"

        key_cell, key_ref = at("field")
        value_cell, value_ref = at("value")
        na_cell, na_ref = at("na_reason")
        try:
            path = cell_value(key_cell)
            if path == "schema_version":
                version = _check_version(cell_value(value_cell), self.where, _place(sheet, value_ref, path))
                found.version = min(found.version, version or SCHEMA_VERSION)
                return
            if path is not None and path not in ALL_FIELDS:
                raise CellError("unknown_field", path)
        except CellError as err:
            found.bad_cell(err, "field", sheet, key_ref)
            return
        if path is None:
            return
        found.cells[path] = f"{sheet}!{value_ref}"
        found.cells[f"not_applicable.{path}"] = f"{sheet}!{na_ref}"
        try:
            raw = found.raw[path] = cell_value(value_cell)
            found.values[path] = parse(raw, self.cat.questions[path], path, self.cat)
        except CellError as err:
            found.bad_cell(err, path, sheet, value_ref)
        self._na_reason(sheet, na_cell, na_ref, path, found)
        if "evidence_machine" in cols:
            self._evidence(sheet, number, row, cols["evidence_machine"], path, found)

    def _na_reason(self, sheet: str, cell: Any, ref: str, path: str, found: _Found) -> None:
        try:
            reason = cell_value(cell)
        except CellError as err:
            found.bad_cell(err, f"not_applicable.{path}", sheet, ref)
            return
        if reason is not None:
            found.na[path] = as_text(reason)

    def _evidence(self, sheet: str, number: int, row: tuple[Any, ...], index: int, path: str, found: _Found) -> None:
        """An answer's note and documents, from the machine data of its row (continued to the right when long)."""
        ref = f"{get_column_letter(index + 1)}{number}"
        found.cells[f"evidence.{path}"] = f"{sheet}!{ref}"
        try:
            cells = row[index:]
            if cells and cells[0].data_type in ("f", "e"):
                cell_value(cells[0])  # a formula or an error value: refused like any answer cell
            text = joined(c.value if c.data_type == "s" else None for c in cells)
            if text is not None:
                assert found.evidence is not None
                found.evidence[path] = machine_data(text)
        except CellError as err:
            found.bad_cell(err, f"evidence.{path}", sheet, ref)
