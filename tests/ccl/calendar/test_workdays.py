"""Tests for ccl.calendar.workdays: PRC working-day arithmetic (domain.md section 7)."""

from __future__ import annotations

import re
import timeit
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from project import ROOT

from ccl.calendar import workdays as wd
from ccl.calendar.sources import lunar_dates
from ccl.calendar.workdays import (
    CalendarError,
    WorkCalendar,
    YearSchedule,
    estimate_schedule,
    load_override_file,
    statutory_holidays,
)
from ccl.engine import CALENDAR_DIR
from scripts.lunar_dates import lunar_dates_from_package


def holiday_name(cal: WorkCalendar, d: date) -> str | None:
    """The Chinese name of the holiday ``d`` is a day off for (None on a working day or a weekend): the
    schedule's own name (official tables, override files), else the statute's, else 节假日."""
    d = date(d.year, d.month, d.day)
    schedule = cal.schedule(d.year)
    if d not in schedule.holidays:
        return None
    return schedule.names.get(d) or statutory_holidays(d.year).get(d, "节假日")


README = ROOT / "data" / "calendar" / "README.md"


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=k) for k in range((end - start).days + 1)]


def naive_add(c: WorkCalendar, start: date, n: int) -> date:
    d = start
    while n:
        d += timedelta(days=1)
        n -= c.is_workday(d)
    return d


# ---------------------------------------------------------------- domain §7.3

VECTORS = [
    (date(2026, 9, 30), 5, date(2026, 10, 13)),
    (date(2026, 2, 13), 5, date(2026, 2, 27)),
    (date(2026, 2, 13), 10, date(2026, 3, 5)),
    (date(2025, 12, 31), 5, date(2026, 1, 8)),
    (date(2026, 4, 30), 5, date(2026, 5, 11)),
    (date(2026, 1, 5), 60, date(2026, 4, 3)),
    (date(2026, 9, 21), 60, date(2026, 12, 21)),
]

MAKEUP_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]

HOLIDAYS_2026 = [
    ((1, 1), (1, 3), "元旦"),
    ((2, 15), (2, 23), "春节"),
    ((4, 4), (4, 6), "清明节"),
    ((5, 1), (5, 5), "劳动节"),
    ((6, 19), (6, 21), "端午节"),
    ((9, 25), (9, 27), "中秋节"),
    ((10, 1), (10, 7), "国庆节"),
]


@pytest.mark.parametrize(("start", "n", "expected"), VECTORS)
def test_domain_vectors(cal, start, n, expected):
    assert cal.add_workdays(start, n) == expected
    assert cal.workdays_between(start, expected) == n
    assert naive_add(cal, start, n) == expected


def test_2026_makeup_days_are_weekend_working_days(cal):
    for d in MAKEUP_2026:
        assert d.weekday() >= 5, d
        assert cal.is_workday(d), d
        assert holiday_name(cal, d) is None
    assert cal.schedule(2026).workdays == frozenset(MAKEUP_2026)


@pytest.mark.parametrize(("first", "last", "name"), HOLIDAYS_2026)
def test_2026_holidays(cal, first, last, name):
    start, end = date(2026, *first), date(2026, *last)
    for d in days(start, end):
        assert not cal.is_workday(d), d
        assert holiday_name(cal, d) == name, d
    # the day before and after each block is a working day or a plain weekend
    for d in (start - timedelta(days=1), end + timedelta(days=1)):
        assert holiday_name(cal, d) is None
        assert cal.is_workday(d) == (d.weekday() < 5 or d in MAKEUP_2026)


def test_2026_has_exactly_the_listed_holidays(cal):
    listed = {d for first, last, _ in HOLIDAYS_2026 for d in days(date(2026, *first), date(2026, *last))}
    assert cal.schedule(2026).holidays == listed


def test_makeup_saturday_counts_and_holiday_weekday_does_not(cal):
    # Friday 2026-02-13 + 1 working day = Saturday 2026-02-14 (调休上班)
    assert cal.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    # Mon 2026-10-05 .. Wed 10-07 are weekday holidays; Sat 10-10 is a make-up day
    assert cal.workdays_between(date(2026, 10, 4), date(2026, 10, 10)) == 3  # 8, 9, 10
    assert not cal.is_workday(date(2026, 10, 5))
    assert not cal.is_workday(date(2026, 2, 16))
    assert cal.is_workday(date(2026, 10, 10))
    assert not cal.is_workday(date(2026, 10, 11))  # ordinary Sunday


