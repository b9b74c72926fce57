"""The action plan and the evidence in the Excel report and the offline questionnaire, and reading them back."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from ccl.diff import profile_diff
from ccl.engine import Engine, Evaluation
from ccl.excel import guard
from ccl.excel.common import META_SHEET
from ccl.excel.report import build_report, build_report_preview, sheet_names
from ccl.excel.template import build_template
from ccl.headline import comparison_text, licence_value
from ccl.i18n import error_text, evidence_text, fmt_date, plan_status_label, progress_text, t
from ccl.plan import document_plans, gap_plans, in_plan_order, update_action
from ccl.profile import MAX_ACTIONS, Evidence, EvidenceRef, PlanAction, Profile, ProfileError
from ccl.samples import list_samples
from tests.conftest import read_xlsx

DAY = date(2026, 12, 1)
SAMPLES = {s.key: s for s in list_samples()}
XIAN = SAMPLES["10_xian_mid_remediation"]
CHENGDU = SAMPLES["03_chengdu_startup_undercapitalised"]


@pytest.fixture(scope="module")
def xian(engine: Engine) -> Evaluation:
    return engine.evaluate(XIAN.load(), DAY)


@pytest.fixture(scope="module")
def report_zh(engine: Engine, xian: Evaluation) -> Workbook:
    return load_workbook(BytesIO(build_report(xian, engine, "zh", DAY)))


@pytest.fixture(scope="module")
def template_zh(engine: Engine, xian: Evaluation) -> bytes:
    return build_template(engine, "zh", xian.profile)


def edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook after someone changed it in a spreadsheet program (here: openpyxl)."""
    wb = load_workbook(BytesIO(data))
    change(wb)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def columns(ws, header_row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[header_row] if isinstance(c.value, str)}


def action_row(ws, action_id: str) -> int:
    """The row of an action on a plan sheet (its id is in hidden column A)."""
    return next(c.row for c in ws["A"] if c.value == action_id)


def refused(data: bytes) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        read_xlsx(data, where="upload.xlsx")
    return info.value


# --- the report's Action plan sheet ---------------------------------------------------------------------


def test_gaps_sheet_owner_and_due_come_from_the_plan(engine, xian, report_zh) -> None:
    """The gaps sheet's Owner and Due date columns, once left blank, now say who clears each gap by when."""
    ws = report_zh[sheet_names("zh")["gaps"]]
    col = columns(ws, 3)
    rows = {ws.cell(row=r, column=col["差距"]).value: r for r in range(4, ws.max_row + 1)}
    plans = gap_plans(xian.plan)
    owned = 0
    for g in xian.assessment.gaps:
        row, gp = rows[engine.catalog.rule_by_id[g.rule_id].title("zh")], plans.get(g.rule_id)
        owner, due = ws.cell(row=row, column=col["负责人"]).value, ws.cell(row=row, column=col["完成期限"]).value
        assert owner == ("、".join(gp.owners) if gp and gp.owners else None)
        assert (due.date() if due else None) == (gp.due if gp else None)
        owned += bool(owner and due)
    assert owned >= 10  # the sample's plan names an owner and a date for most gaps
    # a waived action names no owner and no date: the gap's cells stay blank for the company to fill in
    row = rows[engine.catalog.rule_by_id["pe.office_area"].title("zh")]
    assert ws.cell(row=row, column=col["负责人"]).value is None


