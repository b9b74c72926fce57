"""AppTest of the Report page: preview, downloads, and uploads that show a diff before they replace anything.

An upload never changes the answers by itself: a good file waits (with its diff) until the user
replaces the current answers or opens it as a new company; a bad file shows a message in the user's
language naming the sheet and cell (or the question) to fix, and the answers stay as they were.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from project import ROOT
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from table_support import static_tables

from ccl import clock
from ccl.diff import profile_diff
from ccl.engine import Engine
from ccl.excel.report import SHEETS, build_report, report_filename, sheet_names
from ccl.excel.template import build_template, template_filename
from ccl.i18n import fmt_date, status_label, t
from ccl.pdf.fonts import font_file
from ccl.profile import SCHEMA_VERSION, Profile, dump_profile, parse_profile_json
from tests.conftest import read_xlsx
from tests.ui.test_app_pages import CHENGDU, SAMPLES, open_section, profile, start, visit
from ui.escape import md_literal

# Each AppTest run executes the app script: the slow tier (`make test-fast` leaves it out).
pytestmark = pytest.mark.slow

GUANGZHOU = "01_guangzhou_ready"
XIAN = "10_xian_mid_remediation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def sample(key: str) -> Profile:
    return next(s for s in SAMPLES if s.key == key).load()


def report_of(engine: Engine, key: str, lang: str = "en") -> bytes:
    prof = sample(key)
    return build_report(engine.evaluate(prof, DAY), engine, lang, DAY)


def on_report(sample_key: str | None = CHENGDU, lang: str = "zh") -> AppTest:
    return visit(start(sample_key, lang), "report")


def upload(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    at.file_uploader[0].set_value((name, data, mime)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def diff_rows(at: AppTest):
    return next(df.value for df in at.dataframe if list(df.value.columns) == ["section", "question", "before", "after"])


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


# --- the page ---------------------------------------------------------------------------------------


# Every sample in both languages: tests/ui/test_app_pages.py walks the page (one app boot per sample).


def test_blank_company_renders_and_says_what_is_empty():
    at = on_report(None)
    assert not at.exception
    at.segmented_control(key="rp:sheet").set_value("gaps").run()
    assert t("report_page.empty_sheet", "zh") in [i.value for i in at.info]


def test_preview_follows_the_sheet_choice_and_the_language():
    at = on_report(CHENGDU)
    preview = static_tables(at, "st-report-preview")
    assert list(preview[0].columns) == [t("xlsx_report.item", "zh"), t("xlsx_report.content", "zh")]
    at.segmented_control(key="rp:sheet").set_value("gaps").run()
    assert len(static_tables(at, "st-report-preview")[0]) == 29  # one row per gap, as on the Gaps page
    at.segmented_control(key="sb:lang").set_value("en").run()
    assert at.segmented_control(key="rp:sheet").value == "gaps"
    assert t("xlsx_gaps.remedy", "en") in static_tables(at, "st-report-preview")[0].columns


# --- downloads --------------------------------------------------------------------------------------


@pytest.fixture()
def deferred(monkeypatch) -> dict[str, tuple[str, Callable]]:
    """File name and callable of every deferred download registered while the page runs, by file name."""
    seen: dict[str, tuple[str, Callable]] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        seen[file_name] = (mimetype, data_callable)
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def test_downloads_deliver_the_report_and_the_questionnaires(deferred, engine):
    at = on_report(CHENGDU, "en")
    prof = profile(at)
    ev = engine.evaluate(prof, clock.today())
    name = report_filename(ev, "en", clock.today())
    assert name.endswith(f"_readiness_report_{clock.today().isoformat()}.xlsx") and name in deferred
    assert read_xlsx(deferred[name][1]()) == prof  # the report reads back as these answers
    assert load_workbook(BytesIO(deferred[name][1]())).sheetnames[: len(SHEETS)] == list(sheet_names("en").values())
    blank = deferred[template_filename("en")][1]()
    assert read_xlsx(blank) == Profile()
    prefilled = deferred[template_filename("en", prof)][1]()
    assert read_xlsx(prefilled) == prof
    assert deferred[name][0] == XLSX


@pytest.mark.skipif(font_file() is None, reason="needs a TrueType CJK font (fonts-wqy-microhei)")
def test_pdf_brief_download_is_the_brief_of_the_current_answers(deferred):
    on_report(CHENGDU)
    name = f"成都蓉信客服科技有限公司_就绪度简报_{clock.today().isoformat()}.pdf"
    mime, build = deferred[name]
    data = build()
    assert mime == "application/pdf" and data.startswith(b"%PDF")
    assert b"WenQuanYi" in data  # the Chinese font is embedded in the file


def test_without_a_cjk_font_the_brief_card_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("CCL_PDF_FONT", str(tmp_path / "missing.ttf"))
    at = on_report(CHENGDU)
    assert not at.exception
    keys = {b.proto.id.rsplit("-", 1)[1] for b in at.download_button}
    assert "rp:dl:brief" not in keys and "rp:dl:report" in keys
    assert any("fonts-wqy-microhei" in w.value for w in at.warning)


def test_json_download_is_the_current_answers(deferred):
    at = on_report(CHENGDU)
    name = f"成都蓉信客服科技有限公司_答卷_{clock.today().isoformat()}.json"
    assert f":material/attach_file: {md_literal(name)}" in [c.value for c in at.caption]  # the card names the file
    mime, build = deferred[name]
    assert mime == "application/json"
    assert parse_profile_json(build()) == profile(at)


# --- uploading a good file ---------------------------------------------------------------------------


def test_uploaded_report_shows_the_diff_then_replaces_on_confirmation(engine):
    at = on_report(CHENGDU)
    before = profile(at)
    imported = sample(GUANGZHOU)
    upload(at, "guangzhou.xlsx", report_of(engine, GUANGZHOU, "en"))  # an English report into the Chinese UI
    assert profile(at) == before, "nothing may change before the user confirms"
    rows = diff_rows(at)
    assert len(rows) == len(profile_diff(before, imported))
    capital = rows[rows["question"] == "注册资本（认缴）"].iloc[0]
    assert (capital["before"], capital["after"]) == ("50 万元", "300 万元")
    assert f"##### :green-badge[{status_label('ready', 'zh')}]" in markdown(at)  # readiness after the import
    assert f"当前：:red-badge[{status_label('blocked', 'zh')}]" in [c.value for c in at.caption]
    assert "##### 100 / 100（+40.7）" in markdown(at)
    assert any("广州粤声呼叫中心服务有限公司" in w.value for w in at.warning), "a different company is pointed out"
    at.button(key="rp:replace").click().run()
    assert profile(at) == imported
    assert at.session_state["ui.current"] == f"sample:{CHENGDU}"  # the same company, new answers
    assert at.success and "guangzhou.xlsx" in at.success[0].value
    assert not [df for df in at.dataframe if "before" in df.value.columns], "the diff is gone once applied"
    assert at.file_uploader[0].value is None, "the upload box is empty again"


def test_pending_upload_survives_page_switches_and_follows_the_language(engine):
    at = on_report(CHENGDU)
    upload(at, "guangzhou.xlsx", report_of(engine, GUANGZHOU))
    visit(at, "overview")
    visit(at, "report")
    assert len(diff_rows(at)) > 0
    at.segmented_control(key="sb:lang").set_value("en").run()
    rows = diff_rows(at)
    assert "Registered (subscribed) capital" in set(rows["question"])
    assert "CNY 3,000,000" in set(rows["after"])
    at.button(key="rp:replace").click().run()
    assert profile(at) == sample(GUANGZHOU)


def test_open_as_new_company_keeps_the_current_one(engine):
    at = on_report(CHENGDU)
    before = profile(at)
    upload(at, "guangzhou.xlsx", report_of(engine, GUANGZHOU))
    at.button(key="rp:open_new").click().run()
    assert profile(at) == sample(GUANGZHOU)
    assert at.session_state["ui.current"] not in (f"sample:{CHENGDU}", "blank:1")
    assert at.session_state["ui.companies"][f"sample:{CHENGDU}"] == before
    assert len(at.selectbox(key="sb:company").options) == 2  # Chengdu and the new one; the untouched blank closed


def test_cancel_leaves_the_answers_alone(engine):
    at = on_report(CHENGDU)
    before = profile(at)
    upload(at, "guangzhou.xlsx", report_of(engine, GUANGZHOU))
    at.button(key="rp:cancel").click().run()
    assert profile(at) == before
    assert not [df for df in at.dataframe if "before" in df.value.columns]
    assert at.file_uploader[0].value is None


def test_an_answer_rejected_before_the_import_does_not_come_back(engine):
    at = open_section(start(CHENGDU), "capital")
    at.number_input(key="q:capital.paid_in_cny").set_value(500.0).run()  # more than registered: rejected
    assert at.error
    visit(at, "report")
    upload(at, "guangzhou.xlsx", report_of(engine, GUANGZHOU))
    at.button(key="rp:replace").click().run()
    at = open_section(at, "capital")
    assert not at.error, "the old rejection is gone with the old answers"
    at.number_input(key="q:capital.registered_cny").set_value(1000.0).run()
    assert profile(at).capital.paid_in_cny == sample(GUANGZHOU).capital.paid_in_cny


def test_a_questionnaire_with_plan_and_evidence_edits_shows_them_in_the_diff(engine):
    at = on_report(XIAN)
    before = profile(at)
    target = next(a for a in before.plan if a.status == "open" and a.due and a.owner)
    wb = load_workbook(BytesIO(build_template(engine, "zh", before)))
    ws = wb["行动计划"]
    col = {c.value: c.column for c in ws[3] if c.value}
    row = next(c.row for c in ws["A"] if c.value == target.id)
    ws.cell(row=row, column=col["状态"], value="进行中")
    ws.cell(row=row, column=col["负责人"], value="周杰（运营部）")
    ws.cell(row=row, column=col["截止日期"], value=date(2027, 2, 26))
    evidence = wb["证据"]
    first = next(c.row for c in evidence["A"] if c.value == "staffing.insured_staff")
    evidence[f"F{first}"] = "社保缴费明细"
    buf = BytesIO()
    wb.save(buf)
    upload(at, "问卷.xlsx", buf.getvalue())
    assert profile(at) == before, "nothing changes before the user confirms"
    rows = diff_rows(at)
    name = next(i.label("zh") for i in engine.evaluate(before, DAY).plan if i.id == target.id)
    question = engine.catalog.questions["staffing.insured_staff"].label("zh")
    shown = [(r["section"], r["question"], r["before"], r["after"]) for _, r in rows.iterrows()]
    assert shown == [
        ("备注与证据", question, "—", "社保缴费明细"),
        ("行动计划", f"状态 · {name}", "待办", "进行中"),
        ("行动计划", f"负责人 · {name}", target.owner, "周杰（运营部）"),
        ("行动计划", f"截止日期 · {name}", fmt_date(target.due, "zh"), "2027年2月26日"),
    ]
    at.button(key="rp:replace").click().run()
    action = next(a for a in profile(at).plan if a.id == target.id)
    assert (action.status, action.owner, action.due) == ("in_progress", "周杰（运营部）", date(2027, 2, 26))
    assert profile(at).evidence["staffing.insured_staff"].refs[0].name == "社保缴费明细"


def test_filled_questionnaire_and_json_are_read_too(engine):
    at = on_report(None)  # the blank company
    target = sample(GUANGZHOU)
    upload(at, "问卷.xlsx", build_template(engine, "zh", target))
    at.button(key="rp:replace").click().run()
    assert profile(at) == target
    changed = target.with_answer("staffing.insured_staff", 40)
    upload(at, "answers.json", dump_profile(changed).encode("utf-8-sig"), "application/json")  # BOM from Notepad
    rows = diff_rows(at)
    assert rows.to_dict("records") == [
        {"section": "人员配置", "question": "以公司名义参保的员工人数", "before": "12 名", "after": "40 名"}
    ]
    at.button(key="rp:replace").click().run()
    assert profile(at) == changed


def test_identical_file_says_no_changes(engine):
    at = on_report(CHENGDU)
    upload(at, "same.json", dump_profile(sample(CHENGDU)).encode(), "application/json")
    assert t("report_page.no_changes", "zh", file="same.json", company="成都蓉信客服科技有限公司") in [
        i.value for i in at.info
    ]
    at.button(key="rp:close").click().run()
    assert not [i for i in at.info if "same.json" in i.value]


# --- bad files ---------------------------------------------------------------------------------------


def _edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    wb = load_workbook(BytesIO(data))
    change(wb)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _answer_cell(path: str, value: object, sheet: str = "答卷") -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        ws = wb[sheet]
        row = next(r[0].row for r in ws.iter_rows(min_row=4, max_col=1) if r[0].value == path)
        ws[f"E{row}"] = value

    return change


def _negative_amount_json() -> bytes:
    data = json.loads(dump_profile(sample(GUANGZHOU)))
    data["capital"]["registered_cny"] = -5
    return json.dumps(data, ensure_ascii=False).encode()


def _newer_json() -> bytes:
    data = json.loads(dump_profile(sample(GUANGZHOU)))
    data["schema_version"] = 99
    return json.dumps(data).encode()


BAD_FILES = {
    # name: (file name, bytes or builder, text the Chinese message must contain)
    "garbage": ("报告.xlsx", lambda e: bytes(range(256)) * 8, t("error.not_zip", "zh")),
    "renamed_csv": (
        "客户问卷.xlsx",
        lambda e: "公司名称,注册资本\n甲公司,100\n".encode("gb18030"),
        t("error.text_file", "zh"),
    ),
    "negative_amount": (
        "answers.json",
        lambda e: _negative_amount_json(),
        "注册资本（认缴）：应在 0 万元 到 1,000,000,000 万元 之间，当前为 -5。",  # the question, no field code
    ),
    "json_list": ("answers.json", lambda e: b"[]", t("error.not_object", "zh", value="")),
    "json_string": ("answers.json", lambda e: b'"x"', t("error.not_object", "zh", value="")),
    "json_number": ("answers.json", lambda e: b"42", t("error.not_object", "zh", value="")),
    "json_null": ("answers.json", lambda e: b"null", t("error.not_object", "zh", value="")),
    "lone_surrogate": (
        "answers.json",
        lambda e: b'{"schema_version": 1, "company": {"name": "\\ud800"}}',
        t("error.bad_characters", "zh", value=""),
    ),
    "spreadsheet_error_name": (
        "report.xlsx",
        lambda e: _edit(report_of(e, GUANGZHOU, "zh"), _answer_cell("company.name", "#REF!")),
        "“#REF!”",
    ),
    "newer_json": ("answers.json", lambda e: _newer_json(), t("error.newer_schema", "zh", value="99")),
    "bad_json": ("answers.json", lambda e: b'{"schema_version": 1,', t("error.bad_json", "zh")),
    "formula_cell": (
        "report.xlsx",
        lambda e: _edit(report_of(e, GUANGZHOU, "zh"), _answer_cell("staffing.insured_staff", "=2+3")),
        "答卷!E",
    ),
    "newer_report": (
        "report.xlsx",
        lambda e: _edit(report_of(e, GUANGZHOU, "zh"), _answer_cell("schema_version", SCHEMA_VERSION + 1)),
        "答卷!E",
    ),
    "too_big": ("big.xlsx", lambda e: b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024), "MB"),
    "wrong_type": ("说明.pdf", lambda e: b"%PDF-1.7\n", t("error.unsupported_type", "zh", value=".pdf")),
    "old_xls": ("问卷.xls", lambda e: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, t("error.old_xls", "zh")),
}


def as_shown(markdown: str) -> str:
    """The text a reader sees: backslash escapes and invisible joiners (``md_literal``) gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_shows_an_error_and_changes_nothing(case, engine):
    name, build, expected = BAD_FILES[case]
    at = on_report(CHENGDU)
    before = profile(at)
    upload(at, name, build(engine), "application/octet-stream")
    errors = [as_shown(e.value) for e in at.error]
    assert len(errors) == 1 and expected in errors[0], errors
    assert t("report_page.read_failed", "zh", file=name) in errors[0]
    assert t("report_page.untouched", "zh") in errors[0]
    assert profile(at) == before
    assert not [b for b in at.button if b.key in ("rp:replace", "rp:open_new")]
    at.segmented_control(key="sb:lang").set_value("en").run()  # the message follows the language
    assert t("report_page.untouched", "en") in at.error[0].value
    assert profile(at) == before


