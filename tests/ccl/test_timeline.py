"""Timeline projection: order, dependencies, statutory durations, scenarios, estimates, milestones."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from ccl.calendar.workdays import WorkCalendar, YearSchedule
from ccl.engine import Engine
from ccl.scoring import assess, fixed_profile
from ccl.timeline import project
from tests.conftest import START, ready_profile


def _stage(tl, key):
    return next(s for s in tl.stages if s.key == key)


def test_ready_company_goes_straight_to_submission(engine):
    ev = engine.evaluate(ready_profile(), START)
    tl = ev.expected
    assert not [s for s in tl.stages if s.kind == "work"]
    keys = [s.key for s in tl.stages]
    assert keys == ["submission", "completeness_check", "review", "site_inspection", "issuance"]
    sub, check, review, issuance = (_stage(tl, k) for k in ("submission", "completeness_check", "review", "issuance"))
    cal = engine.calendar
    assert sub.start == START and sub.working_days == 3
    assert check.end == cal.add_workdays(sub.end, 5)
    assert review.end == cal.add_workdays(check.end, 60) and review.working_days == 60
    assert issuance.end == cal.add_workdays(review.end, 10)
    assert tl.licence_date == issuance.end and tl.acceptance_date == check.end


def test_stages_follow_each_other_without_overlap(engine, samples):
    for s in samples:
        for tl in engine.evaluate(s.load(), START).timelines.values():
            regulator = [x for x in tl.stages if x.kind == "regulator" and x.key != "site_inspection"]
            for a, b in pairwise(regulator):
                assert b.start > a.end, (s.key, a.key, b.key)
            work_end = max((x.end for x in tl.stages if x.kind == "work"), default=None)
            if work_end:
                assert tl.submission_date > work_end
            for x in tl.stages:
                assert x.start <= x.end


def test_remedies_wait_for_what_they_depend_on(engine, catalog, samples):
    for s in samples:
        tl = engine.evaluate(s.load(), START).expected
        work = {x.rule_id: x for x in tl.stages if x.kind == "work"}
        for rid, stage in work.items():
            for dep in catalog.rule_by_id[rid].after:
                if dep in work:
                    assert stage.start > work[dep].end, (s.key, rid, dep)


def test_capital_is_raised_before_the_documents_that_cite_it(engine, samples):
    chengdu = next(s for s in samples if s.key.startswith("03")).load()
    work = {x.rule_id: x for x in engine.evaluate(chengdu, START).expected.stages if x.kind == "work"}
    assert work["mat.application_form"].start > work["cap.min_registered"].end


def test_independent_remedies_run_in_parallel(engine, samples):
    chengdu = next(s for s in samples if s.key.startswith("03")).load()
    work = [x for x in engine.evaluate(chengdu, START).expected.stages if x.kind == "work"]
    first = min(x.start for x in work)
    assert first == engine.calendar.next_workday(START)
    assert len([x for x in work if x.start == first]) > 3


def test_missing_materials_make_a_correction_round_likely(engine):
    risky = ready_profile(materials={"business_plan": "in_progress"})
    ev = engine.evaluate(risky, START)
    assert ev.timelines["optimistic"].correction_rounds == 0
    assert ev.expected.correction_rounds == 1
    assert ev.timelines["pessimistic"].correction_rounds == 2
    keys = [s.key for s in ev.expected.stages]
    assert keys.index("correction_1") < keys.index("completeness_check_2") < keys.index("review")
    assert ev.expected.acceptance_date == _stage(ev.expected, "completeness_check_2").end
    clean = engine.evaluate(ready_profile(), START)
    assert clean.expected.correction_rounds == 0 and clean.timelines["pessimistic"].correction_rounds == 1


def test_scenarios_bound_the_expected_date(engine, samples):
    for s in samples:
        tls = engine.evaluate(s.load(), START).timelines
        if tls["expected"].licence_date is None:  # a legal gate unanswered: no scenario has a date
            assert {tl.licence_date for tl in tls.values()} == {None}
            continue
        assert tls["optimistic"].licence_date <= tls["expected"].licence_date <= tls["pessimistic"].licence_date


def test_optimistic_reads_60_calendar_days_and_pessimistic_adds_expert_review(engine):
    tls = engine.evaluate(ready_profile(), START).timelines
    opt = _stage(tls["optimistic"], "review")
    assert opt.day_kind == "calendar" and opt.end == opt.start + timedelta(days=59)
    expert = _stage(tls["pessimistic"], "expert_review")
    assert expert.excluded_from_clock and expert.start > _stage(tls["pessimistic"], "review").end
    assert "expert_review" not in [s.key for s in tls["expected"].stages]


def test_site_inspection_sits_inside_the_review(engine, samples):
    for s in samples:
        for tl in engine.evaluate(s.load(), START).timelines.values():
            review, visit = _stage(tl, "review"), _stage(tl, "site_inspection")
            assert review.start <= visit.start <= visit.end <= review.end


def test_licence_milestones(engine):
    tl = engine.evaluate(ready_profile(), START).expected
    lic = tl.licence_date
    assert tl.expiry_date == date(lic.year + 5, lic.month, lic.day) - timedelta(days=1)
    assert tl.renewal_deadline == tl.expiry_date - timedelta(days=90)
    reports = [m.date for m in tl.milestones if m.key == "annual_report"]
    assert reports[0] == date(lic.year + 1, 3, 31)  # the first Q1 after the licence year
    assert [d.year for d in reports] == list(range(lic.year + 1, tl.expiry_date.year + 1))
    assert next(m.date for m in tl.milestones if m.key == "renewal_warning") == tl.expiry_date - timedelta(days=120)


def test_dates_beyond_the_official_calendar_are_estimates(engine):
    tl = engine.evaluate(ready_profile(), START).expected
    check = _stage(tl, "completeness_check")
    assert check.end.year == 2026 and not check.estimate  # statutory, in a year with an official schedule
    review = _stage(tl, "review")
    assert review.end.year == 2027 and review.estimate  # 2027's schedule is not published in our data
    assert tl.estimate


def test_an_official_2027_schedule_removes_the_estimate_flag(engine):
    year = YearSchedule(
        year=2027, holidays=frozenset({date(2027, 1, 1)}), workdays=frozenset(), source="test schedule", official=True
    )
    official = Engine(engine.catalog, WorkCalendar({2027: year}))
    review = _stage(official.evaluate(ready_profile(), START).expected, "review")
    assert not review.estimate


def test_review_can_be_counted_from_receipt(engine):
    a = assess(ready_profile(), engine.catalog)
    by_acceptance = project(a, engine.catalog, engine.calendar, START, "expected", "acceptance")
    by_receipt = project(a, engine.catalog, engine.calendar, START, "expected", "receipt")
    assert _stage(by_receipt, "review").start == by_receipt.submission_date + timedelta(days=1)
    assert by_receipt.licence_date < by_acceptance.licence_date


@pytest.mark.parametrize("start", [date(2026, 9, 30), date(2026, 2, 13), date(2026, 12, 31), date(2030, 6, 1)])
def test_statutory_stages_count_prc_working_days(engine, start):
    tl = engine.evaluate(ready_profile(), start).expected
    check = _stage(tl, "completeness_check")
    assert engine.calendar.workdays_between(check.start - timedelta(days=1), check.end) == 5
    assert engine.calendar.is_workday(check.end)


def test_blocked_company_still_gets_a_projection_that_says_so(engine, samples):
    partnership = next(s for s in samples if s.key.startswith("04")).load()
    tl = engine.evaluate(partnership, START).expected
    assert tl.assumes_blockers_removed
    assert any(s.rule_id == "le.company_form" for s in tl.stages)


def test_what_if_keeps_the_review_anchor(engine):
    p = ready_profile(company={"scope": "cross_regional"}, capital={"registered_cny": 8_000_000, "paid_in_cny": 0})
    fixed = fixed_profile(p, engine.catalog, ["cap.min_registered"])
    after = {}
    for anchor in ("acceptance", "receipt"):
        w = engine.what_if(engine.evaluate(p, START, anchor), ["cap.min_registered"])
        assert w.licence_after == engine.evaluate(fixed, START, anchor).expected.licence_date
        after[anchor] = w.licence_after
    assert after["receipt"] != after["acceptance"]


def test_correction_rounds_are_numbered_as_data_and_named_from_it(engine):
    from ccl.excel.tables_timeline import stage_name

    ev = engine.evaluate(ready_profile(materials={"business_plan": "in_progress"}), START)
    pessimistic = ev.timelines["pessimistic"].stages
    rounds = [(s.stage, s.round) for s in pessimistic if s.round is not None]
    assert rounds == [("correction", 1), ("completeness_check", 2), ("correction", 2), ("completeness_check", 3)]
    assert next(s for s in pessimistic if s.stage == "completeness_check").round is None  # the first check
    second = next(s for s in pessimistic if s.stage == "correction" and s.round == 2)
    assert stage_name(second, engine.catalog, "en").endswith(" #2")