def test_materials_sheet_owner_and_due_come_from_the_action_preparing_each_document(engine, xian, report_zh) -> None:
    ws = report_zh[sheet_names("zh")["materials"]]
    col = columns(ws, 3)
    rows = {ws.cell(row=r, column=col["材料"]).value: r for r in range(4, ws.max_row + 1)}
    plans = document_plans(engine.catalog, xian.plan)
    assert len(plans) >= 5  # the sample plans several of its documents
    for doc in engine.catalog.documents:
        row, dp = rows[doc.name("zh")], plans.get(doc.id)
        owner, due = ws.cell(row=row, column=col["负责人"]).value, ws.cell(row=row, column=col["完成期限"]).value
        assert owner == ("、".join(dp.owners) if dp and dp.owners else None), doc.id
        assert (due.date() if due else None) == (dp.due if dp else None), doc.id
    # sample 10's business plan is being written by the customer-service department
    business_plan = next(d for d in engine.catalog.documents if d.id == "business_plan")
    assert ws.cell(row=rows[business_plan.name("zh")], column=col["负责人"]).value == "陈静（客服部）"


def test_plan_sheet_lists_every_action_in_plan_order_with_translated_statuses(xian, report_zh) -> None:
    ws = report_zh["行动计划"]
    col = columns(ws, 4)
    ids = [ws.cell(row=r, column=1).value for r in range(5, ws.max_row + 1)]
    assert ids == [i.id for i in in_plan_order(xian.plan)]
    statuses = {ws.cell(row=r, column=col["状态"]).value for r in range(5, ws.max_row + 1)}
    assert statuses == {"待办", "进行中", "已完成", "已豁免"}
    first = in_plan_order(xian.plan)[0]
    assert ws.cell(row=5, column=col["行动"]).value == first.label("zh")
    assert ws.cell(row=5, column=col["负责人"]).value == first.owner
    # the machine columns are hidden and never print
    assert ws.column_dimensions["A"].hidden and ws.column_dimensions["P"].hidden
    assert ws.print_title_rows == "$4:$4" and ws.page_setup.orientation == "landscape"


def test_due_dates_and_dates_done_are_date_cells_in_local_style(xian, engine) -> None:
    for lang, fmt in (("zh", '"年"'), ("en", "mmm")):
        ws = load_workbook(BytesIO(build_report(xian, engine, lang, DAY)))[sheet_names(lang)["plan"]]
        col = columns(ws, 4)
        due = [ws.cell(row=r, column=col[t("plan.col.due", lang)]) for r in range(5, ws.max_row + 1)]
        done = [ws.cell(row=r, column=col[t("plan.col.done_on", lang)]) for r in range(5, ws.max_row + 1)]
        dated = [c for c in due + done if c.value is not None]
        assert dated and all(isinstance(c.value, datetime) and fmt in c.number_format for c in dated)
        assert {c.value.date() for c in due if c.value} == {i.due for i in xian.plan if i.due}


def test_overdue_rows_are_filled_red_and_flagged_reopened_ones_flagged(engine: Engine, xian) -> None:
    overdue = {i.id for i in xian.plan if i.overdue}
    assert len(overdue) == xian.plan_progress.overdue == 2
    # one open action marked done while its gap is still open: "reopened"
    open_id = next(i.id for i in xian.plan if i.status == "open" and i.gap_open and not i.overdue)
    profile = xian.profile.with_plan(update_action(xian.profile.plan, open_id, DAY, status="done"))
    ev = engine.evaluate(profile, DAY)
    for lang in ("zh", "en"):
        ws = load_workbook(BytesIO(build_report(ev, engine, lang, DAY)))[sheet_names(lang)["plan"]]
        col = columns(ws, 4)
        flags = {
            ws.cell(row=r, column=1).value: ws.cell(row=r, column=col[t("xlsx_plan.flags", lang)])
            for r in range(5, ws.max_row + 1)
        }
        marked = {i for i, c in flags.items() if c.value == t("plan.flag.overdue", lang)}
        assert marked == overdue
        for action_id in overdue:
            row = action_row(ws, action_id)
            assert ws.cell(row=row, column=col[t("plan.col.action", lang)]).fill.fgColor.rgb.endswith("FCE4E4")
            assert flags[action_id].font.b
        # done while the gap shows: a conflict naming the answer to correct
        assert flags[open_id].value.startswith(t("plan.flag.conflict_word", lang))
        others = [i for i in flags if i not in overdue | {open_id}]
        assert not any(flags[i].value for i in others)
        row = action_row(ws, others[0])
        assert not ws.cell(row=row, column=col[t("plan.col.action", lang)]).fill.fgColor.rgb.endswith("FCE4E4")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_line_gives_progress_and_the_plan_licence_date_against_the_estimate(engine, xian, lang) -> None:
    ws = load_workbook(BytesIO(build_report(xian, engine, lang, DAY)))[sheet_names(lang)["plan"]]
    summary = ws["B2"].value
    assert summary.startswith(progress_text(xian.plan_progress, lang))
    # the headline's date (the plan decides it), the catalog's only as the labelled comparison
    assert xian.headline.licence_date_basis == "plan"
    assert licence_value(xian.headline, lang) in summary
    assert comparison_text(xian.headline, lang) in summary
    assert fmt_date(xian.expected.licence_date, lang) in summary


