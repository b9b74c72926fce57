"""The headline: one rule for the licence date, and a holder's next deadline around its dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ccl.engine import evaluation_json
from ccl.headline import reason_text
from ccl.plan import update_action
from ccl.records import dumps_json
from tests.conftest import ready_profile

ISSUED = date(2022, 3, 15)
EXPIRES = date(2027, 3, 14)
RENEWAL_DUE = EXPIRES - timedelta(days=90)  # 2026-12-14
DAY = date(2026, 12, 7)


def sample(samples, prefix):
    return next(s for s in samples if s.key.startswith(prefix)).load(DAY)


def holder(**licence):
    base = {"held": True, "issued_on": ISSUED, "expires_on": EXPIRES, "annual_report_last_year": 2025}
    return ready_profile(licence=base | licence)


def test_sample_09_is_a_holder_whose_next_deadline_is_its_renewal(engine, samples):
    ev = engine.evaluate(sample(samples, "09"), DAY)
    head = ev.headline
    assert head.mode == "holder" and head.verdict == "licensed"
    renewal = next(o for o in ev.obligations if o.key == "renewal")
    assert head.next_deadline.key == "renewal"
    assert head.next_deadline.due == renewal.due == date(2026, 12, 14)
    assert head.next_deadline.status == renewal.status == "due_soon"
    assert head.urgent
    # a holder is not applying: no projected licence, and the expiry is the certificate's
    assert head.licence_date is None and head.submission_date is None
    assert head.expiry_date == date(2027, 3, 14)
    assert "2026年12月14日" in reason_text(head, "zh")


@pytest.mark.parametrize(
    ("today", "mode", "verdict", "key", "status"),
    [
        (RENEWAL_DUE - timedelta(days=31), "holder", "licensed", "renewal", "upcoming"),
        (RENEWAL_DUE - timedelta(days=30), "holder", "licensed", "renewal", "due_soon"),
        (RENEWAL_DUE, "holder", "licensed", "renewal", "due_soon"),
        # the day after an unfiled renewal deadline: lapsed, and the next date is the expiry
        (RENEWAL_DUE + timedelta(days=1), "lapsed", "lapsed", "expiry", "upcoming"),
        (EXPIRES, "lapsed", "lapsed", "expiry", "due_soon"),
        (EXPIRES + timedelta(days=1), "lapsed", "expired", None, None),
    ],
)
def test_holder_around_its_deadlines(engine, today, mode, verdict, key, status):
    head = engine.evaluate(holder(), today).headline
    assert (head.mode, head.verdict) == (mode, verdict)
    if key is None:  # expired: the duties left after it (the last full year's report, the registration change)
        assert head.next_deadline is None or head.next_deadline.key in ("annual_report", "deregister", "action")
    else:
        assert (head.next_deadline.key, head.next_deadline.status) == (key, status)


def test_a_renewal_filed_in_time_keeps_the_holder_licensed(engine):
    head = engine.evaluate(holder(renewal_filed_on=RENEWAL_DUE - timedelta(days=5)), EXPIRES).headline
    assert head.mode == "holder"
    assert head.next_deadline is None or head.next_deadline.key != "renewal"


def test_a_lapsed_licence_projects_a_fresh_application_and_the_unlicensed_gap(engine):
    ev = engine.evaluate(holder(), EXPIRES + timedelta(days=10))
    head = ev.headline
    assert head.mode == "lapsed" and head.licence_date is not None
    assert head.licence_gap_days == (head.licence_date - EXPIRES).days > 0
    assert head.licence_date == ev.expected.licence_date
    assert "无证经营" in reason_text(head, "zh")


def test_without_dated_actions_the_catalog_dates_the_licence(engine, samples):
    ev = engine.evaluate(sample(samples, "07"), DAY)
    head = ev.headline
    assert head.mode == "applicant" and head.licence_date_basis == "catalog"
    assert head.licence_date == ev.expected.licence_date
    assert head.submission_date == ev.expected.submission_date
    assert head.catalog_licence_date is None


def test_dated_open_actions_make_the_plan_the_headline_and_the_catalog_a_comparison(engine, samples):
    ev = engine.evaluate(sample(samples, "10"), DAY)
    head = ev.headline
    assert head.licence_date_basis == "plan"
    assert head.licence_date == ev.plan_timeline.licence_date
    assert head.catalog_licence_date == ev.expected.licence_date
    assert head.catalog_shift_days == (head.licence_date - ev.expected.licence_date).days
    assert ev.story_timeline is ev.plan_timeline


def test_submission_never_comes_before_an_action_that_must_precede_it(engine, samples):
    for s in samples:
        ev = engine.evaluate(s.load(DAY), DAY)
        head = ev.headline
        if head.submission_date is None:
            continue
        for item in ev.plan:
            if item.due is not None and (item.active or item.reopened) and item.needed_by == "submission":
                assert head.submission_date > item.due, (s.key, item.id)


def test_a_due_date_on_a_reminder_still_holds_up_submission(engine):
    """An action whose rule is only a reminder, dated after the catalog's submission, moves submission."""
    ev = engine.evaluate(ready_profile(), DAY)
    assert ev.headline.licence_date_basis == "catalog"
    late = ev.headline.submission_date + timedelta(days=40)
    profile = ready_profile(capital={"paid_in_cny": 0})
    ev = engine.evaluate(profile, DAY)
    action = next(i for i in ev.plan if "cap.paid_in_evidence" in i.rule_ids)
    plan = update_action(ev.profile.plan, action.id, DAY, due=late)
    ev = engine.evaluate(ev.profile.model_copy(update={"plan": plan}), DAY)
    assert ev.headline.licence_date_basis == "plan"
    assert ev.headline.submission_date > late


def test_open_gates_give_no_date(engine, samples):
    head = engine.evaluate(sample(samples, "05"), DAY).headline
    assert head.licence_date is None and head.submission_date is None and head.licence_date_basis is None


def test_assess_json_carries_the_headline(engine, samples):
    import orjson

    ev = engine.evaluate(sample(samples, "10"), DAY)
    data = orjson.loads(dumps_json(evaluation_json(ev)))
    head = data["headline"]
    assert head["licence_date"] == ev.headline.licence_date.isoformat()
    assert head["licence_date_basis"] == "plan"
    assert head["next_deadline"]["key"] == "action"
    assert head["reason_text"]["zh"].endswith("。")
    assert "timeline" in data and "plan_timeline" in data  # the existing fields stay


def test_a_lapsed_licence_without_answers_never_prints_a_missing_date(engine):
    from tests.conftest import make_profile

    lapsed = make_profile(licence={"held": True, "issued_on": ISSUED, "expires_on": EXPIRES})
    head = engine.evaluate(lapsed, EXPIRES + timedelta(days=3)).headline
    assert head.mode == "lapsed" and head.licence_date is None
    for lang in ("zh", "en"):
        text = reason_text(head, lang)
        assert "None" not in text and "—" not in text
