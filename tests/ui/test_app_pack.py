"""AppTest: the Questionnaire's document-details section and the application pack on the Materials page."""

from __future__ import annotations

import pytest

from ccl.i18n import t
from tests.ui.test_app_pages import open_section, profile, start, visit

pytestmark = pytest.mark.slow  # drives the app (AppTest)


def test_a_document_detail_typed_in_the_questionnaire_is_kept_and_not_scored():
    at = open_section(start("10_xian_mid_remediation"), "document_details")
    body = " ".join(m.value for m in at.markdown)
    assert t("questionnaire.section_document_details", "zh") in body
    assert t("questionnaire.document_details_note", "zh") in body
    before = at.session_state["ui.companies"][at.session_state["ui.current"]]
    at.text_input(key="q:document_details.platform_vendor").input("杭州云呼科技有限公司").run()
    assert not at.exception
    assert profile(at).document_details.platform_vendor == "杭州云呼科技有限公司"
    assert profile(at).technical_plan == before.technical_plan
    picker = at.segmented_control(key="qn:section")
    assert picker.format_func("document_details").endswith("已填 1/11")  # filled in, never "open"
    assert at.text_area(key="q:document_details.network_topology") is not None  # a few sentences: a box


def test_the_materials_page_offers_the_pack():
    at = visit(start("04_beijing_partnership_blocked", "en"), "materials")
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [t("pack.download", "en")]
    assert t("pack.caption", "en") in [c.value for c in at.caption]
