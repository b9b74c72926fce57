"""The shipped catalog passes its lint, and broken catalogs fail at load naming file, rule and field."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from ccl.catalog import CATALOG_DIR
from ccl.catalog.files import REQUIRED_STAGES
from ccl.catalog.load import Catalog, CatalogError, load_catalog
from ccl.catalog.objects import DIMENSIONS, condition_fields, host_allowed
from ccl.profile import ALL_FIELDS
from ccl.scoring import na_allowed_fields
from tests.conftest import with_overrides


def test_rule_ids_are_unique_and_stable_looking(catalog):
    ids = [r.id for r in catalog.rules]
    assert len(ids) == len(set(ids))
    prefixes = {
        "legal_entity": "le.",
        "capital": "cap.",
        "staffing": "st.",
        "premises_equipment": "pe.",
        "technical_plan": "tp.",
        "materials": "mat.",
    }
    for r in catalog.rules:
        assert r.id.startswith(prefixes[r.dimension]), r.id


def test_every_rule_reads_known_fields_and_has_a_source(catalog):
    source_ids = {s.id for s in catalog.sources}
    for r in catalog.rules:
        for f in condition_fields(r.condition):
            assert f in ALL_FIELDS, (r.id, f)
        assert r.source.doc in source_ids | {"practice", "estimate"}, r.id
        if r.source.doc == "practice":
            assert r.source.pages, r.id


def test_gates_rest_on_official_sources_and_are_never_na(catalog):
    gates = [r for r in catalog.rules if r.kind == "gate"]
    assert gates
    for g in gates:
        assert g.source.confidence == "official", g.id
        assert not g.na_allowed, g.id
        for f in g.fields:
            assert f not in na_allowed_fields(catalog), (g.id, f)


def test_warnings_never_count_and_every_dimension_can_score(catalog):
    for r in catalog.rules:
        if r.kind == "warning":
            assert r.weight == 0
    for d in DIMENSIONS:
        assert any(r.dimension == d and r.kind != "warning" and not r.na_allowed for r in catalog.rules), d


def test_law_versus_practice_distinctions(catalog):
    """What domain.md calls practice must never be a legal gate; what it calls law must be."""
    kinds = {r.id: r.kind for r in catalog.rules}
    assert kinds["le.company_form"] == "gate"
    assert kinds["cap.min_registered"] == "gate"
    assert kinds["le.not_dishonest"] == "gate"
    assert kinds["le.adverse_list"] == "warning"
    assert kinds["le.recent_penalty"] == "warning"  # the 3-year rule was repealed in 2017
    assert kinds["cap.paid_in_evidence"] == "warning"  # subscribed capital counts
    assert kinds["st.insured_staff"] != "gate"  # no national number
    assert kinds["pe.office_area"] == "warning"
    assert kinds["mat.social_insurance_proof"] == "warning"  # may follow at issuance
    fields_of_gates = {f for r in catalog.rules if r.kind == "gate" for f in r.fields}
    assert "legal_entity.foreign_ownership_pct" not in fields_of_gates  # B24 has no equity cap


def test_official_sources_link_only_to_official_hosts_and_say_what_and_when(catalog):
    """A consultant can show every official source to a client: issuing authority's site, full name, number or date."""
    official = [s for s in catalog.sources if s.official]
    assert {"S1", "S2", "S3", "S4", "S5", "S9"} <= {s.id for s in official if s.links}
    for src in official:
        for link in src.links:
            assert host_allowed(link.host, catalog.official_hosts), (src.id, link.url)
            assert link.found_via, (src.id, link.url)
    refs = (
        [r.source for r in catalog.rules] + [d.source for d in catalog.documents] + [s.source for s in catalog.stages]
    )
    refs += [p.source for p in catalog.params.values()] + [catalog.licence.source, catalog.licence.annual_report_source]
    for doc in {r.doc for r in refs if r.confidence == "official"}:
        src = catalog.source_by_id[doc]
        assert src.official and (src.number or src.issued or src.revised or src.in_force), doc
    hosts = {link.host for s in catalog.sources for link in s.links}
    for agency in ("fuwu.11467.com", "m.trustexporter.com", "www.lawfaq.cn", "zh.m.wikisource.org"):
        assert agency not in hosts


def test_official_host_allow_list_matches_whole_hosts():
    allowed = ["www.gov.cn", "*.miit.gov.cn"]
    assert host_allowed("cqca.miit.gov.cn", allowed) and host_allowed("miit.gov.cn", allowed)
    assert host_allowed("WWW.GOV.CN", allowed)
    assert not host_allowed("miit.gov.cn.example.com", allowed)
    assert not host_allowed("fakemiit.gov.cn", allowed)
    assert not host_allowed("beijing.gov.cn", allowed)  # only the hosts listed, not every *.gov.cn


