"""PRC working-day calendar (工作日历) for statutory time limits.

Working days in the sense of 行政许可法 Art. 82 ("不含法定节假日"): Monday to
Friday, minus public-holiday days, plus the make-up working days (调休上班,
Saturdays or Sundays on which offices work because of a holiday swap).

Data sources, in precedence order
---------------------------------
1. **Override files** ``data/calendar/<year>.toml``: the State Council
   (国务院办公厅) schedule for one year, added by an administrator without code
   changes.  An override replaces *everything* else for its year.
2. **The ``chinesecalendar`` package** (``import chinese_calendar``): official
   schedules, incl. make-up days, for the years its tables cover (2004-2026 in
   1.11.0).  The covered years are read from the tables, so a package upgrade
   extends the official range automatically.  The package's functions raise
   ``NotImplementedError`` outside those years; this module reads the tables
   directly and never calls them for a year they do not cover.
3. **Estimate** for every other year, from the statutory holidays of
   《全国年节及纪念日放假办法》 (2024 revision, in force 2025-01-01):
   元旦 Jan 1; 春节 lunar New Year's Eve + lunar 1/1-1/3; 清明节 (Qingming solar
   term); 劳动节 May 1-2; 端午节 lunar 5/5; 中秋节 lunar 8/15; 国庆节 Oct 1-3.
   Lunar dates come from the ``holidays`` package's lunisolar tables
   (1901-2100; outside them only the fixed-date holidays and Qingming are
   known).  A statutory day that falls on a Saturday/Sunday, or on another
   statutory day (e.g. 中秋节 on Oct 1-3, as in 2020), is made up on the next
   weekday that is not already a holiday (Art. 6).  Estimated years have **no**
   make-up working days: they are unknown until the State Council publishes
   the schedule, usually in November of the previous year.
   :meth:`WorkCalendar.is_official` tells the caller to show an "estimate"
   badge.  The 2024 rules are applied to every estimated year, including
   years before 2004 (never used in practice).

Override file format
--------------------
One file per year, named ``<year>.toml``, UTF-8, read with :mod:`tomllib`::

    year = 2027                      # must equal the file name
    source = "国务院办公厅关于2027年部分节假日安排的通知"
    published = 2026-11-10           # optional, a date

    [[holidays]]                     # one table per holiday block
    name = "春节"
    start = 2027-02-05               # first day off (inclusive)
    end = 2027-02-13                 # last day off (inclusive)
    # make-up working days (调休上班) that belong to this block
    workdays = [2027-02-07, 2027-02-20]

    [[holidays]]
    name = "国庆节"
    start = 2027-10-01
    end = 2027-10-07
    workdays = []                    # optional; may be omitted

Rules (a violation raises :class:`CalendarError` naming the file and the field,
e.g. ``data/calendar/2027.toml: holidays[1].end: ...``; ``holidays[1]`` is the
first ``[[holidays]]`` block):

* top-level keys: ``year`` (int), ``source`` (non-empty text), ``published``
  (optional date), ``holidays`` (at least one block); no other keys;
* block keys: ``name`` (non-empty text), ``start``, ``end`` (dates,
  ``start <= end``), ``workdays`` (optional list of dates); no other keys;
* every date lies inside ``year``; blocks do not overlap;
* a make-up working day is a Saturday or Sunday and is not inside any block.

Every day of a block (weekends included) is a holiday named after the block.
The file replaces the whole year: a make-up day in late December that belongs
to the next year's New Year holiday goes into the file of its own year.

Performance
-----------
At construction the calendar precomputes a sorted list of working-day
ordinals for ``first_year..last_year`` (2004-2045 by default);
:meth:`~WorkCalendar.add_workdays` and :meth:`~WorkCalendar.workdays_between`
are then answered with :func:`bisect.bisect_right`.  Dates outside that range
use per-year schedules computed lazily, so any date of years 1-9999 works.

This module is pure Python and never imports streamlit.
"""

from __future__ import annotations

