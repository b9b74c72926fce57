"""The sample companies shipped in ``data/samples`` for demos and tests.

Each sample tells a story on its "as of" day (``as_of`` in ``index.toml``): sample 10 has 13 actions
done, 2 overdue and 1 waived; sample 09's renewal deadline is a week away. So that the story holds on
whatever day a consultant demos it, a sample's dates are shifted on load by the days between its "as of"
day and today (``ccl.clock.today()``): due dates, completion dates, evidence dates, the licence's issue
and expiry, incorporation. The last annual report year moves with the reporting cycle, so a report
that was filed on the "as of" day is still the latest one due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import tomli
from pydantic import BaseModel

from ccl import clock
from ccl.catalog import DATA_DIR
from ccl.catalog.objects import Text
from ccl.profile import Profile, load_profile

SAMPLES_DIR = DATA_DIR / "samples"


@dataclass(frozen=True, slots=True)
class Sample:
    key: str
    path: Path
    label: Text
    as_of: date

    def load(self, today: date | None = None) -> Profile:
        """The sample with its dates moved so that its story holds on ``today`` (default: the clock's)."""
        return shifted(load_profile(self.path), self.as_of, today or clock.today())

    def load_as_stored(self) -> Profile:
        """The sample exactly as the file holds it (dated on its "as of" day)."""
        return load_profile(self.path)


def list_samples(directory: Path = SAMPLES_DIR) -> list[Sample]:
    """The samples in index order."""
    index = tomli.loads((directory / "index.toml").read_text(encoding="utf-8"))
    as_of = index["as_of"]
    return [
        Sample(
            key=Path(s["file"]).stem,
            path=directory / s["file"],
            label=Text(**s["label"]),
            as_of=s.get("as_of", as_of),
        )
        for s in index["samples"]
    ]


def shipped_sample(path: Path) -> Sample | None:
    """The shipped sample stored at ``path``, if it is one (the CLI then keeps its story too)."""
    try:
        where = path.resolve()
    except OSError:
        return None
    if where.parent != SAMPLES_DIR.resolve():
        return None
    return next((s for s in list_samples() if s.path.resolve() == where), None)


def shifted(profile: Profile, as_of: date, today: date) -> Profile:
    """``profile`` with every date moved by ``today - as_of`` days (the same profile when that is 0)."""
    days = (today - as_of).days
    if days == 0:
        return profile
    data = _moved(profile, timedelta(days=days))
    year = profile.licence.annual_report_last_year
    if year is not None:
        data["licence"]["annual_report_last_year"] = year + _last_report_due(today) - _last_report_due(as_of)
    return Profile.model_validate(data)


def _last_report_due(day: date) -> int:
    """The latest business year whose annual report was due (31 March of the next year) by ``day``."""
    return day.year - 1 if day > date(day.year, 3, 31) else day.year - 2


def _moved(value: Any, delta: timedelta) -> Any:
    """The value with its dates moved by ``delta``; models become plain dicts, validated again by the caller."""
    if isinstance(value, date):
        return value + delta
    if isinstance(value, BaseModel):
        return {name: _moved(getattr(value, name), delta) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {k: _moved(v, delta) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_moved(v, delta) for v in value]
    return value
