"""Shared fixtures: the shipped engine (catalog + calendar), samples, and profile builders."""

from __future__ import annotations

import functools
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ccl import clock
from ccl.catalog.load import Catalog
from ccl.engine import Engine
from ccl.profile import SCHEMA_VERSION, Profile
from ccl.samples import list_samples

START = date(2026, 11, 30)
# "Today" for every test and every server a test starts: the samples' own "as of" day, so a test reads
# the story a sample tells whatever day the suite runs (tests of other days pass ``today`` explicitly).
TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True, scope="session")
def _isolated_store(tmp_path_factory):
    """No test touches the user's real saved assessments (the browser server inherits this too)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CCL_DATA_DIR", str(tmp_path_factory.mktemp("ccl-data")))
    mp.delenv("CCL_DATABASE_URL", raising=False)
    yield
    mp.undo()


@functools.cache
def shared_engine() -> Engine:
    """The shipped engine, loaded once for the whole run."""
    return Engine.load()


def read_xlsx(source: Path | bytes | str, where: str | None = None, **kwargs: Any) -> Profile:
    """A workbook's answers read with the shipped catalog, as the app and the CLI read them."""
    from ccl.excel.reader import read_profile_xlsx

    return read_profile_xlsx(source, shared_engine().catalog, where, **kwargs)


@pytest.fixture(scope="session")
def engine() -> Engine:
    return shared_engine()


@pytest.fixture(scope="session")
def catalog(engine):
    return engine.catalog


@pytest.fixture(scope="session")
def samples():
    return list_samples()


def make_profile(**sections: dict[str, Any]) -> Profile:
    """A profile from partial sections, e.g. make_profile(capital={"registered_cny": 1e6})."""
    return Profile.model_validate({"schema_version": SCHEMA_VERSION, **sections})


def ready_profile(**overrides: dict[str, Any]) -> Profile:
    """A company that passes every rule (the Guangzhou sample), with some sections replaced/updated."""
    base = next(s for s in list_samples() if s.key == "01_guangzhou_ready").load()
    data = base.model_dump(mode="json")
    for section, values in overrides.items():
        if section == "not_applicable":
            data["not_applicable"] = values
        else:
            data[section].update(values)
    return Profile.model_validate(data)


def with_overrides(catalog: Catalog, province: str, overrides: dict[str, float]) -> Catalog:
    """The catalog as if regions.toml gave ``province`` these extra threshold overrides."""
    data = catalog.model_dump()
    for p in data["provinces"]:
        if p["id"] == province:
            p["overrides"] = {**p["overrides"], **overrides}
    return Catalog.model_validate(data)


SYSTEM_MARKERS = ("browser", "libreoffice", "postgres")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CCL_REQUIRE_SYSTEM_TESTS=1) a browser, LibreOffice or PostgreSQL test may not skip."""
    outcome = yield
    report = outcome.get_result()
    required = os.environ.get("CCL_REQUIRE_SYSTEM_TESTS")
    if report.skipped and required and any(item.get_closest_marker(m) for m in SYSTEM_MARKERS):
        report.outcome = "failed"
        report.longrepr = f"skipped, but CI requires this test to run: {report.longrepr}"


# --- markers are enforced: a test that starts a browser, a server, AppTest, LibreOffice or PostgreSQL says so


BROWSER_DIR = Path(__file__).parent / "browser"
# what a test may start only under its marker (``slow`` also admits what ``browser`` tests start)
NEEDS = {
    "playwright": ("browser",),
    "streamlit server": ("browser", "slow"),
    "AppTest": ("slow", "browser"),
    "LibreOffice": ("libreoffice",),
    "PostgreSQL": ("postgres",),
}
_started: set[str] = set()


def _popen_kind(args: Any) -> str | None:
    words = " ".join(str(a) for a in (args if isinstance(args, list | tuple) else [args]))
    if "playwright" in words:
        return "playwright"
    if "streamlit" in words and " run " in f" {words} ":
        return "streamlit server"
    if "soffice" in words or "libreoffice" in words:
        return "LibreOffice"
    if "initdb" in words or "pg_ctl" in words or "postgres " in words:
        return "PostgreSQL"
    return None


def _audit(event: str, args: tuple) -> None:
    if event == "subprocess.Popen" and (kind := _popen_kind(args[1])):
        _started.add(kind)


def pytest_configure(config):
    """Before anything is collected (test modules evaluate samples at import): freeze the clock, here and
    in every process a test starts, and watch what tests start."""
    import sys

    os.environ[clock.ENV] = TODAY.isoformat()
    clock.freeze(TODAY)
    sys.addaudithook(_audit)
    config.pluginmanager.register(_XdistGroups(), "ccl-xdist-groups")
    _build_workbooks_once()
    _read_workbooks_once()


# Tests of one shared service run one after the other in one test process (``--dist loadgroup``): the
# PostgreSQL tests share the local server, and LibreOffice runs one instance per user profile. The browser
# tests run one at a time too (one Chromium and its Streamlit server; two at once on two cores made their
# waits time out now and then), in one process while the others share the rest of the run — and first, as
# the longest group: on two cores one process walks the browser while the other does the rest.
SERIAL = ("browser", "postgres", "libreoffice")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (its hook is not ordered)
def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser is a browser test (a ``pytestmark`` in a conftest is ignored)."""
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
        serial = next((m for m in SERIAL if item.get_closest_marker(m)), None)
        if serial:
            item.add_marker(pytest.mark.xdist_group(serial))
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)  # stable: browser tests first


