"""What every subcommand shares: the user-facing error, the language default, dates, input folders.

Kept free of heavy imports (no pandas, plotly, openpyxl or SQLAlchemy), so that ``python -m ccl``
starts quickly whatever the subcommand.
"""

from __future__ import annotations

import argparse
import os
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ccl.i18n import LANGS, Lang, t
from ccl.profile import ProfileError

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A user-facing error: one line, exit status 2."""


def default_lang() -> Lang:
    env = os.environ.get("CCL_LANG", "zh")
    return env if env in LANGS else "zh"  # type: ignore[return-value]


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def profile_error_line(err: ProfileError, lang: Lang) -> str:
    """One line naming the file and the field, in the user's language."""
    value = "" if err.value is None else str(err.value)[:60]
    message = t(f"error.{err.code}", lang, value=value)
    if message == f"error.{err.code}":
        message = t(f"xlsx_error.{err.code}", lang, value=value)
    if message == f"xlsx_error.{err.code}":
        message = err.problem
    field = f"{t('cli.field', lang)} {err.field}: " if err.field else ""
    return f"{err.where}: {field}{message}"


def expand_inputs(paths: Sequence[str], lang: Lang) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.suffix.lower() in (".json", ".xlsx") and q.is_file())
            if not found:
                raise CliError(t("cli.no_files", lang, path=raw))
            files.extend(found)
        else:
            files.append(p)
    return files


def width(text: str) -> int:
    """Terminal width of a text: East Asian wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))
