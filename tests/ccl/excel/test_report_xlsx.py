"""The Excel readiness report: sheets, charts, formats, print setup, file name, preview, formula safety."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, RadarChart

from ccl.engine import Engine, Evaluation
from ccl.excel.common import META_SHEET, put
from ccl.excel.report import build_report, build_report_preview, report_filename, sheet_names
from ccl.i18n import t
from ccl.profile import ALL_FIELDS, SCHEMA_VERSION, Profile
from ccl.samples import list_samples
from tests.conftest import read_xlsx

DAY = date(2026, 12, 1)
SAMPLES = list_samples()
NASTY_NAMES = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "=1+1", "-2+3 & Co.", "=cmd|' /C calc'!A0"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def evaluate(engine: Engine, profile: Profile) -> Evaluation:
    return engine.evaluate(profile, DAY)


def sample_ev(engine: Engine, key: str) -> Evaluation:
    return evaluate(engine, next(s for s in SAMPLES if s.key == key).load())


def open_report(data: bytes) -> Workbook:
    return load_workbook(BytesIO(data))


@pytest.fixture(scope="module")
def blocked_zh(engine: Engine) -> tuple[Evaluation, Workbook]:
    ev = sample_ev(engine, "04_beijing_partnership_blocked")
    return ev, open_report(build_report(ev, engine, "zh", DAY))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_are_those_of_the_issue_the_plan_and_the_routes_in_the_chosen_language(
    engine: Engine, lang: str
) -> None:
    wb = open_report(build_report(sample_ev(engine, "02_shanghai_foreign_nearly_ready"), engine, lang, DAY))
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == list(sheet_names(lang).values())
    expected = {
        "zh": ["概览", "差距与行动", "行动计划", "申请材料", "时间线", "答卷", "规则与依据", "其他路径与持证义务"],
        "en": [
            "Summary",
            "Gaps & actions",
            "Action plan",
            "Materials",
            "Timeline",
            "Answers",
            "Rules & sources",
            "Routes and duties",
        ],
    }
    assert visible == expected[lang]
    assert wb[META_SHEET].sheet_state == "hidden"


def test_summary_has_verdict_scores_and_native_charts_in_dimension_colours(engine: Engine, blocked_zh) -> None:
    _ev, wb = blocked_zh
    ws = wb["概览"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "北京众联信息咨询中心（有限合伙）" in texts
    assert texts[2].startswith("存在障碍，暂不能申请")  # right under the title and subtitle
    assert any("申请主体须为依法设立的公司" in s for s in texts)
    kinds = sorted(type(c).__name__ for c in ws._charts)
    assert kinds == ["BarChart", "RadarChart"]
    bar = next(c for c in ws._charts if isinstance(c, BarChart))
    fills = [p.graphicalProperties.solidFill.srgbClr for p in bar.series[0].dPt]
    colours = [str(getattr(f, "val", f)) for f in fills]
    assert colours == [d.colour.lstrip("#").upper() for d in engine.catalog.dimensions]
    radar = next(c for c in ws._charts if isinstance(c, RadarChart))
    assert len(radar.series) == 2  # score and the ready line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_leads_with_the_verdict_and_the_shortfall_then_the_score(engine: Engine, lang: str) -> None:
    ev = sample_ev(engine, "07_shenzhen_cross_regional_capital_gap")
    ws = open_report(build_report(ev, engine, lang, DAY))[sheet_names(lang)["summary"]]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    verdict = next(c for c in cells if isinstance(c.value, str) and c.value.startswith(t("status.blocked", lang)))
    shortfall = "200 万元" if lang == "zh" else "2,000,000"
    blocker = next(c for c in cells if isinstance(c.value, str) and shortfall in c.value)
    score = next(c for c in cells if c.value == t("xlsx_report.overall", lang))
    assert verdict.row < blocker.row < score.row
    assert verdict.font.sz == max(c.font.sz or 0 for c in cells)  # the largest text on the sheet
    assert verdict.fill.fgColor.rgb.endswith("F4B6B6")  # red for blocked
    assert blocker.font.b and blocker.fill.fgColor.rgb == verdict.fill.fgColor.rgb


def test_printed_pages_hide_the_machine_columns_that_the_import_still_reads(engine: Engine, blocked_zh) -> None:
    ev, wb = blocked_zh
    answers, rules = wb["答卷"], wb["规则与依据"]
    shown = [answers.column_dimensions[c].hidden for c in "ABCDEFGHI"]
    assert shown == [True, False, False, False, True, True, False, False, True]  # I: the evidence's machine data
    assert rules.column_dimensions["A"].hidden and not rules.column_dimensions["B"].hidden
    buf = BytesIO()
    wb.save(buf)
    assert read_xlsx(buf.getvalue()) == ev.profile


def test_licence_dates_are_real_dates(blocked_zh) -> None:
    ev, wb = blocked_zh
    ws = wb["概览"]
    found = {c.value.date() for row in ws.iter_rows() for c in row if getattr(c, "is_date", False)}
    assert ev.headline.licence_date in found  # the headline's date, whatever decides it
    if ev.headline.licence_date_basis == "catalog":  # the catalog's scenarios beside it
        assert {tl.licence_date for tl in ev.timelines.values()} <= found
    else:  # the plan's date is the headline: the catalog's is only the labelled comparison
        assert ev.expected.licence_date not in found


def test_gaps_sheet_has_filter_frozen_header_severity_colours_and_blank_owner_columns(blocked_zh) -> None:
    ev, wb = blocked_zh
    ws = wb["差距与行动"]
    header = [c.value for c in ws[3]]
    assert header[:4] == ["序号", "维度", "严重程度", "差距"]
    assert {"负责人", "完成期限", "整改措施", "依据"} <= set(header)
    assert ws.auto_filter.ref.startswith("A3:")
    assert ws.freeze_panes == "A4"
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(ev.assessment.gaps)
    owner, due = header.index("负责人"), header.index("完成期限")
    assert all(r[owner] is None and r[due] is None for r in rows)
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert {r.formula[0] for r in rules} >= {'"障碍"', '"重要"', '"一般"', '"法定提示"', '"地方做法"'}
    assert ws.column_dimensions["F"].width >= 40  # remediation text gets room, and wraps
    assert ws["F4"].alignment.wrap_text


def test_materials_sheet_lists_documents_and_consistency_checks(engine: Engine, blocked_zh) -> None:
    _ev, wb = blocked_zh
    ws = wb["申请材料"]
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"营业执照", "已取消，无需提交", "一致性检查（常见补正原因）", "负责人"} <= {
        s.split("（追溯")[0] for s in texts
    } | texts
    assert len([d for d in engine.catalog.documents if d.name("zh") in texts]) == len(engine.catalog.documents)


def test_timeline_gantt_is_conditional_formatting_over_week_columns(blocked_zh) -> None:
    ev, wb = blocked_zh
    ws = wb["时间线"]
    stages = ev.plan_timeline.stages
    header = [c.value for c in ws[3]]
    week_cols = [v for v in header[11:] if v is not None]
    assert all(hasattr(v, "year") for v in week_cols)  # real dates, one per period
    assert len(week_cols) >= (ev.expected.licence_date - ev.start).days // 14
    bars = [r for rng in ws.conditional_formatting for r in rng.rules if r.formula != ["TRUE"]]
    assert len(bars) == len(stages)
    assert all(r.formula[0].startswith("AND(") for r in bars)
    first = ws.cell(row=4, column=4)
    assert first.is_date and first.number_format == 'yyyy"年"m"月"d"日"'  # as the Plan sheet writes dates
    assert "◆" in {c.value for row in ws.iter_rows() for c in row}


def test_answers_sheet_is_one_machine_readable_row_per_field(blocked_zh) -> None:
    _ev, wb = blocked_zh
    ws = wb["答卷"]
    fields = [r[0] for r in ws.iter_rows(min_row=4, values_only=True)]
    assert fields == ["schema_version", *ALL_FIELDS]
    row = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert ws["H3"].value == "证据" and ws["I3"].value == "证据（机读）"
    assert row["schema_version"][4] == SCHEMA_VERSION
    assert row["legal_entity.entity_type"][4] == "partnership"
    assert row["legal_entity.entity_type"][3] == "合伙企业"


@pytest.mark.parametrize(("lang", "number", "fmt"), [("zh", 200, "万元"), ("en", 2_000_000, "CNY")])
def test_amounts_are_numbers_in_wan_or_cny(engine: Engine, lang: str, number: float, fmt: str) -> None:
    ev = sample_ev(engine, "03_chengdu_startup_undercapitalised")
    assert ev.profile.capital.registered_cny == 600_000 or ev.profile.capital.registered_cny
    wb = open_report(build_report(ev, engine, lang, DAY))
    ws = wb[sheet_names(lang)["answers"]]
    cell = next(r[3] for r in ws.iter_rows(min_row=4) if r[0].value == "capital.registered_cny")
    assert isinstance(cell.value, (int, float))
    expected = ev.profile.capital.registered_cny / (10_000 if lang == "zh" else 1)
    assert cell.value == pytest.approx(expected)
    assert fmt in cell.number_format


def test_print_setup_is_a4_one_page_wide_with_repeated_header(blocked_zh) -> None:
    _ev, wb = blocked_zh
    scaled = {"差距与行动", "行动计划", "答卷", "规则与依据"}  # fixed scale: hidden columns, and no orphan last page
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        if ws.title in scaled:
            assert not ws.sheet_properties.pageSetUpPr.fitToPage and 40 <= ws.page_setup.scale <= 100
        else:  # the summary fits one page; the others one page wide
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == (ws.title == "概览")
            assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.oddHeader.left.text == "北京众联信息咨询中心（有限合伙）"
    assert wb["差距与行动"].print_title_rows == "$3:$3"
    assert wb["行动计划"].print_title_rows == "$4:$4"


def test_cjk_font_and_document_properties(blocked_zh) -> None:
    _ev, wb = blocked_zh
    assert wb["差距与行动"]["D4"].font.name == "Microsoft YaHei"
    assert "北京众联" in wb.properties.title
    assert wb.properties.creator == t("common.product", "zh")
    assert wb.properties.language == "zh-CN"


def test_english_report_uses_calibri_and_english_text(engine: Engine) -> None:
    wb = open_report(build_report(sample_ev(engine, "04_beijing_partnership_blocked"), engine, "en", DAY))
    ws = wb["Gaps & actions"]
    assert ws["D4"].font.name == "Calibri"
    cells = [c.value for row in ws.iter_rows(min_row=3) for c in row if isinstance(c.value, str)]
    assert not [s for s in cells if re.search(r"[\u4e00-\u9fff]", s) and "北京" not in s]


@pytest.mark.parametrize("name", NASTY_NAMES)
def test_user_text_that_looks_like_a_formula_is_stored_as_text(engine: Engine, name: str) -> None:
    profile = SAMPLES[0].load().with_answer("company.name", name)
    data = build_report(evaluate(engine, profile), engine, "zh", DAY)
    wb = open_report(data)
    hits = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == name]
    assert hits, "the company name must appear in the report"
    assert all(c.data_type == "s" for c in hits)
    assert all(c.quotePrefix for c in hits)
    with zipfile.ZipFile(BytesIO(data)) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(b"<f>" in s or b"<f " in s for s in sheets)
    assert read_xlsx(data).company.name == name


# No report holds a formula: tests/ccl/excel/test_no_formulas_written.py scans every sample's in both languages.


def test_put_keeps_tab_and_cr_prefixed_text_as_text() -> None:
    wb = Workbook()
    for i, text in enumerate(["\t=1+1", "\r=1+1", "=A1", "plain"], 1):
        put(wb.active, i, 1, text)
    buf = BytesIO()
    wb.save(buf)
    back = load_workbook(BytesIO(buf.getvalue())).active
    assert [back.cell(row=i, column=1).data_type for i in range(1, 5)] == ["s", "s", "s", "s"]
    assert back["C1"].value is None


def test_header_escapes_ampersands_in_the_company_name(engine: Engine) -> None:
    profile = SAMPLES[0].load().with_answer("company.name", "A&B 呼叫中心有限公司")
    wb = open_report(build_report(evaluate(engine, profile), engine, "zh", DAY))
    assert wb["概览"].oddHeader.left.text == "A&&B 呼叫中心有限公司"


def test_report_filename_has_company_and_iso_date_and_is_safe(engine: Engine) -> None:
    ev = sample_ev(engine, "02_shanghai_foreign_nearly_ready")
    assert report_filename(ev, "zh", DAY) == "安博瑞客户联络（上海）有限公司_就绪度报告_2026-12-01.xlsx"
    assert report_filename(ev, "en", DAY).endswith("_readiness_report_2026-12-01.xlsx")
    odd = evaluate(engine, ev.profile.with_answer("company.name", '../a/b:c*?"<>|-x'))
    name = report_filename(odd, "zh", DAY)
    assert not re.search(r'[/\\:*?"<>|]', name) and not name.startswith((".", "-"))
    blank = evaluate(engine, ev.profile.with_answer("company.name", None))
    assert report_filename(blank, "zh", DAY).startswith("未命名公司_")


def test_preview_matches_the_workbook_sheets(engine: Engine) -> None:
    ev = sample_ev(engine, "03_chengdu_startup_undercapitalised")
    for lang in ("zh", "en"):
        preview = build_report_preview(ev, engine, lang)
        assert list(preview) == list(sheet_names(lang).values())
        gaps = preview[sheet_names(lang)["gaps"]]
        assert len(gaps) == len(ev.assessment.gaps)
        answers = preview[sheet_names(lang)["answers"]]
        assert len(answers) == len(ALL_FIELDS) + 1
    zh = build_report_preview(ev, engine, "zh")
    summary = zh["概览"]
    assert "存在障碍，暂不能申请" in summary.iloc[:, 1].tolist()
    assert any("万元" in str(v) for v in zh["答卷"].iloc[:, 3])
    # points as the sheet shows them (General: 10, 4.1), never "10.0"; the blocker loses 10 points
    points = zh["差距与行动"][t("xlsx_gaps.points", "zh")].tolist()
    assert points[0] == "10" and not any(str(p).endswith(".0") for p in points)


def test_report_of_a_blank_profile_still_builds(engine: Engine) -> None:
    wb = open_report(build_report(evaluate(engine, Profile()), engine, "en", DAY))
    assert wb["Summary"]["A1"].value == t("xlsx_report.title", "en")
    assert "Unnamed company" in wb["Gaps & actions"]["A1"].value


# --- command line ---------------------------------------------------------------------------------


def test_cli_report_writes_a_workbook_that_imports_back(tmp_path, capsys) -> None:
    from ccl.cli import main

    sample = SAMPLES[2]
    out = tmp_path / "report.xlsx"
    assert main(["report", str(sample.path), "-o", str(out), "--lang", "en", "--start", "2026-12-01"]) == 0
    assert str(out) in capsys.readouterr().out
    assert read_xlsx(out) == sample.load()
    assert main(["assess", str(out), "--lang", "en"]) == 0
    shown = capsys.readouterr().out
    assert "成都蓉信客服科技有限公司" in shown and "Province: Sichuan" in shown


def test_cli_report_default_name_is_company_and_date(tmp_path, monkeypatch, capsys) -> None:
    from ccl.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["report", str(SAMPLES[1].path), "--lang", "zh"]) == 0
    written = [p.name for p in tmp_path.glob("*.xlsx")]
    assert len(written) == 1 and written[0].startswith("安博瑞客户联络（上海）有限公司_就绪度报告_")


@pytest.mark.parametrize("target", ["missing-folder/r.xlsx", "r.txt", "."])
def test_cli_report_bad_output_is_one_line_exit_2(tmp_path, capsys, target: str) -> None:
    from ccl.cli import main

    out = tmp_path / target
    assert main(["report", str(SAMPLES[0].path), "-o", str(out), "--lang", "zh"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err and str(out) in err
    assert not list(tmp_path.rglob("*.xlsx"))


def test_cli_report_of_a_bad_workbook_names_the_cell_in_chinese(engine: Engine, tmp_path, capsys) -> None:
    from ccl.cli import main

    wb = open_report(build_report(evaluate(engine, SAMPLES[0].load()), engine, "zh", DAY))
    ws = wb["答卷"]
    row = next(r[0].row for r in ws.iter_rows(min_row=4, max_col=1) if r[0].value == "staffing.insured_staff")
    ws[f"E{row}"] = "五个"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert main(["report", str(bad), "-o", str(tmp_path / "out.xlsx"), "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert f"答卷!E{row} (staffing.insured_staff)" in err and "应填写整数" in err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rules_sheet_cites_official_sources_by_name_date_and_official_address(engine, lang):
    ev = sample_ev(engine, "01_guangzhou_ready")
    ws = open_report(build_report(ev, engine, lang, DAY))[sheet_names(lang)["rules"]]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    order42 = {"zh": "《电信业务经营许可管理办法》（工业和信息化部令第42号，2017年7月3日公布，2017年9月1日起施行）"}
    order42["en"] = "MIIT Order No. 42; issued 3 Jul 2017; in force 1 Sep 2017"
    assert order42[lang] in text
    assert "https://www.miit.gov.cn/zwgk/zcwj/flfg/art/2020/art_ad4a7f072a5e4e2aab49b7817c49f5a6.html" in text
    assert t("source.no_link", lang) in text  # documents with no official copy online say so
    for not_official in ("LawRefBook", "fuwu.11467.com", "trustexporter", "lawfaq", "wikisource"):
        assert not_official not in text


@pytest.mark.parametrize(
    ("sample", "certificate"),
    [
        ("02_shanghai_foreign_nearly_ready", "《跨地区增值电信业务经营许可证》"),
        ("01_guangzhou_ready", "《增值电信业务经营许可证》"),
    ],
)
def test_summary_names_the_certificate_the_company_would_receive(engine, sample, certificate):
    ws = open_report(build_report(sample_ev(engine, sample), engine, "zh", DAY))[sheet_names("zh")["summary"]]
    cells = [str(c.value) for row in ws.iter_rows(max_col=2) for c in row if c.value is not None]
    label = cells.index(t("xlsx_report.certificate", "zh"))
    assert cells[label + 1].startswith(certificate) and "呼叫中心业务（B24）" in cells[label + 1]


def test_routes_and_duties_sheet(engine) -> None:
    day = date(2026, 11, 30)
    by_key = {s.key: s.load() for s in list_samples()}
    wb = load_workbook(
        BytesIO(build_report(engine.evaluate(by_key["09_suzhou_licence_holder"], day), engine, "zh", day))
    )
    rows = [r for r in wb[sheet_names("zh")["routes"]].iter_rows(values_only=True) if r[0] == "持证义务"]
    assert [r[1] for r in rows] == ["延续申请", "许可证到期", "年度报告"]  # in the order they fall due
    assert rows[0][2] == "临近截止" and "90日" in rows[0][4]
    shenzhen = by_key["07_shenzhen_cross_regional_capital_gap"]
    wb = load_workbook(BytesIO(build_report(engine.evaluate(shenzhen, day), engine, "en", day)))
    routes = [r for r in wb[sheet_names("en")["routes"]].iter_rows(values_only=True) if r[0] == "Route"]
    assert routes[0][1] == "A provincial licence now, cross-regional later" and "Registered capital" in routes[0][2]
