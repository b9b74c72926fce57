"""One entry point for the app, the CLI and the exports: profile in, assessment and timelines out.

``Engine`` holds the loaded catalog and calendar (both immutable, so one instance is shared by every
user session). ``Engine.evaluate`` is what every page, the CLI and the Excel report render.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ccl.calendar.workdays import WorkCalendar
from ccl.catalog import CATALOG_DIR, DATA_DIR
from ccl.catalog.load import Catalog, load_catalog
from ccl.headline import Headline, build, date_timeline, headline_json, licence_mode
from ccl.i18n import LANGS, obligation_message
from ccl.obligations import STANDING_DUTIES, Obligation, obligations
from ccl.plan import PlanItem, PlanProgress, plan_items, progress, reconciled_profile
from ccl.profile import Profile
from ccl.records import compact, fields_of
from ccl.routes import Alternative, alternatives, route_profile
from ccl.scoring import Assessment, assess, fixed_profile
from ccl.timeline import ReviewAnchor, Timeline, project, project_all

CALENDAR_DIR = DATA_DIR / "calendar"


@dataclass(frozen=True, slots=True)
class Evaluation:
    profile: Profile
    assessment: Assessment
    timelines: dict[str, Timeline]
    start: date
    review_anchor: ReviewAnchor = "acceptance"
    alternatives: tuple[Alternative, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    plan: tuple[PlanItem, ...] = ()
    plan_progress: PlanProgress | None = None
    # the expected scenario scheduled as the plan says (its due dates and efforts); None without actions
    plan_timeline: Timeline | None = None
    # the one story every surface renders: mode, verdict, licence date and its basis, next deadline
    headline: Headline | None = None

    @property
    def head(self) -> Headline:
        """``headline``, never None (the engine always sets it)."""
        assert self.headline is not None
        return self.headline

    @property
    def story_timeline(self) -> Timeline | None:
        """The timeline the headline's dates come from (the plan's or the catalog's); None for a holder."""
        if self.head.mode == "holder":
            return None
        return self.plan_timeline if self.head.licence_date_basis == "plan" else self.expected

    @property
    def holder(self) -> bool:
        """The company already holds the licence: show its obligations, not the application."""
        return self.profile.licence.held is True

    @property
    def expected(self) -> Timeline:
        return self.timelines["expected"]

    @property
    def plan_dated(self) -> bool:
        """The plan sets a due date on at least one action still to do (the plan timeline then differs)."""
        return any(i.due is not None and i.active for i in self.plan)

    @property
    def plan_licence_shift(self) -> int | None:
        """Days the plan's dates move the expected licence date (positive: later); None without both dates."""
        if self.plan_timeline is None:
            return None
        a, b = self.expected.licence_date, self.plan_timeline.licence_date
        return None if a is None or b is None else (b - a).days


@dataclass(frozen=True, slots=True)
class WhatIf:
    rule_ids: tuple[str, ...]
    overall_before: float
    overall_after: float
    licence_before: date | None  # None while a legal gate waits on an answer
    licence_after: date | None
    status_after: str
    blockers_removed: int

    @property
    def score_gain(self) -> float:
        return round(self.overall_after - self.overall_before, 1)

    @property
    def days_earlier(self) -> int | None:
        """Days gained on the expected licence date; None when either side has no date."""
        if self.licence_before is None or self.licence_after is None:
            return None
        return (self.licence_before - self.licence_after).days


