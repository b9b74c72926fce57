"""The law stated precisely (December 2026 review): caps read as caps, late renewals are refused,
every credit list is asked about, routes re-score the right company, a lapsing holder is told what
follows. Each test's name states the legal expectation it checks."""

from __future__ import annotations

import pytest

from ccl.catalog import Compare, Count, In
from ccl.conditions import Context, evaluate
from ccl.i18n import distance_text
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
