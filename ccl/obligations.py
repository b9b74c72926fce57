"""Staying licensed: the dated duties of a licence holder, checked on a given day.

``obligations(profile, catalog, today)`` is a pure function of the ``licence`` section. Each dated
duty gets a status from the catalog's thresholds (``licence.due_soon_days`` / ``upcoming_days``):
``overdue`` after its date, ``due_soon`` on or within due_soon_days before it, ``upcoming`` within
upcoming_days, else ``ok``; a duty already done is ``ok``. ``duties`` lists the standing duties of
domain §6 that have no date (show the number, report changes, file a networking-plan change).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from ccl.catalog import Catalog, LicenceTerms
from ccl.profile import Licence, Profile
from ccl.records import Record, record

ObligationStatus = Literal["ok", "upcoming", "due_soon", "overdue"]
ObligationKey = Literal["annual_report", "renewal", "expiry", "services_launched"]
STANDING_DUTIES: tuple[str, ...] = ("show_number", "changes", "networking_plan", "scope")


@record
class Obligation(Record):
    """One dated duty. ``detail`` names the message variant (filed, assumed, lapsed …) for the locales."""

    key: ObligationKey
    due: date
    status: ObligationStatus
    detail: str
    year: int | None = None  # the business year an annual report covers


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def expiry_date(lic: Licence, terms: LicenceTerms) -> date | None:
    """The expiry on the certificate, else issue date + validity (5 years) - 1 day."""
    if lic.expires_on is not None:
        return lic.expires_on
    if lic.issued_on is not None:
        return _add_years(lic.issued_on, terms.validity_years) - timedelta(days=1)
    return None


def status_on(due: date, today: date, terms: LicenceTerms) -> ObligationStatus:
    """overdue after ``due``; due_soon on it or within due_soon_days; upcoming within upcoming_days."""
    left = (due - today).days
    if left < 0:
        return "overdue"
    if left <= terms.due_soon_days:
        return "due_soon"
    if left <= terms.upcoming_days:
        return "upcoming"
    return "ok"


def report_due(year: int, terms: LicenceTerms) -> date:
    """The filing deadline of the annual report covering ``year`` (31 March of the next year)."""
    month, day = (int(x) for x in terms.annual_report_due.split("-"))
    return date(year + 1, month, day)


def _annual_report(lic: Licence, terms: LicenceTerms, today: date) -> Obligation:
    if lic.annual_report_last_year is not None:
        year, detail = lic.annual_report_last_year + 1, "next"
    else:  # unknown: assume every report whose deadline has passed was filed
        year = today.year - 1 if today <= report_due(today.year - 1, terms) else today.year
        detail = "assumed"
    if lic.issued_on is not None:
        year = max(year, lic.issued_on.year)  # licensed by 31 Dec of a year → report for that year
    due = report_due(year, terms)
    status = status_on(due, today, terms)
    return Obligation(
        key="annual_report", due=due, status=status, detail="overdue" if status == "overdue" else detail, year=year
    )


def _renewal(lic: Licence, expiry: date, terms: LicenceTerms, today: date) -> Obligation:
    due = expiry - timedelta(days=terms.renewal_days_before_expiry)
    if lic.renewal_filed_on is not None:
        late = lic.renewal_filed_on > due
        return Obligation(
            key="renewal", due=due, status="overdue" if late else "ok", detail="filed_late" if late else "filed"
        )
    status = status_on(due, today, terms)
    return Obligation(key="renewal", due=due, status=status, detail="lapses" if status == "overdue" else "open")


def _expiry(lic: Licence, expiry: date, renewal: Obligation, terms: LicenceTerms, today: date) -> Obligation:
    status = status_on(expiry, today, terms)
    if status == "overdue":
        return Obligation(key="expiry", due=expiry, status="overdue", detail="expired")
    if renewal.detail == "filed":
        return Obligation(key="expiry", due=expiry, status="ok", detail="renewal_filed")
    return Obligation(key="expiry", due=expiry, status=status, detail="open")


def _launched(renewal: Obligation, terms: LicenceTerms, today: date) -> Obligation:
    status = status_on(renewal.due, today, terms)
    if status == "ok":  # never "ok": a service not launched is refused at renewal whenever that is
        status = "upcoming"
    return Obligation(key="services_launched", due=renewal.due, status=status, detail="not_launched")


def obligations(profile: Profile, catalog: Catalog, today: date) -> tuple[Obligation, ...]:
    """The dated duties of a licence holder on ``today``; empty unless ``licence.held`` is true."""
    lic = profile.licence
    if lic.held is not True:
        return ()
    terms = catalog.licence
    out = [_annual_report(lic, terms, today)]
    expiry = expiry_date(lic, terms)
    if expiry is not None:
        renewal = _renewal(lic, expiry, terms, today)
        out += [renewal, _expiry(lic, expiry, renewal, terms, today)]
        if lic.services_launched is False:
            out.append(_launched(renewal, terms, today))
    return tuple(out)


def annual_report_deadlines(profile: Profile, catalog: Catalog, today: date, count: int = 5) -> tuple[date, ...]:
    """The next ``count`` annual-report deadlines from the next one due (for the calendar)."""
    first = _annual_report(profile.licence, catalog.licence, today)
    return tuple(report_due(first.year + i, catalog.licence) for i in range(count))  # type: ignore[operator]


def is_holder(profile: Profile) -> bool:
    return profile.licence.held is True
