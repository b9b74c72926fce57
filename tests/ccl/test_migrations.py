"""Profile schema migrations: version-1 files keep loading, newer ones are refused."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import load_workbook

from ccl.excel.common import META_SHEET
from ccl.excel.reader import read_profile_xlsx
from ccl.excel.report import build_report
from ccl.migrations import STEPS, migrate
from ccl.profile import SCHEMA_VERSION, ProfileError, dump_profile, parse_profile_json
from ccl.samples import list_samples
from tests.conftest import START


def as_v1(profile) -> str:
    """A sample as an older release wrote it: version 1, without the sections version 2 added."""
    data = json.loads(dump_profile(profile))
    data["schema_version"] = 1
    del data["licence"]
    for name in ("number_type", "other_services"):
        del data["company"][name]
    return json.dumps(data, ensure_ascii=False)


def test_chain_reaches_the_current_version_step_by_step():
    assert sorted(STEPS) == list(range(1, SCHEMA_VERSION))
    assert migrate({"schema_version": 1}, SCHEMA_VERSION)["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize("sample", list_samples(), ids=lambda s: s.key)
def test_every_sample_written_as_version_1_loads_unchanged(sample):
    current = sample.load()
    if current.licence.held or current.company.number_type or current.company.other_services:
        current = current.model_copy(update={"licence": type(current.licence)()})
        current = current.with_answer("company.number_type", None).with_answer("company.other_services", None)
    old = parse_profile_json(as_v1(current), "old.json")
    assert old.schema_version == SCHEMA_VERSION
    assert old == current


def test_newer_versions_are_refused_with_the_existing_message():
    with pytest.raises(ProfileError) as info:
        parse_profile_json(json.dumps({"schema_version": SCHEMA_VERSION + 1}))
    assert info.value.code == "newer_schema"


def test_a_version_1_workbook_still_imports(engine, samples):
    profile = samples[0].load()
    data = build_report(engine.evaluate(profile, START), engine, "zh", START)
    wb = load_workbook(BytesIO(data))
    meta = wb[META_SHEET]
    for row in meta.iter_rows(max_col=2):
        if row[0].value == "schema_version":
            row[1].value = 1
    answers = wb["答卷"]
    row = next(r[0].row for r in answers.iter_rows(min_row=4, max_col=1) if r[0].value == "schema_version")
    answers[f"E{row}"] = 1
    buf = BytesIO()
    wb.save(buf)
    assert read_profile_xlsx(buf.getvalue(), engine.catalog, where="old.xlsx") == profile


def test_a_version_1_questionnaire_template_still_imports(engine, samples):
    """A questionnaire written before version 3 has no Action plan or Evidence sheet and no copy of them
    in its hidden sheet: its answers import, with no plan and no evidence (the engine then builds the plan
    from the gaps, as for any version-1 file)."""
    from ccl.excel.template import build_template

    profile = samples[1].load()
    assert profile.plan
    wb = load_workbook(BytesIO(build_template(engine, "en", profile)))
    wb.security = None
    wb.remove(wb["Action plan"])
    wb.remove(wb["Evidence"])
    meta = wb[META_SHEET]
    for row in reversed(list(meta.iter_rows(max_col=2))):
        if row[0].value == "schema_version":
            row[1].value = 1
        if row[0].value in ("action", "evidence", "plan_sheet", "evidence_sheet"):
            meta.delete_rows(row[0].row)
    buf = BytesIO()
    wb.save(buf)
    imported = read_profile_xlsx(buf.getvalue(), engine.catalog, where="old.xlsx")
    assert imported == profile.model_copy(update={"plan": (), "evidence": {}})
    assert engine.evaluate(imported, START).profile.plan  # the plan comes back from the gaps


def test_a_version_3_file_loads_with_empty_document_details_and_nothing_else_changed(samples):
    """Version 4 only adds the document details; the step touches no other section, so answers another
    release added to a section without a version bump pass through to validation unchanged."""
    from ccl.migrations import v3_to_v4

    current = samples[9].load()
    data = json.loads(dump_profile(current))
    data["schema_version"] = 3
    del data["document_details"]
    old = parse_profile_json(json.dumps(data, ensure_ascii=False), "v3.json")
    assert old == current and old.schema_version == 4
    assert all(v is None for v in old.document_details.model_dump().values())
    raw = {"schema_version": 3, "legal_entity": {"some_later_field": True}, "plan": [{"id": "x"}]}
    assert v3_to_v4(raw) == {**raw, "schema_version": 4}


def test_a_draft_desk_stored_before_version_4_still_opens(samples):
    """Drafts hold each open company's answers as profile JSON of the version that wrote them."""
    from ccl.desk import Desk

    current = samples[9].load()
    old = json.loads(dump_profile(current))
    old["schema_version"] = 3
    del old["document_details"]
    stored = {"companies": [{"key": "a", "profile": old, "origin": old}], "current": "a", "start": "2026-12-01"}
    desk = Desk.from_json(json.dumps(stored, ensure_ascii=False))
    assert desk.company("a").profile == current
