"""The shipped catalog passes its lint, and broken catalogs fail at load naming file, rule and field."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from ccl.catalog import CATALOG_DIR, DIMENSIONS, Catalog, CatalogError, condition_fields, host_allowed, load_catalog
from ccl.profile import ALL_FIELDS
from ccl.scoring import na_allowed_fields


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
    local = catalog.with_overrides("guangdong", {"min_insured_staff": 5, "min_lease_months.provincial": 24})
    assert local.param_value("min_insured_staff", "provincial", "guangdong") == 5
    assert local.param_value("min_insured_staff", "provincial", "beijing") == 3
    assert local.param_value("min_lease_months", "provincial", "guangdong") == 24
    assert local.param_value("min_lease_months", "cross_regional", "guangdong") == 12


def test_every_question_has_both_languages_and_option_labels(catalog):
    assert set(catalog.questions) == set(ALL_FIELDS)
    for key, q in catalog.questions.items():
        assert q.label.zh and q.label.en and q.help.zh and q.help.en, key


# --- broken catalogs ------------------------------------------------------------------------------


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target)
    return target


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expect"),
    [
        (
            "rules.toml",
            'field = "legal_entity.entity_type"',
            'field = "legal_entity.entity_kind"',
            ["rules.toml", "le.company_form", "legal_entity.entity_kind"],
        ),
        (
            "rules.toml",
            'id = "le.not_dishonest"\ndimension = "legal_entity"\nkind = "gate"',
            'id = "le.not_dishonest"\ndimension = "legal_entity"\nkind = "gate"\nna_allowed = true',
            ["rules.toml", "le.not_dishonest", "not applicable"],
        ),
        (
            "rules.toml",
            'id = "le.business_scope"',
            'id = "le.company_form"',
            ["rules.toml", "duplicate", "le.company_form"],
        ),
        (
            "rules.toml",
            'param = "min_registered_capital_cny" }\npartial',
            'param = "min_capital" }\npartial',
            ["rules.toml", "cap.min_registered", "min_capital"],
        ),
        (
            "rules.toml",
            "effort_days = [20, 40]",
            "effort_days = [40, 20]",
            ["rules.toml", "le.company_form", "effort_days"],
        ),
        (
            "rules.toml",
            'after = ["st.insured_staff"]',
            'after = ["st.nothing"]',
            ["rules.toml", "st.insured_months", "after", "st.nothing"],
        ),
        ("rules.toml", 'kind = "gate"', 'kind = "must"', ["rules.toml", "le.company_form", "kind"]),
        (
            "rules.toml",
            "weight = 60\neffort_days = [20, 40]",
            'weight = "heavy"\neffort_days = [20, 40]',
            ["rules.toml", "le.company_form", "weight"],
        ),
        (
            "stages.toml",
            "days = { optimistic = 5, expected = 5, pessimistic = 5 }",
            "days = { optimistic = 5, expected = 5 }",
            ["stages.toml", "completeness_check", "days"],
        ),
        ("catalog.toml", 'colour = "#0072B2"', 'colour = "blue"', ["catalog.toml", "dimensions", "colour"]),
        (
            "regions.toml",
            'id = "beijing"',
            'id = "beijing"\noverrides = { min_staff = 5 }',
            ["regions.toml", "beijing", "min_staff"],
        ),
    ],
)
def test_broken_catalog_names_file_rule_and_field(catalog_copy, file, old, new, expect):
    _edit(catalog_copy / file, old, new)
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    message = str(err.value)
    for part in expect:
        assert part in message, (part, message)


def test_gate_with_practice_source_is_rejected(catalog_copy):
    _edit(
        catalog_copy / "rules.toml",
        'source = { doc = "S2", article = "第六条第（一）项',
        'source = { doc = "practice", pages = ["x"], confidence = "practice", last_verified = 2026-01-01 }\n'
        'old_source = { doc = "S2", article = "第六条第（一）项',
    )
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    assert "le.company_form" in str(err.value)


def test_invalid_toml_names_the_file(catalog_copy):
    (catalog_copy / "sources.toml").write_text("[[sources]\nid = ", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"sources\.toml"):
        load_catalog(catalog_copy)


def test_missing_file_is_named(catalog_copy):
    (catalog_copy / "stages.toml").unlink()
    with pytest.raises(CatalogError, match=r"stages\.toml"):
        load_catalog(catalog_copy)


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


def test_consultant_editing_sources_gets_the_error_at_load(catalog_copy):
    _edit(
        catalog_copy / "sources.toml",
        'links = [\n  { url = "https://www.miit.gov.cn/zwgk/zcwj/flfg/art/2020/',
        'links = [\n  { url = "https://www.lawfaq.cn/law/27-2071-5.html", found_via = "x" },\n'
        '  { url = "https://www.miit.gov.cn/zwgk/zcwj/flfg/art/2020/',
    )
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    message = str(err.value)
    for part in ("sources.toml", "S2", "www.lawfaq.cn", "official_hosts"):
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
