"""Reading the action plan and the evidence back from a workbook (the report or the questionnaire).

The plan sheet of either workbook has one row per action, found by its hidden action id. The cells a
person edits (status, owner, due date, reason for waiver, date done, notes) are read as they stand;
the rest of the action comes from the row's machine data (``ccl.excel.plan_data``). The hidden
``_ccl`` sheet keeps a copy of every action, so the workbook is the source for the actions it lists and
an action whose row was deleted is kept unchanged: the product never deletes an action.

The questionnaire's Evidence sheet has one or more rows per question (hidden question path in the
first column): the note, and one document per row. Its ``_ccl`` copy keeps the evidence of a question
whose rows were all deleted.

Every cell that cannot be read is reported at once, with its sheet and cell; the profile's own checks
(a waived action without a reason, a date out of range, …) are placed on their cells by ``cells``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.cell import get_column_letter
from openpyxl.workbook.workbook import Workbook

from ccl.catalog.load import Catalog
from ccl.errors import ErrorCode, Problem
from ccl.excel.cells import CellError, as_date, as_text, cell_value
from ccl.excel.common import META_SHEET
from ccl.excel.plan_data import DATES, EDITABLE, ORDER, headers, status_labels
from ccl.i18n import LANGS, Lang, t
from ccl.plan import OPEN_STATUSES, spec_by_id
from ccl.profile import ALL_FIELDS

HEADER_SEARCH = 15  # the header row is among the first rows of a sheet
EVIDENCE_COLUMNS = ("field", "note", "doc", "location", "date")
REF_COLUMNS = {"name": "doc", "location": "location", "date": "date"}  # a document's field → its column


@dataclass(frozen=True, slots=True)
class Record:
    """A row of the hidden ``_ccl`` sheet that carries data: its kind, its cells after the kind, its row."""

    kind: str
    values: tuple[Any, ...]
    row: int

    @property
    def cell(self) -> str:
        return f"{META_SHEET}!B{self.row}"


@dataclass
class Read:
    """What a sheet gave: the data (None when the workbook says nothing about it), the cell of every field
    for messages, what the cells held, the cells that could not be read, and labels for messages
    (``plan.3`` → ``plan.<action id>``)."""

    data: Any = None
    cells: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def bad(self, err: CellError, name: str, cell: str) -> None:
        self.problems.append(Problem(ErrorCode(err.code), name, err.value, cell=cell))


def joined(values: Iterable[Any]) -> str | None:
    """Machine data cut over several cells, joined again (None when there is none)."""
    parts = []
    for value in values:
        if not isinstance(value, str) or not value:
            break
        parts.append(value)
    return "".join(parts) or None


def machine_data(text: str | None) -> dict[str, Any]:
    """A JSON object of machine data; CellError when it is damaged."""
    try:
        data = json.loads(text or "")
    except (json.JSONDecodeError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise CellError(ErrorCode.BAD_MACHINE_DATA, (text or "")[:40])
    return data


class _Rows:
    """The rows of one sheet below its header row, with the header's columns found by name (either language)."""

    def __init__(
        self, wb: Workbook, sheet: str, wanted: dict[str, set[str]], anchor: str, max_rows: int, max_cols: int
    ):
        self.sheet, self.wanted, self.anchor = sheet, wanted, anchor
        self.rows = wb[sheet].iter_rows(max_row=max_rows, max_col=max_cols)
        self.cols: dict[str, int] | None = None
        self.header = 0

    def __iter__(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for number, row in enumerate(self.rows, 1):
            if self.cols is not None:
                yield number, row
            elif number <= HEADER_SEARCH:
                self._header(number, row)

    def _header(self, number: int, row: tuple[Any, ...]) -> None:
        found = {
            key: i
            for i, c in enumerate(row)
            for key, names in self.wanted.items()
            if isinstance(c.value, str) and c.value.strip() in names
        }
        if self.anchor in found:
            self.cols, self.header = found, number

    def ref(self, key: str, number: int) -> str:
        assert self.cols is not None
        return f"{self.sheet}!{get_column_letter(self.cols[key] + 1)}{number}"

    def value(self, row: tuple[Any, ...], key: str) -> Any:
        """The cell's value as typed (CellError for a formula or an error value); None when the column is absent."""
        assert self.cols is not None
        index = self.cols.get(key)
        return cell_value(row[index]) if index is not None and index < len(row) else None

    def rest(self, row: tuple[Any, ...], key: str) -> str | None:
        """Machine data starting at column ``key`` and continued to its right."""
        assert self.cols is not None
        index = self.cols.get(key)
        if index is None:
            return None
        return joined(c.value if c.data_type == "s" else None for c in row[index:])


# --- the plan ---------------------------------------------------------------------------------------------


def read_plan(
    wb: Workbook,
    sheet: str | None,
    records: list[Record],
    catalog: Catalog,
    *,
    lang: Lang,
    max_rows: int,
    max_cols: int,
) -> Read:
    """The plan as action dicts in stored order: listed rows as edited, the others as the hidden copy holds them."""
    out = Read()
    baseline: dict[str, tuple[int, dict[str, Any], Record]] = {}
    for n, record in enumerate(records):
        try:
            action = machine_data(joined(record.values))
        except CellError as err:
            out.bad(err, "plan", record.cell)
            continue
        action.pop(ORDER, None)
        baseline[str(action.get("id"))] = (n, action, record)
    listed: dict[str, tuple[float, dict[str, Any], dict[str, str]]] = {}
    if sheet is not None and sheet in wb.sheetnames:
        wanted = {key: headers(key) for key in ("id", *EDITABLE, "machine")}
        rows = _Rows(wb, sheet, wanted, "id", max_rows, max_cols)
        for number, row in rows:
            _plan_row(rows, number, row, baseline, listed, catalog, out)
        if rows.cols is None:
            out.problems.append(Problem(ErrorCode.MISSING_COLUMN, "plan", t("plan.col.id", lang), cell=sheet))
    elif not baseline:
        return out  # nothing about a plan in this workbook (an older one): the profile keeps none
    entries: list[tuple[float, dict[str, Any]]] = [
        (n, listed[i][1] if i in listed else action) for i, (n, action, _) in baseline.items()
    ]
    entries += [(order, action) for i, (order, action, _) in listed.items() if i not in baseline]
    order = sorted(range(len(entries)), key=lambda k: entries[k][0])
    out.data = []
    for index, k in enumerate(order):
        action = entries[k][1]
        action_id = str(action.get("id"))
        out.data.append(action)
        out.labels[f"plan.{index}"] = f"plan.{action_id}"
        cells = listed[action_id][2] if action_id in listed else {"": baseline[action_id][2].cell}
        for key, cell in cells.items():
            out.cells[f"plan.{index}.{key}" if key else f"plan.{index}"] = cell
    return out


def _plan_row(
    rows: _Rows,
    number: int,
    row: tuple[Any, ...],
    baseline: dict[str, tuple[int, dict[str, Any], Record]],
    listed: dict[str, tuple[float, dict[str, Any], dict[str, str]]],
    catalog: Catalog,
    out: Read,
) -> None:
    """One action's row: its stored form (machine data, the hidden copy, or the catalog), then the edits."""
    raws, cells, problems = _row_cells(rows, number, row, ("id", *EDITABLE))
    id_cell = cells[""] = cells.pop("id")
    machine = rows.rest(row, "machine")
    raw_id = raws.pop("id")
    if raw_id is None:  # a blank row (below the table), or a row someone added: it names no action
        if machine or problems or any(v is not None for v in raws.values()):
            out.bad(CellError(ErrorCode.UNKNOWN_ACTION, None), "plan", id_cell)
        return
    if raw_id is _SKIP:  # the id cell holds a formula or an error value
        out.bad(problems["id"], "plan", id_cell)
        return
    action_id = as_text(raw_id)
    out.raw.update({f"plan.{action_id}.{key}": None if raw is _SKIP else raw for key, raw in raws.items()})
    edits = _converted(raws, problems, cells, f"plan.{action_id}", _edit, out)
    if action_id in listed:
        out.bad(CellError(ErrorCode.DUPLICATE_ACTION, action_id), f"plan.{action_id}", id_cell)
        return
    if machine is not None:
        cells[""] = rows.ref("machine", number)
    try:
        order, base = _stored(action_id, machine, baseline, catalog)
    except CellError as err:
        out.bad(err, f"plan.{action_id}" if machine else "plan", cells[""])
        return
    listed[action_id] = (1_000_000 + number if order is None else order, _edited(base, edits), cells)


def _row_cells(
    rows: _Rows, number: int, row: tuple[Any, ...], keys: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, str], dict[str, CellError]]:
    """The values of a row's columns as typed (``_SKIP`` where a cell holds a formula or an error value),
    each column's cell, and the errors."""
    raws: dict[str, Any] = {}
    cells: dict[str, str] = {}
    problems: dict[str, CellError] = {}
    for key in keys:
        if key not in (rows.cols or {}):
            continue
        cells[key] = rows.ref(key, number)
        try:
            raws[key] = rows.value(row, key)
        except CellError as err:
            problems[key] = err
            raws[key] = _SKIP
    return raws, cells, problems


