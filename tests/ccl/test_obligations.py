"""Staying licensed: every obligation status at its date boundaries (day before, on, after)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from ccl.obligations import obligations
from tests.conftest import make_profile

ISSUED = date(2022, 3, 15)
EXPIRES = date(2027, 3, 14)
RENEWAL_DUE = EXPIRES - timedelta(days=90)  # 2026-12-14


def holder(**licence):
    base = {"held": True, "issued_on": ISSUED, "expires_on": EXPIRES, "annual_report_last_year": 2025}
    return make_profile(licence=base | licence)


def status(catalog, profile, key, today):
    return next(o for o in obligations(profile, catalog, today) if o.key == key)


def test_no_licence_no_obligations(catalog):
    assert obligations(make_profile(), catalog, date(2026, 1, 1)) == ()
    assert obligations(make_profile(licence={"held": False}), catalog, date(2026, 1, 1)) == ()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 30), "ok"),  # 121 days before
        (date(2026, 12, 1), "upcoming"),  # 120 days before
        (date(2027, 2, 28), "upcoming"),  # 31 days before
        (date(2027, 3, 1), "due_soon"),  # 30 days before
        (date(2027, 3, 30), "due_soon"),  # the day before
        (date(2027, 3, 31), "due_soon"),  # on the day
        (date(2027, 4, 1), "overdue"),  # the day after: risk of the adverse list
    ],
)
def test_annual_report_for_the_year_after_the_last_filed(catalog, today, expected):
    ob = status(catalog, holder(), "annual_report", today)
    assert ob.due == date(2027, 3, 31) and ob.year == 2026
    assert ob.status == expected


def test_thresholds_are_catalog_data(catalog):
    due = date(2027, 3, 31)
    soon, up = catalog.licence.due_soon_days, catalog.licence.upcoming_days
    assert status(catalog, holder(), "annual_report", due - timedelta(days=soon)).status == "due_soon"
    assert status(catalog, holder(), "annual_report", due - timedelta(days=soon + 1)).status == "upcoming"
    assert status(catalog, holder(), "annual_report", due - timedelta(days=up)).status == "upcoming"
    assert status(catalog, holder(), "annual_report", due - timedelta(days=up + 1)).status == "ok"


def test_a_missed_report_stays_overdue_until_filed(catalog):
    ob = status(catalog, holder(annual_report_last_year=2023), "annual_report", date(2026, 6, 1))
    assert (ob.year, ob.due, ob.status, ob.detail) == (2024, date(2025, 3, 31), "overdue", "overdue")


def test_first_report_follows_the_year_of_issue(catalog):
    p = holder(issued_on=date(2026, 12, 20), expires_on=None, annual_report_last_year=None)
    ob = status(catalog, p, "annual_report", date(2026, 12, 28))
    assert ob.year == 2026 and ob.due == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("offset", "expected", "detail"),
    [(-1, "due_soon", "open"), (0, "due_soon", "open"), (1, "overdue", "lapses")],
)
def test_renewal_deadline_is_90_days_before_expiry(catalog, offset, expected, detail):
    ob = status(catalog, holder(), "renewal", RENEWAL_DUE + timedelta(days=offset))
    assert ob.due == RENEWAL_DUE == date(2026, 12, 14)
    assert (ob.status, ob.detail) == (expected, detail)


def test_renewal_filed_in_time_is_ok_and_late_filing_is_not(catalog):
    today = RENEWAL_DUE + timedelta(days=10)
    assert status(catalog, holder(renewal_filed_on=RENEWAL_DUE), "renewal", today).status == "ok"
    late = status(catalog, holder(renewal_filed_on=RENEWAL_DUE + timedelta(days=1)), "renewal", today)
    assert (late.status, late.detail) == ("overdue", "filed_late")


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, "due_soon"), (0, "due_soon"), (1, "overdue")],
)
def test_expiry(catalog, offset, expected):
    ob = status(catalog, holder(), "expiry", EXPIRES + timedelta(days=offset))
    assert ob.due == EXPIRES and ob.status == expected


def test_expiry_defaults_to_five_years_from_issue(catalog):
    ob = status(catalog, holder(expires_on=None), "expiry", date(2026, 1, 1))
    assert ob.due == date(2027, 3, 14)


def test_services_never_launched_are_flagged_before_renewal(catalog):
    p = holder(services_launched=False)
    far = status(catalog, p, "services_launched", date(2025, 1, 1))
    assert far.status == "upcoming" and far.due == RENEWAL_DUE
    assert status(catalog, p, "services_launched", RENEWAL_DUE + timedelta(days=1)).status == "overdue"
    assert all(o.key != "services_launched" for o in obligations(holder(services_launched=True), catalog, ISSUED))


def test_evaluation_json_lists_obligations_for_holders(engine):
    from ccl.engine import evaluation_json
    from ccl.records import dumps_json

    out = json.loads(dumps_json(evaluation_json(engine.evaluate(holder(), date(2026, 12, 1)))))
    assert out["licence_held"] is True
    keys = {o["key"]: o for o in out["obligations"]}
    assert {"annual_report", "renewal", "expiry"} <= set(keys)
    renewal = keys["renewal"]
    assert (renewal["due"], renewal["status"], renewal["detail"]) == ("2026-12-14", "due_soon", "open")
    assert "90" in renewal["message"]["zh"] and "90" in renewal["message"]["en"]
    assert "show_number" in out["duties"]


def test_unknown_last_report_is_to_check_never_ok(catalog):
    """After 31 March last year's report is unknown, not filed: the holder is told to check it."""
    p = holder(annual_report_last_year=None, issued_on=date(2020, 1, 1))
    before = status(catalog, p, "annual_report", date(2026, 2, 1))
    after = status(catalog, p, "annual_report", date(2026, 5, 1))
    assert (before.year, before.due, before.detail) == (2025, date(2026, 3, 31), "unknown")
    assert (after.year, after.due, after.status, after.detail) == (2026, date(2027, 3, 31), "to_check", "unknown")
    for day in (date(2026, 4, 1), date(2026, 7, 1), date(2026, 12, 31), date(2027, 1, 1)):
        assert status(catalog, p, "annual_report", day).status != "ok", day
    known = holder(annual_report_last_year=2025, issued_on=date(2020, 1, 1))
    assert status(catalog, known, "annual_report", date(2026, 5, 1)).status == "ok"


def test_to_check_reads_in_both_languages(catalog):
    from ccl.i18n import obligation_message, t

    ob = status(
        catalog, holder(annual_report_last_year=None, issued_on=date(2020, 1, 1)), "annual_report", date(2026, 5, 1)
    )
    assert t("obligation.status.to_check", "zh") == "待核实" and t("obligation.status.to_check", "en") == "To check"
    assert obligation_message(ob, "zh").endswith("2026年度年报须于2027年3月31日前报送。")
    assert "check it" in obligation_message(ob, "en") and "31 Mar 2027" in obligation_message(ob, "en")


def test_cli_text_shows_a_holders_duties_instead_of_the_application_timeline(engine, samples):
    from ccl.cli.assess import render_text

    sample = next(s for s in samples if s.key == "09_suzhou_licence_holder")
    text = render_text(engine.evaluate(sample.load(), date(2026, 11, 30)), engine, "en", "x.json")
    assert "Licence duties" in text and "[Due soon] Renewal application 14 Dec 2026" in text
    assert "Timeline (expected" not in text