class _XdistGroups:
    """pytest-xdist 3.8 sends a group to one process by suffixing the node id with "@group" — written to an
    attribute pytest 9 no longer reads, so every group was spread over the processes. This puts the suffix
    where pytest 9 keeps the id (after xdist's own hook; nothing to do where xdist's write took effect)."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        if not getattr(config.option, "loadgroup", False):
            return
        from _pytest.nodeid import NodeId

        for item in items:
            names = sorted(
                {
                    str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                    for m in item.iter_markers("xdist_group")
                }
            )
            if names and "@" not in item.nodeid:
                item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")


def _watch_apptest_and_postgres() -> None:
    """Note AppTest runs and PostgreSQL connections (their modules are imported by the tests that use them)."""
    import sys

    app_test = sys.modules.get("streamlit.testing.v1.app_test")
    if app_test is not None and not getattr(app_test.AppTest.run, "_ccl_watched", False):
        run = app_test.AppTest.run

        def watched_run(self, *a, **kw):
            _started.add("AppTest")
            return run(self, *a, **kw)

        watched_run._ccl_watched = True  # type: ignore[attr-defined]  # a marker on the wrapper, read above
        app_test.AppTest.run = watched_run
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and not getattr(psycopg.connect, "_ccl_watched", False):
        connect = psycopg.connect

        def watched_connect(*a, **kw):
            _started.add("PostgreSQL")
            return connect(*a, **kw)

        watched_connect._ccl_watched = True  # type: ignore[attr-defined]  # as above
        psycopg.connect = watched_connect


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _watch_apptest_and_postgres()
    _started.clear()
    main = sys.modules["__main__"]
    yield
    # AppTest leaves the app's script as ``__main__``: every process a later test spawns would run the app first
    sys.modules["__main__"] = main


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    missing = sorted(k for k in _started if not any(item.get_closest_marker(m) for m in NEEDS[k]))
    _started.clear()
    if missing:
        needed = "; ".join(f"{k}: {' or '.join(NEEDS[k])}" for k in missing)
        pytest.fail(
            f"{item.nodeid} starts {', '.join(missing)} without its marker ({needed}): mark it, so that "
            "`make test-fast` starts no browser or server",
            pytrace=False,
        )


# --- workbooks built once per test process ----------------------------------------------------------


def _build_workbooks_once() -> None:
    """Tests read the same report or questionnaire many times (every sample, both languages): build each
    once per process. The builders are pure functions of their arguments returning bytes, so a cached
    workbook is the very one a fresh build gives. Patched before collection, so that the test modules'
    ``from ccl.excel.report import build_report`` takes the cached builder."""
    from ccl.excel import report, template

    def key_of(profile: Profile | None) -> str | None:
        return None if profile is None else profile.model_dump_json()

    report_build, template_build = report.build_report, template.build_template

    @functools.cache
    def _report(key: tuple, ev: _Same, engine, lang, day) -> bytes:
        return report_build(ev.value, engine, lang, day)

    @functools.cache
    def _template(key: tuple, engine, lang, profile: _Same) -> bytes:
        return template_build(engine, lang, profile.value)

    def build_report(ev, engine, lang, generated_on):
        key = (key_of(ev.profile), ev.start, ev.review_anchor, lang, generated_on)
        return _report(key, _Same(ev), engine, lang, generated_on)

    def build_template(engine, lang, profile=None):
        return _template((lang, key_of(profile)), engine, lang, _Same(profile))

    report.build_report, template.build_template = build_report, build_template


def _read_workbooks_once() -> None:
    """Tests open the same workbook bytes with openpyxl again and again to look at its cells (0.25 s each):
    keep each opened workbook pickled, keyed by its bytes and options, and hand every caller a fresh copy
    (15 ms) — a copy, so a test that edits cells changes only its own. Streaming (read-only) workbooks hold
    the open file and are never cached; the product opens uploads that way, so its reading is untouched."""
    import hashlib
    import io
    import pickle

    import openpyxl
    import openpyxl.reader.excel as excel_reader

    load = excel_reader.load_workbook
    opened: dict[tuple, bytes] = {}

    def load_workbook(filename, read_only=False, **kwargs):
        if read_only:
            return load(filename, read_only=read_only, **kwargs)
        if isinstance(filename, io.BytesIO):
            data = filename.getvalue()
        elif isinstance(filename, str | Path):
            data = Path(filename).read_bytes()
        else:
            return load(filename, **kwargs)
        key = (hashlib.sha256(data).digest(), tuple(sorted(kwargs.items())))
        if key not in opened:
            wb = load(io.BytesIO(data), **kwargs)
            if len(opened) >= 100:  # ~0.6 MB each: keep the process's memory bounded
                del opened[next(iter(opened))]
            opened[key] = pickle.dumps(wb, protocol=pickle.HIGHEST_PROTOCOL)
            return wb
        return pickle.loads(opened[key])

    openpyxl.load_workbook = excel_reader.load_workbook = load_workbook


class _Same:
    """An argument the cache passes through but does not key on (the key says everything about it)."""

    def __init__(self, value: Any):
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return True
