"""The materials checklist carries the evidence recorded on each document's answer."""

from __future__ import annotations

from datetime import date

from ccl.materials import checklist
from ccl.profile import Evidence, EvidenceRef
from tests.conftest import START

XIAN = "10_xian_mid_remediation"


def docs_of(engine, profile):
    cl = checklist(profile, engine.evaluate(profile, START).assessment, engine.catalog)
    return cl, {d.id: d for d in cl.documents}


def test_a_document_carries_the_note_and_documents_of_its_answer(engine, samples):
    xian = next(s for s in samples if s.key == XIAN).load()
    _, docs = docs_of(engine, xian)
    lease = docs["lease_contract"].evidence
    assert lease is not None and lease.note
    assert [(r.name, r.location, r.date) for r in lease.refs] == [
        ("租赁合同（续签，至2028年10月）", "共享盘/证照/场地", date(2026, 10, 12))
    ]
    assert docs["shareholding_chart"].evidence is None  # nothing recorded on that answer


def test_evidence_on_another_question_is_not_a_documents_evidence(engine, samples):
    xian = next(s for s in samples if s.key == XIAN).load()
    assert "premises_equipment.lease_months_remaining" in xian.evidence
    bare = xian.with_evidence("materials.lease_contract", None)
    _, docs = docs_of(engine, bare)
    assert docs["lease_contract"].evidence is None


def test_ready_documents_without_a_recorded_document_are_listed(engine, samples):
    xian = next(s for s in samples if s.key == XIAN).load()
    cl, docs = docs_of(engine, xian)
    unevidenced = [d.id for d in cl.unevidenced]
    assert unevidenced == ["shareholding_chart", "credit_proof", "commitment_letter"]
    assert all(docs[d].state == "ready" for d in unevidenced)
    assert "lease_contract" not in unevidenced and "business_licence" not in unevidenced
    # a note alone is not a document; a missing or in-progress document is not "claimed ready"
    noted = xian.with_evidence("materials.credit_proof", Evidence(note="在网上查过"))
    cl, _ = docs_of(engine, noted)
    assert "credit_proof" in [d.id for d in cl.unevidenced]
    shown = xian.with_evidence("materials.credit_proof", Evidence(refs=(EvidenceRef(name="信用中国查询截图"),)))
    shown = shown.with_evidence("materials.system_evidence", Evidence(refs=(EvidenceRef(name="截图"),)))
    cl, docs = docs_of(engine, shown)
    assert [d.id for d in cl.unevidenced] == ["shareholding_chart", "commitment_letter"]
    assert docs["system_evidence"].state == "missing" and not docs["system_evidence"].unevidenced
