"""The holiday schedule of one calendar year, whatever its source (override file, package, estimate)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

#: The statutory holiday names, in calendar order.
HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")

MIN_YEAR = date.min.year
MAX_YEAR = date.max.year


@dataclass(frozen=True)
class YearSchedule:
    """The holiday schedule of one calendar year.

    ``holidays``: every day off because of a public holiday (weekends inside a
    holiday block included).  ``workdays``: make-up working days (调休上班).
    ``names``: optional holiday name per holiday date (for ``WorkCalendar.holiday_name``).
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str
    official: bool
    names: Mapping[date, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"YearSchedule: year {self.year} outside {MIN_YEAR}..{MAX_YEAR}")
        for label, days in (("holidays", self.holidays), ("workdays", self.workdays), ("names", self.names)):
            for d in days:
                if not isinstance(d, date) or isinstance(d, datetime):
                    raise TypeError(f"YearSchedule {self.year}: {label} contains a non-date {d!r}")
                if d.year != self.year:
                    raise ValueError(f"YearSchedule {self.year}: {label} contains {d}, outside the year")
        both = self.holidays & self.workdays
        if both:
            raise ValueError(
                f"YearSchedule {self.year}: {', '.join(map(str, sorted(both)))} both holiday and make-up workday"
            )
