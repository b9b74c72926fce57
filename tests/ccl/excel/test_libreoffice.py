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
from ccl.i18n import t
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
SHORT_OF_CAPITAL = next(s for s in list_samples() if s.key == "07_shenzhen_cross_regional_capital_gap")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lo")


@pytest.fixture(scope="module")
def files(workdir: Path) -> dict[str, Path]:
    engine = Engine.load()
    blocked, ready, short = list_samples()[3].load(), list_samples()[1].load(), SHORT_OF_CAPITAL.load()
    made = {
        "report_zh": build_report(engine.evaluate(blocked, DAY), engine, "zh", DAY),
        "report_en": build_report(engine.evaluate(ready, DAY), engine, "en", DAY),
        "report_capital_zh": build_report(engine.evaluate(short, DAY), engine, "zh", DAY),
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


@pytest.fixture(scope="module")
def pdf_dir(workdir: Path, files: dict[str, Path]) -> Path:
    out = workdir / "pdf"
    convert(workdir, list(files.values()), "pdf", out)
    return out


def page_texts(pdf: Path) -> list[str]:
    """The text of each printed page (poppler's pdftotext, reading order kept)."""
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=120)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def test_report_and_template_convert_to_pdf_with_pages(pdf_dir: Path, files: dict[str, Path]) -> None:
    out = pdf_dir
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


def test_printed_summary_starts_with_the_verdict_and_the_shortfall(pdf_dir: Path) -> None:
    first = page_texts(pdf_dir / "report_capital_zh.pdf")[0]
    verdict = first.index("存在障碍，暂不能申请")
    shortfall = first.index("还差 200 万元")
    assert verdict < shortfall < first.index("总分") < first.index("公司名称")
    assert first.index(t("xlsx_report.title", "zh")) < verdict  # only the title comes before


@pytest.mark.parametrize("name", ["report_zh", "report_en", "report_capital_zh"])
def test_printed_report_shows_no_internal_ids_raw_values_or_orphan_pages(pdf_dir: Path, name: str) -> None:
    texts = page_texts(pdf_dir / f"{name}.pdf")
    printed = "\n".join(texts)
    ids = [r.id for r in Engine.load().catalog.rules]
    assert not [rid for rid in ids if re.search(rf"(?<![\w/.-]){re.escape(rid)}(?![\w/.-])", printed)]
    assert "company.name" not in printed and "schema_version" not in printed  # the Answers sheet's field codes
    assert '["' not in printed  # raw JSON lists of option codes
    for number, text in enumerate(texts, 1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) >= 8, f"{name}: page {number} holds only {len(lines)} lines"
