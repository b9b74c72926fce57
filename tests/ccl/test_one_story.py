"""One story everywhere: every sample (and generated holders around their deadlines) through the ccl-side
surfaces — the JSON, the CLI text, the Excel report read back, the .ics parsed and the portfolio row — each
giving the same licence date, verdict, mode and next deadline as ``Evaluation.headline``."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from ccl.cli.assess import render_text
from ccl.cli.plan import render_plan
from ccl.engine import evaluation_json
from ccl.excel.report import build_report, sheet_names
from ccl.headline import deadline_value, licence_value, verdict_text
from ccl.i18n import fmt_date, status_label, t
from ccl.ics import calendar_ics
from ccl.pdf.brief import brief
from ccl.plan import in_plan_order, split_group
from ccl.portfolio import attention_order, column_header, portfolio_table
from ccl.records import dumps_json
from ccl.store.models import ClientSummary, SnapshotInfo, summary_of
from tests.conftest import ready_profile, shared_engine

DAY = date(2026, 12, 7)
LANGS = ("zh", "en")


def _client(ev, i: int) -> ClientSummary:
    when = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    info = SnapshotInfo(id=i, client_id=i, version=1, saved_at=when, saved_by="", summary=summary_of(ev))
    return ClientSummary(id=i, name=ev.profile.company.name or f"c{i}", created_at=when, latest=info)


def _json(ev) -> dict:
    return orjson.loads(dumps_json(evaluation_json(ev)))["headline"]


def _workbook(ev, lang):
    return openpyxl.load_workbook(io.BytesIO(build_report(ev, shared_engine(), lang, ev.start)))


def _sheet_text(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def _timeline_licence_row(ws, lang) -> date | None:
    """The Timeline sheet's 'licence issued' key-date row: its date."""
    label = t("milestone.licence", lang)
    for row in ws.iter_rows(min_row=4):
        if row[1].value == label:
            return row[3].value.date()
    return None


def _ics(ev, lang) -> dict[str, date]:
    cal = Calendar.from_ical(calendar_ics(ev, shared_engine().catalog, lang))
    return {str(e["SUMMARY"]): e.decoded("DTSTART") for e in cal.walk("VEVENT")}


def check_story(ev, lang: str, excel: bool = True) -> None:
    head = ev.headline
    engine = shared_engine()
    # JSON
    data = _json(ev)
    assert data["mode"] == head.mode and data["verdict"] == head.verdict
    assert data["licence_date"] == (head.licence_date.isoformat() if head.licence_date else None)
    nxt = head.next_deadline
    assert (data["next_deadline"] or {}).get("due") == (nxt.due.isoformat() if nxt else None)
    # CLI text: the same words
    text = render_text(ev, engine, lang, "x.json")
    assert verdict_text(head, lang) in text
    if head.mode != "holder":
        assert licence_value(head, lang) in text
    if nxt is not None:
        assert deadline_value(head, lang) in text
    if head.mode == "holder":
        assert status_label("ready", lang) not in text  # never "ready to apply"
    # the calendar
    events = _ics(ev, lang)
    if head.licence_date is not None and head.licence_date_latest is None:
        assert events[t("ics.licence", lang)] == head.licence_date
        assert events[t("ics.submission", lang)] == head.submission_date
    if head.mode != "applicant" and nxt is not None and nxt.key in ("renewal", "expiry"):
        key = {"renewal": "ics.renewal", "expiry": "ics.expiry"}[nxt.key]
        assert events[t(key, lang)] == nxt.due
    # the portfolio row
    table = portfolio_table([_client(ev, 1)], engine.catalog, lang, today=ev.start)
    row = table.iloc[0]
    assert row[column_header("status", lang)] == verdict_text(head, lang)
    assert row[column_header("licence_date", lang)] == head.licence_date
    assert row[column_header("next_deadline", lang)] == (deadline_value(head, lang) or "")
    if not excel:
        return
    wb = _workbook(ev, lang)
    names = sheet_names(lang)
    summary = _sheet_text(wb[names["summary"]])
    assert verdict_text(head, lang) in summary
    if nxt is not None:
        assert deadline_value(head, lang) in summary
    if head.licence_date is not None and head.licence_date_latest is None:
        dates = {c.value.date() for r in wb[names["summary"]].iter_rows() for c in r if getattr(c, "is_date", False)}
        assert head.licence_date in dates
        assert _timeline_licence_row(wb[names["timeline"]], lang) == head.licence_date
        if ev.plan:
            assert licence_value(head, lang) in str(wb[names["plan"]]["B2"].value)


