"""Reading reports and questionnaires back: round trips, and a clear error naming the cell for bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ccl.engine import Engine
from ccl.excel.common import META_SHEET
from ccl.excel.report import build_report
from ccl.excel.template import build_template
from ccl.i18n import error_text, t
from ccl.profile import SCHEMA_VERSION, Profile, ProfileError
from ccl.samples import list_samples
from tests.conftest import read_xlsx

DAY = date(2026, 12, 1)
SAMPLES = list_samples()
NEW_CODES = (
    "too_big",
    "not_zip",
    "old_xls",
    "text_file",
    "corrupt",
    "macro",
    "unsafe_xml",
    "zip_bomb",
    "not_ccl",
    "missing_sheet",
    "missing_column",
    "formula",
    "not_number",
    "not_whole",
    "not_date",
    "not_yes_no",
    "not_choice",
    "bad_meta",
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def report_zh(engine: Engine) -> bytes:
    return build_report(engine.evaluate(SAMPLES[1].load(), DAY), engine, "zh", DAY)


@pytest.fixture(scope="module")
def template_zh(engine: Engine) -> bytes:
    return build_template(engine, "zh", SAMPLES[1].load())


def edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook after someone changed it in a spreadsheet program (here: openpyxl)."""
    wb = load_workbook(BytesIO(data))
    change(wb)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def answers_row(wb: Workbook, path: str, sheet: str = "答卷") -> int:
    ws = wb[sheet]
    return next(r[0].row for r in ws.iter_rows(min_row=4, max_col=1) if r[0].value == path)


def template_cell(wb: Workbook, path: str, column: int = 3) -> tuple[str, str]:
    for row in wb[META_SHEET].iter_rows(values_only=True):
        if row[0] == path and not row[1]:
            return row[2], row[column]
    raise AssertionError(path)


def failure(data: bytes) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        read_xlsx(data, where="upload.xlsx")
    return info.value


# --- round trips ------------------------------------------------------------------------------------


@pytest.mark.sweep
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.key for s in SAMPLES])
def test_report_round_trip_gives_the_identical_profile(engine: Engine, sample, lang: str) -> None:
    ev = engine.evaluate(sample.load(), DAY)
    data = build_report(ev, engine, lang, DAY)
    assert read_xlsx(data) == ev.profile  # the answers, the (reconciled) plan and the evidence


def test_round_trip_keeps_na_reasons_empty_selections_decimals_and_odd_text(engine: Engine) -> None:
    profile = (
        SAMPLES[0]
        .load()
        .with_answer("company.name", '=HYPERLINK("http://x","y") & 合作方 "引号"')
        .with_answer("capital.registered_cny", 1_234_567.89)
        .with_answer("premises_equipment.office_area_m2", 123.5)
        .with_answer("technical_plan.security_measures", frozenset())
        .with_not_applicable("capital.paid_in_cny", "认缴制，尚未实缴\n第二行说明")
        .with_not_applicable("technical_plan.graded_protection_assessed", "-- 本地不要求")
    )
    ev = engine.evaluate(profile, DAY)
    assert ev.profile.plan != profile.plan  # the evaluation added actions for the new gaps
    for lang in ("zh", "en"):
        report = build_report(ev, engine, lang, DAY)
        assert read_xlsx(report) == ev.profile
        assert read_xlsx(build_template(engine, lang, profile)) == profile


def test_reads_from_a_path_too(tmp_path: Path, report_zh: bytes) -> None:
    path = tmp_path / "报告.xlsx"
    path.write_bytes(report_zh)
    assert read_xlsx(path) == SAMPLES[1].load()
    assert read_xlsx(str(path)) == SAMPLES[1].load()


def test_an_edited_report_imports_the_edit(report_zh: bytes) -> None:
    def change(wb: Workbook) -> None:
        row = answers_row(wb, "staffing.insured_staff")
        wb["答卷"][f"E{row}"] = 25
        row = answers_row(wb, "premises_equipment.platform_functions")
        wb["答卷"][f"E{row}"] = '["acd", "ivr"]'

    profile = read_xlsx(edit(report_zh, change))
    assert profile.staffing.insured_staff == 25
    assert profile.premises_equipment.platform_functions == frozenset({"acd", "ivr"})


def test_a_report_without_its_hidden_sheet_still_imports(report_zh: bytes) -> None:
    data = edit(report_zh, lambda wb: wb.remove(wb[META_SHEET]))
    assert read_xlsx(data) == SAMPLES[1].load()


# --- bad content: each names the sheet and cell ---------------------------------------------------------


