"""AppTest: the verdict says why a company is not ready, and there is no licence date the answers cannot support."""

from __future__ import annotations

import pytest

from ccl.i18n import t
from tests.ui.test_app_pages import all_text, open_section, profile, start, visit

pytestmark = pytest.mark.slow  # drives the app (AppTest)

DALIAN = "06_dalian_offshore"


def test_a_new_company_is_welcomed_and_asked_the_legal_conditions_before_any_verdict():
    at = visit(start(), "overview")
    text = all_text(at)
    assert t("start.welcome", "zh") in text
    # an empty form: no score, no verdict, no "below the line", no date
    assert not at.metric and "就绪线" not in text and "尚未就绪" not in text and "2027年" not in text
    at.button(key="start:begin").click().run()
    questions = [w.label for w in (*at.segmented_control, *at.number_input) if w.key.startswith("q:")]
    assert len(questions) == 7 and all(q.endswith(("？", "（万元）")) for q in questions), questions
    at.segmented_control(key="q:legal_entity.entity_type").set_value("llc").run()
    at.button(key="start:skip").click().run()  # six still open: the Overview says so once
    text = all_text(at)
    assert t("licence.pending", "zh") in text  # the headline's licence date card
    assert "2027年" not in text, "no projected date anywhere on the page"
    assert text.count("法定条件待回答") == 1 and "6 项法定条件待回答" in text
    at.button(key="verdict:goto:premises_equipment.platform").click().run()
    assert not at.exception
    assert at.session_state["ui.section"] == "premises_equipment"


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