def test_holiday_name_and_plain_days(cal):
    assert holiday_name(cal, date(2026, 2, 17)) == "春节"
    assert holiday_name(cal, date(2026, 4, 5)) == "清明节"
    assert holiday_name(cal, date(2025, 10, 6)) == "中秋节"
    assert holiday_name(cal, date(2026, 3, 10)) is None  # ordinary Tuesday
    assert holiday_name(cal, date(2026, 3, 14)) is None  # ordinary Saturday
    assert holiday_name(cal, datetime(2026, 10, 1, 9, 30)) == "国庆节"
    assert holiday_name(cal, date(2015, 9, 3)).startswith("中国人民抗日战争")


# ------------------------------------------------------- package & estimates


def test_official_years_come_from_the_package_data(cal):
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    assert cal.official_years() == frozenset(range(first, last + 1))
    assert set(range(2004, 2027)) <= cal.official_years()
    assert cal.is_official(date(2026, 12, 31))
    assert cal.is_official(date(2004, 1, 1))
    assert not cal.is_official(date(2003, 12, 31))


def test_matches_chinese_calendar_for_every_packaged_day(cal):
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    mismatches = [
        d for d in days(date(first, 1, 1), date(last, 12, 31)) if cal.is_workday(d) != chinese_calendar.is_workday(d)
    ]
    assert mismatches == []


def test_cross_check_with_holidays_package_2024_2026(cal):
    cn = holidays.China(years=range(2024, 2027))
    mismatches = [d for d in days(date(2024, 1, 1), date(2026, 12, 31)) if cal.is_workday(d) != cn.is_working_day(d)]
    assert mismatches == []