def test_evidence_of_the_answers_an_action_reads_is_on_its_row(engine, xian, report_zh) -> None:
    ws = report_zh["行动计划"]
    col = columns(ws, 4)
    rule = engine.catalog.rule_by_id["cap.min_registered"]
    assert "capital.registered_cny" in rule.fields
    row = action_row(ws, "capital_increase.resolution")
    text = ws.cell(row=row, column=col["证据"]).value
    assert text.startswith("注册资本（认缴）：") and "股东会增资决议" in text
    assert evidence_text(xian.profile.evidence["capital.registered_cny"], "zh") in text
    no_evidence = action_row(ws, next(i.id for i in xian.plan if i.status == "open"))
    assert ws.cell(row=no_evidence, column=col["证据"]).value is None


def test_answers_sheet_shows_each_answers_evidence(xian, report_zh) -> None:
    ws = report_zh["答卷"]
    col = columns(ws, 3)
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4)}
    shown = rows["capital.registered_cny"][col["证据"] - 1].value
    assert shown == evidence_text(xian.profile.evidence["capital.registered_cny"], "zh")
    assert rows["company.name"][col["证据"] - 1].value is None
    assert ws.column_dimensions["I"].hidden  # the machine data beside it


def test_an_empty_plan_says_so(engine: Engine) -> None:
    ev = engine.evaluate(SAMPLES["01_guangzhou_ready"].load(), DAY)
    ws = load_workbook(BytesIO(build_report(ev, engine, "en", DAY)))["Action plan"]
    assert ws["C5"].value == t("plan.none", "en")
    assert read_xlsx(build_report(ev, engine, "en", DAY)) == ev.profile


def test_preview_holds_the_plan_without_machine_data(engine, xian) -> None:
    frames = build_report_preview(xian, engine, "zh")
    plan = frames["行动计划"]
    assert len(plan) == len(xian.plan)
    assert "机读数据" not in plan.columns and "行动编号" not in plan.columns
    assert set(plan["状态"]) == {plan_status_label(s, "zh") for s in ("open", "in_progress", "done", "waived")}


# --- the Gantt chart follows the plan ------------------------------------------------------------------