class Engine:
    """The loaded catalog and calendar, and the computations over them."""

    def __init__(self, catalog: Catalog, calendar: WorkCalendar):
        self.catalog = catalog
        self.calendar = calendar

    @classmethod
    def load(cls, catalog_dir: str | Path | None = None, calendar_dir: str | Path | None = None) -> Engine:
        """Load from the given folders, else $CCL_CATALOG_DIR / $CCL_CALENDAR_DIR, else the shipped data."""
        cat_dir = catalog_dir or os.environ.get("CCL_CATALOG_DIR") or CATALOG_DIR
        cal_dir = calendar_dir or os.environ.get("CCL_CALENDAR_DIR") or CALENDAR_DIR
        return cls(load_catalog(cat_dir), WorkCalendar.from_dir(cal_dir))

    def evaluate(self, profile: Profile, start: date, review_anchor: ReviewAnchor = "acceptance") -> Evaluation:
        """Assess, keep the action plan in step with the gaps (``ccl.plan.reconcile``, dated ``start``)
        and project the timelines. ``Evaluation.profile`` carries the reconciled plan."""
        a = assess(profile, self.catalog)
        number = profile.company.number_type in ("95", "96")
        timelines = project_all(a, self.catalog, self.calendar, start, review_anchor, number)
        mode = licence_mode(profile, self.catalog, start)
        if mode != "holder":  # an applicant, or a lapsed holder applying afresh: the plan follows the gaps
            profile = reconciled_profile(profile, a, self.catalog, start)
        items = plan_items(profile.plan, a, self.catalog, start)
        plan_tl = None
        if items and mode != "holder":
            plan_tl = project(a, self.catalog, self.calendar, start, "expected", review_anchor, number, items)
        # a licence that ends is dated against the fresh application's licence date (the headline's rule)
        fresh = date_timeline(timelines["expected"], plan_tl, items).licence_date
        duties = obligations(profile, self.catalog, start, fresh)
        head = build(mode, a, self.catalog, start, timelines["expected"], plan_tl, items, duties)
        return Evaluation(
            profile,
            a,
            timelines,
            start,
            review_anchor,
            alternatives=alternatives(profile, a, self.catalog),
            obligations=duties,
            plan=items,
            plan_progress=progress(items, start) if items else None,
            plan_timeline=plan_tl,
            headline=head,
        )

    def what_if(self, ev: Evaluation, rule_ids: list[str] | tuple[str, ...]) -> WhatIf:
        """Score and expected licence date if the given gaps were remedied."""
        fixed = fixed_profile(ev.profile, self.catalog, rule_ids)
        after = self.evaluate(fixed, ev.start, ev.review_anchor)
        return WhatIf(
            rule_ids=tuple(rule_ids),
            overall_before=ev.assessment.overall,
            overall_after=after.assessment.overall,
            licence_before=ev.head.licence_date,
            licence_after=after.head.licence_date,
            status_after=after.assessment.status,
            blockers_removed=len(ev.assessment.blockers) - len(after.assessment.blockers),
        )

    def what_if_route(self, ev: Evaluation, key: str) -> WhatIf:
        """Score and expected licence date if the company took another route (see ``alternatives``)."""
        route = next(r for r in self.catalog.routes if r.key == key)
        after = self.evaluate(route_profile(ev.profile, route), ev.start, ev.review_anchor)
        return WhatIf(
            rule_ids=tuple(next((x.removes for x in ev.alternatives if x.key == key), ())),
            overall_before=ev.assessment.overall,
            overall_after=after.assessment.overall,
            licence_before=ev.head.licence_date,
            licence_after=after.head.licence_date,
            status_after=after.assessment.status,
            blockers_removed=len(ev.assessment.blockers) - len(after.assessment.blockers),
        )


def evaluation_json(ev: Evaluation, file: str | None = None) -> dict[str, Any]:
    """The documented JSON result (see README, "JSON output"), for ``ccl.records.dumps_json``.

    Result records, tuples and dates are left as they are: the encoder writes them directly, which
    is several times faster than turning each into a dict first.
    """
    a = ev.assessment
    out: dict[str, Any] = {}
    if file is not None:
        out["file"] = file
    out |= {
        "company": ev.profile.company.name,
        "headline": headline_json(ev.head),
        "catalog_version": a.catalog_version,
        "start": ev.start,
        "status": a.status,
        "eligible": a.eligible,
        "overall": a.overall,
        "completion": a.completion,
        "dimensions": {k: fields_of(d, _NOT_DIMENSION) for k, d in a.dimensions.items()},
        "blockers": a.blockers,
        "gaps": a.gaps,
        "status_reasons": [compact(r) for r in a.status_reasons],
        "next_actions": a.actions,
        "unanswered": a.unanswered,
        "issues": a.issues,
        "rules": [compact(r) for r in a.results],
        "timeline": {**fields_of(ev.expected), "stages": [compact(s) for s in ev.expected.stages]},
        "scenarios": {
            k: {
                "licence_date": t.licence_date,
                "licence_date_latest": t.licence_date_latest,
                "submission_date": t.submission_date,
                "estimate": t.estimate,
                "correction_rounds": t.correction_rounds,
            }
            for k, t in ev.timelines.items()
        },
        "alternatives": [fields_of(x) for x in ev.alternatives],
        "licence_held": ev.holder,
        "obligations": [
            fields_of(o) | {"message": {lang: obligation_message(o, lang) for lang in LANGS}} for o in ev.obligations
        ],
        "duties": list(STANDING_DUTIES) if ev.holder else [],
        "plan": [_plan_json(i) for i in ev.plan],
        "plan_progress": fields_of(ev.plan_progress) if ev.plan_progress else None,
        "plan_timeline": (
            {
                "licence_date": ev.plan_timeline.licence_date,
                "licence_date_latest": ev.plan_timeline.licence_date_latest,
                "submission_date": ev.plan_timeline.submission_date,
                "days_vs_expected": ev.plan_licence_shift,
            }
            if ev.plan_timeline is not None
            else None
        ),
    }
    return out


def _plan_json(item: PlanItem) -> dict[str, Any]:
    """One action as the JSON result lists it (README, "JSON output")."""
    return {
        "id": item.id,
        "rule_ids": item.rule_ids,
        "title": {lang: item.label(lang) for lang in LANGS},
        "owner": item.owner,
        "due": item.due,
        "status": item.status,
        "reason": item.reason,
        "effort_days": item.effort_days,
        "after": item.after,
        "notes": item.notes,
        "done_on": item.done_on,
        "overdue": item.overdue,
        "reopened": item.reopened,
    }


_NOT_DIMENSION = frozenset({"dimension"})