STATUTORY = {
    2025: {
        date(2025, 1, 1): "元旦",
        date(2025, 1, 28): "春节",  # 除夕
        date(2025, 1, 29): "春节",
        date(2025, 1, 30): "春节",
        date(2025, 1, 31): "春节",
        date(2025, 4, 4): "清明节",
        date(2025, 5, 1): "劳动节",
        date(2025, 5, 2): "劳动节",
        date(2025, 5, 31): "端午节",
        date(2025, 10, 6): "中秋节",
        date(2025, 10, 1): "国庆节",
        date(2025, 10, 2): "国庆节",
        date(2025, 10, 3): "国庆节",
    },
    2026: {
        date(2026, 1, 1): "元旦",
        date(2026, 2, 16): "春节",  # 除夕
        date(2026, 2, 17): "春节",
        date(2026, 2, 18): "春节",
        date(2026, 2, 19): "春节",
        date(2026, 4, 5): "清明节",
        date(2026, 5, 1): "劳动节",
        date(2026, 5, 2): "劳动节",
        date(2026, 6, 19): "端午节",
        date(2026, 9, 25): "中秋节",
        date(2026, 10, 1): "国庆节",
        date(2026, 10, 2): "国庆节",
        date(2026, 10, 3): "国庆节",
    },
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_dates_agree_with_official_data(cal, year):
    computed = statutory_holidays(year)
    assert computed == STATUTORY[year]
    assert len(computed) == 13  # 2024 revision: 13 statutory days
    for d, name in computed.items():
        assert d in chinese_calendar.holidays, d
        assert holiday_name(cal, d) == name, d  # official data, same name


@pytest.mark.parametrize("year", [2025, 2026])
def test_estimate_has_the_official_number_of_working_days(cal, year):
    # The official schedule only moves days around (调休); the yearly total is the estimate's.
    est = WorkCalendar({year: estimate_schedule(year)})
    assert not est.is_official(date(year, 6, 1))
    assert est.workdays_between(date(year - 1, 12, 31), date(year, 12, 31)) == cal.workdays_between(
        date(year - 1, 12, 31), date(year, 12, 31)
    )


def test_stored_lunar_dates_agree_with_the_holidays_package():
    # The stored table is what holidays.China says; after an upgrade, scripts/lunar_dates.py regenerates it.
    checked = [y for y in range(1950, 2101, 7)] + [2027, 2028, 2031, 2045, 2100]
    assert all(lunar_dates(y) == lunar_dates_from_package(y) for y in checked)
    assert set(lunar_dates(2027)) == {"spring_festival", "qingming", "dragon_boat", "mid_autumn"}
    assert lunar_dates(2101) == {}  # beyond the package's lunisolar tables


def test_2027_is_an_estimate(cal):
    assert not cal.is_official(date(2027, 3, 1))
    assert 2027 not in cal.official_years()
    sched = cal.schedule(2027)
    assert not sched.official
    assert sched.workdays == frozenset()  # no 调休上班 until the State Council publishes


def test_2027_spring_festival_estimate(cal):
    # lunar New Year 2027 = Sat 2027-02-06, so 除夕 = Fri 2027-02-05
    for d in days(date(2027, 2, 5), date(2027, 2, 8)):
        assert holiday_name(cal, d) == "春节"
        assert not cal.is_workday(d)
    # Sat 02-06 and Sun 02-07 are made up on Tue 02-09 and Wed 02-10 (Art. 6)
    assert not cal.is_workday(date(2027, 2, 9))
    assert not cal.is_workday(date(2027, 2, 10))
    assert cal.is_workday(date(2027, 2, 4))
    assert cal.is_workday(date(2027, 2, 11))
    assert holiday_name(cal, date(2027, 2, 4)) is None


def test_2027_national_day_and_no_makeup_weekends(cal):
    for d in days(date(2027, 10, 1), date(2027, 10, 3)):
        assert not cal.is_workday(d)
        assert holiday_name(cal, d) == "国庆节"
    # Oct 2-3 are Sat/Sun -> made up on Mon 10-04 and Tue 10-05
    assert not cal.is_workday(date(2027, 10, 4))
    assert not cal.is_workday(date(2027, 10, 5))
    assert cal.is_workday(date(2027, 10, 6))
    weekends = [d for d in days(date(2027, 1, 1), date(2027, 12, 31)) if d.weekday() >= 5]
    assert not any(cal.is_workday(d) for d in weekends)


def test_2027_other_statutory_dates(cal):
    assert holiday_name(cal, date(2027, 4, 5)) == "清明节"
    assert holiday_name(cal, date(2027, 6, 9)) == "端午节"
    assert holiday_name(cal, date(2027, 9, 15)) == "中秋节"
    assert not cal.is_workday(date(2027, 1, 1))
    # May 1-2 are Sat/Sun -> made up on May 3-4
    assert [cal.is_workday(d) for d in days(date(2027, 5, 3), date(2027, 5, 5))] == [
        False,
        False,
        True,
    ]


def test_coinciding_holidays_are_made_up(cal):
    # 2031: 中秋节 falls on Wed Oct 1 (国庆节): the coinciding day is made up (Thu-Fri are
    # statutory, so the next free weekday is Mon 10-06).
    sched = estimate_schedule(2031)
    assert statutory_holidays(2031)[date(2031, 10, 1)] == "中秋节"
    assert date(2031, 10, 6) in sched.holidays
    assert date(2031, 10, 7) not in sched.holidays
    # Precedent: in 2020 中秋节 was also Oct 1; the official schedule (package data) has the
    # same number of working days around it as the estimate method gives.
    est2020 = WorkCalendar({2020: estimate_schedule(2020)})
    window = (date(2020, 9, 20), date(2020, 10, 18))
    assert est2020.workdays_between(*window) == cal.workdays_between(*window) == 16


def test_estimates_agree_with_holidays_package_except_coinciding_days(cal):
    # holidays.China does not make up a day on which 中秋节 and 国庆节 coincide; apart from
    # that its 2027+ estimates equal ours.  Years for which a later holidays release ships
    # the official substituted days are left out.
    years = [
        y
        for y in range(2027, 2046)
        if not any("substituted" in name for name in holidays.China(years=y, language="en_US").values())
    ]
    assert 2027 in years
    cn = holidays.China(years=years)
    differences = [
        d for y in years for d in days(date(y, 1, 1), date(y, 12, 31)) if cal.is_workday(d) != cn.is_working_day(d)
    ]
    expected = [date(2028, 10, 5), date(2031, 10, 6)]
    assert differences == [d for d in expected if d.year in years]
    assert all(not cal.is_workday(d) for d in differences)


def test_estimate_outside_lunar_tables_still_works():
    c = WorkCalendar(first_year=2026, last_year=2026)
    assert not c.is_workday(date(2200, 10, 1))
    assert holiday_name(c, date(2200, 5, 1)) == "劳动节"
    assert holiday_name(c, date(2200, 1, 1)) == "元旦"
    assert c.is_workday(date(1, 1, 2))  # Tuesday, no holiday
    assert not c.is_workday(date(1, 1, 1))
    assert c.is_workday(date(9999, 12, 31))  # Friday


# ------------------------------------------------------------------ overrides

OVERRIDE_2027 = """\
year = 2027
source = "国务院办公厅关于2027年部分节假日安排的通知（测试）"
published = 2026-11-10

[[holidays]]
name = "春节"
start = 2027-02-05
end = 2027-02-13
workdays = [2027-02-21]

[[holidays]]
name = "国庆节"
start = 2027-10-01
end = 2027-10-07
workdays = [2027-09-26, 2027-10-09]
"""


def write(dirpath: Path, name: str, text: str) -> Path:
    path = dirpath / name
    path.write_text(text, encoding="utf-8")
    return path


def test_override_makes_2027_official_and_wins(tmp_path):
    write(tmp_path, "2027.toml", OVERRIDE_2027)
    c = WorkCalendar.from_dir(tmp_path)
    assert c.is_official(date(2027, 5, 1))
    assert 2027 in c.official_years()
    sched = c.schedule(2027)
    assert sched.official
    assert sched.source.startswith("国务院办公厅")
    # make-up Sunday becomes a working day; the estimate had it off
    assert c.is_workday(date(2027, 2, 21))
    assert not WorkCalendar().is_workday(date(2027, 2, 21))
    # Fri 02-12 is inside the official block, a working day in the estimate
    assert not c.is_workday(date(2027, 2, 12))
    assert holiday_name(c, date(2027, 2, 12)) == "春节"
    # the file replaces the whole year: no 清明节 block -> Mon 04-05 is a working day
    assert c.is_workday(date(2027, 4, 5))
    assert holiday_name(c, date(2027, 4, 5)) is None
    # arithmetic uses the override: after Thu 02-04 the next working day is Mon 02-15
    assert c.add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 15)
    assert c.add_workdays(date(2027, 9, 24), 1) == date(2027, 9, 26)
    assert c.workdays_between(date(2027, 9, 30), date(2027, 10, 9)) == 2  # Fri 10-08, Sat 10-09


