"""The rules catalog: dimensions, sources, questions, rules, materials and review stages, as TOML data.

Everything the product shows as a rule, threshold or duration is loaded from ``data/catalog/`` and
validated here once. A broken file raises :class:`CatalogError` naming the file, the rule id and the
field, so a consultant who edits a threshold learns at once what to fix.
"""

from __future__ import annotations

import tomllib
import typing
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, Union
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from ccl.profile import ALL_FIELDS, SECTIONS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATALOG_DIR = DATA_DIR / "catalog"

DimensionId = Literal["legal_entity", "capital", "staffing", "premises_equipment", "technical_plan", "materials"]
DIMENSIONS: tuple[str, ...] = typing.get_args(DimensionId)
Kind = Literal["gate", "scored", "warning"]
Severity = Literal["blocker", "major", "minor", "warning"]
Confidence = Literal["official", "practice", "uncertain"]
Unit = Literal["cny", "people", "months", "m2", "seats", "percent", "items", "bool", "date", "choice", "text"]
Scenario = Literal["optimistic", "expected", "pessimistic"]
SCENARIOS: tuple[str, ...] = typing.get_args(Scenario)

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


class Stage(_Model):
    key: Id
    name: Text
    days: dict[Scenario, int]
    day_kind: dict[Scenario, Literal["working", "calendar"]] = Field(
        default_factory=lambda: {"optimistic": "working", "expected": "working", "pessimistic": "working"}
    )
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
        _unique("steps", [st.key for st in self.steps])
        return self


class StatusThresholds(_Model):
    ready_min: float = Field(ge=0, le=100)
    nearly_ready_min: float = Field(ge=0, le=100)
    blocker_gain: float = Field(ge=0)
    correction_risk_rounds: dict[Scenario, int]
    baseline_rounds: dict[Scenario, int]


class Province(_Model):
    id: Id
    name: Text
    overrides: dict[Id, float] = Field(default_factory=dict)
    note: Text | None = None


# --- the catalog files: each one a model, checked on its own so an error names its file ----------


class CatalogFile(_Model):
    """catalog.toml: version, dimensions, score thresholds, parameters and licence terms."""

    version: Str
    last_verified: date
    dimensions: list[Dimension]
    status: StatusThresholds
    params: dict[Id, Param]
    licence: LicenceTerms

    @model_validator(mode="after")
    def _checks(self) -> CatalogFile:
        _unique("dimensions", [d.id for d in self.dimensions])
        if {d.id for d in self.dimensions} != set(DIMENSIONS):
            raise ValueError(f"dimensions: must be exactly {', '.join(DIMENSIONS)}")
        if self.status.nearly_ready_min > self.status.ready_min:
            raise ValueError("status.nearly_ready_min: must not exceed status.ready_min")
        return self


class SourcesFile(_Model):
    """sources.toml: the documents rules rest on."""

    sources: list[Source]
    official_hosts: list[Str] = Field(min_length=1)

    @model_validator(mode="after")
    def _checks(self) -> SourcesFile:
        _unique("sources", [s.id for s in self.sources])
        return self


class QuestionsFile(_Model):
    """questions.toml: how each profile field is asked."""

    questions: dict[Str, Question]

    @model_validator(mode="after")
    def _checks(self) -> QuestionsFile:
        missing = [f for f in ALL_FIELDS if f not in self.questions]
        if missing:
            raise ValueError(f"questions: no question text for {missing[0]}")
        for key, q in self.questions.items():
            if key not in ALL_FIELDS:
                raise ValueError(f"questions.{key}: not a profile field")
            _check_options(key, q)
        return self


class RulesFile(_Model):
    """rules.toml: gates, scored rules and warnings."""

    rules: list[Rule]

    @model_validator(mode="after")
    def _checks(self) -> RulesFile:
        _unique("rules", [r.id for r in self.rules])
        by_id = {r.id: r for r in self.rules}
        for r in self.rules:
            unknown = [f for f in r.fields if f not in ALL_FIELDS]
            if unknown:
                raise ValueError(f"rules[{r.id}].condition: unknown profile field '{unknown[0]}'")
            for dep in r.after:
                if dep not in by_id:
                    raise ValueError(f"rules[{r.id}].after: unknown rule '{dep}'")
                if dep == r.id:
                    raise ValueError(f"rules[{r.id}].after: a rule cannot wait for itself")
                if r.before == "submission" and by_id[dep].before == "issuance":
                    raise ValueError(f"rules[{r.id}].after: '{dep}' may wait until issuance, so it cannot come first")
        _check_no_cycles(by_id)
        return self