def test_gantt_names_actions_marks_due_dates_missed_dates_and_work_until_issuance(engine: Engine) -> None:
    # Chengdu's plan has no due dates: the catalog's projection is the headline and the sheet's
    chengdu = engine.evaluate(CHENGDU.load(), DAY)
    ws = load_workbook(BytesIO(build_report(chengdu, engine, "zh", DAY)))["时间线"]
    assert chengdu.headline.licence_date_basis == "catalog" and not ws["A1"].value.startswith(
        "申办时间线（按行动计划）"
    )
    ev = engine.evaluate(XIAN.load(), DAY)
    ws = load_workbook(BytesIO(build_report(ev, engine, "zh", DAY)))["时间线"]
    assert ws["A1"].value.startswith("申办时间线（按行动计划）")
    col = columns(ws, 3)
    stages = ev.plan_timeline.stages
    names = [ws.cell(row=4 + k, column=col["阶段"]).value for k in range(len(stages))]
    labels = {i.id: i.label("zh") for i in ev.plan}
    for stage, name in zip(stages, names, strict=True):
        if stage.action_id:
            assert labels[stage.action_id] in name
        if stage.needed_by == "issuance":
            assert name.startswith("〔发证前〕")
            flags = ws.cell(row=4 + stages.index(stage), column=col["提示"]).value
            assert t("xlsx_timeline_plan.by_issuance", "zh") in flags
    assert any(s.needed_by == "issuance" for s in stages)
    xian = ev
    ws = load_workbook(BytesIO(build_report(xian, engine, "zh", DAY)))["时间线"]
    col = columns(ws, 3)
    stages = xian.plan_timeline.stages
    marks = [c.value for row in ws.iter_rows(min_row=4, max_row=3 + len(stages)) for c in row[col["提示"] :]]
    assert marks.count("▲") >= sum(1 for s in stages if s.due and s.due >= DAY)
    missed = [k for k, s in enumerate(stages) if s.due_missed]
    assert missed
    for k in missed:
        flags = ws.cell(row=4 + k, column=col["提示"]).value
        assert t("plan.flag.due_missed", "zh") in flags
        assert ws.cell(row=4 + k, column=col["截止日期"]).value.date() == stages[k].due


# --- the questionnaire's plan: edits read back -------------------------------------------------------------


def _plan_cells(wb: Workbook, action_id: str) -> tuple:
    ws = wb["行动计划"]
    return ws, columns(ws, 3), action_row(ws, action_id)


def test_template_plan_sheet_has_yellow_cells_a_status_list_and_date_rules(template_zh: bytes) -> None:
    wb = load_workbook(BytesIO(template_zh))
    ws = wb["行动计划"]
    col = columns(ws, 3)
    assert ws.protection.sheet and ws.column_dimensions["A"].hidden
    row = 4
    editable = {col[h] for h in ("状态", "负责人", "截止日期", "豁免原因", "完成日期", "备注")}
    unlocked = {c.column for c in ws[row] if c.protection.locked is False}
    assert unlocked == editable
    rules = {str(dv.sqref).split(":")[0][:1]: dv for dv in ws.data_validations.dataValidation}
    status = rules[ws.cell(row=row, column=col["状态"]).column_letter]
    assert status.type == "list" and status.showErrorMessage
    lists = wb["_lists"]
    letter = status.formula1.split("!$")[1].split("$")[0]
    assert [c.value for c in lists[letter] if c.value] == ["待办", "进行中", "已完成", "已豁免"]
    assert rules[ws.cell(row=row, column=col["截止日期"]).column_letter].type == "date"
    assert rules[ws.cell(row=row, column=col["备注"]).column_letter].formula1 == "2000"


def test_a_status_owner_and_due_change_in_the_template_reaches_the_profile_and_the_diff(xian, template_zh) -> None:
    target = next(i for i in xian.plan if i.status == "open" and i.due)

    def change(wb: Workbook) -> None:
        ws, col, row = _plan_cells(wb, target.id)
        ws.cell(row=row, column=col["状态"], value="进行中")
        ws.cell(row=row, column=col["负责人"], value="周杰（运营部）")
        ws.cell(row=row, column=col["截止日期"], value=date(2027, 2, 26))

    profile = read_xlsx(edit(template_zh, change))
    action = next(a for a in profile.plan if a.id == target.id)
    assert (action.status, action.owner, action.due) == ("in_progress", "周杰（运营部）", date(2027, 2, 26))
    changes = {c.field: (c.old, c.new) for c in profile_diff(xian.profile, profile)}
    assert changes == {
        f"plan.{target.id}.status": ("open", "in_progress"),
        f"plan.{target.id}.owner": (target.owner, "周杰（运营部）"),
        f"plan.{target.id}.due": (target.due, date(2027, 2, 26)),
    }
    assert [a.id for a in profile.plan] == [a.id for a in xian.profile.plan]  # the stored order is kept