def test_override_for_2026_wins_over_package(tmp_path):
    write(
        tmp_path,
        "2026.toml",
        'year = 2026\nsource = "test"\n[[holidays]]\nname = "国庆节"\nstart = 2026-10-01\nend = 2026-10-03\n',
    )
    c = WorkCalendar.from_dir(tmp_path)
    assert c.is_official(date(2026, 1, 1))
    assert c.schedule(2026).source == "test"
    assert not c.is_workday(date(2026, 10, 10))  # the package's make-up Saturday is gone
    assert c.is_workday(date(2026, 10, 5))
    assert c.is_workday(date(2026, 2, 16))  # no Spring Festival block in the override
    assert c.add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 9)
    # no 元旦 block either: Thu 01-01 works, Sun 01-04 is no longer a make-up day
    assert c.add_workdays(date(2025, 12, 31), 5) == date(2026, 1, 7)
    # other years still come from the package
    assert not c.is_workday(date(2025, 10, 8))
    assert c.is_official(date(2025, 1, 1))


def test_override_outside_precomputed_range(tmp_path):
    write(tmp_path, "2027.toml", OVERRIDE_2027)
    c = WorkCalendar.from_dir(tmp_path, first_year=2026, last_year=2026)
    assert c.is_official(date(2027, 1, 1))
    assert c.is_workday(date(2027, 2, 21))
    assert c.add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 15)


