"""The catalog files: one model per TOML file in ``data/catalog/``, checked on its own so an error names its file."""

from __future__ import annotations

import typing
from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from ccl.catalog.objects import (
    DIMENSIONS,
    ActionTemplate,
    Dimension,
    Document,
    Id,
    LicenceTerms,
    Param,
    Province,
    Question,
    Route,
    Rule,
    Source,
    Stage,
    StatusThresholds,
    Str,
    _Model,
    check_unique,
    condition_fields,
)
from ccl.profile import ALL_FIELDS, SECTIONS

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
        check_unique("dimensions", [d.id for d in self.dimensions])
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
        check_unique("sources", [s.id for s in self.sources])
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
        check_unique("rules", [r.id for r in self.rules])
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
        check_unique("documents", [d.id for d in self.documents])
        for d in self.documents:
            if d.field is not None and d.field not in ALL_FIELDS:
                raise ValueError(f"documents[{d.id}].field: unknown profile field '{d.field}'")
        return self


class StagesFile(_Model):
    """stages.toml: the review stages, in order."""

    stages: list[Stage]

    @model_validator(mode="after")
    def _checks(self) -> StagesFile:
        check_unique("stages", [s.key for s in self.stages])
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
        check_unique("provinces", [p.id for p in self.provinces])
        return self


class RoutesFile(_Model):
    """routes.toml: other routes to the licence."""

    routes: list[Route]

    @model_validator(mode="after")
    def _checks(self) -> RoutesFile:
        check_unique("routes", [r.key for r in self.routes])
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
        check_unique("actions", [a.key for a in self.actions])
        check_unique("actions.rules", [r for a in self.actions for r in a.rules])
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