def test_english_labels_codes_and_iso_text_dates_are_read_too(xian, template_zh) -> None:
    ids = [i.id for i in xian.plan if i.status == "open"][:3]

    def change(wb: Workbook) -> None:
        for action_id, status in zip(ids, ("Done", "in_progress", "已完成"), strict=True):
            ws, col, row = _plan_cells(wb, action_id)
            ws.cell(row=row, column=col["状态"], value=status)
            ws.cell(row=row, column=col["完成日期"], value="2026-11-28")

    plan = {a.id: a for a in read_xlsx(edit(template_zh, change)).plan}
    assert [plan[i].status for i in ids] == ["done", "in_progress", "done"]
    assert plan[ids[0]].done_on == date(2026, 11, 28)


def test_reopening_clears_the_date_done_and_leaving_waived_drops_the_reason(xian, template_zh) -> None:
    done = next(i for i in xian.plan if i.status == "done")
    waived = next(i for i in xian.plan if i.status == "waived")

    def change(wb: Workbook) -> None:
        for action_id in (done.id, waived.id):
            ws, col, row = _plan_cells(wb, action_id)
            ws.cell(row=row, column=col["状态"], value="待办")

    plan = {a.id: a for a in read_xlsx(edit(template_zh, change)).plan}
    assert plan[done.id].status == "open" and plan[done.id].done_on is None
    assert plan[waived.id].status == "open" and plan[waived.id].reason is None


def test_a_deleted_row_keeps_its_action_unchanged(xian, template_zh) -> None:
    gone = in_plan_order(xian.plan)[0].id

    def delete(wb: Workbook) -> None:
        ws, _col, row = _plan_cells(wb, gone)
        ws.protection.sheet = False
        ws.delete_rows(row)

    profile = read_xlsx(edit(template_zh, delete))
    assert profile == xian.profile


def test_every_bad_plan_cell_is_reported_at_once_with_its_cell_in_both_languages(xian, template_zh) -> None:
    rows = in_plan_order(xian.plan)
    a, b, c, d = rows[0].id, rows[1].id, rows[2].id, rows[3].id
    places = {}

    def change(wb: Workbook) -> None:
        for action_id, header, value in (
            (a, "状态", "已豁免"),  # waived, and no reason
            (b, "截止日期", "下周五"),  # not a date
            (c, "状态", "搁置"),  # not a status
            (d, "备注", "=A1"),  # a formula
            (d, "完成日期", date(1900, 1, 1)),  # out of range
        ):
            ws, col, row = _plan_cells(wb, action_id)
            ws.cell(row=row, column=col[header], value=value)
            places[action_id, header] = f"行动计划!{ws.cell(row=row, column=col[header]).coordinate}"
        ws, col, row = _plan_cells(wb, a)
        places[a, "豁免原因"] = f"行动计划!{ws.cell(row=row, column=col['豁免原因']).coordinate}"

    err = refused(edit(template_zh, change))
    found = {(p.code.value, p.cell, p.field) for p in err.problems}
    assert found == {
        ("waived_no_reason", places[a, "豁免原因"], f"plan.{a}.reason"),
        ("not_date", places[b, "截止日期"], f"plan.{b}.due"),
        ("not_status", places[c, "状态"], f"plan.{c}.status"),
        ("formula", places[d, "备注"], f"plan.{d}.notes"),
        ("too_early", places[d, "完成日期"], f"plan.{d}.done_on"),
    }
    zh, en = error_text(err, "zh").splitlines(), error_text(err, "en").splitlines()
    assert len(zh) == len(en) == 5
    assert any(places[c, "状态"] in line and "“搁置”不是有效的行动状态" in line and "已豁免" in line for line in zh)
    assert any(places[c, "状态"] in line and "Open, In progress, Done or Waived" in line for line in en)
    assert any(places[b, "截止日期"] in line and "下周五" in line for line in zh)
    assert any(places[a, "豁免原因"] in line and "A waived action needs a reason" in line for line in en)
    assert any(places[d, "完成日期"] in line and "1950-01-01" in line for line in en)