def test_programmatic_override():
    sched = YearSchedule(
        year=2027,
        holidays=frozenset({date(2027, 3, 1)}),
        workdays=frozenset({date(2027, 3, 6)}),
        source="unit test",
        official=True,
    )
    c = WorkCalendar({2027: sched})
    assert not c.is_workday(date(2027, 3, 1))
    assert c.is_workday(date(2027, 3, 6))
    assert holiday_name(c, date(2027, 3, 1)) == "节假日"
    assert c.is_official(date(2027, 3, 1))
    with pytest.raises(ValueError, match="does not match"):
        WorkCalendar({2028: sched})
    with pytest.raises(ValueError, match="both holiday and make-up"):
        YearSchedule(
            2027,
            frozenset({date(2027, 3, 6)}),
            frozenset({date(2027, 3, 6)}),
            "x",
            True,
        )
    with pytest.raises(ValueError, match="outside the year"):
        YearSchedule(2027, frozenset({date(2026, 3, 6)}), frozenset(), "x", True)


def test_missing_directory_means_no_overrides(tmp_path):
    c = WorkCalendar.from_dir(tmp_path / "does-not-exist")
    assert c.official_years() == WorkCalendar().official_years()
    assert c.add_workdays(date(2026, 9, 21), 60) == date(2026, 12, 21)


def test_readme_example_is_a_valid_override(tmp_path):
    text = README.read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, re.DOTALL).group(1)
    sched = load_override_file(write(tmp_path, "2027.toml", example))
    assert sched.year == 2027
    assert sched.official
    assert date(2027, 9, 26) in sched.workdays
    assert {sched.names[d] for d in sched.holidays} == set(wd.HOLIDAY_NAMES)


def test_repository_calendar_dir_has_no_unpublished_years():
    # data/calendar must not ship a made-up schedule; whatever is there must load.
    c = WorkCalendar.from_dir(CALENDAR_DIR)
    assert 2027 not in c.official_years()


BROKEN = [
    ("2027.toml", 'year = 2027\nsource = "x"\n[[holidays]\n', "invalid TOML"),
    (
        "2027.toml",
        OVERRIDE_2027.replace("year = 2027", "year = 2028"),
        "year: 2028 does not match",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("end = 2027-02-13", "end = 2027-02-03"),
        "holidays[1].end: 2027-02-03 is before",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("end = 2027-10-07", "end = 2028-01-02"),
        "holidays[2].end: 2028-01-02 is outside 2027",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("2027-09-26,", "2026-09-26,"),
        "holidays[2].workdays[1]: 2026-09-26 is outside",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("[2027-02-21]", "[2027-02-06]"),
        "holidays[1].workdays: 2027-02-06 is also a holiday",
    ),
    # make-up day listed in block 1 but inside block 2
    (
        "2027.toml",
        OVERRIDE_2027.replace("[2027-02-21]", "[2027-10-02]"),
        "holidays[1].workdays: 2027-10-02 is also a holiday",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace('name = "春节"', 'name = ""'),
        "holidays[1].name: missing or empty",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace('source = "国务院办公厅关于2027年部分节假日安排的通知（测试）"', ""),
        "source: missing",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("start = 2027-10-01", "start = 2027-02-10"),
        "holidays[2].start: 国庆节 overlaps holidays[1]",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("[2027-02-21]", "[2027-02-22]"),
        "holidays[1].workdays[1]: 2027-02-22 is a Monday",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("workdays = [2027-02-21]", "workday = [2027-02-21]"),
        "holidays[1].workday: unknown key",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("start = 2027-02-05", 'start = "2027-02-05"'),
        "holidays[1].start: must be a date",
    ),
    (
        "2027.toml",
        OVERRIDE_2027.replace("published = 2026-11-10", "published = 2026-11-10T10:00:00"),
        "published: must be a date",
    ),
    ("2027.toml", 'year = 2027\nsource = "x"\n', "holidays: missing"),
    ("2027.toml", "year = 2027.0\n", "year: must be an integer"),
    ("next.toml", OVERRIDE_2027, "file name must be <year>.toml"),
]


@pytest.mark.parametrize(("filename", "text", "message"), BROKEN)
def test_broken_override_files(tmp_path, filename, text, message):
    path = write(tmp_path, filename, text)
    with pytest.raises(CalendarError) as excinfo:
        WorkCalendar.from_dir(tmp_path)
    msg = str(excinfo.value)
    assert msg.startswith(f"{path}: "), msg
    assert message in msg, msg
    assert isinstance(excinfo.value, ValueError)


def test_error_names_relative_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "calendar").mkdir(parents=True)
    write(
        tmp_path / "data" / "calendar",
        "2027.toml",
        OVERRIDE_2027.replace("end = 2027-02-13", "end = 2027-02-01"),
    )
    with pytest.raises(CalendarError, match=r"^data/calendar/2027\.toml: holidays\[1\]\.end: "):
        WorkCalendar.from_dir(Path("data/calendar"))


