"""A drafted document as a reader's office suite prints it: LibreOffice converts the technical plan to PDF,
poppler reads its pages back and renders one (the README's picture of a generated page)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ccl.pack import build_pack
from ccl.samples import list_samples

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT, PDFTOPPM = shutil.which("pdftotext"), shutil.which("pdftoppm")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        SOFFICE is None or PDFTOTEXT is None or PDFTOPPM is None,
        reason="needs LibreOffice Writer (libreoffice-writer-nogui) and poppler-utils",
    ),
]
XIAN = next(s for s in list_samples() if s.key == "10_xian_mid_remediation")


@pytest.fixture(scope="module")
def pdf(engine, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pack-lo")
    ev = engine.evaluate(XIAN.load(), date(2026, 12, 1))
    pack = build_pack(ev, engine.catalog, "zh", datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    source = work / "technical_plan.docx"
    with zipfile.ZipFile(io.BytesIO(pack.data)) as zf:
        source.write_bytes(zf.read("01_技术方案.docx"))
    cmd = [str(SOFFICE), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore"]
    subprocess.run([*cmd, "--convert-to", "pdf", "--outdir", str(work), str(source)], check=True, timeout=300)
    return work / "technical_plan.pdf"


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run([str(PDFTOTEXT), "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return out.stdout.decode("utf-8").split("\f")


def test_the_technical_plan_prints_as_a_numbered_a4_document(pdf: Path) -> None:
    pages = ["".join(p.split()) for p in page_texts(pdf) if p.strip()]  # pdftotext spaces CJK text at will
    assert len(pages) >= 2
    cover, first = pages[0], pages[1]
    assert "西安秦声客户服务有限公司" in cover and "（草稿）" in cover and cover.endswith("—1—")
    assert "一、概述" in first and first.endswith("—2—")  # the page number field is filled in by the reader
    body = "".join(pages)
    assert "设置座席6个" in body and "ACD（自动呼叫分配）" in body and "【待补充：呼叫中心平台供应商】" in body
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, timeout=60).stdout.decode()
    assert "595.3" in info and "841.8" in info  # A4 in points


def test_a_page_renders(pdf: Path) -> None:
    out = pdf.with_name("page")
    subprocess.run([str(PDFTOPPM), "-r", "80", "-png", "-f", "2", "-l", "2", str(pdf), str(out)], check=True)
    image = next(pdf.parent.glob("page*.png"))
    assert image.stat().st_size > 20_000  # a page with text on it, not a blank one
