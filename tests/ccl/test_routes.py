"""Routes to the licence: each route is named when it applies, with what it clears and costs."""

from __future__ import annotations

import pytest

from ccl.engine import evaluation_json
from tests.conftest import START, make_profile


def sample(samples, key):
    return next(s for s in samples if s.key == key).load()


def routes(engine, profile):
    return {a.key: a for a in engine.evaluate(profile, START).alternatives}


def test_capital_short_for_cross_regional_gets_the_provincial_licence_route(engine, samples):
    profile = sample(samples, "07_shenzhen_cross_regional_capital_gap")
    alt = routes(engine, profile)["provincial_licence"]
    assert "cap.min_registered" in alt.removes
    assert alt.changes == {"company.scope": "provincial"}
    assert "95" in alt.costs["zh"] and "95" in alt.costs["en"]
    assert alt.status_after != "blocked"


def test_provincial_route_is_not_named_when_even_the_provincial_minimum_is_missed(engine, samples):
    profile = sample(samples, "07_shenzhen_cross_regional_capital_gap").with_answer("capital.paid_in_cny", None)
    profile = profile.with_answer("capital.registered_cny", 500_000)
    assert "provincial_licence" not in routes(engine, profile)


def test_provincial_route_is_not_named_with_enough_capital(engine, samples):
    profile = sample(samples, "07_shenzhen_cross_regional_capital_gap").with_answer("capital.registered_cny", 2e7)
    assert "provincial_licence" not in routes(engine, profile)


def test_a_branch_is_told_that_the_head_company_applies(engine, samples):
    alt = routes(engine, sample(samples, "08_wuhan_branch_blank"))["head_company_applies"]
    assert alt.removes == ("le.company_form",)
    assert "分公司" in alt.summary["zh"] and "designate" in alt.summary["en"]


@pytest.mark.parametrize(
    ("answers", "key", "removes"),
    [
        ({"legal_entity": {"entity_type": "non_company_enterprise"}}, "convert_to_company", ("le.company_form",)),
        ({"legal_entity": {"entity_type": "partnership"}}, "new_company", ("le.company_form",)),
        ({"legal_entity": {"on_dishonest_list": True}}, "leave_dishonest_list", ("le.not_dishonest",)),
        ({"company": {"in_free_trade_zone": True}}, "ftz_commitment", ()),
        ({"legal_entity": {"foreign_ownership_pct": 100}}, "foreign_invested", ()),
        ({"company": {"service": "offshore"}}, "offshore_b24_2", ()),
        (
            {"company": {"scope": "provincial", "number_type": "95"}},
            "provincial_number",
            ("tp.number_95_scope",),
        ),
        (
            {"technical_plan": {"outbound_marketing_planned": True}},
            "consented_outbound_only",
            ("tp.no_marketing_outbound",),
        ),
        (
            {"company": {"other_services": ["b25"]}, "legal_entity": {"foreign_ownership_pct": 80}},
            "b25_separately",
            ("le.other_service_foreign_cap",),
        ),
    ],
)
def test_every_route_applies_when_its_condition_holds(engine, answers, key, removes):
    alt = routes(engine, make_profile(**answers)).get(key)
    assert alt is not None
    assert alt.removes == removes


def test_routes_that_must_clear_something_stay_silent_otherwise(engine):
    fine = make_profile(company={"scope": "cross_regional", "number_type": "95"})
    assert "provincial_number" not in routes(engine, fine)
    assert "b25_separately" not in routes(
        engine, make_profile(company={"other_services": ["b25"]}, legal_entity={"foreign_ownership_pct": 50})
    )


def test_json_lists_alternatives_and_the_what_if_applies_one(engine, samples):
    profile = sample(samples, "07_shenzhen_cross_regional_capital_gap")
    ev = engine.evaluate(profile, START)
    out = evaluation_json(ev)
    first = out["alternatives"][0]
    assert {"key", "title", "removes", "summary"} <= set(first)
    assert first["key"] == "provincial_licence" and first["title"]["zh"]
    w = engine.what_if_route(ev, "provincial_licence")
    assert w.blockers_removed >= 1 and w.status_after != "blocked"