def test_invalid_toml_error_names_line(tmp_path):
    write(tmp_path, "2027.toml", 'year = 2027\nsource = "x"\nbad line here\n')
    with pytest.raises(CalendarError, match=r"2027\.toml: invalid TOML: .*line 3"):
        WorkCalendar.from_dir(tmp_path)


# ------------------------------------------------------------ API edge cases


def test_argument_edge_cases(cal):
    start = date(2026, 10, 1)
    assert cal.add_workdays(start, 0) == start
    with pytest.raises(ValueError, match="n must be >= 0"):
        cal.add_workdays(start, -1)
    assert cal.workdays_between(start, start) == 0
    assert cal.workdays_between(date(2026, 12, 31), date(2026, 1, 1)) == 0
    assert cal.next_workday(date(2026, 10, 1)) == date(2026, 10, 8)
    assert cal.next_workday(date(2026, 10, 10)) == date(2026, 10, 10)  # make-up Saturday
    assert cal.next_workday(datetime(2026, 10, 9, 18, 0)) == date(2026, 10, 9)
    assert cal.add_workdays(datetime(2026, 9, 30, 23, 59), 5) == date(2026, 10, 13)


def test_far_dates_and_out_of_range(cal):
    assert cal.add_workdays(date(2045, 12, 29), 2) == naive_add(cal, date(2045, 12, 29), 2)
    assert cal.add_workdays(date(1999, 12, 30), 3) == naive_add(cal, date(1999, 12, 30), 3)
    assert cal.workdays_between(date(2003, 12, 1), date(2004, 1, 31)) == len(
        [d for d in days(date(2003, 12, 2), date(2004, 1, 31)) if cal.is_workday(d)]
    )
    with pytest.raises(ValueError, match="beyond 9999-12-31"):
        cal.add_workdays(date(9999, 12, 1), 100)
    assert cal.next_workday(date(9999, 12, 31)) == date(9999, 12, 31)  # a Friday
    with pytest.raises(ValueError, match="beyond 9999-12-31"):
        cal.add_workdays(date(9999, 12, 31), 1)
    assert cal.add_workdays(date(1, 1, 1), 1) == date(1, 1, 2)


def test_multi_year_spans_match_year_by_year_sum(cal):
    total = sum(cal.workdays_between(date(y - 1, 12, 31), date(y, 12, 31)) for y in range(2000, 2050))
    assert cal.workdays_between(date(1999, 12, 31), date(2049, 12, 31)) == total
    last = max(d for d in days(date(2049, 12, 1), date(2049, 12, 31)) if cal.is_workday(d))
    assert cal.add_workdays(date(1999, 12, 31), total) == last


# ------------------------------------------------------------------ properties

dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2055, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=800))
def test_add_and_between_are_consistent(cal, start, n):
    result = cal.add_workdays(start, n)
    assert cal.workdays_between(start, result) == n
    if n == 0:
        assert result == start
    else:
        assert result > start
        assert cal.is_workday(result)
        # result is the first day reaching n: one day earlier gives n - 1
        assert cal.workdays_between(start, result - timedelta(days=1)) == n - 1


narrow = WorkCalendar(first_year=2025, last_year=2026)


@settings(max_examples=200, deadline=None)
@given(start=dates, end=dates, n=st.integers(min_value=0, max_value=400))
def test_slow_path_equals_fast_path(cal, start, end, n):
    assert narrow.add_workdays(start, n) == cal.add_workdays(start, n)
    assert narrow.workdays_between(start, end) == cal.workdays_between(start, end)
    assert narrow.is_workday(end) == cal.is_workday(end)


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    n=st.integers(0, 120),
)
def test_add_workdays_matches_day_by_day_walk(cal, start, n):
    assert cal.add_workdays(start, n) == naive_add(cal, start, n)


# ------------------------------------------------------------------ speed


def test_add_workdays_is_fast(cal):
    # brief: well under 100 µs per call; this only guards against losing the bisect path
    best = min(timeit.repeat(lambda: cal.add_workdays(date(2026, 9, 21), 60), number=2000, repeat=3)) / 2000
    assert best < 100e-6
