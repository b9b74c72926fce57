"""AppTest: the verdict says why a company is not ready, and there is no licence date the answers cannot support."""

from __future__ import annotations

import pytest

from ccl.i18n import t
from tests.ui.test_app_pages import all_text, open_section, profile, start, visit

pytestmark = pytest.mark.slow  # drives the app (AppTest)

DALIAN = "06_dalian_offshore"


def test_blank_company_shows_no_licence_date_but_the_questions_it_needs():
    at = visit(start(), "overview")
    text = all_text(at)
    assert t("licence.pending", "zh") in text  # the headline's licence date card
    assert "2027年" not in text, "no projected date anywhere on the page"
    assert "须先回答：" in text and "“企业组织形式”" in text
    at.button(key="verdict:goto:legal_entity.entity_type").click().run()
    assert not at.exception
    assert at.session_state["ui.section"] == "legal_entity"


def test_nearly_ready_names_the_major_gaps_that_hold_it_back():
    at = visit(start(DALIAN), "overview")
    callout = "\n".join(i.value for i in at.info)
    assert "基本就绪" in callout and "为什么还不是“已就绪”" in callout
    assert "主要差距：" in callout and "没有主要差距" in callout
    at = visit(start(DALIAN, "en"), "overview")
    callout = "\n".join(i.value for i in at.info)
    assert "Major gap: " in callout and "Nearly ready" in callout


def test_questionnaire_marks_open_gates_and_the_scope_dependency():
    at = open_section(start(), "capital")
    text = all_text(at)
    assert "法定条件待回答" in text
    assert "注册资本的达标判断取决于“经营覆盖范围”，请先回答该问题。" in [i.value for i in at.info]
    label = at.number_input(key="q:capital.registered_cny").label
    assert "法定条件，待回答" in label
    at.button(key="qn:dep:company.scope").click().run()
    assert at.session_state["ui.section"] == "company"
    assert profile(at).company.scope is None


def test_timeline_without_gates_answered_lists_the_questions():
    at = visit(start(), "timeline")
    assert any("须先回答" in w.value for w in at.warning)
    assert not at.exception
