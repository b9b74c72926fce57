"""AppTest: a tidy session — no duplicate companies, closing a company, the untouched blank goes away,
page-level messages end when they no longer apply."""

from __future__ import annotations

import pytest

from tests.ui.test_app_pages import CHENGDU, open_section, profile, start, visit
from tests.ui.test_app_report import GUANGZHOU, report_of, upload
from ui.views.portfolio import IMPORT_REPORT, ImportReport
from ui.views.report import FLASH

pytestmark = pytest.mark.slow  # drives the app (AppTest)


def companies(at) -> list[str]:
    return list(at.session_state["ui.companies"])


def test_opening_a_sample_closes_the_untouched_blank_and_a_second_open_switches():
    at = start(CHENGDU)
    assert companies(at) == [f"sample:{CHENGDU}"]
    at.selectbox(key="sb:sample").select(GUANGZHOU).run()
    at.selectbox(key="sb:sample").select(CHENGDU).run()
    assert companies(at) == [f"sample:{CHENGDU}", f"sample:{GUANGZHOU}"]
    assert at.session_state["ui.current"] == f"sample:{CHENGDU}"


def test_a_blank_company_with_an_answer_stays_open():
    at = open_section(start(), "company")
    at.text_input(key="q:company.name").input("试点公司").run()
    at.text_input(key="q:company.name").set_value("").run()  # back to empty, but it was worked on
    at.selectbox(key="sb:sample").select(CHENGDU).run()
    assert companies(at) == ["blank:1", f"sample:{CHENGDU}"]


def test_close_switches_to_the_previous_and_the_last_leaves_a_fresh_blank():
    at = start(CHENGDU)
    at.selectbox(key="sb:sample").select(GUANGZHOU).run()
    at.button(key="sb:close").click().run()  # unchanged sample: closes without asking
    assert companies(at) == [f"sample:{CHENGDU}"] and at.session_state["ui.current"] == f"sample:{CHENGDU}"
    at.button(key="sb:close").click().run()
    assert companies(at) == ["blank:2"] and profile(at).company.name is None
    assert at.button(key="sb:close").disabled  # a lone untouched blank: nothing to close


def test_closing_a_company_with_changes_asks_first():
    at = open_section(start(CHENGDU), "staffing")
    at.number_input(key="q:staffing.insured_staff").set_value(9).run()
    assert not [b for b in at.button if b.key == "sb:close"]
    at.button(key="sb:close_yes").click().run()
    assert f"sample:{CHENGDU}" not in companies(at)


def test_a_file_with_the_answers_of_an_open_company_switches_to_it(engine):
    at = visit(start(GUANGZHOU), "report")
    at.selectbox(key="sb:sample").select(CHENGDU).run()
    upload(at, "guangzhou.xlsx", report_of(engine, GUANGZHOU))
    at.button(key="rp:open_new").click().run()
    assert at.session_state["ui.current"] == f"sample:{GUANGZHOU}"
    assert len(companies(at)) == 2
    assert any("已切换到该公司" in s.value for s in at.success)


def test_page_messages_end_on_company_switch_or_page_change():
    at = visit(start(CHENGDU), "portfolio")
    at.session_state[IMPORT_REPORT] = ImportReport(saved=(), failed=())
    at.run()
    assert IMPORT_REPORT in at.session_state and at.success  # the summary is shown on its page
    at.selectbox(key="sb:sample").select(GUANGZHOU).run()
    assert IMPORT_REPORT not in at.session_state
    at.session_state[IMPORT_REPORT] = ImportReport(saved=(), failed=())
    at.session_state[FLASH] = ("report_page.opened_new", 0, {"file": "a.json", "company": "甲"})
    visit(at, "overview")
    assert IMPORT_REPORT not in at.session_state and FLASH not in at.session_state


@pytest.mark.parametrize("page", ["portfolio", "history", "gaps", "plan", "questionnaire"])
def test_a_page_run_without_the_app_frame_shows_nothing_but_the_front_door(page):
    """Streamlit serves /<page> from the pages folder on a fresh server, without app.py's sign-in gate or
    share-link check: such a run draws no data, only the link to the front door."""
    from project import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["[从首页打开 · Open from the home page](/)"]
    assert not at.dataframe and not at.metric and not at.title


def test_a_long_company_name_is_shown_whole_in_the_sidebar():
    long_name = "内蒙古自治区呼和浩特市新城区北方长城云呼叫中心服务有限责任公司"  # the company box cuts it
    at = open_section(start(), "company")
    at.text_input(key="q:company.name").input(long_name).run()
    assert long_name in [c.value for c in at.sidebar.caption]
    at.text_input(key="q:company.name").input("蓉信科技").run()  # a short one fits the box: said once
    assert "蓉信科技" not in [c.value for c in at.sidebar.caption]