@pytest.mark.parametrize("lang", LANGS)
def test_every_sample_tells_one_story(samples, lang):
    for s in samples:
        ev = shared_engine().evaluate(s.load(DAY), DAY)
        check_story(ev, lang)


def test_sample_10_dates_the_licence_by_the_plan_everywhere(samples):
    ev = shared_engine().evaluate(next(s for s in samples if s.key.startswith("10")).load(DAY), DAY)
    head = ev.headline
    assert head.licence_date_basis == "plan" and head.licence_date == ev.plan_timeline.licence_date
    events = _ics(ev, "zh")
    # the calendar never asks to submit before an action that must precede submission is due
    for item in ev.plan:
        if item.active and item.due and item.needed_by == "submission":
            assert events[t("ics.submission", "zh")] > item.due
    wb = _workbook(ev, "zh")
    tl = wb[sheet_names("zh")["timeline"]]
    expiry = next(r[3].value.date() for r in tl.iter_rows(min_row=4) if r[1].value == t("milestone.expiry", "zh"))
    assert expiry == head.expiry_date  # the Timeline sheet's expiry is the headline's


def test_the_call_first_view_puts_the_holder_a_week_from_its_renewal_before_calmer_clients(samples):
    engine = shared_engine()
    evs = {s.key[:2]: engine.evaluate(s.load(DAY), DAY) for s in samples}
    clients = [_client(ev, i) for i, ev in enumerate(evs.values(), 1)]
    order = [c.latest.summary for c in attention_order(clients, DAY)]
    holder = next(i for i, s in enumerate(order) if s.mode == "holder")
    assert order[holder].next_deadline_due == date(2026, 12, 14)
    calmer = [s for s in order if s.next_deadline_due is None or s.next_deadline_due > date(2026, 12, 14)]
    assert all(order.index(s) > holder for s in calmer)
    row = portfolio_table([clients[list(evs).index("09")]], engine.catalog, "zh", today=DAY).iloc[0]
    assert row[column_header("status", "zh")] == t("status.licensed", "zh")
    assert row[column_header("licence_date", "zh")] is None
    assert row[column_header("next_deadline", "zh")] == f"延续申请 · {fmt_date(date(2026, 12, 14), 'zh')} · 临近截止"


EXPIRES = date(2027, 3, 14)


@pytest.mark.parametrize("lang", LANGS)
def test_every_surface_lists_the_plan_in_one_order_with_a_split_actions_steps_in_sequence(samples, lang):
    """The workbook's plan sheet and the command line's plan list every sample's actions in
    ``in_plan_order`` (the Action plan page's order too): a split action's steps together and in step order.
    The workbook and the command line used ``sort_key`` alone, which put the steps of sample 03's capital
    increase as publication, registration, resolution: the reverse of what must happen."""
    engine = shared_engine()
    split = 0
    for s in samples:
        ev = engine.evaluate(s.load(DAY), DAY)
        if not ev.plan:
            continue
        order = in_plan_order(ev.plan)
        groups = [split_group(i) for i in order]
        for g in {split_group(i) for i in order if i.steps > 1}:
            at = [n for n, x in enumerate(groups) if x == g]
            assert at == list(range(at[0], at[0] + len(at))), (s.key, g)  # together
            assert [order[n].step for n in at] == sorted(order[n].step for n in at), (s.key, g)  # in sequence
            split += 1
        sheet = _workbook(ev, lang)[sheet_names(lang)["plan"]]
        assert [r[0] for r in sheet.iter_rows(min_row=5, values_only=True)] == [i.id for i in order], s.key
        text = render_plan(ev, lang, "x.json")
        where = [text.index(i.label(lang)) for i in order]  # each found after the one before it
        assert where == sorted(where), s.key
    assert split >= 10  # samples 02, 03, 04, 07, 08 and 10 have split actions


