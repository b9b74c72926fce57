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


# --- no import cycles ------------------------------------------------------------------------------

LAYERS = ("ccl", "ui", "pages")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Every module of ccl/, ui/ and pages/ → the product modules it imports, at any depth of the file
    (an import inside a function still runs, so it still makes a cycle); relative imports resolved."""
    files = {_module_name(p): p for top in LAYERS for p in (ROOT / top).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
                targets |= {base} | {f"{base}.{a.name}" for a in node.names}
        graph[name] = (targets & files.keys()) - {name}
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        v = todo.pop()
        if v not in seen:
            seen.add(v)
            todo.extend(graph.get(v, ()))
    return seen


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import each other, directly or through others."""
    reach = {v: _reachable(graph, v) for v in graph}
    groups = {tuple(sorted(w for w in reach[v] if v in reach[w])) for v in graph if v in reach[v]}
    return sorted(list(g) for g in groups)


def test_no_import_cycles():
    """A module can be read, tested and moved on its own only if nothing it imports imports it back."""
    assert _cycles(_import_graph()) == []


def test_the_cycle_check_sees_function_level_and_relative_imports():
    graph = _import_graph()
    assert "ccl.excel.reader" in graph["ccl.intake"]  # imported inside read_profile_bytes
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_a_long_module_says_why_it_is_long():
    """Parts that change for different reasons live in different files: a module past about 500 lines
    says at its top why it stays one."""
    long = {}
    for path in (p for top in LAYERS for p in (ROOT / top).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 520 and "500 lines" not in (ast.get_docstring(ast.parse(text)) or ""):
            long[str(path.relative_to(ROOT))] = len(text.splitlines())
    assert long == {}
