"""What can be wrong with answers handed in: a closed set of codes, problems as data, and their text.

Readers (``ccl.profile``, ``ccl.excel``, ``ccl.intake``) raise ``ProfileError`` carrying one or more
``Problem`` records (code, field, the cell it came from, the value); nothing reads a code back out of a
message. Text in the user's language is made only when it is shown, by ``ccl.i18n.error_text`` (the
page) or ``ccl.i18n.error_lines`` (the command line), from the ``[error]`` locale table keyed by the code.
This module imports nothing of the product, so every reader can raise these errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Every reason a file, an answer or a catalog check can be refused (locale key ``error.<code>``)."""

    # the file
    NOT_FOUND = "not_found"
    UNREADABLE = "unreadable"
    UNSUPPORTED_TYPE = "unsupported_type"
    JSON_TOO_BIG = "json_too_big"
    JSON_ENCODING = "json_encoding"
    BAD_JSON = "bad_json"
    NUMBER_TOO_LONG = "number_too_long"
    DUPLICATE_KEY = "duplicate_key"
    JSON_TOO_MANY = "json_too_many"
    MORE_PROBLEMS = "more_problems"
    NOT_OBJECT = "not_object"
    NEWER_SCHEMA = "newer_schema"
    BAD_SCHEMA_VERSION = "bad_schema_version"
    # one answer
    MISSING = "missing"
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_OPTION = "unknown_option"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
    EMPTY = "empty"
    SPREADSHEET_ERROR = "spreadsheet_error"
    BAD_CHARACTERS = "bad_characters"
    PAID_IN_EXCEEDS = "paid_in_exceeds"
    INVALID = "invalid"
    WAIVED_NO_REASON = "waived_no_reason"
    DUPLICATE_ACTION = "duplicate_action"
    # checks against the catalog
    UNKNOWN_PROVINCE = "unknown_province"
    NA_NOT_ALLOWED = "na_not_allowed"
    # workbooks
    TOO_BIG = "too_big"
    NOT_ZIP = "not_zip"
    OLD_XLS = "old_xls"
    TEXT_FILE = "text_file"
    CORRUPT = "corrupt"
    MACRO = "macro"
    UNSAFE_XML = "unsafe_xml"
    ZIP_BOMB = "zip_bomb"
    TOO_MANY_PART_BYTES = "too_many_part_bytes"
    TOO_MANY_STRINGS = "too_many_strings"
    TOO_MANY_STYLES = "too_many_styles"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_CELLS = "too_many_cells"
    TOO_MANY_TAGS = "too_many_tags"
    TOO_MANY_OTHER_TAGS = "too_many_other_tags"
    NOT_CCL = "not_ccl"
    MISSING_SHEET = "missing_sheet"
    MISSING_COLUMN = "missing_column"
    FORMULA = "formula"
    NOT_NUMBER = "not_number"
    NOT_WHOLE = "not_whole"
    NOT_DATE = "not_date"
    NOT_YES_NO = "not_yes_no"
    NOT_CHOICE = "not_choice"
    NOT_TEXT = "not_text"
    BAD_META = "bad_meta"
    # the action plan and evidence in a workbook
    NOT_STATUS = "not_status"
    UNKNOWN_ACTION = "unknown_action"
    UNKNOWN_ACTION_ID = "unknown_action_id"  # an action id that is neither the catalog's nor custom.…
    BAD_MACHINE_DATA = "bad_machine_data"
    # batch import
    AMBIGUOUS_CLIENT = "ambiguous_client"
    SKIPPED = "skipped"
    DAMAGED = "damaged"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix: which answer (``field``, a profile path), where it was read (``cell``, e.g.
    ``答卷!E5``), what is wrong (``code``), the value found, and the allowed range when there is one."""

    code: ErrorCode
    field: str = ""
    value: Any = None
    cell: str = ""
    limits: tuple[Any, Any] | None = None
    detail: str = ""  # an untranslated hint for the server log (never shown when a translation exists)
    extra: tuple[tuple[str, Any], ...] = ()  # further placeholders of the message, e.g. (("n", 2),)

    @property
    def location(self) -> str:
        """``Sheet!C4 (section.field)`` for a cell, else the field path (empty for the whole file)."""
        if self.cell:
            return f"{self.cell} ({self.field})" if self.field else self.cell
        return self.field


class ProfileError(ValueError):
    """Answers that cannot be used. ``where`` names the file; ``problems`` lists everything to fix.

    ``field``, ``code``, ``value`` and ``problem`` are those of the first problem (most files have one).
    """

    def __init__(
        self,
        where: str,
        field: str = "",
        problem: str = "",
        *,
        code: str = ErrorCode.INVALID,
        value: Any = None,
        problems: Sequence[Problem] = (),
    ):
        self.where = safe_text(where)
        self.problems: tuple[Problem, ...] = tuple(problems) or (
            Problem(ErrorCode(code), safe_text(field), _safe_value(value), detail=problem),
        )
        first = self.problems[0]
        self.field, self.code, self.value = first.location, first.code, first.value
        self.problem = first.detail or first.code.value
        super().__init__(
            f"{self.where}: {self.field}: {self.problem}" if self.field else f"{self.where}: {self.problem}"
        )


def safe_text(text: str) -> str:
    """Text that can be written anywhere: lone surrogates (possible in JSON) shown as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(text, str) else text


def _safe_value(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value
