"""The assessment: verdict apart from score, every condition type, boundaries, N/A, explanations."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccl.catalog.load import Catalog, load_catalog
from ccl.catalog.objects import DIMENSIONS, Compare, Count, DateNotAfter, In
from ccl.conditions import Context, evaluate
from ccl.i18n import distance_text
from ccl.profile import Profile
from ccl.scoring import SEVERITY_ORDER, Assessment, assess, fixed_profile
from tests.conftest import make_profile, ready_profile, with_overrides


def _ctx(catalog: Catalog, profile: Profile) -> Context:
    return Context(profile, catalog, profile.company.scope, profile.company.province)


# --- condition types -------------------------------------------------------------------------------


def test_compare_with_param_gives_partial_credit_and_distance(catalog):
    cond = Compare(type="compare", field="capital.registered_cny", op=">=", param="min_registered_capital_cny")
    p = make_profile(company={"scope": "provincial"}, capital={"registered_cny": 400_000})
    r = evaluate(cond, _ctx(catalog, p))
    assert r.outcome == "fail" and r.credit == pytest.approx(0.4)
    assert r.distance.shortfall == 600_000
    assert distance_text(catalog, r.distance, "zh") == "还差 60 万元（要求不少于 100 万元）"
    assert "CNY 600,000" in distance_text(catalog, r.distance, "en")


def test_compare_against_another_answer(catalog):
    cond = Compare(type="compare", field="premises_equipment.seats", op=">=", ref_field="staffing.planned_agents")
    p = make_profile(premises_equipment={"seats": 8}, staffing={"planned_agents": 10})
    r = evaluate(cond, _ctx(catalog, p))
    assert r.outcome == "fail" and r.distance.shortfall == 2
    assert evaluate(cond, _ctx(catalog, make_profile(premises_equipment={"seats": 8}))).outcome == "unanswered"


def test_in_and_not_in(catalog):
    cond = In(type="in", field="legal_entity.entity_type", values=["llc", "joint_stock"])
    assert evaluate(cond, _ctx(catalog, make_profile(legal_entity={"entity_type": "llc"}))).outcome == "pass"
    r = evaluate(cond, _ctx(catalog, make_profile(legal_entity={"entity_type": "branch"})))
    assert r.outcome == "fail"
    assert "有限责任公司" in distance_text(catalog, r.distance, "zh")
    neg = In(type="not_in", field="legal_entity.entity_type", values=["branch"])
    assert evaluate(neg, _ctx(catalog, make_profile(legal_entity={"entity_type": "branch"}))).outcome == "fail"


def test_count_lists_missing_items(catalog):
    cond = Count(
        type="count", field="premises_equipment.platform_functions", min=4, of=["acd", "ivr", "cti", "recording"]
    )
    p = make_profile(premises_equipment={"platform_functions": ["acd", "ivr", "monitoring"]})
    r = evaluate(cond, _ctx(catalog, p))
    assert r.outcome == "fail" and r.credit == 0.5
    assert r.distance.missing == ("cti", "recording")
    assert distance_text(catalog, r.distance, "zh") == "还需 2 项：计算机电话集成（CTI）、通话录音"
    empty = make_profile(premises_equipment={"platform_functions": []})
    assert evaluate(cond, _ctx(catalog, empty)).outcome == "fail"  # answered "none" is not unanswered


def test_date_not_after_relative_to_another_answer(catalog):
    cond = DateNotAfter(
        type="date_not_after",
        field="capital.subscription_deadline",
        ref_field="legal_entity.incorporation_date",
        years=5,
    )
    founded = {"incorporation_date": "2025-01-10"}
    ok = make_profile(legal_entity=founded, capital={"subscription_deadline": "2030-01-10"})
    late = make_profile(legal_entity=founded, capital={"subscription_deadline": "2030-01-11"})
    assert evaluate(cond, _ctx(catalog, ok)).outcome == "pass"
    r = evaluate(cond, _ctx(catalog, late))
    assert r.outcome == "fail" and r.distance.shortfall == 1


# --- the verdict ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "amount", "passes"),
    [
        ("provincial", 999_999, False),
        ("provincial", 1_000_000, True),
        ("cross_regional", 9_999_999, False),
        ("cross_regional", 10_000_000, True),
        ("cross_regional", 1_000_000, False),
    ],
)
def test_capital_minimum_by_scope_at_its_boundary(catalog, scope, amount, passes):
    p = ready_profile(company={"scope": scope}, capital={"registered_cny": amount, "paid_in_cny": 0})
    a = assess(p, catalog)
    assert ("cap.min_registered" in a.blockers) is (not passes)
    assert a.eligible is passes


@pytest.mark.parametrize(
    ("entity", "eligible"),
    [
        ("llc", True),
        ("joint_stock", True),
        ("partnership", False),
        ("sole_proprietorship", False),
        ("individual_business", False),
        ("branch", False),
        ("non_company_enterprise", False),
        ("public_institution", False),
        ("other", False),
    ],
)
def test_only_companies_may_apply(catalog, entity, eligible):
    a = assess(ready_profile(legal_entity={"entity_type": entity}), catalog)
    assert a.eligible is eligible
    assert (a.status == "blocked") is (not eligible)


def test_a_blocker_is_never_averaged_away(catalog):
    a = assess(ready_profile(legal_entity={"on_dishonest_list": True}), catalog)
    assert a.overall > 90
    assert a.status == "blocked" and a.blockers == ("le.not_dishonest",)


def test_practice_problems_warn_but_never_block(catalog):
    p = ready_profile(
        legal_entity={"on_adverse_list": True, "telecom_penalty_last_3y": True},
        premises_equipment={"office_area_m2": 30, "registered_address_matches_office": False},
        capital={"paid_in_cny": 0},
    )
    a = assess(p, catalog)
    assert a.eligible is True and not a.blockers
    warned = {g.rule_id for g in a.gaps if g.severity == "warning"}
    assert {
        "le.adverse_list",
        "le.recent_penalty",
        "pe.office_area",
        "pe.address_match",
        "cap.paid_in_evidence",
    } <= warned
    assert a.overall == 100.0


def test_wholly_foreign_owned_company_is_eligible(catalog):
    a = assess(ready_profile(legal_entity={"foreign_ownership_pct": 100}), catalog)
    assert a.eligible is True
    assert any(g.rule_id == "le.foreign_authority" for g in a.gaps)  # provincial FIE: confirm the authority
    cross = ready_profile(
        legal_entity={"foreign_ownership_pct": 100},
        company={"scope": "cross_regional"},
        capital={"registered_cny": 20_000_000},
    )
    assert not any(g.rule_id == "le.foreign_authority" for g in assess(cross, catalog).gaps)


def test_unanswered_is_never_a_pass(catalog):
    a = assess(Profile(), catalog)
    assert a.eligible is None and a.status == "not_ready"
    assert a.overall == 0 and a.completion == 0
    assert not a.gaps
    assert all(r.outcome in ("unanswered", "does_not_apply") for r in a.results)


def test_unanswered_gate_keeps_eligibility_open(catalog):
    p = ready_profile().with_answer("legal_entity.on_dishonest_list", None)
    a = assess(p, catalog)
    assert a.eligible is None and a.status != "ready"
    assert "legal_entity.on_dishonest_list" in a.unanswered


def test_ready_needs_every_gate_and_no_major_gap(catalog):
    assert assess(ready_profile(), catalog).status == "ready"
    a = assess(ready_profile(premises_equipment={"trunk_contract": False}), catalog)
    assert a.status == "nearly_ready"


def test_na_only_where_a_rule_allows_it_and_with_a_reason(catalog):
    p = ready_profile(
        premises_equipment={"fire_safety_passed": None},
        not_applicable={"premises_equipment.fire_safety_passed": "物业统一办理消防验收"},
    )
    a = assess(p, catalog)
    assert a.result("pe.fire_safety").outcome == "not_applicable"
    assert "premises_equipment.fire_safety_passed" not in a.unanswered
    bad = ready_profile(capital={"registered_cny": None}, not_applicable={"capital.registered_cny": "不适用"})
    a = assess(bad, catalog)
    assert [i.code for i in a.issues] == ["na_not_allowed"]
    assert a.result("cap.min_registered").outcome == "unanswered"  # an N/A gate counts as unanswered
    assert "capital.registered_cny" in a.unanswered


def test_unknown_province_is_reported(catalog):
    a = assess(ready_profile(company={"province": "atlantis"}), catalog)
    assert a.issues[0].code == "unknown_province"


def test_scores_are_explainable(catalog, samples):
    for s in samples:
        a = assess(s.load(), catalog)
        total = sum(r.points for r in a.results)
        assert total == pytest.approx(a.overall, abs=0.1), s.key
        for d, score in a.dimensions.items():
            mine = [r for r in a.results if r.dimension == d]
            assert sum(r.points for r in mine) == pytest.approx(score.earned_points, abs=0.01)
        for g in a.gaps:
            r = a.result(g.rule_id)
            assert g.points_lost == pytest.approx(r.max_points - r.points, abs=0.01)


def _gravest(a: Assessment, dim: str) -> int:
    return min((SEVERITY_ORDER[g.severity] for g in a.gaps if g.dimension == dim), default=9)


def test_the_gravest_dimension_comes_first(catalog, samples):
    """The gap charts draw the dimensions in this order: a blocker outranks any number of points lost."""
    for s in samples:
        a = assess(s.load(), catalog)
        order = a.dimensions_worst_first
        assert sorted(order) == sorted(DIMENSIONS), s.key
        ranks = [_gravest(a, d) for d in order]
        assert ranks == sorted(ranks), s.key  # never a lesser severity before a graver one
        for x, y in itertools.pairwise(order):
            if _gravest(a, x) == _gravest(a, y) < 9:  # same gravest severity: more points lost first
                lost = [sum(g.points_lost for g in a.gaps if g.dimension == d) for d in (x, y)]
                assert lost[0] >= lost[1], (s.key, x, y)
        clean = [d for d in order if _gravest(a, d) == 9]
        assert clean == [d for d in DIMENSIONS if d in clean], s.key  # no gap: the catalog's order, last
    a = assess(next(s for s in samples if s.key.startswith("07")).load(), catalog)
    assert a.blockers and a.dimensions_worst_first[0] == a.result(a.blockers[0]).dimension


def test_next_best_actions_put_cheap_blockers_first(catalog, samples):
    a = assess(next(s for s in samples if s.key.startswith("07")).load(), catalog)
    assert a.actions[0].rule_id == "cap.min_registered" and a.actions[0].removes_blocker
    gains = [x.gain_per_day for x in a.actions]
    assert gains == sorted(gains, reverse=True)
    assert all(x.severity != "warning" for x in a.actions)


def test_fixing_a_gap_closes_it(catalog, samples):
    for s in samples:
        a = assess(s.load(), catalog)
        for g in (g for g in a.gaps if g.severity != "warning"):
            fixed = assess(fixed_profile(s.load(), catalog, [g.rule_id]), catalog)
            assert fixed.result(g.rule_id).outcome == "pass", (s.key, g.rule_id)
            assert fixed.overall >= a.overall


def test_province_override_changes_the_verdict_of_practice_rules(catalog):
    p = ready_profile(staffing={"insured_staff": 4})
    assert not any(g.rule_id == "st.insured_staff" for g in assess(p, catalog).gaps)
    local = with_overrides(catalog, "guangdong", {"min_insured_staff": 5})
    gap = next(g for g in assess(p, local).gaps if g.rule_id == "st.insured_staff")
    assert gap.distance.shortfall == 1
    assert distance_text(local, gap.distance, "zh") == "还差 1 名（要求不少于 5 名）"


# --- properties ----------------------------------------------------------------------------------

NUMERIC_UP = [
    "capital.registered_cny",
    "staffing.insured_staff",
    "staffing.insured_months",
    "premises_equipment.lease_months_remaining",
    "premises_equipment.office_area_m2",
    "premises_equipment.seats",
    "technical_plan.log_retention_months",
]
BOOL_GOOD = {
    "legal_entity.on_dishonest_list": False,
    "legal_entity.on_adverse_list": False,
    "legal_entity.business_scope_includes_telecom": True,
    "staffing.has_technical_lead": True,
    "staffing.has_service_lead": True,
    "premises_equipment.trunk_contract": True,
    "technical_plan.plan_drafted": True,
    "premises_equipment.lease_in_company_name": True,
}
SETS = {"technical_plan.sections", "technical_plan.security_measures", "premises_equipment.platform_functions"}


@st.composite
def profiles(draw):
    opt = lambda s: st.one_of(st.none(), s)  # noqa: E731
    reg = draw(opt(st.integers(0, 30_000_000)))
    return make_profile(
        company={
            "scope": draw(opt(st.sampled_from(["provincial", "cross_regional"]))),
            "province": draw(opt(st.sampled_from(["guangdong", "beijing"]))),
        },
        legal_entity={
            "entity_type": draw(opt(st.sampled_from(["llc", "partnership", "branch", "joint_stock"]))),
            **{f.split(".")[1]: draw(opt(st.booleans())) for f in BOOL_GOOD if f.startswith("legal")},
        },
        capital={"registered_cny": reg},
        staffing={
            "insured_staff": draw(opt(st.integers(0, 10))),
            "insured_months": draw(opt(st.integers(0, 6))),
            "has_technical_lead": draw(opt(st.booleans())),
            "has_service_lead": draw(opt(st.booleans())),
            "planned_agents": draw(opt(st.integers(0, 50))),
        },
        premises_equipment={
            "seats": draw(opt(st.integers(0, 60))),
            "office_type": draw(opt(st.sampled_from(["commercial", "residential", "virtual", "none"]))),
            "platform_functions": draw(opt(st.lists(st.sampled_from(["acd", "ivr", "cti", "recording"]), unique=True))),
            "lease_months_remaining": draw(opt(st.integers(0, 40))),
            "trunk_contract": draw(opt(st.booleans())),
        },
        technical_plan={
            "plan_drafted": draw(opt(st.booleans())),
            "sections": draw(opt(st.lists(st.sampled_from(["architecture", "topology", "access"]), unique=True))),
            "log_retention_months": draw(opt(st.integers(0, 12))),
        },
        materials={"business_plan": draw(opt(st.sampled_from(["ready", "in_progress", "missing"])))},
    )


def _improve(p: Profile, field: str, catalog: Catalog) -> Profile:
    value = p.get(field)
    if field in NUMERIC_UP:
        return p.with_answer(field, (value or 0) + 3 if value is not None else 0)
    if field in BOOL_GOOD:
        return p.with_answer(field, BOOL_GOOD[field])
    if field in SETS:
        options = [o.value for o in catalog.questions[field].options]
        return p.with_answer(field, sorted(set(value or ()) | {options[len(value or ()) % len(options)]}))
    if field == "materials.business_plan":
        return p.with_answer(field, "ready")
    return p.with_answer(field, "llc" if field == "legal_entity.entity_type" else "commercial")


IMPROVABLE = [
    *NUMERIC_UP,
    *BOOL_GOOD,
    *sorted(SETS),
    "materials.business_plan",
    "legal_entity.entity_type",
    "premises_equipment.office_type",
]


CATALOG = load_catalog()


@settings(max_examples=200, deadline=None)
@given(p=profiles(), field=st.sampled_from(IMPROVABLE))
def test_improving_an_answer_never_lowers_any_score(p, field):
    before = assess(p, CATALOG)
    after = assess(_improve(p, field, CATALOG), CATALOG)
    assert after.overall >= before.overall - 1e-9
    for d in before.dimensions:
        assert after.dimensions[d].score >= before.dimensions[d].score - 1e-9, d
    if p.get(field) is not None:  # answering an open question may reveal a blocker; improving never adds one
        assert len(after.blockers) <= len(before.blockers)


@settings(max_examples=200, deadline=None)
@given(p=profiles())
def test_scores_stay_between_0_and_100(p):
    a = assess(p, CATALOG)
    assert 0 <= a.overall <= 100 and 0 <= a.completion <= 100
    for d in a.dimensions.values():
        assert 0 <= d.score <= 100 and 0 <= d.completion <= 100
    if a.eligible is False:
        assert a.status == "blocked"


def test_a_failed_gate_never_shows_a_full_dimension(catalog):
    """One yuan short of the capital minimum is blocked, and neither the dimension nor the total reads 100."""
    from tests.conftest import ready_profile

    minimum = 1_000_000  # the provincial minimum (catalog.toml params.min_registered_capital_cny)
    a = assess(ready_profile(capital={"registered_cny": minimum - 1, "paid_in_cny": minimum - 1}), catalog)
    assert a.status == "blocked" and "cap.min_registered" in a.blockers
    capital = a.dimensions["capital"]
    assert capital.blockers == 1 and capital.score < 100
    assert a.overall < 100
    gate = a.result("cap.min_registered")
    assert gate.points <= gate.max_points * catalog.status.failed_gate_max_credit
