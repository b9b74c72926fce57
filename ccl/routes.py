"""Other routes to the licence: what a consultant names after the verdict.

``alternatives(profile, assessment, catalog)`` is a pure function. Each route of the catalog
(``data/catalog/routes.toml``) is named when its ``applies_if`` holds; its ``changes`` (the answers
as they would be on that route) are re-assessed, so ``removes`` lists the failing rules the route
clears and ``adds`` those it would newly fail: what it costs, in the catalog's own terms.
"""

from __future__ import annotations

from typing import Any

from ccl.catalog import Catalog, Route
from ccl.conditions import Context, evaluate
from ccl.profile import Profile
from ccl.records import Record, record
from ccl.scoring import Assessment, assess


@record
class Alternative(Record):
    key: str
    title: dict[str, str]
    summary: dict[str, str]
    costs: dict[str, str]
    removes: tuple[str, ...]
    adds: tuple[str, ...]
    changes: dict[str, Any]
    status_after: str
    confidence: str
    source: str


def route_profile(profile: Profile, route: Route) -> Profile:
    """The profile as it would be on this route."""
    for path, value in route.changes.items():
        profile = profile.with_answer(path, value)
    return profile


def alternatives(profile: Profile, assessment: Assessment, catalog: Catalog) -> tuple[Alternative, ...]:
    """The routes that apply to this profile, each with the failing rules it clears and adds."""
    ctx = Context(profile, catalog, profile.company.scope, profile.company.province)
    failing = {g.rule_id for g in assessment.gaps}
    out = []
    for route in catalog.routes:
        if evaluate(route.applies_if, ctx).outcome != "pass":
            continue
        if route.clears and not failing & set(route.clears):
            continue  # nothing it must clear is failing: no need to re-assess
        after = assess(route_profile(profile, route), catalog) if route.changes else assessment
        failing_after = {g.rule_id for g in after.gaps}
        removes = tuple(r.id for r in catalog.rules if r.id in failing - failing_after)
        if route.clears and not set(route.clears) & set(removes):
            continue
        out.append(
            Alternative(
                key=route.key,
                title=route.title.model_dump(),
                summary=route.summary.model_dump(),
                costs=route.costs.model_dump(),
                removes=removes,
                adds=tuple(r.id for r in catalog.rules if r.id in failing_after - failing),
                changes=dict(route.changes),
                status_after=after.status,
                confidence=route.source.confidence,
                source=route.source.doc,
            )
        )
    return tuple(out)
