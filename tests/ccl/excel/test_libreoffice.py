"""LibreOffice opens our workbooks cleanly: they print to PDF, and survive being saved again.

A workbook that Excel would "repair" usually fails here too. Skipped only when LibreOffice is not
installed (CI installs ``libreoffice-calc-nogui``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from ccl.engine import Engine
from ccl.excel.report import build_report
from ccl.excel.template import build_template
from ccl.samples import list_samples
from tests.conftest import read_xlsx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs libreoffice-calc-nogui"
    ),
]
DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lo")


@pytest.fixture(scope="module")
def files(workdir: Path) -> dict[str, Path]:
    engine = Engine.load()
    blocked, ready = list_samples()[3].load(), list_samples()[1].load()
    made = {
        "report_zh": build_report(engine.evaluate(blocked, DAY), engine, "zh", DAY),
        "report_en": build_report(engine.evaluate(ready, DAY), engine, "en", DAY),
        "template_zh": build_template(engine, "zh", ready),
    }
    paths = {}
    for name, data in made.items():
        paths[name] = workdir / f"{name}.xlsx"
        paths[name].write_bytes(data)
    return paths


def convert(workdir: Path, sources: list[Path], target: str, outdir: Path) -> None:
    """Run LibreOffice headless with its own profile folder (parallel runs must not share one)."""
    profile = (workdir / "profile").as_uri()
    cmd = [
        str(SOFFICE),
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
    subprocess.run(cmd, check=True, timeout=300, capture_output=True)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_report_and_template_convert_to_pdf_with_pages(workdir: Path, files: dict[str, Path]) -> None:
    out = workdir / "pdf"
    convert(workdir, list(files.values()), "pdf", out)
    for name in files:
        pdf = (out / f"{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF")
        minimum = 6 if name.startswith("report") else 7  # at least one page per visible sheet
        assert pages(pdf) >= minimum, name


def test_workbooks_saved_again_by_libreoffice_import_unchanged(workdir: Path, files: dict[str, Path]) -> None:
    out = workdir / "resaved"
    sources = [files["report_zh"], files["report_en"], files["template_zh"]]
    convert(workdir, sources, "xlsx:Calc MS Excel 2007 XML", out)
    blocked, ready = list_samples()[3].load(), list_samples()[1].load()
    assert read_xlsx(out / "report_zh.xlsx") == blocked
    assert read_xlsx(out / "report_en.xlsx") == ready
    assert read_xlsx(out / "template_zh.xlsx") == ready