def test_a_blank_status_a_row_without_action_and_a_copied_row_are_refused(xian, template_zh) -> None:
    first, second = (i.id for i in in_plan_order(xian.plan)[:2])

    def change(wb: Workbook) -> None:
        ws, col, row = _plan_cells(wb, first)
        ws.cell(row=row, column=col["状态"]).value = None
        ws.protection.sheet = False
        last = ws.max_row
        ws.cell(row=last + 1, column=col["负责人"], value="新负责人")  # a row that names no action
        ws.cell(row=last + 2, column=1, value=second)  # the same action twice
        ws.cell(row=last + 2, column=col["状态"], value="已完成")

    err = refused(edit(template_zh, change))
    assert sorted(p.code.value for p in err.problems) == ["duplicate_action", "missing", "unknown_action"]
    assert all(p.cell.startswith("行动计划!") for p in err.problems)


def test_an_edited_report_plan_imports_the_edit_and_damaged_machine_data_is_refused(engine, xian, report_zh) -> None:
    target = next(i for i in xian.plan if i.status == "open")
    buf = BytesIO()
    report_zh.save(buf)
    data = buf.getvalue()

    def change(wb: Workbook) -> None:
        ws = wb["行动计划"]
        ws.cell(row=action_row(ws, target.id), column=columns(ws, 4)["负责人"], value="外部顾问")

    plan = {a.id: a for a in read_xlsx(edit(data, change)).plan}
    assert plan[target.id].owner == "外部顾问"

    def damage(wb: Workbook) -> None:
        ws = wb["行动计划"]
        ws.cell(row=action_row(ws, target.id), column=16, value='{"id": broken')

    err = refused(edit(data, damage))
    assert [p.code.value for p in err.problems] == ["bad_machine_data"]
    assert err.problems[0].cell.startswith("行动计划!P") and "请勿修改隐藏列" in error_text(err, "zh")


# --- evidence in the questionnaire ---------------------------------------------------------------------


def _evidence_rows(ws, path: str) -> list[int]:
    return [c.row for c in ws["A"] if c.value == path]


def test_evidence_sheet_round_trip_with_a_new_note_and_documents(xian, template_zh) -> None:
    path = "staffing.insured_staff"
    assert path not in xian.profile.evidence

    def change(wb: Workbook) -> None:
        ws = wb["证据"]
        first, second = _evidence_rows(ws, path)
        ws[f"E{first}"] = "社保缴费明细已下载"
        ws[f"F{first}"], ws[f"G{first}"], ws[f"H{first}"] = "社保缴费明细（2026年10月）", "人事部", date(2026, 11, 5)
        ws[f"F{second}"], ws[f"G{second}"] = "参保人员名单", "https://hr.example.com/insured"
        # one document of an answer that had two is cleared
        rows = _evidence_rows(ws, "capital.registered_cny")
        for letter in "FGH":
            ws[f"{letter}{rows[1]}"] = None

    profile = read_xlsx(edit(template_zh, change))
    assert profile.evidence[path] == Evidence(
        note="社保缴费明细已下载",
        refs=(
            EvidenceRef(name="社保缴费明细（2026年10月）", location="人事部", date=date(2026, 11, 5)),
            EvidenceRef(name="参保人员名单", location="https://hr.example.com/insured"),
        ),
    )
    assert len(profile.evidence["capital.registered_cny"].refs) == 1
    changes = {c.field for c in profile_diff(xian.profile, profile)}
    assert changes == {f"evidence.{path}", "evidence.capital.registered_cny"}


