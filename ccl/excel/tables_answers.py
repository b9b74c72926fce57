"""The answers in the readiness report as a plain table: each question, its answer as written and as read back.

Shared by the workbook and the in-app preview, like ``ccl.excel.tables``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ccl.catalog.load import Catalog
from ccl.excel.common import money_display, unit_format
from ccl.excel.plan_data import evidence_record
from ccl.excel.tables import CENTER, CODE, MACHINE, NUMBER_UNITS, Col, Table, Val, columns, machine_cells
from ccl.i18n import (
    Lang,
    answer_text,
    evidence_text,
    fmt_money,
    fmt_unit,
    t,
)
from ccl.profile import ALL_FIELDS, SCHEMA_VERSION, Profile

# The regulator's stages in the workbook's Gantt: a dark fill that prints well and stays apart from the
# off-clock grey (the screen chart uses a mid slate that shows on light and dark themes instead).


# --- answers ------------------------------------------------------------------------------------------


def canonical(catalog: Catalog, path: str, value: Any) -> Any:
    """An answer in the machine form of the Answers sheet: numbers, dates, codes, true/false, JSON lists."""
    if value is None:
        return None
    q = catalog.questions[path]
    if q.input == "multiselect":
        return json.dumps(sorted(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        whole = float(value).is_integer()
        return Val(value, "#,##0" if whole else "#,##0.00", f"{value:.0f}" if whole else f"{value}")
    return value


def shown_answer(catalog: Catalog, path: str, value: Any, lang: Lang) -> Any:
    """An answer as a person reads it; amounts and counts stay numbers with a unit format."""
    q = catalog.questions[path]
    if value is None or isinstance(value, bool) or q.input not in ("money", "int", "number"):
        return value if isinstance(value, date) else answer_text(catalog, path, value, lang)
    if q.unit == "cny":
        number, fmt = money_display(value, lang)
        return Val(number, fmt, fmt_money(value, lang))
    if q.unit in NUMBER_UNITS:
        return Val(
            value, unit_format(lang, q.unit, 0 if float(value).is_integer() else 1), fmt_unit(value, q.unit, lang)
        )
    return value


def section_name(catalog: Catalog, path: str, lang: Lang) -> str:
    section = path.split(".", 1)[0]
    dim = catalog.dimension_by_id.get(section)
    return dim.name(lang) if dim else t("xlsx_answers.company_section", lang)


def answers_table(profile: Profile, catalog: Catalog, lang: Lang) -> Table:
    """The whole profile, one answer per row, with the machine columns the import reads back."""
    k = "xlsx_answers."
    table = Table(
        columns(
            lang,
            k,
            [
                ("field", 36),
                ("section", 12),
                ("question", 36),
                ("answer", 28),
                ("value", 24, CODE),
                ("unit", 10, CENTER),
                ("na_reason", 24),
                ("evidence", 34),
                ("evidence_machine", 20, MACHINE),
            ],
        )
    )
    table.rows.append(
        [
            "schema_version",
            "",
            t(k + "schema_version", lang),
            str(profile.schema_version),
            SCHEMA_VERSION,
            "",
            None,
            None,
            None,
        ]
    )
    for path in ALL_FIELDS:
        q = catalog.questions[path]
        value = profile.get(path)
        table.rows.append(
            [
                path,
                section_name(catalog, path, lang),
                q.label(lang),
                shown_answer(catalog, path, value, lang),
                canonical(catalog, path, value),
                t(f"{k}unit_label.{q.unit}", lang),
                profile.not_applicable.get(path),
                evidence_text(profile.evidence.get(path), lang) or None,
                *machine_cells(evidence_record(profile.evidence[path]) if path in profile.evidence else None),
            ]
        )
    width = max(len(row) for row in table.rows)
    table.columns += [Col("", 20, MACHINE)] * (width - len(table.columns))
    for row in table.rows:  # a very long record continues in the cells to its right
        row += [None] * (len(table.columns) - len(row))
    return table