def _converted(
    raws: dict[str, Any],
    problems: dict[str, CellError],
    cells: dict[str, str],
    prefix: str,
    convert: Callable[[str, Any], Any],
    out: Read,
) -> dict[str, Any]:
    """A row's cells converted (``_SKIP`` for each one that cannot be read, its problem reported)."""
    values: dict[str, Any] = {}
    for key, raw in raws.items():
        try:
            if key in problems:
                raise problems[key]
            values[key] = convert(key, raw)
        except CellError as err:
            out.bad(err, f"{prefix}.{key}", cells[key])
            values[key] = _SKIP
    return values


def _evidence_value(key: str, raw: Any) -> Any:
    if raw is None:
        return None
    return as_date(raw).isoformat() if key == "date" else as_text(raw)


def _stored(
    action_id: str, machine: str | None, baseline: dict[str, tuple[int, dict[str, Any], Record]], catalog: Catalog
) -> tuple[int | None, dict[str, Any]]:
    """An action as stored, with its place in the plan: from the row's machine data, else the hidden copy,
    else the catalog (an action it knows, listed without machine data). CellError when none has it."""
    order: int | None = baseline[action_id][0] if action_id in baseline else None
    if machine is not None:
        base = machine_data(machine)
        stored = base.pop(ORDER, None)
        if order is None and isinstance(stored, int) and not isinstance(stored, bool):
            order = stored
    elif action_id in baseline:
        base = dict(baseline[action_id][1])
    elif action_id in spec_by_id(catalog):
        base = {"rule_ids": list(spec_by_id(catalog)[action_id].rule_ids)}
    else:
        raise CellError(ErrorCode.UNKNOWN_ACTION, action_id)
    return order, base | {"id": action_id}


