"""The action plan: generated from the gaps, kept in step with the answers, dated, and carried in the file."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from ccl.diff import profile_diff
from ccl.errors import ProfileError
from ccl.plan import gap_plans, plan_changes, reconcile, update_action
from ccl.profile import SCHEMA_VERSION, Evidence, EvidenceRef, PlanAction, dump_profile, parse_profile_json
from ccl.scoring import assess
from tests.conftest import START, make_profile, ready_profile


def _sample(samples, key):
    return next(s for s in samples if s.key.startswith(key)).load()


def _ids(plan):
    return [a.id for a in plan]


def test_every_gap_gets_its_actions_merged_and_split_as_the_catalog_says(engine, catalog):
    profile = ready_profile(
        capital={"registered_cny": 500_000.0, "paid_in_cny": 0.0},
        premises_equipment={"lease_in_company_name": False, "lease_months_remaining": 6},
    )
    ev = engine.evaluate(profile.with_plan(()), START)
    gaps = {g.rule_id for g in ev.assessment.gaps}
    assert {"cap.min_registered", "pe.lease_in_name", "pe.lease_term"} <= gaps
    ids = _ids(ev.profile.plan)
    # one remedy (a new lease) clears two rules: one action
    assert ids.count("lease") == 1
    lease = next(a for a in ev.profile.plan if a.id == "lease")
    assert set(lease.rule_ids) == {"pe.lease_in_name", "pe.lease_term"}
    # raising capital takes three steps, one after another
    steps = [i for i in ev.plan if i.rule_ids == ("cap.min_registered",)]
    assert [i.id for i in steps] == [
        "capital_increase.resolution",
        "capital_increase.registration",
        "capital_increase.publication",
    ]
    assert steps[1].after == ("capital_increase.resolution",) and steps[2].after == ("capital_increase.registration",)
    # every failing rule is covered by some action, and new actions are open and dated today
    covered = {r for a in ev.profile.plan for r in a.rule_ids}
    assert gaps <= covered
    assert all(a.status == "open" and a.added_on == START for a in ev.profile.plan)
    # efforts come from the catalog: the steps add up to the rule's own estimate
    rule = catalog.rule_by_id["cap.min_registered"]
    assert (sum(i.effort_days[0] for i in steps), sum(i.effort_days[1] for i in steps)) == tuple(rule.effort_days)


def test_dependencies_follow_the_catalogs_remediation_order(engine, samples):
    ev = engine.evaluate(_sample(samples, "03_"), START)
    items = {i.id: i for i in ev.plan}
    # the application form waits for the capital increase to be published (rule cap.min_registered)
    assert items["mat.application_form"].after == ("capital_increase.publication",)
    assert items["technical_plan_complete"].after == ("tp.plan_drafted",)


def test_a_closed_gap_keeps_its_action_as_done_and_a_reopened_gap_is_flagged(engine, samples):
    start = _sample(samples, "03_")
    ev = engine.evaluate(start, START)
    assert any(i.id == "le.business_scope" and i.status == "open" for i in ev.plan)
    fixed = ev.profile.with_answer("legal_entity.business_scope_includes_telecom", True)
    later = START + timedelta(days=10)
    ev2 = engine.evaluate(fixed, later)
    action = next(i for i in ev2.plan if i.id == "le.business_scope")
    assert (action.status, action.done_on, action.reopened) == ("done", later, False)
    assert len(ev2.plan) == len(ev.plan)  # nothing deleted
    # the answer goes back: the action stays done (the user decides) but is flagged
    broken = ev2.profile.with_answer("legal_entity.business_scope_includes_telecom", False)
    ev3 = engine.evaluate(broken, later + timedelta(days=1))
    action = next(i for i in ev3.plan if i.id == "le.business_scope")
    assert action.status == "done" and action.reopened and action.gap_open
    assert ev3.plan_progress.reopened == 1
    # an unanswered question is not a pass: clearing the answer never marks anything done
    cleared = ev.profile.with_answer("legal_entity.business_scope_includes_telecom", None)
    ev4 = engine.evaluate(cleared, later)
    assert next(i for i in ev4.plan if i.id == "le.business_scope").status == "open"


def test_reconcile_is_idempotent_and_keeps_what_the_user_wrote(engine, catalog, samples):
    profile = _sample(samples, "10_")
    a = assess(profile, catalog)
    once = reconcile(profile.plan, a, catalog, START)
    assert reconcile(once, a, catalog, START) == once
    mine = next(x for x in profile.plan if x.id == "pe.trunk_contract")
    assert next(x for x in once if x.id == "pe.trunk_contract") == mine


def test_a_new_gap_adds_an_action_at_the_end(engine, samples):
    ev = engine.evaluate(_sample(samples, "10_"), START)
    worse = ev.profile.with_answer("technical_plan.outbound_marketing_planned", True)
    ev2 = engine.evaluate(worse, START)
    assert _ids(ev2.profile.plan)[: len(ev.profile.plan)] == _ids(ev.profile.plan)
    assert _ids(ev2.profile.plan)[len(ev.profile.plan) :] == ["tp.no_marketing_outbound"]


def test_the_mid_remediation_sample_shows_done_overdue_and_waived_actions(engine, samples):
    ev = engine.evaluate(_sample(samples, "10_"), START)
    p = ev.plan_progress
    assert p.done >= 10 and p.overdue >= 2 and p.waived == 1 and p.unowned == 0
    overdue = {i.id for i in ev.plan if i.overdue}
    assert {"pe.trunk_contract", "pe.platform_functions"} <= overdue
    assert all(i.due < START and i.active for i in ev.plan if i.overdue)
    assert p.next_due == min(i.due for i in ev.plan if i.active and i.due and i.due >= START)
    # a waived action says why
    waived = next(i for i in ev.plan if i.status == "waived")
    assert waived.reason


def test_without_dates_the_plan_projects_the_catalogs_licence_date(engine, samples):
    for s in samples:
        profile = s.load()
        undated = profile.with_plan(tuple(a.model_copy(update={"due": None}) for a in profile.plan))
        ev = engine.evaluate(undated, START)
        if ev.plan_timeline is not None:
            assert ev.plan_timeline.licence_date == ev.expected.licence_date, s.key
            assert ev.plan_licence_shift in (0, None)


def test_due_dates_move_the_projected_licence_date(engine, samples):
    ev = engine.evaluate(_sample(samples, "03_"), START)
    base = ev.plan_timeline.licence_date
    assert base == ev.expected.licence_date
    # the capital increase is published only in six months: the licence moves later
    late = START + timedelta(days=180)
    plan = update_action(ev.profile.plan, "capital_increase.publication", START, due=late)
    ev2 = engine.evaluate(ev.profile.with_plan(plan), START)
    stage = next(s for s in ev2.plan_timeline.stages if s.action_id == "capital_increase.publication")
    assert stage.end == late and not stage.due_missed
    assert ev2.plan_timeline.licence_date > base and ev2.plan_licence_shift > 0
    assert ev2.expected.licence_date == base  # the catalog's estimate is still shown beside it
    # a due date already passed cannot hold: the action is rescheduled from today and flagged
    past = update_action(ev.profile.plan, "pe.trunk_contract", START, due=START - timedelta(days=5))
    ev3 = engine.evaluate(ev.profile.with_plan(past), START)
    stage = next(s for s in ev3.plan_timeline.stages if s.action_id == "pe.trunk_contract")
    assert stage.due_missed and stage.start >= START
    assert next(i for i in ev3.plan if i.id == "pe.trunk_contract").overdue


def test_a_waived_action_is_not_scheduled(engine, samples):
    ev = engine.evaluate(_sample(samples, "03_"), START)
    plan = update_action(ev.profile.plan, "pe.seats", START, status="waived", reason="坐席按计划分批到位")
    ev2 = engine.evaluate(ev.profile.with_plan(plan), START)
    assert not any(s.action_id == "pe.seats" for s in ev2.plan_timeline.stages)
    assert any(s.rule_id == "pe.seats" for s in ev2.expected.stages)


def test_marking_done_dates_it_and_reopening_clears_the_date(engine, samples):
    plan = engine.evaluate(_sample(samples, "03_"), START).profile.plan
    done = update_action(plan, "pe.seats", START, status="done")
    assert next(a for a in done if a.id == "pe.seats").done_on == START
    again = update_action(done, "pe.seats", START, status="open")
    assert next(a for a in again if a.id == "pe.seats").done_on is None
    with pytest.raises(ValueError):
        update_action(plan, "pe.seats", START, status="waived")  # a waiver needs a reason


def test_a_gap_shows_where_its_actions_stand(engine, samples):
    """The Gaps table and the Excel gaps sheet sum up a gap's actions: a gap split into steps is in
    progress once a step is done, is due when its last step is, and is owned by who does what is left."""
    profile = _sample(samples, "03_")
    plan = engine.evaluate(profile, START).profile.plan
    first, second, third = (f"capital_increase.{s}" for s in ("resolution", "registration", "publication"))
    plan = update_action(plan, first, START, status="done", owner="张敏", due=START + timedelta(days=5))
    plan = update_action(plan, second, START, owner="李强", due=START + timedelta(days=20))
    plan = update_action(plan, third, START, owner="李强", due=START + timedelta(days=40))
    plan = update_action(plan, "pe.seats", START, owner="王磊", due=START - timedelta(days=3))
    ev = engine.evaluate(profile.with_plan(plan), START)
    plans = gap_plans(ev.plan)

    capital = plans["cap.min_registered"]
    assert capital.actions == (first, second, third)
    assert capital.status == "in_progress"
    assert capital.owners == ("李强",)  # who does what is left, once each
    assert capital.due == START + timedelta(days=40) and not capital.overdue
    seats = plans["pe.seats"]
    assert (seats.status, seats.owners, seats.overdue) == ("open", ("王磊",), True)
    # every gap the plan covers has its line; a waived action sums up as waived, not done
    assert {g.rule_id for g in ev.assessment.gaps} <= set(plans)
    waived = update_action(plan, "pe.seats", START, status="waived", reason="座席由集团统一提供")
    after = gap_plans(engine.evaluate(profile.with_plan(waived), START).plan)["pe.seats"]
    assert (after.status, after.due, after.overdue) == ("waived", None, False)


def test_plan_changes_between_two_saves(samples):
    old = _sample(samples, "10_").plan
    new = update_action(old, "pe.trunk_contract", START, status="done")
    new = update_action(new, "st.service_lead", START, due=date(2027, 3, 1))
    new = (*new, PlanAction(id="custom.1", title="请律师审阅承诺书", due=date(2026, 12, 20)))
    ch = plan_changes(old, new, START, START)
    assert ch.done == ("pe.trunk_contract",)
    assert ch.slipped == ("st.service_lead",)
    assert ch.added == ("custom.1",)
    # an action overdue at the second save and not at the first has slipped too
    early = date(2026, 11, 1)
    ch2 = plan_changes(old, old, early, START)
    assert "pe.trunk_contract" in ch2.slipped and "pe.seats" not in ch2.slipped


def test_plan_and_evidence_changes_are_in_the_same_diff_as_answers(samples):
    old = _sample(samples, "10_")
    plan = update_action(old.plan, "pe.trunk_contract", START, status="done", owner="周强")
    new = old.with_answer("premises_equipment.trunk_contract", True).with_plan(plan)
    new = new.with_evidence(
        "premises_equipment.trunk_contract",
        Evidence(refs=(EvidenceRef(name="中继线路合同", location="共享盘/合同", date=date(2026, 11, 28)),)),
    )
    fields = [c.field for c in profile_diff(old, new)]
    assert fields[0] == "premises_equipment.trunk_contract"
    assert "evidence.premises_equipment.trunk_contract" in fields
    assert {"plan.pe.trunk_contract.status", "plan.pe.trunk_contract.owner"} <= set(fields)


def test_a_version_2_file_loads_with_an_empty_plan_and_a_version_3_file_round_trips(samples):
    old = json.dumps({"schema_version": 2, "capital": {"registered_cny": 500000}})
    p = parse_profile_json(old)
    assert p.schema_version == SCHEMA_VERSION and p.plan == () and p.evidence == {}
    full = _sample(samples, "10_")
    assert parse_profile_json(dump_profile(full)) == full
    assert full.evidence and any(a.owner for a in full.plan)


@pytest.mark.parametrize(
    ("plan", "field", "code"),
    [
        ([{"id": "pe.seats", "status": "waived"}], "plan.0.reason", "waived_no_reason"),
        ([{"id": "pe.seats"}, {"id": "pe.seats"}], "plan.1.id", "duplicate_action"),
        ([{"id": "pe.seats", "due": "2026-13-01"}], "plan.0.due", "not_date"),
        ([{"id": "pe.seats", "status": "finished"}], "plan.0.status", "unknown_option"),
        ([{"id": "pe.seats", "effort_days": [9, 3]}], "plan.0.effort_days", "invalid"),
        ([{"id": "custom.1"}], "plan.0.title", "missing"),
        ([{"id": "Robert'); DROP TABLE"}], "plan.0.id", "invalid"),
    ],
)
def test_a_bad_plan_names_the_action_and_the_field(plan, field, code):
    with pytest.raises(ProfileError) as err:
        parse_profile_json(json.dumps({"schema_version": 3, "plan": plan}))
    assert (err.value.problems[0].field, err.value.problems[0].code.value) == (field, code)


def test_every_problem_of_a_plan_is_reported_at_once():
    plan = [{"id": "pe.seats", "status": "waived"}, {"id": "pe.lease", "due": "soon"}]
    evidence = {"capital.registered_cny": {"refs": [{"location": "drawer"}]}}
    with pytest.raises(ProfileError) as err:
        parse_profile_json(json.dumps({"schema_version": 3, "plan": plan, "evidence": evidence}))
    fields = {p.field for p in err.value.problems}
    assert {"plan.0.reason", "plan.1.due", "evidence.capital.registered_cny.refs.0.name"} <= fields


def test_evidence_for_an_unknown_question_is_refused():
    with pytest.raises(ProfileError) as err:
        parse_profile_json(json.dumps({"schema_version": 3, "evidence": {"capital.nothing": {"note": "x"}}}))
    assert err.value.problems[0].code.value == "unknown_field"


def test_a_licence_holder_gets_no_generated_plan(engine, samples):
    ev = engine.evaluate(_sample(samples, "09_"), START)
    assert ev.plan == () and ev.plan_timeline is None


def test_a_blank_profile_plans_only_what_it_knows_fails(engine):
    ev = engine.evaluate(make_profile(), START)
    assert ev.plan == ()
