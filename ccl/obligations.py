"""Staying licensed: the dated duties of a licence holder, checked on a given day.

``obligations(profile, catalog, today)`` is a pure function of the ``licence`` section. Each dated
duty gets a status from the catalog's thresholds (``licence.due_soon_days`` / ``upcoming_days``):
``overdue`` after its date, ``due_soon`` on or within due_soon_days before it, ``upcoming`` within
upcoming_days, else ``ok``; a duty already done is ``ok``. A duty whose state the answers do not tell
(the annual report when the last year reported is not given) is ``to_check``, never ``ok``. ``duties``
lists the standing duties of domain §6 that have no date (show the number, report changes, file a
networking-plan change).

A licence whose renewal was not applied for in time is not renewed (不予延续, Order 42) and ends at
expiry (``licence_ends``). Its holder is then told three things: the expiry row says it ends; when a
fresh application's projected licence date (``fresh_licence``, the expected timeline) falls after
expiry, the gap in which operating would be unlicensed (电信条例 Art. 69); and the duty to change the
registered business scope or deregister within 30 days after expiry (市场主体登记管理条例 Art. 26).
No annual report is asked for a business year from the year the licence ends (whether one is owed for
that last part-year is unverified); the report for the last full year stays, even if due after expiry.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from ccl.catalog.load import Catalog
from ccl.catalog.objects import LicenceTerms
from ccl.profile import Licence, Profile
from ccl.records import Record, record

ObligationStatus = Literal["ok", "to_check", "upcoming", "due_soon", "overdue"]
ObligationKey = Literal["annual_report", "renewal", "expiry", "services_launched", "reapply", "deregister"]
STANDING_DUTIES: tuple[str, ...] = (
    "show_number",
    "changes",
    "networking_plan",
    "scope",
    "caller_id",
    "provinces",
    "graded_protection",
)
# 市场主体登记管理条例 Art. 26: change the business scope or deregister within 30 days after a licence ends
SCOPE_CHANGE_DAYS = 30


@record
class Obligation(Record):
    """One dated duty. ``detail`` names the message variant (filed, unknown, lapsed …) for the locales."""

    key: ObligationKey
    due: date
    status: ObligationStatus
    detail: str
    year: int | None = None  # the business year an annual report covers
    licence: date | None = None  # "reapply": the projected licence date of a fresh application
    gap_days: int | None = None  # "reapply": days between expiry and that date (operating would be unlicensed)


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
    else:  # not given: the next report still open is the one to file; whether the earlier ones were is unknown
        year = today.year - 1 if today <= report_due(today.year - 1, terms) else today.year
        detail = "unknown"
    if lic.issued_on is not None:
        year = max(year, lic.issued_on.year)  # licensed by 31 Dec of a year → report for that year
    due = report_due(year, terms)
    status = status_on(due, today, terms)
    if detail == "unknown" and status == "ok":  # after 31 March last year's report is unknown, not filed
        status = "to_check"
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
    if renewal.detail in ("lapses", "filed_late"):  # not renewed: the licence ends on this day
        return Obligation(key="expiry", due=expiry, status=_never_ok(status), detail="ends")
    return Obligation(key="expiry", due=expiry, status=status, detail="open")


def _never_ok(status: ObligationStatus) -> ObligationStatus:
    return "upcoming" if status == "ok" else status


def licence_ends(profile: Profile, catalog: Catalog, today: date) -> date | None:
    """The expiry date when the licence will not be renewed (renewal not applied for in time), else None."""
    lic, terms = profile.licence, catalog.licence
    expiry = expiry_date(lic, terms)
    if lic.held is not True or expiry is None:
        return None
    renewal = _renewal(lic, expiry, terms, today)
    return (
        expiry if renewal.detail in ("lapses", "filed_late") or (today > expiry and renewal.detail != "filed") else None
    )


def _after_end(end: date, fresh_licence: date | None, terms: LicenceTerms, today: date) -> list[Obligation]:
    """A licence that ends: the unlicensed gap a fresh application leaves, and the 30-day registration duty."""
    out = []
    if fresh_licence is not None:
        gap = (fresh_licence - end).days
        detail = "gap" if gap > 0 else "in_time"
        status: ObligationStatus = _never_ok(status_on(end, today, terms)) if gap > 0 else "ok"
        out.append(
            Obligation(
                key="reapply", due=end, status=status, detail=detail, licence=fresh_licence, gap_days=max(gap, 0)
            )
        )
    due = end + timedelta(days=SCOPE_CHANGE_DAYS)
    out.append(Obligation(key="deregister", due=due, status=_never_ok(status_on(due, today, terms)), detail="scope"))
    return out


def _launched(renewal: Obligation, terms: LicenceTerms, today: date) -> Obligation:
    status = status_on(renewal.due, today, terms)
    if status == "ok":  # never "ok": a service not launched is refused at renewal whenever that is
        status = "upcoming"
    return Obligation(key="services_launched", due=renewal.due, status=status, detail="not_launched")


def obligations(
    profile: Profile, catalog: Catalog, today: date, fresh_licence: date | None = None
) -> tuple[Obligation, ...]:
    """The dated duties of a licence holder on ``today``, in the order they fall due (duties due on the
    same day in the order the law puts them: report, renewal, expiry, …); empty unless ``licence.held`` is
    true. Every surface lists them in this order: the Overview, the duties page, the workbook, the PDF brief
    and the command line.

    ``fresh_licence`` is the projected licence date of a new application (the expected timeline): for
    a licence that is not renewed, it dates the unlicensed gap after expiry."""
    lic = profile.licence
    if lic.held is not True:
        return ()
    terms = catalog.licence
    end = licence_ends(profile, catalog, today)
    report = _annual_report(lic, terms, today)
    out = [] if end is not None and report.year is not None and report.year >= end.year else [report]
    expiry = expiry_date(lic, terms)
    if expiry is not None:
        renewal = _renewal(lic, expiry, terms, today)
        out += [renewal, _expiry(lic, expiry, renewal, terms, today)]
        if lic.services_launched is False:
            out.append(_launched(renewal, terms, today))
    if end is not None:
        out += _after_end(end, fresh_licence, terms, today)
    return tuple(sorted(out, key=lambda o: o.due))  # stable: same-day duties keep the order above


def annual_report_deadlines(profile: Profile, catalog: Catalog, today: date, count: int = 5) -> tuple[date, ...]:
    """The next ``count`` annual-report deadlines from the next one due (for the calendar); none for the
    years from the one in which a licence that is not renewed ends."""
    first = _annual_report(profile.licence, catalog.licence, today).year
    assert first is not None  # an annual report always names the year it covers
    years = (first + i for i in range(count))
    end = licence_ends(profile, catalog, today)
    return tuple(report_due(y, catalog.licence) for y in years if end is None or y < end.year)
