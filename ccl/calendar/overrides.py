"""Administrator override files ``data/calendar/<year>.toml``: the State Council schedule of one year.

An override replaces *everything* else for its year (package tables and estimate alike).

File format (UTF-8, read with tomli, the parser Python ships as :mod:`tomllib`)::

    year = 2027                      # must equal the file name
    source = "国务院办公厅关于2027年部分节假日安排的通知"
    published = 2026-11-10           # optional, a date

    [[holidays]]                     # one table per holiday block
    name = "春节"
    start = 2027-02-05               # first day off (inclusive)
    end = 2027-02-13                 # last day off (inclusive)
    workdays = [2027-02-07, 2027-02-20]   # make-up working days (调休上班) of this block; optional

A violation raises :class:`CalendarError` naming the file and the field, e.g.
``data/calendar/2027.toml: holidays[1].end: ...`` (``holidays[1]`` is the first ``[[holidays]]``
block, ``workdays[1]`` its first make-up day): unknown keys; ``year`` not the file's; a date outside
the year; ``start`` after ``end``; overlapping blocks; a make-up day that is not a Saturday or Sunday,
or is also a holiday.  Every day of a block (weekends included) is a holiday named after the block.
A make-up day in late December that belongs to the next year's New Year holiday goes into the file
of its own year.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import tomli
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ccl.calendar.schedule import MAX_YEAR, MIN_YEAR, YearSchedule

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class CalendarError(ValueError):
    """A broken override file; the message names the file and the field or line."""


class _Strict(BaseModel):
    # strict: a quoted "2027-02-05" is text in TOML, not a date, and 2027.0 is not a year.
    # defer_build: most installations have no override file, so the validator is built on first use.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, defer_build=True)


class HolidayBlock(_Strict):
    """One ``[[holidays]]`` block: the days off and the make-up working days that belong to them."""

    name: Text
    start: date
    end: date
    workdays: list[date] = Field(default_factory=list)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=k) for k in range((self.end - self.start).days + 1)]


class OverrideFile(_Strict):
    """One ``<year>.toml`` file; validate with ``context={"file_year": <year of the file name>}``."""

    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    source: Text
    published: date | None = None
    holidays: list[HolidayBlock] = Field(min_length=1)

    @field_validator("year")
    @classmethod
    def _year_of_file(cls, year: int, info: ValidationInfo) -> int:
        file_year = (info.context or {}).get("file_year")
        if file_year is not None and year != file_year:
            raise ValueError(f"{year} does not match the file name {file_year}.toml")
        return year

    @model_validator(mode="after")
    def _days(self) -> OverrideFile:
        owner: dict[date, int] = {}  # holiday -> block number (1-based)
        for i, block in enumerate(self.holidays, start=1):
            self._check_block(i, block, owner)
        for i, block in enumerate(self.holidays, start=1):
            for w in block.workdays:  # after all blocks: a make-up day inside a later block is caught too
                if w in owner:
                    j = owner[w]
                    raise ValueError(
                        f"holidays[{i}].workdays: {w} is also a holiday (holidays[{j}] {self.holidays[j - 1].name});"
                        " a day cannot be both"
                    )
        return self

    def _check_block(self, i: int, block: HolidayBlock, owner: dict[date, int]) -> None:
        where = f"holidays[{i}]"
        for key in ("start", "end"):
            if getattr(block, key).year != self.year:
                raise ValueError(f"{where}.{key}: {getattr(block, key)} is outside {self.year}")
        if block.end < block.start:
            raise ValueError(f"{where}.end: {block.end} is before start {block.start} ({block.name})")
        for d in block.days():
            if d in owner:
                other = self.holidays[owner[d] - 1].name
                raise ValueError(f"{where}.start: {block.name} overlaps holidays[{owner[d]}] ({other}) on {d}")
            owner[d] = i
        for j, w in enumerate(block.workdays, start=1):
            if w.year != self.year:
                raise ValueError(f"{where}.workdays[{j}]: {w} is outside {self.year}")
            if w.weekday() < 5:
                raise ValueError(
                    f"{where}.workdays[{j}]: {w} is a {_WEEKDAYS[w.weekday()]};"
                    " make-up working days are Saturdays or Sundays"
                )

    def schedule(self) -> YearSchedule:
        names = {d: b.name for b in self.holidays for d in b.days()}
        workdays = {w for b in self.holidays for w in b.workdays}
        return YearSchedule(
            self.year,
            frozenset(names),
            frozenset(workdays),
            self.source,
            official=True,
            names=dict(sorted(names.items())),
        )


# --- errors in the administrator's words ---------------------------------------------------------

_HINTS = {
    "missing": "missing",
    "date_type": "must be a date like 2027-10-01 (no quotes), got {input}",
    "int_type": "must be an integer, got {input}",
    "list_type": "must be a list of dates, got {input}",
    "model_type": "must be a [[holidays]] table",
    "string_type": "missing or empty",
    "string_too_short": "missing or empty",
    "too_short": "must be one or more [[holidays]] blocks",
}
_FIELD_HINTS = {
    ("source", "missing"): "missing or empty (name the State Council notice)",
    ("source", "string_too_short"): "missing or empty (name the State Council notice)",
    ("holidays", "missing"): "missing: add at least one [[holidays]] block",
}


def _where(loc: tuple[Any, ...]) -> str:
    """('holidays', 0, 'workdays', 1) -> 'holidays[1].workdays[2]' (numbered from 1, like the file)."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _allowed(loc: tuple[Any, ...]) -> str:
    model = HolidayBlock if "holidays" in loc[:-1] else OverrideFile
    return ", ".join(sorted(model.model_fields))


def _explain(err: Any) -> str:
    loc, kind = tuple(err["loc"]), err["type"]
    if not loc:  # a check across fields: the message names the field itself
        return str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    if kind == "extra_forbidden":
        text = f"unknown key (allowed: {_allowed(loc)})"
    elif kind == "value_error":
        text = str(err["msg"]).removeprefix("Value error, ")
    else:
        hint = _FIELD_HINTS.get((_where(loc), kind)) or _HINTS.get(kind)
        shown = repr(value) if isinstance(value, str) else value
        text = hint.format(input=f"{shown} ({type(value).__name__})") if hint else err["msg"]
    return f"{_where(loc)}: {text}"


# --- loading -------------------------------------------------------------------------------------


def _read(path: Path) -> tuple[int, dict[str, Any]]:
    """The year from the file name and the parsed TOML document."""
    try:
        file_year = int(path.stem)
    except ValueError:
        raise CalendarError(f"{path}: file name must be <year>.toml, e.g. 2027.toml") from None
    try:
        with path.open("rb") as fh:
            return file_year, tomli.load(fh)
    except tomli.TOMLDecodeError as exc:
        raise CalendarError(f"{path}: invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise CalendarError(f"{path}: not UTF-8: {exc}") from exc
    except OSError as exc:
        raise CalendarError(f"{path}: cannot read: {exc}") from exc


def load_override_file(path: Path | str) -> YearSchedule:
    """Read and strictly validate one ``<year>.toml`` override file."""
    path = Path(path)
    file_year, data = _read(path)
    try:
        return OverrideFile.model_validate(data, context={"file_year": file_year}).schedule()
    except ValidationError as exc:
        raise CalendarError(f"{path}: {_explain(exc.errors()[0])}") from None


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
