"""Answer changes (``ccl.diff``) as people read them: question label, old and new answer in their words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ccl.catalog.load import Catalog
from ccl.diff import AnswerChange
from ccl.i18n import Lang, answer_text, change_label, change_value, t
from ui import deferred

if TYPE_CHECKING:
    import pandas as pd

NA_PREFIX = "not_applicable."


def question_label(catalog: Catalog, field: str, lang: Lang) -> str:
    """The question's label; a not-applicable reason is named after its question."""
    if field.startswith(NA_PREFIX):
        question = question_label(catalog, field[len(NA_PREFIX) :], lang)
        return t("store_ui.na_reason_of", lang, question=question)
    other = change_label(catalog, field, lang)  # evidence and plan changes
    if other is not None:
        return other
    q = catalog.questions.get(field)
    return q.label(lang) if q else field


def answer_value(catalog: Catalog, field: str, value: Any, lang: Lang) -> str:
    """An answer (or an N/A reason) as people read it; "—" when there is none."""
    if field.startswith(("evidence.", "plan.")):
        return change_value(field, value, lang)
    if field.startswith(NA_PREFIX) or field not in catalog.questions:
        return str(value) if value else "—"
    return answer_text(catalog, field, value, lang)


def change_rows(catalog: Catalog, changes: Sequence[AnswerChange], lang: Lang) -> list[tuple[str, str, str]]:
    """(question, old answer, new answer) per change, in questionnaire order."""
    return [
        (
            question_label(catalog, c.field, lang),
            answer_value(catalog, c.field, c.old, lang),
            answer_value(catalog, c.field, c.new, lang),
        )
        for c in changes
    ]


def change_frame(catalog: Catalog, changes: Sequence[AnswerChange], lang: Lang, old: str, new: str) -> pd.DataFrame:
    """The changes as a table whose answer columns are headed ``old`` and ``new``."""
    question = t("store_ui.col_question", lang)
    return deferred.pandas().DataFrame(change_rows(catalog, changes, lang), columns=[question, old, new])