import functools
import operator
import tomllib
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT_CALENDAR_DIR",
    "HOLIDAY_NAMES",
    "CalendarError",
    "WorkCalendar",
    "YearSchedule",
    "default_calendar",
    "estimate_schedule",
    "load_override_dir",
    "load_override_file",
    "package_years",
    "statutory_holidays",
]

#: Directory of the administrator's override files.
DEFAULT_CALENDAR_DIR = Path(__file__).resolve().parent.parent / "data" / "calendar"

#: The statutory holiday names, in calendar order.
HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")

ESTIMATE_SOURCE = "估算：《全国年节及纪念日放假办法》（2024年修订）法定假日，周末补假，无调休上班日（国务院尚未公布）"
PACKAGE_SOURCE = "chinesecalendar {version}：国务院办公厅节假日安排通知"

_MIN_YEAR = date.min.year
_MAX_YEAR = date.max.year


class CalendarError(ValueError):
    """A broken override file; the message names the file and the field or line."""


@dataclass(frozen=True)
class YearSchedule:
    """The holiday schedule of one calendar year.

    ``holidays``: every day off because of a public holiday (weekends inside a
    holiday block included).  ``workdays``: make-up working days (调休上班).
    ``names``: optional holiday name per holiday date (for :meth:`WorkCalendar.holiday_name`).
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
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise ValueError(f"YearSchedule: year {self.year} outside {_MIN_YEAR}..{_MAX_YEAR}")
        for label, days in (
            ("holidays", self.holidays),
            ("workdays", self.workdays),
            ("names", self.names),
        ):
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


# --------------------------------------------------------------------------
# Source (b): the chinesecalendar package
# --------------------------------------------------------------------------

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


@functools.cache
def _package_schedules() -> dict[int, YearSchedule]:
    """Official schedules from ``chinese_calendar``'s tables, by year ({} if not installed)."""
    try:
        import chinese_calendar as cc
    except ImportError:  # pragma: no cover - it is a pinned dependency
        return {}
    table_holidays: Mapping[date, str] = cc.holidays
    table_workdays: Mapping[date, str] = cc.workdays
    if not table_holidays:  # pragma: no cover
        return {}
    english_to_chinese: dict[str, str] = {}
    for member in cc.Holiday:
        english_to_chinese[member.value] = _PACKAGE_NAME_MAP.get(member.name, getattr(member, "chinese", member.value))
    # Same coverage rule as the package's own _validate_date: min..max year of the holiday table.
    first = min(table_holidays).year
    last = max(table_holidays).year
    version = getattr(cc, "__version__", "?")
    by_year: dict[int, tuple[dict[date, str], set[date]]] = {y: ({}, set()) for y in range(first, last + 1)}
    for d, english in table_holidays.items():
        by_year[d.year][0][d] = english_to_chinese.get(english, english)
    for d in table_workdays:
        if first <= d.year <= last:
            by_year[d.year][1].add(d)
    return {
        y: YearSchedule(
            year=y,
            holidays=frozenset(names),
            workdays=frozenset(workdays),
            source=PACKAGE_SOURCE.format(version=version),
            official=True,
            names=names,
        )
        for y, (names, workdays) in by_year.items()
    }


def package_years() -> frozenset[int]:
    """Years the installed ``chinesecalendar`` package covers with official data."""
    return frozenset(_package_schedules())


# --------------------------------------------------------------------------
# Source (c): the statutory estimate
# --------------------------------------------------------------------------


def _lunar_dates_private(
    year: int,
) -> tuple[date | None, date | None, date | None, date]:
    from holidays.calendars.chinese import _ChineseLunisolar

    cal = _ChineseLunisolar()
    return (
        cal.lunar_new_year_date(year)[0],
        cal.dragon_boat_date(year)[0],
        cal.mid_autumn_date(year)[0],
        cal.qingming_date(year)[0],
    )


