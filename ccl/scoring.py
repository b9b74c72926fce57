"""The assessment: eligibility verdict, scores per dimension and overall, gaps and next best actions.

``assess(profile, catalog)`` is a pure function. The verdict (can the company apply at all?) is kept
apart from the score: a failed legal gate blocks the application whatever the score says. Every
point is explainable: each rule reports the points it can give and the points it gave.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from ccl.catalog.load import Catalog
from ccl.catalog.objects import DIMENSIONS, Rule, Severity, condition_fields
from ccl.conditions import Context, Distance, Result, evaluate, fix_values
from ccl.profile import ALL_FIELDS, PROVINCE_FIELDS, Profile
from ccl.records import Record, record

Status = Literal["blocked", "not_ready", "nearly_ready", "ready"]
RuleOutcome = Literal["pass", "fail", "unanswered", "not_applicable", "does_not_apply"]
SEVERITY_ORDER: dict[str, int] = {"blocker": 0, "major": 1, "minor": 2, "warning": 3}


@record
class RuleResult(Record):
    """One rule applied to the profile; points are on the 0–100 overall scale."""

    rule_id: str
    dimension: str
    kind: str
    outcome: RuleOutcome
    credit: float
    max_points: float
    points: float
    distance: Distance | None = None
    na_reason: str | None = None


@record
class Gap(Record):
    rule_id: str
    dimension: str
    severity: Severity
    points_lost: float
    distance: Distance | None
    effort_days: tuple[int, int]
    after: tuple[str, ...]
    tags: tuple[str, ...]


@record
class DimensionScore(Record):
    dimension: str
    score: float
    earned_points: float
    max_points: float
    completion: float
    gaps: int
    blockers: int


@record
class Action(Record):
    rule_id: str
    dimension: str
    severity: Severity
    gain_points: float
    removes_blocker: bool
    effort_days: tuple[int, int]
    gain_per_day: float


@record
class ProfileIssue(Record):
    field: str
    code: Literal["unknown_province", "na_not_allowed"]
    value: str | None = None


ReasonCode = Literal["gate_failed", "gate_unanswered", "major_gap", "below_ready"]


@record
class StatusReason(Record):
    """Why the status is not ``ready``: a failed or unanswered gate, a major gap, or a score below the line.

    ``fields`` are the open questions a gate waits on; ``value``/``threshold`` compare the overall score.
    """

    code: ReasonCode
    rule_id: str | None = None
    fields: tuple[str, ...] = ()
    value: float | None = None
    threshold: float | None = None


@record
class Assessment(Record):
    catalog_version: str
    status: Status
    eligible: bool | None
    overall: float
    completion: float
    dimensions: dict[str, DimensionScore]
    blockers: tuple[str, ...]
    gaps: tuple[Gap, ...]
    results: tuple[RuleResult, ...]
    actions: tuple[Action, ...]
    unanswered: tuple[str, ...]
    issues: tuple[ProfileIssue, ...]
    status_reasons: tuple[StatusReason, ...] = ()

    @property
    def gates_open(self) -> tuple[str, ...]:
        """Questions a legal gate still waits on; while any is open there is no licence date to give."""
        found = (f for r in self.status_reasons if r.code == "gate_unanswered" for f in r.fields)
        return tuple(dict.fromkeys(found))

    @property
    def correction_risk(self) -> bool:
        """True when the answers make a correction round (补正) likely."""
        return any("correction_risk" in g.tags for g in self.gaps)

    def result(self, rule_id: str) -> RuleResult:
        return next(r for r in self.results if r.rule_id == rule_id)

    @property
    def dimensions_worst_first(self) -> tuple[str, ...]:
        """The dimensions by their gravest gap (a blocker first), then by the points they lose; those
        without a gap last, in the catalog's order. The order the gap charts draw them in."""

        def gravity(dim: str) -> tuple[int, float, int]:
            mine = [g for g in self.gaps if g.dimension == dim]
            worst = min((SEVERITY_ORDER[g.severity] for g in mine), default=len(SEVERITY_ORDER))
            return worst, -sum(g.points_lost for g in mine), DIMENSIONS.index(dim)

        return tuple(sorted(DIMENSIONS, key=gravity))


