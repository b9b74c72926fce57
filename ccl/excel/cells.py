"""Reading one cell of an uploaded workbook: its value as typed (never a formula) converted to a profile type.

Each helper raises ``CellError`` with an error code (``ccl.errors.ErrorCode``) and the value found; the
readers collect these per cell, so every bad cell of a workbook is reported at once.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

from openpyxl.utils.datetime import from_excel

from ccl.catalog.load import Catalog
from ccl.catalog.objects import Question
from ccl.excel.template import choices, closed, yes_no_choices
from ccl.i18n import LANGS

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SPLIT = re.compile(r"[;,，；、\s]+")
YES_NO = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False}


class CellError(Exception):
    def __init__(self, code: str, value: Any):
        super().__init__(code)
        self.code, self.value = code, value


EXCEL_LAST_DAY = 2958465  # 9999-12-31; the profile says which days it accepts
SPREADSHEET_ERROR_TYPE = "e"  # openpyxl's data type of a cell showing #REF!, #N/A, …


# --- reading cells -----------------------------------------------------------------------------------


def cell_value(cell: Any) -> Any:
    """A cell's value as typed; a formula is refused (never calculated), blank text is None."""
    if cell is None:
        return None
    if cell.data_type == "f":
        raise CellError("formula", str(getattr(cell.value, "text", cell.value))[:40])
    if cell.data_type == SPREADSHEET_ERROR_TYPE:
        raise CellError("spreadsheet_error", cell.value)
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def option_labels(catalog: Catalog, path: str) -> dict[str, Any]:
    """Every way to write an option: its code and its label in either language (case-insensitive)."""
    out: dict[str, Any] = {}
    for lang in LANGS:
        for value, label in choices(catalog, path, lang):
            out[label.casefold()] = value
            out[str(value).casefold()] = value
    if catalog.questions[path].input == "bool":
        out.update(YES_NO)
    return out


def yes_no_labels() -> dict[str, bool]:
    out = dict(YES_NO)
    for lang in LANGS:
        out.update({label.casefold(): value for value, label in yes_no_choices(lang)})
    return out


def as_choice(raw: Any, labels: dict[str, Any]) -> Any:
    if isinstance(raw, bool) and True in labels.values():
        return raw
    key = str(raw).strip().casefold()
    if key not in labels:
        raise CellError("not_choice", raw)
    return labels[key]


def as_yes_no(raw: Any, labels: dict[str, Any]) -> bool:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw in (0, 1):
        return bool(raw)
    try:
        value = as_choice(raw, labels)
    except CellError:
        raise CellError("not_yes_no", raw) from None
    if not isinstance(value, bool):
        raise CellError("not_yes_no", raw)
    return value


def as_number(raw: Any) -> float:
    if isinstance(raw, (bool, date, datetime)):
        raise CellError("not_number", raw)
    if isinstance(raw, str):
        try:
            raw = float(re.sub(r"[,，\s]", "", raw))
        except ValueError:
            raise CellError("not_number", raw) from None
    if not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise CellError("not_number", raw)
    return float(raw)


def as_whole(raw: Any) -> int:
    try:
        number = as_number(raw)
    except CellError:
        raise CellError("not_whole", raw) from None
    if not number.is_integer():
        raise CellError("not_whole", raw)
    return int(number)


def as_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw <= EXCEL_LAST_DAY:
        day: date = from_excel(raw).date()
        return day
    match = _DATE_TEXT.match(raw) if isinstance(raw, str) else None
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError("not_date", raw)


def as_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    return str(raw)


def as_codes(raw: Any, labels: dict[str, Any]) -> frozenset[Any]:
    """A multiple-choice answer of the Answers sheet: a JSON list of codes (labels accepted too)."""
    text = str(raw).strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise CellError("not_choice", raw) from None
        if not isinstance(items, list):
            raise CellError("not_choice", raw)
    else:
        items = [part for part in _SPLIT.split(text) if part]
    return frozenset(as_choice(item, labels) for item in items)


def parse(raw: Any, q: Question, path: str, catalog: Catalog, *, money_factor: float = 1.0) -> Any:
    """One answer converted from what a cell holds to the profile's type; None stays unanswered."""
    if raw is None:
        return None
    if q.input == "text" and not closed(q, path):
        return as_text(raw)
    if q.input == "bool":
        return as_yes_no(raw, option_labels(catalog, path))
    if closed(q, path):
        return as_choice(raw, option_labels(catalog, path))
    if q.input == "multiselect":
        return as_codes(raw, option_labels(catalog, path))
    if q.input == "date":
        return as_date(raw)
    if q.input == "int":
        return as_whole(raw)
    if q.input == "money":
        return round(as_number(raw) * money_factor, 2)
    return as_number(raw)