class DocumentsFile(_Model):
    """documents.toml: the application documents."""

    documents: list[Document]

    @model_validator(mode="after")
    def _checks(self) -> DocumentsFile:
        _unique("documents", [d.id for d in self.documents])
        for d in self.documents:
            if d.field is not None and d.field not in ALL_FIELDS:
                raise ValueError(f"documents[{d.id}].field: unknown profile field '{d.field}'")
        return self


class StagesFile(_Model):
    """stages.toml: the review stages, in order."""

    stages: list[Stage]

    @model_validator(mode="after")
    def _checks(self) -> StagesFile:
        _unique("stages", [s.key for s in self.stages])
        keys = {s.key for s in self.stages}
        missing = sorted(REQUIRED_STAGES - keys)
        if missing:
            raise ValueError(f"stages: missing stage '{missing[0]}'")
        for s in self.stages:
            if s.within is not None and s.within not in keys:
                raise ValueError(f"stages[{s.key}].within: unknown stage '{s.within}'")
        return self


class RegionsFile(_Model):
    """regions.toml: provinces and their local threshold overrides."""

    provinces: list[Province]

    @model_validator(mode="after")
    def _checks(self) -> RegionsFile:
        _unique("provinces", [p.id for p in self.provinces])
        return self


class RoutesFile(_Model):
    """routes.toml: other routes to the licence."""

    routes: list[Route]

    @model_validator(mode="after")
    def _checks(self) -> RoutesFile:
        _unique("routes", [r.key for r in self.routes])
        for r in self.routes:
            unless = condition_fields(r.unless) if r.unless else []
            for f in [*condition_fields(r.applies_if), *unless, *r.changes, *r.answers_from, *r.answers_from.values()]:
                if f not in ALL_FIELDS:
                    raise ValueError(f"routes[{r.key}]: unknown profile field '{f}'")
        return self


class ActionsFile(_Model):
    """actions.toml: how gaps become plan actions (merges and splits)."""

    actions: list[ActionTemplate]

    @model_validator(mode="after")
    def _checks(self) -> ActionsFile:
        _unique("actions", [a.key for a in self.actions])
        _unique("actions.rules", [r for a in self.actions for r in a.rules])
        return self


REQUIRED_STAGES = frozenset({"submission", "completeness_check", "correction", "review", "expert_review", "issuance"})

# file name (without .toml) -> its model, in the order they are read and checked
FILE_MODELS: dict[str, type[_Model]] = {
    "catalog": CatalogFile,
    "sources": SourcesFile,
    "questions": QuestionsFile,
    "rules": RulesFile,
    "documents": DocumentsFile,
    "stages": StagesFile,
    "regions": RegionsFile,
    "routes": RoutesFile,
    "actions": ActionsFile,
}
FILES = tuple(FILE_MODELS)
# files a catalog may leave out (a consultant's own catalog without other routes)
OPTIONAL_FILES = frozenset({"routes", "actions"})


def _unique(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what}: duplicate id '{i}'")
        seen.add(i)


def _check_options(key: str, q: Question) -> None:
    section, name = key.split(".", 1)
    annotation = SECTIONS[section].model_fields[name].annotation
    allowed = _literal_values(annotation)
    if q.input in ("select", "multiselect", "doc"):
        got = {o.value for o in q.options}
        if allowed and got != allowed:
            raise ValueError(f"questions.{key}.options: must label exactly {sorted(map(str, allowed))}")


