"""Samples keep their story on whatever day a consultant demos them (their dates move with the clock)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ccl import clock
from ccl.intake import read_checked_profile
from ccl.samples import list_samples

DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))


def _sample(prefix: str):
    return next(s for s in list_samples() if s.key.startswith(prefix))


@settings(max_examples=12, deadline=None)
@given(day=DAYS)
def test_mid_remediation_sample_has_13_done_2_overdue_1_waived_on_any_day(engine, day):
    ev = engine.evaluate(_sample("10").load(day), day)
    p = ev.plan_progress
    assert (p.done, p.overdue, p.waived) == (13, 2, 1)


@settings(max_examples=12, deadline=None)
@given(day=DAYS)
def test_licence_holder_sample_has_its_renewal_deadline_a_week_away_on_any_day(engine, day):
    ev = engine.evaluate(_sample("09").load(day), day)
    renewal = next(o for o in ev.obligations if o.key == "renewal")
    assert renewal.due == day + timedelta(days=7)
    assert ev.profile.licence.expires_on > day  # still licensed: the story is "renew now", not "lapsed"


def test_the_last_annual_report_moves_with_the_reporting_cycle(engine):
    """The report filed by the "as of" day is still the latest one due, so it never turns overdue."""
    for day in (date(2027, 1, 15), date(2027, 6, 30), date(2028, 2, 1), date(2028, 11, 30)):
        ev = engine.evaluate(_sample("09").load(day), day)
        report = next(o for o in ev.obligations if o.key == "annual_report")
        assert report.status != "overdue", day


def test_on_its_own_day_a_sample_is_exactly_the_file(samples):
    for s in samples:
        assert s.load(s.as_of) == s.load_as_stored()


def test_the_command_line_moves_a_shipped_sample_to_the_clock_too(engine):
    sample = _sample("10")
    with clock.frozen(date(2027, 6, 30)) as day:
        via_cli = read_checked_profile(sample.path, engine.catalog)
        assert via_cli == sample.load(day)
    overdue = [a for a in via_cli.plan if a.status != "done" and a.due is not None and a.due < day]
    assert len(overdue) == 2


def test_a_copy_of_a_sample_elsewhere_is_read_as_it_is(engine, tmp_path):
    sample = _sample("10")
    copy = tmp_path / sample.path.name
    copy.write_bytes(sample.path.read_bytes())
    with clock.frozen(date(2027, 6, 30)):
        assert read_checked_profile(copy, engine.catalog) == sample.load_as_stored()