def test_issue_11_source_corrections(catalog):
    """Named technical lead is practice (only 专业人员 is law); the annual report rests on Order 42 Art. 35, 38."""
    lead = catalog.rule_by_id["st.technical_lead"].source
    assert lead.doc == "practice" and lead.confidence == "practice" and lead.pages
    report = catalog.licence.annual_report_source
    assert report.doc == "S2" and "35" in report.article and "38" in report.article


def test_capital_minimum_by_scope_is_data(catalog):
    assert catalog.param_value("min_registered_capital_cny", "provincial", None) == 1_000_000
    assert catalog.param_value("min_registered_capital_cny", "cross_regional", None) == 10_000_000
    assert catalog.param_value("min_registered_capital_cny", None, None) is None


def test_province_override_takes_precedence(catalog):
    local = with_overrides(catalog, "guangdong", {"min_insured_staff": 5, "min_lease_months.provincial": 24})
    assert local.param_value("min_insured_staff", "provincial", "guangdong") == 5
    assert local.param_value("min_insured_staff", "provincial", "beijing") == 3
    assert local.param_value("min_lease_months", "provincial", "guangdong") == 24
    assert local.param_value("min_lease_months", "cross_regional", "guangdong") == 12


def test_every_question_has_both_languages_and_option_labels(catalog):
    assert set(catalog.questions) == set(ALL_FIELDS)
    for key, q in catalog.questions.items():
        assert q.label.zh and q.label.en and q.help.zh and q.help.en, key


# --- broken catalogs: small inline catalogs, each test breaks one thing -----------------------------


def _src() -> dict[str, Any]:
    return {"doc": "S1", "confidence": "official", "last_verified": date(2026, 1, 1)}


TEXT = {"zh": "文字", "en": "text"}
QUESTION = {"label": TEXT, "help": TEXT, "unit": "text", "input": "text"}


def _rule(rid: str, dimension: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "dimension": dimension,
        "kind": "scored",
        "severity": "minor",
        "title": TEXT,
        "explain": TEXT,
        "remedy": TEXT,
        "condition": {"type": "compare", "field": "capital.registered_cny", "op": ">=", "param": "min_cap"},
        "weight": 10,
        "effort_days": [1, 5],
        "source": _src(),
        **extra,
    }


def _stage(key: str, **extra: Any) -> dict[str, Any]:
    days = {"optimistic": 1, "expected": 2, "pessimistic": 3}
    return {"key": key, "name": TEXT, "days": days, "estimate": False, "note": TEXT, "source": _src(), **extra}


def minimal_catalog() -> dict[str, dict[str, Any]]:
    """The smallest valid catalog, one dict per file: every dimension, every question, two rules."""
    dimension = {"name": TEXT, "short": TEXT, "colour": "#000000", "weight": 1}
    rounds = {"optimistic": 0, "expected": 0, "pessimistic": 1}
    files = {
        "catalog": {
            "version": "1",
            "last_verified": date(2026, 1, 1),
            "dimensions": [{"id": d, **dimension} for d in DIMENSIONS],
            "status": {
                "ready_min": 85,
                "nearly_ready_min": 65,
                "blocker_gain": 50,
                "baseline_rounds": rounds,
                "correction_risk_rounds": rounds,
            },
            "params": {"min_cap": {"unit": "cny", "default": 1_000_000, "label": TEXT, "source": _src()}},
            "licence": {
                "validity_years": 5,
                "renewal_days_before_expiry": 90,
                "renewal_warning_days": 120,
                "annual_report_opens": "01-10",
                "annual_report_due": "03-31",
                "source": _src(),
                "annual_report_source": _src(),
            },
        },
        "sources": {
            "official_hosts": ["*.npc.gov.cn"],
            "sources": [
                {
                    "id": "S1",
                    "title": TEXT,
                    "kind": "law",
                    "links": [{"url": "https://www.npc.gov.cn/law.html", "found_via": "test"}],
                }
            ],
        },
        "questions": {"questions": {f: QUESTION for f in ALL_FIELDS}},
        "rules": {"rules": [_rule("cap.min", "capital"), _rule("cap.paid", "capital", after=["cap.min"])]},
        "documents": {
            "documents": [{"id": "form", "name": TEXT, "status": "national", "basis": TEXT, "source": _src()}]
        },
        "stages": {"stages": [_stage(k) for k in sorted(REQUIRED_STAGES)]},
        "regions": {"provinces": [{"id": "beijing", "name": TEXT}]},
    }
    return files