def test_prefilled_evidence_reads_back_and_a_blank_template_has_none(engine, xian, template_zh) -> None:
    assert read_xlsx(template_zh).evidence == xian.profile.evidence
    assert read_xlsx(build_template(engine, "en")).evidence == {}


def test_bad_evidence_cells_are_reported_with_their_cells(template_zh) -> None:
    def change(wb: Workbook) -> None:
        ws = wb["证据"]
        first = _evidence_rows(ws, "staffing.insured_staff")[0]
        ws[f"G{first}"] = "人事部"  # a location without a document name
        other = _evidence_rows(ws, "staffing.insured_months")[0]
        ws[f"F{other}"], ws[f"H{other}"] = "缴费记录", "上个月"  # not a date

    err = refused(edit(template_zh, change))
    found = {(p.code.value, p.cell) for p in err.problems}
    wb = load_workbook(BytesIO(template_zh))
    first = _evidence_rows(wb["证据"], "staffing.insured_staff")[0]
    other = _evidence_rows(wb["证据"], "staffing.insured_months")[0]
    assert found == {("missing", f"证据!F{first}"), ("not_date", f"证据!H{other}")}
    assert "上个月" in error_text(err, "en")


def test_evidence_survives_the_report_round_trip_even_when_very_long(engine: Engine) -> None:
    refs = tuple(EvidenceRef(name="文" * 200, location="位" * 500, date=date(2026, 10, 1)) for _ in range(50))
    profile = XIAN.load().with_evidence("capital.registered_cny", Evidence(note="注" * 2000, refs=refs))
    ev = engine.evaluate(profile, DAY)
    data = build_report(ev, engine, "en", DAY)  # the record is longer than one cell holds: it continues
    assert read_xlsx(data) == ev.profile
    assert read_xlsx(build_template(engine, "zh", ev.profile)) == ev.profile


# --- older workbooks and hostile ones ------------------------------------------------------------------


def test_a_template_from_before_the_plan_imports_without_plan_or_evidence(engine, xian) -> None:
    def older(wb: Workbook) -> None:
        wb.security = None
        wb.remove(wb["行动计划"])
        wb.remove(wb["证据"])
        meta = wb[META_SHEET]
        for row in reversed(list(meta.iter_rows(max_col=1))):
            if row[0].value in ("action", "evidence", "plan_sheet", "evidence_sheet"):
                meta.delete_rows(row[0].row)

    profile = read_xlsx(edit(build_template(engine, "zh", xian.profile), older))
    assert profile == xian.profile.model_copy(update={"plan": (), "evidence": {}})


def test_a_plan_sheet_with_100000_rows_is_refused_at_once(template_zh: bytes, monkeypatch) -> None:
    index = load_workbook(BytesIO(template_zh)).sheetnames.index("行动计划") + 1
    part = f"xl/worksheets/sheet{index}.xml"  # openpyxl writes the sheets in order
    with zipfile.ZipFile(BytesIO(template_zh)) as zf:
        assert b"capital_increase" in zf.read(part)
    row = '<row><c t="inlineStr"><is><t>capital_increase.resolution</t></is></c></row>'
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * 100_000
        + "</sheetData></worksheet>"
    ).encode()
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(template_zh)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, sheet if info.filename == part else src.read(info.filename))
    parsed = []
    monkeypatch.setattr("ccl.excel.reader.open_workbook", lambda *a: parsed.append(a))
    start = time.perf_counter()
    err = refused(out.getvalue())
    assert time.perf_counter() - start < 5  # counted, never parsed
    assert err.code == "too_many_rows" and parsed == []
    assert "行数过多" in error_text(err, "zh") and "too many rows" in error_text(err, "en")


