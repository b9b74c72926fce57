"""AppTest of the dashboard: every page in both languages with every sample, and what users rely on.

Answers live in the session's Profile: they must survive page switches, language switches and
company switches; an invalid answer shows a message in the user's language and loses nothing.
"""

from __future__ import annotations

import ast
import re
from datetime import date

import pytest
from project import ROOT
from streamlit.testing.v1 import AppTest
from table_support import static_tables

from ccl import clock
from ccl.engine import Engine
from ccl.i18n import status_label, strings, t
from ccl.samples import list_samples
from ui import nav
from ui.widgets import NA, to_widget

APP = str(ROOT / "app.py")
SAMPLES = list_samples()
PAGES = [spec.key for spec in nav.PAGES]
CORE = ("overview", "questionnaire", "gaps", "timeline", "materials", "rules")
CHENGDU = "03_chengdu_startup_undercapitalised"  # capital 50 万元 short of the provincial minimum
XIAN = "10_xian_mid_remediation"  # mid-remediation: answers of every kind, a date box among them
RAW_KEY = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")  # a locale key shown instead of its text


def start(sample: str | None = None, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    if sample:
        at.selectbox(key="sb:sample").select(sample).run()
    if lang != "zh":
        at.segmented_control(key="sb:lang").set_value(lang).run()
    return at


def visit(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def profile(at: AppTest):
    return at.session_state["ui.companies"][at.session_state["ui.current"]]


def metric(at: AppTest, label_key: str, lang: str = "zh") -> str:
    label = t(label_key, lang)
    return next(m.value for m in at.metric if m.label == label)


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def all_text(at: AppTest) -> str:
    parts = [
        str(getattr(el, "value", ""))
        for kind in ("markdown", "caption", "title", "subheader", "info", "success", "warning", "error")
        for el in getattr(at, kind)
    ]
    return "\n".join(parts)


# --- every page, every sample, both languages ------------------------------------------------------


def test_core_pages_are_registered():
    assert set(CORE) <= set(PAGES)


@pytest.mark.slow  # drives the app (AppTest)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("sample", [s.key for s in SAMPLES])
def test_every_page_renders(sample, lang):
    """One walk per sample and language: every page, with the Report and Plan pages' own checks on the way
    (booting the app once per sample, not three times)."""
    at = start(sample, lang)
    name = profile(at).company.name
    for page in PAGES:  # every registered page, including those of later issues
        visit(at, page)
        raw = [line for line in all_text(at).splitlines() if RAW_KEY.fullmatch(line.strip())]
        assert not raw, f"{page}: untranslated keys {raw}"
        assert not [w.label for w in at.sidebar.selectbox if RAW_KEY.fullmatch(w.label)]
        if page in CORE:
            assert at.title[0].value == t(f"{page}.title", lang)
            assert name in at.caption[0].value, f"{page}: company not named"
        if page in PAGE_CHECKS:
            PAGE_CHECKS[page](at, lang)
    ev_status = status_label(_status(at), lang)
    visit(at, "overview")
    assert ev_status in all_text(at)


def _report_page(at: AppTest, lang: str) -> None:
    """The report page: its four downloads, an upload box, and every preview sheet in the page's language."""
    from ccl.excel.report import SHEETS, sheet_names

    assert at.title[0].value == t("report_page.title", lang)
    keys = {b.proto.id.rsplit("-", 1)[1] for b in at.download_button}
    assert {"rp:dl:report", "rp:dl:brief", "rp:dl:template", "rp:dl:prefilled", "rp:dl:json"} <= keys
    assert len(at.file_uploader) == 1
    for sheet in SHEETS:  # every sheet of the preview, in the page's language
        at.segmented_control(key="rp:sheet").set_value(sheet).run()
        assert not at.exception
        assert static_tables(at, "st-report-preview") or at.info, f"{sheet}: neither a table nor a reason"
    text = all_text(at)
    assert "report_page." not in text and "xlsx_" not in text, text[:300]
    assert sheet_names(lang)["rules"] in text  # the preview note lists the sheets by name


def _plan_page(at: AppTest, lang: str) -> None:
    """The plan page: every action once with a known status, one Gantt, the done count; a holder has no plan."""
    from ccl.i18n import plan_status_label

    ev = Engine.load().evaluate(profile(at), at.session_state["ui.start_date"])
    assert at.title[0].value == t("plan.title", lang)
    kinds = ("markdown", "caption", "info", "success", "warning", "error", "subheader")
    shown = "\n".join(str(el.value) for kind in kinds for el in getattr(at, kind))
    assert not [line for line in shown.splitlines() if RAW_KEY.fullmatch(line.strip())]
    if ev.holder:
        assert t("plan_ui.holder", lang) in shown and not at.data_editor
        return
    if not ev.plan:
        assert not at.data_editor and not at.get("plotly_chart")
        return
    assert len(at.data_editor) == 1
    rows = at.data_editor[0].value
    assert set(rows.index) == {i.id for i in ev.plan}  # every action, once
    assert set(rows["status"]) <= {plan_status_label(s, lang) for s in ("open", "in_progress", "done", "waived")}
    assert len(at.get("plotly_chart")) == 1
    done = next(m.value for m in at.metric if m.label == t("plan_ui.metric_done", lang))
    assert done == f"{ev.plan_progress.done} / {ev.plan_progress.total}"


PAGE_CHECKS = {"report": _report_page, "plan": _plan_page}


def _status(at: AppTest) -> str:
    from ccl.engine import Engine

    return Engine.load().evaluate(profile(at), clock.today()).headline.verdict  # the headline's verdict


@pytest.mark.slow  # drives the app (AppTest)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_key_elements_per_page(lang):
    at = start(CHENGDU, lang)
    visit(at, "overview")
    assert len(at.error) == 1 and status_label("blocked", lang) in at.error[0].value  # the verdict callout
    assert metric(at, "overview.overall", lang) == "59.3 / 100"
    assert charts(at) == 2
    visit(at, "gaps")
    assert charts(at) == 2 and len(static_tables(at, "st-gaps-table")) == 1
    assert len(static_tables(at, "st-gaps-table")[0]) == 29
    visit(at, "timeline")
    assert charts(at) == 1
    assert at.warning, "the timeline must say it assumes the blockers are removed"
    visit(at, "materials")
    assert len(static_tables(at, "ccl-table-wrap")) == 2  # the documents, and those the 2020 reform removed
    visit(at, "rules")
    assert len(static_tables(at, "st-rules-table")[0]) == len(Engine.load().catalog.rules)


@pytest.mark.slow  # drives the app (AppTest)
def test_blank_company_says_why_instead_of_empty_charts():
    at = start()
    visit(at, "questionnaire")
    at.segmented_control(key="q:company.in_free_trade_zone").set_value("no").run()  # optional: nothing to chart
    visit(at, "overview")
    assert charts(at) == 0
    assert [i.value for i in at.info].count(t("overview.no_answers", "zh")) == 1  # said once, not per chart
    visit(at, "gaps")
    assert charts(at) == 0 and not at.success and at.info  # no green "all clear" with nothing answered


# --- answers ---------------------------------------------------------------------------------------


def open_section(at: AppTest, section: str) -> AppTest:
    visit(at, "questionnaire")
    at.segmented_control(key="qn:section").set_value(section).run()
    assert not at.exception
    return at


@pytest.mark.slow  # drives the app (AppTest)
def test_changing_an_answer_changes_the_score_shown():
    at = open_section(start(CHENGDU), "capital")
    assert metric(at, "overview.overall") == "59.3 / 100"
    at.number_input(key="q:capital.registered_cny").set_value(200.0).run()  # 200 万元
    assert profile(at).capital.registered_cny == 2_000_000
    assert metric(at, "overview.overall") == "69.3 / 100"
    assert any("**100** / 100" in m.value for m in at.markdown)  # the capital section's own score
    visit(at, "overview")
    assert metric(at, "overview.overall") == "69.3 / 100"


@pytest.mark.slow  # drives the app (AppTest)
def test_answers_survive_page_switches():
    at = open_section(start(CHENGDU), "staffing")
    at.number_input(key="q:staffing.insured_staff").set_value(7).run()
    for page in PAGES:
        visit(at, page)
    at = open_section(at, "staffing")
    assert at.number_input(key="q:staffing.insured_staff").value == 7
    assert profile(at).staffing.insured_staff == 7


@pytest.mark.slow  # drives the app (AppTest)
def test_money_is_entered_in_wan_in_chinese_and_cny_in_english():
    at = open_section(start(), "capital")
    at.number_input(key="q:capital.registered_cny").set_value(150.0).run()
    assert profile(at).capital.registered_cny == 1_500_000
    assert "万元" in at.number_input(key="q:capital.registered_cny").label
    at.segmented_control(key="sb:lang").set_value("en").run()
    assert at.number_input(key="q:capital.registered_cny").value == 1_500_000
    assert "CNY" in at.number_input(key="q:capital.registered_cny").label
    at.number_input(key="q:capital.registered_cny").set_value(3_000_000.0).run()
    at.segmented_control(key="sb:lang").set_value("zh").run()
    assert at.number_input(key="q:capital.registered_cny").value == 300


@pytest.mark.slow  # drives the app (AppTest)
def test_invalid_answer_shows_message_and_keeps_previous_profile():
    at = open_section(start(CHENGDU), "capital")
    before = profile(at)
    at.number_input(key="q:capital.paid_in_cny").set_value(500.0).run()  # more than registered 50 万元
    assert not at.exception
    assert [e.value for e in at.error] == [t("error.paid_in_exceeds", "zh")]
    assert profile(at) == before
    assert at.number_input(key="q:capital.paid_in_cny").value == 500  # what the user typed stays visible
    at.segmented_control(key="sb:lang").set_value("en").run()
    at.segmented_control(key="sb:lang").set_value("zh").run()
    at.number_input(key="q:capital.registered_cny").set_value(600.0).run()
    assert not at.error  # the rejected paid-in fits now and is taken over
    assert profile(at).capital.paid_in_cny == 5_000_000


@pytest.mark.slow  # drives the app (AppTest)
def test_not_applicable_needs_a_reason():
    at = open_section(start(CHENGDU), "premises_equipment")
    key = "q:premises_equipment.fire_safety_passed"
    assert at.segmented_control(key=key).options == [
        t("common.yes", "zh"),
        t("common.no", "zh"),
        t("common.not_applicable", "zh"),
    ]
    at.segmented_control(key=key).set_value("na").run()
    assert t("questionnaire.na_needs_reason", "zh") in [w.value for w in at.warning]
    assert "premises_equipment.fire_safety_passed" not in profile(at).not_applicable
    at.text_input(key="na:premises_equipment.fire_safety_passed").input("整栋楼已通过消防验收").run()
    assert profile(at).not_applicable == {"premises_equipment.fire_safety_passed": "整栋楼已通过消防验收"}
    assert not [w for w in at.warning if w.value == t("questionnaire.na_needs_reason", "zh")]
    visit(at, "overview")
    at = open_section(at, "premises_equipment")
    assert at.segmented_control(key=key).value == "na"
    at.segmented_control(key=key).set_value("yes").run()
    assert profile(at).premises_equipment.fire_safety_passed is True
    assert not profile(at).not_applicable


@pytest.mark.slow  # drives the app (AppTest)
def test_na_is_offered_only_where_the_catalog_allows_it():
    at = open_section(start(CHENGDU), "legal_entity")
    options = at.segmented_control(key="q:legal_entity.on_dishonest_list").options
    assert options == [t("common.yes", "zh"), t("common.no", "zh")]


@pytest.mark.slow  # drives the app (AppTest)
def test_multiple_choice_has_an_explicit_none():
    at = open_section(start(), "premises_equipment")
    field = "premises_equipment.platform_functions"
    assert profile(at).get(field) is None
    at.checkbox(key=f"none:{field}").check().run()
    assert profile(at).get(field) == frozenset()
    at.checkbox(key=f"none:{field}").uncheck().run()
    at.pills(key=f"q:{field}").select("acd").select("ivr").run()
    assert profile(at).get(field) == {"acd", "ivr"}


@pytest.mark.slow  # drives the app (AppTest)
def test_unanswered_is_a_real_state():
    at = open_section(start(), "legal_entity")
    assert at.selectbox(key="q:legal_entity.entity_type").value is None
    assert at.segmented_control(key="q:legal_entity.on_dishonest_list").value is None
    assert at.date_input(key="q:legal_entity.incorporation_date").value is None


# --- sidebar ---------------------------------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
def test_several_companies_keep_their_own_answers():
    at = open_section(start(CHENGDU), "staffing")
    at.number_input(key="q:staffing.insured_staff").set_value(9).run()
    at.selectbox(key="sb:sample").select("01_guangzhou_ready").run()
    assert at.session_state["ui.current"] == "sample:01_guangzhou_ready"
    assert len(at.selectbox(key="sb:company").options) == 2  # Chengdu, Guangzhou (the untouched blank closed)
    at.selectbox(key="sb:company").select(f"sample:{CHENGDU}").run()
    assert profile(at).staffing.insured_staff == 9


@pytest.mark.slow  # drives the app (AppTest)
def test_new_blank_company_and_reset_with_confirmation():
    at = open_section(start(CHENGDU), "staffing")
    at.number_input(key="q:staffing.insured_staff").set_value(9).run()
    at.button(key="sb:reset_yes").click().run()
    original = next(s for s in SAMPLES if s.key == CHENGDU).load()
    assert profile(at).staffing.insured_staff == original.staffing.insured_staff
    at.button(key="sb:new").click().run()
    assert at.session_state["ui.current"] == "blank:2"
    assert profile(at).company.name is None


@pytest.mark.slow  # drives the app (AppTest)
def test_province_in_sidebar_updates_the_profile():
    at = start()
    at.selectbox(key="sb:province").select("guangdong").run()
    assert profile(at).company.province == "guangdong"
    at = open_section(at, "company")
    assert at.selectbox(key="q:company.province").value == "guangdong"


@pytest.mark.slow  # drives the app (AppTest)
def test_language_switch_translates_and_keeps_answers():
    at = start(CHENGDU)
    visit(at, "gaps")
    at.segmented_control(key="sb:lang").set_value("en").run()
    assert at.title[0].value == "Gap analysis"
    assert profile(at) == next(s for s in SAMPLES if s.key == CHENGDU).load()


QUESTION_WIDGETS = (
    "segmented_control",
    "selectbox",
    "multiselect",
    "number_input",
    "checkbox",
    "date_input",
    "text_input",
)


def question_widgets(at: AppTest) -> dict[str, object]:
    return {str(w.key): w for kind in QUESTION_WIDGETS for w in getattr(at, kind) if str(w.key).startswith("q:")}


def shown_value(field: str, prof, lang: str) -> object:
    """What the question's widget must show for the profile's answer."""
    q = Engine.load().catalog.questions[field]
    return NA if q.input == "bool" and field in prof.not_applicable else to_widget(q, prof.get(field), lang)


@pytest.mark.slow  # drives the app (AppTest)
def test_an_answer_resends_no_question_and_a_language_switch_shows_every_answer_again():
    """A widget whose message carries a value (``set_value``) is drawn anew by the browser: an answer must
    not send the section's questions again (README, "Answer → rerun in the browser"). A choice travels as
    its label, so after a language switch every widget must still show the model's value."""
    at = open_section(start(XIAN), "premises_equipment")
    widgets = question_widgets(at)
    assert len(widgets) >= 10
    field = next(k[2:] for k, w in widgets.items() if w.value in ("yes", "no") and type(w).__name__ == "ButtonGroup")
    answer = "no" if widgets[f"q:{field}"].value == "yes" else "yes"
    at.segmented_control(key=f"q:{field}").set_value(answer).run()
    assert profile(at).get(field) is (answer == "yes")
    assert [k for k, w in question_widgets(at).items() if w.proto.set_value] == []
    assert not at.segmented_control(key="qn:section").proto.set_value, "the section's new mark is a label change only"

    for section in ("premises_equipment", "legal_entity"):  # choices; a date box, whose format follows the language
        at = open_section(at, section)
        for lang in ("en", "zh"):
            at.segmented_control(key="sb:lang").set_value(lang).run()
            prof = profile(at)
            shown = {k: w.value for k, w in question_widgets(at).items()}
            assert shown == {k: shown_value(k[2:], prof, lang) for k in shown}, (section, lang)
            assert at.selectbox(key="sb:company").value == at.session_state["ui.current"]
            assert at.selectbox(key="sb:province").value == prof.company.province
            assert at.segmented_control(key="qn:section").value == section
    assert any(isinstance(v, date) for v in shown.values())


@pytest.mark.slow  # drives the app (AppTest)
def test_the_company_switcher_keeps_showing_a_renamed_company():
    """Renaming changes the switcher's label, and the name is asked for in the questionnaire, whose answer
    then asks for a whole run: in neither run may the switcher fall back to the first company."""
    at = start(CHENGDU)
    at.button(key="sb:new").click().run()  # the second company, not the switcher's first
    at = open_section(at, "company")
    at.text_input(key="q:company.name").input("西安新名客服有限公司").run()
    for _ in range(2):
        assert at.session_state["ui.current"] == "blank:2"
        assert at.selectbox(key="sb:company").value == "blank:2"
        at.run()


# --- gaps and timeline ----------------------------------------------------------------------------


@pytest.mark.slow  # drives the app (AppTest)
def test_what_if_shows_score_and_date_gain():
    at = visit(start(CHENGDU), "gaps")
    at.pills(key="gaps:whatif").select("cap.min_registered").run()
    value = metric(at, "gaps.whatif_score")
    assert value == "69.3 / 100"
    whatif = t("gaps.whatif_blockers", "zh", n=1)
    verdict = next(m.value for m in at.markdown if "-badge[" in m.value and whatif in m.value)
    assert status_label("blocked", "zh") in verdict  # the missing technical plan still blocks
    assert t("gaps.whatif_blockers", "zh", n=1) in verdict


@pytest.mark.slow  # drives the app (AppTest)
def test_gap_filters_narrow_the_table():
    at = visit(start(CHENGDU), "gaps")
    at.pills(key="gaps:severity").set_value(["blocker"]).run()
    assert len(static_tables(at, "st-gaps-table")[0]) == 2


@pytest.mark.slow  # drives the app (AppTest)
def test_timeline_scenarios_and_start_date_move_the_dates():
    at = visit(start(CHENGDU), "timeline")
    expected = [m.value for m in at.markdown if m.value.startswith("##### ")]
    at.segmented_control(key="tl:scenario").set_value("pessimistic").run()
    pessimistic = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert expected != pessimistic
    at.date_input(key="tl:start").set_value(date(2027, 3, 1)).run()
    assert at.session_state["ui.start_date"] == date(2027, 3, 1)
    visit(at, "overview")
    visit(at, "timeline")
    assert at.date_input(key="tl:start").value == date(2027, 3, 1)
    assert at.segmented_control(key="tl:scenario").value == "pessimistic"


@pytest.mark.slow  # drives the app (AppTest)
def test_inspection_caption_names_the_issuing_authority_for_the_scope():
    at = visit(start("02_shanghai_foreign_nearly_ready"), "materials")  # cross-regional
    assert "审查期间，发证机关工业和信息化部可派两名以上工作人员" in all_text(at)
    at.selectbox(key="sb:sample").select("01_guangzhou_ready").run()  # provincial
    assert "发证机关所在省通信管理局可派两名以上工作人员" in all_text(visit(at, "materials"))


@pytest.mark.slow  # drives the app (AppTest)
def test_rules_search():
    at = visit(start(), "rules")
    at.text_input(key="rules:search").input("cap.").run()
    assert set(static_tables(at, "st-rules-table")[0][t("rules.col_id", "zh")]) == {
        "cap.min_registered",
        "cap.subscription_5y",
        "cap.subscription_2032",
        "cap.paid_in_evidence",
    }


# --- strings and structure -------------------------------------------------------------------------


def _ui_keys() -> set[str]:
    keys = set()
    for path in [*ROOT.glob("ui/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("tr", "t", "tr_n")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_ui_string_exists_in_both_languages():
    keys = _ui_keys()
    assert len(keys) > 100
    for lang in ("zh", "en"):
        missing = sorted(k for k in keys if k not in strings(lang))
        assert not missing, f"{lang}: {missing}"


def test_ui_locales_define_the_same_keys():
    import tomllib

    def flat(d, prefix=""):
        return {
            k2 for k, v in d.items() for k2 in (flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}"})
        }

    zh = flat(tomllib.loads((ROOT / "data/locales/zh/ui.toml").read_text(encoding="utf-8")))
    en = flat(tomllib.loads((ROOT / "data/locales/en/ui.toml").read_text(encoding="utf-8")))
    assert zh == en
    for page in ("report", "history", "portfolio"):
        assert f"nav.{page}" in zh


def test_every_page_file_is_in_the_navigation_and_every_entry_has_its_file():
    assert sorted(p.stem for p in (ROOT / "pages").glob("*.py")) == sorted(spec.key for spec in nav.PAGES)
    assert all(spec.path.is_file() for spec in nav.PAGES)


def test_pages_stay_thin():
    for path in ROOT.glob("pages/*.py"):
        if path.stem in CORE:
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 100, path.name
