"""The compliance calendar: an iCalendar (RFC 5545) file of the dates that matter, in zh or en.

``calendar_ics(ev, catalog, lang)`` returns bytes. An applicant gets the projected application
milestones of the headline's projection (each says it is an estimate); a licence holder gets the
next five annual-report deadlines (none for the years from the one in which a licence that is not
renewed ends), the renewal deadline with reminders and expiry; a licence not renewed (lapsed) gets
no renewal reminder but the 30-day business-scope change or deregistration, and the fresh
application. All get the due date of every action of the plan still to do (open or in progress, or
marked done while its gap shows), with its owner and a reminder. All-day events, UTF-8 text, and UIDs
stable across exports (built from the company and the milestone, the annual report's year or the
action, never the date, so a moved date updates the event) so a re-import updates rather than
duplicates. Pure: the stamp is the evaluation's start date, not the clock.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event

from ccl.catalog.load import Catalog
from ccl.i18n import Lang, fmt_date, plan_status_label, t
from ccl.obligations import SCOPE_CHANGE_DAYS, annual_report_deadlines, expiry_date, licence_ends

if TYPE_CHECKING:
    from ccl.engine import Evaluation

APPLICATION_MILESTONES = ("submission", "acceptance", "decision", "licence", "number")
PRODID = "-//CCL Readiness//Call-centre licence compliance calendar//ZH-EN"
ACTION_REMINDER_DAYS = 3


def _uid(owner: str, key: str) -> str:
    """One UID per company and event (a milestone, an annual report's year), never its date: when the
    projection moves, a re-import moves the event instead of adding a second one."""
    digest = hashlib.sha1(f"{owner}|{key}".encode()).hexdigest()[:20]
    return f"{key}-{digest}@ccl-readiness"


def _action_uid(owner: str, action_id: str) -> str:
    """One UID per company and action, whatever its due date: moving the date updates the event."""
    digest = hashlib.sha1(f"{owner}|action|{action_id}".encode()).hexdigest()[:20]
    return f"action-{digest}@ccl-readiness"


def _event(
    owner: str, key: str, day: date, summary: str, description: str, stamp: datetime, uid: str | None = None
) -> Event:
    ev = Event()
    ev.add("uid", uid or _uid(owner, key))
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
    """The headline's projection (the plan's or the catalog's, ``Evaluation.story_timeline``)."""
    tl = ev.story_timeline
    if tl is None or ev.head.licence_date is None:  # no date can be defended: no event pretends to one
        return []
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
    expiry = expiry_date(ev.profile.licence, terms)
    lapsed = ev.head.mode == "lapsed"
    for due in annual_report_deadlines(ev.profile, catalog, ev.start):  # none after a licence that ends
        title = t("ics.annual_report", lang, year=due.year - 1)
        item = _event(owner, f"annual_report-{due.year - 1}", due, title, t("ics.annual_report_text", lang), stamp)
        item.add_component(_alarm(terms.due_soon_days, title, lang))
        out.append(item)
    if expiry is None:
        return out
    if not lapsed:  # a lapsed licence's renewal deadline has passed: nothing to remind of
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
    end = licence_ends(ev.profile, catalog, ev.start)
    if end is not None:  # not renewed: the registration duty after the licence ends
        due = end + timedelta(days=SCOPE_CHANGE_DAYS)
        title = t("ics.deregister", lang)
        item = _event(owner, "deregister", due, title, t("ics.deregister_text", lang), stamp)
        item.add_component(_alarm(7, title, lang))
        out.append(item)
    return out


def _action_events(ev: Evaluation, owner: str, lang: Lang, stamp: datetime) -> list[Event]:
    """The due date of each action still to do: "[行动] 签订中继合同 — 负责人：王磊", reminded ahead."""
    out = []
    for item in ev.plan:
        if not (item.active or item.reopened) or item.due is None:  # a done action whose gap is open still counts
            continue
        name = item.label(lang).rstrip("。.")  # a title, not a sentence, before " — owner"
        who = item.owner
        title = (
            t("store_plan.ics.action", lang, action=name, owner=who)
            if who
            else t("store_plan.ics.action_unowned", lang, action=name)
        )
        text = t(
            "store_plan.ics.action_text",
            lang,
            due=fmt_date(item.due, lang),
            status=plan_status_label(item.status, lang),
            owner=who or t("store_plan.ics.unowned", lang),
        )
        event = _event(owner, "action", item.due, title, text, stamp, uid=_action_uid(owner, item.id))
        event.add_component(_alarm(ACTION_REMINDER_DAYS, title, lang))
        out.append(event)
    return out


def calendar_ics(ev: Evaluation, catalog: Catalog, lang: Lang) -> bytes:
    """The compliance calendar of one evaluated profile as an .ics file."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = " ".join((ev.profile.company.name or "").split())  # one line: a break would start a new property
    cal.add("x-wr-calname", f"{t('ics.calendar_name', lang)} · {name}" if name else t("ics.calendar_name", lang))
    owner = ev.profile.licence.number or name or "ccl"
    stamp = datetime.combine(ev.start, time(0, 0), tzinfo=UTC)
    mode = ev.head.mode
    events = _holder_events(ev, catalog, owner, lang, stamp) if mode != "applicant" else []
    if mode != "holder":  # an applicant, or a lapsed holder applying afresh
        events += _application_events(ev, owner, lang, stamp)
    for item in [*events, *_action_events(ev, owner, lang, stamp)]:
        cal.add_component(item)
    ical: bytes = cal.to_ical()
    return ical
