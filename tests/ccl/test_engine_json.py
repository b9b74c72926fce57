"""The JSON result is written straight from the result records: it must say what their model_dump says."""

from __future__ import annotations

import json

from ccl.engine import evaluation_json
from ccl.headline import reason_text
from ccl.i18n import LANGS, obligation_message
from ccl.obligations import STANDING_DUTIES
from ccl.records import dumps_json
from tests.conftest import START


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def _reference(ev) -> dict:
    """The documented JSON built the slow way, through each record's model_dump."""
    a = ev.assessment
    timeline = ev.expected.model_dump(mode="json")
    timeline["stages"] = [s.model_dump(mode="json", exclude_none=True) for s in ev.expected.stages]
    return {
        "file": "x.json",
        "company": ev.profile.company.name,
        "headline": ev.headline.model_dump(mode="json")
        | {"urgent": ev.headline.urgent, "reason_text": {lang: reason_text(ev.headline, lang) for lang in LANGS}},
        "catalog_version": a.catalog_version,
        "start": ev.start.isoformat(),
        "status": a.status,
        "eligible": a.eligible,
        "overall": a.overall,
        "completion": a.completion,
        "dimensions": {k: d.model_dump(mode="json", exclude={"dimension"}) for k, d in a.dimensions.items()},
        "blockers": list(a.blockers),
        "gaps": [g.model_dump(mode="json") for g in a.gaps],
        "status_reasons": [r.model_dump(mode="json", exclude_none=True) for r in a.status_reasons],
        "next_actions": [x.model_dump(mode="json") for x in a.actions],
        "unanswered": list(a.unanswered),
        "issues": [i.model_dump(mode="json") for i in a.issues],
        "rules": [r.model_dump(mode="json", exclude_none=True) for r in a.results],
        "timeline": timeline,
        "scenarios": {
            k: {
                "licence_date": _iso(t.licence_date),
                "licence_date_latest": _iso(t.licence_date_latest),
                "submission_date": t.submission_date.isoformat(),
                "estimate": t.estimate,
                "correction_rounds": t.correction_rounds,
            }
            for k, t in ev.timelines.items()
        },
        "alternatives": [x.model_dump(mode="json") for x in ev.alternatives],
        "licence_held": ev.holder,
        "obligations": [
            o.model_dump(mode="json") | {"message": {lang: obligation_message(o, lang) for lang in LANGS}}
            for o in ev.obligations
        ],
        "duties": list(STANDING_DUTIES) if ev.holder else [],
        "plan": [
            {
                "id": i.id,
                "rule_ids": list(i.rule_ids),
                "title": {lang: i.label(lang) for lang in LANGS},
                "owner": i.owner,
                "due": _iso(i.due),
                "status": i.status,
                "reason": i.reason,
                "effort_days": list(i.effort_days) if i.effort_days else None,
                "after": list(i.after),
                "notes": i.notes,
                "done_on": _iso(i.done_on),
                "overdue": i.overdue,
                "reopened": i.reopened,
            }
            for i in ev.plan
        ],
        "plan_progress": ev.plan_progress.model_dump(mode="json") if ev.plan_progress else None,
        "plan_timeline": (
            {
                "licence_date": _iso(ev.plan_timeline.licence_date),
                "licence_date_latest": _iso(ev.plan_timeline.licence_date_latest),
                "submission_date": _iso(ev.plan_timeline.submission_date),
                "days_vs_expected": ev.plan_licence_shift,
            }
            if ev.plan_timeline
            else None
        ),
    }


def test_json_result_matches_the_records_for_every_sample(engine, samples):
    for s in samples:
        ev = engine.evaluate(s.load(), START)
        text = dumps_json(evaluation_json(ev, "x.json")).decode("utf-8")
        assert json.loads(text) == _reference(ev), s.key
        name = ev.profile.company.name
        assert name is None or name in text  # Chinese is written as it is, not escaped


def test_text_that_is_not_unicode_is_escaped_not_fatal():
    assert json.loads(dumps_json({"name": "a\udc80b"})) == {"name": "a\udc80b"}