def _lunar_dates_public(
    year: int,
) -> tuple[date | None, date | None, date | None, date]:
    """Fallback through the public ``holidays.China`` API (complete from 2008 on)."""
    import holidays

    found: dict[str, list[date]] = {}
    for d, name in holidays.China(years=year, observed=False, language="en_US").items():
        for part in name.split("; "):
            found.setdefault(part, []).append(d)

    def first(name: str) -> date | None:
        return min(found[name]) if name in found else None

    # holidays.China lists 清明节 from 2008 on; earlier years get the usual April 5.
    qingming = first("Tomb-Sweeping Day") or date(year, 4, 5)
    return (
        first("Chinese New Year (Spring Festival)"),
        first("Dragon Boat Festival"),
        first("Mid-Autumn Festival"),
        qingming,
    )


@functools.cache
def _lunar_dates(year: int) -> tuple[date | None, date | None, date | None, date]:
    """(lunar New Year, Dragon Boat, Mid-Autumn, Qingming) of a Gregorian year; None = unknown."""
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} outside 1..9999")
    # The private lunisolar tables cover 1901-2100 for every holiday; should a future
    # holidays release rename them, fall back to the public API (tested to agree).
    errors = (ImportError, AttributeError, TypeError)
    try:
        return _lunar_dates_private(year)
    except errors:  # pragma: no cover - depends on the holidays version
        return _lunar_dates_public(year)


