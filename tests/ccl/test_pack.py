"""The application pack: every draft opened as a reader opens it (python-docx), filled from the answers,
honest about what is missing, safe with odd text, and the same bytes for the same answers."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime

import docx
import pytest

from ccl.cli import main
from ccl.pack import build_pack
from ccl.pack.template import PACK_DIR, load_template
from ccl.samples import list_samples
from tests.pack_support import DETAILS, with_details

DAY = date(2026, 12, 1)
WHEN = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
SAMPLES = {s.key[:2]: s for s in list_samples()}
TODO = {"zh": re.compile(r"【待补充：[^】]+】"), "en": re.compile(r"\[To be completed: [^\]]+\]")}


def build(engine, profile, lang="zh", when=WHEN):
    return build_pack(engine.evaluate(profile, DAY), engine.catalog, lang, when)


def documents(pack) -> dict[str, docx.document.Document]:
    with zipfile.ZipFile(io.BytesIO(pack.data)) as zf:
        return {name: docx.Document(io.BytesIO(zf.read(name))) for name in zf.namelist()}


def text(document) -> str:
    """Every paragraph and table cell, as a reader sees them."""
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "CCL Heading"]


@pytest.fixture(scope="module")
def xian(engine):
    pack = build(engine, SAMPLES["10"].load())
    return pack, documents(pack)


def test_sample_10_gets_the_five_drafts_and_the_checklist(xian):
    pack, docs = xian
    assert list(docs) == [
        "00_申请材料清单.docx",
        "01_技术方案.docx",
        "02_业务发展和实施计划.docx",
        "03_服务质量保障措施.docx",
        "04_网络与信息安全保障措施.docx",
        "05_依法经营电信业务承诺书.docx",
    ]  # 4 insured staff for 3 months: no social-insurance deferral, so no deferral commitment
    assert not pack.blocked
    for document in docs.values():
        body = text(document)
        assert "西安秦声客户服务有限公司" in body
        assert "（草稿）" in body and "须经公司负责人逐项核对" in body  # the draft notice on every cover
        assert "覆盖范围：陕西省（省内）" in body and "编制日期：2026年12月1日" in body
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) in ((210, 297), (297, 210))


def test_technical_plan_names_the_seats_and_functions_and_security_the_log_retention(xian):
    _, docs = xian
    plan = docs["01_技术方案.docx"]
    assert headings(plan) == [
        "一、概述",
        "二、系统架构与部署",
        "三、功能模块",
        "四、技术参数与容量",
        "五、数据备份与容灾",
        "六、安全措施",
        "七、组网方案",
    ]
    body = text(plan)
    assert "设置座席6个" in body and "规划话务员10名" in body and "办公场地面积80平方米" in body
    assert "ACD（自动呼叫分配）、IVR（交互式语音应答）、录音" in body
    assert "呼叫中心平台为租用平台" in body
    assert "【待补充：与基础电信企业的语音中继合同（问卷答复尚未签订）】" in body  # trunk_contract: false
    assert "【待补充：服务器部署位置、用途及IP地址清单（问卷答复尚未整理）】" in body  # server_ip_list: false
    security = text(docs["04_网络与信息安全保障措施.docx"])
    assert "网络日志留存期限为6个月，符合《中华人民共和国网络安全法》第二十一条" in security
    assert "【待补充：网络安全等级保护测评（问卷答复尚未完成）】" in security  # not assessed
    assert "【待补充：网络与信息安全应急预案（问卷中尚未确认已制定）】" in security  # not among its measures
    business = text(docs["02_业务发展和实施计划.docx"])
    assert "注册资本120万元，实缴资本30万元" in business and "成立于2025年3月18日" in business
    assert "办公场所为商业办公用房，租赁合同以公司名义签订。" in business and "已通过消防安全检查" in business
    assert "任命客服或运营负责人，准备其简历（负责人：赵敏（人事部）；计划完成：2027年1月15日）" in business


def test_every_placeholder_is_counted_and_listed_in_the_checklist(xian):
    pack, docs = xian
    drafts = {name: d for name, d in docs.items() if not name.startswith("00_")}
    found = {name: TODO["zh"].findall(text(d)) for name, d in drafts.items()}
    # each draft's cover explains the mark once with "【待补充：…】"; that is not a gap
    counts = {name: sum(m != "【待补充：…】" for m in marks) for name, marks in found.items()}
    assert sum(counts.values()) == pack.todos == 20
    checklist = docs["00_申请材料清单.docx"]
    assert f"本材料包的草稿共有 {pack.todos} 处“待补充”" in text(checklist)
    listed = checklist.tables[1]
    assert sum(int(r.cells[2].text) for r in listed.rows[1:]) == pack.todos
    assert {r.cells[0].text for r in listed.rows[1:]} <= set(drafts)
    assert "【待补充：呼叫中心平台供应商】" in text(drafts["01_技术方案.docx"])
    assert any(r.cells[1].text == "呼叫中心平台供应商" for r in listed.rows[1:])


def test_checklist_gives_every_material_its_status_evidence_and_what_is_missing(engine, xian):
    _, docs = xian
    table = docs["00_申请材料清单.docx"].tables[0]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:]}
    current = [d for d in engine.catalog.documents if d.status not in ("removed", "merged")]
    assert [r.cells[1].text for r in table.rows[1:]] == [d.name("zh") for d in current]
    lease = rows["场地租赁合同或产权证明"]
    assert lease[3] == "已备齐" and "共享盘/证照/场地" in lease[4]
    tech = rows["技术方案（专用表格）"]
    assert tech[3] == "准备中" and "本包内附草稿：01_技术方案.docx" in tech[5] and "处待补充" in tech[5]
    assert "尚未登记证据" in rows["依法经营电信业务承诺书"][5]  # claimed ready, no document recorded


def test_document_details_fill_the_placeholders(engine):
    pack = build(engine, with_details(SAMPLES["10"].load()))
    docs = documents(pack)
    plan = text(docs["01_技术方案.docx"])
    assert "供应商为杭州云呼科技有限公司，产品及型号为云呼CC-Cloud 5.2" in plan
    assert "中国电信西安高新数据中心（托管机柜B-12）" in plan and "=每日异地备份（以等号开头，仍是文字）" in plan
    assert "【待补充：呼叫中心平台供应商】" not in plan
    assert "服务时间：每日8:00—20:00" in text(docs["03_服务质量保障措施.docx"])
    assert "负责人为刘洋（技术负责人）" in text(docs["04_网络与信息安全保障措施.docx"])
    assert "法定代表人：李明" in text(docs["05_依法经营电信业务承诺书.docx"])
    # what is left is what the answers themselves leave open (no trunk contract, no service lead …)
    left = {r.cells[1].text for r in docs["00_申请材料清单.docx"].tables[1].rows[1:]}
    details = {engine.catalog.questions[f"document_details.{k}"].label("zh") for k in DETAILS}
    assert 0 < pack.todos < 20 and not left & details
    assert "客户服务负责人（问卷答复尚未配备）" in left


def test_user_text_goes_in_as_text_only(engine):
    odd = '{company} =HYPERLINK("http://x") <w:fldSimple w:instr="PAGE"/> 【待补充：假】'
    profile = with_details(SAMPLES["10"].load().with_answer("company.name", "某公司"), platform_vendor=odd)
    pack = build(engine, profile)
    with zipfile.ZipFile(io.BytesIO(pack.data)) as zf:
        xml = zf.read("01_技术方案.docx")
    with zipfile.ZipFile(io.BytesIO(xml)) as inner:
        body = inner.read("word/document.xml").decode()
        # the typed markup is escaped text, not an element: no field, no link
        assert "<w:fldSimple" not in body and "instrText" not in body and "<w:hyperlink" not in body
        assert "&lt;w:fldSimple" in body
        assert not any(n.endswith((".bin", "vbaProject.bin")) for n in inner.namelist())
    assert odd in text(documents(pack)["01_技术方案.docx"])


def test_a_blocked_company_gets_its_pack_headed_by_what_blocks_it(engine):
    profile = SAMPLES["04"].load()
    ev = engine.evaluate(profile, DAY)
    assert ev.assessment.blockers
    pack = build(engine, profile)
    assert pack.blocked
    title = engine.catalog.rule_by_id[ev.assessment.blockers[0]].title("zh")
    for document in documents(pack).values():
        body = text(document)
        assert "注意：目前存在不予受理的情形" in body and title in body
        assert body.index("注意：目前存在不予受理的情形") < body.index("编制日期")  # on the cover, before the rest


def test_the_deferral_commitment_comes_only_where_the_deferral_applies(engine):
    names = list(documents(build(engine, SAMPLES["03"].load())))
    assert "06_社保容缺承诺书.docx" in names
    deferral = documents(build(engine, SAMPLES["03"].load()))["06_社保容缺承诺书.docx"]
    assert "工信部政法函〔2020〕99号" in text(deferral)


def test_same_answers_give_the_same_bytes_and_the_timestamp_dates_every_file(engine):
    profile = SAMPLES["10"].load()
    first, again = build(engine, profile), build(engine, profile)
    assert first.data == again.data
    later = build(engine, profile, when=datetime(2026, 12, 1, 3, 45, tzinfo=UTC))
    assert later.data != first.data
    with zipfile.ZipFile(io.BytesIO(first.data)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 12, 1, 10, 30, 0)}
        inner = zipfile.ZipFile(io.BytesIO(zf.read("01_技术方案.docx")))
        assert {i.date_time for i in inner.infolist()} == {(2026, 12, 1, 10, 30, 0)}
    props = documents(first)["01_技术方案.docx"].core_properties
    assert props.created == props.modified == WHEN


def test_english_pack_for_sample_10(engine):
    pack = build(engine, SAMPLES["10"].load(), "en")
    docs = documents(pack)
    assert "01_technical_plan.docx" in docs
    plan = text(docs["01_technical_plan.docx"])
    assert "Agent seats: 6 seats; planned agents: 10 people" in plan
    assert "The premises are a commercial office, leased in the company's name." in text(docs["02_business_plan.docx"])
    assert "ACD (automatic call distribution), IVR (interactive voice response), call recording" in plan
    assert "kept for 6 months, meeting Art. 21 of the Cybersecurity Law" in text(docs["04_security_measures.docx"])
    drafts = [d for n, d in docs.items() if not n.startswith("00_")]
    marks = sum(m != "[To be completed: …]" for d in drafts for m in TODO["en"].findall(text(d)))
    assert marks == pack.todos


@pytest.mark.sweep
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sample_builds_with_no_token_left_unfilled(engine, lang):
    for sample in SAMPLES.values():
        pack = build(engine, sample.load(), lang)
        for name, document in documents(pack).items():
            body = text(document)
            assert not re.search(r"\{[a-z_:]+", body), (sample.key, name)
            assert sample.load().company.name in body


def test_templates_are_data_a_consultancy_can_replace(tmp_path, engine):
    shipped = (PACK_DIR / "zh.toml").read_text(encoding="utf-8")
    own = shipped.replace('placeholder = "【待补充：{what}】"', 'placeholder = "<<{what}>>"')
    (tmp_path / "zh.toml").write_text(own, encoding="utf-8")
    assert load_template("zh", str(tmp_path)).placeholder == "<<{what}>>"
    ev = engine.evaluate(SAMPLES["10"].load(), DAY)
    pack = build_pack(ev, engine.catalog, "zh", WHEN, template_dir=str(tmp_path))
    assert "<<呼叫中心平台供应商>>" in text(documents(pack)["01_技术方案.docx"])


def test_cli_writes_the_pack_and_refuses_a_bad_file(tmp_path, capsys):
    out = tmp_path / "pack.zip"
    assert main(["pack", str(SAMPLES["10"].path), "-o", str(out), "--start", "2026-12-01"]) == 0
    assert "6 个文件，草稿中共 20 处待补充" in capsys.readouterr().out
    assert len(zipfile.ZipFile(out).namelist()) == 6
    assert main(["pack", str(tmp_path / "missing.json"), "-o", str(out), "--lang", "en"]) == 2
    assert "missing.json" in capsys.readouterr().err


def test_a_cross_regional_company_with_a_95_number(engine):
    pack = build(engine, SAMPLES["02"].load().with_answer("company.number_type", "95"))
    body = text(documents(pack)["01_技术方案.docx"])
    assert "受理机关：工业和信息化部" in body
    assert "覆盖范围：跨地区（两个以上省份，具体省份【待补充：拟覆盖的省份】）" in body  # the answers name no provinces
    assert "拟使用95xxx（全国）号码作为呼叫中心接入号码" in body and "《电信网码号资源管理办法》" in body
