"""The law stated precisely (December 2026 review): caps read as caps, late renewals are refused,
every credit list is asked about, routes re-score the right company, a lapsing holder is told what
follows. Each test's name states the legal expectation it checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from ccl.catalog.objects import Compare, Count, In
from ccl.conditions import Context, evaluate
from ccl.i18n import distance_text, obligation_message
from ccl.ics import calendar_ics
from ccl.obligations import obligations
from ccl.scoring import assess
from tests.conftest import make_profile, ready_profile


def _fail_text(catalog, cond, profile, lang):
    r = evaluate(cond, Context(profile, catalog, profile.company.scope, profile.company.province))
    assert r.outcome == "fail"
    return distance_text(catalog, r.distance, lang)


# --- the distance text follows the operator ----------------------------------------------------------


def test_a_b25_foreign_equity_cap_reads_as_over_the_cap_never_as_a_minimum(catalog):
    p = ready_profile(legal_entity={"foreign_ownership_pct": 60}, company={"other_services": ["b25"]})
    gap = next(g for g in assess(p, catalog).gaps if g.rule_id == "le.other_service_foreign_cap")
    zh, en = distance_text(catalog, gap.distance, "zh"), distance_text(catalog, gap.distance, "en")
    assert zh == "超出上限 10 个百分点（不得超过 50%）"
    assert en == "Over the cap by 10 percentage points (at most 50% allowed)"
    assert "不少于" not in zh and "at least" not in en


@pytest.mark.parametrize(
    ("op", "value", "zh", "en"),
    [
        (">=", 4, "还差 1 名（要求不少于 5 名）", "Short by 1 person (at least 5 people required)"),
        (">", 5, "当前为 5 名，须高于 5 名", "Currently 5 people; must be above 5 people"),
        ("<=", 7, "超出上限 2 名（不得超过 5 名）", "Over the cap by 2 people (at most 5 people allowed)"),
        ("<", 5, "当前为 5 名，须低于 5 名", "Currently 5 people; must be below 5 people"),
        ("==", 3, "当前为 3 名，须为 5 名", "Currently 3 people; must be 5 people"),
    ],
)
def test_a_numeric_threshold_names_its_good_side_for_every_operator(catalog, op, value, zh, en):
    cond = Compare(type="compare", field="staffing.insured_staff", op=op, value=5)
    p = make_profile(staffing={"insured_staff": value})
    assert _fail_text(catalog, cond, p, "zh") == zh
    assert _fail_text(catalog, cond, p, "en") == en


def test_set_membership_names_the_allowed_values_and_exclusion_names_the_forbidden_one(catalog):
    p = make_profile(legal_entity={"entity_type": "branch"})
    allowed = In(type="in", field="legal_entity.entity_type", values=["llc", "joint_stock"])
    assert (
        _fail_text(catalog, allowed, p, "zh")
        == "企业组织形式：当前为“分公司”，须为以下之一：有限责任公司、股份有限公司"
    )
    assert _fail_text(catalog, allowed, p, "en") == (
        "Legal form: currently “Branch”, must be one of: Limited liability company, Joint-stock company"
    )
    excluded = In(type="not_in", field="legal_entity.entity_type", values=["branch", "partnership"])
    assert _fail_text(catalog, excluded, p, "zh") == "企业组织形式：不得为“分公司”"
    assert _fail_text(catalog, excluded, p, "en") == "Legal form: may not be “Branch”"


def test_a_missing_item_count_still_lists_what_is_missing(catalog):
    cond = Count(
        type="count", field="premises_equipment.platform_functions", min=4, of=["acd", "ivr", "cti", "recording"]
    )
    p = make_profile(premises_equipment={"platform_functions": ["acd", "ivr", "cti"]})
    assert _fail_text(catalog, cond, p, "zh") == "还需 1 项：通话录音"


# --- a renewal applied for late is not renewed; what follows for a lapsing holder ---------------------

ISSUED, EXPIRES = date(2022, 3, 15), date(2027, 3, 14)
RENEWAL_DUE = EXPIRES - timedelta(days=90)  # 2026-12-14


def _holder(**licence):
    base = {"held": True, "issued_on": ISSUED, "expires_on": EXPIRES, "annual_report_last_year": 2025}
    return make_profile(licence=base | licence)


def _ob(obs, key):
    return next(o for o in obs if o.key == key)


def test_a_renewal_applied_for_after_the_90_day_deadline_is_not_renewed_and_the_licence_ends(catalog):
    obs = obligations(_holder(renewal_filed_on=RENEWAL_DUE + timedelta(days=1)), catalog, date(2027, 1, 5))
    renewal, expiry = _ob(obs, "renewal"), _ob(obs, "expiry")
    zh, en = obligation_message(renewal, "zh"), obligation_message(renewal, "en")
    assert "不予延续" in zh and "可能" not in zh
    assert "not renewed" in en and "may be refused" not in en
    assert expiry.detail == "ends" and expiry.status != "ok"
    assert "不予延续" in obligation_message(expiry, "zh") and "not renewed" in obligation_message(expiry, "en")


def test_a_lapsing_holder_is_told_a_fresh_application_ends_after_expiry_leaving_unlicensed_operation(catalog):
    fresh = EXPIRES + timedelta(days=75)
    obs = obligations(_holder(), catalog, RENEWAL_DUE + timedelta(days=1), fresh_licence=fresh)
    reapply = _ob(obs, "reapply")
    assert (reapply.detail, reapply.gap_days, reapply.licence) == ("gap", 75, fresh)
    assert _ob(obs, "renewal").detail == "lapses" and _ob(obs, "expiry").detail == "ends"
    assert "第六十九条" in obligation_message(reapply, "zh") and "75" in obligation_message(reapply, "zh")
    assert "Art. 69" in obligation_message(reapply, "en")
    in_time = _ob(obligations(_holder(), catalog, RENEWAL_DUE + timedelta(days=1), EXPIRES), "reapply")
    assert in_time.detail == "in_time" and in_time.gap_days == 0


def test_a_licence_that_ends_obliges_a_business_scope_change_or_deregistration_within_30_days(catalog):
    obs = obligations(_holder(), catalog, RENEWAL_DUE + timedelta(days=1))
    duty = _ob(obs, "deregister")
    assert duty.due == EXPIRES + timedelta(days=30)
    assert "第二十六条" in obligation_message(duty, "zh") and "Art. 26" in obligation_message(duty, "en")
    assert not any(o.key == "deregister" for o in obligations(_holder(), catalog, RENEWAL_DUE))  # still renewable


def test_the_engine_dates_a_lapsing_holders_gap_from_its_own_projected_timeline(engine):
    lic = {"held": True, "issued_on": ISSUED, "expires_on": EXPIRES, "annual_report_last_year": 2025}
    ev = engine.evaluate(ready_profile(licence=lic), RENEWAL_DUE + timedelta(days=1))
    assert ev.expected.licence_date is not None
    reapply = _ob(ev.obligations, "reapply")
    assert reapply.licence == ev.expected.licence_date


def test_the_calendar_of_a_licence_not_renewed_has_no_annual_report_after_it_ends(engine):
    ev = engine.evaluate(_holder(), RENEWAL_DUE + timedelta(days=1))
    cal = Calendar.from_ical(calendar_ics(ev, engine.catalog, "en"))
    days = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in cal.walk("VEVENT")}
    reports = [d for s, d in days.items() if "annual telecom report" in s.lower()]
    assert reports == [date(2027, 3, 31)]  # the report for 2026, the last full year licensed
    assert date(2027, 4, 13) in days.values()  # the 30-day registration duty
    renewable = Calendar.from_ical(calendar_ics(engine.evaluate(_holder(), RENEWAL_DUE), engine.catalog, "en"))
    assert len([e for e in renewable.walk("VEVENT") if "annual telecom report" in str(e["SUMMARY"]).lower()]) == 5


# --- le.foreign_authority: confirm the authority, never "needs cross-regional" ------------------------


def test_a_provincial_foreign_invested_company_is_asked_to_confirm_the_authority_not_to_go_cross_regional(catalog):
    p = ready_profile(legal_entity={"foreign_ownership_pct": 30}, company={"scope": "provincial"})
    gap = next(g for g in assess(p, catalog).gaps if g.rule_id == "le.foreign_authority")
    assert gap.distance.field == "legal_entity.foreign_authority_confirmed"
    for lang, cross in (("zh", "跨地区"), ("en", "ross-regional")):
        assert cross not in distance_text(catalog, gap.distance, lang)
    rule = catalog.rule_by_id["le.foreign_authority"]
    assert "不要求改为跨地区" in rule.explain.zh and "does not call for cross-regional" in rule.explain.en
    confirmed = p.with_answer("legal_entity.foreign_authority_confirmed", True)
    assert "le.foreign_authority" not in {g.rule_id for g in assess(confirmed, catalog).gaps}


# --- the other credit lists: warnings of local practice, each with its source ------------------------

CREDIT_LISTS = {
    "legal_entity.on_court_dishonest_list": ("le.court_dishonest_list", "S24"),
    "legal_entity.on_samr_serious_list": ("le.samr_serious_list", "S25"),
    "legal_entity.on_abnormal_operations_list": ("le.abnormal_operations_list", "S26"),
}


@pytest.mark.parametrize("field", CREDIT_LISTS)
def test_a_company_on_another_credit_list_is_warned_as_local_practice_but_not_blocked(catalog, field):
    rule_id, source = CREDIT_LISTS[field]
    rule = catalog.rule_by_id[rule_id]
    assert rule.kind == "warning" and rule.source.confidence == "practice" and rule.source.doc == source
    assert source in {s.id for s in catalog.sources}
    ready = assess(ready_profile(), catalog)
    listed = assess(ready_profile().with_answer(field, True), catalog)
    assert rule_id in {g.rule_id for g in listed.gaps} and rule_id not in {g.rule_id for g in ready.gaps}
    assert listed.eligible == ready.eligible and listed.blockers == ready.blockers


def test_profiles_written_before_the_credit_list_questions_load_with_those_questions_unanswered():
    from ccl.profile import SCHEMA_VERSION, Profile

    old = ready_profile().model_dump(mode="json")
    old["schema_version"] = 3  # the credit-list questions came as optional answers within schema 3
    old.pop("document_details", None)
    for field in (*CREDIT_LISTS, "legal_entity.foreign_authority_confirmed"):
        del old["legal_entity"][field.split(".", 1)[1]]
    loaded = Profile.model_validate(old)
    assert loaded.schema_version == SCHEMA_VERSION
    assert all(loaded.get(f) is None for f in CREDIT_LISTS)


def test_an_unknown_head_company_province_is_reported_and_leaves_the_companys_own_province_alone(catalog):
    p = ready_profile().with_answer("legal_entity.head_company_province", "atlantis")
    a = assess(p, catalog)
    assert [(i.field, i.code) for i in a.issues] == [("legal_entity.head_company_province", "unknown_province")]
    assert a.status == assess(ready_profile(), catalog).status


def test_the_credit_list_and_head_company_answers_survive_the_excel_questionnaire_round_trip(engine):
    from ccl.excel.template import build_template
    from tests.conftest import read_xlsx

    profile = ready_profile()
    for field in CREDIT_LISTS:
        profile = profile.with_answer(field, True)
    profile = profile.with_answer("legal_entity.foreign_authority_confirmed", False)
    profile = profile.with_answer("legal_entity.head_company_province", "shanghai")
    profile = profile.with_answer("legal_entity.head_company_registered_cny", 12_000_000.0)
    for lang in ("zh", "en"):
        assert read_xlsx(build_template(engine, lang, profile)) == profile


# --- routes re-score the right company and are not offered when they change nothing ------------------


def _route(profile, catalog, key):
    from ccl.routes import alternatives

    return next((a for a in alternatives(profile, assess(profile, catalog), catalog) if a.key == key), None)


def test_a_provincial_licence_holder_asking_to_expand_is_not_offered_the_provincial_licence_it_holds(catalog):
    expand = {"company": {"scope": "cross_regional"}, "capital": {"registered_cny": 2_000_000}}
    applicant = ready_profile(**expand)
    assert _route(applicant, catalog, "provincial_licence") is not None
    holder = ready_profile(**expand, licence={"held": True, "scope": "provincial", "issued_on": date(2024, 5, 6)})
    assert _route(holder, catalog, "provincial_licence") is None


def test_the_head_company_route_scores_the_head_company_and_asks_for_its_province_and_capital(catalog):
    from ccl.i18n import route_notes

    branch = ready_profile(legal_entity={"entity_type": "branch"}, company={"scope": "cross_regional"})
    alt = _route(branch, catalog, "head_company_applies")
    assert alt.needs == ("legal_entity.head_company_province", "legal_entity.head_company_registered_cny")
    assert alt.status_after == ""  # not re-assessed on the branch's own province and capital
    zh = " ".join(route_notes(catalog, alt, "zh"))
    assert "总公司" in zh and "总公司注册资本" in zh
    assert "head company" in " ".join(route_notes(catalog, alt, "en"))
    poor_head = branch.with_answer("legal_entity.head_company_province", "shanghai").with_answer(
        "legal_entity.head_company_registered_cny", 2_000_000.0
    )
    alt = _route(poor_head, catalog, "head_company_applies")
    assert alt.needs == () and alt.status_after == "blocked"  # CNY 2m is short of the cross-regional CNY 10m
    assert _route(ready_profile(legal_entity={"entity_type": "partnership"}), catalog, "new_company").scores["en"]
    rich_head = poor_head.with_answer("legal_entity.head_company_registered_cny", 20_000_000.0)
    assert _route(rich_head, catalog, "head_company_applies").status_after != "blocked"


# --- a paid report cites the law; agency pages only in an appendix headed as such ---------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_excel_reports_source_columns_cite_only_official_documents_and_agency_pages_sit_in_the_appendix(
    engine, lang
):
    import re
    from io import BytesIO

    from openpyxl import load_workbook

    from ccl.catalog.objects import host_allowed
    from ccl.excel.report import build_report, sheet_names
    from ccl.i18n import t

    profile = ready_profile(
        staffing={"insured_staff": 1},
        premises_equipment={"office_area_m2": 40},
        legal_entity={"shareholding_traced": False},
    )
    day = date(2026, 12, 7)
    wb = load_workbook(BytesIO(build_report(engine.evaluate(profile, day), engine, lang, day)))
    url = re.compile(r"https?://[^\s\"'）)]+")
    appendix = t("xlsx_appendix.title", lang)
    seen_appendix = False
    for ws in wb.worksheets:
        in_appendix = False
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == appendix:
                    in_appendix = seen_appendix = True
                for found in url.findall(str(cell.value or "")):
                    host = (re.match(r"https?://([^/:]+)", found).group(1)).lower()
                    assert in_appendix or host_allowed(host, engine.catalog.official_hosts), (ws.title, found)
    assert seen_appendix
    gaps = wb[sheet_names(lang)["gaps"]]
    text = "\n".join(str(c.value) for row in gaps.iter_rows() for c in row if c.value)
    assert t("source.practice_appendix", lang) in text
    assert not any(h in text for h in ("eoc.cn", "gongsibao", "icp-1.com", "9mayi", "bdocx", "pypi"))


# --- missing duties, the 2024 pilot, deferred proofs and labels --------------------------------------


def test_holders_are_told_not_to_alter_or_hide_the_calling_number_and_to_name_a_responsible_entity_per_province():
    from ccl.i18n import t
    from ccl.obligations import STANDING_DUTIES

    assert {"caller_id", "provinces", "graded_protection"} <= set(STANDING_DUTIES)
    assert "主叫号码" in t("duty.caller_id", "zh") and "反电信网络诈骗法" in t("duty.caller_id", "zh")
    assert "calling number" in t("duty.caller_id", "en")
    assert "待核实" in t("duty.provinces", "zh") and "unverified" in t("duty.provinces", "en")


def test_the_b25_cap_names_the_2024_opening_pilot_for_beijing_shanghai_lingang_hainan_and_shenzhen(catalog):
    rule = catalog.rule_by_id["le.other_service_foreign_cap"]
    assert "通信函〔2024〕107号" in rule.remedy.zh and "待核实" in rule.remedy.zh
    assert all(place in rule.remedy.en for place in ("Beijing", "Lingang", "Hainan", "Shenzhen"))
    pilot = next(s for s in catalog.sources if s.id == "S27")
    assert pilot.kind == "notice" and "107" in pilot.number.zh and not pilot.links


def test_a_proof_that_may_follow_at_issuance_adds_no_correction_round(catalog):
    from ccl.catalog.objects import Rule

    p = ready_profile(staffing={"leads_are_insured": False})
    a = assess(p, catalog)
    assert "st.leads_insured" in {g.rule_id for g in a.gaps}
    assert not a.correction_risk
    data = catalog.rule_by_id["st.leads_insured"].model_dump() | {"tags": ["correction_risk"]}
    with pytest.raises(ValueError, match="issuance"):
        Rule.model_validate(data)


def test_the_95_number_rule_is_labelled_unverified_since_the_numbering_rules_only_assign_approval_powers(catalog):
    rule = catalog.rule_by_id["tp.number_95_scope"]
    assert rule.source.confidence == "uncertain"
    assert "2006" in rule.source.note.zh and "who approves numbers" in rule.source.note.en
    route = next(r for r in catalog.routes if r.key == "provincial_number")
    assert route.source.confidence == "uncertain"


def test_the_graded_protection_duty_is_law_while_the_report_as_an_application_document_is_practice(catalog):
    rule = catalog.rule_by_id["tp.graded_protection"]
    assert rule.kind == "warning" and rule.source.confidence == "practice"
    assert "第二十一条" in rule.explain.zh and "Art. 21" in rule.explain.en and "legal duty" in rule.explain.en


def test_the_review_clock_default_from_acceptance_is_named_the_cautious_practice_reading(catalog):
    review = next(s for s in catalog.stages if s.key == "review")
    assert "收到申请" in review.note.zh and "审慎的实践读法" in review.note.zh
    assert "cautious practice reading" in review.note.en


def test_the_annual_report_opening_on_10_january_is_labelled_provincial_practice(catalog):
    ob = _ob(obligations(_holder(), catalog, date(2026, 12, 1)), "annual_report")
    assert "地方做法" in obligation_message(ob, "zh") and "local practice" in obligation_message(ob, "en")
    assert "not a national rule" in catalog.licence.annual_report_source.note.en


def test_in_force_is_always_the_day_the_cited_version_took_effect(catalog):
    for src in catalog.sources:
        if src.in_force is not None:
            assert src.issued is None or src.in_force >= src.issued, src.id
            assert src.revised is None or src.in_force >= src.revised, src.id
