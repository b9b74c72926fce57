"""The offline questionnaire: layout, protection, drop-downs, units, hidden map, and a client filling it."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from ccl.engine import Engine
from ccl.excel.common import LISTS_SHEET, META_SHEET
from ccl.excel.template import build_template
from ccl.i18n import t
from ccl.profile import ALL_FIELDS, PROVINCE_FIELDS, SCHEMA_VERSION
from ccl.samples import list_samples
from ccl.scoring import na_allowed_fields
from tests.conftest import read_xlsx

SAMPLES = list_samples()
XIAN = next(s for s in SAMPLES if s.key == "10_xian_mid_remediation")
ANSWER, NA = "C", "E"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def blank_zh(engine: Engine) -> Workbook:
    return load_workbook(BytesIO(build_template(engine, "zh")))


def question_row(ws, label: str) -> int:
    """The row whose question text starts with ``label`` (how a client finds where to type)."""
    for row in ws.iter_rows(min_row=4, max_col=2):
        if isinstance(row[1].value, str) and row[1].value.strip().startswith(label):
            return row[1].row
    raise AssertionError(f"no question {label!r} on {ws.title}")


def cell_map(wb: Workbook) -> list[tuple]:
    rows = list(wb[META_SHEET].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "map")
    return rows[start + 2 :]


def test_sheets_instructions_company_and_one_per_dimension(engine: Engine, blank_zh: Workbook) -> None:
    visible = [ws.title for ws in blank_zh.worksheets if ws.sheet_state == "visible"]
    dims = [d.name("zh") for d in engine.catalog.dimensions]
    # a blank questionnaire has no plan yet
    assert visible == ["填写说明", "公司信息", *dims, "许可证", "申请文件细节", "证据"]
    prefilled = load_workbook(BytesIO(build_template(engine, "zh", XIAN.load())))
    visible = [ws.title for ws in prefilled.worksheets if ws.sheet_state == "visible"]
    assert visible == ["填写说明", "公司信息", *dims, "许可证", "申请文件细节", "行动计划", "证据"]
    assert blank_zh[LISTS_SHEET].sheet_state == "hidden"
    assert blank_zh[META_SHEET].sheet_state == "hidden"
    assert blank_zh.security.lockStructure


def test_hidden_sheet_carries_versions_language_and_a_cell_for_every_field(engine: Engine, blank_zh) -> None:
    meta = {r[0]: r[1] for r in blank_zh[META_SHEET].iter_rows(max_col=2, values_only=True) if r[0] != "map"}
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["catalog_version"] == engine.catalog.version
    assert meta["lang"] == "zh" and meta["kind"] == "template" and meta["money_unit"] == "wan"
    mapped = {r[0] for r in cell_map(blank_zh)}
    assert mapped == set(ALL_FIELDS)


def test_only_answer_cells_are_unlocked_and_sheets_are_protected(engine: Engine, blank_zh) -> None:
    na_ok = na_allowed_fields(engine.catalog)
    inputs = {(r[2], r[3]) for r in cell_map(blank_zh)} | {(r[2], r[4]) for r in cell_map(blank_zh) if r[4]}
    for ws in blank_zh.worksheets[1:]:
        if ws.sheet_state != "visible" or ws.title == "证据":  # the evidence sheet: see its own test
            continue
        assert ws.protection.sheet
        unlocked = {
            (ws.title, c.coordinate)
            for row in ws.iter_rows()
            for c in row
            if c.protection is not None and c.protection.locked is False
        }
        assert unlocked == {i for i in inputs if i[0] == ws.title}
    na_cells = {r[0] for r in cell_map(blank_zh) if r[4]}
    assert na_cells == set(na_ok)


def _validations(ws) -> dict[str, object]:
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord] = dv
    return out


def test_every_closed_question_has_a_translated_drop_down(engine: Engine, blank_zh: Workbook) -> None:
    lists = blank_zh[LISTS_SHEET]
    for path, option, sheet, cell, _na, _unit in cell_map(blank_zh):
        q = engine.catalog.questions[path]
        dv = _validations(blank_zh[sheet]).get(cell)
        assert dv is not None, f"{path} has no validation"
        if option or q.input in ("select", "doc", "bool") or path in PROVINCE_FIELDS:
            assert dv.type == "list"
            col = dv.formula1.split("!$")[1].split("$")[0]
            labels = [c.value for c in lists[col] if c.value]
            if option or q.input == "bool":
                assert labels == ["是", "否"]
            elif path in PROVINCE_FIELDS:  # the head company's province too
                assert "广东省" in labels and len(labels) == len(engine.catalog.provinces)
            else:
                assert labels == [o.label("zh") for o in q.options]


def test_numbers_have_ranges_and_dates_a_date_rule(engine: Engine, blank_zh: Workbook) -> None:
    rules = {r[0]: _validations(blank_zh[r[2]])[r[3]] for r in cell_map(blank_zh) if not r[1]}
    assert rules["capital.registered_cny"].type == "decimal"
    assert rules["capital.registered_cny"].formula1 == "0"
    assert rules["staffing.insured_staff"].type == "whole"
    assert rules["legal_entity.foreign_ownership_pct"].formula2 == "100"
    assert rules["legal_entity.incorporation_date"].type == "date"
    assert all(dv.showErrorMessage and dv.error for dv in rules.values())


@pytest.mark.parametrize(("lang", "unit"), [("zh", "万元"), ("en", "CNY")])
def test_units_are_shown_in_the_chosen_language(engine: Engine, lang: str, unit: str) -> None:
    wb = load_workbook(BytesIO(build_template(engine, lang)))
    ws = wb[engine.catalog.dimension_by_id["capital"].name(lang)]
    row = question_row(ws, engine.catalog.questions["capital.registered_cny"].label(lang))
    assert ws[f"D{row}"].value == unit
    assert ws["B3"].value == t("xlsx_template.question", lang)


def test_multiselect_questions_have_one_yes_no_row_per_option(engine: Engine, blank_zh: Workbook) -> None:
    rows = [r for r in cell_map(blank_zh) if r[0] == "premises_equipment.platform_functions"]
    q = engine.catalog.questions["premises_equipment.platform_functions"]
    assert [r[1] for r in rows] == [str(o.value) for o in q.options]
    ws = blank_zh[rows[0][2]]
    assert [ws[f"B{ws[r[3]].row}"].value.strip(" ·　") for r in rows] == [o.label("zh") for o in q.options]


@pytest.mark.sweep
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.key for s in SAMPLES])
def test_prefilled_template_reads_back_identically(engine: Engine, sample, lang: str) -> None:
    profile = sample.load()
    assert read_xlsx(build_template(engine, lang, profile)) == profile


def test_prefilled_shows_wan_and_labels(engine: Engine) -> None:
    profile = SAMPLES[1].load()
    wb = load_workbook(BytesIO(build_template(engine, "zh", profile)))
    ws = wb["注册资本"]
    assert ws[f"C{question_row(ws, '注册资本（认缴）')}"].value == 2000
    ws = wb["主体资格"]
    assert ws[f"C{question_row(ws, '企业组织形式')}"].value == "有限责任公司"


def test_na_reason_and_empty_selection_survive_the_round_trip(engine: Engine) -> None:
    profile = (
        SAMPLES[0]
        .load()
        .with_not_applicable("premises_equipment.fire_safety_passed", "物业统一办理，无法取得证明")
        .with_answer("premises_equipment.fire_safety_passed", None)
        .with_answer("technical_plan.sections", frozenset())
    )
    for lang in ("zh", "en"):
        assert read_xlsx(build_template(engine, lang, profile)) == profile


def test_a_client_fills_the_blank_template_and_the_upload_scores(engine: Engine) -> None:
    wb = load_workbook(BytesIO(build_template(engine, "zh")))
    answers = {
        ("公司信息", "公司名称"): "佛山顺声客服有限公司",
        ("公司信息", "注册所在省份"): "广东省",
        ("公司信息", "经营覆盖范围"): "省内",
        ("主体资格", "企业组织形式"): "有限责任公司",
        ("主体资格", "成立日期"): date(2025, 3, 18),
        ("主体资格", "公司、主要投资者"): "否",
        ("注册资本", "注册资本（认缴）"): 200,
        ("注册资本", "实缴资本"): 50.5,
        ("人员配置", "以公司名义参保的员工人数"): 4,
        ("场地与设备", "办公场地性质"): "商业办公用房",
    }
    for (sheet, label), value in answers.items():
        ws = wb[sheet]
        ws[f"{ANSWER}{question_row(ws, label)}"] = value
    ws = wb["场地与设备"]
    ws[f"{NA}{question_row(ws, '场所消防合规')}"] = "物业统一办理"
    ws[f"{ANSWER}{question_row(ws, '· 交互式语音应答')}"] = "是"
    ws[f"{ANSWER}{question_row(ws, '· 通话录音')}"] = "否"
    buf = BytesIO()
    wb.save(buf)
    profile = read_xlsx(buf.getvalue(), where="客户问卷.xlsx")
    assert profile.company.name == "佛山顺声客服有限公司"
    assert profile.company.province == "guangdong" and profile.company.scope == "provincial"
    assert profile.capital.registered_cny == 2_000_000 and profile.capital.paid_in_cny == 505_000
    assert profile.legal_entity.incorporation_date == date(2025, 3, 18)
    assert profile.legal_entity.on_dishonest_list is False
    assert profile.premises_equipment.platform_functions == frozenset({"ivr"})
    assert profile.not_applicable == {"premises_equipment.fire_safety_passed": "物业统一办理"}
    ev = engine.evaluate(profile, date(2026, 12, 1))
    assert ev.assessment.result("cap.min_registered").outcome == "pass"
    assert ev.assessment.result("pe.fire_safety").outcome == "not_applicable"
    assert 0 < ev.assessment.completion < 100


def test_no_template_cell_holds_a_formula(engine: Engine) -> None:
    for lang in ("zh", "en"):
        wb = load_workbook(BytesIO(build_template(engine, lang, SAMPLES[0].load())))
        assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_cli_template_blank_and_prefilled(tmp_path, monkeypatch, capsys) -> None:
    from ccl.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["template", "--lang", "zh"]) == 0
    assert (tmp_path / "就绪度自评问卷.xlsx").exists()
    out = tmp_path / "prefilled.xlsx"
    assert main(["template", "-o", str(out), "--lang", "en", "--prefill", str(SAMPLES[2].path)]) == 0
    assert read_xlsx(out) == SAMPLES[2].load()
    assert main(["template", "-o", str(tmp_path / "x.xlsx"), "--prefill", str(tmp_path / "none.json")]) == 2
    assert "Traceback" not in capsys.readouterr().err


DETAIL_SAMPLES = [s for s in SAMPLES if s.key[:2] in ("08", "09", "10")]


@pytest.mark.sweep
@pytest.mark.parametrize("lang", ["zh", "en"])
# the details do not depend on the other answers (every sample's round trip is tested above): a blank
# branch, a licence holder and a company mid-remediation
@pytest.mark.parametrize("sample", DETAIL_SAMPLES, ids=[s.key for s in DETAIL_SAMPLES])
def test_document_details_survive_the_questionnaire_round_trip(engine: Engine, sample, lang: str) -> None:
    """The details the application pack needs (schema 4), with a line break, a leading "=" and the longest
    text a detail may hold, come back exactly; the sheet has one yellow cell per detail."""
    from tests.pack_support import with_details

    profile = with_details(sample.load(), platform_model="型" * 500)
    data = build_template(engine, lang, profile)
    assert read_xlsx(data) == profile
    wb = load_workbook(BytesIO(data))
    ws = wb[t("xlsx_sheet.document_details", lang)]
    details = [r for r in cell_map(wb) if r[0].startswith("document_details.")]
    assert len(details) == 11 and {r[2] for r in details} == {ws.title}
    assert ws[details[1][3]].value == "受本地银行、保险企业委托，提供客户咨询和业务查询服务"