def _toml(value: Any) -> str:
    """Just enough TOML for the catalog: inline tables and arrays, strings, numbers, booleans, dates."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def write_catalog(folder: Path, files: dict[str, dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        lines = [f"{json.dumps(k)} = {_toml(v)}" for k, v in content.items()]
        (folder / f"{name}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _broken(tmp_path: Path, edit) -> str:
    files = minimal_catalog()
    edit(files)
    with pytest.raises(CatalogError) as err:
        load_catalog(write_catalog(tmp_path / "catalog", files))
    return str(err.value)


def test_minimal_catalog_loads(tmp_path):
    cat = load_catalog(write_catalog(tmp_path / "catalog", minimal_catalog()))
    assert [r.id for r in cat.rules] == ["cap.min", "cap.paid"]
    assert cat.param_value("min_cap", "provincial", "beijing") == 1_000_000


def _rule0(files: dict[str, Any]) -> dict[str, Any]:
    return files["rules"]["rules"][0]


def _set(path: list[Any], value: Any):
    """An edit that sets files[path...] = value."""

    def edit(files: dict[str, Any]) -> None:
        target = files
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return edit


BROKEN = {
    "unknown field": (
        _set(["rules", "rules", 0, "condition", "field"], "capital.registered_kind"),
        ["rules.toml", "rules[cap.min].condition", "capital.registered_kind"],
    ),
    "gate marked n/a": (
        lambda f: _rule0(f).update(kind="gate", na_allowed=True),
        ["rules.toml", "cap.min", "not applicable"],
    ),
    "gate on practice": (
        lambda f: _rule0(f).update(
            kind="gate",
            source={"doc": "practice", "pages": ["x"], "confidence": "practice", "last_verified": date(2026, 1, 1)},
        ),
        ["rules.toml", "cap.min", "official"],
    ),
    "duplicate rule id": (
        _set(["rules", "rules", 1, "id"], "cap.min"),
        ["rules.toml", "duplicate", "cap.min"],
    ),
    "unknown parameter": (
        _set(["rules", "rules", 0, "condition", "param"], "min_capital"),
        ["rules.toml", "rules[cap.min].condition", "min_capital"],
    ),
    "effort reversed": (
        _set(["rules", "rules", 0, "effort_days"], [5, 1]),
        ["rules.toml", "rules[cap.min]", "effort_days"],
    ),
    "unknown after": (
        _set(["rules", "rules", 1, "after"], ["cap.nothing"]),
        ["rules.toml", "rules[cap.paid].after", "cap.nothing"],
    ),
    "dependency cycle": (
        _set(["rules", "rules", 0, "after"], ["cap.paid"]),
        ["rules.toml", "after", "cycle"],
    ),
    "unknown kind": (
        _set(["rules", "rules", 0, "kind"], "must"),
        ["rules.toml", "rules[cap.min].kind"],
    ),
    "weight not a number": (
        _set(["rules", "rules", 0, "weight"], "heavy"),
        ["rules.toml", "rules[cap.min].weight"],
    ),
    "rule source unknown": (
        _set(["rules", "rules", 0, "source", "doc"], "S99"),
        ["rules.toml", "rules[cap.min].source.doc", "S99"],
    ),
    "estimate without note": (
        _set(["rules", "rules", 0, "source"], {**_src(), "doc": "estimate", "confidence": "uncertain"}),
        ["rules.toml", "rules[cap.min].source", "note"],
    ),
    "stage missing a scenario": (
        _set(["stages", "stages", 0, "days"], {"optimistic": 5, "expected": 5}),
        ["stages.toml", "stages[completeness_check]", "'days'"],
    ),
    "stage missing": (
        lambda f: f["stages"]["stages"].pop(),
        ["stages.toml", "missing stage"],
    ),
    "stage source unknown": (
        _set(["stages", "stages", 1, "source", "doc"], "S99"),
        ["stages.toml", "stages[correction].source.doc", "S99"],
    ),
    "colour not hex": (
        _set(["catalog", "dimensions", 0, "colour"], "blue"),
        ["catalog.toml", "dimensions[legal_entity].colour"],
    ),
    "a dimension missing": (
        lambda f: f["catalog"]["dimensions"].pop(),
        ["catalog.toml", "dimensions", "materials"],
    ),
    "param source unknown": (
        _set(["catalog", "params", "min_cap", "source", "doc"], "S99"),
        ["catalog.toml", "params.min_cap.source.doc", "S99"],
    ),
    "thresholds upside down": (
        _set(["catalog", "status", "nearly_ready_min"], 90),
        ["catalog.toml", "nearly_ready_min"],
    ),
    "override of unknown param": (
        _set(["regions", "provinces", 0, "overrides"], {"min_staff": 5}),
        ["regions.toml", "provinces[beijing].overrides.min_staff"],
    ),
    "question for no field": (
        _set(
            ["questions", "questions", "company.nickname"],
            {"label": TEXT, "help": TEXT, "unit": "text", "input": "text"},
        ),
        ["questions.toml", "company.nickname"],
    ),
    "question missing": (
        lambda f: f["questions"]["questions"].pop("company.name"),
        ["questions.toml", "company.name"],
    ),
    "document depends on unknown rule": (
        _set(["documents", "documents", 0, "depends_on"], ["cap.nothing"]),
        ["documents.toml", "documents[form].depends_on", "cap.nothing"],
    ),
    "document for unknown field": (
        _set(["documents", "documents", 0, "field"], "materials.nothing"),
        ["documents.toml", "documents[form].field", "materials.nothing"],
    ),
    "action steps that do not add up to the rule's effort": (
        _set(
            ["actions"],
            {
                "actions": [
                    {
                        "key": "raise",
                        "rules": ["cap.min"],
                        "title": TEXT,
                        "steps": [{"key": "resolve", "title": TEXT, "effort_days": [1, 1]}],
                    }
                ]
            },
        ),
        ["actions.toml", "actions[raise].steps", "cap.min", "must agree"],
    ),
    "action for an unknown rule": (
        _set(["actions"], {"actions": [{"key": "lease", "rules": ["cap.nothing"], "title": TEXT}]}),
        ["actions.toml", "actions[lease].rules", "cap.nothing"],
    ),
    "action key that is a rule id": (
        _set(["actions"], {"actions": [{"key": "cap.paid", "rules": ["cap.min", "cap.paid"], "title": TEXT}]}),
        ["actions.toml", "actions[cap.paid].key", "rule id"],
    ),
    "one rule in two actions": (
        _set(
            ["actions"],
            {
                "actions": [
                    {"key": "one", "rules": ["cap.min"], "title": TEXT},
                    {"key": "two", "rules": ["cap.min"], "title": TEXT},
                ]
            },
        ),
        ["actions.toml", "duplicate", "cap.min"],
    ),
    "source duplicated": (
        lambda f: f["sources"]["sources"].append(f["sources"]["sources"][0]),
        ["sources.toml", "duplicate", "S1"],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_catalog_names_file_rule_and_field(tmp_path, case):
    edit, expect = BROKEN[case]
    message = _broken(tmp_path, edit)
    for part in expect:
        assert part in message, (part, message)


def test_invalid_toml_names_the_file(tmp_path):
    folder = write_catalog(tmp_path / "catalog", minimal_catalog())
    (folder / "sources.toml").write_text("[[sources]\nid = ", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"sources\.toml: not valid TOML"):
        load_catalog(folder)


def test_missing_file_is_named(tmp_path):
    folder = write_catalog(tmp_path / "catalog", minimal_catalog())
    (folder / "stages.toml").unlink()
    with pytest.raises(CatalogError, match=r"stages\.toml: file missing"):
        load_catalog(folder)


def test_catalog_files_are_plain_toml():
    for path in CATALOG_DIR.glob("*.toml"):
        with path.open("rb") as fh:
            assert tomllib.load(fh)


def _with_source_change(catalog: Catalog, sid: str, **changes) -> dict:
    data = catalog.model_dump()
    for src in data["sources"]:
        if src["id"] == sid:
            src.update(changes)
    return data


def test_official_source_linking_an_agency_page_is_rejected(catalog):
    agency = {"url": "https://fuwu.11467.com/info/31106885.htm", "label": None, "found_via": "search"}
    data = _with_source_change(catalog, "S2", links=[agency])
    with pytest.raises(ValidationError, match=r"sources\[S2\]\.links: 'fuwu\.11467\.com' is not an official host"):
        Catalog.model_validate(data)
    practice = {**data, "sources": [{**s, "kind": "practice"} if s["id"] == "S2" else s for s in data["sources"]]}
    with pytest.raises(ValidationError, match=r"is a practice source, not an official document"):
        Catalog.model_validate(practice)  # the rules still cite S2 as official


def test_consultant_editing_sources_gets_the_error_at_load(tmp_path):
    files = minimal_catalog()
    files["sources"]["sources"][0]["links"].append(
        {"url": "https://www.lawfaq.cn/law/27-2071-5.html", "found_via": "x"}
    )
    with pytest.raises(CatalogError) as err:
        load_catalog(write_catalog(tmp_path / "catalog", files))
    message = str(err.value)
    for part in ("sources.toml", "S1", "www.lawfaq.cn", "official_hosts"):
        assert part in message, (part, message)


def test_official_citation_of_a_package_is_rejected(catalog):
    data = catalog.model_dump()
    data["licence"]["source"]["doc"] = "S21"
    with pytest.raises(ValidationError, match=r"licence\.source\.confidence: 'S21' is a package source"):
        Catalog.model_validate(data)


def test_a_source_nobody_can_find_is_rejected(catalog):
    data = _with_source_change(catalog, "S10", number=None, links=[], published_in=None)
    with pytest.raises(ValidationError, match="a reader must be able to find the document"):
        Catalog.model_validate(data)
