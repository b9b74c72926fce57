"""The catalog's objects: dimensions, sources, questions, rules (and the typed condition language they are
written in), materials, review stages, routes and action templates — each one validated on its own."""

from __future__ import annotations

import typing
from datetime import date
from functools import cached_property
from typing import Annotated, Literal, Union
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

DimensionId = Literal["legal_entity", "capital", "staffing", "premises_equipment", "technical_plan", "materials"]
DIMENSIONS: tuple[str, ...] = typing.get_args(DimensionId)
Kind = Literal["gate", "scored", "warning"]
Severity = Literal["blocker", "major", "minor", "warning"]
Confidence = Literal["official", "practice", "uncertain"]
Unit = Literal["cny", "people", "months", "m2", "seats", "percent", "items", "bool", "date", "choice", "text"]
Scenario = Literal["optimistic", "expected", "pessimistic"]
SCENARIOS: tuple[Scenario, ...] = typing.get_args(Scenario)
DayKind = Literal["working", "calendar"]

Str = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Model):
    """A text in both languages."""

    zh: Str
    en: Str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


# --- conditions: a small typed language over profile fields (no eval of strings) -----------------

Scalar = Union[bool, int, float, date, str]


class Compare(_Model):
    type: Literal["compare"]
    field: Str
    op: Literal[">=", ">", "<=", "<", "==", "!="]
    value: Scalar | None = None
    param: Id | None = None
    ref_field: Str | None = None
    # an unanswered field fails rather than waits: for a confirmation not yet given ("authority confirmed")
    unanswered_fails: bool = False

    @model_validator(mode="after")
    def _one_target(self) -> Compare:
        if sum(x is not None for x in (self.value, self.param, self.ref_field)) != 1:
            raise ValueError("give exactly one of 'value', 'param' or 'ref_field'")
        return self


class In(_Model):
    type: Literal["in", "not_in"]
    field: Str
    values: list[Scalar] = Field(min_length=1)


class Count(_Model):
    """How many of the chosen items of a multiple-choice answer; ``of`` restricts which items count."""

    type: Literal["count"]
    field: Str
    min: int | None = Field(default=None, ge=0)
    param: Id | None = None
    of: list[Str] | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Count:
        if (self.min is None) == (self.param is None):
            raise ValueError("give exactly one of 'min' or 'param'")
        return self


class DateNotAfter(_Model):
    """``field`` is on or before a reference date (another answer or a fixed date) plus an offset."""

    type: Literal["date_not_after"]
    field: Str
    ref_field: Str | None = None
    ref_date: date | None = None
    years: int = 0
    days: int = 0

    @model_validator(mode="after")
    def _one_ref(self) -> DateNotAfter:
        if (self.ref_field is None) == (self.ref_date is None):
            raise ValueError("give exactly one of 'ref_field' or 'ref_date'")
        return self


class AllOf(_Model):
    type: Literal["all"]
    conditions: list[Condition] = Field(min_length=1)


class AnyOf(_Model):
    type: Literal["any"]
    conditions: list[Condition] = Field(min_length=1)


Condition = Annotated[Union[Compare, In, Count, DateNotAfter, AllOf, AnyOf], Field(discriminator="type")]
AllOf.model_rebuild()
AnyOf.model_rebuild()


def condition_fields(cond: Condition) -> list[str]:
    """Every profile field a condition reads, in order."""
    if isinstance(cond, (AllOf, AnyOf)):
        return [f for c in cond.conditions for f in condition_fields(c)]
    fields = [cond.field]
    ref = getattr(cond, "ref_field", None)
    if ref:
        fields.append(ref)
    return fields


def condition_params(cond: Condition) -> list[str]:
    if isinstance(cond, (AllOf, AnyOf)):
        return [p for c in cond.conditions for p in condition_params(c)]
    param = getattr(cond, "param", None)
    return [param] if param else []


