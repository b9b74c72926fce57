"""Real-browser test of the Report page: preview, a real download, and an upload that shows a diff first.

Runs against ``streamlit run app.py`` in Debian's Chromium. Screenshots go to artifacts/screenshots/
(zh-report-preview, zh-report-upload-diff, zh-report-replaced, en-report-page, en-report-upload-error;
test_e2e.py saves the plain page as zh-report and en-report).
"""

from __future__ import annotations

import pytest

from ccl import clock
from ccl.engine import Engine
from ccl.excel.report import build_report, report_filename, sheet_names
from ccl.i18n import fmt_score, t
from ccl.samples import list_samples
from tests.browser.conftest import choose, open_app, settle, shoot, shows_text
from tests.conftest import read_xlsx

pytestmark = pytest.mark.browser

SAMPLES = {s.key: s for s in list_samples()}
CHENGDU = SAMPLES["03_chengdu_startup_undercapitalised"]
GUANGZHOU = SAMPLES["01_guangzhou_ready"]
MAIN = '[data-testid="stMain"]'


def load_sample(page, sample) -> None:
    choose(page, t("sidebar.load_sample", "zh"), sample.label("zh"), sample.load().company.name)


def set_language(page, lang: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text("English" if lang == "en" else "简体中文", exact=True).click()
    nav = "s => document.querySelector('[data-testid=\"stSidebarNav\"]').innerText.includes(s)"
    settle(page, nav, t("nav.overview", lang))


def current_company(page) -> str:
    """The company shown in the sidebar's switcher."""
    return page.locator(".st-key-sb-company input").input_value()


def go_report(page, lang: str) -> None:
    """Open the Report page from the sidebar; done when its title shows and the run is over."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name=t("nav.report", lang), exact=True).click()
    title = t("report_page.title", lang)
    settle(page, "s => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === s)", title)


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def upload(page, path) -> None:
    page.locator(f'{MAIN} [data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


def test_report_page_download_and_upload_with_diff(page, app_url, tmp_path):
    engine = Engine.load()
    open_app(page, app_url)
    load_sample(page, CHENGDU)
    go_report(page, "zh")
    no_exception(page)
    page.locator(MAIN).get_by_role("radio", name=sheet_names("zh")["gaps"], exact=True).click()
    shows_text(page, t("report_page.rows", "zh", n=29))
    shoot(page, "zh-report-preview")

    # the report is built on click, on the server's download thread, and reads back as the same answers
    with page.expect_download() as info:
        page.locator(".st-key-rp-dl-report button").click()
    download = info.value
    ev = engine.evaluate(CHENGDU.load(), clock.today())
    assert download.suggested_filename == report_filename(ev, "zh", clock.today())
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert read_xlsx(saved) == CHENGDU.load()

    # an English report of another company: the diff first, the answers only after confirming
    other = tmp_path / "guangzhou-report.xlsx"
    other.write_bytes(build_report(engine.evaluate(GUANGZHOU.load(), clock.today()), engine, "en", clock.today()))
    upload(page, other)
    shows_text(page, t("report_page.replace", "zh"))
    no_exception(page)
    assert page.locator(MAIN).get_by_text("300 万元", exact=True).count() == 0  # the grid draws on a canvas
    head = page.locator(MAIN).get_by_text("guangzhou-report.xlsx", exact=False).first
    assert "成都蓉信客服科技有限公司" in head.inner_text()
    shoot(page, "zh-report-upload-diff")
    assert current_company(page) == CHENGDU.load().company.name  # nothing changed before confirming

    page.get_by_role("button", name=t("report_page.replace", "zh")).click()
    # the diff names both companies already: wait for the sidebar's switcher, which only the replacement changes
    settle(page, "s => document.querySelector('.st-key-sb-company input')?.value === s", GUANGZHOU.load().company.name)
    no_exception(page)
    shoot(page, "zh-report-replaced")
    # the answers changed: the sidebar's company is now the imported one, the overview scores it
    assert current_company(page) == GUANGZHOU.load().company.name
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name=t("nav.overview", "zh"), exact=True).click()
    overall = fmt_score(engine.evaluate(GUANGZHOU.load(), clock.today()).assessment.overall, "zh")
    shows_text(page, f"{overall} / 100")


def test_report_page_in_english_and_a_bad_file(page, app_url, tmp_path):
    open_app(page, app_url)
    load_sample(page, CHENGDU)
    set_language(page, "en")
    go_report(page, "en")
    no_exception(page)
    shoot(page, "en-report-page")
    bad = tmp_path / "clients.xlsx"
    bad.write_text("company,registered capital\nAcme,100\n", encoding="utf-8")  # a CSV renamed to .xlsx
    upload(page, bad)
    shows_text(page, t("report_page.untouched", "en"))
    no_exception(page)
    error = page.locator(f'{MAIN} [data-testid="stAlertContentError"]').inner_text()
    assert t("error.text_file", "en") in error
    shoot(page, "en-report-upload-error")
    assert page.get_by_role("button", name=t("report_page.replace", "en")).count() == 0
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=t("nav.overview", "en"), exact=True).click()
    overall = fmt_score(Engine.load().evaluate(CHENGDU.load(), clock.today()).assessment.overall, "en")
    shows_text(page, f"{overall} / 100")  # the answers are untouched