def na_allowed_fields(catalog: Catalog) -> frozenset[str]:
    """Questions that may be marked N/A: every rule reading them allows it."""
    return frozenset(f for f, rules in catalog.rules_by_field.items() if rules and all(r.na_allowed for r in rules))


def profile_issues(profile: Profile, catalog: Catalog) -> list[ProfileIssue]:
    """Answers the catalog cannot use: an unknown province, N/A where no rule allows it."""
    issues: list[ProfileIssue] = []
    for path in sorted(PROVINCE_FIELDS):
        prov = profile.get(path)
        if prov is not None and prov not in catalog.province_by_id:
            issues.append(ProfileIssue(field=path, code="unknown_province", value=prov))
    allowed = na_allowed_fields(catalog)
    for path in profile.not_applicable:
        if path not in allowed:
            issues.append(ProfileIssue(field=path, code="na_not_allowed"))
    return issues


def assess(profile: Profile, catalog: Catalog) -> Assessment:
    """Score a profile against the catalog."""
    issues = profile_issues(profile, catalog)
    blanked = frozenset(i.field for i in issues if i.code == "na_not_allowed")
    unknown = any(i.code == "unknown_province" and i.field == "company.province" for i in issues)
    province = None if unknown else profile.company.province
    ctx = Context(profile, catalog, profile.company.scope, province, blanked)
    raw = [(rule, *_apply(rule, ctx)) for rule in catalog.rules]
    results = _points(catalog, raw)
    open_fields = frozenset(f for f in ALL_FIELDS if _is_open(profile, f, blanked))
    dims = _dimension_scores(catalog, results, open_fields)
    total_w = sum(d.weight for d in catalog.dimensions)
    overall = sum(dims[d.id].score * d.weight for d in catalog.dimensions) / total_w
    gaps = _gaps(catalog, results)
    blockers = tuple(g.rule_id for g in gaps if g.severity == "blocker")
    eligible = _eligible(catalog, results)
    unanswered = tuple(f for f in ALL_FIELDS if f in open_fields and not catalog.questions[f].optional)
    required = [f for f in ALL_FIELDS if not catalog.questions[f].optional]
    completion = 100.0 * (len(required) - len(unanswered)) / len(required)
    status = _status(catalog, eligible, overall, gaps)
    reasons = _status_reasons(catalog, profile, results, gaps, round(overall, 1), status)
    return Assessment(
        catalog_version=catalog.version,
        status=status,
        eligible=eligible,
        overall=round(overall, 1),
        completion=round(completion, 1),
        dimensions=dims,
        blockers=blockers,
        gaps=gaps,
        results=tuple(results),
        actions=_actions(catalog, gaps),
        unanswered=unanswered,
        issues=tuple(issues),
        status_reasons=reasons,
    )


def waits_on(rule: Rule, profile: Profile, catalog: Catalog) -> tuple[str, ...]:
    """The unanswered questions a rule needs before it can be judged (its own fields, and the scope a threshold
    depends on)."""
    return tuple(
        f
        for f in catalog.rule_inputs(rule)
        if profile.get(f) is None and not (f in profile.not_applicable and rule.na_allowed)
    )


def waiting_on_other_sections(
    assessment: Assessment, profile: Profile, catalog: Catalog, dimension: str
) -> tuple[str, ...]:
    """Unanswered questions outside a dimension's own section that its rules need before they can be judged
    (e.g. the capital minimum needs the coverage scope)."""
    found: dict[str, None] = {}
    for r in assessment.results:
        if r.dimension != dimension or r.outcome != "unanswered":
            continue
        rule = catalog.rule_by_id[r.rule_id]
        needed = waits_on(rule, profile, catalog)
        own_open = any(f.split(".", 1)[0] == dimension for f in needed)
        for f in needed:
            # a threshold that depends on the answer (scope) matters at once; another question the rule
            # compares with (a reference date) only once the section's own answer is there
            if f.split(".", 1)[0] != dimension and (f not in rule.fields or not own_open):
                found[f] = None
    return tuple(found)


