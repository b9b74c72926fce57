"""Projected timeline: remediation work, the regulator's stages, the licence and what follows it.

``project(assessment, catalog, calendar, start, scenario)`` is a pure function. Remediation tasks run
in parallel unless the catalog says one waits for another (``after``); then submission, the
completeness check (and correction rounds when the answers make one likely), substantive review
with the on-site inspection inside it, optional expert review (outside the statutory clock), and
issuance. Every stage that rests on an estimate, or on a year whose official holiday schedule is
not known, is flagged ``estimate``.

(About 500 lines on purpose: the projection is one scheduling algorithm whose parts share its state.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

from ccl.calendar.workdays import WorkCalendar
from ccl.catalog.load import Catalog
from ccl.catalog.objects import SCENARIOS, Scenario
from ccl.obligations import Obligation, expiry_date, report_due, status_on
from ccl.plan import PlanItem
from ccl.profile import Licence
from ccl.records import Record, record
from ccl.scoring import Assessment, assume_open_fail

StageKind = Literal["work", "regulator"]
ReviewAnchor = Literal["acceptance", "receipt"]
# The projection start dates the product accepts: the calendar holds official holiday schedules from
# 2000 and estimates the years after the last published one; a licence runs five years past the end.
START_MIN = date(2000, 1, 1)
START_MAX = date(2099, 12, 31)
# milestones that still mean something while a legal gate is unanswered (no licence date to count from)
PRE_LICENCE_MILESTONES = ("today",)


@record
class TimelineStage(Record):
    key: str
    kind: StageKind
    stage: str  # catalog stage key, or "remediation"
    start: date
    end: date
    working_days: int
    calendar_days: int
    estimate: bool
    day_kind: Literal["working", "calendar"] = "working"
    excluded_from_clock: bool = False
    rule_id: str | None = None
    dimension: str | None = None
    round: int | None = None  # which correction round (and the completeness check after it), from 1
    needed_by: Literal["submission", "issuance"] | None = None  # remediation: what it must precede
    action_id: str | None = None  # the plan's action (a timeline built from the plan)
    due: date | None = None  # the action's due date, when the plan sets one
    due_missed: bool = False  # that date cannot hold (passed, or before what it waits for): estimated instead


@record
class Milestone(Record):
    key: Literal[
        "today",
        "submission",
        "acceptance",
        "decision",
        "licence",
        "number",
        "annual_report",
        "renewal_warning",
        "renewal_deadline",
        "expiry",
    ]
    date: date
    estimate: bool


@record
class Timeline(Record):
    scenario: Scenario
    start: date
    stages: tuple[TimelineStage, ...]
    milestones: tuple[Milestone, ...]
    correction_rounds: int
    submission_date: date
    acceptance_date: date
    decision_date: date
    licence_date: date | None  # None while a legal gate waits on an answer
    expiry_date: date | None
    renewal_deadline: date | None
    estimate: bool
    assumes_blockers_removed: bool
    open_questions: int
    # far end of the licence date range when questions are open: their remedies' work assumed needed
    licence_date_latest: date | None = None
    gates_open: tuple[str, ...] = ()  # the questions a legal gate waits on (then licence_date is None)

    @property
    def end(self) -> date:
        """The last day of the projected stages (the licence date when there is one)."""
        return max(s.end for s in self.stages) if self.stages else self.start

    def milestone(self, key: str) -> date | None:
        return next((m.date for m in self.milestones if m.key == key), None)


@record
class WorkItem(Record):
    """One piece of remediation to schedule: a failing rule's remedy, or a plan action."""

    key: str
    rule_id: str
    dimension: str
    effort_days: tuple[int, int]
    after: tuple[str, ...]  # keys of the work items that must end first
    needed_by: Literal["submission", "issuance"]
    due: date | None = None
    action_id: str | None = None