def test_formula_error_names_the_sheet_and_cell(engine):
    at = on_report(CHENGDU, "en")
    data = _edit(report_of(engine, GUANGZHOU, "en"), _answer_cell("staffing.insured_staff", "=2+3", "Answers"))
    upload(at, "report.xlsx", data)
    message = as_shown(at.error[0].value)
    label = engine.catalog.questions["staffing.insured_staff"].label("en")
    assert re.search(rf"Answers!E\d+ \({re.escape(label)}\)", message), message
    assert "staffing.insured_staff" not in message  # the question's label, never the field code
    assert "=2+3" in message and "formula" in message.lower()


def test_an_unexpected_reader_failure_is_a_message_not_a_traceback(monkeypatch):
    import ui.views.report

    def broken(*_args, **_kwargs):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(ui.views.report, "read_profile_bytes", broken)
    at = on_report(CHENGDU)
    before = profile(at)
    upload(at, "report.xlsx", b"PK\x03\x04")
    assert not at.exception
    assert t("error.internal", "zh") in at.error[0].value and "reader bug" not in at.error[0].value
    assert profile(at) == before


def test_every_bad_cell_of_an_upload_is_listed_at_once(engine):
    at = on_report(CHENGDU, "en")
    before = profile(at)
    data = report_of(engine, GUANGZHOU, "en")
    for path, value in (
        ("staffing.insured_staff", 3.5),
        ("legal_entity.foreign_ownership_pct", 130),
        ("capital.subscription_deadline", "9999-12-31"),
        ("company.name", "#N/A"),
    ):
        data = _edit(data, _answer_cell(path, value, "Answers"))
    upload(at, "report.xlsx", data)
    [message] = [e.value for e in at.error]
    items = [line for line in message.splitlines() if line.startswith("- ")]
    assert len(items) == 4, message

    def label(path: str) -> str:  # each problem names its question, never the field code
        return engine.catalog.questions[path].label("en")

    staff = re.escape(label("staffing.insured_staff"))
    assert any(re.search(rf"Answers!E\d+ \({staff}\)", i) and "whole number" in i for i in items)
    assert any(label("legal_entity.foreign_ownership_pct") in i and "between 0 and 100" in i for i in items)
    assert any(label("capital.subscription_deadline") in i and "1950-01-01" in i and "2099-12-31" in i for i in items)
    assert any(label("company.name") in i and "#N/A" in i for i in items)
    assert "staffing.insured_staff" not in message and "company.name" not in message
    assert profile(at) == before
    at.segmented_control(key="sb:lang").set_value("zh").run()  # the list follows the language
    assert "应填写整数" in at.error[0].value