def _status_reasons(
    catalog: Catalog, profile: Profile, results: list[RuleResult], gaps: tuple[Gap, ...], overall: float, status: Status
) -> tuple[StatusReason, ...]:
    if status == "ready":
        return ()
    gates = [r for r in results if r.kind == "gate"]
    out = [StatusReason(code="gate_failed", rule_id=r.rule_id) for r in gates if r.outcome == "fail"]
    out += [
        StatusReason(
            code="gate_unanswered",
            rule_id=r.rule_id,
            fields=waits_on(catalog.rule_by_id[r.rule_id], profile, catalog),
        )
        for r in gates
        if r.outcome == "unanswered"
    ]
    out += [StatusReason(code="major_gap", rule_id=g.rule_id) for g in gaps if g.severity == "major"]
    if overall < catalog.status.ready_min:
        out.append(StatusReason(code="below_ready", value=overall, threshold=catalog.status.ready_min))
    return tuple(out)


def assume_open_fail(assessment: Assessment, catalog: Catalog) -> Assessment:
    """The assessment as if every rule still waiting on an answer failed: its remedy becomes work to do.

    Used for the far end of the licence date range while questions are open.
    """
    extra = [
        Gap(
            rule_id=r.rule_id,
            dimension=r.dimension,
            severity=(rule := catalog.rule_by_id[r.rule_id]).gap_severity,
            points_lost=round(r.max_points, 2),
            distance=None,
            effort_days=rule.effort_days,
            after=tuple(rule.after),
            tags=tuple(rule.tags),
        )
        for r in assessment.results
        if r.outcome == "unanswered" and r.kind != "warning"
    ]
    return dataclasses.replace(assessment, gaps=assessment.gaps + tuple(extra))


def _is_open(profile: Profile, path: str, blanked: frozenset[str]) -> bool:
    if path in profile.not_applicable and path not in blanked:
        return False
    return profile.get(path) is None or path in blanked


def _apply(rule: Rule, ctx: Context) -> tuple[RuleOutcome, Result, str | None]:
    marked = ctx.profile.not_applicable
    na = [f for f in rule.fields if f in marked and f not in ctx.blanked] if marked else None
    if na and rule.na_allowed:
        return "not_applicable", Result("pass", 0.0), ctx.profile.not_applicable[na[0]]
    if rule.applies_if is not None:
        gate = evaluate(rule.applies_if, ctx)
        if gate.outcome == "fail":
            return "does_not_apply", Result("pass", 0.0), None
        if gate.outcome == "unanswered":
            if all(ctx.catalog.questions[f].optional for f in condition_fields(rule.applies_if)):
                # an optional question left blank (a 95 number, other services) means "not wanted"
                return "does_not_apply", Result("pass", 0.0), None
            return "unanswered", Result("unanswered", 0.0), None
    res = evaluate(rule.condition, ctx)
    if res.outcome == "fail" and not rule.partial:
        res = Result("fail", 0.0, res.distance)
    return res.outcome, res, None


def _points(catalog: Catalog, raw: list[tuple[Rule, RuleOutcome, Result, str | None]]) -> list[RuleResult]:
    total_w = sum(d.weight for d in catalog.dimensions)
    share = {d.id: 100.0 * d.weight / total_w for d in catalog.dimensions}
    dim_rule_w: dict[str, float] = dict.fromkeys(DIMENSIONS, 0.0)
    counted = [_counts(rule, outcome) for rule, outcome, _, _ in raw]
    for (rule, _, _, _), counts in zip(raw, counted, strict=True):
        if counts:
            dim_rule_w[rule.dimension] += rule.weight
    out = []
    for (rule, outcome, res, reason), counts in zip(raw, counted, strict=True):
        max_pts = 0.0
        if counts and dim_rule_w[rule.dimension] > 0:
            max_pts = share[rule.dimension] * rule.weight / dim_rule_w[rule.dimension]
        credit = res.credit if outcome in ("pass", "fail") else 0.0
        if rule.kind == "gate" and outcome == "fail":  # a failed legal condition: never a full dimension
            credit = min(credit, catalog.status.failed_gate_max_credit)
        out.append(
            RuleResult(
                rule_id=rule.id,
                dimension=rule.dimension,
                kind=rule.kind,
                outcome=outcome,
                credit=credit,
                max_points=max_pts,
                points=max_pts * credit,
                distance=res.distance,
                na_reason=reason,
            )
        )
    return out


def _counts(rule: Rule, outcome: RuleOutcome) -> bool:
    return rule.kind != "warning" and outcome in ("pass", "fail", "unanswered")


