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

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A user-facing error: one line, exit status 2."""


def default_lang() -> Lang:
    env = os.environ.get("CCL_LANG", "zh")
    return env if env in LANGS else "zh"


def iso_date(text: str) -> date:
    """A ``--start`` date: ISO form, within the years the calendar can project (a clear message otherwise)."""
    from ccl.timeline import START_MAX, START_MIN

    lang = default_lang()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_date", lang, value=text)) from None
    if not START_MIN <= day <= START_MAX:
        raise argparse.ArgumentTypeError(
            t("cli.date_range", lang, value=text, min=START_MIN.isoformat(), max=START_MAX.isoformat())
        )
    return day


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
