"""AppTest: routes on Overview and Gaps (with the what-if), a licence holder's duties page, the .ics download."""

from __future__ import annotations

import pytest
from table_support import static_tables

from ccl import clock
from ccl.i18n import t
from tests.ui.test_app_pages import all_text, start, visit

pytestmark = pytest.mark.slow  # drives the app (AppTest)

SHENZHEN = "07_shenzhen_cross_regional_capital_gap"
SUZHOU = "09_suzhou_licence_holder"


def test_routes_are_shown_and_the_what_if_applies_one():
    at = visit(start(SHENZHEN), "overview")
    text = all_text(at)
    assert t("routes.heading", "zh") in text and "先申请省内许可证" in text
    assert t("routes.costs", "zh") + "：" in text and t("routes.costs", "zh") + ":" not in text  # full-width colon
    visit(at, "gaps")
    assert "先申请省内许可证" in all_text(at)
    at.selectbox(key="gaps:route").select("provincial_licence").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert t("gaps.whatif_licence", "zh") in labels


def test_a_licence_holder_sees_its_duties(monkeypatch):
    at = visit(start(SUZHOU, "en"), "obligations")
    text = all_text(at)
    assert at.title[0].value == t("obligations.title", "en")
    table = static_tables(at, "st-duties")[0]
    # in the order they fall due, as the workbook, the PDF brief and the command line list them
    assert list(table[t("obligations.item", "en")])[:3] == ["Renewal application", "Licence expiry", "Annual report"]
    assert t("duty.heading", "en") in text
    visit(at, "overview")
    assert t("nav.obligations", "en") in str([p.proto.label for p in at.get("page_link")])


def test_a_licence_holder_overview_leads_with_its_duties_never_a_date_to_apply_again():
    from datetime import date

    from ccl import clock

    with clock.frozen(date(2026, 12, 7)):  # the renewal deadline (2026-12-14) is a week away
        at = visit(start(SUZHOU), "overview")
        text = all_text(at)
    assert not at.metric  # no score to chase
    assert t("status.licensed", "zh") in text and t("status.ready", "zh") not in text
    assert t("overview.ready_note", "zh") not in text and t("overview.no_actions", "zh") not in text
    assert t("headline.expiry_date", "zh") in text and "2027年3月14日" in text
    assert t("headline.licence_date", "zh") not in text  # no projected licence for a holder
    assert next(e.value for e in at.error).startswith(f"**{t('status.licensed', 'zh')}**")  # red: within 30 days
    assert ":red[延续申请 · 2026年12月14日 · 临近截止]" in text
    rows = static_tables(at, "st-duties")[0]
    assert list(rows[t("obligations.item", "zh")])[:2] == ["延续申请", "许可证到期"]  # the pressing one first


def test_an_applicant_is_told_how_to_record_a_licence_and_sees_the_duties_the_licence_brings():
    from datetime import date

    from ccl.engine import Engine
    from ccl.i18n import fmt_date
    from ccl.samples import list_samples
    from tests.ui.test_app_pages import open_section

    at = visit(start(SHENZHEN), "obligations")
    assert t("obligations.none", "zh") in [i.value for i in at.info]
    # the dated duties, projected from the expected licence date: first annual report, renewal, expiry
    sample = next(s for s in list_samples() if s.key == SHENZHEN)
    licence = Engine.load().evaluate(sample.load(), clock.today()).expected.licence_date
    assert t("obligations.ahead_caption", "zh", date=fmt_date(licence, "zh")) in all_text(at)
    assert t("overview.assumes_blockers", "zh") in all_text(at)  # sample 07 is blocked: the date says so
    [rows] = static_tables(at, "st-after-licence")
    assert list(rows.iloc[:, 0]) == [
        t(f"milestone.{k}", "zh") for k in ("annual_report", "renewal_warning", "renewal_deadline", "expiry")
    ]
    assert rows.iloc[0, 1] == fmt_date(date(licence.year + 1, 3, 31), "zh") + " *"
    assert t("duty.heading", "zh") in all_text(at)
    # a company that says it holds no licence is told so, not asked to fill in the section
    at = open_section(at, "licence")
    at.segmented_control(key="q:licence.held").set_value("no").run()
    visit(at, "obligations")
    assert [i.value for i in at.info] == [t("obligations.not_held", "zh")]


def test_timeline_offers_the_compliance_calendar():
    at = visit(start(SHENZHEN), "timeline")
    buttons = at.get("download_button")
    assert any(t("ics.download", "zh") in b.proto.label for b in buttons)


def test_the_licence_section_of_the_questionnaire_records_a_licence():
    from tests.ui.test_app_pages import open_section, profile

    at = open_section(start(), "licence")
    at.segmented_control(key="q:licence.held").set_value("yes").run()
    at.number_input(key="q:licence.annual_report_last_year").set_value(2025).run()
    assert not at.exception
    lic = profile(at).licence
    assert lic.held is True and lic.annual_report_last_year == 2025
    visit(at, "obligations")
    [duties] = static_tables(at, "st-duties")
    assert duties[t("obligations.item", "zh")].iloc[0] == t("obligation.key.annual_report", "zh")


def test_an_applicant_downloads_the_plans_due_dates_from_the_timeline():
    at = visit(start("10_xian_mid_remediation"), "timeline")
    [button] = [b for b in at.get("download_button") if t("ics.download", "zh") in b.proto.label]
    assert button.proto.help == t("store_plan.ics.download_help", "zh")  # says the actions' due dates are in it


def test_a_licence_holders_materials_say_what_the_renewal_needs():
    from datetime import date

    from ccl import clock

    with clock.frozen(date(2026, 12, 7)):
        at = visit(start(SUZHOU), "materials")
    text = all_text(at)
    assert t("renewal_needs.title", "zh") in text
    assert t("renewal_needs.caption", "zh", due="2026年12月14日") in text
    assert t("renewal_needs.launched", "zh") in text