def check_unique(what: str, ids: list[str]) -> None:
    """Refuse a list with an id written twice (the message names the list and the id)."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what}: duplicate id '{i}'")
        seen.add(i)


# --- catalog objects ------------------------------------------------------------------------------


class Dimension(_Model):
    id: DimensionId
    name: Text
    short: Text
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
    weight: float = Field(gt=0)


OFFICIAL_KINDS: tuple[str, ...] = ("law", "regulation", "rule", "notice", "catalogue")


class Link(_Model):
    """One web address of a source, and where the address was found (for whoever checks it next)."""

    url: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s/?#]+[^\s]*$")]
    label: Text | None = None
    found_via: Str

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


class Source(_Model):
    """A document the rules rest on: its full official name, number (文号), dates and where to read it.

    Official kinds (law, regulation, rule, notice, catalogue) may only link to the issuing authority or an
    official publication: the hosts listed in ``official_hosts`` (sources.toml). A document with no official
    copy found online is cited by name, number and ``published_in`` alone.
    """

    id: Id | Annotated[str, StringConstraints(pattern=r"^S\d+$")]
    title: Text
    kind: Literal["law", "regulation", "rule", "notice", "catalogue", "practice", "package"]
    number: Text | None = None
    issuer: Text | None = None
    issued: date | None = None
    revised: date | None = None
    in_force: date | None = None
    published_in: Text | None = None
    links: list[Link] = Field(default_factory=list)
    note: Text | None = None

    @property
    def official(self) -> bool:
        return self.kind in OFFICIAL_KINDS

    @model_validator(mode="after")
    def _traceable(self) -> Source:
        if not self.links and self.published_in is None and self.number is None:
            raise ValueError("give 'links', 'published_in' or 'number': a reader must be able to find the document")
        return self


def host_allowed(host: str, allowed: list[str]) -> bool:
    """``host`` is on the allow-list: an exact entry, or below an entry written ``*.example.gov.cn``."""
    host = host.lower()
    for entry in allowed:
        entry = entry.lower()
        if entry.startswith("*."):
            base = entry[2:]
            if host == base or host.endswith("." + base):
                return True
        elif host == entry:
            return True
    return False


class SourceRef(_Model):
    doc: Str
    article: Str | None = None
    pages: list[Str] = Field(default_factory=list)
    confidence: Confidence
    last_verified: date
    note: Text | None = None

    @model_validator(mode="after")
    def _grounded(self) -> SourceRef:
        """An estimate says why; a practice claim lists its pages and is never 'official'."""
        if self.doc == "estimate" and (self.note is None or self.confidence != "uncertain"):
            raise ValueError("an estimate needs a 'note' saying why, and confidence 'uncertain'")
        if self.doc == "practice" and not self.pages:
            raise ValueError("a practice source must list the pages that claim it ('pages')")
        if self.doc == "practice" and self.confidence == "official":
            raise ValueError("a practice source cannot have confidence 'official'")
        return self


class Param(_Model):
    """A threshold that may depend on scope and be overridden per province (see regions.toml)."""

    unit: Unit
    default: float | None = None
    by_scope: dict[Literal["provincial", "cross_regional"], float] | None = None
    label: Text
    source: SourceRef

    @model_validator(mode="after")
    def _has_value(self) -> Param:
        if self.default is None and not self.by_scope:
            raise ValueError("give 'default' or 'by_scope'")
        if self.by_scope is not None and set(self.by_scope) != {"provincial", "cross_regional"}:
            raise ValueError("'by_scope' needs both provincial and cross_regional")
        return self


class Option(_Model):
    value: Scalar
    label: Text


class Question(_Model):
    """How a profile field is asked: label, help, unit, input type and the labels of its options."""

    label: Text
    help: Text
    # the question in plain words, where the label is a form's field name ("企业组织形式" → "贵公司是哪种组织形式？"):
    # asked on the first-run screen of the legal conditions
    ask: Text | None = None
    unit: Unit
    input: Literal["money", "int", "number", "bool", "date", "select", "multiselect", "text", "doc"]
    options: list[Option] = Field(default_factory=list)
    max: float | None = None
    optional: bool = False


class Rule(_Model):
    id: Id
    dimension: DimensionId
    kind: Kind
    severity: Literal["major", "minor"] | None = None
    title: Text
    explain: Text
    remedy: Text
    condition: Condition
    applies_if: Condition | None = None
    weight: float = Field(ge=0)
    partial: bool = False
    effort_days: tuple[int, int]
    after: list[Id] = Field(default_factory=list)
    na_allowed: bool = False
    tags: list[Literal["consistency", "inspection", "correction_risk"]] = Field(default_factory=list)
    # when the remedy must be done: before the application is submitted, or only by issuance
    # (the 2020 reform lets social-insurance proof follow on a written commitment, S12)
    before: Literal["submission", "issuance"] = "submission"
    # what is (not) known about effort_days when they rest on no source
    effort_note: Text | None = None
    source: SourceRef

    @model_validator(mode="after")
    def _kind_rules(self) -> Rule:
        lo, hi = self.effort_days
        if not 0 <= lo <= hi:
            raise ValueError("effort_days must be [min, max] with 0 <= min <= max")
        if self.kind == "gate":
            if self.na_allowed:
                raise ValueError("a gate (legal precondition) cannot be marked not applicable")
            if self.source.confidence != "official":
                raise ValueError("a gate must rest on an official source (confidence = 'official')")
        if self.kind == "warning" and self.weight != 0:
            raise ValueError("a warning never counts in the score: weight must be 0")
        if self.kind != "warning" and self.weight <= 0:
            raise ValueError("gates and scored rules need a positive weight")
        if self.kind == "scored" and self.severity is None:
            raise ValueError("a scored rule needs severity 'major' or 'minor'")
        if self.before == "issuance" and "correction_risk" in self.tags:
            raise ValueError("a remedy that may follow at issuance adds no correction round: drop 'correction_risk'")
        if self.partial and not _supports_partial(self.condition):
            raise ValueError("partial credit needs a '>=' compare or a count condition")
        return self

    @property
    def gap_severity(self) -> Severity:
        if self.kind == "gate":
            return "blocker"
        if self.kind == "warning":
            return "warning"
        return self.severity or "minor"

    @cached_property
    def fields(self) -> tuple[str, ...]:
        seen = dict.fromkeys(condition_fields(self.condition))
        if self.applies_if:
            seen.update(dict.fromkeys(condition_fields(self.applies_if)))
        return tuple(seen)

    @cached_property
    def params(self) -> tuple[str, ...]:
        found = condition_params(self.condition) + (condition_params(self.applies_if) if self.applies_if else [])
        return tuple(dict.fromkeys(found))


def _supports_partial(cond: Condition) -> bool:
    return isinstance(cond, Count) or (isinstance(cond, Compare) and cond.op in (">=", ">"))


class Document(_Model):
    """One application document. ``field`` links it to the materials answer; removed ones have none."""

    id: Id
    field: Str | None = None
    name: Text
    status: Literal["national", "deferrable", "practice", "optional", "removed", "merged"]
    basis: Text
    depends_on: list[Id] = Field(default_factory=list)
    # a document without an answer of its own, needed only while one of these rules is an open gap
    needed_when: list[Id] = Field(default_factory=list)
    source: SourceRef


def _all_working() -> dict[Scenario, DayKind]:
    return {s: "working" for s in SCENARIOS}


class Stage(_Model):
    key: Id
    name: Text
    days: dict[Scenario, int]
    day_kind: dict[Scenario, DayKind] = Field(default_factory=lambda: _all_working())
    estimate: bool
    excluded_from_clock: bool = False
    within: Id | None = None
    offset: dict[Scenario, int] | None = None
    note: Text
    source: SourceRef

    @model_validator(mode="after")
    def _all_scenarios(self) -> Stage:
        if set(self.days) != set(SCENARIOS) or set(self.day_kind) != set(SCENARIOS):
            raise ValueError("'days' and 'day_kind' need optimistic, expected and pessimistic")
        if any(v < 0 for v in self.days.values()):
            raise ValueError("days must not be negative")
        return self


class LicenceTerms(_Model):
    validity_years: int = Field(gt=0)
    # obligations check: a dated duty is "due_soon" within this many days, "upcoming" within the other
    due_soon_days: int = Field(default=30, ge=0)
    upcoming_days: int = Field(default=120, ge=0)
    renewal_days_before_expiry: int = Field(gt=0)
    renewal_warning_days: int = Field(gt=0)
    annual_report_opens: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{2}$")]
    annual_report_due: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{2}$")]
    source: SourceRef
    annual_report_source: SourceRef


class Route(_Model):
    """Another way to the licence: when it is worth naming, what it changes, what it costs."""

    key: Id
    title: Text
    summary: Text
    costs: Text
    applies_if: Condition
    # answers as they would be on this route ("section.field" = value); evaluated to find what it clears
    changes: dict[Str, Scalar | list[Str]] = Field(default_factory=dict)
    # name the route only when it clears at least one of these failing rules (empty: whenever it applies)
    clears: list[Id] = Field(default_factory=list)
    # never name the route when this holds: it would change nothing (a provincial holder offered a provincial licence)
    unless: Condition | None = None
    # the company the re-assessment scores, when not the one described (a branch's route scores its head company)
    scores: Text | None = None
    # answers taken from other answers on this route ("company.province" = "legal_entity.head_company_province");
    # the route is re-assessed only once those answers are given, and asks for them until then
    answers_from: dict[Str, Str] = Field(default_factory=dict)
    source: SourceRef


class ActionStep(_Model):
    key: Id
    title: Text
    effort_days: tuple[int, int]


class ActionTemplate(_Model):
    """How failing rules become plan actions: one action for several rules (merge) or steps (split)."""

    key: Id
    rules: list[Id] = Field(min_length=1)
    title: Text
    steps: list[ActionStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> ActionTemplate:
        if self.steps and len(self.rules) != 1:
            raise ValueError("steps split one rule: list exactly one rule")
        for step in self.steps:
            lo, hi = step.effort_days
            if not 0 <= lo <= hi:
                raise ValueError(f"steps[{step.key}].effort_days must be [min, max] with 0 <= min <= max")
        check_unique("steps", [st.key for st in self.steps])
        return self


class StatusThresholds(_Model):
    ready_min: float = Field(ge=0, le=100)
    nearly_ready_min: float = Field(ge=0, le=100)
    nearly_ready_max_major: int = Field(default=2, ge=0)  # more major gaps: not ready, whatever the score
    failed_gate_max_credit: float = Field(default=0.5, ge=0, le=1)  # a failed gate's partial credit, at most
    blocker_gain: float = Field(ge=0)
    correction_risk_rounds: dict[Scenario, int]
    baseline_rounds: dict[Scenario, int]


class Province(_Model):
    id: Id
    name: Text
    overrides: dict[Id, float] = Field(default_factory=dict)
    note: Text | None = None