def _set(path: str, value: object, column: str = "E") -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb["答卷"][f"{column}{answers_row(wb, path)}"] = value

    return change


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("capital.registered_cny", "两千万", "not_number"),
        ("staffing.insured_staff", 2.5, "not_whole"),
        ("legal_entity.incorporation_date", "2024-02-30", "not_date"),
        ("legal_entity.entity_type", "company", "not_choice"),
        ("legal_entity.on_dishonest_list", "maybe", "not_yes_no"),
        ("staffing.insured_staff", -3, "too_small"),
        ("legal_entity.foreign_ownership_pct", 130, "too_large"),
        ("capital.paid_in_cny", 99_000_000, "paid_in_exceeds"),
        ("company.province", "atlantis", "not_choice"),
        ("premises_equipment.platform_functions", '["acd", "teleport"]', "not_choice"),
    ],
)
def test_bad_values_in_the_report_name_the_cell(report_zh: bytes, path: str, value: object, code: str) -> None:
    err = failure(edit(report_zh, _set(path, value)))
    assert err.code == code
    assert err.where == "upload.xlsx"
    assert err.field.startswith("答卷!E") and path in err.field


def test_a_formula_is_refused_not_calculated(report_zh: bytes) -> None:
    err = failure(edit(report_zh, _set("staffing.insured_staff", "=2+3")))
    assert err.code == "formula" and "staffing.insured_staff" in err.field
    assert "=2+3" in error_text(err, "zh") and "公式" in error_text(err, "zh")


def test_na_reason_where_not_allowed_names_the_reason_cell(report_zh: bytes) -> None:
    err = failure(edit(report_zh, _set("capital.registered_cny", "不适用", column="G")))
    assert err.code == "na_not_allowed" and err.field.startswith("答卷!G")


def test_unknown_field_row_is_reported(report_zh: bytes) -> None:
    err = failure(edit(report_zh, _set("staffing.insured_staff", "staffing.dogs", column="A")))
    assert err.code == "unknown_field" and err.field.startswith("答卷!A")


def test_newer_schema_in_the_report_or_the_hidden_sheet(report_zh: bytes) -> None:
    err = failure(edit(report_zh, _set("schema_version", SCHEMA_VERSION + 1)))
    assert err.code == "newer_schema" and err.value == SCHEMA_VERSION + 1
    assert "更新" in error_text(err, "zh")

    def newer_meta(wb: Workbook) -> None:
        ws = wb[META_SHEET]
        row = next(r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == "schema_version")
        ws[f"B{row}"] = SCHEMA_VERSION + 1

    assert failure(edit(report_zh, newer_meta)).code == "newer_schema"


def test_missing_answers_sheet_or_column(report_zh: bytes) -> None:
    err = failure(edit(report_zh, lambda wb: wb.remove(wb["答卷"])))
    assert err.code == "missing_sheet" and err.value == "答卷"
    err = failure(edit(report_zh, lambda wb: wb["答卷"].cell(row=3, column=5, value="随便")))
    assert err.code == "missing_column" and err.value == "取值（机读）"


def test_bad_values_in_the_template_name_the_cell(template_zh: bytes) -> None:
    def typed(path: str, value: object) -> Callable[[Workbook], None]:
        def change(wb: Workbook) -> None:
            sheet, cell = template_cell(wb, path)
            wb[sheet][cell] = value

        return change

    cases = [
        ("capital.registered_cny", "很多", "not_number"),
        ("premises_equipment.seats", 3.5, "not_whole"),
        ("company.scope", "全国", "not_choice"),
        ("legal_entity.incorporation_date", "去年", "not_date"),
        ("capital.paid_in_cny", 5000, "paid_in_exceeds"),
        ("staffing.insured_staff", "=A1", "formula"),
    ]
    for path, value, code in cases:
        err = failure(edit(template_zh, typed(path, value)))
        assert err.code == code, path
        sheet, cell = template_cell(load_workbook(BytesIO(template_zh)), path)
        assert err.field == f"{sheet}!{cell} ({path})"


