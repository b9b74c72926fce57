"""The assembled catalog: the checks that read across files, and loading a folder of catalog files.

A broken file raises :class:`CatalogError` naming the file, the rule id and the field, so a consultant
who edits a threshold learns at once what to fix.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import tomli
from pydantic import Field, ValidationError, model_validator

from ccl.catalog import CATALOG_DIR
from ccl.catalog.files import FILE_MODELS, OPTIONAL_FILES
from ccl.catalog.objects import (
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
    SourceRef,
    Stage,
    StatusThresholds,
    Str,
    _Model,
    condition_params,
    host_allowed,
)
from ccl.profile import ALL_FIELDS

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
            cited = by_id.get(ref.doc)
            if ref.confidence == "official" and cited is not None and not cited.official:
                raise CrossFileError(
                    file, f"{where}.confidence: '{ref.doc}' is a {cited.kind} source, not an official document"
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
            # the scope is an answer (any text); a scope the catalog does not list finds no value
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
            for param in condition_params(c):
                if param not in cat.params:
                    raise CrossFileError("rules", f"rules[{r.id}].condition: unknown parameter '{param}'")
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
            return tomli.load(fh)
    except FileNotFoundError:
        raise CatalogError(f"{path}: file missing") from None
    except tomli.TOMLDecodeError as exc:
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
