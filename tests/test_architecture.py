"""The domain package stays free of Streamlit, and never reads the clock itself."""

from __future__ import annotations

import ast
from pathlib import Path

CCL = Path(__file__).resolve().parent.parent / "ccl"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_ccl_never_imports_streamlit():
    offenders = [p.name for p in CCL.rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_engine_modules_take_today_as_an_argument():
    for name in ("scoring.py", "timeline.py", "conditions.py", "engine.py", "materials.py"):
        text = (CCL / name).read_text(encoding="utf-8")
        assert "date.today()" not in text and "datetime.now()" not in text, name