def _literal_values(annotation: Any) -> set[Any]:
    out: set[Any] = set()
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return set(typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        out |= _literal_values(arg)
    return out


def _check_no_cycles(rule_by_id: dict[str, Rule]) -> None:
    state: dict[str, int] = {}

    def visit(rid: str, path: list[str]) -> None:
        if state.get(rid) == 1:
            raise ValueError(f"rules[{rid}].after: dependency cycle {' -> '.join([*path, rid])}")
        if state.get(rid) == 2:
            return
        state[rid] = 1
        for dep in rule_by_id[rid].after:
            visit(dep, [*path, rid])
        state[rid] = 2

    for rid in rule_by_id:
        visit(rid, [])


# --- the assembled catalog: the checks that read across files -----------------------------------


class CrossFileError(ValueError):
    """A reference from one catalog file to another that does not resolve; ``file`` is where it is written."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(message)
        self.file = file


class Catalog(_Model):
    version: Str
    last_verified: date
    dimensions: list[Dimension]
    sources: list[Source]
    params: dict[Id, Param]
    questions: dict[Str, Question]
    rules: list[Rule]
    documents: list[Document]
    stages: list[Stage]
    licence: LicenceTerms
    status: StatusThresholds
    provinces: list[Province]
    official_hosts: list[Str] = Field(min_length=1)
    routes: list[Route] = Field(default_factory=list)
    actions: list[ActionTemplate] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_checks(self) -> Catalog:
        _check_references(self)
        _check_actions(self)
        return self

    @model_validator(mode="after")
    def _official_sources(self) -> Catalog:
        """An official source links only to allow-listed hosts; an 'official' citation names an official source."""
        for src in self.sources:
            if not src.official:
                continue
            for link in src.links:
                if not host_allowed(link.host, self.official_hosts):
                    raise CrossFileError(
                        "sources",
                        f"sources[{src.id}].links: '{link.host}' is not an official host. A {src.kind} may only "
                        "link to the issuing authority or an official publication (official_hosts in sources.toml); "
                        "cite agency or directory pages on a practice source instead",
                    )
        by_id = {s.id: s for s in self.sources}
        for file, where, ref in _source_refs(self):
            src = by_id.get(ref.doc)
            if ref.confidence == "official" and src is not None and not src.official:
                raise CrossFileError(
                    file, f"{where}.confidence: '{ref.doc}' is a {src.kind} source, not an official document"
                )
        return self

    # lookups ----------------------------------------------------------------------------------
    @cached_property
    def rule_by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def province_by_id(self) -> dict[str, Province]:
        return {p.id: p for p in self.provinces}

    @cached_property
    def stage_by_key(self) -> dict[str, Stage]:
        return {s.key: s for s in self.stages}

    @cached_property
    def rules_by_field(self) -> dict[str, tuple[Rule, ...]]:
        out: dict[str, list[Rule]] = {}
        for r in self.rules:
            for f in r.fields:
                out.setdefault(f, []).append(r)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def required_fields(self) -> dict[str, tuple[str, ...]]:
        """Questions that count towards completion, by profile section (dimension or "company")."""
        out: dict[str, list[str]] = {}
        for f in ALL_FIELDS:
            if not self.questions[f].optional:
                out.setdefault(f.split(".", 1)[0], []).append(f)
        return {k: tuple(v) for k, v in out.items()}

    def rule_inputs(self, rule: Rule) -> tuple[str, ...]:
        """Every question a rule needs: the fields it reads, and company.scope when a threshold depends on it."""
        scoped = any(self.params[p].by_scope is not None for p in rule.params if p in self.params)
        return rule.fields + (("company.scope",) if scoped and "company.scope" not in rule.fields else ())

    def param_value(self, name: str, scope: str | None, province: str | None) -> float | None:
        """A threshold for this scope and province: province override > by-scope value > default."""
        prov = self.province_by_id.get(province or "")
        if prov is not None:
            scoped = prov.overrides.get(f"{name}.{scope}") if scope else None
            if scoped is not None:
                return scoped
            if name in prov.overrides:
                return prov.overrides[name]
        param = self.params[name]
        if param.by_scope is not None:
            return param.by_scope.get(scope) if scope else None  # type: ignore[call-overload]
        return param.default


def _check_actions(cat: Catalog) -> None:
    """Action templates name existing rules, never reuse a rule id as key, and split a rule's effort exactly."""
    for a in cat.actions:
        if a.key in cat.rule_by_id:
            raise CrossFileError("actions", f"actions[{a.key}].key: is a rule id; action keys must differ from them")
        for rid in a.rules:
            if rid not in cat.rule_by_id:
                raise CrossFileError("actions", f"actions[{a.key}].rules: unknown rule '{rid}'")
        if a.steps:
            rule = cat.rule_by_id[a.rules[0]]
            total = (sum(st.effort_days[0] for st in a.steps), sum(st.effort_days[1] for st in a.steps))
            if total != tuple(rule.effort_days):
                raise CrossFileError(
                    "actions",
                    f"actions[{a.key}].steps: effort_days add up to {list(total)}, but rule {rule.id} "
                    f"needs {list(rule.effort_days)}; they must agree",
                )


def _source_refs(cat: Catalog) -> list[tuple[str, str, SourceRef]]:
    """Every citation in the catalog: (file, where it sits, the citation), for error messages."""
    refs: list[tuple[str, str, SourceRef]] = [("rules", f"rules[{r.id}].source", r.source) for r in cat.rules]
    refs += [("catalog", f"params.{k}.source", p.source) for k, p in cat.params.items()]
    refs += [("documents", f"documents[{d.id}].source", d.source) for d in cat.documents]
    refs += [("stages", f"stages[{s.key}].source", s.source) for s in cat.stages]
    refs += [
        ("catalog", "licence.source", cat.licence.source),
        ("catalog", "licence.annual_report_source", cat.licence.annual_report_source),
    ]
    return refs


def _check_references(cat: Catalog) -> None:
    """Every parameter, source, rule and stage named in one file exists in the file that defines it."""
    source_ids = {s.id for s in cat.sources} | {"practice", "estimate"}
    for name, p in cat.params.items():
        _check_doc("catalog", f"params.{name}.source.doc", p.source, source_ids)
    for r in cat.rules:
        for c in [r.condition] + ([r.applies_if] if r.applies_if else []):
            for p in condition_params(c):
                if p not in cat.params:
                    raise CrossFileError("rules", f"rules[{r.id}].condition: unknown parameter '{p}'")
        _check_doc("rules", f"rules[{r.id}].source.doc", r.source, source_ids)
    for d in cat.documents:
        unknown = [dep for dep in [*d.depends_on, *d.needed_when] if dep not in cat.rule_by_id]
        if unknown:
            raise CrossFileError("documents", f"documents[{d.id}].depends_on: unknown rule '{unknown[0]}'")
        _check_doc("documents", f"documents[{d.id}].source.doc", d.source, source_ids)
    for s in cat.stages:
        _check_doc("stages", f"stages[{s.key}].source.doc", s.source, source_ids)
    _check_routes(cat, source_ids)
    _check_overrides(cat)


def _check_routes(cat: Catalog, source_ids: set[str]) -> None:
    for route in cat.routes:
        unknown = [rid for rid in route.clears if rid not in cat.rule_by_id]
        if unknown:
            raise CrossFileError("routes", f"routes[{route.key}].clears: unknown rule '{unknown[0]}'")
        _check_doc("routes", f"routes[{route.key}].source.doc", route.source, source_ids)


def _check_overrides(cat: Catalog) -> None:
    for prov in cat.provinces:
        for key in prov.overrides:
            base = key.rsplit(".", 1)[0] if key.endswith((".provincial", ".cross_regional")) else key
            if base not in cat.params:
                raise CrossFileError("regions", f"provinces[{prov.id}].overrides.{key}: unknown parameter")


def _check_doc(file: str, where: str, ref: SourceRef, source_ids: set[str]) -> None:
    if ref.doc not in source_ids:
        raise CrossFileError(file, f"{where}: unknown source '{ref.doc}'")


# --- loading --------------------------------------------------------------------------------------


class CatalogError(ValueError):
    """A catalog file that cannot be used; the message names the file, the rule id and the field."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogError(f"{path}: file missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML ({exc})") from None


def load_file(path: Path, model: type[_Model]) -> _Model:
    """Read one catalog file and validate it on its own; errors name this file."""
    raw = _read_toml(path)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(f"{path}: {_describe(exc.errors()[0], raw)}") from None


def load_catalog(directory: str | Path | None = None) -> Catalog:
    """Load and validate the catalog from a folder of TOML files (default: the shipped data/catalog)."""
    d = Path(directory) if directory else CATALOG_DIR
    parts = {
        name: load_file(d / f"{name}.toml", model)
        for name, model in FILE_MODELS.items()
        if name not in OPTIONAL_FILES or (d / f"{name}.toml").is_file()
    }
    fields = {key: getattr(part, key) for part in parts.values() for key in type(part).model_fields}
    try:
        return Catalog.model_validate(fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        cause = err.get("ctx", {}).get("error")
        file = cause.file if isinstance(cause, CrossFileError) else "catalog"
        raise CatalogError(f"{d / (file + '.toml')}: {_message(err)}") from None


def _message(err: Any) -> str:
    return str(err["msg"]).removeprefix("Value error, ")


def _describe(err: Any, raw: dict[str, Any]) -> str:
    """'rules[le.company_form].weight: <message>' from a pydantic error inside one file."""
    loc = list(err["loc"])
    if not loc:  # a whole-file check: its message names the list and the id itself
        return _message(err)
    top, rest = str(loc[0]), loc[1:]
    where = top
    if rest and isinstance(rest[0], int):
        items = raw.get(top)
        item = items[rest[0]] if isinstance(items, list) and rest[0] < len(items) else None
        ident = (item.get("id") or item.get("key")) if isinstance(item, dict) else None
        where = f"{top}[{ident or rest[0]}]"
        rest = rest[1:]
    field = ".".join(str(p) for p in rest if not _is_union_tag(p))
    return f"{where}{'.' + field if field else ''}: {_message(err)}"


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (
        part in ("compare", "in", "not_in", "count", "date_not_after", "all", "any")
        or part.startswith(("function-", "literal["))
    )
