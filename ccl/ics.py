"""The compliance calendar: an iCalendar (RFC 5545) file of the dates that matter, in zh or en.

``calendar_ics(ev, catalog, lang)`` returns bytes. An applicant gets the projected application
milestones (each says it is an estimate); a licence holder gets the next five annual-report
deadlines, the renewal deadline with reminders, and expiry. All-day events, UTF-8 text, and UIDs
stable across exports (built from the company, the event and its date) so a re-import updates
rather than duplicates. Pure: the stamp is the evaluation's start date, not the clock.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event

from ccl.catalog import Catalog
from ccl.i18n import Lang, t
from ccl.obligations import annual_report_deadlines, expiry_date

if TYPE_CHECKING:
    from ccl.engine import Evaluation

APPLICATION_MILESTONES = ("submission", "acceptance", "decision", "licence", "number")
PRODID = "-//CCL Readiness//Call-centre licence compliance calendar//ZH-EN"


def _uid(owner: str, key: str, day: date) -> str:
    digest = hashlib.sha1(f"{owner}|{key}|{day.isoformat()}".encode()).hexdigest()[:16]
    return f"{key}-{day.isoformat()}-{digest}@ccl-readiness"


def _event(owner: str, key: str, day: date, summary: str, description: str, stamp: datetime) -> Event:
    ev = Event()
    ev.add("uid", _uid(owner, key, day))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", day)
    ev.add("dtend", day + timedelta(days=1))
    ev.add("summary", summary)
    ev.add("description", description)
    ev.add("transp", "TRANSPARENT")
    return ev


def _alarm(days_before: int, title: str, lang: Lang) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", t("ics.reminder", lang, title=title))
    alarm.add("trigger", timedelta(days=-days_before))
    return alarm


def _application_events(ev: Evaluation, owner: str, lang: Lang, stamp: datetime) -> list[Event]:
    tl = ev.expected
    out = []
    for m in tl.milestones:
        if m.key not in APPLICATION_MILESTONES:
            continue
        # every application date is a projection: the event text says so
        text = t(f"ics.{m.key}", lang) + t("ics.estimate_note", lang)
        out.append(_event(owner, m.key, m.date, t(f"ics.{m.key}", lang), text, stamp))
    return out


def _holder_events(ev: Evaluation, catalog: Catalog, owner: str, lang: Lang, stamp: datetime) -> list[Event]:
    terms = catalog.licence
    out = []
    for due in annual_report_deadlines(ev.profile, catalog, ev.start):
        title = t("ics.annual_report", lang, year=due.year - 1)
        item = _event(owner, "annual_report", due, title, t("ics.annual_report_text", lang), stamp)
        item.add_component(_alarm(terms.due_soon_days, title, lang))
        out.append(item)
    expiry = expiry_date(ev.profile.licence, terms)
    if expiry is None:
        return out
    renewal = expiry - timedelta(days=terms.renewal_days_before_expiry)
    title = t("ics.renewal", lang)
    item = _event(owner, "renewal_deadline", renewal, title, t("ics.renewal_text", lang), stamp)
    for days in sorted({terms.upcoming_days, terms.due_soon_days, 7}, reverse=True):
        item.add_component(_alarm(days, title, lang))
    out.append(item)
    title = t("ics.expiry", lang)
    item = _event(owner, "expiry", expiry, title, t("ics.expiry_text", lang), stamp)
    item.add_component(_alarm(terms.due_soon_days, title, lang))
    out.append(item)
    return out


def calendar_ics(ev: Evaluation, catalog: Catalog, lang: Lang) -> bytes:
    """The compliance calendar of one evaluated profile as an .ics file."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = ev.profile.company.name or ""
    cal.add("x-wr-calname", f"{t('ics.calendar_name', lang)} · {name}" if name else t("ics.calendar_name", lang))
    owner = ev.profile.licence.number or name or "ccl"
    stamp = datetime.combine(ev.start, time(0, 0), tzinfo=UTC)
    events = (
        _holder_events(ev, catalog, owner, lang, stamp) if ev.holder else _application_events(ev, owner, lang, stamp)
    )
    for item in events:
        cal.add_component(item)
    return cal.to_ical()