@pytest.mark.parametrize("lang", LANGS)
def test_every_surface_lists_a_holders_duties_in_the_order_they_fall_due(samples, lang):
    """Sample 09 (its renewal due before its annual report) and a holder whose licence lapses (the renewal
    overdue, then the expiry, a fresh application, the annual report and the scope change): the workbook,
    the PDF brief and the command
    line list the duties in ``Evaluation.obligations``' order, which is by due date (the PDF sorted them
    by date while the others kept the order they were computed in, the annual report first)."""
    engine = shared_engine()
    holder = next(s for s in samples if s.key.startswith("09")).load(DAY)
    lapsing = ready_profile(licence={"held": True, "issued_on": date(2022, 3, 15), "expires_on": EXPIRES})
    for ev in (engine.evaluate(holder, DAY), engine.evaluate(lapsing, date(2027, 1, 20))):
        dues = [o.due for o in ev.obligations]
        assert len(dues) >= 3 and dues == sorted(dues)
        names = [t(f"obligation.key.{o.key}", lang) for o in ev.obligations]
        sheet = _workbook(ev, lang)[sheet_names(lang)["routes"]]
        assert [r[1] for r in sheet.iter_rows(values_only=True) if r[0] == t("xlsx_routes.duty", lang)] == names
        assert [row.cells[0] for row in brief(ev, engine, lang, ev.start).duties] == names
        lines = render_text(ev, engine, lang, "x.json").splitlines()
        listed = [line.split("] ", 1)[1] for line in lines if line.startswith("  [")]
        assert listed == [f"{n} {fmt_date(d, lang)}" for n, d in zip(names, dues, strict=True)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offset=st.integers(min_value=-200, max_value=120),
    filed=st.sampled_from([None, -30, 10]),
    last_report=st.sampled_from([2024, 2025, None]),
    lang=st.sampled_from(LANGS),
)
def test_holders_around_their_deadlines_tell_one_story(offset, filed, last_report, lang):
    """A holder checked from 200 days before its renewal deadline to 120 days after it, renewal filed in
    time, late or not at all: every ccl surface agrees on mode, verdict and next deadline."""
    renewal_due = EXPIRES - timedelta(days=90)
    licence = {
        "held": True,
        "number": "苏B2-20220315",
        "issued_on": date(2022, 3, 15),
        "expires_on": EXPIRES,
        "annual_report_last_year": last_report,
        "renewal_filed_on": None if filed is None else renewal_due + timedelta(days=filed),
    }
    day = renewal_due + timedelta(days=offset)
    if licence["renewal_filed_on"] is not None and licence["renewal_filed_on"] > day:
        licence["renewal_filed_on"] = None  # a filing cannot be dated after the day it is checked
    ev = shared_engine().evaluate(ready_profile(licence=licence), day)
    head = ev.headline
    filed = licence["renewal_filed_on"]
    in_time = filed is not None and filed <= renewal_due
    # not applied for in time (never, or late): not renewed (Order 42), so the licence lapses
    assert head.mode == ("lapsed" if not in_time and day > renewal_due else "holder")
    if head.mode == "holder" and head.next_deadline is not None:
        match = [o for o in ev.obligations if o.key == head.next_deadline.key]
        assert match and match[0].due == head.next_deadline.due and match[0].status == head.next_deadline.status
    check_story(ev, lang, excel=False)