def test_every_bad_cell_is_reported_at_once_with_sheet_cell_and_range(template_zh: bytes) -> None:
    bad = {
        "staffing.insured_staff": 3.5,  # a fractional head count is refused, never truncated
        "company.name": "#REF!",  # a spreadsheet error value is not a name
        "legal_entity.foreign_ownership_pct": 130,
        "capital.subscription_deadline": "9999-12-31",
        "premises_equipment.seats": "=A1",
    }

    def change(wb: Workbook) -> None:
        for path, value in bad.items():
            sheet, cell = template_cell(wb, path)
            wb[sheet][cell] = value

    err = failure(edit(template_zh, change))
    wb = load_workbook(BytesIO(template_zh))
    assert {p.field: p.cell for p in err.problems} == {path: "!".join(template_cell(wb, path)) for path in bad}
    lines = error_text(err, "en").splitlines()
    assert len(lines) == len(bad)
    assert any("foreign_ownership_pct" in line and "between 0 and 100; found 130" in line for line in lines)
    assert any("subscription_deadline" in line and "1950-01-01 and 2099-12-31" in line for line in lines)
    assert any("insured_staff" in line and "whole number" in line and "3.5" in line for line in lines)


def test_a_template_money_range_error_shows_what_was_typed(template_zh: bytes) -> None:
    def change(wb: Workbook) -> None:
        sheet, cell = template_cell(wb, "capital.registered_cny")
        wb[sheet][cell] = -3

    err = failure(edit(template_zh, change))
    assert err.code == "too_small" and err.value == -3  # the 万元 typed in the cell, not CNY
    assert "当前为 -3" in error_text(err, "zh") and "0 万元" in error_text(err, "zh")


def test_template_missing_a_sheet(template_zh: bytes) -> None:
    def drop(wb: Workbook) -> None:
        wb.security = None
        wb.remove(wb["人员配置"])

    err = failure(edit(template_zh, drop))
    assert err.code == "missing_sheet" and err.value == "人员配置"
    assert "人员配置" in error_text(err, "zh")


def test_template_money_is_converted_from_wan(engine: Engine) -> None:
    def change(wb: Workbook) -> None:
        sheet, cell = template_cell(wb, "capital.registered_cny")
        wb[sheet][cell] = "1,050.5"

    data = edit(build_template(engine, "zh"), change)
    assert read_xlsx(data).capital.registered_cny == 10_505_000


def test_english_template_takes_cny_and_english_labels(engine: Engine) -> None:
    def change(wb: Workbook) -> None:
        for path, value in (
            ("capital.registered_cny", 2_500_000),
            ("company.scope", "One province"),
            ("legal_entity.on_dishonest_list", "No"),
            ("company.province", "Zhejiang"),
        ):
            sheet, cell = template_cell(wb, path)
            wb[sheet][cell] = value

    profile = read_xlsx(edit(build_template(engine, "en"), change))
    assert profile.capital.registered_cny == 2_500_000
    assert (profile.company.scope, profile.company.province) == ("provincial", "zhejiang")
    assert profile.legal_entity.on_dishonest_list is False


def test_a_workbook_from_another_tool_is_not_mistaken_for_answers() -> None:
    wb = Workbook()
    wb.active.append(["公司名称", "注册资本"])
    wb.active.append(["某某公司", 100])
    buf = BytesIO()
    wb.save(buf)
    err = failure(buf.getvalue())
    assert err.code == "not_ccl"
    assert "问卷模板" in error_text(err, "zh") and "template" in error_text(err, "en")


def test_failed_import_returns_nothing_and_changes_nothing(report_zh: bytes) -> None:
    current = Profile().with_answer("company.name", "当前答卷")
    before = current.model_dump()
    with pytest.raises(ProfileError):
        read_xlsx(edit(report_zh, _set("capital.registered_cny", "x")))
    assert current.model_dump() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", NEW_CODES)
def test_every_new_error_code_has_a_message_in_both_languages(code: str, lang: str) -> None:
    text = t(f"error.{code}", lang, value="X")
    assert text != f"error.{code}" and len(text) > 10
    err = ProfileError("f.xlsx", "答卷!E5 (capital.registered_cny)", "english fallback", code=code, value="X")
    assert error_text(err, lang).startswith("答卷!E5 (capital.registered_cny): ")
    assert "english fallback" not in error_text(err, lang)


DETAIL_SAMPLES = [s for s in SAMPLES if s.key[:2] in ("08", "09", "10")]


@pytest.mark.sweep
# the details do not depend on the other answers (every sample's round trip is tested above): a blank
# branch, a licence holder and a company mid-remediation
@pytest.mark.parametrize("sample", DETAIL_SAMPLES, ids=[s.key for s in DETAIL_SAMPLES])
def test_document_details_survive_the_report_round_trip(engine: Engine, sample) -> None:
    from tests.pack_support import with_details

    ev = engine.evaluate(with_details(sample.load()), DAY)
    for lang in ("zh", "en"):
        assert read_xlsx(build_report(ev, engine, lang, DAY)) == ev.profile
