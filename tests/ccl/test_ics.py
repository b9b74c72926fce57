"""The compliance calendar, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from ccl.cli import main
from ccl.ics import calendar_ics
from tests.conftest import START, make_profile

HOLDER = {"held": True, "number": "粤B2-20220315", "issued_on": date(2022, 3, 15), "annual_report_last_year": 2025}


def events(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, [c for c in cal.walk("VEVENT")]


def test_holder_calendar_has_five_reports_renewal_with_reminders_and_expiry(engine):
    ev = engine.evaluate(make_profile(licence=HOLDER), START)
    cal, evs = events(calendar_ics(ev, engine.catalog, "zh"))
    assert str(cal["VERSION"]) == "2.0"
    by_summary = {str(e["SUMMARY"]): e for e in evs}
    reports = [e for e in evs if "年报" in str(e["SUMMARY"])]
    assert [e.decoded("DTSTART") for e in reports] == [date(y, 3, 31) for y in range(2027, 2032)]
    renewal = by_summary["许可证延续申请截止"]
    expiry = date(2027, 3, 14)
    assert renewal.decoded("DTSTART") == expiry - timedelta(days=90)
    assert len(renewal.walk("VALARM")) >= 2
    assert by_summary["许可证到期"].decoded("DTSTART") == expiry
    for e in evs:  # all-day events
        assert type(e.decoded("DTSTART")) is date and e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(days=1)


def test_applicant_calendar_shows_projected_milestones_marked_as_estimates(engine, samples):
    ev = engine.evaluate(samples[0].load(), START)
    _, evs = events(calendar_ics(ev, engine.catalog, "en"))
    summaries = [str(e["SUMMARY"]) for e in evs]
    assert "Licence issued (projected)" in summaries
    assert all("projected" in str(e["DESCRIPTION"]) for e in evs)
    licence = next(e for e in evs if str(e["SUMMARY"]) == "Licence issued (projected)")
    assert licence.decoded("DTSTART") == ev.expected.licence_date


def test_uids_are_stable_and_unique(engine):
    ev = engine.evaluate(make_profile(licence=HOLDER), START)
    a = [str(e["UID"]) for e in events(calendar_ics(ev, engine.catalog, "zh"))[1]]
    b = [str(e["UID"]) for e in events(calendar_ics(ev, engine.catalog, "en"))[1]]
    assert a == b and len(set(a)) == len(a)


def test_cli_writes_the_calendar(tmp_path, samples, capsys):
    out = tmp_path / "c.ics"
    sample = next(s for s in samples if s.key == "09_suzhou_licence_holder")
    assert main(["calendar", str(sample.path), "--start", "2026-11-30", "--lang", "zh", "-o", str(out)]) == 0
    _, evs = events(out.read_bytes())
    assert any("年报" in str(e["SUMMARY"]) for e in evs)
    assert "c.ics" in capsys.readouterr().out


def test_cli_calendar_bad_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "licence": {"issued_on": "soon"}}', encoding="utf-8")
    assert main(["calendar", str(bad), "-o", str(tmp_path / "x.ics")]) == 2
    err = capsys.readouterr().err.strip()
    assert "licence.issued_on" in err and "\n" not in err
