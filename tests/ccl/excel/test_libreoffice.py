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
from ccl.i18n import fmt_money, t
from ccl.plan import spec_by_id
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
XIAN = next(s for s in list_samples() if s.key == "10_xian_mid_remediation")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lo")


@pytest.fixture(scope="module")
def files(workdir: Path) -> dict[str, Path]:
    engine = Engine.load()
    blocked, ready, short = list_samples()[3].load(), list_samples()[1].load(), SHORT_OF_CAPITAL.load()
    xian = engine.evaluate(XIAN.load(), DAY)
    made = {
        "report_zh": build_report(engine.evaluate(blocked, DAY), engine, "zh", DAY),
        "report_en": build_report(engine.evaluate(ready, DAY), engine, "en", DAY),
        "report_ready_zh": build_report(engine.evaluate(ready, DAY), engine, "zh", DAY),
        "report_capital_zh": build_report(engine.evaluate(short, DAY), engine, "zh", DAY),
        "template_zh": build_template(engine, "zh", ready),
        "report_xian_zh": build_report(xian, engine, "zh", DAY),
        "report_xian_en": build_report(xian, engine, "en", DAY),
        "template_xian_en": build_template(engine, "en", xian.profile),
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
    names = ["report_zh", "report_en", "template_zh", "report_xian_zh", "template_xian_en"]
    convert(workdir, [files[n] for n in names], "xlsx:Calc MS Excel 2007 XML", out)
    blocked, ready, xian = list_samples()[3].load(), list_samples()[1].load(), XIAN.load()
    assert read_xlsx(out / "report_zh.xlsx") == blocked
    assert read_xlsx(out / "report_en.xlsx") == ready
    assert read_xlsx(out / "template_zh.xlsx") == ready
    assert read_xlsx(out / "report_xian_zh.xlsx") == xian  # with its plan and evidence
    assert read_xlsx(out / "template_xian_en.xlsx") == xian


def test_printed_summary_starts_with_the_verdict_and_the_shortfall(pdf_dir: Path) -> None:
    first = page_texts(pdf_dir / "report_capital_zh.pdf")[0]
    verdict = first.index("存在障碍，暂不能申请")
    shortfall = first.index("还差 200 万元")
    assert verdict < shortfall < first.index("总分") < first.index("公司名称")
    assert first.index(t("xlsx_report.title", "zh")) < verdict  # only the title comes before


def test_printed_amounts_and_counts_read_as_the_app_writes_them(pdf_dir: Path) -> None:
    """Sample 02's registered capital, 2000 万元 as the app, the CLI and the catalog write it (digits grouped
    in Chinese only from five on); in English CNY 20,000,000."""
    zh = "\n".join(page_texts(pdf_dir / "report_ready_zh.pdf"))
    assert fmt_money(20_000_000, "zh") == "2000 万元" and "2000 万元" in zh and "2,000 万元" not in zh
    assert "CNY 20,000,000" in "\n".join(page_texts(pdf_dir / "report_en.pdf"))


@pytest.mark.parametrize(
    "name", ["report_zh", "report_en", "report_ready_zh", "report_capital_zh", "report_xian_zh", "report_xian_en"]
)
def test_printed_report_shows_no_internal_ids_raw_values_or_orphan_pages(pdf_dir: Path, name: str) -> None:
    texts = page_texts(pdf_dir / f"{name}.pdf")
    printed = "\n".join(texts)
    catalog = Engine.load().catalog
    actions = [a for a in spec_by_id(catalog) if "." in a or "_" in a]  # "lease" is also an English word
    ids = [r.id for r in catalog.rules] + actions
    assert not [rid for rid in ids if re.search(rf"(?<![\w/.-]){re.escape(rid)}(?![\w/.-])", printed)]
    assert "company.name" not in printed and "schema_version" not in printed  # the Answers sheet's field codes
    assert '["' not in printed and '{"' not in printed  # raw JSON: option codes, an action's or evidence's data
    for number, text in enumerate(texts, 1):
        lines = [line for line in text.splitlines() if line.strip()]
        first_page = any(" · " in line for line in lines[1:3])  # a sheet's title row: a short sheet may be short
        assert first_page or len(lines) >= 8, f"{name}: page {number} holds only {len(lines)} lines"
    # no other route (sample 10): the sentence reads whole on one line, not wrapped to a lone "。" in a narrow cell
    lang = name.rsplit("_", 1)[1]
    none = t("xlsx_routes.none", lang)
    if none[:12] in printed:
        assert any(none in line for line in printed.splitlines()), f"{name}: '{none}' is cut across lines"


@pytest.mark.parametrize(
    ("name", "title", "columns"),
    [
        (
            "report_xian_zh",
            "行动计划",
            "序号 行动 维度 差距级别 负责人 截止日期 状态 提示 豁免原因 工作量 前置行动 证据 备注 完成日期",
        ),
        (
            "report_xian_en",
            "Action plan",
            "No. Action Dimension Gap Owner Due Status Flags Reason Effort Waits Evidence Notes Done",
        ),
        (
            "template_xian_en",
            "Action plan",
            "No. Action Dimension Gap Status Owner Due Reason Done Notes Effort Waits Flags",
        ),
        ("template_xian_en", "Notes and evidence", "No. Section Question Note Document Where Document"),
    ],
)
def test_plan_and_evidence_sheets_print_every_column_on_each_page(
    pdf_dir: Path, name: str, title: str, columns: str
) -> None:
    """Each printed page of the sheet shows the whole header row (first word of each heading, in order):
    no page holds a lone column, and no hidden column (action id, machine data) prints."""
    pages = [p for p in page_texts(pdf_dir / f"{name}.pdf") if p.splitlines()[0].rstrip().endswith(title)]
    assert pages, f"{title} is not printed"
    for text in pages:
        header = next(line for line in text.splitlines() if line.split()[:1] == [columns.split()[0]])
        words = header.split()
        at = [next(i for i, w in enumerate(words) if w.startswith(c)) for c in columns.split()[:1]]
        for column in columns.split()[1:]:
            at.append(next(i for i, w in enumerate(words) if i > at[-1] and w.startswith(column)))
        assert len(at) == len(columns.split()) and not any(
            w.startswith(("行动编号", "Action id", "机读", "Machine")) for w in words
        )
