"""Other routes to the licence: what a consultant names after the verdict.

``alternatives(profile, assessment, catalog)`` is a pure function. Each route of the catalog
(``data/catalog/routes.toml``) is named when its ``applies_if`` holds and its ``unless`` does not
(a route that would change nothing is never offered); its ``changes`` (the answers as they would be
on that route) are re-assessed, so ``removes`` lists the failing rules the route clears and ``adds``
those it would newly fail: what it costs, in the catalog's own terms. A route that scores another
company (``scores``: a branch's head company) takes that company's answers from ``answers_from``;
until they are given it is named with ``needs`` (the questions to ask) and is not re-assessed.
"""

from __future__ import annotations

from typing import Any

from ccl.catalog.load import Catalog
from ccl.catalog.objects import Route
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
    status_after: str  # "" while ``needs`` is not empty: the route cannot be re-assessed yet
    confidence: str
    source: str
    scores: dict[str, str] | None = None  # the company the re-assessment scores, when another one
    needs: tuple[str, ...] = ()  # questions to answer before the route can be re-assessed


def route_needs(profile: Profile, route: Route) -> tuple[str, ...]:
    """The answers a route takes from elsewhere that are still unanswered."""
    return tuple(src for src in route.answers_from.values() if profile.get(src) is None)


def route_profile(profile: Profile, route: Route) -> Profile:
    """The profile as it would be on this route (answers taken from ``answers_from`` when given)."""
    for path, value in route.changes.items():
        profile = profile.with_answer(path, value)
    for path, src in route.answers_from.items():
        value = profile.get(src)
        if value is not None:
            profile = profile.with_answer(path, value)
    return profile


def _offered(route: Route, ctx: Context) -> bool:
    if evaluate(route.applies_if, ctx).outcome != "pass":
        return False
    return route.unless is None or evaluate(route.unless, ctx).outcome != "pass"


def alternatives(profile: Profile, assessment: Assessment, catalog: Catalog) -> tuple[Alternative, ...]:
    """The routes that apply to this profile, each with the failing rules it clears and adds."""
    ctx = Context(profile, catalog, profile.company.scope, profile.company.province)
    failing = {g.rule_id for g in assessment.gaps}
    out = []
    for route in catalog.routes:
        if not _offered(route, ctx):
            continue
        if route.clears and not failing & set(route.clears):
            continue  # nothing it must clear is failing: no need to re-assess
        needs = route_needs(profile, route)
        after = assess(route_profile(profile, route), catalog) if route.changes or route.answers_from else assessment
        failing_after = {g.rule_id for g in after.gaps}
        removes = tuple(r.id for r in catalog.rules if r.id in failing - failing_after)
        if needs:  # only what holds whatever the missing answers are: rules that do not read them
            unknown = set(route.answers_from)
            removes = tuple(r for r in removes if not unknown & set(catalog.rule_inputs(catalog.rule_by_id[r])))
            failing_after = failing - set(removes)
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
                status_after="" if needs else after.status,
                confidence=route.source.confidence,
                source=route.source.doc,
                scores=route.scores.model_dump() if route.scores else None,
                needs=needs,
            )
        )
    return tuple(out)
