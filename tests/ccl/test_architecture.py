"""The layers hold: the domain package draws nothing and never reads the clock itself."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from project import ROOT

CCL = ROOT / "ccl"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_ccl_never_imports_streamlit_or_plotly():
    """The domain package computes; drawing (plotly) and the screens (Streamlit) live in ui/."""
    offenders = {str(p.relative_to(CCL)): sorted(_imports(p) & {"streamlit", "plotly"}) for p in CCL.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_pages_and_charts_do_not_reach_into_each_other():
    """Chart builders are pure functions of results: they never call Streamlit."""
    charts = ROOT / "ui" / "charts"
    assert [p.name for p in charts.rglob("*.py") if "streamlit" in _imports(p)] == []


def test_engine_modules_take_today_as_an_argument():
    for name in ("scoring.py", "timeline.py", "conditions.py", "engine.py", "materials.py", "plan.py"):
        text = (CCL / name).read_text(encoding="utf-8")
        assert "clock." not in text and "date.today()" not in text and "datetime.now(" not in text, name


def test_only_the_clock_reads_the_wall_clock():
    """One clock for "today": tests freeze it, so no date a user sees depends on the day a test runs."""
    wall = ("date.today()", "datetime.now(", "datetime.today()", "datetime.utcnow(", "time.localtime(")
    files = [ROOT / "app.py", *CCL.rglob("*.py"), *(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]
    readers = sorted(
        str(p.relative_to(ROOT)) for p in files if p.name != "clock.py" and any(w in p.read_text("utf-8") for w in wall)
    )
    assert readers == []


def test_cli_and_engine_start_without_the_heavy_libraries():
    """`python -m ccl assess` stays quick: pandas, openpyxl, SQLAlchemy and holidays load only when needed."""
    code = (
        "import sys, ccl.cli, ccl.engine, ccl.i18n, ccl.profile; ccl.engine.Engine.load(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'plotly', 'openpyxl', "
        "'sqlalchemy', 'holidays', 'streamlit'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
