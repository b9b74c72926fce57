"""The CJK font the PDF brief embeds, found on this machine (never fetched).

ReportLab embeds TrueType outlines only: the Noto CJK fonts Debian ships are OpenType/CFF and cannot be
embedded by it, so the brief uses WenQuanYi Micro Hei (``fonts-wqy-microhei``: a .ttc with TrueType
outlines, about 5 MB, Apache 2.0 / GPL), else WenQuanYi Zen Hei or AR PL UMing. ``$CCL_PDF_FONT`` may name
another TrueType font file (.ttf, or .ttc: its first face). ``scripts/system-deps.sh`` installs the font.
"""

from __future__ import annotations

import os
from pathlib import Path

from ccl.once import once

FONT_NAME = "CCL-CJK"
ENV = "CCL_PDF_FONT"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
CANDIDATES = ("wqy-microhei.ttc", "wqy-zenhei.ttc", "uming.ttc")
PACKAGE = "fonts-wqy-microhei"


class FontMissing(RuntimeError):
    """No TrueType CJK font to embed; ``args[0]`` is the package to install (the caller's message says so)."""


def font_file() -> Path | None:
    """The font file to embed: ``$CCL_PDF_FONT``, else the first candidate found under the font folders."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        return Path(chosen) if Path(chosen).is_file() else None
    for name in CANDIDATES:
        for folder in FONT_DIRS:
            if folder.is_dir():
                found = next(folder.rglob(name), None)
                if found is not None:
                    return found
    return None


@once
def register_font() -> str:
    """Register the CJK font with ReportLab once; its name for styles and drawings. Raises FontMissing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    path = font_file()
    if path is None:
        raise FontMissing(PACKAGE)
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    except TTFError:  # e.g. a CFF (PostScript-outline) font named by $CCL_PDF_FONT: ReportLab cannot embed it
        raise FontMissing(PACKAGE) from None
    return FONT_NAME
