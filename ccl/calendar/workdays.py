"""PRC working-day calendar (工作日历) for statutory time limits.

Working days in the sense of 行政许可法 Art. 82 ("不含法定节假日"): Monday to
Friday, minus public-holiday days, plus the make-up working days (调休上班,
Saturdays or Sundays on which offices work because of a holiday swap).

A year's schedule comes, in precedence order, from an administrator's override
file (:mod:`ccl.calendar.overrides`), the ``chinesecalendar`` package's official
tables, or an estimate from the statutory holidays (:mod:`ccl.calendar.sources`).
:meth:`WorkCalendar.is_official` tells the caller to show an "estimate" badge.

Performance: at construction the calendar precomputes a sorted list of working-day
ordinals for ``first_year..last_year`` (2004-2045 by default);
:meth:`~WorkCalendar.add_workdays` and :meth:`~WorkCalendar.workdays_between`
are then answered with :func:`bisect.bisect_right`.  Dates outside that range
use per-year schedules computed lazily, so any date of years 1-9999 works.
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from ccl.calendar.overrides import CalendarError, load_override_dir, load_override_file
from ccl.calendar.schedule import HOLIDAY_NAMES, MAX_YEAR, MIN_YEAR, YearSchedule
from ccl.calendar.sources import estimate_schedule, package_schedules, statutory_holidays

__all__ = [
    "HOLIDAY_NAMES",
    "CalendarError",
    "WorkCalendar",
    "YearSchedule",
    "estimate_schedule",
    "load_override_dir",
    "load_override_file",
    "statutory_holidays",
]


def _schedule_workday_ordinals(schedule: YearSchedule) -> list[int]:
    year = schedule.year
    lo = date(year, 1, 1).toordinal()
    hi = date(year, 12, 31).toordinal()
    off = {d.toordinal() for d in schedule.holidays}
    on = {d.toordinal() for d in schedule.workdays}
    # date.toordinal() % 7: 0 = Sunday, 6 = Saturday.
    return [o for o in range(lo, hi + 1) if o in on or (o % 7 not in (0, 6) and o not in off)]


class WorkCalendar:
    """Working-day arithmetic over official schedules and statutory estimates."""

    def __init__(
        self,
        overrides: Mapping[int, YearSchedule] | None = None,
        *,
        first_year: int = 2004,
        last_year: int = 2045,
    ) -> None:
        if not MIN_YEAR <= first_year <= last_year <= MAX_YEAR:
            raise ValueError(f"need {MIN_YEAR} <= first_year <= last_year <= {MAX_YEAR}, got {first_year}, {last_year}")
        checked: dict[int, YearSchedule] = {}
        for year, schedule in (overrides or {}).items():
            if not isinstance(schedule, YearSchedule):
                raise TypeError(f"override for {year} is not a YearSchedule: {schedule!r}")
            if schedule.year != year:
                raise ValueError(f"override key {year} does not match its schedule year {schedule.year}")
            checked[year] = schedule
        self._overrides = checked
        self._package = package_schedules()
        # The schedule in force decides: an override (official or not) replaces the package.
        self._official = frozenset(y for y in self._package.keys() | checked.keys() if self.schedule(y).official)
        self.first_year = first_year
        self.last_year = last_year

        # Precomputed fast path: sorted working-day ordinals of first_year..last_year.
        self._lo = date(first_year, 1, 1).toordinal()
        self._hi = date(last_year, 12, 31).toordinal()
        ordinals: list[int] = []
        self._year_index: dict[int, tuple[int, int]] = {}
        for year in range(first_year, last_year + 1):
            begin = len(ordinals)
            ordinals.extend(_schedule_workday_ordinals(self.schedule(year)))
            self._year_index[year] = (begin, len(ordinals))
        self._w = ordinals
        self._n = len(ordinals)
        flags = bytearray(self._hi - self._lo + 1)
        for o in ordinals:
            flags[o - self._lo] = 1
        self._flags = bytes(flags)
        # Years outside first_year..last_year, computed lazily.
        self._extra: dict[int, list[int]] = {}

    @classmethod
    def from_dir(cls, path: Path | str, *, first_year: int = 2004, last_year: int = 2045) -> WorkCalendar:
        """A calendar with every ``<year>.toml`` override of ``path`` (missing dir = none)."""
        return cls(load_override_dir(path), first_year=first_year, last_year=last_year)

    # -- schedules ---------------------------------------------------------

    def schedule(self, year: int) -> YearSchedule:
        """The schedule in force for ``year``: override, else package, else estimate."""
        if year in self._overrides:
            return self._overrides[year]
        if year in self._package:
            return self._package[year]
        return estimate_schedule(year)

    def official_years(self) -> frozenset[int]:
        """Years with an official schedule (override file or the chinesecalendar package)."""
        return self._official

    def is_official(self, d: date) -> bool:
        """True if ``d``'s year comes from an official schedule; False = estimated."""
        return d.year in self._official

    def _year_days(self, year: int) -> list[int]:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year {year} is outside the supported date range {date.min}..{date.max}")
        span = self._year_index.get(year)
        if span is not None:
            return self._w[span[0] : span[1]]
        days = self._extra.get(year)
        if days is None:
            days = self._extra[year] = _schedule_workday_ordinals(self.schedule(year))
        return days

    # -- queries -----------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """True if government offices work on ``d`` (make-up Saturdays/Sundays included)."""
        o = d.toordinal()
        if self._lo <= o <= self._hi:
            return self._flags[o - self._lo] == 1
        schedule = self.schedule(d.year)
        d = date(d.year, d.month, d.day)
        return d in schedule.workdays or (d.weekday() < 5 and d not in schedule.holidays)

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` excluded); ``n == 0`` returns ``start``."""
        if n.__class__ is not int:
            n = operator.index(n)
        if n <= 0:
            if n == 0:
                return start
            raise ValueError(f"n must be >= 0, got {n}")
        o = start.toordinal()
        if self._lo <= o <= self._hi:
            i = bisect_right(self._w, o) + n - 1
            if i < self._n:
                return date.fromordinal(self._w[i])
        return self._add_slow(o, n)

    def _add_slow(self, o: int, n: int) -> date:
        # i indexes the concatenation of the per-year working-day lists from o's year on.
        year = date.fromordinal(o).year
        days = self._year_days(year)
        i = bisect_right(days, o) + n - 1
        while i >= len(days):
            i -= len(days)
            year += 1
            if year > MAX_YEAR:
                raise ValueError(f"{n} working days after {date.fromordinal(o)} is beyond {date.max}")
            days = self._year_days(year)
        return date.fromordinal(days[i])

    def workdays_between(self, start: date, end: date) -> int:
        """Number of working days in ``(start, end]``; 0 if ``end <= start``."""
        a = start.toordinal()
        b = end.toordinal()
        if b <= a:
            return 0
        if self._lo <= a and b <= self._hi:
            return bisect_right(self._w, b) - bisect_right(self._w, a)
        sy = start.year
        ey = end.year
        if sy == ey:
            days = self._year_days(sy)
            return bisect_right(days, b) - bisect_right(days, a)
        first = self._year_days(sy)
        total = len(first) - bisect_right(first, a)
        total += sum(self._year_count(y) for y in range(sy + 1, ey))
        return total + bisect_right(self._year_days(ey), b)

    def _year_count(self, year: int) -> int:
        span = self._year_index.get(year)
        if span is not None:
            return span[1] - span[0]
        return len(self._year_days(year))

    def next_workday(self, d: date) -> date:
        """``d`` itself if it is a working day, else the next working day."""
        d = date(d.year, d.month, d.day)
        return d if self.is_workday(d) else self.add_workdays(d, 1)