_SKIP = object()  # an edit that could not be read: the stored value stays (the problem is reported)


def _edit(key: str, raw: Any) -> Any:
    """One edited cell converted: a status from its label (either language) or code, dates, text."""
    if key == "status":
        if raw is None:
            raise CellError(ErrorCode.MISSING, None)
        status = status_labels().get(str(raw).strip().casefold())
        if status is None:
            raise CellError(ErrorCode.NOT_STATUS, raw)
        return status
    if raw is None:
        return None
    if key in DATES:
        return as_date(raw).isoformat()
    return as_text(raw)


def _edited(base: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """The stored action with the edits applied, as the app applies them: reopening an action clears its
    date done, and leaving "waived" drops the reason, unless the same edit changed those too."""
    out = dict(base)
    for key, value in edits.items():
        if value is _SKIP:
            continue
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    before, after = base.get("status", "open"), out.get("status", "open")
    if after != before:
        if after in OPEN_STATUSES and out.get("done_on") == base.get("done_on"):
            out.pop("done_on", None)
        if before == "waived" and out.get("reason") == base.get("reason"):
            out.pop("reason", None)
    return out


# --- evidence -----------------------------------------------------------------------------------------


def evidence_headers() -> dict[str, set[str]]:
    keys = {
        "field": "xlsx_answers.field",
        "note": "evidence.note",
        "doc": "evidence.doc",
        "location": "evidence.location",
        "date": "evidence.date",
    }
    return {key: {t(k, lang) for lang in LANGS} for key, k in keys.items()}


def read_evidence(
    wb: Workbook, sheet: str | None, records: list[Record], *, lang: Lang, max_rows: int, max_cols: int
) -> Read:
    """The questionnaire's notes and documents per question: the sheet's rows for the questions it lists,
    the hidden copy for the others."""
    out = Read()
    found: dict[str, dict[str, Any]] = {}
    for record in records:
        path = record.values[0] if record.values else None
        try:
            found[str(path)] = machine_data(joined(record.values[1:]))
        except CellError as err:
            out.bad(err, f"evidence.{path}", record.cell)
    if sheet is None or sheet not in wb.sheetnames:
        out.data = found or None
        return out
    rows = _Rows(wb, sheet, evidence_headers(), "field", max_rows, max_cols)
    listed: dict[str, dict[str, Any]] = {}
    for number, row in rows:
        _evidence_row(rows, number, row, listed, out)
    if rows.cols is None:
        out.problems.append(Problem(ErrorCode.MISSING_COLUMN, "evidence", t("xlsx_answers.field", lang), cell=sheet))
    for path, ev in listed.items():
        found.pop(path, None)
        notes = ev.pop("notes")
        if notes:
            ev["note"] = "\n".join(notes)
        if ev.get("note") is not None or ev["refs"]:
            found[path] = ev
    out.data = found
    return out


def _evidence_row(rows: _Rows, number: int, row: tuple[Any, ...], listed: dict[str, dict[str, Any]], out: Read) -> None:
    """One row of the Evidence sheet: the question's note (first row) and one document."""
    raws, cells, problems = _row_cells(rows, number, row, ("field", *EVIDENCE_COLUMNS[1:]))
    path = raws.pop("field", None)
    if path is _SKIP:
        out.bad(problems["field"], "evidence", cells["field"])
        return
    if path is None:
        return
    path = as_text(path)
    if path not in ALL_FIELDS:
        out.bad(CellError(ErrorCode.UNKNOWN_FIELD, path), "evidence", cells["field"])
        return
    ev = listed.setdefault(path, {"notes": [], "refs": []})
    values = _converted(raws, problems, cells, f"evidence.{path}", _evidence_value, out)
    if "note" in cells:
        out.cells.setdefault(f"evidence.{path}", cells["note"])
    if values.get("note") not in (None, _SKIP):
        out.cells.setdefault(f"evidence.{path}.note", cells["note"])
        ev["notes"].append(values["note"])
    doc = {name: values.get(key) for name, key in REF_COLUMNS.items()}
    if any(v is not None for v in doc.values()):
        i = len(ev["refs"])
        for name, key in REF_COLUMNS.items():
            if key in cells:
                out.cells[f"evidence.{path}.refs.{i}.{name}"] = cells[key]
                out.raw[f"evidence.{path}.refs.{i}.{name}"] = raws.get(key)
        out.cells.setdefault(f"evidence.{path}.refs", cells.get("doc", cells["field"]))
        ev["refs"].append({k: v for k, v in doc.items() if v not in (None, _SKIP)})