def _statutory_entitlements(year: int) -> list[tuple[date, str]]:
    """Statutory holiday days in date order; a day appears twice when two holidays coincide."""
    new_year, dragon_boat, mid_autumn, qingming = _lunar_dates(year)
    days: list[tuple[date, str]] = [(date(year, 1, 1), "元旦")]
    if new_year is not None:
        days += [(new_year + timedelta(days=k), "春节") for k in (-1, 0, 1, 2)]
    days += [
        (qingming, "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
    ]
    if dragon_boat is not None:
        days.append((dragon_boat, "端午节"))
    if mid_autumn is not None:
        days.append((mid_autumn, "中秋节"))
    days += [(date(year, 10, k), "国庆节") for k in (1, 2, 3)]
    return sorted(days, key=lambda item: item[0])  # stable: 中秋节 stays before 国庆节


def statutory_holidays(year: int) -> dict[date, str]:
    """Statutory holiday days of ``year`` under the 2024 rules (no weekend shifts), in date order.

    Lunar holidays are omitted for years outside the lunisolar tables (1901-2100).
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


# --------------------------------------------------------------------------
# Source (a): override files
# --------------------------------------------------------------------------

_TOP_KEYS = {"year", "source", "published", "holidays"}
_BLOCK_KEYS = {"name", "start", "end", "workdays"}
_WEEKDAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def _override_error(path: Path, where: str, message: str) -> CalendarError:
    """A :class:`CalendarError` prefixed with the file and, if given, the field."""
    return CalendarError(f"{path}: {where}: {message}" if where else f"{path}: {message}")


def _read_override_toml(path: Path) -> tuple[int, dict[str, Any]]:
    """The year from the file name and the parsed TOML document."""
    try:
        stem_year = int(path.stem)
    except ValueError:
        raise _override_error(path, "", "file name must be <year>.toml, e.g. 2027.toml") from None
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise _override_error(path, "", f"invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise _override_error(path, "", f"not UTF-8: {exc}") from exc
    except OSError as exc:
        raise _override_error(path, "", f"cannot read: {exc}") from exc
    return stem_year, data


def _check_unknown_keys(path: Path, table: Mapping[str, Any], allowed: set[str], prefix: str = "") -> None:
    """Reject the first (alphabetically) key of ``table`` that is not in ``allowed``."""
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _override_error(
            path,
            f"{prefix}{unknown[0]}",
            f"unknown key (allowed: {', '.join(sorted(allowed))})",
        )


def _check_override_year(path: Path, data: Mapping[str, Any], stem_year: int) -> int:
    if "year" not in data:
        raise _override_error(path, "year", "missing")
    year = data["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise _override_error(path, "year", f"must be an integer, got {_describe(year)}")
    if year != stem_year:
        raise _override_error(path, "year", f"{year} does not match the file name {path.name}")
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise _override_error(path, "year", f"{year} outside {_MIN_YEAR}..{_MAX_YEAR}")
    return year


def _check_override_source(path: Path, data: Mapping[str, Any]) -> str:
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _override_error(path, "source", "missing or empty (name the State Council notice)")
    return source.strip()


def _check_override_published(path: Path, data: Mapping[str, Any], year: int) -> None:
    if "published" in data and not _is_date(data["published"]):
        raise _override_error(
            path,
            "published",
            f"must be a date like {year - 1}-11-10, got {_describe(data['published'])}",
        )


def _check_override_blocks(path: Path, data: Mapping[str, Any]) -> list[Any]:
    blocks = data.get("holidays")
    if blocks is None:
        raise _override_error(path, "holidays", "missing: add at least one [[holidays]] block")
    if not isinstance(blocks, list) or not blocks:
        raise _override_error(path, "holidays", "must be one or more [[holidays]] blocks")
    return blocks


@dataclass
class _OverrideDays:
    """Days collected from the ``[[holidays]]`` blocks of one override file."""

    names: dict[date, str] = field(default_factory=dict)  # holiday -> block name
    owner: dict[date, int] = field(default_factory=dict)  # holiday -> block number (1-based)
    makeup: dict[date, str] = field(default_factory=dict)  # make-up day -> "holidays[i]"


def _check_block_name(path: Path, where: str, block: Mapping[str, Any]) -> str:
    name = block.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _override_error(path, f"{where}.name", "missing or empty")
    return name.strip()


def _check_block_date(path: Path, where: str, block: Mapping[str, Any], key: str, year: int) -> date:
    value = block.get(key)
    if value is None:
        raise _override_error(path, f"{where}.{key}", "missing")
    if not _is_date(value):
        raise _override_error(
            path,
            f"{where}.{key}",
            f"must be a date like {year}-10-01, got {_describe(value)}",
        )
    if value.year != year:
        raise _override_error(path, f"{where}.{key}", f"{value} is outside {year}")
    return value


def _add_block_holidays(path: Path, i: int, name: str, start: date, end: date, days: _OverrideDays) -> None:
    """Record every day of block ``i`` (``start..end``) as a holiday; blocks must not overlap."""
    where = f"holidays[{i}]"
    if end < start:
        raise _override_error(path, f"{where}.end", f"{end} is before start {start} ({name})")
    d = start
    while d <= end:
        if d in days.owner:
            raise _override_error(
                path,
                f"{where}.start",
                f"{name} overlaps holidays[{days.owner[d]}] ({days.names[d]}) on {d}",
            )
        days.owner[d] = i
        days.names[d] = name
        d += timedelta(days=1)


def _check_makeup_day(path: Path, where: str, w: Any, year: int) -> date:
    if not _is_date(w):
        raise _override_error(path, where, f"must be a date, got {_describe(w)}")
    if w.year != year:
        raise _override_error(path, where, f"{w} is outside {year}")
    if w.weekday() < 5:
        raise _override_error(
            path,
            where,
            f"{w} is a {_WEEKDAY_NAMES[w.weekday()]}; make-up working days are Saturdays or Sundays",
        )
    return w


def _add_block_makeup_days(path: Path, where: str, block: Mapping[str, Any], year: int, days: _OverrideDays) -> None:
    workdays = block.get("workdays", [])
    if not isinstance(workdays, list):
        raise _override_error(
            path,
            f"{where}.workdays",
            f"must be a list of dates, got {_describe(workdays)}",
        )
    for j, w in enumerate(workdays, start=1):
        days.makeup[_check_makeup_day(path, f"{where}.workdays[{j}]", w, year)] = where


def _add_block(path: Path, i: int, block: Any, year: int, days: _OverrideDays) -> None:
    """Validate the ``i``-th ``[[holidays]]`` block and add its days to ``days``."""
    where = f"holidays[{i}]"
    if not isinstance(block, dict):
        raise _override_error(path, where, "must be a [[holidays]] table")
    _check_unknown_keys(path, block, _BLOCK_KEYS, prefix=f"{where}.")
    name = _check_block_name(path, where, block)
    start = _check_block_date(path, where, block, "start", year)
    end = _check_block_date(path, where, block, "end", year)
    _add_block_holidays(path, i, name, start, end, days)
    _add_block_makeup_days(path, where, block, year, days)


def _check_makeup_not_holiday(path: Path, days: _OverrideDays) -> None:
    # Checked after all blocks so a make-up day inside a later block is caught too.
    for w, where in days.makeup.items():
        if w in days.names:
            raise _override_error(
                path,
                f"{where}.workdays",
                f"{w} is also a holiday (holidays[{days.owner[w]}] {days.names[w]}); a day cannot be both",
            )


def load_override_file(path: Path | str) -> YearSchedule:
    """Read and strictly validate one ``<year>.toml`` override file."""
    path = Path(path)
    stem_year, data = _read_override_toml(path)
    _check_unknown_keys(path, data, _TOP_KEYS)
    year = _check_override_year(path, data, stem_year)
    source = _check_override_source(path, data)
    _check_override_published(path, data, year)
    blocks = _check_override_blocks(path, data)
    days = _OverrideDays()
    for i, block in enumerate(blocks, start=1):
        _add_block(path, i, block, year, days)
    _check_makeup_not_holiday(path, days)
    return YearSchedule(
        year=year,
        holidays=frozenset(days.names),
        workdays=frozenset(days.makeup),
        source=source,
        official=True,
        names=dict(sorted(days.names.items())),
    )


def load_override_dir(path: Path | str) -> dict[int, YearSchedule]:
    """Load every ``*.toml`` in ``path``; a missing directory means no overrides."""
    path = Path(path)
    if not path.is_dir():
        return {}
    result: dict[int, YearSchedule] = {}
    for file in sorted(path.glob("*.toml")):
        schedule = load_override_file(file)
        result[schedule.year] = schedule
    return result


# --------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------


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
        if not _MIN_YEAR <= first_year <= last_year <= _MAX_YEAR:
            raise ValueError(
                f"need {_MIN_YEAR} <= first_year <= last_year <= {_MAX_YEAR}, got {first_year}, {last_year}"
            )
        checked: dict[int, YearSchedule] = {}
        for year, schedule in (overrides or {}).items():
            if not isinstance(schedule, YearSchedule):
                raise TypeError(f"override for {year} is not a YearSchedule: {schedule!r}")
            if schedule.year != year:
                raise ValueError(f"override key {year} does not match its schedule year {schedule.year}")
            checked[year] = schedule
        self._overrides = checked
        self._package = _package_schedules()
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
        if not _MIN_YEAR <= year <= _MAX_YEAR:
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

    def holiday_name(self, d: date) -> str | None:
        """Chinese holiday name if ``d`` is a public-holiday day off, else None."""
        d = date(d.year, d.month, d.day)
        schedule = self.schedule(d.year)
        if d not in schedule.holidays:
            return None
        name = schedule.names.get(d)
        if name:
            return name
        return statutory_holidays(d.year).get(d, "节假日")

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
            if year > _MAX_YEAR:
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

    def workdays_in(self, start: date, end: date) -> list[date]:
        """The working days in ``(start, end]`` in order (for charts and explanations)."""
        a = start.toordinal()
        b = end.toordinal()
        if b <= a:
            return []
        if self._lo <= a and b <= self._hi:
            return [date.fromordinal(o) for o in self._w[bisect_right(self._w, a) : bisect_right(self._w, b)]]
        result: list[date] = []
        for year in range(start.year, end.year + 1):
            result.extend(date.fromordinal(o) for o in self._year_days(year) if a < o <= b)
        return result


@functools.cache
def default_calendar() -> WorkCalendar:
    """The shared calendar with the repository's ``data/calendar`` overrides (built once)."""
    return WorkCalendar.from_dir(DEFAULT_CALENDAR_DIR)
