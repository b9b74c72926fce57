"""User text shown literally: every name, file name and answer a user typed goes through ``md_literal``
before it meets Markdown (``st.markdown``/``caption``/``success``/…/``toast``) or a widget label."""

from __future__ import annotations

import re

# Characters that start Markdown (or GitHub-flavoured, LaTeX, HTML) syntax anywhere in a line; a
# backslash makes each plain text. "-", "+" and "." only count at the start of a line (lists) and in
# "www." (a bare link): they are escaped there only, so ordinary names and file names read unchanged.
# GitHub-flavoured Markdown still links a bare "www.x.cn" or "a@b.cn" after its escapes are removed: an
# invisible word joiner after "www" and after "@" breaks the pattern it looks for (as after ":" below).
_MARKDOWN = frozenset("\\`*_{}[]()<>#!|~$=^&")
_LINE_START = re.compile(r"^(\s*)(\d*)([-+.)])")
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
# Streamlit turns ":smile:", ":material/x:" and ":red[x]" into emoji, icons and colours after the
# Markdown is parsed, so an escaped colon would still count: an invisible word joiner after it does not.
_COLON = ":\u2060"
_SPECIAL = {":": _COLON, "@": "\\@\u2060"}


def md_literal(text: object) -> str:
    """User content (names, file names, answers) shown literally inside Markdown, on one line.

    The one way user text meets ``st.markdown``/``caption``/``success``/…/``toast`` and widget labels.
    """
    flat = " ".join(str(text).splitlines()) if text is not None else ""
    shown = "".join(_SPECIAL.get(ch) or (f"\\{ch}" if ch in _MARKDOWN else ch) for ch in flat)
    shown = _LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}", shown, count=1)
    return _WWW.sub("\\1\u2060\\.", shown)


def md_values(values: dict[str, object]) -> dict[str, str]:
    """Format arguments for a translated Markdown message, every value made literal."""
    return {key: md_literal(value) for key, value in values.items()}
