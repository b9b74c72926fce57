"""The action plan and the evidence in workbooks: what the report and the questionnaire share.

Both workbooks show the plan as a sheet with one row per action. The cells a person edits (status,
owner, due date, reason for waiver, date done, notes) are read back as they stand; everything else
about an action (its rules, a custom name, an effort override, when it was added, its place in the
plan) travels as *machine data*: compact JSON in a hidden column of the row, and again in the hidden
``_ccl`` sheet, so that a deleted row never deletes an action. Evidence travels the same way: JSON in
a hidden column of the report's Answers sheet, rows of the questionnaire's Evidence sheet.

Excel holds at most 32,767 characters in a cell, so machine data longer than ``CELL_LIMIT`` is split
over the cells to its right (``chunks``) and joined again on import.
"""

from __future__ import annotations

import json
from typing import Any

from ccl.catalog.load import Catalog
from ccl.i18n import LANGS, Lang, evidence_text, t
from ccl.plan import STATUSES
from ccl.profile import Evidence, PlanAction, Profile

CELL_LIMIT = 32_000
MAX_CHUNKS = 4  # 128,000 characters: more than the largest action or evidence the profile accepts
# the plan sheet's columns the import reads, by the locale key of their header (either language)
PLAN_COLUMNS: dict[str, str] = {
    "id": "plan.col.id",
    "status": "plan.col.status",
    "owner": "plan.col.owner",
    "due": "plan.col.due",
    "reason": "plan.col.reason",
    "done_on": "plan.col.done_on",
    "notes": "plan.col.notes",
    "machine": "xlsx_plan.machine",
}
EDITABLE = ("status", "owner", "due", "reason", "done_on", "notes")
DATES = frozenset({"due", "done_on"})
ORDER = "order"  # the action's place in the stored plan, kept in its machine data


def headers(key: str) -> set[str]:
    """A column's header in every language (the import accepts a workbook made in either)."""
    return {t(PLAN_COLUMNS.get(key, key), lang) for lang in LANGS}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def action_record(action: PlanAction, order: int) -> str:
    """An action as machine data: every stored field that is set, and its place in the plan."""
    return _json({ORDER: order, **action.model_dump(mode="json", exclude_none=True)})


def evidence_record(evidence: Evidence) -> str:
    """An answer's note and documents as machine data."""
    return _json(evidence.model_dump(mode="json", exclude_none=True))


def chunks(text: str) -> list[str]:
    """Machine data cut into cell-sized pieces (one piece unless it is very long)."""
    return [text[i : i + CELL_LIMIT] for i in range(0, len(text), CELL_LIMIT)] or [""]


def status_labels() -> dict[str, str]:
    """Every way to write a status: its code and its label in either language (case-insensitive)."""
    out: dict[str, str] = {}
    for status in STATUSES:
        out[status] = status
        for lang in LANGS:
            out[t(f"plan.status.{status}", lang).casefold()] = status
    return out


def action_evidence(rule_ids: tuple[str, ...], profile: Profile, catalog: Catalog, lang: Lang) -> str:
    """The notes and documents behind the answers an action's rules read, each under its question."""
    lines: list[str] = []
    seen: set[str] = set()
    colon = t("app.colon", lang)
    for rid in rule_ids:
        rule = catalog.rule_by_id.get(rid)
        for path in rule.fields if rule else ():
            if path in seen or path not in profile.evidence:
                continue
            seen.add(path)
            label = catalog.questions[path].label(lang) if path in catalog.questions else path
            lines.append(f"{label}{colon}{evidence_text(profile.evidence[path], lang)}")
    return "\n".join(lines)
