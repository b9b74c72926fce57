"""Shared fixtures: the shipped engine (catalog + calendar), samples, and profile builders."""

from __future__ import annotations

import functools
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ccl.catalog import Catalog
from ccl.engine import Engine
from ccl.profile import SCHEMA_VERSION, Profile
from ccl.samples import list_samples

START = date(2026, 11, 30)


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