def _effort(effort_days: tuple[int, int], scenario: Scenario) -> int:
    lo, hi = effort_days
    return {"optimistic": lo, "expected": (lo + hi + 1) // 2, "pessimistic": hi}[scenario]


def catalog_work(assessment: Assessment, catalog: Catalog) -> list[WorkItem]:
    """The remedy of every blocker, major and minor gap, with the catalog's effort estimates."""
    todo = [g for g in assessment.gaps if g.severity != "warning"]
    keys = {g.rule_id for g in todo}
    return [
        WorkItem(
            key=g.rule_id,
            rule_id=g.rule_id,
            dimension=g.dimension,
            effort_days=g.effort_days,
            after=tuple(d for d in g.after if d in keys),
            needed_by=catalog.rule_by_id[g.rule_id].before,
        )
        for g in todo
    ]


def plan_work(assessment: Assessment, catalog: Catalog, plan: Sequence[PlanItem]) -> list[WorkItem]:
    """The same remedies as :func:`catalog_work`, done as the plan says.

    A failing rule is done by the plan's actions that clear it (their effort, due dates and order);
    one whose every action is waived is left out; one no action covers keeps the catalog's estimate.
    An action marked done while its rule still fails is scheduled again (the answers decide). A due
    date is kept only for actions still to do (or marked done while their gap is open). A dated action
    still to do on a rule with no remedy to schedule (a reminder, an unanswered question) is scheduled
    too: what it must precede waits for its due date.
    """
    catalog_items = {w.rule_id: w for w in catalog_work(assessment, catalog)}
    covering: dict[str, list[PlanItem]] = {}
    for item in plan:
        for rid in item.rule_ids:
            if rid in catalog_items:
                covering.setdefault(rid, []).append(item)
    work: dict[str, WorkItem] = {}
    keys_of_rule: dict[str, list[str]] = {}
    for rid, base in catalog_items.items():
        items = covering.get(rid)
        if not items:
            work[base.key] = base
            keys_of_rule[rid] = [base.key]
            continue
        live = [i for i in items if i.status != "waived"]
        keys_of_rule[rid] = [i.id for i in live]
        for i in live:
            if i.id in work:
                continue
            work[i.id] = WorkItem(
                key=i.id,
                rule_id=rid,
                dimension=i.dimension or base.dimension,
                effort_days=i.effort_days or base.effort_days,
                after=i.after,
                needed_by=i.needed_by or base.needed_by,
                due=i.due if i.active or i.reopened else None,
                action_id=i.id,
            )
    work |= _dated_extras(plan, work)
    out = []
    for w in work.values():
        deps = [d for d in w.after if d in work]
        if w.action_id is None:  # a rule's own remedy waits for whatever does the rules it depends on
            deps = [k for r in w.after for k in keys_of_rule.get(r, ())]
        out.append(dataclasses.replace(w, after=tuple(dict.fromkeys(deps))))
    return out


def _dated_extras(plan: Sequence[PlanItem], work: dict[str, WorkItem]) -> dict[str, WorkItem]:
    """Dated actions still to do on a rule with no remedy scheduled (a reminder, an unanswered question):
    what they must precede waits for their due date too."""
    return {
        i.id: WorkItem(
            key=i.id,
            rule_id=i.rule_ids[0],
            dimension=i.dimension or "",
            effort_days=i.effort_days or (1, 1),
            after=i.after,
            needed_by=i.needed_by,
            due=i.due,
            action_id=i.id,
        )
        for i in plan
        if i.id not in work and i.due is not None and (i.active or i.reopened) and i.needed_by and i.rule_ids
    }


class _Builder:
    def __init__(self, cal: WorkCalendar, scenario: Scenario):
        self.cal, self.scenario = cal, scenario
        self.stages: list[TimelineStage] = []

    def estimated(self, a: date, b: date) -> bool:
        return any(not self.cal.is_official(date(y, 1, 1)) for y in range(a.year, b.year + 1))

    def span(
        self,
        key: str,
        kind: StageKind,
        stage: str,
        first: date,
        days: int,
        *,
        day_kind: str = "working",
        estimate: bool = False,
        **extra: Any,
    ) -> TimelineStage:
        """A stage of ``days`` days whose first day is on or after ``first``; returns it."""
        if day_kind == "calendar":
            start, end = first, first + timedelta(days=max(days - 1, 0))
            wd = self.cal.workdays_between(start - timedelta(days=1), end) if days else 0
        else:
            start = self.cal.next_workday(first)
            end = self.cal.add_workdays(start, days - 1) if days else start
            wd = days
        cal_days = (end - start).days + 1 if days else 0
        return self._add(key, kind, stage, start, end, wd, cal_days, estimate, day_kind=day_kind, **extra)

    def until(self, key: str, kind: StageKind, stage: str, first: date, end: date, **extra: Any) -> TimelineStage:
        """A stage from the first working day on or after ``first`` to the fixed day ``end`` (a due date)."""
        start = min(self.cal.next_workday(first), end)
        wd = self.cal.workdays_between(start - timedelta(days=1), end)
        return self._add(key, kind, stage, start, end, wd, (end - start).days + 1, False, **extra)

    def _add(
        self,
        key: str,
        kind: StageKind,
        stage: str,
        start: date,
        end: date,
        wd: int,
        cal_days: int,
        estimate: bool,
        **extra: Any,
    ) -> TimelineStage:
        st = TimelineStage(
            key=key,
            kind=kind,
            stage=stage,
            start=start,
            end=end,
            working_days=wd,
            calendar_days=cal_days,
            estimate=estimate or self.estimated(start, end),
            **extra,
        )
        self.stages.append(st)
        return st


def project(
    assessment: Assessment,
    catalog: Catalog,
    cal: WorkCalendar,
    start: date,
    scenario: Scenario = "expected",
    review_anchor: ReviewAnchor = "acceptance",
    number: bool = False,
    plan: Sequence[PlanItem] | None = None,
) -> Timeline:
    """Dated projection from ``start`` to the licence and its renewal deadline, for one scenario.

    While a legal gate waits on an answer there is no licence date (the stages keep the regulator's
    durations). With the gates answered but other questions open, ``licence_date_latest`` is the date
    if every open question turned out to need its remedy.

    Remedies a rule marks ``before = "issuance"`` (staffing and social insurance, deferred on a
    commitment since the 2020 reform) run alongside the review; issuance waits for them to end.
    ``number``: a 95/96 number is wanted, approved after the licence.
    ``plan``: schedule the remedies as the action plan says (its actions, efforts and due dates),
    see :func:`plan_work`; without it, the catalog's effort estimates.
    """
    tl = _project(assessment, catalog, cal, start, scenario, review_anchor, number, plan)
    gates_open = assessment.gates_open
    if gates_open:
        return dataclasses.replace(
            tl,
            licence_date=None,
            expiry_date=None,
            renewal_deadline=None,
            milestones=tuple(m for m in tl.milestones if m.key in PRE_LICENCE_MILESTONES),
            gates_open=gates_open,
        )
    if assessment.unanswered:
        far = _project(
            assume_open_fail(assessment, catalog), catalog, cal, start, scenario, review_anchor, number, plan
        )
        if far.licence_date and tl.licence_date and far.licence_date > tl.licence_date:
            return dataclasses.replace(tl, licence_date_latest=far.licence_date)
    return tl


def _project(
    assessment: Assessment,
    catalog: Catalog,
    cal: WorkCalendar,
    start: date,
    scenario: Scenario,
    review_anchor: ReviewAnchor,
    number: bool = False,
    plan: Sequence[PlanItem] | None = None,
) -> Timeline:
    b = _Builder(cal, scenario)
    work = catalog_work(assessment, catalog) if plan is None else plan_work(assessment, catalog, plan)
    work_end, deferred_end = _remediation(b, work, start)
    stages = catalog.stage_by_key

    def next_day(d: date) -> date:
        return d + timedelta(days=1)

    sub_cfg = stages["submission"]
    sub = b.span(
        "submission",
        "regulator",
        "submission",
        next_day(work_end) if work_end else start,
        sub_cfg.days[scenario],
        estimate=sub_cfg.estimate,
    )
    check = stages["completeness_check"]
    acc = b.span("completeness_check", "regulator", "completeness_check", next_day(sub.end), check.days[scenario])
    rounds = _rounds(assessment, catalog, scenario)
    for i in range(1, rounds + 1):
        corr_cfg = stages["correction"]
        corr = b.span(
            f"correction_{i}",
            "regulator",
            "correction",
            next_day(acc.end),
            corr_cfg.days[scenario],
            estimate=True,
            round=i,
        )
        acc = b.span(
            f"completeness_check_{i + 1}",
            "regulator",
            "completeness_check",
            next_day(corr.end),
            check.days[scenario],
            round=i + 1,
        )
    review_cfg = stages["review"]
    anchor = sub.end if review_anchor == "receipt" and rounds == 0 else acc.end
    review = b.span(
        "review",
        "regulator",
        "review",
        next_day(anchor),
        review_cfg.days[scenario],
        day_kind=review_cfg.day_kind[scenario],
        estimate=review_cfg.estimate,
    )
    _inside(b, catalog, review)
    decision = review.end
    expert_cfg = stages["expert_review"]
    if expert_cfg.days[scenario] > 0:
        expert = b.span(
            "expert_review",
            "regulator",
            "expert_review",
            next_day(review.end),
            expert_cfg.days[scenario],
            estimate=True,
            excluded_from_clock=True,
        )
        decision = expert.end
    issue_cfg = stages["issuance"]
    issue_from = max(next_day(decision), next_day(deferred_end)) if deferred_end else next_day(decision)
    issuance = b.span(
        "issuance", "regulator", "issuance", issue_from, issue_cfg.days[scenario], estimate=issue_cfg.estimate
    )
    if number and "number_approval" in stages:
        days = stages["number_approval"].days[scenario]
        b.span("number_approval", "regulator", "number_approval", next_day(issuance.end), days, estimate=True)
    return _finish(b, assessment, catalog, start, rounds, sub.end, acc.end, decision, issuance.end)


def _remediation(b: _Builder, work: list[WorkItem], start: date) -> tuple[date | None, date | None]:
    """Schedule the remediation work: each item starts when what it waits for has ended.

    An item with a due date ends on it when that is still possible; when the date has passed or comes
    before what it waits for, the item keeps its effort estimate and is flagged ``due_missed``.
    Returns the last end of the work needed before submission, and of the work that may run until
    issuance (each None when there is none).
    """
    todo = {w.key: w for w in work}
    ends: dict[str, date] = {}

    def schedule(key: str) -> date:
        if key in ends:
            return ends[key]
        w = todo[key]
        ready = start
        for dep in w.after:
            if dep in todo:
                ready = max(ready, schedule(dep) + timedelta(days=1))
        extra: dict[str, Any] = dict(
            rule_id=w.rule_id, dimension=w.dimension, needed_by=w.needed_by, action_id=w.action_id, due=w.due
        )
        if w.due is not None and w.due >= ready:
            st = b.until(f"work:{key}", "work", "remediation", ready, w.due, **extra)
        else:
            st = b.span(
                f"work:{key}",
                "work",
                "remediation",
                ready,
                _effort(w.effort_days, b.scenario),
                estimate=True,
                due_missed=w.due is not None,
                **extra,
            )
        ends[key] = st.end
        return st.end

    for key in todo:
        schedule(key)
    b.stages.sort(key=lambda s: (s.start, s.end, s.key))
    before = [ends[k] for k, w in todo.items() if w.needed_by == "submission"]
    deferred = [ends[k] for k, w in todo.items() if w.needed_by == "issuance"]
    return (max(before) if before else None), (max(deferred) if deferred else None)


def _rounds(assessment: Assessment, catalog: Catalog, scenario: Scenario) -> int:
    t = catalog.status
    return (t.correction_risk_rounds if assessment.correction_risk else t.baseline_rounds)[scenario]


def _inside(b: _Builder, catalog: Catalog, parent: TimelineStage) -> None:
    for cfg in catalog.stages:
        if cfg.within != parent.stage or cfg.offset is None:
            continue
        first = b.cal.add_workdays(parent.start, cfg.offset[b.scenario])
        if first > parent.end:
            first = parent.start
        b.span(cfg.key, "regulator", cfg.key, first, cfg.days[b.scenario], estimate=cfg.estimate)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _finish(
    b: _Builder,
    assessment: Assessment,
    catalog: Catalog,
    start: date,
    rounds: int,
    submission: date,
    acceptance: date,
    decision: date,
    licence: date,
) -> Timeline:
    lic = catalog.licence
    expiry = _add_years(licence, lic.validity_years) - timedelta(days=1)
    renewal = expiry - timedelta(days=lic.renewal_days_before_expiry)
    warn = expiry - timedelta(days=lic.renewal_warning_days)
    estimate = any(s.estimate for s in b.stages)
    ms = [
        Milestone(key="today", date=start, estimate=False),
        Milestone(key="submission", date=submission, estimate=estimate),
        Milestone(key="acceptance", date=acceptance, estimate=estimate),
        Milestone(key="decision", date=decision, estimate=estimate),
        Milestone(key="licence", date=licence, estimate=estimate),
    ]
    ms += [Milestone(key="number", date=s.end, estimate=True) for s in b.stages if s.key == "number_approval"]
    month, day = (int(x) for x in lic.annual_report_due.split("-"))
    for year in range(licence.year + 1, expiry.year + 1):
        ms.append(Milestone(key="annual_report", date=date(year, month, day), estimate=estimate))
    ms += [
        Milestone(key="renewal_warning", date=warn, estimate=estimate),
        Milestone(key="renewal_deadline", date=renewal, estimate=estimate),
        Milestone(key="expiry", date=expiry, estimate=estimate),
    ]
    return Timeline(
        scenario=b.scenario,
        start=start,
        stages=tuple(b.stages),
        milestones=tuple(ms),
        correction_rounds=rounds,
        submission_date=submission,
        acceptance_date=acceptance,
        decision_date=decision,
        licence_date=licence,
        expiry_date=expiry,
        renewal_deadline=renewal,
        estimate=estimate,
        assumes_blockers_removed=bool(assessment.blockers),
        open_questions=len(assessment.unanswered),
    )


def project_all(
    assessment: Assessment,
    catalog: Catalog,
    cal: WorkCalendar,
    start: date,
    review_anchor: ReviewAnchor = "acceptance",
    number: bool = False,
    plan: Sequence[PlanItem] | None = None,
) -> dict[str, Timeline]:
    """The three scenarios (optimistic, expected, pessimistic)."""
    return {s: project(assessment, catalog, cal, start, s, review_anchor, number, plan) for s in SCENARIOS}


# --- a licence already held --------------------------------------------------------------------------


@record
class LifeEvent(Record):
    """One date in the life of a licence already held: issued, an annual report, renewal deadline, expiry."""

    key: Literal["issued", "annual_report", "renewal", "expiry"]
    date: date
    status: str  # an obligation status (ok, upcoming, due_soon, overdue), or "past" for a date gone by
    year: int | None = None  # the business year an annual report covers


def licence_life(licence: Licence, obligations: Sequence[Obligation], catalog: Catalog, today: date) -> list[LifeEvent]:
    """The licence's life from issue to expiry, the pending duties with the status ``obligations`` gives
    them (so the Timeline and the duties page agree); no annual report after the expiry of a licence
    that will not be renewed. Empty without an issue or expiry date."""
    expiry = expiry_date(licence, catalog.licence)
    if expiry is None:
        return []
    pending = {(o.key, o.due): o.status for o in obligations}
    issued = licence.issued_on or (_add_years(expiry + timedelta(days=1), -catalog.licence.validity_years))
    out = [LifeEvent(key="issued", date=issued, status="past")]
    lapsing = any(o.detail in ("lapses", "filed_late", "expired", "ends") for o in obligations)
    for year in range(issued.year, expiry.year + 1):
        due = report_due(year, catalog.licence)
        if due > expiry and (lapsing or ("annual_report", due) not in pending):
            break  # a report after expiry only while the licence is being renewed
        status = pending.get(("annual_report", due)) or (
            "past" if due < today else status_on(due, today, catalog.licence)
        )
        out.append(LifeEvent(key="annual_report", date=due, status=status, year=year))
    for duty in obligations:
        if duty.key in ("renewal", "expiry"):
            out.append(LifeEvent(key=duty.key, date=duty.due, status=duty.status))
    return sorted(out, key=lambda e: e.date)
