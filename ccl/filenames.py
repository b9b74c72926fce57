"""Pieces of download file names (company names in Excel, PDF, Word and zip names): safe on every system.

Kept apart from the writers so that naming a file never loads openpyxl, python-docx or ReportLab.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_part(text: str, limit: int = 60) -> str:
    """A piece of a file name: no path or shell-special characters, no leading dash or dot."""
    part = _UNSAFE.sub("_", text)
    part = re.sub(r"\s+", "_", part).strip("._- ")[:limit].rstrip("._ ")
    if not part or part.upper() in _RESERVED:
        part = f"_{part}"
    return part