def test_the_largest_plan_the_profile_accepts_fits_the_upload_limits(engine: Engine) -> None:
    base = XIAN.load()
    extra = [
        PlanAction(id=f"custom.{n}", title=f"自定义行动 {n}", owner="张三", due=date(2027, 1, 1), notes="备注" * 100)
        for n in range(1, MAX_ACTIONS - len(base.plan) + 1)
    ]
    profile = base.with_plan([*base.plan, *extra])
    for path in ("capital.registered_cny", "staffing.insured_staff", "premises_equipment.seats"):
        refs = tuple(EvidenceRef(name=f"文件{i}", location="共享盘/证照", date=date(2026, 10, 1)) for i in range(50))
        profile = profile.with_evidence(path, Evidence(note="说明", refs=refs))
    ev = engine.evaluate(profile, DAY)
    for data in (build_template(engine, "zh", profile), build_report(ev, engine, "zh", DAY)):
        with zipfile.ZipFile(BytesIO(data)) as zf:
            guard.check_budget(zf, "ours.xlsx")  # well inside: about a third of the cells allowed
    assert read_xlsx(build_template(engine, "en", profile)) == profile


def test_more_actions_than_the_profile_allows_are_refused_with_the_limit(engine: Engine, xian) -> None:
    wb = load_workbook(BytesIO(build_template(engine, "zh", xian.profile)))
    ws = wb["行动计划"]
    ws.protection.sheet = False
    col = columns(ws, 3)
    start = ws.max_row
    for n in range(MAX_ACTIONS + 1 - len(xian.plan)):
        ws.cell(row=start + 1 + n, column=1, value=f"custom.{900 + n}")
        ws.cell(row=start + 1 + n, column=col["状态"], value="待办")
        ws.cell(row=start + 1 + n, column=15, value=f'{{"id":"custom.{900 + n}","title":"x{n}"}}')
    buf = BytesIO()
    wb.save(buf)
    err = refused(buf.getvalue())
    assert [p.code.value for p in err.problems] == ["too_many"]
    assert "最多 500 项" in error_text(err, "zh")


def test_a_profile_with_evidence_and_plan_in_the_same_template_round_trips_in_english(engine: Engine) -> None:
    profile = Profile().with_evidence("company.name", Evidence(note="Business licence on file"))
    assert read_xlsx(build_template(engine, "en", profile)) == profile


def test_evidence_sheet_unlocks_the_note_once_per_question_and_every_document_cell(engine: Engine) -> None:
    wb = load_workbook(BytesIO(build_template(engine, "en")))
    ws = wb["Evidence"]
    assert ws.protection.sheet and ws.column_dimensions["A"].hidden
    col = columns(ws, 3)
    assert [col[h] for h in ("Note", "Document", "Where it is kept (or a link)", "Document date")] == [5, 6, 7, 8]
    rows = _evidence_rows(ws, "capital.registered_cny")
    assert len(rows) == 2  # room for two documents on a blank questionnaire
    unlocked = [{c.column for c in ws[r] if c.protection.locked is False} for r in rows]
    assert unlocked == [{5, 6, 7, 8}, {6, 7, 8}]
    rules = {str(dv.sqref).split(":")[0][:1]: dv for dv in ws.data_validations.dataValidation}
    assert rules["H"].type == "date" and rules["F"].formula1 == "200"


def test_an_action_id_changed_to_one_nobody_knows_is_refused_with_its_cell(report_zh) -> None:
    target = next(i for i in report_zh["行动计划"]["A"] if isinstance(i.value, str) and "." in i.value)
    buf = BytesIO()
    report_zh.save(buf)

    def rename(wb: Workbook) -> None:  # the hidden id column retyped; the row's machine data stays
        wb["行动计划"].cell(row=target.row, column=1, value="no_such.action")

    err = refused(edit(buf.getvalue(), rename))
    assert [p.code.value for p in err.problems] == ["unknown_action_id"]
    assert err.problems[0].cell.startswith("行动计划!")
    assert "no_such.action" in error_text(err, "zh") and "custom." in error_text(err, "en")
