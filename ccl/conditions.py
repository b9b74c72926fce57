"""Evaluating catalog conditions against a profile, three-valued: pass, fail or unanswered.

A failing comparison also says how far the answer is from the threshold (``Distance``), in the
answer's own unit, so the gap list can say "还差 600 万元" rather than just "fail".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ccl.catalog.load import Catalog
from ccl.catalog.objects import AllOf, AnyOf, Compare, Condition, Count, DateNotAfter, In
from ccl.profile import Profile
from ccl.records import Record, record

Outcome = Literal["pass", "fail", "unanswered"]


@record
class Distance(Record):
    """How far an answer is from passing: a numeric shortfall, missing items, or the expected value.

    ``op`` is the test that failed (">=", ">", "<=", "<", "==", "!=", "in", "not_in", "count" or "date"):
    it says which side of ``target`` is the good one, so a cap reads "over the cap by N", a minimum
    "short by N". ``shortfall`` is always the distance to the good side, positive.
    """

    field: str
    current: Any = None
    target: Any = None
    shortfall: float | None = None
    missing: tuple[str, ...] = ()
    op: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    credit: float  # 0..1, partial credit towards passing
    distance: Distance | None = None


@dataclass(frozen=True, slots=True)
class Context:
    profile: Profile
    catalog: Catalog
    scope: str | None
    province: str | None
    blanked: frozenset[str] = frozenset()  # N/A answers that a rule may not treat as N/A

    def answer(self, path: str) -> Any:
        return None if path in self.blanked else self.profile.get(path)

    def param(self, name: str) -> float | None:
        return self.catalog.param_value(name, self.scope, self.province)


PASS = Result("pass", 1.0)
UNANSWERED = Result("unanswered", 0.0)

_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def evaluate(cond: Condition, ctx: Context) -> Result:
    """Evaluate one condition; partial credit is reported for '>=' and count conditions."""
    if isinstance(cond, Compare):
        return _compare(cond, ctx)
    if isinstance(cond, In):
        return _in(cond, ctx)
    if isinstance(cond, Count):
        return _count(cond, ctx)
    if isinstance(cond, DateNotAfter):
        return _date_not_after(cond, ctx)
    if isinstance(cond, AllOf):
        return _all(cond, ctx)
    return _any(cond, ctx)


def _target(cond: Compare, ctx: Context) -> Any:
    if cond.param is not None:
        return ctx.param(cond.param)
    if cond.ref_field is not None:
        return ctx.answer(cond.ref_field)
    return cond.value


def _compare(cond: Compare, ctx: Context) -> Result:
    value = ctx.answer(cond.field)
    target = _target(cond, ctx)
    if value is None and target is not None and cond.unanswered_fails:
        return Result("fail", 0.0, Distance(field=cond.field, current=None, target=target, op=cond.op))
    if value is None or target is None:
        return UNANSWERED
    if _OPS[cond.op](value, target):
        return PASS
    credit = 0.0
    shortfall = None
    if cond.op in (">=", ">") and isinstance(value, (int, float)) and not isinstance(value, bool):
        shortfall = float(target) - float(value)
        credit = max(0.0, min(1.0, float(value) / float(target))) if target > 0 else 0.0
        if cond.op == ">" and credit >= 1.0:
            credit = 0.99
    elif cond.op in ("<=", "<") and isinstance(value, (int, float)) and not isinstance(value, bool):
        shortfall = float(value) - float(target)
    return Result(
        "fail", credit, Distance(field=cond.field, current=value, target=target, shortfall=shortfall, op=cond.op)
    )


def _in(cond: In, ctx: Context) -> Result:
    value = ctx.answer(cond.field)
    if value is None:
        return UNANSWERED
    ok = value in cond.values
    if cond.type == "not_in":
        ok = not ok
    if ok:
        return PASS
    return Result("fail", 0.0, Distance(field=cond.field, current=value, target=tuple(cond.values), op=cond.type))


def _count(cond: Count, ctx: Context) -> Result:
    chosen = ctx.answer(cond.field)
    need = cond.min if cond.min is not None else ctx.param(cond.param or "")
    if chosen is None or need is None:
        return UNANSWERED
    pool = cond.of if cond.of is not None else _option_values(ctx.catalog, cond.field)
    have = [item for item in pool if item in chosen]
    if len(have) >= need:
        return PASS
    missing = tuple(item for item in pool if item not in chosen)
    credit = len(have) / need if need else 0.0
    return Result(
        "fail",
        credit,
        Distance(
            field=cond.field,
            current=len(have),
            target=int(need),
            shortfall=float(need - len(have)),
            missing=missing,
            op="count",
        ),
    )


def _option_values(catalog: Catalog, field: str) -> list[str]:
    return [str(o.value) for o in catalog.questions[field].options]


def _shift(d: date, years: int, days: int) -> date:
    from datetime import timedelta

    try:
        shifted = d.replace(year=d.year + years)
    except ValueError:  # 29 February in a non-leap target year
        shifted = d.replace(year=d.year + years, day=28)
    return shifted + timedelta(days=days)


def _date_not_after(cond: DateNotAfter, ctx: Context) -> Result:
    value = ctx.answer(cond.field)
    ref = ctx.answer(cond.ref_field) if cond.ref_field else cond.ref_date
    if value is None or ref is None:
        return UNANSWERED
    try:
        limit = _shift(ref, cond.years, cond.days)
    except (OverflowError, ValueError):
        return PASS
    if value <= limit:
        return PASS
    return Result(
        "fail",
        0.0,
        Distance(field=cond.field, current=value, target=limit, shortfall=float((value - limit).days), op="date"),
    )


def _all(cond: AllOf, ctx: Context) -> Result:
    results = [evaluate(c, ctx) for c in cond.conditions]
    fails = [r for r in results if r.outcome == "fail"]
    credit = sum(r.credit for r in results) / len(results)
    if fails:
        return Result("fail", credit, fails[0].distance)
    if any(r.outcome == "unanswered" for r in results):
        return Result("unanswered", 0.0)
    return PASS


def _any(cond: AnyOf, ctx: Context) -> Result:
    results = [evaluate(c, ctx) for c in cond.conditions]
    if any(r.outcome == "pass" for r in results):
        return PASS
    if any(r.outcome == "unanswered" for r in results):
        return UNANSWERED
    best = max(results, key=lambda r: r.credit)
    return Result("fail", best.credit, best.distance)


def fix_values(cond: Condition, ctx: Context) -> dict[str, Any]:
    """Answers that would make a condition pass (used for "what if I fix this")."""
    if isinstance(cond, AllOf):
        out: dict[str, Any] = {}
        for c in cond.conditions:
            out.update(fix_values(c, ctx))
        return out
    if isinstance(cond, AnyOf):
        return fix_values(cond.conditions[0], ctx)
    if isinstance(cond, Compare):
        return _fix_compare(cond, ctx)
    if isinstance(cond, In):
        if cond.type == "in":
            return {cond.field: cond.values[0]}
        options = [o for o in _option_values(ctx.catalog, cond.field) if o not in cond.values]
        return {cond.field: options[0]} if options else {}
    if isinstance(cond, Count):
        chosen = set(ctx.answer(cond.field) or ())
        pool = cond.of if cond.of is not None else _option_values(ctx.catalog, cond.field)
        return {cond.field: sorted(chosen | set(pool))}
    ref = ctx.answer(cond.ref_field) if cond.ref_field else cond.ref_date
    return {cond.field: _shift(ref, cond.years, cond.days)} if ref is not None else {}


def _fix_compare(cond: Compare, ctx: Context) -> dict[str, Any]:
    target = _target(cond, ctx)
    if target is None:
        return {}
    if cond.op in (">=", "<=", "=="):
        return {cond.field: target}
    if cond.op in (">", "<"):
        return {cond.field: target + (1 if cond.op == ">" else -1)}
    return {cond.field: not target} if isinstance(target, bool) else {}