def _dimension_scores(
    catalog: Catalog, results: list[RuleResult], open_fields: frozenset[str]
) -> dict[str, DimensionScore]:
    by_dim: dict[str, list[RuleResult]] = {d: [] for d in DIMENSIONS}
    for r in results:
        by_dim[r.dimension].append(r)
    out: dict[str, DimensionScore] = {}
    for d in catalog.dimensions:
        mine = by_dim[d.id]
        max_pts = sum(r.max_points for r in mine)
        earned = sum(r.points for r in mine)
        fields = catalog.required_fields.get(d.id, ())
        done = sum(f not in open_fields for f in fields)
        fails = [r for r in mine if r.outcome == "fail"]
        out[d.id] = DimensionScore(
            dimension=d.id,
            score=round(100.0 * earned / max_pts, 1) if max_pts > 0 else 100.0,
            earned_points=round(earned, 2),
            max_points=round(max_pts, 2),
            completion=round(100.0 * done / len(fields), 1) if fields else 100.0,
            gaps=len(fails),
            blockers=sum(r.kind == "gate" for r in fails),
        )
    return out


def _gaps(catalog: Catalog, results: list[RuleResult]) -> tuple[Gap, ...]:
    gaps = []
    for r in results:
        if r.outcome != "fail":
            continue
        rule = catalog.rule_by_id[r.rule_id]
        gaps.append(
            Gap(
                rule_id=r.rule_id,
                dimension=r.dimension,
                severity=rule.gap_severity,
                points_lost=round(r.max_points - r.points, 2),
                distance=r.distance,
                effort_days=rule.effort_days,
                after=tuple(rule.after),
                tags=tuple(rule.tags),
            )
        )
    gaps.sort(key=lambda g: (SEVERITY_ORDER[g.severity], -g.points_lost, g.rule_id))
    return tuple(gaps)


def _eligible(catalog: Catalog, results: list[RuleResult]) -> bool | None:
    gates = [r for r in results if r.kind == "gate"]
    if any(r.outcome == "fail" for r in gates):
        return False
    if any(r.outcome == "unanswered" for r in gates):
        return None
    return True


def _status(catalog: Catalog, eligible: bool | None, overall: float, gaps: tuple[Gap, ...]) -> Status:
    if eligible is False:
        return "blocked"
    t = catalog.status
    majors = sum(g.severity == "major" for g in gaps)
    if eligible and overall >= t.ready_min and not majors:
        return "ready"
    if overall >= t.nearly_ready_min and majors <= t.nearly_ready_max_major:
        return "nearly_ready"
    return "not_ready"


def _actions(catalog: Catalog, gaps: tuple[Gap, ...]) -> tuple[Action, ...]:
    bonus = catalog.status.blocker_gain
    acts = []
    for g in gaps:
        blocker = g.severity == "blocker"
        gain = g.points_lost + (bonus if blocker else 0.0)
        if gain <= 0:
            continue
        days = max(1.0, sum(g.effort_days) / 2)
        acts.append(
            Action(
                rule_id=g.rule_id,
                dimension=g.dimension,
                severity=g.severity,
                gain_points=round(g.points_lost, 2),
                removes_blocker=blocker,
                effort_days=g.effort_days,
                gain_per_day=round(gain / days, 3),
            )
        )
    acts.sort(key=lambda a: (-a.gain_per_day, a.rule_id))
    return tuple(acts)


def fixed_profile(profile: Profile, catalog: Catalog, rule_ids: list[str] | tuple[str, ...]) -> Profile:
    """The profile as it would be once the given rules' remedies are done ("what if I fix this")."""
    ctx = Context(profile, catalog, profile.company.scope, profile.company.province)
    data = profile.model_dump(mode="python")
    for rid in rule_ids:
        for path, value in fix_values(catalog.rule_by_id[rid].condition, ctx).items():
            section, name = path.split(".", 1)
            data[section][name] = value
    cap = data["capital"]
    if cap.get("paid_in_cny") is not None and cap.get("registered_cny") is not None:
        # paying in more than is registered means registering more first
        cap["registered_cny"] = max(cap["paid_in_cny"], cap["registered_cny"])
    return Profile.model_validate(data)