def test_upload_limits_agree():
    import tomllib

    from ccl.limits import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, UPLOADER_MB

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == UPLOADER_MB == 2 * MAX_UPLOAD_MB
    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1_000_000  # Streamlit's box counts 1,000,000 bytes per MB
    at = on_report(CHENGDU, "en")
    assert f"{MAX_UPLOAD_MB} MB" in at.file_uploader[0].label
    upload(at, "big.json", b'{"schema_version": 1}' + b" " * MAX_UPLOAD_BYTES, "application/json")
    assert t("error.json_too_big", "en", value="10.0 MB > 10 MB") in as_shown(at.error[0].value)
    upload(at, "export.json", b" " * 11_500_000, "application/json")  # before: the box's English refusal
    assert t("error.json_too_big", "en", value="11.5 MB > 10 MB") in as_shown(at.error[0].value)


def test_an_import_that_marks_an_open_gap_done_is_flagged_as_a_conflict(engine):
    """Done means done: a file whose plan says done while its answers still show the gap is named before
    the user replaces the answers."""
    from ccl.plan import update_action

    at = on_report("10_xian_mid_remediation")
    current = profile(at)
    plan = update_action(current.plan, "pe.trunk_contract", DAY, status="done")
    upload(at, "answers.json", dump_profile(current.model_copy(update={"plan": plan})).encode(), "application/json")
    warning = next(w.value for w in at.warning if t("report_page.conflicts", "zh", n=1) in w.value)
    assert "与基础电信运营商签订语音中继或号码使用合同" in warning and t("plan.flag.conflict_word", "zh") in warning
