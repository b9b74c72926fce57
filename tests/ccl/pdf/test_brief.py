"""The PDF brief: what it says (content, no PDF needed), and the PDF itself read back with poppler.

The PDF tests need poppler-utils (pdftotext, pdfinfo, pdffonts) and a TrueType CJK font
(fonts-wqy-microhei); ``scripts/system-deps.sh`` installs both and the tests skip without them.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from ccl import clock
from ccl.cli import main
from ccl.i18n import fmt_score, status_label
from ccl.pdf.brief import brief
from ccl.pdf.fonts import font_file
from ccl.samples import list_samples

DAY = date(2026, 12, 1)
SAMPLES = {s.key[:2]: s for s in list_samples()}
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdffonts"))
needs_pdf = pytest.mark.skipif(
    not POPPLER or font_file() is None,
    reason="needs poppler-utils and a TrueType CJK font (fonts-wqy-microhei); scripts/system-deps.sh installs them",
)


def _ev(engine, key: str):
    return engine.evaluate(SAMPLES[key].load(), DAY)


def test_a_blocked_company_reads_its_blocker_and_shortfall_first(engine):
    b = brief(_ev(engine, "07"), engine, "zh", DAY)
    assert b.verdict == "存在障碍，暂不能申请"
    assert any("还差 200 万元" in line for line in b.why)
    labels = dict(b.facts)
    assert "申请障碍" in labels["日期依据"]  # the date says it assumes the blockers removed
    assert b.actions and b.actions[0].cells[1].startswith("注册资本")


def test_a_licence_holder_leads_with_its_duties_never_with_an_application(engine):
    ev = _ev(engine, "09")
    assert ev.head.mode == "holder"
    for lang in ("zh", "en"):
        b = brief(ev, engine, lang, DAY)
        assert b.duties and not b.actions
        assert b.verdict == ("持证经营中" if lang == "zh" else "Licensed")
        text = " ".join([b.verdict, *b.why])
        assert "就绪" not in text and "ready" not in text.lower()


def test_the_plans_owners_and_due_dates_are_in_the_top_actions(engine):
    b = brief(_ev(engine, "10"), engine, "zh", DAY)
    owners = {row.cells[2] for row in b.actions}
    assert any("（" in o for o in owners)  # "李娜（技术部）": names from the plan, not dashes
    assert all(row.cells[3].startswith("20") for row in b.actions)  # 2026年12月11日
    assert b.actions_note  # more actions than the brief lists: it says where the rest are
    assert dict(b.facts)["日期依据"].startswith("按行动计划")  # the headline's basis, as every page states it


def test_the_cli_refuses_an_output_that_is_neither_a_workbook_nor_a_pdf(tmp_path, capsys):
    path = SAMPLES["07"].path
    assert main(["report", str(path), "-o", str(tmp_path / "r.docx"), "--lang", "en"]) == 2
    assert ".xlsx or .pdf" in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists()


def test_a_missing_font_is_a_message_naming_the_package(tmp_path, capsys, monkeypatch):
    from ccl.pdf import fonts

    monkeypatch.setenv("CCL_PDF_FONT", str(tmp_path / "none.ttf"))
    fonts.register_font.cache_clear()
    try:
        code = main(["report", str(SAMPLES["07"].path), "-o", str(tmp_path / "r.pdf"), "--start", "2026-12-01"])
    finally:
        fonts.register_font.cache_clear()
    assert code == 2
    assert "fonts-wqy-microhei" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


# --- the PDF read back ------------------------------------------------------------------------------


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every sample in both languages, made by the command line as a user would."""
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    with clock.frozen(DAY):  # the date the brief was made, in its footer
        for key, sample in SAMPLES.items():
            for lang in ("zh", "en"):
                path = folder / f"{key}_{lang}.pdf"
                assert main(["report", str(sample.path), "-o", str(path), "--lang", lang]) == 0
                out[key, lang] = path
    return out


@pytest.mark.sweep
@needs_pdf
def test_every_sample_makes_a_brief_of_two_to_four_pages_in_both_languages(pdfs):
    for (key, lang), path in pdfs.items():
        pages = int(
            next(line for line in _run("pdfinfo", str(path)).splitlines() if line.startswith("Pages:")).split()[1]
        )
        assert 2 <= pages <= 4, (key, lang, pages)
        text = _run("pdftotext", "-layout", str(path), "-")
        footer = f"第 {pages} 页，共 {pages} 页" if lang == "zh" else f"Page {pages} of {pages}"
        assert footer in text, (key, lang)


@pytest.mark.sweep
@needs_pdf
def test_chinese_text_is_embedded_and_searchable(pdfs):
    path = pdfs["07", "zh"]
    text = _run("pdftotext", str(path), "-")
    for words in (
        "深圳鹏程联络科技有限公司",
        "存在障碍，暂不能申请",
        "还差 200 万元",
        "规则库版本",
        "生成日期：2026年12月1日",
    ):
        assert words in text
    fonts = [line.split() for line in _run("pdffonts", str(path)).splitlines()[2:]]
    cjk = [f for f in fonts if "WenQuanYi" in f[0] or "UMing" in f[0]]
    assert cjk and all(f[-5] == "yes" for f in cjk)  # the "emb" column


@needs_pdf
@pytest.mark.sweep
def test_the_english_brief_speaks_english_around_the_companys_name(pdfs, engine):
    text = _run("pdftotext", str(pdfs["10", "en"]), "-")
    assert "西安秦声客户服务有限公司" in text
    verdict = status_label(_ev(engine, "10").head.verdict, "en")  # the headline's verdict, as on every page
    for words in (verdict, "Expected licence date", "Top actions", "Sources", "Made 1 Dec 2026"):
        assert words in text
    # the chart's scores as every surface writes them: 78.1, not 78 (premises), 100
    scores = [d.score for d in _ev(engine, "10").assessment.dimensions.values()]
    assert any(v != int(v) for v in scores) and all(fmt_score(v, "en") in text for v in scores)
    holder = _run("pdftotext", str(pdfs["09", "en"]), "-")
    assert "Licence duties" in holder and "Top actions" not in holder
