"""Numbers, other services, marketing calls, and the 2020 deferral of social-insurance proof."""

from __future__ import annotations

from ccl.materials import checklist
from tests.conftest import START


def ready(samples):
    return next(s for s in samples if s.key == "01_guangzhou_ready").load()


def gaps(engine, profile):
    return {g.rule_id: g for g in engine.evaluate(profile, START).assessment.gaps}


def test_marketing_calls_are_a_major_gap_that_keeps_the_status_from_ready(engine, samples):
    profile = ready(samples).with_answer("technical_plan.outbound_marketing_planned", True)
    ev = engine.evaluate(profile, START)
    assert gaps(engine, profile)["tp.no_marketing_outbound"].severity == "major"
    assert ev.assessment.status != "ready"


def test_a_95_number_needs_a_cross_regional_licence_and_a_number_approval(engine, samples):
    provincial = ready(samples).with_answer("company.number_type", "95")
    assert gaps(engine, provincial)["tp.number_95_scope"].severity == "major"
    assert "tp.number_95_scope" not in gaps(engine, ready(samples).with_answer("company.number_type", "96"))
    tl = engine.evaluate(ready(samples).with_answer("company.number_type", "96"), START).expected
    number = next(s for s in tl.stages if s.key == "number_approval")
    assert number.start > tl.licence_date
    assert next(m.date for m in tl.milestones if m.key == "number") == number.end
    assert all(s.key != "number_approval" for s in engine.evaluate(ready(samples), START).expected.stages)


def test_b25_is_flagged_above_50_percent_foreign_while_b24_stays_eligible(engine, samples):
    profile = (
        ready(samples)
        .with_answer("legal_entity.foreign_ownership_pct", 100)
        .with_answer("company.other_services", ["b25"])
    )
    ev = engine.evaluate(profile, START)
    assert ev.assessment.eligible is True
    assert gaps(engine, profile)["le.other_service_foreign_cap"].severity == "warning"
    b23 = profile.with_answer("company.other_services", ["b23"])
    assert "le.other_service_foreign_cap" not in gaps(engine, b23)


def test_unanswered_optional_service_questions_cost_no_points(engine, samples):
    assert engine.evaluate(ready(samples), START).assessment.overall == 100.0


def test_staffing_only_gap_gets_nearly_the_same_licence_date(engine, samples):
    staffed = engine.evaluate(ready(samples), START).expected
    profile = ready(samples).with_answer("staffing.insured_staff", 0).with_answer("staffing.insured_months", 0)
    short = engine.evaluate(profile, START).expected
    assert short.submission_date == staffed.submission_date  # hiring does not hold up the application
    assert (short.licence_date - staffed.licence_date).days <= 7
    work = [s for s in short.stages if s.kind == "work"]
    assert work and all(s.needed_by == "issuance" for s in work)
    issuance = next(s for s in short.stages if s.key == "issuance")
    assert issuance.start > max(s.end for s in work)


def test_issuance_waits_for_deferred_work_that_outlasts_the_review(engine, catalog, samples):
    profile = ready(samples).with_answer("staffing.insured_staff", 0).with_answer("staffing.insured_months", 0)
    tl = engine.evaluate(profile, START).timelines["pessimistic"]
    work_end = max(s.end for s in tl.stages if s.kind == "work")
    issuance = next(s for s in tl.stages if s.key == "issuance")
    assert issuance.start > work_end and issuance.start > tl.decision_date


def test_deferral_commitment_appears_in_the_materials(engine, samples):
    profile = ready(samples).with_answer("staffing.insured_staff", 1)
    ev = engine.evaluate(profile, START)
    docs = {d.id: d for d in checklist(profile, ev.assessment, engine.catalog).documents}
    assert docs["insurance_deferral_commitment"].state == "missing"
    ev = engine.evaluate(ready(samples), START)
    docs = {d.id: d for d in checklist(ready(samples), ev.assessment, engine.catalog).documents}
    assert docs["insurance_deferral_commitment"].state == "not_needed"


def test_every_remedy_says_what_it_must_precede(catalog):
    deferred = {r.id for r in catalog.rules if r.before == "issuance"}
    assert deferred == {
        "st.insured_staff",
        "st.insured_months",
        "st.insured_by_company",
        "st.leads_insured",
        "mat.social_insurance_proof",
    }
    assert catalog.rule_by_id["le.not_dishonest"].effort_note is not None
