"""Where a year's schedule comes from when no override file gives it.

1. **The ``chinesecalendar`` package** (``import chinese_calendar``): official schedules, incl.
   make-up days, for the years its public ``holidays`` / ``workdays`` tables cover (2004-2026 in
   1.11.0).  The covered years are read from the tables, so a package upgrade extends the
   official range automatically.
2. **Estimate** for every other year, from the statutory holidays of
   《全国年节及纪念日放假办法》 (2024 revision, in force 2025-01-01):
   元旦 Jan 1; 春节 lunar New Year's Eve + lunar 1/1-1/3; 清明节 (Qingming solar term);
   劳动节 May 1-2; 端午节 lunar 5/5; 中秋节 lunar 8/15; 国庆节 Oct 1-3.
   The movable dates come from the ``holidays`` package's public ``holidays.China`` calendar,
   stored in ``lunar_dates.toml`` (see ``scripts/lunar_dates.py``: importing that calendar loads
   every country the package ships, too slow for each start of the CLI).  Outside the stored
   years only the fixed-date holidays are known (Qingming: April 5).  A statutory day that falls
   on a Saturday/Sunday, or on another statutory day (e.g. 中秋节 on Oct 1-3, as in 2020), is made
   up on the next weekday that is not already a holiday (Art. 6).  Estimated years have **no**
   make-up working days: they are unknown until the State Council publishes the schedule,
   usually in November of the previous year.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path

import tomli

from ccl.calendar.schedule import MAX_YEAR, MIN_YEAR, YearSchedule
from ccl.once import once

ESTIMATE_SOURCE = "估算：《全国年节及纪念日放假办法》（2024年修订）法定假日，周末补假，无调休上班日（国务院尚未公布）"
PACKAGE_SOURCE = "chinesecalendar {version}：国务院办公厅节假日安排通知"

LUNAR_DATES_FILE = Path(__file__).resolve().parent / "lunar_dates.toml"
#: The movable dates of a year, as keys of lunar_dates.toml.
LUNAR_KEYS = ("spring_festival", "qingming", "dragon_boat", "mid_autumn")

# chinese_calendar.Holiday member name -> the name used here.
_PACKAGE_NAME_MAP = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
}


# --- the chinesecalendar package ------------------------------------------------------------------


@once
def package_schedules() -> dict[int, YearSchedule]:
    """Official schedules from ``chinese_calendar``'s public tables, by year."""
    import chinese_calendar as cc

    table_holidays: Mapping[date, str] = cc.holidays
    table_workdays: Mapping[date, str] = cc.workdays
    names = {m.value: _PACKAGE_NAME_MAP.get(m.name, m.chinese) for m in cc.Holiday}
    # The package answers for min..max year of its holiday table (and raises outside it).
    first, last = min(table_holidays).year, max(table_holidays).year
    by_year: dict[int, tuple[dict[date, str], set[date]]] = {y: ({}, set()) for y in range(first, last + 1)}
    for d, english in table_holidays.items():
        by_year[d.year][0][d] = names.get(english, english)
    for d in table_workdays:
        if first <= d.year <= last:
            by_year[d.year][1].add(d)
    source = PACKAGE_SOURCE.format(version=cc.__version__)
    return {
        y: YearSchedule(y, frozenset(off), frozenset(on), source, official=True, names=off)
        for y, (off, on) in by_year.items()
    }


# --- the statutory estimate -----------------------------------------------------------------------


@once
def _stored_lunar_dates() -> dict[int, dict[str, date]]:
    with LUNAR_DATES_FILE.open("rb") as fh:
        return {int(y): v for y, v in tomli.load(fh)["years"].items()}


def lunar_dates(year: int) -> dict[str, date]:
    """The movable holiday dates of ``year`` by LUNAR_KEYS; a key is missing when unknown."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} outside {MIN_YEAR}..{MAX_YEAR}")
    return _stored_lunar_dates().get(year, {})


def _statutory_entitlements(year: int) -> list[tuple[date, str]]:
    """Statutory holiday days in date order; a day appears twice when two holidays coincide."""
    movable = lunar_dates(year)
    days: list[tuple[date, str]] = [(date(year, 1, 1), "元旦")]
    if "spring_festival" in movable:
        days += [(movable["spring_festival"] + timedelta(days=k), "春节") for k in (-1, 0, 1, 2)]
    days += [
        (movable.get("qingming", date(year, 4, 5)), "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
    ]
    if "dragon_boat" in movable:
        days.append((movable["dragon_boat"], "端午节"))
    if "mid_autumn" in movable:
        days.append((movable["mid_autumn"], "中秋节"))
    days += [(date(year, 10, k), "国庆节") for k in (1, 2, 3)]
    return sorted(days, key=lambda item: item[0])  # stable: 中秋节 stays before 国庆节


def statutory_holidays(year: int) -> dict[date, str]:
    """Statutory holiday days of ``year`` under the 2024 rules (no weekend shifts), in date order.

    Movable holidays are omitted for years whose dates are not known (see ``lunar_dates``).
    A day on which two holidays coincide keeps the first name (中秋节 before 国庆节).
    """
    result: dict[date, str] = {}
    for d, name in _statutory_entitlements(year):
        result.setdefault(d, name)
    return result


@functools.cache
def estimate_schedule(year: int) -> YearSchedule:
    """Estimated schedule: statutory days + make-up days off for weekend/coinciding ones; no 调休上班."""
    names = statutory_holidays(year)
    seen: set[date] = set()
    for d, name in _statutory_entitlements(year):
        if d.weekday() < 5 and d not in seen:
            seen.add(d)
            continue
        seen.add(d)
        # Art. 6: made up on the next weekday that is not already a holiday.
        sub = d + timedelta(days=1)
        while sub.weekday() >= 5 or sub in names:
            sub += timedelta(days=1)
        if sub.year == year:
            names[sub] = name
    return YearSchedule(
        year=year,
        holidays=frozenset(names),
        workdays=frozenset(),
        source=ESTIMATE_SOURCE,
        official=False,
        names=dict(sorted(names.items())),
    )
