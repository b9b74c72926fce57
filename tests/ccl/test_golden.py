"""Golden results for the sample companies: a change in any rule, weight or duration shows up here.

When a catalog change is intended, regenerate with ``CCL_UPDATE_GOLDEN=1 pytest tests/ccl/test_golden.py``
and review the diff of tests/golden/samples.json like any other change.
"""

from __future__ import annotations

import json
import os

from project import TESTS

from tests.conftest import START

GOLDEN = TESTS / "golden" / "samples.json"


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def _summary(engine, samples) -> dict:
    out = {}
    for s in samples:
        ev = engine.evaluate(s.load(), START)
        a = ev.assessment
        out[s.key] = {
            "status": a.status,
            "eligible": a.eligible,
            "overall": a.overall,
            "completion": a.completion,
            "blockers": list(a.blockers),
            "gaps": [g.rule_id for g in a.gaps],
            "dimensions": {k: d.score for k, d in a.dimensions.items()},
            "status_reasons": [":".join(filter(None, (r.code, r.rule_id))) for r in a.status_reasons],
            "licence": {k: _iso(t.licence_date) for k, t in ev.timelines.items()},
            "licence_latest": {k: _iso(t.licence_date_latest) for k, t in ev.timelines.items()},
            "alternatives": {x.key: list(x.removes) for x in ev.alternatives},
            "obligations": [f"{o.key} {o.due.isoformat()} {o.status}" for o in ev.obligations],
            "headline": _headline(ev.headline),
        }
    return out


def _headline(h) -> dict:
    nxt = h.next_deadline
    return {
        "mode": h.mode,
        "verdict": h.verdict,
        "licence_date": _iso(h.licence_date),
        "basis": h.licence_date_basis,
        "submission": _iso(h.submission_date),
        "next_deadline": f"{nxt.action_id or nxt.key} {nxt.due.isoformat()} {nxt.status}" if nxt else None,
    }


def test_sample_results_match_the_golden_file(engine, samples):
    current = _summary(engine, samples)
    if os.environ.get("CCL_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert current == expected


def test_samples_span_the_range(engine, samples):
    statuses = {engine.evaluate(s.load(), START).assessment.status for s in samples}
    assert statuses == {"blocked", "not_ready", "nearly_ready", "ready"}
    scopes = {s.load().company.scope for s in samples}
    assert scopes == {"provincial", "cross_regional"}
    assert any((s.load().legal_entity.foreign_ownership_pct or 0) > 0 for s in samples)
    assert any(engine.evaluate(s.load(), START).assessment.completion < 50 for s in samples)
